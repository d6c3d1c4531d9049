"""Totals with their parts, and percentages with their base, in running text.

``breakdowns`` finds sentences that give a total and its parts (共 N 条,其中
A a 条、B b 条 …) and says whether the list claims to be complete;
``shares`` pairs each stated share (占 17.7%) with its count and the total
it is a share of. Both only describe the text; the rules judge.
"""

from __future__ import annotations

from .. import TYPE_CHECKING
from ..memo import Memo, once, per_config, verdicts
from ..patterns import lazy
from .figures import Figure, ProseText

if TYPE_CHECKING:
    from typing import Any

_EPS = 1e-9
# How far a total's parts or a share's base are looked for; real sentences are shorter, and
# text without any sentence mark (a flattened table, a hostile input) must stay linear.
_REACH = 400
_LEAD = 120
_SHORT = 60  # the rest of a clause is remembered up to this length (a text without marks has long ones)
_SENTENCE_MARKS = frozenset("。!?\n")


class Breakdown:
    """A total and the parts listed after it (共 N 条,其中 A a 条、B b 条 …)."""

    __slots__ = ("total", "parts", "intro", "exhaustive", "cumulative", "exceed_at", "balanced", "truncated")

    def __init__(
        self,
        total: Figure,
        parts: list[Figure],
        intro: str,
        exhaustive: bool,
        cumulative: bool = False,
        exceed_at: int | None = None,
        balanced: bool = False,
        truncated: bool = False,
    ) -> None:
        self.total = total
        self.parts = parts
        self.intro = intro  # "exhaustive" | "partial" | "scope" | "category"
        self.exhaustive = exhaustive  # the list claims to cover everything
        self.cumulative = cumulative
        # Index after which the parts first exceed the total (None when they never do).
        self.exceed_at = exceed_at
        # A prefix of the parts adds up to the total exactly (the list ends there).
        self.balanced = balanced
        # The list was cut short by a new statement or mixes units: it cannot claim to be complete.
        self.truncated = truncated


class Share:
    """A stated share (占 P%) with its count and, where it can be told, its base."""

    __slots__ = ("percent", "count", "base", "base_figure", "base_kind", "group")

    def __init__(
        self,
        percent: Figure,
        count: Figure,
        base: float | None = None,
        base_figure: Figure | None = None,
        base_kind: str = "",
        group: list[Share] | None = None,
    ) -> None:
        self.percent = percent
        self.count = count
        self.base = base
        self.base_figure = base_figure
        self.base_kind = base_kind  # "total" (stated) | "sum" (of the listed counts)
        self.group = [] if group is None else group

    @property
    def exact(self) -> float | None:
        if not self.base:
            return None
        return 100.0 * self.count.value / self.base

    def fits(self, base: float | None = None) -> bool:
        base = self.base if base is None else base
        if not base:
            return False
        return _fits(self.count.value, base, self.percent)


def _fits(count: float, base: float, pct: Figure) -> bool:
    exact = 100.0 * count / base
    return abs(exact - pct.value) <= 0.5 * 10 ** (-pct.decimals) + _EPS


def _rx(pattern: str) -> Any:
    # Compiled when first needed, and not at all for a text without what every match contains.
    return lazy(pattern, prefilter=True)


class _Cfg:
    """The [structure] and [percent] patterns of a configuration, with memos of their verdicts."""

    def __init__(self, config: dict[str, Any]) -> None:
        st = config.get("structure", {})
        total_marker = _rx(st.get("total_marker", "共|总计|合计|累计"))
        intro_exhaustive = _rx(st.get("intro_exhaustive", r"^\s*(?:其中|分别为)"))
        intro_partial = _rx(st.get("intro_partial", r"^\s*(?:包括|主要有)"))
        intro_scope = _rx(st.get("intro_scope", r"^\s*在[^,;。]{1,20}中"))
        stop_part = _rx(st.get("stop_part", "(?!)"))
        category = _rx(st.get("category", "(?:类|信息|其他)$"))
        not_category = _rx(st.get("not_category", "(?!)"))
        self.marked = verdicts(total_marker.search)
        self.cumulative = _rx(st.get("cumulative", "累计"))
        self.incomplete = _rx(st.get("incomplete", "等|主要"))
        self.rest_part = _rx(st.get("rest_part", "^(?:其他|其它|其余)"))

        # The three tried in one call, in this order (the first alternative that matches wins):
        # most clauses introduce nothing, and each call costs more than a pattern's failure.
        intros = _rx(
            "|".join(
                f"(?P<{kind}>{p.pattern})"
                for kind, p in (("exhaustive", intro_exhaustive), ("partial", intro_partial), ("scope", intro_scope))
            )
        )

        def intro(text: str) -> str:
            m = intros.match(text)
            return (m.lastgroup or "") if m is not None else ""

        self.intro = intro
        # The rest of a figure's own clause recurs from report to report (政府信息公开申请, or nothing);
        # the clauses after it hold other figures and seldom do, so they are not remembered.
        self.clause_intro = Memo(intro)
        # A part's lead that starts a new total, a nested breakdown or a new statement.
        self.stops = verdicts(
            lambda lead: total_marker.search(lead) or intro_exhaustive.match(lead) or stop_part.match(lead)
        )
        self.is_category = verdicts(lambda subject: category.search(subject) and not not_category.search(subject))
        pc = config.get("percent", {})
        self.share_before = verdicts(_rx(pc.get("share_before", r"^\s*占(?:比)?\s*$")).search)


def _cfg(config: dict[str, Any]) -> _Cfg:
    return per_config(_Cfg, config)


def breakdowns(pt: ProseText) -> list[Breakdown]:
    """Every total in the text with the parts that follow it (computed once per text)."""
    return once(pt, _breakdowns)


def _breakdowns(pt: ProseText) -> list[Breakdown]:
    c = _cfg(pt.config)
    text = pt.text
    n_text = len(text)
    out: list[Breakdown] = []
    figures, starts, clause_starts = pt.figures, pt.starts, pt.clause_starts
    units = [f.unit for f in figures]
    n = len(figures)
    count_units, marked, clause_intro, intro_of = pt.count_units, c.marked, c.clause_intro, c.intro
    # sentence_end(), inline: it runs for most figures.
    sentence_find, sentence_mark = pt.sentences.text.find, pt.sentences.mark
    for i, total in enumerate(figures):
        unit = total.unit
        if unit not in count_units:
            continue
        end = total.end
        s_end = sentence_find(sentence_mark, end, end + _REACH)
        if s_end < 0:
            s_end = min(end + _REACH, n_text)
        # Parts in the total's own sentence are the figures of its unit that follow it there;
        # without them, only a marked total (共70条。) may have its parts in the next sentence.
        j = i + 1
        while j < n and starts[j] < s_end and units[j] != unit:
            j += 1
        followed = j < n and starts[j] < s_end
        if not followed and (
            s_end >= n_text or text[s_end] == "\n" or not marked[text[clause_starts[i] : total.start]]
        ):
            continue
        # What follows the total's clause: 其中 / 分别为 / 包括 … introduces its parts.
        c_end = pt.clause_end(end)
        own_tail = text[end:c_end]
        intro = clause_intro[own_tail] if len(own_tail) <= _SHORT else intro_of(own_tail)
        if not intro and len(own_tail.strip()) <= 12:
            # A short rest of the clause (共收到12件政府信息公开申请,其中…) still lets the next clause introduce parts.
            intro = intro_of(text[c_end + 1 : s_end] if c_end < s_end else "")
        if followed:
            if intro:
                region = (end, s_end)
            elif marked[text[clause_starts[i] : total.start]]:
                intro = "category"
                region = (end, s_end)
            else:
                continue
        elif intro:
            continue  # parts introduced, but none follow
        else:
            # 共70条。概况信息2条;工作动态信息29条… — the parts in the next sentence of the paragraph.
            n_start = s_end + 1
            n_end = pt.sentence_end(n_start, n_start + _REACH)
            intro = intro_of(text[n_start:n_end]) or "category"
            region = (n_start, n_end)
        parts, truncated = _parts(pt, c, total, region)
        if not parts:
            continue
        # Without 其中, only a list of categories is taken for the total's parts.
        if intro in ("category", "scope") and (
            len(parts) < 2 or not all(c.is_category[pt.lead(p).strip()] for p in parts)
        ):
            continue
        if len(parts) == 1 and intro != "exhaustive":
            continue
        bd = Breakdown(
            total=total,
            parts=parts,
            intro=intro,
            exhaustive=False,
            truncated=truncated,
            cumulative=bool(
                c.cumulative.search(text[pt.sentence_start(total.start, total.start - _LEAD) : total.start])
            ),
        )
        _judge(pt, c, bd, region)
        out.append(bd)
    return out


def _parts(pt: ProseText, c: _Cfg, total: Figure, region: tuple[int, int]) -> tuple[list[Figure], bool]:
    """The parts of ``total`` in ``region``, and whether the list was cut short."""
    parts: list[Figure] = []
    for f in pt.figures_between(*region):
        if f.is_percent:
            continue
        if f.unit != total.unit:
            if parts and f.unit in pt.count_units:
                return parts, True  # 政策文件56条、政策解读23篇: a list in several units does not add up in one
            continue
        if parts and c.stops[pt.lead(f)]:
            return parts, True  # a new total, a nested breakdown or a new statement starts here
        parts.append(f)
    return parts, False


def _judge(pt: ProseText, c: _Cfg, bd: Breakdown, region: tuple[int, int]) -> None:
    total = bd.total.value
    running = 0.0
    for i, p in enumerate(bd.parts):
        running += p.value
        if abs(running - total) < _EPS:
            bd.balanced = True
            bd.parts = bd.parts[: i + 1]
            return
        if running > total + _EPS and bd.exceed_at is None:
            # Past a ";" after two or more parts, another breakdown of the same total may have begun.
            if i >= 2 and ";" in pt.text[bd.parts[i - 1].end : p.start]:
                bd.parts = bd.parts[:i]
                return
            bd.exceed_at = i
            return
    last = bd.parts[-1]
    listed = pt.text[region[0] : pt.clause_end(last.end)]
    rest = bool(c.rest_part.match(pt.lead(last).strip()))
    bd.exhaustive = (
        len(bd.parts) >= 2
        and not bd.cumulative
        and not bd.truncated
        and not c.incomplete.search(listed)
        and (bd.intro == "exhaustive" or (bd.intro in ("category", "scope") and rest))
    )


def shares(pt: ProseText, found: list[Breakdown] | None = None) -> list[Share]:
    """Stated shares (占 P%) with the count they belong to and, where it can be told, their base."""
    c = _cfg(pt.config)
    text = pt.text
    found = breakdowns(pt) if found is None else found
    part_of = {id(p): bd for bd in found for p in bd.parts}
    pairs: list[Share] = []
    for f in pt.figures:
        if not f.is_percent or f.approx:
            continue
        if not c.share_before[pt.lead(f)]:
            continue
        prev = pt.previous_figure(f)
        if prev is None or prev.unit not in pt.count_units or prev.approx:
            continue
        gap = text[prev.end : f.start]
        if len(gap) > 16 or not _SENTENCE_MARKS.isdisjoint(gap):
            continue
        pairs.append(Share(percent=f, count=prev))
    # Consecutive shares of one paragraph and one unit form a group with one base.
    groups: list[list[Share]] = []
    for s in pairs:
        g = groups[-1] if groups else None
        if (
            g
            and g[-1].count.unit == s.count.unit
            and pt.line_start(g[-1].percent.start) == pt.line_start(s.count.start)
            and not pt.figures_between(g[-1].percent.end, s.count.start)
        ):
            g.append(s)
        else:
            groups.append([s])
    for g in groups:
        _base(pt, c, g, part_of)
    return pairs


def _base(pt: ProseText, c: _Cfg, group: list[Share], part_of: dict[int, Breakdown]) -> None:
    n = len(group)
    candidates: list[tuple[float, Figure | None, str]] = []
    for s in group:
        bd = part_of.get(id(s.count))
        if bd is not None and not bd.total.approx:
            candidates.append((bd.total.value, bd.total, "total"))
            break
    if n >= 2:
        stated = sum(s.percent.value for s in group)
        ulp = max(10 ** (-s.percent.decimals) for s in group)
        if abs(stated - 100.0) <= 1.0 + n * ulp:
            candidates.append((float(sum(s.count.value for s in group)), None, "sum"))
    # A total stated just before, in the same sentence (共收到申请12件,其中网上申请5件,占41.7%).
    first = group[0].count
    for f in reversed(pt.figures_between(pt.sentence_start(first.start, first.start - _REACH), first.start)):
        if f.unit == first.unit and not f.approx and c.marked[pt.clause_lead(f)]:
            candidates.append((f.value, f, "total"))
            break
    best: tuple[int, float, Figure | None, str] | None = None
    for base, fig, kind in candidates:
        if base <= 0 or any(s.count.value > base + _EPS for s in group):
            continue
        fits = sum(1 for s in group if _fits(s.count.value, base, s.percent))
        if best is None or fits > best[0]:
            best = (fits, base, fig, kind)
    if best is None:
        return
    fits, base, fig, kind = best
    # One share can only be judged against a total the text states; several must mostly agree on their base.
    if (n == 1 and kind != "total") or (n > 1 and fits < (n + 1) // 2):
        return
    for s in group:
        s.base, s.base_figure, s.base_kind, s.group = base, fig, kind, group
