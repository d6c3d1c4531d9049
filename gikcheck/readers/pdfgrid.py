"""Ruled tables from a page's ruling lines: edges → crossings → cells → tables → rows.

The method (and its tolerances) is pdfplumber's "lines" table finder, so a
report reads as it did with pdfplumber: edges closer than 3 pt are snapped
to their mean and joined along their line, edges shorter than 3 pt are
dropped, crossings are found within 3 pt, every crossing's smallest
rectangle bounded by edges is a cell, and cells sharing a corner form a
table (one cell alone is none). An edge is a tuple (orientation, x0, x1,
top, bottom), orientation "h" or "v", in points from the page's top left:
x0 to bottom at the positions of a character's (pdftext's X0 … BOTTOM).
"""

from __future__ import annotations

import itertools
from operator import itemgetter

from .. import TYPE_CHECKING
from .pdftext import BOTTOM, TOP, X0, X1, cluster_objects

if TYPE_CHECKING:
    from typing import Final, Literal

SNAP = 3.0
JOIN = 3.0
MIN_LENGTH = 3.0
PREFILTER_LENGTH = 1.0
CROSSING = 3.0

Edge = tuple[str, float, float, float, float]
ORIENTATION: Final = 0
Point = tuple[float, float]
Box = tuple[float, float, float, float]


def _length(e: Edge) -> float:
    return e[BOTTOM] - e[TOP] if e[ORIENTATION] == "v" else e[X1] - e[X0]


def _snap(edges: list[Edge], attr: Literal[1, 3]) -> list[Edge]:
    """Edges within the tolerance of each other (on ``attr``, X0 or TOP) moved to their mean: ``attr``
    and the position after it (X1 or BOTTOM) by the same shift."""
    out: list[Edge] = []
    for cluster in cluster_objects(edges, itemgetter(attr), SNAP):
        mean = sum(e[attr] for e in cluster) / len(cluster)
        for e in cluster:
            shift = mean - e[attr]
            if attr == X0:
                out.append((e[0], e[X0] + shift, e[X1] + shift, e[TOP], e[BOTTOM]))
            else:
                out.append((e[0], e[X0], e[X1], e[TOP] + shift, e[BOTTOM] + shift))
    return out


def _join(edges: list[Edge], orientation: str) -> list[Edge]:
    """Edges along one line joined where they touch or overlap (within the tolerance)."""
    lo: Literal[1, 3] = X0 if orientation == "h" else TOP
    hi: Literal[2, 4] = X1 if orientation == "h" else BOTTOM
    ordered = sorted(edges, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + JOIN:
            if e[hi] > last[hi]:
                if hi == X1:
                    joined[-1] = (last[0], last[X0], e[X1], last[TOP], last[BOTTOM])
                else:
                    joined[-1] = (last[0], last[X0], last[X1], last[TOP], e[BOTTOM])
        else:
            joined.append(e)
    return joined


def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Snapped and joined ruling lines (pdfplumber's merge_edges with its default tolerances)."""
    vertical = [e for e in edges if e[ORIENTATION] == "v"]
    horizontal = [e for e in edges if e[ORIENTATION] == "h"]
    snapped = _snap(vertical, X0) + _snap(horizontal, TOP)

    def group(e: Edge) -> tuple[str, float]:
        return ("h", e[TOP]) if e[ORIENTATION] == "h" else ("v", e[X0])

    out: list[Edge] = []
    for (orientation, _), items in itertools.groupby(sorted(snapped, key=group), key=group):
        out.extend(_join(list(items), orientation))
    return out


def table_edges(edges: list[Edge]) -> list[Edge]:
    """The edges the table finder works with: long enough before and after merging."""
    kept = [e for e in edges if e[ORIENTATION] in ("h", "v") and _length(e) >= PREFILTER_LENGTH]
    # pdfplumber takes the vertical edges first, then the horizontal ones.
    kept = [e for e in kept if e[ORIENTATION] == "v"] + [e for e in kept if e[ORIENTATION] == "h"]
    return [e for e in merge_edges(kept) if _length(e) >= MIN_LENGTH]


_MIN_CUT_COLUMNS = 3  # vertical edges ending together where a page break cut a table's row


def close_cut_rows(edges: list[Edge]) -> list[Edge]:
    """``edges`` with a horizontal edge where a page break cut a table's row: its cells' vertical
    edges end together (at the page's foot, or begin at the next page's head) where no horizontal
    edge runs, so the cut cells would be no cells and their text read as lines outside the table
    (Chromium's PDF: 表四's header cells, a character a line, cut by the break)."""
    vertical = [e for e in edges if e[ORIENTATION] == "v"]
    horizontal = [e for e in edges if e[ORIENTATION] == "h"]
    added: list[Edge] = []
    ends: tuple[Literal[4], Literal[3]] = (BOTTOM, TOP)
    for attr in ends:
        for cluster in cluster_objects(vertical, itemgetter(attr), SNAP):
            if len(cluster) < _MIN_CUT_COLUMNS:
                continue
            y = sum(float(e[attr]) for e in cluster) / len(cluster)
            x0, x1 = min(e[X0] for e in cluster), max(e[X1] for e in cluster)
            if any(
                abs(h[TOP] - y) <= CROSSING and h[X0] <= x0 + CROSSING and h[X1] >= x1 - CROSSING for h in horizontal
            ):
                continue
            added.append(("h", x0, x1, y, y))
    return edges + added if added else edges


def crossings(edges: list[Edge]) -> dict[Point, dict[str, list[Edge]]]:
    """Points where a vertical and a horizontal edge meet (within the tolerance), with those edges."""
    out: dict[Point, dict[str, list[Edge]]] = {}
    vertical = sorted((e for e in edges if e[ORIENTATION] == "v"), key=itemgetter(X0, TOP))
    horizontal = sorted((e for e in edges if e[ORIENTATION] == "h"), key=itemgetter(TOP, X0))
    across = [(h[TOP], h[X0], h[X1], h) for h in horizontal]
    for v in vertical:
        x, top, bottom = v[X0], v[TOP], v[BOTTOM]
        for h_top, h_x0, h_x1, h in across:
            if top <= h_top + CROSSING and bottom >= h_top - CROSSING and x >= h_x0 - CROSSING and x <= h_x1 + CROSSING:
                point = (x, h_top)
                at = out.setdefault(point, {"v": [], "h": []})
                at["v"].append(v)
                at["h"].append(h)
    return out


def count_crossings(edges: list[Edge], limit: int) -> int:
    """The number of crossings, or a number over ``limit`` as soon as there must be more (h × v bound)."""
    across = sum(1 for e in edges if e[ORIENTATION] == "h")
    if across * (len(edges) - across) > 100 * limit:  # finding the crossings is itself h × v
        return across * (len(edges) - across)
    return len(crossings(edges))


def cells(points: dict[Point, dict[str, list[Edge]]]) -> list[Box]:
    """For every crossing, the smallest rectangle of edges with it as top-left corner."""
    # Two crossings connect where they share an edge: a vertical one if they are on one x (points are
    # distinct, so then not on one y), a horizontal one if they are on one y.
    vertical = {p: set(at["v"]) for p, at in points.items()}
    horizontal = {p: set(at["h"]) for p, at in points.items()}
    ordered = sorted(points)
    # The points after each one in that order sharing its x (below it) or its y (right of it).
    column: dict[float, list[Point]] = {}
    row: dict[float, list[Point]] = {}
    for p in ordered:
        column.setdefault(p[0], []).append(p)
        row.setdefault(p[1], []).append(p)
    at_column = {p: i for ps in column.values() for i, p in enumerate(ps)}
    at_row = {p: i for ps in row.values() for i, p in enumerate(ps)}
    out: list[Box] = []
    for pt in ordered[:-1]:
        # The first point below connected to it, with the first point right of it connected to it, whose
        # corner is a crossing connected to both (in the order pdfplumber tries them).
        down = vertical[pt]
        right: list[Point] | None = None  # found at the first point below connected to it
        found = None
        for below_pt in column[pt[0]][at_column[pt] + 1 :]:
            if down.isdisjoint(vertical[below_pt]):
                continue
            if right is None:
                across = horizontal[pt]
                right = [r for r in row[pt[1]][at_row[pt] + 1 :] if not across.isdisjoint(horizontal[r])]
            for right_pt in right:
                corner = (right_pt[0], below_pt[1])
                if (
                    corner in points
                    and not vertical[corner].isdisjoint(vertical[right_pt])
                    and not horizontal[corner].isdisjoint(horizontal[below_pt])
                ):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            out.append(found)
    return out


def tables(boxes: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables by shared corners, top to bottom; single cells are no table."""
    remaining = list(boxes)
    corners: set[Point] = set()
    current: list[Box] = []
    found: list[list[Box]] = []
    while remaining:
        before = len(current)
        rest = []  # what a pass leaves, in its order
        for cell in remaining:
            x0, top, x1, bottom = cell
            own = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or not corners.isdisjoint(own):
                corners.update(own)
                current.append(cell)
            else:
                rest.append(cell)
        remaining = rest
        if len(current) == before:
            found.append(current)
            corners = set()
            current = []
    if current:
        found.append(current)
    found.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in found if len(t) > 1]


def bbox(table: list[Box]) -> Box:
    return (
        min(c[0] for c in table),
        min(c[1] for c in table),
        max(c[2] for c in table),
        max(c[3] for c in table),
    )


def rows(table: list[Box]) -> list[list[Box | None]]:
    """The table's cells row by row, on the grid of all its cells' left edges (None: no cell starts there)."""
    xs = sorted({c[0] for c in table})
    out: list[list[Box | None]] = []
    for _, row_cells in itertools.groupby(sorted(table, key=itemgetter(1, 0)), itemgetter(1)):
        by_x = {c[0]: c for c in row_cells}
        out.append([by_x.get(x) for x in xs])
    return out


def tables_from_edges(edges: list[Edge]) -> list[list[Box]]:
    """The page's ruled tables (each a list of cell boxes), from the edges ``table_edges`` kept."""
    return tables(cells(crossings(edges)))


def tables_within(edges: list[Edge], limit: int) -> list[list[Box]] | None:
    """``tables_from_edges``, or None where the edges cross more than ``limit`` times (as ``count_crossings``
    says, without finding the crossings twice)."""
    across = sum(1 for e in edges if e[ORIENTATION] == "h")
    if across * (len(edges) - across) > 100 * limit:
        return None
    points = crossings(edges)
    return None if len(points) > limit else tables(cells(points))
