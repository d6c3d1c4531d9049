"""HTML tables inside a text report (Markdown from pandoc and converters keeps merged tables as raw HTML).

The table is read in place, so that every position still points into the
text the user has: each ``<tr>`` becomes one line of tokens, each cell's
text a token with its source span, and a cell's field is its grid position
counted with ``colspan`` (the value columns are the last ones of a row,
whatever ``rowspan`` cells the rows above hold).
"""

from __future__ import annotations

import re

from ..document import Document
from .layout import NUMBER, Line, Region, Token, width

_TABLE = re.compile(r"<table\b.*?</table\s*>", re.S | re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>", re.S)
_COLSPAN = re.compile(r"colspan\s*=\s*[\"']?(\d+)", re.I)
_WORD = re.compile(r"\S+")
MAX_TABLE = 2_000_000


def html_regions(doc: Document) -> list[Region]:
    """Regions for the raw HTML tables of a text document."""
    text = doc.text
    if "<table" not in text and "<TABLE" not in text:
        return []
    out: list[Region] = []
    for m in _TABLE.finditer(text):
        if m.end() - m.start() > MAX_TABLE:
            continue
        lines = _rows(text, m.start(), m.end())
        if lines:
            out.append(Region(doc.line_of(m.start()), doc.line_of(m.end() - 1), lines))
    return out


def _rows(text: str, start: int, end: int) -> list[Line]:
    lines: list[Line] = []
    tokens: list[Token] = []
    field = 0
    cell_field = -1
    span = 1
    pos = start
    row = 0

    def text_tokens(s: int, e: int) -> None:
        raw = text[s:e]
        for w in _WORD.finditer(raw):
            piece = w.group()
            if "&" in piece and not _unescape(piece).strip("\u00a0\u3000 "):
                continue  # &nbsp; and the like
            kind = "num" if NUMBER.fullmatch(piece) else "text"
            x0 = cell_field * 100
            tokens.append(
                Token(kind, piece, s + w.start(), s + w.end(), row, x0, x0 + sum(map(width, piece)), cell_field, 0)
            )

    for m in _TAG.finditer(text, start, end):
        if cell_field >= 0 and m.start() > pos:
            text_tokens(pos, m.start())
        pos = m.end()
        closing, name = m.group(1), m.group(2).lower()
        if name == "tr":
            if tokens or field:
                for t in tokens:
                    t.fields = field
                kind = "data" if any(t.kind == "num" for t in tokens) else "text"
                lines.append(Line(row, tokens, kind if tokens else "blank", True))
            tokens, field, cell_field = [], 0, -1
            row += 1
        elif name in ("td", "th"):
            if closing:
                cell_field = -1
            else:
                c = _COLSPAN.search(m.group(3))
                span = int(c.group(1)) if c else 1
                cell_field = field
                field += max(1, min(span, 50))
    if tokens:
        for t in tokens:
            t.fields = field
        lines.append(Line(row, tokens, "data" if any(t.kind == "num" for t in tokens) else "text", True))
    return lines


def _unescape(piece: str) -> str:
    import html  # only for a table written with entities: the module costs a text report ~2 ms

    return html.unescape(piece)
