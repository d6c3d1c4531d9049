"""Columns of a space-aligned table page by page, from the rows that hold every value.

``pdftotext -layout`` does not keep a table's columns where its header is, nor in the
same place from one page to the next: it gives each text fragment the first character
column right of every fragment to its left on the page (all tables and paragraphs of the
page count), and counts characters, not display width. On one page, though, the figures
of one column stand at one text column. So where cells are left blank, a row short of
values is placed by the rows of its own page that hold every value: they fix where each
column's figures stand, and each of the short row's figures goes to the column it stands
at. Where that is not certain — no whole row on the page, whole rows that disagree, a
figure between two columns — the row is left unplaced (the caller reports it, one GK204)
rather than placed on another page's columns or the header's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from .layout import Line, Token

_TOLERANCE = 1.5  # text columns a figure may stand off its column (one digit more or less)
_CLEAR = 2.0  # how much nearer a figure must be to its column than to the next one


def _edges(line: Line, shift: int) -> dict[int, tuple[int, int, int, int]]:
    """Per token of ``line``: (start, end) in display columns and in characters.

    pdftotext counts a Han character as one column; terminal dumps (lynx, pandoc) as two.
    A token's character column is its display column less the extra width of the wide
    characters before it in the line (the gaps between tokens are spaces)."""
    out: dict[int, tuple[int, int, int, int]] = {}
    extra = 0
    for t in line.tokens:
        c0 = t.x0 - extra - shift
        extra += (t.x1 - t.x0) - (t.end - t.start)
        out[id(t)] = (t.x0 - shift, t.x1 - shift, c0, t.x1 - extra - shift)
    return out


# What stands for a figure's place: its right end, centre or left end, in either count.
_MEASURES: tuple[Callable[[tuple[int, int, int, int]], float], ...] = (
    lambda e: e[1],
    lambda e: (e[0] + e[1]) / 2,
    lambda e: e[0],
    lambda e: e[3],
    lambda e: (e[2] + e[3]) / 2,
    lambda e: e[2],
)


def place_by_page(
    rows: Sequence[list[Token]], ncols: int, lines: Sequence[Line], page_starts: Sequence[int]
) -> dict[int, list[Token | None] | None] | None:
    """Placements of the short rows of ``rows`` (index -> values by column, or None where the
    row cannot be placed), or None when no page holds a whole row (nothing to go by here).

    A row is whole when it holds ``ncols`` values on one line; a short row is placed only when
    its values stand on one line of a page with whole rows, every whole row of that page agrees
    on where the columns are (in some measure: right end, centre or left end, counting
    characters or display width), each value is clearly at one column, and every measure in
    which the page agrees and that places the row at all places it alike."""
    if not page_starts:
        page_starts = ()
    starts = sorted(page_starts)
    by_number = {ln.number: ln for ln in lines}

    def page(line: int) -> int:
        return sum(1 for s in starts if s <= line)

    edges: dict[int, tuple[int, int, int, int]] = {}
    line_numbers = {t.line for row in rows for t in row}
    for n in line_numbers:
        ln = by_number.get(n)
        if ln is None:
            return None
        edges.update(_edges(ln, 1 if n in starts else 0))  # the form feed before a page's first line

    def one_line(row: list[Token]) -> bool:
        return bool(row) and len({t.line for t in row}) == 1 and all(t.kind == "num" for t in row)

    whole: dict[int, list[list[Token]]] = {}
    for row in rows:
        if len(row) == ncols and one_line(row):
            whole.setdefault(page(row[0].line), []).append(row)
    if not whole:
        return None
    # page -> (measure, columns' places) for each measure in which the page's whole rows agree
    anchors: dict[int, list[tuple[Callable[[tuple[int, int, int, int]], float], list[float]]]] = {}
    for p, full in whole.items():
        fits = []
        for m in _MEASURES:
            cols = [sorted(m(edges[id(row[i])]) for row in full) for i in range(ncols)]
            mid = [c[len(c) // 2] for c in cols]
            if all(abs(x - mid[i]) <= _TOLERANCE for i, c in enumerate(cols) for x in c) and all(
                b - a >= 2 * _CLEAR for a, b in itertools.pairwise(mid)
            ):
                fits.append((m, mid))
        anchors[p] = fits
    out: dict[int, list[Token | None] | None] = {}
    for k, row in enumerate(rows):
        if not row or len(row) >= ncols:
            continue
        fits = anchors.get(page(row[0].line), []) if one_line(row) else []
        placements = []
        for m, mid in fits:
            placed = _nearest(row, mid, lambda t, m=m: m(edges[id(t)]))  # type: ignore[misc]
            if placed is not None:
                placements.append(placed)
        if placements and all(p == placements[0] for p in placements):
            out[k] = [row[i] if i >= 0 else None for i in _columns(placements[0], ncols)]
        else:
            out[k] = None
    return out


def _nearest(row: list[Token], mid: list[float], at: Callable[[Token], float]) -> tuple[int, ...] | None:
    """The column of each value, left to right, when each is clearly at one."""
    cols = []
    for t in row:
        x = at(t)
        dist = sorted((abs(x - c), i) for i, c in enumerate(mid))
        if dist[0][0] > _TOLERANCE or (len(dist) > 1 and dist[1][0] - dist[0][0] < _CLEAR):
            return None
        cols.append(dist[0][1])
    if any(a >= b for a, b in itertools.pairwise(cols)):
        return None
    return tuple(cols)


def _columns(cols: tuple[int, ...], ncols: int) -> list[int]:
    """Index of the value in each column, -1 for a blank one."""
    out = [-1] * ncols
    for i, c in enumerate(cols):
        out[c] = i
    return out
