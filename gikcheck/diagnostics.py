"""The diagnostic model (after ruff): code, span, message, related spans, fix.

Diagnostics are plain, picklable data so that they can cross process
boundaries and be serialised by any formatter.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable

from . import TYPE_CHECKING
from .records import Record

if TYPE_CHECKING:
    from typing import Any


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(f"应为 error、warning 或 info 之一，而不是 {value!r}") from None

    def __str__(self) -> str:  # "error", "warning", "info"
        return self.name.lower()


class Span(Record):
    """A half-open range of character offsets into the original source text."""

    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end if end > start else start  # not max(): this runs ~700 times a report


class Location(Record):
    """1-based line/column position; columns count Unicode code points."""

    __slots__ = ("line", "column", "end_line", "end_column")

    def __init__(self, line: int, column: int, end_line: int, end_column: int) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column


class Related(Record):
    """A secondary place that explains the diagnostic (e.g. an addend cell).

    In a grouped finding (one pattern, many places: see ``gikcheck/grouping.py``) each
    place is a Related with the ``anchor`` of the finding it stands for, so that baselines
    can accept the places one by one.
    """

    __slots__ = ("message", "span", "location", "anchor")

    def __init__(self, message: str, span: Span, location: Location | None = None, anchor: str = "") -> None:
        self.message = message
        self.span = span
        self.location = location
        self.anchor = anchor


class Edit(Record):
    __slots__ = ("span", "replacement")

    def __init__(self, span: Span, replacement: str) -> None:
        self.span = span
        self.replacement = replacement


class Fix(Record):
    """A proposed change. Only ``safe`` fixes are ever applied automatically."""

    __slots__ = ("message", "edits", "applicability")

    def __init__(self, message: str, edits: tuple[Edit, ...], applicability: str = "safe") -> None:
        self.message = message
        self.edits = edits
        self.applicability = applicability  # safe | unsafe | display-only


class Diagnostic(Record):
    __slots__ = (
        "code",
        "message",
        "span",
        "severity",
        "name",
        "path",
        "location",
        "help",
        "related",
        "fix",
        "anchor",
        "data",
        "occurrences",
    )
    __hash__ = None  # type: ignore[assignment]  # mutable: rules and the engine fill it in

    def __init__(
        self,
        code: str,
        message: str,
        span: Span,
        severity: Severity = Severity.ERROR,
        name: str = "",
        path: str = "",
        location: Location | None = None,
        help: str | None = None,
        related: tuple[Related, ...] = (),
        fix: Fix | None = None,
        anchor: str = "",
        data: dict[str, Any] | None = None,
        occurrences: int = 1,
    ) -> None:
        self.code = code
        self.message = message
        self.span = span
        self.severity = severity
        self.name = name
        self.path = path
        self.location = location
        self.help = help
        self.related = related
        self.fix = fix
        # A stable, position-independent key (section / table row / column) for baselines.
        self.anchor = anchor
        self.data = {} if data is None else data
        # How many places this finding stands for: more than one when the engine merged the
        # repeated findings of one pattern (then ``related`` lists every place, the first included).
        self.occurrences = occurrences

    @property
    def grouped(self) -> bool:
        return self.occurrences > 1

    def places(self) -> tuple[Related, ...]:
        """The places a grouped finding stands for (every one, the first included); () otherwise."""
        return self.related if self.occurrences > 1 else ()

    def sort_key(self) -> tuple:
        loc = self.location
        return (self.path, loc.line if loc else 0, loc.column if loc else 0, self.code)

    def to_dict(self) -> dict[str, Any]:
        loc = self.location or Location(1, 1, 1, 1)
        out: dict[str, Any] = {
            "path": self.path,
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line,
            "end_column": loc.end_column,
        }
        if self.help:
            out["help"] = self.help
        if self.occurrences > 1:
            out["count"] = self.occurrences  # places listed in "related"
        if self.anchor:
            out["anchor"] = self.anchor
        if self.data.get("origin"):
            out["origin"] = self.data["origin"]  # Word/HTML/PDF position, e.g. "表 2 第 6 行第 9 格"
        if self.related:
            out["related"] = [
                {
                    "message": r.message,
                    **({"anchor": r.anchor} if r.anchor else {}),
                    "line": r.location.line if r.location else None,
                    "column": r.location.column if r.location else None,
                    "end_line": r.location.end_line if r.location else None,
                    "end_column": r.location.end_column if r.location else None,
                }
                for r in self.related
            ]
        if self.fix:
            out["fix"] = {
                "message": self.fix.message,
                "applicability": self.fix.applicability,
                "edits": [{"span": e.span.as_dict(), "replacement": e.replacement} for e in self.fix.edits],
            }
        return out


def count_places(diagnostics: Iterable[Diagnostic]) -> Counter[str]:
    """Places found per rule code, a grouped finding counting each of its places (``--statistics``)."""
    out: Counter[str] = Counter()
    for d in diagnostics:
        out[d.code] += d.occurrences
    return out
