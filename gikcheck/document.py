"""The document model: source text with a line index, and its blocks.

Everything the parser finds (headings, paragraphs, table cells) carries a
``Span`` of offsets into ``Document.text``, the decoded source exactly as
the user has it. Matching happens on ``Document.shadow`` (normalised) and
maps back through its offset map.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from .diagnostics import Location, Span
from .normalize import Shadow, make_shadow


@dataclass
class Heading:
    span: Span            # the whole heading text (ordinal included)
    ordinal: str          # "一、", "（一）", "1.", "1、", "" when none
    style: str            # "cn" 一、 | "paren-cn" （一） | "num-dot" 1. | "num-comma" 1、 | "paren-num" (1) | ""
    number: int           # value of the ordinal (0 when none)
    title: str            # text after the ordinal
    title_span: Span
    line: int             # 1-based
    inline: bool = False  # found inside a line of running text (web-flattened pages)

    @property
    def level(self) -> int:
        return {"cn": 1, "paren-cn": 2, "num-dot": 3, "num-comma": 3, "paren-num": 4}.get(self.style, 9)


@dataclass
class Paragraph:
    span: Span
    line: int


@dataclass
class Cell:
    text: str
    span: Span

    @property
    def empty(self) -> bool:
        return not self.text.strip(" \t\u3000\u00a0?？")


@dataclass
class Row:
    cells: list[Cell]
    span: Span
    line: int


@dataclass
class RawTable:
    """Rows as they appear in the text, before mapping to a template table."""

    rows: list[Row]
    span: Span
    kind: str  # "pipe" | "tab" | "flat"


@dataclass(frozen=True)
class Origin:
    """Where one line of extracted text came from in a Word file, web page or PDF.

    ``kind`` is "paragraph" (``number`` is the paragraph's number) or "row"
    (``number`` is the table's number, ``row`` the row's). ``cells`` maps each
    tab-separated column of the line to the source cell it came from
    (1-based; 0 for a grid position covered by a merged cell, -n for cell n
    when it only continues a merge from above, as Word's vMerge does).
    ``page`` is the PDF page (0 when the source has no pages).
    """

    kind: str
    number: int
    row: int = 0
    cells: tuple[int, ...] = ()
    page: int = 0

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
    ``Origin`` (or None) per line of ``text``.
    """

    def __init__(self, text: str, path: str = "<string>", encoding: str = "utf-8",
                 origins: list[Origin | None] | None = None) -> None:
        self.text = text
        self.path = path
        self.encoding = encoding
        self.origins = origins
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts

    @cached_property
    def shadow(self) -> Shadow:
        return make_shadow(self.text)

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
        return bisect.bisect_right(self.line_starts, max(0, offset))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; columns count code points."""
        offset = min(max(0, offset), len(self.text))
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def location(self, span: Span) -> Location:
        line, col = self.position(span.start)
        end = span.end
        if end > span.start and end <= len(self.text):
            # An end right after a newline belongs to the line before it.
            if self.text[end - 1] == "\n":
                end -= 1
        end_line, end_col = self.position(end)
        return Location(line, col, end_line, end_col)

    def line_span(self, line: int) -> Span:
        """Span of a 1-based line without its line break."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return Span(start, end)

    def line_text(self, line: int) -> str:
        s = self.line_span(line)
        return self.text[s.start:s.end]

    def slice(self, span: Span) -> str:
        return self.text[span.start:span.end]

    def origin(self, offset: int) -> str | None:
        """Where ``offset`` lies in the original file ("表 2 第 3 行第 4 格"), when known."""
        if not self.origins:
            return None
        line, col = self.position(offset)
        if line > len(self.origins) or self.origins[line - 1] is None:
            return None
        o = self.origins[line - 1]
        start = self.line_starts[line - 1]
        column = self.text.count("\t", start, start + col - 1) if o.kind == "row" else None
        return o.describe(column) or None


@dataclass
class Blocks:
    """What the block splitter found, in document order."""

    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
