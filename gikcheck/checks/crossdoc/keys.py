"""Who wrote a report, for which year: what the cross-document rules group reports by.

Reports are grouped by agency and year, as gikcheck/identity.py works them
out (the parsed title, or the ``[agencies]`` table of the configuration, or a
``gikcheck-agencies.toml`` beside the reports).

Also the compact positions and cells the rules' summaries carry to the end of a run.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterable, Sequence

from ... import TYPE_CHECKING
from ...diagnostics import Location, Span
from ...identity import identity
from ...memo import once
from ...records import Record
from ...spill import loaded

if TYPE_CHECKING:
    from typing import Any

# Summaries are kept for every report of a run in the main process (200 000 for a
# national year), so they are slotted, hold positions packed in bytes, not as
# Span/Location objects, and share the strings every report repeats (template ids,
# column ids and labels) instead of a copy per report.

_PLACE = struct.Struct("<6i")  # start, end, line, column, end_line, end_column
_SHARED: dict[tuple, tuple] = {}
_YEARS: dict[int, int] = {}


def shared(value: Any) -> Any:
    """One object for equal strings, or equal tuples of strings, across the reports of a run."""
    if isinstance(value, str):
        return sys.intern(value)
    hit = _SHARED.get(value)
    if hit is None:
        if len(_SHARED) >= 4096:
            _SHARED.clear()
        hit = _SHARED[value] = tuple(sys.intern(v) if isinstance(v, str) else v for v in value)
    return hit


class Compact(Record):
    """A summary record that pickles as the call of its constructor: arriving in the main process,
    it shares its repeated strings (``shared``) instead of keeping a copy of each."""

    __slots__ = ()

    def __reduce__(self) -> tuple:
        return (type(self), self._values())


class Place(Record):
    """A span and its line/column location, compactly."""

    __slots__ = ("start", "end", "line", "column", "end_line", "end_column")

    def __init__(self, start: int, end: int, line: int, column: int, end_line: int, end_column: int) -> None:
        self.start, self.end, self.line, self.column = start, end, line, column
        self.end_line, self.end_column = end_line, end_column

    @classmethod
    def of(cls, report: Any, span: Span) -> Place:
        loc = report.doc.location(span)
        return cls(span.start, span.end, loc.line, loc.column, loc.end_line, loc.end_column)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def location(self) -> Location:
        return Location(self.line, self.column, self.end_line, self.end_column)


class ReportKey(Compact):
    """Who wrote the report and for which year; what the cross-year rules group by."""

    __slots__ = ("agency", "agency_key", "year", "template", "title_packed")

    def __init__(self, agency: str, agency_key: str, year: int | None, template: str, title: Place | bytes) -> None:
        # An agency writes a report a year: its name is shared by its reports of the run.
        self.agency = sys.intern(agency)  # as written (for messages)
        self.agency_key = sys.intern(agency_key)  # folded, aliases resolved (for grouping)
        self.year = year if year is None else _YEARS.setdefault(year, year)  # one int per year
        self.template = sys.intern(template)
        self.title_packed = (
            title
            if isinstance(title, bytes)
            else _PLACE.pack(title.start, title.end, title.line, title.column, title.end_line, title.end_column)
        )

    @property
    def title(self) -> Place:
        return Place(*_PLACE.unpack(self.title_packed))

    @property
    def title_span(self) -> Span:
        return self.title.span

    @property
    def title_location(self) -> Location:
        return self.title.location


def report_key(report: Any, settings: Any = None) -> ReportKey:
    """The report's agency and year; one shared object per report (so it is pickled once):
    the three rules summarise one report."""
    return once(report, _build_report_key, settings)


def _build_report_key(report: Any, settings: Any) -> ReportKey:
    who = identity(report, settings)
    return ReportKey(
        who.agency, who.agency_key, who.year, report.template.id, Place.of(report, report.meta.title_span or Span(0, 0))
    )


def file_name(path: str) -> str:
    return os.path.basename(path) or path


def by_agency_year(items: Sequence[tuple[str, Any]], among: Iterable[int] | None = None) -> dict[tuple[str, int], int]:
    """(agency key, year) → the position in ``items`` of the report of that agency and year in the run
    (of the positions ``among``, by default all).

    -1 when several reports claim the same agency and year (two agencies of
    the same name, such as the many 城关镇, or one report twice): which one
    is last year's cannot be told, so such reports are not compared (the
    mapping file can tell them apart). Positions, not the items: a national
    year's items may be read from disk as they are asked for (gikcheck/spill.py).
    """
    out: dict[tuple[str, int], int] = {}
    for i in range(len(items)) if among is None else among:
        k = loaded(items[i][1]).key
        if k.agency_key and k.year is not None:
            group = (k.agency_key, k.year)
            out[group] = -1 if group in out else i
    return out


def previous_year(
    index: dict[tuple[str, int], int], items: Sequence[tuple[str, Any]], i: int, key: ReportKey
) -> int | None:
    """The position of last year's report of the same agency as ``items[i]`` (whose key is ``key``),
    when both this one and that one are unambiguous."""
    if not key.agency_key or key.year is None or index.get((key.agency_key, key.year), -1) < 0:
        return None
    prev = index.get((key.agency_key, key.year - 1), -1)
    return prev if prev >= 0 and items[prev][0] != items[i][0] else None


def fmt_number(v: int | float) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


class CellRef(Record):
    __slots__ = ("value", "place")

    def __init__(self, value: int | float | None, place: Place) -> None:
        self.value = value
        self.place = place

    @property
    def span(self) -> Span:
        return self.place.span

    @property
    def location(self) -> Location:
        return self.place.location


class Cells(Compact):
    """Cells of one table row by column id, packed (shared ids, values, 6 position ints per cell)."""

    __slots__ = ("cols", "values", "places")

    def __init__(
        self, cols: tuple[str, ...] = (), values: tuple[int | float | None, ...] = (), places: bytes = b""
    ) -> None:
        self.cols = shared(cols)
        self.values = values
        self.places = places

    @classmethod
    def pack(cls, cells: dict[str, CellRef]) -> Cells:
        places = b"".join(
            _PLACE.pack(p.start, p.end, p.line, p.column, p.end_line, p.end_column)
            for p in (c.place for c in cells.values())
        )
        return cls(tuple(cells), tuple(c.value for c in cells.values()), places)

    def get(self, col: str) -> CellRef | None:
        try:
            i = self.cols.index(col)
        except ValueError:
            return None
        return CellRef(self.values[i], Place(*_PLACE.unpack_from(self.places, _PLACE.size * i)))

    def __getitem__(self, col: str) -> CellRef:
        found = self.get(col)
        if found is None:
            raise KeyError(col)
        return found

    def __contains__(self, col: object) -> bool:
        return col in self.cols

    def __bool__(self) -> bool:
        return bool(self.cols)


def cell(report: Any, table: Any, row: str, col: str) -> CellRef | None:
    mc = table.cells.get((row, col))
    if mc is None:
        return None
    return CellRef(mc.value, Place.of(report, mc.cell.span))
