"""Opening a PDF: its limits, its streams checked before PDFium parses it, and a PDF opened ahead.

The command line opens a single PDF before it loads the engine and the
rules (``open_ahead``): the file is checked and opened here, and PDFium
parses its pages in another thread, in C with the GIL released (≈ 15 ms for
a report of a few pages), while this thread loads the engine, the rules and
the rest of the reader (≈ 15 ms of Python). So this module imports only
what opening needs; the reader (pdf.py) takes the document up when it reads
the same bytes.
"""

from __future__ import annotations

import time

from .. import TYPE_CHECKING
from ..reading import MAX_INPUT_BYTES, MAX_REPORT_CHARS, ReadError, check_input_size, read_file
from .sniff import is_pdf

if TYPE_CHECKING:
    from typing import Any

    from .pdfium import PdfDocument

MAX_PDF_PAGES = 300  # an annual report has 3–30 pages
MAX_PDF_CHARS = MAX_REPORT_CHARS  # characters over all pages
MAX_PDF_SECONDS = 30.0  # for the whole file, checked between pages
MAX_PAGE_CHARS = 20_000  # a dense A4 page holds ~2,000
# PDFium parses a page in C, fast (400,000 objects: 0.7 s) but all at once (~350 bytes per object);
# turning paths into ruling lines then costs ~30 µs per path here.
MAX_PAGE_OBJECTS = 100_000  # text, path and image objects of one page, forms' included (a report page: ~1,000)
MAX_PAGE_OPERATIONS = 1_500_000  # operators and operands of one content stream (a report page: ~20,000)
MAX_PDF_INFLATED = 100 * 1024 * 1024  # bytes produced by decompressing streams, over the whole file
PREFETCH_PAGES = 32  # pages parsed ahead by open_ahead (a report's all; a longer file's others one by one)
# Objects and characters of the pages parsed ahead, held in memory at once (a report page: ~1,000 of each)
PREFETCH_BUDGET = 120_000


def open_pdf(data: bytes, max_inflated: int, max_operations: int, seconds: float) -> tuple[PdfDocument, list[bytes]]:
    """``data`` as an open ``pdfium.PdfDocument``, once its streams are found within the limits
    (pdfbudget.py), and its decoded object streams; a ReadError saying why not."""
    check_input_size(data, "PDF 文件")
    from . import pdfium
    from .pdfbudget import check_streams

    try:
        pdfium.library()
    except (ImportError, OSError):
        raise ReadError("这是 PDF 文件;读取 PDF 需要 pypdfium2,请安装: pip install 'gikcheck[pdf]'") from None
    objects = check_streams(data, max_inflated, max_operations, time.monotonic() + seconds)
    with pdfium.LOCK:
        try:
            return pdfium.PdfDocument(data), objects
        except pdfium.OpenError as e:
            if e.code in (pdfium.ERR_PASSWORD, pdfium.ERR_SECURITY):
                raise ReadError("PDF 文件已加密（需要密码），无法读取") from None
            raise ReadError("PDF 文件已损坏或不完整，无法打开") from None


# A PDF opened ahead, at most one: (its bytes, its PdfDocument or the ReadError met opening it).
_ahead: list[tuple[bytes, Any]] = []


def open_ahead(path: str) -> None:
    """Start reading the PDF file at ``path`` before it is checked (see the module's notes).

    Anything that goes wrong here is left for the reader to meet, and report,
    again; a ReadError is kept for it rather than worked out twice.
    """
    drop_ahead()
    try:
        data = read_file(path, MAX_INPUT_BYTES)
        if not is_pdf(data):
            return
        try:
            doc, objects = open_pdf(data, MAX_PDF_INFLATED, MAX_PAGE_OPERATIONS, MAX_PDF_SECONDS)
        except ReadError as e:
            _ahead.append((data, e))
            return
        _ahead.append((data, doc))
        from . import pdfium
        from .pdfbudget import has_forms

        count = doc.page_count()
        # The budget does not count form XObjects' objects: a file that has any is read page by page.
        if 0 < count <= MAX_PDF_PAGES and not has_forms([data, *objects]):
            deadline = time.monotonic() + MAX_PDF_SECONDS
            doc.prefetch(min(count, PREFETCH_PAGES), MAX_PAGE_OBJECTS, PREFETCH_BUDGET, deadline)
        doc.descents = pdfium.font_descents([data, *objects])  # while the pages load
    except Exception:  # met again by the reader, which reports it
        drop_ahead()


def take_ahead(data: bytes) -> Any:
    """What open_ahead made of ``data`` (a PdfDocument or a ReadError), or None; what it made of
    other bytes is closed."""
    if not _ahead:
        return None
    ahead, got = _ahead.pop()
    if ahead is data or ahead == data:
        return got
    if not isinstance(got, ReadError):
        got.close()
    return None


def drop_ahead() -> None:
    """Close what open_ahead made and the reader did not take up (once its pages are loaded)."""
    while _ahead:
        _, got = _ahead.pop()
        if not isinstance(got, ReadError):
            got.close()
