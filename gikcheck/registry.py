"""The rule registry: every rule the plugins provide, and rule selection.

Selectors (ruff's keys): ``ALL``, a code (``GK301``), a code prefix
(``GK3``, ``GK30``) or a rule name (``application-balance``). When a rule
is matched by both ``select`` and ``ignore``, the more specific selector
wins; on a tie, ``ignore`` wins.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from .catalog import FAMILIES
from .plugins import hooks
from .rule import Rule


def family(code: str) -> str | None:
    """The family of a built-in code (GK301 → GK3); None for another code (a plugin's)."""
    prefix = code[:3]
    return prefix if prefix in FAMILIES and len(code) == 5 else None


class SelectorError(ValueError):
    """An unknown rule selector (a usage error, exit 2)."""


# Rules a user's pack declares (gikcheck/phrases.py), known from when its configuration is read.
_declared: dict[str, type[Rule]] = {}


@functools.lru_cache(maxsize=1)
def _all_rules() -> tuple[type[Rule], ...]:
    rules: dict[str, type[Rule]] = {}
    for batch in [*hooks().gikcheck_rules(), list(_declared.values())]:
        for rule in batch or ():
            prev = rules.get(rule.code)
            if prev is not None and prev is not rule:
                raise RuntimeError(f"rule code {rule.code} is registered twice ({prev.__module__}, {rule.__module__})")
            rules[rule.code] = rule
    return tuple(sorted(rules.values(), key=lambda r: r.code))


def all_rules() -> tuple[type[Rule], ...]:
    return _all_rules()


def reset() -> None:
    _declared.clear()
    _all_rules.cache_clear()


def declare(rules: Iterable[type[Rule]]) -> None:
    """Add rules that a user's pack declares (see gikcheck.phrases.declare_pack_rules)."""
    for rule in rules:
        _declared[rule.code] = rule
    _all_rules.cache_clear()


def rule_by_code(code: str) -> type[Rule] | None:
    code = code.strip()
    return next((r for r in all_rules() if r.code == code.upper() or r.name == code), None)


def specificity(selector: str, rule: type[Rule]) -> int:
    """How specifically ``selector`` names ``rule`` (0 = not at all)."""
    s = selector.strip()
    if s.upper() == "ALL":
        return 1
    if s == rule.name or s.upper() == rule.code:
        return 100
    if rule.code.startswith(s.upper()) and len(s) >= 2:
        return len(s)
    return 0


def validate_selectors(selectors: Iterable[str]) -> None:
    rules = all_rules()
    for s in selectors:
        if not any(specificity(s, r) for r in rules):
            raise SelectorError(f"未知的规则选择器 {s!r}(应为 ALL、规则代码如 GK301、代码前缀如 GK3,或规则名)")


def is_enabled(rule: type[Rule], select: Iterable[str], ignore: Iterable[str]) -> bool:
    best_sel = max((specificity(s, rule) for s in select), default=0)
    best_ign = max((specificity(s, rule) for s in ignore), default=0)
    return best_sel > 0 and best_sel > best_ign


def selected(select: Iterable[str], ignore: Iterable[str]) -> list[type[Rule]]:
    select, ignore = list(select), list(ignore)
    return [r for r in all_rules() if is_enabled(r, select, ignore)]
