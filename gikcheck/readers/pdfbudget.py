"""Limits that hold *while* pdfminer works, not only between pages.

A one-page PDF of a few kilobytes can hold 200,000 text-show operators, and
a 2 MB content stream can inflate to gigabytes: checked between pages, such
a page has already cost minutes and gigabytes. So, while a ``Budget`` is
active (``with Budget(...)``), pdfminer is watched at three places:

- the content-stream parser counts every operator and operand of a page,
  and looks at the clock every few hundred;
- every character laid out on a page is counted;
- Flate (zlib), LZW and run-length decoding inflate in small steps and count
  the bytes produced over the whole document.

When a limit is passed, ``PdfLimit`` (a ``ReadError``) is raised there and
then. The hooks are installed once, process-wide, and do nothing when no
budget is active in the current thread (other users of pdfminer in the same
process are not limited).
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from ..reading import ReadError

_STEP = 256 * 1024  # bytes inflated per zlib call
_local = threading.local()
_installed = False
_install_lock = threading.Lock()


class PdfLimit(ReadError):
    """A PDF passed one of the budget's limits; ``reason`` says which (Chinese)."""


class Budget:
    """Limits for reading one PDF: per page (characters, operators) and per document (bytes, time)."""

    def __init__(self, page_chars: int, page_operations: int, inflated_bytes: int, seconds: float) -> None:
        self.page_chars = page_chars
        self.page_operations = page_operations
        self.inflated_bytes = inflated_bytes
        self.seconds = seconds
        self.deadline = 0.0
        self.page = 0
        self.chars = 0
        self.operations = 0
        self.inflated = 0
        self.failure: PdfLimit | None = None  # sticky: a library that swallows the error meets it again

    def __enter__(self) -> Budget:
        install()
        self.deadline = time.monotonic() + self.seconds
        self._outer = getattr(_local, "budget", None)
        _local.budget = self
        return self

    def __exit__(self, *exc: object) -> None:
        _local.budget = self._outer

    def start_page(self, number: int) -> None:
        self.page, self.chars, self.operations = number, 0, 0
        self.check_time()

    def fail(self, reason: str) -> None:
        if self.failure is None:
            self.failure = PdfLimit(reason)
        raise self.failure

    def where(self) -> str:
        return f"第 {self.page} 页" if self.page else "打开文件时"

    def check_time(self) -> None:
        if self.failure is not None:
            raise self.failure
        if time.monotonic() > self.deadline:
            self.fail(f"PDF 解析超过 {self.seconds:g} 秒(读到{self.where()}),文件结构异常,已放弃")

    def operation(self) -> None:
        self.operations += 1
        if self.operations > self.page_operations:
            self.fail(f"PDF {self.where()}的绘制指令超过 {self.page_operations} 条,文件结构异常,已放弃")
        if not self.operations & 255:
            self.check_time()

    def char(self) -> None:
        self.chars += 1
        if self.chars > self.page_chars:
            self.fail(f"PDF {self.where()}的字符超过 {self.page_chars} 个,不是正常的报告页面,已放弃")
        if not self.chars & 1023:
            self.check_time()

    def inflate(self, n: int) -> None:
        self.inflated += n
        if self.inflated > self.inflated_bytes:
            self.fail(
                f"PDF 中的压缩数据解压后超过 {self.inflated_bytes // (1024 * 1024)} MB"
                f"(读到{self.where()}),疑似压缩炸弹,已放弃"
            )
        self.check_time()


def active() -> Budget | None:
    return getattr(_local, "budget", None)


# --- bounded decoders ------------------------------------------------------------------------


class _CountingDecompressor:
    """``zlib.decompressobj()`` whose output is counted against the budget."""

    def __init__(self, budget: Budget, *args: Any) -> None:
        self._d = zlib.decompressobj(*args)
        self._budget = budget

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._d.decompress(data, max_length or _STEP)
        chunks = [out]
        self._budget.inflate(len(out))
        while self._d.unconsumed_tail and not max_length:
            out = self._d.decompress(self._d.unconsumed_tail, _STEP)
            self._budget.inflate(len(out))
            chunks.append(out)
        return b"".join(chunks)

    def flush(self, *args: Any) -> bytes:
        out = self._d.flush(*args)
        self._budget.inflate(len(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._d, name)


def _decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
    budget = active()
    if budget is None:
        return zlib.decompress(data, wbits, bufsize)
    d = _CountingDecompressor(budget, wbits)
    out = d.decompress(data) + d.flush()
    if not d.eof:  # as zlib.decompress: a truncated stream is an error (pdfminer then tries harder)
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out


def _decompressobj(*args: Any, **kwargs: Any) -> Any:
    budget = active()
    if budget is None:
        return zlib.decompressobj(*args, **kwargs)
    return _CountingDecompressor(budget, *args)


def _bounded_join(parts: Iterator[bytes]) -> bytes:
    budget = active()
    chunks = []
    for part in parts:
        if budget is not None:
            budget.inflate(len(part))
        chunks.append(part)
    return b"".join(chunks)


def install() -> None:
    """Put the hooks into pdfminer (once)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        import io

        from pdfminer import converter, lzw, pdfinterp, pdftypes

        pdftypes.zlib = SimpleNamespace(  # type: ignore[assignment]
            decompress=_decompress,
            decompressobj=_decompressobj,
            error=zlib.error,
            MAX_WBITS=zlib.MAX_WBITS,
            DEF_BUF_SIZE=zlib.DEF_BUF_SIZE,
        )

        def lzwdecode(data: bytes) -> bytes:
            return _bounded_join(lzw.LZWDecoder(io.BytesIO(data)).run())

        real_rldecode = pdftypes.rldecode

        def rldecode(data: bytes) -> bytes:
            budget = active()
            if budget is not None:
                budget.inflate(len(data) * 64)  # a run-length byte pair expands at most 64-fold
            return real_rldecode(data)

        pdftypes.lzwdecode = lzwdecode
        pdftypes.rldecode = rldecode

        class CountingContentParser(pdfinterp.PDFContentParser):
            def nextobject(self):
                budget = active()
                if budget is not None:
                    budget.operation()
                return super().nextobject()

        pdfinterp.PDFContentParser = CountingContentParser  # type: ignore[misc]

        real_render_char = converter.PDFLayoutAnalyzer.render_char

        def render_char(self, *args: Any, **kwargs: Any) -> Any:
            budget = active()
            if budget is not None:
                budget.char()
            return real_render_char(self, *args, **kwargs)

        converter.PDFLayoutAnalyzer.render_char = render_char  # type: ignore[method-assign]
        _installed = True
