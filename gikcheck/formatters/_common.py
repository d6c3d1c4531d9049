"""Helpers shared by the machine-readable formatters."""
from __future__ import annotations

import bisect
import re
from typing import Any

from ..diagnostics import Diagnostic, Location, Span

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def location(d: Diagnostic) -> Location:
    return d.location or Location(1, 1, 1, 1)


def xml_text(s: str) -> str:
    """Drop the characters XML 1.0 cannot carry (control bytes from damaged reports)."""
    return _XML_INVALID.sub("\ufffd", s)


class LineIndex:
    """Offsets in a result's text → 1-based (line, code-point column), as Document.location does."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        i = text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        self.starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        offset = min(max(0, offset), len(self.text))
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def location(self, span: Span) -> Location:
        line, col = self.position(span.start)
        end = span.end
        if span.start < end <= len(self.text) and self.text[end - 1] == "\n":
            end -= 1
        end_line, end_col = self.position(end)
        return Location(line, col, end_line, end_col)


def rule_meta(code: str) -> Any:
    from ..registry import rule_by_code

    return rule_by_code(code)
