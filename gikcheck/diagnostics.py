"""The diagnostic model (after ruff): code, span, message, related spans, fix.

Diagnostics are plain, picklable data so that they can cross process
boundaries and be serialised by any formatter.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, asdict
from typing import Any


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None

    def __str__(self) -> str:  # "error", "warning", "info"
        return self.name.lower()


@dataclass(frozen=True)
class Span:
    """A half-open range of character offsets into the original source text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            object.__setattr__(self, "end", self.start)


@dataclass(frozen=True)
class Location:
    """1-based line/column position; columns count Unicode code points."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Related:
    """A secondary place that explains the diagnostic (e.g. an addend cell)."""

    message: str
    span: Span
    location: Location | None = None


@dataclass(frozen=True)
class Edit:
    span: Span
    replacement: str


@dataclass(frozen=True)
class Fix:
    """A proposed change. Only ``safe`` fixes are ever applied automatically."""

    message: str
    edits: tuple[Edit, ...]
    applicability: str = "safe"  # safe | unsafe | display-only


@dataclass
class Diagnostic:
    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    name: str = ""
    path: str = ""
    location: Location | None = None
    help: str | None = None
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    # A stable, position-independent key (section / table row / column) for baselines.
    anchor: str = ""
    data: dict[str, Any] = field(default_factory=dict)

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
        if self.anchor:
            out["anchor"] = self.anchor
        if self.data.get("origin"):
            out["origin"] = self.data["origin"]  # Word/HTML/PDF position, e.g. "表 2 第 6 行第 9 格"
        if self.related:
            out["related"] = [
                {
                    "message": r.message,
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
                "edits": [asdict(e) for e in self.fix.edits],
            }
        return out
