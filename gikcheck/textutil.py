"""Helpers the text-quality rules (GK5xx) share; no rule lives here.

Rule modules import from here, never from each other: each rule family
(garbled text, script, punctuation, repetition, generic sections, phrase
rules declared as data) is a module of its own under gikcheck/checks/.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from . import TYPE_CHECKING, rx
from .diagnostics import Diagnostic
from .memo import once
from .rule import RuleContext

if TYPE_CHECKING:
    from typing import Any

# Per rule and document: beyond this many findings the rest are summed up in one.
CAP = 20

HAN = rx.compile(r"\p{Han}")
NON_HAN = rx.compile(r"[^\p{Han}]+")


def text_data(report: Any, section: str, default: Any = None) -> Any:
    """``section`` of rules/text.toml (as merged with the user's packs) for ``report``."""
    return report.knowledge.extra.get("text", {}).get(section, {} if default is None else default)


def quote(s: str, n: int = 20) -> str:
    """``s`` on one line, cut to ``n`` characters with an ellipsis."""
    s = s.replace("\n", " ").strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def unwrapped(s: str) -> str:
    """Source text as a message shows it: without the line breaks of a wrapped layout."""
    return s.replace("\r", "").replace("\n", "") if "\n" in s else s


def capped(
    ctx: RuleContext, diags: Iterable[Diagnostic], what: str, cap: int = CAP, total: int | None = None
) -> Iterator[Diagnostic]:
    """At most ``cap`` findings, then one that counts the rest. ``total``: how many ``diags`` holds,
    when the caller knows (a generator's findings past the cap are then not built only to be counted)."""
    if ctx.rule.group_by:  # the engine merges them into one finding per pattern, every place kept
        yield from diags
        return
    it = iter(diags)
    for _, d in zip(range(cap), it):
        yield d
    first = next(it, None)
    if first is not None:
        rest = total - cap if total is not None else 1 + sum(1 for _ in it)
        yield ctx.diagnostic(first.span, f"另有 {rest} 处{what}未逐一列出", anchor=f"{ctx.rule.code}:more")


def inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of ``spans`` (sorted, disjoint)."""
    i = bisect.bisect_right(spans, (offset, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def table_lines(report: Any) -> frozenset[int]:
    """Lines that draw a table (the line splitter's rows and the table regions): prose rules
    leave them to the table rules."""
    return once(report, _build_table_lines)


def _build_table_lines(report: Any) -> frozenset[int]:
    lines = {row.line for t in report.blocks.tables for row in t.rows}
    for a, b in report.blocks.regions:
        lines.update(range(a, b + 1))
    return frozenset(lines)
