"""PDF (optional extra ``gikcheck[pdf]``, PDFium): text and ruled tables, page by page.

Tables are found from their ruling lines (as Word and WPS export them);
the text outside the tables is read line by line, and lines wrapped at the
right margin are joined back into paragraphs. A table broken by a page
break is joined with its continuation. Running page numbers are dropped. A
PDF without a text layer (a scan) cannot be checked and says so.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from operator import itemgetter

from .. import TYPE_CHECKING
from ..document import Document
from ..reading import ReadError
from .pdfgrid import bbox, close_cut_rows, rows, table_edges, tables_from_edges, tables_within
from .pdfopen import (
    MAX_PAGE_CHARS,
    MAX_PAGE_OBJECTS,
    MAX_PAGE_OPERATIONS,
    MAX_PDF_CHARS,
    MAX_PDF_INFLATED,
    MAX_PDF_PAGES,
    MAX_PDF_SECONDS,
    open_pdf,
    take_ahead,
)
from .pdftext import BOTTOM, TEXT, TOP, X0, X1, cell_text, text_lines
from .sniff import is_pdf
from .structured import SourceCell, SourceTable, TextBuilder, guarded_read, join_lines

# Crossings of ruling lines on one page: the table finder is quadratic in its cells
# (170 × 170 lines: seconds). A page of report tables has at most ~300.
MAX_PAGE_GRID_POINTS = 3000
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?|[-—–－]\s*\d{1,4}\s*[-—–－])[\s\-—–－·]*$"
)
_ORDINAL_START = re.compile(r"^[\s\u3000]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")

if TYPE_CHECKING:
    from typing import Any, NoReturn

    from .pdftext import Char, Line

    # A character with its centre: (x, y, index in the page's order, the character).
    Centred = tuple[float, float, int, Char]


def _centred(chars: list[Char]) -> list[Centred]:
    # (c[1] + c[2], c[3] + c[4]): x0 + x1, top + bottom (pdftext's positions, as literals: per character)
    return [((c[1] + c[2]) / 2, (c[3] + c[4]) / 2, k, c) for k, c in enumerate(chars)]


def _outside(centred: list[Centred], boxes: list[tuple[float, float, float, float]]) -> list[Char]:
    """The characters whose centre lies in none of the boxes (edges included)."""
    if len(boxes) == 1:  # the common case, without a loop per character
        [(x0, top, x1, bottom)] = boxes
        return [c for cx, cy, _, c in centred if not (x0 <= cx <= x1 and top <= cy <= bottom)]
    out = []
    for cx, cy, _, c in centred:
        for x0, top, x1, bottom in boxes:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                break
        else:
            out.append(c)
    return out


def _paragraphs(lines: list[Line]) -> list[tuple[float, str]]:
    """Join lines wrapped at the right margin into paragraphs: (top, text)."""
    if not lines:
        return []
    left = min(ln[X0] for ln in lines)
    right = max(ln[X1] for ln in lines)
    out: list[tuple[float, str]] = []
    prev: Line | None = None
    for ln in lines:
        size = max(ln[BOTTOM] - ln[TOP], 1.0)
        text = ln[TEXT]
        joins = (
            prev is not None
            and prev[X1] >= right - 2 * size  # the previous line ran to the margin
            and ln[X0] <= left + 0.5 * size  # this one is not indented
            and ln[TOP] - prev[BOTTOM] < 1.2 * size  # and follows closely
            and not _ORDINAL_START.match(text)
        )
        if joins and out:
            out[-1] = (out[-1][0], join_lines(out[-1][1] + "\n" + text))
        else:
            out.append((ln[TOP], text))
        prev = ln
    return out


# What join_lines changes: line breaks and tabs (and spaces between Chinese characters around a
# break), "|", runs of spaces or no-break spaces. A cell's text with none of them only loses its
# outer spaces (most cells: a number or a label on one line).
_JOINED = frozenset("\t\r\n\v\f\u2028\u2029\x85|\u00a0")


def _cell_line(text: str) -> str:
    """``join_lines(text)``, without its regular expressions where they would change nothing."""
    if "  " in text or not _JOINED.isdisjoint(text):
        return join_lines(text)
    return text.strip(" ")


_cx, _cy, _index, _char = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)  # of a Centred


def _by_height(centred: list[Centred]) -> tuple[list[Centred], list[float]]:
    """The page's characters by the height of their centre (those of equal height in the page's order), and
    those heights; without the characters whose centre's height is NaN, which no box holds."""
    by_y = sorted([t for t in centred if t[1] == t[1]], key=_cy)  # without NaN, the order is total
    return by_y, list(map(_cy, by_y))


def _table_rows(
    page: tuple[list[Centred], list[float]], cells: list[tuple[float, float, float, float]]
) -> list[list[str | None]]:
    """A table's text row by row (None where no cell starts at a column of the grid), from the page's
    characters as ``_by_height`` gives them."""
    page_by_y, page_ys = page
    x0, top, x1, bottom = bbox(cells)
    # The characters whose centre lies in the table (its right and bottom edges included), by height: a
    # slice of the page's by bisection, then checked by x. A row's are a slice of them, and a cell's a
    # slice of its row's by x (found by bisection, then checked by height, and put back in the page's
    # order). None has a NaN centre: the orders are total.
    x1 += 1
    by_y = [t for t in page_by_y[bisect_left(page_ys, top) : bisect_left(page_ys, bottom + 1)] if x0 <= t[0] < x1]
    ys = list(map(_cy, by_y))
    out: list[list[str | None]] = []
    grid = sorted({c[0] for c in cells})
    for row in rows(cells):
        present = [c for c in row if c is not None]
        if not present:
            out.append([None] * len(row))
            continue
        # bbox(present): a row's cells share their top and come by their left edge.
        rx0, rtop = present[0][0], present[0][1]
        rx1 = max([c[2] for c in present])
        rbottom = max([c[3] for c in present])
        some = by_y[bisect_left(ys, rtop) : bisect_left(ys, rbottom)]
        by_x = [t for t in some if rx0 <= t[0] < rx1 and rtop <= t[1] < rbottom]
        by_x.sort(key=_cx)
        xs = list(map(_cx, by_x))
        texts: list[str | None] = []
        near: list[tuple[float, float, float, float]] | None = None  # the cells the row's height meets
        for k, c in enumerate(row):
            if c is None:
                if near is None:
                    near = [b for b in cells if b[1] < rbottom and b[3] > rtop]
                right = grid[k + 1] if k + 1 < len(grid) else x1
                texts.append(_in_no_cell(some, grid[k], right, rtop, rbottom, near))
                continue
            # The characters whose centre lies in the cell (its left and top edges included).
            cx0, ctop, cx1, cbottom = c
            found = [t for t in by_x[bisect_left(xs, cx0) : bisect_left(xs, cx1)] if ctop <= t[1] < cbottom]
            if len(found) > 1:
                found.sort(key=_index)  # the page's order
            texts.append(cell_text(list(map(_char, found))))
        out.append(texts)
    return out


def _in_no_cell(
    row: list[Centred],
    left: float,
    right: float,
    top: float,
    bottom: float,
    cells: list[tuple[float, float, float, float]],
) -> str | None:
    """The text at a place of a row where no cell starts, that no cell holds (None: none): a label
    cell spanning rows across a page break has no edge at the break, so it is no cell of either
    page's grid, and its text on each page would be lost (「三、」 of 三、本年度办理结果)."""
    found = [
        t
        for t in row
        if left <= t[0] < right
        and top <= t[1] < bottom
        and not any(x0 <= t[0] < x1 and ctop <= t[1] < cbottom for x0, ctop, x1, cbottom in cells)
    ]
    if not found:
        return None
    found.sort(key=_index)
    return cell_text(list(map(_char, found)))


class PdfReader:
    """PDF with a text layer (exported from Word/WPS, or printed to PDF)."""

    name = "pdf"
    suffixes = (".pdf",)

    def sniff(self, data: bytes) -> bool:
        return is_pdf(data)

    def read(self, data: bytes, path: str) -> Document:
        return guarded_read("PDF 文件", self._read, data, path)

    def _read(self, data: bytes, path: str) -> Document:
        from . import pdfium

        doc = take_ahead(data)  # opened ahead by the command line (pdfopen.py), its descents found
        if isinstance(doc, ReadError):
            raise doc
        objects = None
        if doc is None:
            doc, objects = open_pdf(data, MAX_PDF_INFLATED, MAX_PAGE_OPERATIONS, MAX_PDF_SECONDS)
        with pdfium.LOCK, doc:
            if objects is not None:
                doc.descents = pdfium.font_descents([data, *objects])
            return self._pages(doc, path)

    def _pages(self, doc: Any, path: str) -> Document:
        from . import pdfium

        # Pages loaded ahead were loaded within this time too (pdfopen.open_ahead).
        since = doc.loading_since
        deadline = (time.monotonic() if since is None else since) + MAX_PDF_SECONDS
        count = doc.page_count()
        if count > MAX_PDF_PAGES:
            raise ReadError(f"PDF 有 {count} 页,超过上限 {MAX_PDF_PAGES} 页,不是一份年度报告")
        if count <= 0:
            raise ReadError("PDF 文件没有页面")
        out = TextBuilder()
        total_chars = 0
        images = 0
        last_was_table_width = 0  # the previous page ended with a table this wide
        for number in range(1, count + 1):
            if time.monotonic() > deadline:
                raise ReadError(f"PDF 解析超过 {MAX_PDF_SECONDS:g} 秒(读到第 {number} 页),文件结构异常,已放弃")
            try:
                page = doc.page(number - 1, MAX_PAGE_OBJECTS, MAX_PAGE_CHARS)
            except pdfium.TooMany as e:
                if e.kind == "chars":
                    raise ReadError(
                        f"PDF 第 {number} 页的字符超过 {MAX_PAGE_CHARS} 个,不是正常的报告页面,已放弃"
                    ) from None
                raise ReadError(f"PDF 第 {number} 页的绘制对象超过 {MAX_PAGE_OBJECTS} 个,文件结构异常,已放弃") from None
            except pdfium.OpenError:
                raise ReadError(f"PDF 文件已损坏,无法读取第 {number} 页") from None
            chars = page.chars
            total_chars += len(chars)
            images += page.images
            if total_chars > MAX_PDF_CHARS:
                raise ReadError(f"PDF 的文字超过 {MAX_PDF_CHARS // 10000} 万字,不是一份年度报告")
            if not chars:
                continue
            edges = close_cut_rows(table_edges(page.edges))
            if len(page.edges) >= 100:  # enough to make a grid too dense to search
                dense = tables_within(edges, MAX_PAGE_GRID_POINTS)
                if dense is None:
                    _too_dense(number)
                found = dense
            else:
                found = tables_from_edges(edges)
            boxes = [bbox(t) for t in found]
            items: list[tuple[float, int, Any]] = [(box[1], 1, t) for box, t in zip(boxes, found)]
            centred = _centred(chars) if boxes else []
            by_height = _by_height(centred) if boxes else ([], [])
            outside = _outside(centred, boxes) if boxes else chars
            lines = [ln for ln in text_lines(outside) if ln[TEXT].strip()]
            height = page.height
            lines = [
                ln
                for ln in lines
                if not ((ln[TOP] > height * 0.85 or ln[BOTTOM] < height * 0.15) and _PAGE_NUMBER.match(ln[TEXT]))
            ]
            for top, text in _paragraphs(lines):
                items.append((top, 0, text))
            items.sort(key=lambda it: (it[0], it[1]))
            for i, (_, kind, item) in enumerate(items):
                if kind == 0:
                    out.paragraph(item, page=number)
                    last_was_table_width = 0
                    continue
                rows = _table_rows(by_height, item)
                table = SourceTable(page=number)
                for row in rows:
                    table.rows.append(
                        [
                            SourceCell(_cell_line(c) if c else "", 1, 1, j + 1 if c is not None else 0)
                            for j, c in enumerate(row)
                        ]
                    )
                width = max((len(r) for r in rows), default=0)
                out.table(table, continued=(i == 0 and width == last_was_table_width and width > 0))
                last_was_table_width = width
            if items and items[-1][1] == 0:
                last_was_table_width = 0
        if total_chars == 0:
            what = "扫描件或图片" if images else "没有文字层的 PDF"
            raise ReadError(f"PDF 中没有可提取的文字(可能是{what}),无法检查;请提供可复制文字的 PDF,或 Word/网页版本")
        return out.document(path, "pdf")


def _too_dense(number: int) -> NoReturn:
    raise ReadError(f"PDF 第 {number} 页的表格线过多(超过 {MAX_PAGE_GRID_POINTS} 个交点),不是正常的报告表格,已放弃")


PDF_READER = PdfReader()
