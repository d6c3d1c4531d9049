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
from collections.abc import Iterable, Iterator, Sequence

from .. import TYPE_CHECKING, rx
from ..diagnostics import Span
from ..memo import Memo, per_config, verdicts
from ..normalize import Shadow, make_shadow
from .marks import Marks

if TYPE_CHECKING:
    from typing import Any

    import regex

_TIMEOUT = 2.0  # seconds; a pathological input must not hang the run
_UNTIMED = 50_000  # characters of text the figure pattern is run on without a time limit
_LEAD = 120  # characters a figure's lead reaches back at most (subjects are short)

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


class Figure:
    """A number with its unit, as stated in the text."""

    # The source span is kept as two numbers: a report has hundreds of figures, and every
    # object that outlives the rules adds to the garbage collector's work.
    __slots__ = ("value", "unit", "src_start", "src_end", "start", "end", "number", "approx", "decimals")

    def __init__(
        self,
        value: float | int,
        unit: str,
        src_start: int,
        src_end: int,
        start: int,
        end: int,
        number: str,
        approx: bool = False,
        decimals: int = 0,
    ) -> None:
        self.value = value  # the multiplier applied (1.2万条 → 12000); 万元 keeps its unit
        self.unit = unit  # 条 件 个 项 次 … 万元 元 %
        self.src_start = src_start  # the original text of number, multiplier, 余/多 and unit
        self.src_end = src_end
        self.start = start  # the same in the shadow
        self.end = end
        self.number = number  # the number as matched in the shadow ("12", "十二", "1,742")
        self.approx = approx  # 余, 多, 约, 近, 左右 …
        self.decimals = decimals  # digits after the decimal point, as shown

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
    return rx.compile(_figure_pattern(units))


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


class _Rules:
    """The [figures] and [structure] data of a configuration, compiled, with memos of their verdicts."""

    def __init__(self, config: dict[str, Any]) -> None:
        fig_cfg = config.get("figures", {})
        st = config.get("structure", {})
        self.units = tuple(fig_cfg.get("units", _DEFAULT_UNITS))
        self.count_units = frozenset(fig_cfg.get("count_units", _DEFAULT_COUNT_UNITS))
        approx_before = rx.compile(fig_cfg.get("approx_before", r"(?:约|近|逾|超过)$")).search
        not_count = rx.compile(fig_cfg.get("not_count_before", r"第$")).search
        not_cn = rx.compile(fig_cfg.get("not_cn_before", r"[统唯]$")).search
        approx_round = rx.compile(fig_cfg.get("approx_round_before", r"[上数几]$")).search
        # What the (up to) four characters before a number say, in one lookup: (not a count, approximate,
        # approximate before a bare 十/百/千, a Chinese numeral inside a word).
        self.before = Memo(
            lambda b: (bool(not_count(b)), bool(approx_before(b[-2:])), bool(approx_round(b)), bool(not_cn(b)))
        )
        self.approx_after = verdicts(rx.compile(fig_cfg.get("approx_after", r"^(?:左右|以上)")).match)
        self.sentence_marks = st.get("sentence_marks", "。!?\n")
        self.clause_marks = self.sentence_marks + st.get("clause_marks", ",;:()")
        self.lines = "\n" in self.sentence_marks  # line ends are sentence marks, or not known at all


class ProseText:
    """The shadow of a source text with its figures, clauses and sentences.

    ``exclude``: source spans whose figures are not prose (the tables).
    """

    def __init__(
        self,
        source: str,
        shadow: Shadow | None = None,
        config: dict[str, Any] | None = None,
        exclude: Iterable[Span] = (),
    ) -> None:
        self.source = source
        self.shadow = shadow if shadow is not None else make_shadow(source)
        self.text = text = self.shadow.text
        self.config = config if config is not None else prose_config()
        rules = per_config(_Rules, self.config)
        self.units = rules.units
        self.count_units = rules.count_units
        # Where clauses (sentence marks end them too), sentences and lines end; lines are only
        # known when line ends are sentence marks.
        self.clauses = Marks(text, rules.clause_marks)
        self.sentences = Marks(text, rules.sentence_marks)
        self.lines = Marks(text, "\n" if rules.lines else "")
        self._exclude = sorted(exclude, key=lambda s: s.start)
        self._ex_starts = [s.start for s in self._exclude]
        # Per figure, in the order of ``figures``, filled by _extract: where it starts, its lead(),
        # and where its clause_lead() starts. Rules that go through all figures read these lists.
        self.starts: list[int] = []
        self.leads: list[str] = []
        self.clause_starts: list[int] = []
        self.figures: list[Figure] = self._extract(rules)

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
        append = out.append
        text, source, shadow = self.text, self.source, self.shadow
        add_start, add_lead, add_clause_start = self.starts.append, self.leads.append, self.clause_starts.append
        exclude, ex_starts = self._exclude, self._ex_starts
        # clause_start(), inline: the last clause mark within _LEAD characters before a figure.
        clause_rfind, clause_mark = self.clauses.text.rfind, self.clauses.mark
        before_says, approx_after = rules.before, rules.approx_after
        # Without an offset map a figure's spans are the same in both texts, and a figure found
        # between the tables cannot start inside one: the map and the table test are skipped.
        identity = shadow.origin is None
        bisect_right = bisect.bisect_right
        prev_end = 0  # where the previous figure ends
        for a, b in self._prose_segments():
            for m in _matches(rules.units, text, a, b):
                s0, s1 = m.span()
                pcn, num, mult, approx, unit = m.groups()
                before = text[s0 - 4 : s0] if s0 >= 4 else text[:s0]
                not_count, near, round_near, in_word = before_says[before]
                if not_count:
                    continue
                number = num if pcn is None else pcn
                value: int | float
                if number.isdigit():  # the common case: plain digits
                    value, decimals = int(number), 0
                elif number[0].isdigit():
                    t = number.replace(",", "")
                    if "." in t:
                        value, decimals = float(t), len(t.split(".", 1)[1])
                    else:
                        value, decimals = int(t), 0
                else:
                    if num is not None and ((s0 and text[s0 - 1] in _CN_CHARS) or in_word):
                        continue  # a numeral inside a word (统一项目, 十一五), not a count
                    try:
                        value, decimals = cn_to_number(number), 0
                    except ValueError:
                        continue
                if pcn is not None:  # 百分之…: the other groups did not take part
                    unit = "%"
                elif "," in num:
                    # A digit-group comma must be an ASCII comma in the source, not a folded "，" of a list.
                    first = shadow.to_source(s0 + num.index(","))
                    if source[first : first + 1] != ",":
                        continue
                if mult is not None:
                    if mult == "万" and unit == "元":
                        unit = "万元"
                    else:
                        value = value * _CN_BIG[mult]
                        if isinstance(value, float) and value.is_integer():
                            value, decimals = int(value), 0
                is_approx = (
                    approx is not None
                    or near
                    or (num is not None and num[0] in "十百千" and round_near)
                    or approx_after[text[s1 : s1 + 2]]
                )
                if identity:
                    src_start, src_end = s0, s1
                else:
                    src_start, src_end = shadow.span_to_source(s0, s1)
                    i = bisect_right(ex_starts, src_start) - 1  # as excluded(), inline: once per figure
                    if i >= 0 and src_start < exclude[i].end:
                        continue
                # The clause before the figure, and its lead: the part after any earlier figure.
                lo = s0 - _LEAD if s0 > _LEAD else 0
                start = clause_rfind(clause_mark, lo, s0) + 1 or lo  # 0: no mark there
                add_clause_start(start)
                if prev_end > start:
                    start = prev_end
                add_lead(text[start:s0].lstrip("、 \t"))
                add_start(s0)
                prev_end = s1
                append(Figure(value, unit, src_start, src_end, s0, s1, number, is_approx, decimals))
        return out

    def figures_between(self, start: int, end: int) -> list[Figure]:
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return self.figures[i:j]

    def previous_figure(self, fig: Figure) -> Figure | None:
        i = bisect.bisect_left(self.starts, fig.start)
        return self.figures[i - 1] if i > 0 else None

    # --- clauses and sentences --------------------------------------------
    def clause_start(self, pos: int, floor: int = 0) -> int:
        """Where the clause at ``pos`` starts, but at least ``floor``."""
        return self.clauses.start(pos, floor)

    def clause_end(self, pos: int, limit: int | None = None) -> int:
        """Offset of the mark ending the clause at ``pos`` (or the text's end), but at most ``limit``."""
        return self.clauses.end(pos, limit)

    def sentence_start(self, pos: int, floor: int = 0) -> int:
        return self.sentences.start(pos, floor)

    def sentence_end(self, pos: int, limit: int | None = None) -> int:
        """Offset of the sentence mark ending the sentence at ``pos`` (or the text's end), but at most ``limit``."""
        return self.sentences.end(pos, limit)

    def line_end(self, pos: int) -> int:
        return self.lines.end(pos)

    def line_start(self, pos: int) -> int:
        return self.lines.start(pos)

    def lead_start(self, fig: Figure) -> int:
        start = self.clause_start(fig.start, fig.start - _LEAD)
        prev = self.previous_figure(fig)
        if prev is not None and prev.end > start:
            start = prev.end
        return start

    def _index(self, fig: Figure) -> int:
        """The index of ``fig`` in ``figures``, or -1 for a figure found elsewhere."""
        i = bisect.bisect_left(self.starts, fig.start)
        return i if i < len(self.starts) and self.starts[i] == fig.start else -1

    def lead(self, fig: Figure) -> str:
        """The clause's text before the figure, after any earlier figure in it (概况信息 in 概况信息2条)."""
        i = self._index(fig)
        if i >= 0:
            return self.leads[i]
        return self.text[self.lead_start(fig) : fig.start].lstrip("、 \t")

    def clause_lead(self, fig: Figure) -> str:
        """The whole clause before the figure, earlier figures included (at most 120 characters)."""
        i = self._index(fig)
        start = self.clause_starts[i] if i >= 0 else self.clause_start(fig.start, fig.start - _LEAD)
        return self.text[start : fig.start]

    def tail(self, fig: Figure, limit: int = 40) -> str:
        """The text after the figure up to the end of the sentence (at most ``limit`` characters)."""
        return self.text[fig.end : self.sentence_end(fig.end, fig.end + limit)]

    def source_span(self, start: int, end: int) -> Span:
        return Span(*self.shadow.span_to_source(start, end))


def extract_figures(text: str, config: dict[str, Any] | None = None, exclude: Iterable[Span] = ()) -> list[Figure]:
    """All figures of ``text`` (spans into ``text`` itself)."""
    return ProseText(text, config=config, exclude=exclude).figures
