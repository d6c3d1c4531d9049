"""GK510 (the rule is ``CopiedReport`` in the package): a report copied from last year's report of the
same agency, or from a sibling agency's."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from ... import TYPE_CHECKING
from ...diagnostics import Diagnostic
from ...rule import RuleContext, RunContext
from ...spill import loaded
from .fingerprint import bands, prose_of, similarity, sketch, template_hashes
from .keys import Compact, ReportKey, by_agency_year, file_name, previous_year, report_key

if TYPE_CHECKING:
    from typing import Any

MIN_SHINGLES = 60  # shorter prose is not compared (too little to judge)
THRESHOLD = 0.8  # estimated Jaccard similarity from which a report counts as copied
_CANDIDATES = 32  # at most this many candidates compared per report


class CopySummary(Compact):
    __slots__ = ("key", "sketch", "shingles")

    def __init__(self, key: ReportKey, sketch: array[int], shingles: int) -> None:
        self.key = key
        self.sketch = sketch  # 'i' array: 512 bytes, not 128 int objects (10 000 reports stay small)
        self.shingles = shingles


def summarize(report: Any, ctx: RuleContext) -> CopySummary:
    """GK510's summary of one report: its key and the MinHash sketch of its own prose."""
    key = report_key(report, ctx.settings)
    exclude = template_hashes(report.knowledge)
    sk, n = sketch(prose_of(report), exclude)
    return CopySummary(key, array("i", sk), n)


def check_run(items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
    """GK510 over the summaries of a run."""
    # The positions in ``items`` of the reports with enough prose, ascending: no pair per report.
    usable = array("i", (i for i in range(len(items)) if _usable(loaded(items[i][1]))))
    if len(usable) < 2:
        return
    index = by_agency_year(items, usable)
    buckets = _shared_bands(items, usable)
    for i in usable:
        path, s = items[i]
        s = loaded(s)
        k = s.key
        # Last year's report of the same agency first: that is the usual copy.
        prev = previous_year(index, items, i, k)
        if prev is not None:
            p = loaded(items[prev][1])
            sim = similarity(s.sketch, p.sketch)
            if sim >= THRESHOLD:
                yield _found(ctx, path, s, items[prev][0], p, sim, last_year=True)
                continue
        # A sibling: another agency's report of the same year sharing an LSH band.
        best: tuple[float, int, Any] | None = None
        seen = {i}
        looked = 0
        for key in bands(s.sketch):
            for j in buckets.get(hash((k.year, key)), ()):
                if j in seen:
                    continue
                seen.add(j)
                o = loaded(items[j][1])
                if o.key.agency_key and o.key.agency_key == k.agency_key:
                    continue  # the same agency's report of the same year (the same report twice)
                looked += 1
                sim = similarity(s.sketch, o.sketch)
                if sim >= THRESHOLD and (best is None or sim > best[0]):
                    best = (sim, j, o)
                if looked >= _CANDIDATES:
                    break
            if looked >= _CANDIDATES:
                break
        if best is not None:
            yield _found(ctx, path, s, items[best[1]][0], best[2], best[0], last_year=False)


def _found(
    ctx: RunContext, path: str, s: CopySummary, opath: str, o: CopySummary, sim: float, last_year: bool
) -> Diagnostic:
    pct = f"{sim * 100:.0f}%"
    if last_year:
        whom = f"上一年度报告（{o.key.year}年，{file_name(opath)}）"
    else:
        agency = f"「{o.key.agency}」" if o.key.agency else "另一机关"
        year = f"{s.key.year}年度" if s.key.year is not None else "同一年度"
        whom = f"{year}{agency}的报告（{file_name(opath)}）"
    return ctx.diagnostic(
        path,
        s.key.title_span,
        s.key.title_location,
        f"本报告与{whom}高度雷同：除格式规定的固定文字、数字和机关名称外，约 {pct} 的文字片段相同",
        related=[(f"相似的报告，相似度约 {pct}", opath, o.key.title_location)],
        help="按本年度、本机关的实际工作撰写报告，不要照抄往年或其他机关的报告",
        anchor=f"crossdoc:copied:{file_name(opath)}",
        similar_to=opath,
        similarity=round(sim, 3),
    )


def _usable(s: Any) -> bool:
    return s.shingles >= MIN_SHINGLES and bool(s.sketch)


_PARTS = 16  # the band hashes are sorted out in this many parts, so that only one part's counts are in memory


def _band_hashes(items: Sequence[tuple[str, Any]], usable: Iterable[int]) -> Iterator[tuple[int, int]]:
    """(hash of (year, band), position) for each LSH band of each usable report, in order."""
    for i in usable:
        s = loaded(items[i][1])
        year = s.key.year
        for key in bands(s.sketch):
            yield hash((year, key)), i


def _shared_bands(items: Sequence[tuple[str, Any]], usable: array[int]) -> dict[int, list[int]]:
    """LSH buckets: the hash of (year, band) → the reports (positions in ``items``, ascending) having
    that band, for the hashes two or more reports share.

    Keyed by the hash: a collision only adds a candidate, whose similarity is computed anyway.
    Almost every band is a report's own; a lone report's bucket holds only the report itself,
    which its own search skips, so such buckets are left out. A national year has some 3 million
    bands: a first pass keeps only their hashes, packed, in parts, and finds the shared ones a
    part at a time; a second pass (the summaries read again) collects the reports of those.
    """
    parts = [array("q") for _ in range(_PARTS)]
    for h, _ in _band_hashes(items, usable):
        parts[h % _PARTS].append(h)
    shared: set[int] = set()
    for n, part in enumerate(parts):
        parts[n] = array("q")  # the part's counts replace it
        counts = Counter(part)
        del part
        shared.update(h for h, c in counts.items() if c > 1)
        del counts
    buckets: dict[int, list[int]] = {}
    for h, i in _band_hashes(items, usable):
        if h in shared:
            buckets.setdefault(h, []).append(i)
    return buckets
