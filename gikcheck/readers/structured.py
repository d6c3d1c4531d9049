"""The one text shape the structured readers (.docx, .html, .pdf) produce.

One paragraph per line; each table row on one line with its cells separated
by tabs, merged cells expanded to the table's grid (the text in the merged
cell's first grid position, blanks in the others); a blank line around each
table. ``TextBuilder`` does that for all of them and records each line's
``Origin`` (paragraph, table/row/cell, page). Imported only when such a
file is read.
"""

from __future__ import annotations

import re

from .. import rx
from ..document import Document, Origin
from ..reading import MAX_EXTRACTED_CHARS, MAX_EXTRACTED_LINES, ReadError, looks_like_report, too_long
from ..records import Record

MAX_COLSPAN = 1000  # the HTML standard's limit
MAX_ROWSPAN = 65534  # likewise
MAX_GRID_COLUMNS = 1000
MAX_TABLE_CELLS = 200_000  # expanded grid positions in one table (表三 has ~300)

_BREAKS = re.compile(r"[\t\r\n\v\f\u2028\u2029\x85]+")
_SPACES = re.compile(r"[ \u00a0]{2,}")
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# `regex`, not `re`: `re` spends ~2 ms compiling a class of the CJK blocks (it maps them bit by bit).
CJK_GAP = rx.compile(
    rf"(?<=[{_CJK}])[ \t\r\n\v\f\u2028\u2029\x85]*[\r\n\v\f\u2028\u2029\x85][ \t\r\n\v\f\u2028\u2029\x85]*(?=[{_CJK}])"
)


def join_lines(text: str) -> str:
    """One line from text wrapped over several (a table cell, a PDF cell).

    Between Chinese characters a line break is dropped; elsewhere it becomes
    a space. Tabs become spaces (a tab separates cells), and so does "|"
    (a pipe would make the line a pipe-separated row).
    """
    text = CJK_GAP.sub("", text)
    text = _BREAKS.sub(" ", text).replace("|", "｜")
    return _SPACES.sub(" ", text).strip(" ")


class SourceCell(Record):
    """One cell as the source has it: text, spans, and its number in the row.

    ``number`` is 1-based; negative for a cell that only continues a merge
    from the row above (Word's vMerge), 0 for a filler with no cell.
    """

    __slots__ = ("text", "colspan", "rowspan", "number")

    def __init__(self, text: str, colspan: int = 1, rowspan: int = 1, number: int = 0) -> None:
        self.text = text
        self.colspan = colspan
        self.rowspan = rowspan  # 0: to the end of the table (HTML's rowspan="0")
        self.number = number


class SourceTable(Record):
    __slots__ = ("rows", "page")

    def __init__(self, rows: list[list[SourceCell]] | None = None, page: int = 0) -> None:
        self.rows: list[list[SourceCell]] = [] if rows is None else rows
        self.page = page


def expand_grid(rows: list[list[SourceCell]]) -> list[list[tuple[str, int]]]:
    """Lay cells with row and column spans out on the table's grid.

    Returns, per row, (text, source cell number) for every grid position:
    a merged cell's text in its first position, ("", 0) in the positions it
    covers. Spans are clipped to sane limits; a grid too large for a report
    table raises ReadError. Iterative: no recursion, bounded work.
    """
    n_rows = len(rows)
    occupied: dict[int, set[int]] = {}  # row index -> grid columns taken by rowspans from above
    out: list[list[tuple[str, int]]] = []
    cells_total = 0
    for r, row in enumerate(rows):
        taken = occupied.pop(r, set())
        line: list[tuple[str, int]] = []
        col = 0
        for cell in row:
            while col in taken:
                col += 1
            colspan = min(max(cell.colspan, 1), MAX_COLSPAN)
            rowspan = cell.rowspan if cell.rowspan >= 0 else 1
            rowspan = n_rows - r if rowspan == 0 else min(rowspan, MAX_ROWSPAN, n_rows - r)
            if col + colspan > MAX_GRID_COLUMNS:
                raise ReadError(f"表格超过 {MAX_GRID_COLUMNS} 列,不是年度报告的表格")
            cells_total += colspan * rowspan
            if cells_total > MAX_TABLE_CELLS:  # checked before any work proportional to the spans
                raise ReadError(f"表格展开后超过 {MAX_TABLE_CELLS} 个单元格,不是年度报告的表格")
            while len(line) < col + colspan:
                line.append(("", 0))
            line[col] = (cell.text, cell.number)
            for k in range(1, rowspan):
                occupied.setdefault(r + k, set()).update(range(col, col + colspan))
            col += colspan
        if taken:
            while len(line) < max(taken) + 1:
                line.append(("", 0))
        out.append(line)
    width = max((len(line) for line in out), default=0)
    for line in out:
        line.extend([("", 0)] * (width - len(line)))
    return out


class TextBuilder:
    """Accumulates paragraphs and tables as the linter's text, with each line's origin."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origins: list[Origin | None] = []
        self.paragraphs = 0
        self.tables = 0
        self.row_number = 0
        self.size = 0

    def _add(self, line: str, origin: Origin | None) -> None:
        self.size += len(line) + 1
        if self.size > MAX_EXTRACTED_CHARS:
            raise too_long(chars=self.size)
        if len(self.lines) >= MAX_EXTRACTED_LINES:
            raise too_long(lines=len(self.lines) + 1)
        self.lines.append(line)
        self.origins.append(origin)

    def _blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self._add("", None)

    def paragraph(self, text: str, page: int = 0, number: int | None = None) -> None:
        """A paragraph (line breaks inside it start new lines); empty ones are skipped.

        ``number``: the paragraph's number in the source (default: count the
        paragraphs given here).
        """
        parts = [
            p
            for p in (
                _SPACES.sub(" ", s.replace("\t", " ")).strip(" ") for s in re.split(r"[\r\n\v\f\u2028\u2029\x85]", text)
            )
            if p.strip()
        ]
        self.paragraphs += 1
        if not parts:
            return
        origin = Origin("paragraph", self.paragraphs if number is None else number, page=page)
        if self.origins and self.origins[-1] is not None and self.origins[-1].kind == "row":
            self._blank()
        for p in parts:
            self._add(p, origin)

    def table(self, table: SourceTable, number: int | None = None, continued: bool = False) -> None:
        """A table, its merged cells expanded; ``continued``: the rest of the previous table
        (a table broken by a PDF page) — its rows follow the previous ones without a break.
        """
        grid = expand_grid(table.rows)
        if not continued:
            self.tables += 1
            self.row_number = 0
        if not grid or not any(t for row in grid for t, _ in row):
            return
        if continued:
            while self.lines and self.lines[-1] == "" and self.origins[-1] is None:
                self.lines.pop()
                self.origins.pop()
        else:
            self._blank()
        table_no = self.tables if number is None else number
        for row in grid:
            self.row_number += 1
            if not any(t.strip() for t, _ in row):
                continue
            cells = tuple(n for _, n in row)
            self._add("\t".join(t for t, _ in row), Origin("row", table_no, self.row_number, cells, table.page))

    def document(self, path: str, encoding: str) -> Document:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
            self.origins.pop()
        text = "\n".join(self.lines) + ("\n" if self.lines else "")
        if not text.strip():
            raise ReadError("文件中没有文字内容")
        reason = looks_like_report(text)
        if reason:
            raise ReadError(reason)
        return Document(text, path=path, encoding=encoding, origins=list(self.origins) + [None])


def guarded_read(kind: str, read, data: bytes, path: str) -> Document:
    """Run a reader; anything but ReadError becomes a ReadError naming ``kind`` (never a traceback)."""
    if not data.strip(b" \t\r\n\x00"):
        raise ReadError("文件为空")
    try:
        return read(data, path)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"{kind}过大,读取时内存不足") from None
    except RecursionError:
        raise ReadError(f"{kind}嵌套过深,无法读取") from None
    except Exception as e:  # a damaged file can make any library raise anything
        detail = str(e).splitlines()[0][:120] if str(e) else ""
        raise ReadError(
            f"{kind}已损坏或格式异常,无法读取({type(e).__name__}{': ' + detail if detail else ''})"
        ) from None
