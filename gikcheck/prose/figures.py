"""Figures in running text: a number with its unit, where it stands, and its clause.

A figure is found on the normalised shadow of the text (full-width folded,
traditional → simplified) and keeps the span of the original text, so a
diagnostic points at "１２件" or "十二條" exactly as the drafter wrote it.
What the figure counts is the business of :mod:`gikcheck.prose.subjects`;
this module only knows numbers, units, clauses and sentences.
"""
from __future__ import annotations

import bisect
import functools
import re
from itertools import accumulate
from typing import Any, Iterable, Iterator, Sequence

import regex

from ..diagnostics import Span
from ..normalize import Shadow, make_shadow
from .memo import per_config, verdicts

_TIMEOUT = 2.0  # seconds; a pathological input must not hang the run
_UNTIMED = 50_000  # characters of text the figure pattern is run on without a time limit
_LEAD = 120     # characters a figure's lead reaches back at most (subjects are short)

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "零〇一二两三四五六七八九十百千"
_LINE_BREAK = re.compile("\n")

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


class Figure:
    """A number with its unit, as stated in the text."""

    # The source span is kept as two numbers: a report has hundreds of figures, and every
    # object that outlives the rules adds to the garbage collector's work.
    __slots__ = ("value", "unit", "src_start", "src_end", "start", "end", "number", "approx", "decimals")

    def __init__(self, value: float | int, unit: str, src_start: int, src_end: int, start: int, end: int,
                 number: str, approx: bool = False, decimals: int = 0) -> None:
        self.value = value          # the multiplier applied (1.2万条 → 12000); 万元 keeps its unit
        self.unit = unit            # 条 件 个 项 次 … 万元 元 %
        self.src_start = src_start  # the original text of number, multiplier, 余/多 and unit
        self.src_end = src_end
        self.start = start          # the same in the shadow
        self.end = end
        self.number = number        # the number as matched in the shadow ("12", "十二", "1,742")
        self.approx = approx        # 余, 多, 约, 近, 左右 …
        self.decimals = decimals    # digits after the decimal point, as shown

    @property
    def span(self) -> Span:
        return Span(self.src_start, self.src_end)

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def shown(self) -> str:
        """The value as the message should show it (12, 12.4%)."""
        v = f"{self.value:.{self.decimals}f}" if self.decimals else f"{int(self.value)}"
        return v + ("%" if self.is_percent else "")


def _unit_alt(units: Sequence[str]) -> str:
    return "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))


@functools.lru_cache(maxsize=8)
def _figure_pattern(units: tuple[str, ...]) -> str:
    # Bounded repetitions: a run of 10^5 digits must cost linear time and no giant int().
    cn = f"[{_CN_CHARS}]{{1,12}}(?:[万亿][{_CN_CHARS}]{{1,12}})?"
    return (
        rf"(?:百分之(?P<pcn>{cn}|\d{{1,3}}(?:\.\d{{1,6}})?))"
        rf"|(?<![\d.])(?P<num>\d{{1,3}}(?:,\d{{3}}){{1,5}}(?![\d.])|\d{{1,15}}(?:\.\d{{1,6}})?|{cn})"
        rf"(?P<mult>万|亿)?(?P<approx>余|多|来)?(?P<unit>{_unit_alt(units)})"
    )


@functools.lru_cache(maxsize=8)
def _figure_re(units: tuple[str, ...]) -> re.Pattern:
    """The figure pattern on the stdlib engine, which is faster here; fixed and bounded, so linear.

    A match can only start at a digit or a Chinese numeral (百 of 百分之 is one): the lookahead
    says so and lets the engine skip the rest of the text quickly.
    """
    return re.compile(rf"(?=[\d{_CN_CHARS}])(?:{_figure_pattern(units)})")


@functools.lru_cache(maxsize=8)
def _figure_regex(units: tuple[str, ...]) -> regex.Pattern:
    """The same pattern with ``regex``'s time limit, for long texts."""
    return regex.compile(_figure_pattern(units))


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


def _matches(units: tuple[str, ...], text: str, pos: int, endpos: int) -> Iterator[re.Match | regex.Match]:
    """The figure pattern's matches in text[pos:endpos].

    Up to ``_UNTIMED`` characters even the worst text (runs of Chinese numerals, a few µs a
    character) takes a fraction of a second; beyond, a time limit stops quietly: a hostile input
    loses figures, never hangs the run.
    """
    if endpos - pos <= _UNTIMED:
        return _figure_re(units).finditer(text, pos, endpos)
    return _timed_matches(_figure_regex(units), text, pos, endpos)


def _timed_matches(pattern: regex.Pattern, text: str, pos: int, endpos: int) -> Iterator[regex.Match]:
    try:
        yield from pattern.finditer(text, pos, endpos, timeout=_TIMEOUT)
    except TimeoutError:
        return


def _positions(marks: re.Pattern, text: str) -> list[int]:
    """Offsets of the one-character matches of ``marks``: running sums over a split, all in C."""
    pieces = marks.split(text)
    return list(accumulate(map((1).__add__, map(len, pieces[:-1])), initial=-1))[1:]


class _Rules:
    """The [figures] and [structure] data of a configuration, compiled, with memos of their verdicts."""

    def __init__(self, config: dict[str, Any]) -> None:
        fig_cfg = config.get("figures", {})
        st = config.get("structure", {})
        self.units = tuple(fig_cfg.get("units", _DEFAULT_UNITS))
        self.count_units = frozenset(fig_cfg.get("count_units", _DEFAULT_COUNT_UNITS))
        self.approx_before = verdicts(regex.compile(fig_cfg.get("approx_before", r"(?:约|近|逾|超过)$")).search)
        self.approx_after = verdicts(regex.compile(fig_cfg.get("approx_after", r"^(?:左右|以上)")).match)
        self.not_count = verdicts(regex.compile(fig_cfg.get("not_count_before", r"第$")).search)
        self.not_cn = verdicts(regex.compile(fig_cfg.get("not_cn_before", r"[统唯]$")).search)
        self.approx_round = verdicts(regex.compile(fig_cfg.get("approx_round_before", r"[上数几]$")).search)
        self.sentence_marks = st.get("sentence_marks", "。!?\n")
        # A character class of punctuation: linear, so the faster stdlib engine is safe here.
        self.clause_marks = re.compile(f"[{re.escape(self.sentence_marks + st.get('clause_marks', ',;:()'))}]")
        self.lines = "\n" in self.sentence_marks  # line ends are sentence marks, or not known at all


class ProseText:
    """The shadow of a source text with its figures, clauses and sentences.

    ``exclude``: source spans whose figures are not prose (the tables).
    """

    def __init__(self, source: str, shadow: Shadow | None = None, config: dict[str, Any] | None = None,
                 exclude: Iterable[Span] = ()) -> None:
        self.source = source
        self.shadow = shadow if shadow is not None else make_shadow(source)
        self.text = text = self.shadow.text
        self.config = config if config is not None else prose_config()
        rules = per_config(_Rules, self.config)
        self.units = rules.units
        self.count_units = rules.count_units
        # Sentence and line ends are a subset of the clause marks.
        self._clause_pos = _positions(rules.clause_marks, text)
        self._sentence_pos = [i for i in self._clause_pos if text[i] in rules.sentence_marks]
        self._exclude = sorted(exclude, key=lambda s: s.start)
        self._ex_starts = [s.start for s in self._exclude]
        # Per figure start, filled by _extract: lead(), and where clause_lead() starts.
        self._leads: dict[int, str] = {}
        self._clause_leads: dict[int, int] = {}
        self._lines = rules.lines
        self.figures: list[Figure] = self._extract(rules)
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

    def _extract(self, rules: _Rules) -> list[Figure]:
        out: list[Figure] = []
        text, source, shadow = self.text, self.source, self.shadow
        leads, clause_leads = self._leads, self._clause_leads
        marks, exclude, ex_starts = self._clause_pos, self._exclude, self._ex_starts
        k = 0  # clause marks before the current figure (figures come in text order)
        for a, b in self._prose_segments():
            for m in _matches(rules.units, text, a, b):
                s0, s1 = m.span()
                pcn, num, mult, approx, unit = m.groups()
                before = text[s0 - 4:s0] if s0 >= 4 else text[:s0]
                if rules.not_count[before]:
                    continue
                if num is not None and num[0] in _CN_CHARS and (
                        (s0 and text[s0 - 1] in _CN_CHARS) or rules.not_cn[before]):
                    continue  # a numeral inside a word (统一项目, 十一五), not a count
                number = num if pcn is None else pcn
                if number[0].isdigit():
                    t = number.replace(",", "")
                    if "." in t:
                        value, decimals = float(t), len(t.split(".", 1)[1])
                    else:
                        value, decimals = int(t), 0
                else:
                    try:
                        value, decimals = cn_to_number(number), 0
                    except ValueError:
                        continue
                if pcn is not None:  # 百分之…: the other groups did not take part
                    unit = "%"
                elif "," in num:
                    # A digit-group comma must be an ASCII comma in the source, not a folded "，" of a list.
                    first = shadow.to_source(s0 + num.index(","))
                    if source[first:first + 1] != ",":
                        continue
                if mult == "万" and unit == "元":
                    unit = "万元"
                elif mult:
                    value = value * _CN_BIG[mult]
                    if isinstance(value, float) and value.is_integer():
                        value, decimals = int(value), 0
                # text[max(0, s0 - 2):s0] is the end of ``before``
                is_approx = (approx is not None or rules.approx_before[before[-2:]]
                             or (num is not None and num[0] in "十百千" and rules.approx_round[before])
                             or rules.approx_after[text[s1:s1 + 2]])
                src_start, src_end = shadow.span_to_source(s0, s1)
                i = bisect.bisect_right(ex_starts, src_start) - 1  # as excluded(), inline: once per figure
                if i >= 0 and src_start < exclude[i].end:
                    continue
                # The clause before the figure, and its lead: the part after any earlier figure.
                k = bisect.bisect_left(marks, s0, k)
                start = marks[k - 1] + 1 if k else 0
                if start < s0 - _LEAD:
                    start = s0 - _LEAD
                clause_leads[s0] = start
                if out and out[-1].end > start:
                    start = out[-1].end
                leads[s0] = text[start:s0].lstrip("、 \t")
                out.append(Figure(value, unit, src_start, src_end, s0, s1, number, is_approx, decimals))
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
    @functools.cached_property
    def _line_pos(self) -> list[int]:
        return _positions(_LINE_BREAK, self.text) if self._lines else []

    def clause_start(self, pos: int) -> int:
        i = bisect.bisect_left(self._clause_pos, pos)
        return self._clause_pos[i - 1] + 1 if i else 0

    def clause_end(self, pos: int) -> int:
        i = bisect.bisect_left(self._clause_pos, pos)
        return self._clause_pos[i] if i < len(self._clause_pos) else len(self.text)

    def sentence_start(self, pos: int) -> int:
        i = bisect.bisect_left(self._sentence_pos, pos)
        return self._sentence_pos[i - 1] + 1 if i else 0

    def sentence_end(self, pos: int) -> int:
        """Offset of the sentence mark ending the sentence at ``pos`` (or the text's end)."""
        i = bisect.bisect_left(self._sentence_pos, pos)
        return self._sentence_pos[i] if i < len(self._sentence_pos) else len(self.text)

    def line_end(self, pos: int) -> int:
        i = bisect.bisect_left(self._line_pos, pos)
        return self._line_pos[i] if i < len(self._line_pos) else len(self.text)

    def line_start(self, pos: int) -> int:
        i = bisect.bisect_left(self._line_pos, pos)
        return self._line_pos[i - 1] + 1 if i else 0

    def lead_start(self, fig: Figure) -> int:
        start = max(self.clause_start(fig.start), fig.start - _LEAD)
        prev = self.previous_figure(fig)
        if prev is not None and prev.end > start:
            start = prev.end
        return start

    def lead(self, fig: Figure) -> str:
        """The clause's text before the figure, after any earlier figure in it (概况信息 in 概况信息2条)."""
        lead = self._leads.get(fig.start)
        if lead is None:  # a figure found elsewhere
            lead = self.text[self.lead_start(fig):fig.start].lstrip("、 \t")
        return lead

    def clause_lead(self, fig: Figure) -> str:
        """The whole clause before the figure, earlier figures included (at most 120 characters)."""
        start = self._clause_leads.get(fig.start)
        if start is None:  # a figure found elsewhere
            start = max(self.clause_start(fig.start), fig.start - _LEAD)
        return self.text[start:fig.start]

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
