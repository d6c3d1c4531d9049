"""Figures in running text: a number with its unit, where it stands, and its clause.

A figure is found on the normalised shadow of the text (full-width folded,
traditional → simplified) and keeps the span of the original text, so a
diagnostic points at "１２件" or "十二條" exactly as the drafter wrote it.
What the figure counts is the business of :mod:`gikcheck.prose.subjects`;
this module only knows numbers, units, clauses and sentences.
"""
from __future__ import annotations

import bisect
import re
import functools
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

import regex

from ..diagnostics import Span
from ..normalize import Shadow, make_shadow

_TIMEOUT = 2.0  # seconds; a pathological input must not hang the run
_LEAD = 120     # characters a figure's lead reaches back at most (subjects are short)

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "零〇一二两三四五六七八九十百千"

# Used when no knowledge pack is at hand (unit tests of the extractor).
_DEFAULT_UNITS = ("万元", "人次", "元", "条", "件", "个", "项", "次", "起", "篇", "期", "场", "份", "家", "%")
_DEFAULT_COUNT_UNITS = ("条", "件", "个", "项", "次", "起", "篇", "期", "场", "份", "家", "人次")


def cn_to_number(s: str) -> int:
    """Value of a Chinese numeral: 十二 → 12, 两千零五 → 2005, 三万五千 → 35000, 一二 → 12.

    Raises ValueError for text that is not a numeral.
    """
    if not s:
        raise ValueError("empty numeral")
    if all(c in _CN_DIGIT for c in s):  # digit by digit: 二〇二二
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[c]
            digit = None
        elif c in _CN_BIG:
            section += digit or 0
            total += (section or 1) * _CN_BIG[c]
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + (digit or 0)


@dataclass(frozen=True)
class Figure:
    """A number with its unit, as stated in the text."""

    value: float | int      # the multiplier applied (1.2万条 → 12000); 万元 keeps its unit
    unit: str               # 条 件 个 项 次 … 万元 元 %
    span: Span              # the original text of number, multiplier, 余/多 and unit
    start: int              # the same in the shadow
    end: int
    number: str             # the number as matched in the shadow ("12", "十二", "1,742")
    approx: bool = False    # 余, 多, 约, 近, 左右 …
    decimals: int = 0       # digits after the decimal point, as shown

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def shown(self) -> str:
        """The value as the message should show it (12, 12.4%)."""
        v = f"{self.value:.{self.decimals}f}" if self.decimals else f"{int(self.value)}"
        return v + ("%" if self.is_percent else "")


def _unit_alt(units: Sequence[str]) -> str:
    return "|".join(regex.escape(u) for u in sorted(units, key=len, reverse=True))


@functools.lru_cache(maxsize=8)
def _figure_regex(units: tuple[str, ...]) -> regex.Pattern:
    # Bounded repetitions: a run of 10^5 digits must cost linear time and no giant int().
    cn = f"[{_CN_CHARS}]{{1,12}}(?:[万亿][{_CN_CHARS}]{{1,12}})?"
    return regex.compile(
        rf"(?:百分之(?P<pcn>{cn}|\d{{1,3}}(?:\.\d{{1,6}})?))"
        rf"|(?<![\d.])(?P<num>\d{{1,3}}(?:,\d{{3}}){{1,5}}(?![\d.])|\d{{1,15}}(?:\.\d{{1,6}})?|{cn})"
        rf"(?P<mult>万|亿)?(?P<approx>余|多|来)?(?P<unit>{_unit_alt(units)})"
    )


@functools.lru_cache(maxsize=1)
def _default_config() -> dict[str, Any]:
    from ..templates import PackError, load_knowledge

    try:
        return load_knowledge().extra.get("prose", {})
    except PackError:  # pragma: no cover - a broken install; the extractor still works
        return {}


def prose_config(knowledge: Any = None) -> dict[str, Any]:
    """The data of rules/prose.toml (from ``knowledge`` when given)."""
    if knowledge is not None:
        return knowledge.extra.get("prose", {})
    return _default_config()


def _parse_number(m: regex.Match) -> tuple[float | int, int] | None:
    """Value and shown decimals of a match; None when it is not a number after all."""
    if m.group("pcn") is not None:
        t = m.group("pcn")
    else:
        t = m.group("num")
    if t[0].isdigit():
        t = t.replace(",", "")
        if "." in t:
            return float(t), len(t.split(".", 1)[1])
        return int(t), 0
    try:
        return cn_to_number(t), 0
    except ValueError:
        return None


def _matches(pattern: regex.Pattern, text: str, pos: int = 0, endpos: int | None = None):
    """finditer that stops quietly at the timeout: a hostile input loses figures, never hangs the run."""
    try:
        yield from pattern.finditer(text, pos, len(text) if endpos is None else endpos, timeout=_TIMEOUT)
    except TimeoutError:
        return


def _positions(pattern: str, text: str) -> list[int]:
    # A character class of punctuation: linear, so the faster stdlib engine is safe here.
    return [m.start() for m in re.finditer(pattern, text)]


class ProseText:
    """The shadow of a source text with its figures, clauses and sentences.

    ``exclude``: source spans whose figures are not prose (the tables).
    """

    def __init__(self, source: str, shadow: Shadow | None = None, config: dict[str, Any] | None = None,
                 exclude: Iterable[Span] = ()) -> None:
        self.source = source
        self.shadow = shadow if shadow is not None else make_shadow(source)
        self.text = self.shadow.text
        self.config = config if config is not None else prose_config()
        fig_cfg = self.config.get("figures", {})
        st = self.config.get("structure", {})
        self.units = tuple(fig_cfg.get("units", _DEFAULT_UNITS))
        self.count_units = frozenset(fig_cfg.get("count_units", _DEFAULT_COUNT_UNITS))
        self._approx_before = regex.compile(fig_cfg.get("approx_before", r"(?:约|近|逾|超过)$"))
        self._approx_after = regex.compile(fig_cfg.get("approx_after", r"^(?:左右|以上)"))
        self._not_count = regex.compile(fig_cfg.get("not_count_before", r"第$"))
        self._not_cn = regex.compile(fig_cfg.get("not_cn_before", r"[统唯]$"))
        self._approx_round = regex.compile(fig_cfg.get("approx_round_before", r"[上数几]$"))
        clause_marks = st.get("clause_marks", ",;:()")
        sentence_marks = st.get("sentence_marks", "。!?\n")
        # One pass over the text; sentence and line ends are a subset of the clause marks.
        self._clause_pos = _positions(f"[{re.escape(sentence_marks + clause_marks)}]", self.text)
        text = self.text
        self._sentence_pos = [i for i in self._clause_pos if text[i] in sentence_marks]
        self._line_pos = [i for i in self._sentence_pos if text[i] == "\n"]
        self._exclude = sorted(exclude, key=lambda s: s.start)
        self._ex_starts = [s.start for s in self._exclude]
        self.figures: list[Figure] = self._extract()
        self._fig_starts = [f.start for f in self.figures]

    # --- figures ---------------------------------------------------------
    def excluded(self, span: Span) -> bool:
        """Whether a source span starts inside an excluded region (a table)."""
        i = bisect.bisect_right(self._ex_starts, span.start) - 1
        return i >= 0 and self._exclude[i].start <= span.start < self._exclude[i].end

    def _prose_segments(self) -> Iterator[tuple[int, int]]:
        """Shadow ranges outside the excluded regions: tables hold hundreds of numbers that are no prose."""
        pos = 0
        for ex in self._exclude:
            s, e = self.shadow.from_source(ex.start), self.shadow.from_source(ex.end)
            if s > pos:
                yield pos, s
            pos = max(pos, e)
        if pos < len(self.text):
            yield pos, len(self.text)

    def _extract(self) -> list[Figure]:
        out: list[Figure] = []
        text = self.text
        pattern = _figure_regex(self.units)
        for m in (m for a, b in self._prose_segments() for m in _matches(pattern, text, a, b)):
            s0, s1 = m.span()
            before = text[max(0, s0 - 4):s0]
            if self._not_count.search(before):
                continue
            if m.group("num") is not None and m.group("num")[0] in _CN_CHARS and (
                    (s0 and text[s0 - 1] in _CN_CHARS) or self._not_cn.search(before)):
                continue  # a numeral inside a word (统一项目, 十一五), not a count
            parsed = _parse_number(m)
            if parsed is None:
                continue
            value, decimals = parsed
            unit = "%" if m.group("pcn") is not None else m.group("unit")
            if m.group("num") is not None and "," in m.group("num"):
                # A digit-group comma must be an ASCII comma in the source, not a folded "，" of a list.
                first = self.shadow.to_source(s0 + m.group("num").index(","))
                if self.source[first:first + 1] != ",":
                    continue
            mult = m.group("mult") if m.group("pcn") is None else None
            if mult == "万" and unit == "元":
                unit = "万元"
            elif mult:
                value = value * _CN_BIG[mult]
                if isinstance(value, float) and value.is_integer():
                    value, decimals = int(value), 0
            approx = bool(m.group("approx") if m.group("pcn") is None else False)
            approx = approx or bool(self._approx_before.search(text[max(0, s0 - 2):s0]))
            approx = approx or (m.group("num") is not None and m.group("num")[0] in "十百千"
                                and bool(self._approx_round.search(before)))
            approx = approx or bool(self._approx_after.match(text[s1:s1 + 2]))
            src = Span(*self.shadow.span_to_source(s0, s1))
            if self.excluded(src):
                continue
            out.append(Figure(value=value, unit=unit, span=src, start=s0, end=s1, number=m.group("pcn") or m.group("num"),
                              approx=approx, decimals=decimals))
        return out

    def figures_between(self, start: int, end: int) -> list[Figure]:
        i = bisect.bisect_left(self._fig_starts, start)
        j = bisect.bisect_left(self._fig_starts, end)
        return self.figures[i:j]

    def previous_figure(self, fig: Figure) -> Figure | None:
        i = bisect.bisect_left(self._fig_starts, fig.start)
        return self.figures[i - 1] if i > 0 else None

    def next_figure(self, fig: Figure) -> Figure | None:
        i = bisect.bisect_right(self._fig_starts, fig.start)
        return self.figures[i] if i < len(self.figures) else None

    # --- clauses and sentences --------------------------------------------
    @staticmethod
    def _start(marks: list[int], pos: int) -> int:
        i = bisect.bisect_left(marks, pos) - 1
        return marks[i] + 1 if i >= 0 else 0

    def _end(self, marks: list[int], pos: int) -> int:
        i = bisect.bisect_left(marks, pos)
        return marks[i] if i < len(marks) else len(self.text)

    def clause_start(self, pos: int) -> int:
        return self._start(self._clause_pos, pos)

    def clause_end(self, pos: int) -> int:
        return self._end(self._clause_pos, pos)

    def sentence_start(self, pos: int) -> int:
        return self._start(self._sentence_pos, pos)

    def sentence_end(self, pos: int) -> int:
        """Offset of the sentence mark ending the sentence at ``pos`` (or the text's end)."""
        return self._end(self._sentence_pos, pos)

    def line_end(self, pos: int) -> int:
        return self._end(self._line_pos, pos)

    def line_start(self, pos: int) -> int:
        return self._start(self._line_pos, pos)

    def lead_start(self, fig: Figure) -> int:
        start = max(self.clause_start(fig.start), fig.start - _LEAD)
        prev = self.previous_figure(fig)
        if prev is not None and prev.end > start:
            start = prev.end
        return start

    def lead(self, fig: Figure) -> str:
        """The clause's text before the figure, after any earlier figure in it (概况信息 in 概况信息2条)."""
        return self.text[self.lead_start(fig):fig.start].lstrip("、 \t")

    def tail(self, fig: Figure, limit: int = 40) -> str:
        """The text after the figure up to the end of the sentence (at most ``limit`` characters)."""
        return self.text[fig.end:min(self.sentence_end(fig.end), fig.end + limit)]

    def clause_tail(self, fig: Figure) -> str:
        end = min(self.clause_end(fig.end), fig.end + _LEAD)
        nxt = self.next_figure(fig)
        if nxt is not None and nxt.start < end:
            end = nxt.start
        return self.text[fig.end:end]

    def source_span(self, start: int, end: int) -> Span:
        return Span(*self.shadow.span_to_source(start, end))

    def label(self, fig: Figure) -> str:
        """The words naming what ``fig`` counts (概况信息 in 概况信息2条); segments with jieba on first use."""
        from .subjects import subject_label

        return subject_label(self.lead(fig), self.config)


def extract_figures(text: str, config: dict[str, Any] | None = None, exclude: Iterable[Span] = ()) -> list[Figure]:
    """All figures of ``text`` (spans into ``text`` itself)."""
    return ProseText(text, config=config, exclude=exclude).figures
