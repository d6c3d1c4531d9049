"""PDF (optional extra ``gikcheck[pdf]``, pdfplumber): text and ruled tables, page by page.

Tables are found from their ruling lines (as Word and WPS export them);
the text outside the tables is read line by line, and lines wrapped at the
right margin are joined back into paragraphs. A table broken by a page
break is joined with its continuation. Running page numbers are dropped. A
PDF without a text layer (a scan) cannot be checked and says so.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from ..document import Document
from ..reading import MAX_REPORT_CHARS, ReadError, check_input_size
from .sniff import is_pdf
from .structured import SourceCell, SourceTable, TextBuilder, guarded_read, join_lines

MAX_PDF_PAGES = 300  # an annual report has 3–30 pages
MAX_PDF_CHARS = MAX_REPORT_CHARS  # characters over all pages
MAX_PDF_SECONDS = 30.0  # for the whole file, checked while each page is read (see pdfbudget.py)
MAX_PAGE_CHARS = 20_000  # a dense A4 page holds ~2,000
MAX_PAGE_OPERATIONS = 500_000  # operators and operands of one page's content (a report page: ~20,000)
MAX_PDF_INFLATED = 100 * 1024 * 1024  # bytes produced by decompressing streams, over the whole file
# Crossings of ruling lines on one page: pdfplumber's table finder is quadratic in its cells
# (100 × 100 lines: 4 s; 170 × 170: 25 s). A page of report tables has at most ~300.
MAX_PAGE_GRID_POINTS = 3000
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?|[-—–－]\s*\d{1,4}\s*[-—–－])[\s\-—–－·]*$"
)
_ORDINAL_START = re.compile(r"^[\s\u3000]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _paragraphs(lines: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Join lines wrapped at the right margin into paragraphs: (top, text)."""
    if not lines:
        return []
    left = min(ln["x0"] for ln in lines)
    right = max(ln["x1"] for ln in lines)
    out: list[tuple[float, str]] = []
    prev: dict[str, Any] | None = None
    for ln in lines:
        size = max(ln["bottom"] - ln["top"], 1.0)
        text = ln["text"]
        joins = (
            prev is not None
            and prev["x1"] >= right - 2 * size  # the previous line ran to the margin
            and ln["x0"] <= left + 0.5 * size  # this one is not indented
            and ln["top"] - prev["bottom"] < 1.2 * size  # and follows closely
            and not _ORDINAL_START.match(text)
        )
        if joins and out:
            out[-1] = (out[-1][0], join_lines(out[-1][1] + "\n" + text))
        else:
            out.append((ln["top"], text))
        prev = ln
    return out


def _grid_points(page: Any) -> int:
    """Crossings of the page's ruling lines (once merged), as pdfplumber's table finder sees them."""
    from pdfplumber.table import DEFAULT_JOIN_TOLERANCE as join
    from pdfplumber.table import DEFAULT_SNAP_TOLERANCE as snap
    from pdfplumber.table import edges_to_intersections, merge_edges

    edges = page.edges
    if len(edges) < 100:
        return 0
    merged = merge_edges(edges, snap, snap, join, join)
    across = sum(1 for e in merged if e["orientation"] == "h")
    if across * (len(merged) - across) > 100 * MAX_PAGE_GRID_POINTS:  # finding the crossings is itself h × v
        return across * (len(merged) - across)
    return len(edges_to_intersections(merged, snap, snap))


def _too_dense(number: int) -> list:
    raise ReadError(f"PDF 第 {number} 页的表格线过多(超过 {MAX_PAGE_GRID_POINTS} 个交点),不是正常的报告表格,已放弃")


def _encrypted(error: BaseException, data: bytes) -> bool:
    """Whether opening failed for a password: pdfplumber wraps pdfminer's PDFPasswordIncorrect
    (or PDFEncryptionError) in its own exception, so the chain and the file's /Encrypt are asked."""
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None:
            break
        if any(w in type(seen).__name__ for w in ("Password", "Encrypt")):
            return True
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    return b"/Encrypt" in data[-4096:] or b"/Encrypt" in data[:4096]


class PdfReader:
    """PDF with a text layer (exported from Word/WPS, or printed to PDF)."""

    name = "pdf"
    suffixes = (".pdf",)

    def sniff(self, data: bytes) -> bool:
        return is_pdf(data)

    def read(self, data: bytes, path: str) -> Document:
        return guarded_read("PDF 文件", self._read, data, path)

    def _read(self, data: bytes, path: str) -> Document:
        check_input_size(data, "PDF 文件")
        try:
            import pdfplumber
        except ImportError:
            raise ReadError("这是 PDF 文件;读取 PDF 需要 pdfplumber,请安装: pip install 'gikcheck[pdf]'") from None
        from .pdfbudget import Budget, PdfLimit

        quiet = logging.getLogger("pdfminer")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # pdfminer warns on every harmless quirk
        budget = Budget(MAX_PAGE_CHARS, MAX_PAGE_OPERATIONS, MAX_PDF_INFLATED, MAX_PDF_SECONDS)
        try:
            with budget:
                try:
                    pdf = pdfplumber.open(io.BytesIO(data))
                except PdfLimit:
                    raise
                except Exception as e:
                    if _encrypted(e, data):
                        raise ReadError("PDF 文件已加密（需要密码），无法读取") from None
                    raise ReadError(f"PDF 文件已损坏或不完整，无法打开（{type(e).__name__}）") from None
                with pdf:
                    return self._pages(pdf, path, budget)
        except Exception:
            # A limit passed inside pdfminer may have been caught and turned into another error there.
            if budget.failure is not None:
                raise budget.failure from None
            raise
        finally:
            quiet.setLevel(level)

    def _pages(self, pdf: Any, path: str, budget: Any) -> Document:
        try:
            pages = pdf.pages
        except Exception as e:
            raise ReadError(f"PDF 文件已损坏,无法读取页面({type(e).__name__})") from None
        if len(pages) > MAX_PDF_PAGES:
            raise ReadError(f"PDF 有 {len(pages)} 页,超过上限 {MAX_PDF_PAGES} 页,不是一份年度报告")
        if not pages:
            raise ReadError("PDF 文件没有页面")
        out = TextBuilder()
        total_chars = 0
        images = 0
        last_was_table_width = 0  # the previous page ended with a table this wide
        for number, page in enumerate(pages, 1):
            budget.start_page(number)
            chars = page.chars
            total_chars += len(chars)
            images += len(page.images)
            if total_chars > MAX_PDF_CHARS:
                raise ReadError(f"PDF 的文字超过 {MAX_PDF_CHARS // 10000} 万字,不是一份年度报告")
            if not chars:
                continue
            found = page.find_tables() if _grid_points(page) <= MAX_PAGE_GRID_POINTS else _too_dense(number)
            boxes = [t.bbox for t in found]
            items: list[tuple[float, int, Any]] = []
            for t in found:
                items.append((t.bbox[1], 1, t))
            outside = (
                page.filter(lambda o, boxes=boxes: o.get("object_type") != "char" or not _inside(o, boxes))
                if boxes
                else page
            )
            lines = [ln for ln in outside.extract_text_lines() if ln["text"].strip()]
            height = float(page.height or 0)
            lines = [
                ln
                for ln in lines
                if not (_PAGE_NUMBER.match(ln["text"]) and (ln["top"] > height * 0.85 or ln["bottom"] < height * 0.15))
            ]
            for top, text in _paragraphs(lines):
                items.append((top, 0, text))
            items.sort(key=lambda it: (it[0], it[1]))
            for i, (_, kind, item) in enumerate(items):
                if kind == 0:
                    out.paragraph(item, page=number)
                    last_was_table_width = 0
                    continue
                rows = item.extract()
                table = SourceTable(page=number)
                for row in rows:
                    table.rows.append(
                        [
                            SourceCell(join_lines(c) if c else "", 1, 1, j + 1 if c is not None else 0)
                            for j, c in enumerate(row)
                        ]
                    )
                width = max((len(r) for r in rows), default=0)
                out.table(table, continued=(i == 0 and width == last_was_table_width and width > 0))
                last_was_table_width = width
            if items and items[-1][1] == 0:
                last_was_table_width = 0
            budget.check_time()
            if hasattr(page, "close"):
                page.close()  # free the page's layout objects
        if total_chars == 0:
            what = "扫描件或图片" if images else "没有文字层的 PDF"
            raise ReadError(f"PDF 中没有可提取的文字(可能是{what}),无法检查;请提供可复制文字的 PDF,或 Word/网页版本")
        return out.document(path, "pdf")


PDF_READER = PdfReader()
