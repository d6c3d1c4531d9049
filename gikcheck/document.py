"""The document model: source text with a line index, and its blocks.

Everything the parser finds (headings, paragraphs, table cells) carries a
``Span`` of offsets into ``Document.text``, the decoded source exactly as
the user has it. Matching happens on ``Document.shadow`` (normalised) and
maps back through its offset map.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property
from itertools import accumulate, islice

from .diagnostics import Location, Span
from .normalize import Shadow, make_shadow, offsets
from .records import Record

_LEVELS = {"cn": 1, "paren-cn": 2, "num-dot": 3, "num-comma": 3, "paren-num": 4}
BLANK = " \t\u3000\u00a0?？"  # what a cell may hold and still be empty


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as positions count them: split at LF only (CR LF taken whole), not at
    the other breaks ``str.splitlines`` knows (U+2028, U+0085, form feed, …), which would shift the
    line shown under a finding."""
    return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]


class Heading(Record):
    __slots__ = ("span", "ordinal", "style", "number", "title", "title_span", "line", "inline")
    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as its dataclass was

    def __init__(
        self,
        span: Span,
        ordinal: str,
        style: str,
        number: int,
        title: str,
        title_span: Span,
        line: int,
        inline: bool = False,
    ) -> None:
        self.span = span  # the whole heading text (ordinal included)
        self.ordinal = ordinal  # "一、", "（一）", "1.", "1、", "" when none
        # "cn" 一、 | "paren-cn" （一） | "num-dot" 1. | "num-comma" 1、 | "paren-num" (1) | ""
        self.style = style
        self.number = number  # value of the ordinal (0 when none)
        self.title = title  # text after the ordinal
        self.title_span = title_span
        self.line = line  # 1-based
        self.inline = inline  # found inside a line of running text (web-flattened pages)

    @property
    def level(self) -> int:
        return _LEVELS.get(self.style, 9)


class Paragraph(Record):
    __slots__ = ("span", "line")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, span: Span, line: int) -> None:
        self.span = span
        self.line = line


class Cell:
    """One table cell.

    ``empty`` is computed once, as every stage of table mapping asks it (the
    splitter, which caches it by line, passes it in). The splitter gives
    ``start``/``end`` instead of a ``span``; the ``Span`` is then made on first
    use, as rules ask for the spans of the few cells they report.
    """

    __slots__ = ("text", "start", "end", "empty", "span")
    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self, text: str, span: Span | None = None, start: int = 0, end: int = 0, empty: bool | None = None
    ) -> None:
        self.text = text
        if span is not None:
            self.span = span
            start, end = span.start, span.end
        self.start = start
        self.end = end
        self.empty = not text.strip(BLANK) if empty is None else empty

    def __getattr__(self, name: str) -> Span:  # only reached while the slot is unset
        if name != "span":
            raise AttributeError(name)
        span = self.span = Span(self.start, self.end)
        return span

    def __eq__(self, other: object) -> bool:
        if type(other) is not Cell:
            return NotImplemented
        return self.text == other.text and self.span == other.span

    def __repr__(self) -> str:
        return f"Cell(text={self.text!r}, span={self.span!r})"


class Row(Record):
    __slots__ = ("cells", "span", "line", "key")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, cells: list[Cell], span: Span, line: int, key: str | None = None) -> None:
        self.cells = cells
        self.span = span
        self.line = line
        # The line the cells were split from, when one line made them: what is derived
        # from the cells' texts alone is cached under it (a string keeps its hash).
        self.key = key


Row._fields = ("cells", "span", "line")  # the key only names the texts: equality and repr ignore it


class RawTable(Record):
    """Rows as they appear in the text, before mapping to a template table."""

    __slots__ = ("rows", "span", "kind")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, rows: list[Row], span: Span, kind: str) -> None:
        self.rows = rows
        self.span = span
        self.kind = kind  # "pipe" | "tab" | "flat"


class Origin(Record):
    """Where one line of extracted text came from in a Word file, web page or PDF.

    ``kind`` is "paragraph" (``number`` is the paragraph's number) or "row"
    (``number`` is the table's number, ``row`` the row's). ``cells`` maps each
    tab-separated column of the line to the source cell it came from
    (1-based; 0 for a grid position covered by a merged cell, -n for cell n
    when it only continues a merge from above, as Word's vMerge does).
    ``page`` is the PDF page (0 when the source has no pages).
    """

    __slots__ = ("kind", "number", "row", "cells", "page")

    def __init__(self, kind: str, number: int, row: int = 0, cells: tuple[int, ...] = (), page: int = 0) -> None:
        self.kind = kind
        self.number = number
        self.row = row
        self.cells = cells
        self.page = page

    def describe(self, column: int | None = None) -> str:
        """Chinese description, e.g. "第 12 段" or "表 2 第 3 行第 4 格"; ``column`` is 0-based."""
        page = f"第 {self.page} 页" if self.page else ""
        if self.kind == "row":
            where = f"表 {self.number} 第 {self.row} 行"
            if column is not None and 0 <= column < len(self.cells):
                cell = self.cells[column]
                if cell > 0:
                    where += f"第 {cell} 格"
                elif cell < 0:
                    where += f"第 {-cell} 格(合并单元格)"
                else:  # covered by a merged cell, no cell of its own: name the grid column
                    where += f"第 {column + 1} 列(合并单元格)"
            return f"{page} {where}".strip()
        if self.number:
            return f"{page} 第 {self.number} 段".strip()
        return page


class Document:
    """Decoded source text plus a line index and the normalised shadow.

    ``origins`` (optional, from the Word/HTML/PDF readers) holds one
    ``Origin`` (or None) per line of ``text``. ``line_starts[i]`` and
    ``line_ends[i]`` bound line i + 1 without its line break (CR LF or LF);
    both are ``array('q')`` (compare with ``list(...)``).
    """

    def __init__(
        self, text: str, path: str = "<string>", encoding: str = "utf-8", origins: list[Origin | None] | None = None
    ) -> None:
        self.text = text
        self.path = path
        self.encoding = encoding
        self.origins = origins
        # Compact arrays (8 bytes a line; a list of ints costs 40): a text of short lines has many.
        starts = offsets(accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
        starts.pop()
        ends = offsets(s - 1 for s in islice(starts, 1, None))
        ends.append(len(text))
        if "\r" in text:
            ends = offsets(e - 1 if e > s and text[e - 1] == "\r" else e for s, e in zip(starts, ends))
        self.line_starts = starts
        self.line_ends = ends

    @cached_property
    def shadow(self) -> Shadow:
        return make_shadow(self.text, pdf=self.from_pdf)

    @property
    def from_pdf(self) -> bool:
        """Whether the text comes from a PDF: pages from the PDF reader, or form feeds (pdftotext)."""
        return "\f" in self.text or any(o is not None and o.page for o in self.origins or ())

    def source_span(self, shadow_start: int, shadow_end: int) -> Span:
        """The source span of a match found in the shadow."""
        return Span(*self.shadow.span_to_source(shadow_start, shadow_end))

    def shadow_offset(self, offset: int) -> int:
        """The shadow offset of a source offset."""
        return self.shadow.from_source(offset)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        """1-based line number containing ``offset``."""
        return bisect_right(self.line_starts, offset if offset > 0 else 0)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; columns count code points."""
        if offset < 0:
            offset = 0
        elif offset > len(self.text):
            offset = len(self.text)
        starts = self.line_starts
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def location(self, span: Span) -> Location:
        text, starts = self.text, self.line_starts
        n = len(text)
        start = span.start
        s = 0 if start < 0 else n if start > n else start
        line = bisect_right(starts, s)
        end = span.end
        if start < end <= n and text[end - 1] == "\n":
            end -= 1  # an end right after a newline belongs to the line before it
        e = 0 if end < 0 else n if end > n else end
        end_line = bisect_right(starts, e)
        return Location(line, s - starts[line - 1] + 1, end_line, e - starts[end_line - 1] + 1)

    def line_span(self, line: int) -> Span:
        """Span of a 1-based line without its line break."""
        if 0 < line <= len(self.line_ends):
            return Span(self.line_starts[line - 1], self.line_ends[line - 1])
        # Out of range: as indexing the line index does (line 0 is the last line).
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return Span(start, end)

    def line_text(self, line: int) -> str:
        if 0 < line <= len(self.line_ends):
            return self.text[self.line_starts[line - 1] : self.line_ends[line - 1]]
        s = self.line_span(line)
        return self.text[s.start : s.end]

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def origin(self, offset: int) -> str | None:
        """Where ``offset`` lies in the original file ("表 2 第 3 行第 4 格"), when known."""
        if not self.origins:
            return None
        line, col = self.position(offset)
        o = self.origins[line - 1] if line <= len(self.origins) else None
        if o is None:
            return None
        start = self.line_starts[line - 1]
        column = self.text.count("\t", start, start + col - 1) if o.kind == "row" else None
        return o.describe(column) or None


class Blocks(Record):
    """What the block splitter found, in document order."""

    __slots__ = ("headings", "paragraphs", "tables", "regions")
    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        headings: list[Heading] | None = None,
        paragraphs: list[Paragraph] | None = None,
        tables: list[RawTable] | None = None,
        regions: list[tuple[int, int]] | None = None,
    ) -> None:
        self.headings = [] if headings is None else headings
        self.paragraphs = [] if paragraphs is None else paragraphs
        self.tables = [] if tables is None else tables
        # Lines (first, last; 1-based) that draw a table, whatever its layout: no heading or
        # paragraph is taken from them, and prose is never joined across them.
        self.regions = [] if regions is None else regions
