"""Helpers shared by the machine-readable formatters."""

from __future__ import annotations

import re

from .. import TYPE_CHECKING
from ..diagnostics import Diagnostic, Location

if TYPE_CHECKING:
    from typing import Any

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def location(d: Diagnostic) -> Location:
    return d.location or Location(1, 1, 1, 1)


def xml_text(s: str) -> str:
    """Drop the characters XML 1.0 cannot carry (control bytes from damaged reports)."""
    return _XML_INVALID.sub("\ufffd", s)


def line_index(text: str):
    """Offsets in a result's text → 1-based (line, code-point column): the Document's own index."""
    from ..document import Document

    return Document(text)


def rule_meta(code: str) -> Any:
    from ..registry import rule_by_code

    return rule_by_code(code)


ALSO_CAP = 12  # places of a grouped finding shown in the human formats (json, SARIF, LSP list them all)


def also_line(d: Diagnostic, cap: int = ALSO_CAP, sep: str = ", ") -> str:
    """The other places of a grouped finding, ``54:22, 55:23 …(共 125 处)``, at most ``cap`` of them."""
    places = [r.location for r in d.related if r.location is not None]
    first = d.location
    rest = [loc for loc in places if not (first and loc.line == first.line and loc.column == first.column)]
    shown = sep.join(f"{loc.line}:{loc.column}" for loc in rest[:cap])
    more = " …" if len(rest) > cap else ""
    return f"{shown}{more}（共 {d.occurrences} 处）"
