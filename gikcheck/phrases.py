"""Phrase rules declared as data: rules that only look for words, phrases or replacements.

A pack declares them as ``[[phrase-rule]]`` tables (rules/phrases.toml for the built-in
ones; a user's pack named in ``rule-packs`` for new ones), the way Vale declares its
``existence`` and ``substitution`` rules: code, name, severity, summary, explanation with
its 错误示例 / 正确示例, what to look for, the message, the fix. One class per *kind* turns
a declaration into a Rule, so a new phrase rule needs no Python:

- ``existence``: words (``phrases``) and patterns (``patterns``) that should not be there;
- ``substitution``: wrong forms and the right one (``swap``, ``patterns`` with ``right``),
  with a fix that puts the right one in.

Messages are templates with these fields: ``{found}`` the text found (a wrapped layout's
line breaks taken out), ``{quoted}`` the words found, each in 「」 (a ``per_line`` finding
lists every word of its line), ``{context}`` the text found with a few characters either
side, ``{what}`` the ``what`` of the pattern that found it, ``{right}`` the right form.
"""

from __future__ import annotations

import functools
import os

# string.Formatter().parse, without importing `string` (a report's run needs nothing else of it).
from _string import formatter_parser  # type: ignore[import-not-found]
from collections.abc import Iterable, Iterator

from . import TYPE_CHECKING, rx
from .diagnostics import Diagnostic, Edit, Fix, Severity, Span
from .packfiles import PackError, load_toml, packs_folder
from .patterns import PackPattern, finditer, literals, pack_pattern
from .rule import CODE_RE, GROUP_KEYS, GROUP_SCOPES, NAME_RE, Rule, RuleContext
from .textutil import CAP, capped, quote, unwrapped

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, ClassVar

KEY = "phrase-rule"
FIELDS = ("found", "quoted", "context", "what", "right")

# Keys every declaration may have, and what each must be (checked before anything is built);
# each kind adds its own (``PhraseRule.keys``).
_COMMON = {
    "code": str,
    "name": str,
    "kind": str,
    "severity": str,
    "summary": str,
    "explanation": str,
    "message": str,
    "help": str,
    "anchor": str,
    "examples_in": str,
    "templates": list,
    "group_by": str,
    "group_key": str,
    "text": str,
    "cap": int,
    "cap_what": str,
    "patterns": list,
}


class Entry:
    """One thing a phrase rule looks for: what it is called, what replaces it, its own message."""

    __slots__ = ("what", "right", "message", "help")

    def __init__(self, what: str = "", right: str = "", message: str = "", help: str = "") -> None:
        self.what = what
        self.right = right
        self.message = message
        self.help = help

    @property
    def order(self) -> str:
        """Of two entries matching the same text, the one ordered first is reported."""
        return self.right or self.what


class PhraseRule(Rule):
    """A rule declared in a pack (see the module docstring)."""

    abstract = True
    kind: ClassVar[str] = ""
    # Where the declaration came from; ``pack``: the user's pack it was declared in (the rule then
    # runs only on reports whose configuration names that pack), None for built-in and plugin packs.
    source: ClassVar[str] = ""
    pack: ClassVar[str | None] = None
    text: ClassVar[str] = "prose"  # "prose": the prose view (wrapped lines joined); "shadow"
    per_line: ClassVar[bool] = False  # one finding per line, listing every word found on it
    message: ClassVar[str] = ""
    help_text: ClassVar[str] = ""
    anchor_text: ClassVar[str] = ""
    fix_text: ClassVar[str] = ""
    cap: ClassVar[int] = CAP
    cap_what: ClassVar[str] = ""
    # What to look for: (pattern, entry) pairs; a literal pattern's entry is looked up by the match.
    searches: ClassVar[tuple[tuple[PackPattern, Entry | dict[str, Entry]], ...]] = ()

    def check(self, report: Any, ctx: RuleContext) -> Iterable[Diagnostic]:
        if self.pack is not None and (
            ctx.settings is None
            or self.pack not in ctx.settings.rule_packs
            or _CURRENT.get(self.source, {}).get(self.code) is not type(self)
        ):
            return  # not this report's configuration, or no longer what its pack declares
        if self.text == "prose":
            from .reflow import prose_view

            view = prose_view(report)
        else:
            view = report.doc.shadow
        text = view.text
        hits: list[tuple[int, int, Entry]] = []
        for pattern, entry in self.searches:
            for m in finditer(pattern, text):
                s, e = m.start(), m.end()
                # A pattern anchored on a preceding blank includes it; the words are what was found.
                while s < e and text[s].isspace():
                    s += 1
                if e > s:
                    hits.append((s, e, entry[m.group()] if isinstance(entry, dict) else entry))
        found = self._by_line(report, ctx, view, hits) if self.per_line else self._each(report, ctx, view, hits)
        yield from capped(ctx, found, self.cap_what, self.cap)

    def _fields(self, report: Any, span: Span, words: list[str], entry: Entry) -> dict[str, str]:
        doc = report.doc
        return {
            "found": words[0],
            "quoted": "、".join(f"「{quote(w, 16)}」" for w in words),
            "context": quote(doc.text[max(0, span.start - 6) : span.end + 6]),
            "what": entry.what,
            "right": entry.right,
        }

    def _each(self, report: Any, ctx: RuleContext, view: Any, hits: list) -> Iterator[Diagnostic]:
        last = -1
        for s, e, entry in sorted(hits, key=lambda h: (h[0], h[1], h[2].order)):
            if s < last:
                continue  # one place, one finding (a literal and a pattern may find the same slip)
            last = e
            span = Span(*view.span_to_source(s, e))
            shown = report.doc.slice(span)
            fields = self._fields(report, span, [unwrapped(shown).strip()], entry)
            yield self._diagnostic(ctx, span, fields, entry, shown == view.text[s:e])

    def _by_line(self, report: Any, ctx: RuleContext, view: Any, hits: list) -> Iterator[Diagnostic]:
        doc = report.doc
        by_line: dict[int, list[tuple[int, int]]] = {}
        for s, e, _ in hits:
            by_line.setdefault(doc.line_of(view.to_source(s)), []).append((s, e))
        for line in sorted(by_line):
            spans: list[tuple[int, int]] = []
            # Merged in source offsets: a space the shadow dropped (「09:30　阅读次数」) still separates.
            for s, e in sorted(view.span_to_source(s, e) for s, e in by_line[line]):
                if spans and s <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], max(e, spans[-1][1]))  # overlapping matches are one
                else:
                    spans.append((s, e))
            words = list(dict.fromkeys(doc.text[s:e].strip() for s, e in spans))
            span = Span(spans[0][0], spans[-1][1])
            yield self._diagnostic(ctx, span, self._fields(report, span, words, Entry()), Entry(), False)

    def _diagnostic(
        self, ctx: RuleContext, span: Span, fields: dict[str, str], entry: Entry, fixable: bool
    ) -> Diagnostic:
        fix = self.fix(span, fields, entry) if fixable else None
        return ctx.diagnostic(
            span,
            (entry.message or self.message).format_map(fields),
            help=(entry.help or self.help_text).format_map(fields) or None,
            fix=fix,
            anchor=self.anchor_text.format_map(fields),
        )

    def fix(self, span: Span, fields: dict[str, str], entry: Entry) -> Fix | None:
        """The fix of a finding whose source reads as the text matched (kinds that fix say how)."""
        return None

    # What a kind adds to the keys of a declaration, and to those of a table in its `patterns`.
    keys: ClassVar[dict[str, type]] = {}
    pattern_keys: ClassVar[dict[str, type]] = {}
    needs_right: ClassVar[bool] = False  # every pattern says what replaces its match

    @classmethod
    def searches_of(cls, entry: dict[str, Any], where: _Where) -> list[tuple[PackPattern, Entry | dict[str, Entry]]]:
        """What a declaration of this kind looks for (its own keys; ``patterns`` is common)."""
        raise NotImplementedError


class Existence(PhraseRule):
    """Words (``phrases``) and patterns that should not be in a report."""

    abstract = True
    kind = "existence"
    keys = {"phrases": list, "per_line": bool}
    pattern_keys = {"pattern": str, "what": str, "message": str, "help": str}

    @classmethod
    def searches_of(cls, entry: dict[str, Any], where: _Where) -> list[tuple[PackPattern, Entry | dict[str, Entry]]]:
        words = entry.get("phrases", [])
        if not all(isinstance(w, str) and w for w in words):
            raise where.error("phrases", "应为非空字符串的列表")
        lit = literals(tuple(words))
        return [] if lit is None else [(lit, Entry())]


class Substitution(PhraseRule):
    """Wrong forms of a term (``swap``, ``patterns`` with ``right``), and a fix to the right one."""

    abstract = True
    kind = "substitution"
    keys = {"swap": dict, "fix": str}
    pattern_keys = {"pattern": str, "right": str}
    needs_right = True

    @classmethod
    def searches_of(cls, entry: dict[str, Any], where: _Where) -> list[tuple[PackPattern, Entry | dict[str, Entry]]]:
        swap = entry.get("swap", {})
        if not all(isinstance(v, str) and v and k for k, v in swap.items()):
            raise where.error("swap", "应为「错误写法 = 正确写法」的表，两边都不能为空")
        lit = literals(tuple(swap))
        return [] if lit is None else [(lit, {k: Entry(right=v) for k, v in swap.items()})]

    def fix(self, span: Span, fields: dict[str, str], entry: Entry) -> Fix | None:
        if not self.fix_text or not entry.right:
            return None
        return Fix(self.fix_text.format_map(fields), (Edit(span, entry.right),))


# The kinds by name: a new kind is a new class here.
KINDS: dict[str, type[PhraseRule]] = {"existence": Existence, "substitution": Substitution}


class _Where:
    """Builds the Chinese message of a malformed declaration: which file, which rule, which key."""

    def __init__(self, source: str, index: int, code: Any) -> None:
        self.source, self.index, self.code = source, index, code
        # The packs shipped in rules/ are checked by the test suite (tests/test_phrase_rules.py
        # compiles every pattern): their patterns are compiled when a text first needs them.
        self.shipped = _shipped(source)

    def error(self, key: str, problem: str) -> PackError:
        who = f"（{self.code}）" if isinstance(self.code, str) and self.code else ""
        return PackError(f"规则包 {self.source} 的第 {self.index} 条 [[{KEY}]]{who}：`{key}` {problem}")


def _template(where: _Where, key: str, value: str) -> str:
    try:
        names = {f for _, f, _, _ in formatter_parser(value) if f is not None}
    except ValueError as e:
        raise where.error(key, f"不是合法的消息模板（{e}）；字面的花括号写作 {{{{ 和 }}}}") from None
    unknown = sorted(n for n in names if n not in FIELDS)
    if unknown:
        raise where.error(
            key, f"中的 {{{unknown[0]}}} 不是可用的字段（可用：{'、'.join('{' + f + '}' for f in FIELDS)}）"
        )
    return value


def _pattern(where: _Where, key: str, value: Any) -> PackPattern:
    if not isinstance(value, str) or not value:
        raise where.error(key, "应为非空的正则表达式字符串")
    if not where.shipped:
        try:
            rx.compile(value, rx.MULTILINE)
        except rx.error as e:
            raise where.error(key, f"不是合法的正则表达式（{e}）") from None
    return pack_pattern(value)


@functools.lru_cache(maxsize=32)
def _shipped(source: str) -> bool:
    try:
        return os.path.dirname(os.path.realpath(source)) == os.path.realpath(packs_folder())
    except (OSError, PackError):
        return False


def build(entry: Any, source: str, index: int, pack: str | None) -> type[PhraseRule]:
    """The rule class ``entry`` (the ``index``-th [[phrase-rule]] of ``source``) declares.

    Raises PackError, naming the file, the rule and the key, for anything malformed."""
    if not isinstance(entry, dict):
        raise PackError(f"规则包 {source} 的 {KEY} 应写作 [[{KEY}]] 表的数组")
    where = _Where(source, index, entry.get("code"))
    kind = entry.get("kind", "existence")
    if kind not in KINDS:
        raise where.error("kind", f"应为 {' 或 '.join(KINDS)}，而不是 {kind!r}")
    base = KINDS[kind]
    keys = {**_COMMON, **base.keys}
    for k, v in entry.items():
        if k not in keys:
            raise where.error(k, f"不是 {kind} 规则的键（可用的键：{'、'.join(keys)}）")
        if not isinstance(v, keys[k]) or (keys[k] is int and isinstance(v, bool)):
            raise where.error(k, f"的类型不对：应为{_TYPE_NAMES[keys[k]]}")
    for k in ("code", "name", "summary", "explanation", "message"):
        if not entry.get(k):
            raise where.error(k, "缺少（每条短语规则都要有 code、name、summary、explanation、message）")
    code, name = entry["code"], entry["name"]
    if not CODE_RE.match(code):
        raise where.error("code", f"应为 2—6 个大写字母加 3 位数字（如 GK901），而不是 {code!r}")
    if not NAME_RE.match(name):
        raise where.error("name", f"应为小写字母、数字和连字符组成的名称（如 my-phrase），而不是 {name!r}")
    try:
        severity = Severity.parse(entry.get("severity", "warning"))
    except ValueError as e:
        raise where.error("severity", str(e)) from None
    if "\n" in entry["summary"].strip():
        raise where.error("summary", "应为一行")
    group_by = entry.get("group_by")
    if group_by not in GROUP_SCOPES:
        raise where.error("group_by", f"应为 {'、'.join(str(g) for g in GROUP_SCOPES if g)} 之一")
    group_key = entry.get("group_key", "rule")
    if group_key not in GROUP_KEYS:
        raise where.error("group_key", f"应为 {'、'.join(GROUP_KEYS)} 之一")
    text = entry.get("text", "prose")
    if text not in ("prose", "shadow"):
        raise where.error("text", "应为 prose（版面折行合并后的正文）或 shadow（逐行的规范化文本）")
    if entry.get("cap", CAP) < 1:
        raise where.error("cap", "应为正整数")
    templates = tuple(str(t) for t in entry.get("templates", ()))
    searches = base.searches_of(entry, where)
    for i, p in enumerate(entry.get("patterns", []), 1):
        key = f"patterns[{i}]"
        if isinstance(p, str) and not base.needs_right:
            searches.append((_pattern(where, key, p), Entry()))
            continue
        if not isinstance(p, dict):
            raise where.error(
                key,
                "应为 { pattern = …, right = … } 表"
                if base.needs_right
                else "应为正则表达式字符串或 { pattern = … } 表",
            )
        for k, v in p.items():
            if k not in base.pattern_keys or not isinstance(v, str):
                raise where.error(f"{key}.{k}", f"不是可用的键（可用：{'、'.join(base.pattern_keys)}，值为字符串）")
        if base.needs_right and not p.get("right"):
            raise where.error(f"{key}.right", "缺少：替换规则的每个模式都要写正确写法 right")
        searches.append(
            (
                _pattern(where, f"{key}.pattern", p.get("pattern")),
                Entry(
                    what=p.get("what", ""),
                    right=p.get("right", ""),
                    message=_template(where, f"{key}.message", p.get("message", "")),
                    help=_template(where, f"{key}.help", p.get("help", "")),
                ),
            )
        )
    if not searches:
        raise where.error(
            "patterns",
            "和 swap 都为空：规则没有可替换的内容" if base.needs_right else "和 phrases 都为空：规则没有可查找的内容",
        )
    fix_text = _template(where, "fix", entry.get("fix", "改为「{right}」")) if "fix" in base.keys else ""
    attrs: dict[str, Any] = {
        "__doc__": entry["summary"].strip() + "\n\n" + entry["explanation"].strip(),
        "__module__": __name__,
        "code": code,
        "name": name,
        "default_severity": severity,
        "templates": templates,
        "examples_in": entry.get("examples_in", ""),
        "group_by": group_by,
        "group_key": group_key,
        "fixable": bool(fix_text),
        "source": source,
        "pack": pack,
        "text": text,
        "per_line": bool(entry.get("per_line", False)),
        "message": _template(where, "message", entry["message"]),
        "help_text": _template(where, "help", entry.get("help", "")),
        "anchor_text": _template(where, "anchor", entry.get("anchor", f"{name}:{{found}}")),
        "fix_text": fix_text,
        "cap": int(entry.get("cap", CAP)),
        "cap_what": entry.get("cap_what", "同类问题"),
        "searches": tuple(searches),
    }
    return type(f"Declared{code}", (base,), attrs)


_TYPE_NAMES = {str: "字符串", list: "数组", dict: "表", int: "整数", bool: "true 或 false"}

# Declarations built so far, by (source, code): (declaration, class). The same declaration read
# again (packs are read once per file version) is the same class.
_BUILT: dict[tuple[str, str], tuple[dict[str, Any], type[PhraseRule]]] = {}
# What each pack declared when last read: a rule its (edited) pack no longer declares does not run.
_CURRENT: dict[str, dict[str, type[PhraseRule]]] = {}


def rules_in(path: str | Path, pack: str | None = None) -> list[type[PhraseRule]]:
    """The phrase rules the pack at ``path`` declares (none when it declares none).

    ``pack``: the pack as the configuration names it, for a user's pack (its rules then run only
    where that configuration applies); None for built-in and plugin packs."""
    data = load_toml(path)
    declared = data.get(KEY)
    source = str(path)
    if declared is None:
        _CURRENT.pop(source, None)
        return []
    if not isinstance(declared, list):
        raise PackError(f"规则包 {source} 的 {KEY} 应写作 [[{KEY}]] 表的数组")
    out = []
    for i, entry in enumerate(declared, 1):
        code = entry.get("code") if isinstance(entry, dict) else None
        hit = _BUILT.get((source, code)) if isinstance(code, str) else None
        if hit is not None and hit[0] == entry:
            out.append(hit[1])
            continue
        cls = build(entry, source, i, pack)
        _BUILT[(source, cls.code)] = (entry, cls)
        out.append(cls)
    _CURRENT[source] = {cls.code: cls for cls in out}
    return out


def declare_pack_rules(packs: Iterable[str]) -> None:
    """Register the phrase rules that the user's ``packs`` declare (``rule-packs`` in the
    configuration), so that the registry, ``gikcheck rules`` and ``explain`` know them.

    A code or name that another rule already has is refused (PackError): codes are a contract."""
    from . import registry

    registry.all_rules()  # the built-in rules first: a pack cannot take their codes
    new: list[type[Rule]] = []
    for p in packs:
        for cls in rules_in(p, pack=p):
            have = registry.rule_by_code(cls.code) or registry.rule_by_code(cls.name)
            if have is cls:
                continue
            if have is not None and not (have.code == cls.code and getattr(have, "source", None) == cls.source):
                clash = "代码" if have.code == cls.code else "名称"
                by = getattr(have, "source", "") or have.__module__
                raise PackError(
                    f"规则包 {p} 声明的规则 {cls.code}（{cls.name}）的{clash}已被 {by} 中的规则 "
                    f"{have.code}（{have.name}）使用；新规则请用新的代码，如 GK9xx 或插件自己的前缀"
                )
            new.append(cls)  # new, or its pack was edited since
    if new:
        registry.declare(new)
