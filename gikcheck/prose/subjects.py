"""What a prose figure counts: table subjects (data in rules/prose.toml) and labels.

Two questions, answered separately:

* ``SubjectMap.match``: does a figure state a fact the tables also state
  (收到申请 12 件 → 表三 一、本年新收 总计)? Regexes from rules/prose.toml on
  the figure's clause decide; they are cheap and run for every figure.
  ``SubjectMap.none_statements`` finds statements that there were none
  (本年度未收到政府信息公开申请).
* ``subject_label``: the words naming what a figure counts (概况信息, 主动公开
  政府信息), for messages. Segmentation helps here: jieba's dictionary
  method over a small dictionary of the field's terms (see segment.py).
"""

from __future__ import annotations

import functools
from collections.abc import Container, Iterator

from .. import TYPE_CHECKING, rx
from ..memo import Memo, per_config
from ..patterns import lazy
from ..prefilter import Need, analyse
from .figures import Figure, ProseText
from .segment import segmenter

if TYPE_CHECKING:
    from typing import Any

    import regex

_TAIL = 40  # characters after a figure its subject's ``after`` looks at


class CellRef:
    """A table cell by table, row and column keys."""

    __slots__ = ("table", "row", "columns")

    def __init__(self, table: str, row: str, columns: tuple[str, ...]) -> None:
        self.table = table
        self.row = row
        self.columns = columns  # alternatives, the first the table has wins


class Subject:
    """A fact the tables state, and how the prose says it (or says there was none)."""

    __slots__ = (
        "id",
        "label",
        "cells",
        "lead",
        "after",
        "exclude",
        "context",
        "keyword",
        "scope_exclude",
        "also",
        "after_need",
    )

    def __init__(
        self,
        id: str,
        label: str,
        cells: tuple[CellRef, ...],
        lead: regex.Pattern | None = None,
        after: regex.Pattern | None = None,
        exclude: regex.Pattern | None = None,
        context: regex.Pattern | None = None,
        keyword: regex.Pattern | None = None,
        scope_exclude: regex.Pattern | None = None,
        also: bool = False,
    ) -> None:
        self.id = id
        self.label = label
        self.cells = cells
        self.lead = lead
        self.after = after
        self.exclude = exclude
        self.context = context  # must occur in the sentence before the figure
        self.keyword = keyword  # none-statements
        self.scope_exclude = scope_exclude
        self.also = also
        # Strings one of which any match of ``after`` contains: most figures are followed by none
        # of them, and a few ``in`` tests rule those out without running the pattern.
        self.after_need = _some_of(analyse(after.pattern, multiline=False)[0]) if after is not None else None


def _cells(items: list[list[str]]) -> tuple[CellRef, ...]:
    return tuple(CellRef(t, r, tuple(c.split("|"))) for t, r, c in items)


def _rx(p: str | None) -> regex.Pattern | None:
    # Most subjects never meet a figure their lead admits: compiled when first searched.
    return lazy(p, prefilter=True)  # type: ignore[return-value]


def _subject(d: dict[str, Any]) -> Subject:
    return Subject(
        id=d["id"],
        label=d.get("label", d["id"]),
        cells=_cells(d.get("cells", [])),
        lead=_rx(d.get("lead")),
        after=_rx(d.get("after")),
        exclude=_rx(d.get("exclude")),
        context=_rx(d.get("context")),
        keyword=_rx(d.get("keyword")),
        scope_exclude=_rx(d.get("scope_exclude")),
        also=bool(d.get("also", False)),
    )


def _some_of(need: Need | None) -> tuple[str, ...] | None:
    """Strings one of which every text holding ``need`` (gikcheck.prefilter) contains; None: nothing known."""
    if need is None:
        return None
    if need.__class__ is str:
        return (need,)
    options = [_some_of(item) for item in need[1]]
    if need[0] == "any":
        if any(o is None for o in options):
            return None
        return tuple(dict.fromkeys(x for o in options if o is not None for x in o))
    # Of what all items need, the alternatives whose shortest string is longest: the least common.
    return max((o for o in options if o is not None), key=lambda o: min(map(len, o)), default=None)


def _finditer(pattern: regex.Pattern, text: str, start: int, end: int):
    """finditer that stops quietly at the timeout: a hostile input loses findings, never hangs the run."""
    try:
        yield from pattern.finditer(text, start, end, timeout=2.0)
    except TimeoutError:
        return


class SubjectMap:
    """The subjects of rules/prose.toml, compiled once per configuration."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.subjects = tuple(_subject(d) for d in config.get("subjects", []))
        none = config.get("none", {})
        self.none_subjects = tuple(_subject(d) for d in none.get("subjects", []))
        self.negation = _rx(none.get("negation")) or rx.compile(r"未|没有|无")
        self.other_period = _rx(none.get("other_period"))
        # The subjects a lead admits (their `lead` matches, their `exclude` does not), per lead:
        # the same leads recur from report to report, and only `after` and `context` look further.
        self._by_lead = Memo(self._admitted)

    def _admitted(self, lead: str) -> tuple[Subject, ...]:
        return tuple(
            s
            for s in self.subjects
            if s.lead is not None and s.lead.search(lead) and (s.exclude is None or not s.exclude.search(lead))
        )

    def match(self, pt: ProseText, fig: Figure) -> Subject | None:
        """The table subject a figure states, or None."""
        candidates = self._by_lead[pt.lead(fig)]
        return self._first(pt, fig, candidates) if candidates else None

    def stated(self, pt: ProseText, units: Container[str]) -> Iterator[tuple[Figure, Subject]]:
        """Each figure in one of ``units`` that states a table subject, with the subject (``match`` in bulk)."""
        by_lead = self._by_lead
        for fig, lead in zip(pt.figures, pt.leads):
            if fig.unit in units:
                candidates = by_lead[lead]
                if candidates:
                    s = self._first(pt, fig, candidates)
                    if s is not None:
                        yield fig, s

    @staticmethod
    def _first(pt: ProseText, fig: Figure, candidates: tuple[Subject, ...]) -> Subject | None:
        """The first of the subjects a figure's lead admits that the text after it admits too."""
        window = tail = context = None
        for s in candidates:
            if s.after is not None:
                if s.after_need is not None:
                    if window is None:  # the tail lies inside it
                        window = pt.text[fig.end : fig.end + _TAIL]
                    for x in s.after_need:
                        if x in window:
                            break
                    else:
                        continue
                if tail is None:
                    tail = pt.tail(fig, _TAIL)
                if not s.after.search(tail):
                    continue
            if s.context is not None:
                if context is None:
                    sentence_lead = pt.text[pt.sentence_start(fig.start, fig.start - 120) : fig.start]
                    context = sentence_lead + pt.text[fig.end : fig.end + 12]
                if not s.context.search(context):
                    continue
            return s
        return None

    def none_statements(self, pt: ProseText, start: int = 0, end: int | None = None):
        """(subjects, shadow start, shadow end) of each statement that there were none."""
        text = pt.text
        end = len(text) if end is None else end
        for m in _finditer(self.negation, text, start, end):
            scope_end = pt.clause_end(m.end(), m.end() + 40)
            scope = text[m.end() : scope_end]
            before = text[pt.sentence_start(m.start(), m.start() - 120) : m.start()]
            if self.other_period is not None and self.other_period.search(before):
                continue
            if pt.figures_between(m.end(), scope_end):
                continue  # 没有现成信息……的申请2件: a count, not a statement of none
            found: list[Subject] = []
            for s in self.none_subjects:
                if s.keyword is None or not s.keyword.search(scope):
                    continue
                if s.scope_exclude is not None and s.scope_exclude.search(scope):
                    continue
                if not found:
                    found.append(s)
                    if not s.also:
                        break
                elif s.also and found[0].also:
                    found.append(s)
            if found:
                k_end = max(mm.end() for s in found if s.keyword for mm in [s.keyword.search(scope)] if mm)
                yield found, m.start(), m.end() + k_end


def subject_map(config: dict[str, Any]) -> SubjectMap:
    """The compiled subjects of ``config`` (cached while the config object lives)."""
    return per_config(SubjectMap, config)


# --- labels ------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _noise_words() -> tuple[regex.Pattern, regex.Pattern]:
    """Time words and self-references: compiled when a label is first needed, not at start-up."""
    return (
        rx.compile(r"^(?:\d{2,4}年度?|\d{1,2}月(?:份)?|\d{1,2}日|年度?|上半年|下半年|全年)$"),
        rx.compile(r"^(?:我|本|全)[镇乡县区市局委办厅院署省州旗街]?$"),
    )


def segment(text: str, config: dict[str, Any]) -> list[str]:
    """Words of ``text`` by the small field dictionary (unknown runs become single characters)."""
    terms = tuple(config.get("dictionary", {}).get("terms", ()))
    if not terms:
        return list(text)
    return [w for w in segmenter(terms).cut(text) if w.strip()]


def subject_label(lead: str, config: dict[str, Any]) -> str:
    """The words naming what a figure counts, from the clause text before it.

    "2013年我办事处主动公开政府信息共" → "主动公开政府信息"; "其中部门动态类信息" → "部门动态类信息".
    """
    lead = lead.strip(" \t、,;:()")
    if not lead:
        return ""
    dic = config.get("dictionary", {})
    drop, cut = set(dic.get("drop", ())), set(dic.get("cut", ()))
    words = segment(lead, config)
    # 各部门累计共受理申请 → 受理申请: a total marker ends the preamble, unless nothing follows it.
    last_cut = max((i for i, w in enumerate(words) if w in cut), default=-1)
    if 0 <= last_cut < len(words) - 1:
        words = words[last_cut + 1 :]
    # Time words, self-references and function words at either end carry no subject.
    time_word, self_word = _noise_words()

    def noise(w: str) -> bool:
        return w in drop or bool(time_word.match(w)) or bool(self_word.match(w)) or w.isdigit()

    while words and noise(words[0]):
        words.pop(0)
    while words and noise(words[-1]):
        words.pop()
    label = "".join(words).strip("、,;: ")
    return label[-16:]
