"""Limits checked on a PDF's compressed streams *before* PDFium reads the file.

PDFium decodes in C, beyond any check from Python while it works: a 2 MB
content stream that inflates to gigabytes, or a page of millions of drawing
operators, would cost that memory and time before the reader could stop.
So the file's Flate streams are found in its bytes and inflated here first,
in small steps, without keeping the output:

- the bytes produced over the whole file are counted (a decompression bomb
  stops at the limit, having cost one step of memory);
- in each content stream (a page's or a form's), the operators and operands
  are counted, and so are the form XObjects it draws: PDFium parses a form
  again wherever it is drawn, so forms drawing forms multiply;
- the clock is looked at after every step.

Images are skipped: PDFium decodes them only to render, never to read text.
A stream the scan cannot decode (encrypted, damaged) is left to PDFium,
whose own limits on a page (objects, characters) then apply.
"""

from __future__ import annotations

import re
import time
import zlib

from ..reading import ReadError

_STEP = 256 * 1024  # bytes inflated per zlib call
_FEED = 64 * 1024  # compressed bytes given to zlib at a time
_STREAM = re.compile(rb"stream\r?\n")
_LENGTH = re.compile(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)")  # a direct /Length
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
# Streams that are no content stream: fonts, images, object and cross-reference streams, metadata, ICC profiles.
_OBJECT_NUMBER = re.compile(rb"(\d+)\s+\d+\s+obj$")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
_DO = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*Do\b")
_REFERENCE = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*(\d+)\s+\d+\s+R\b")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_UNREAD = re.compile(rb"/Subtype\s*/(?:Image|XML)\b")
_NOT_CONTENT = re.compile(
    rb"/(?:Length[123]|Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType|XML)|Type\s*/(?:ObjStm|XRef|Metadata)|N\s+\d)\b"
)


# Every byte to b"x", but the whitespace bytes.split() splits at to b" ".
_WHITESPACE = bytes.maketrans(bytes(range(256)), bytes(32 if chr(i) in " \t\n\r\x0b\x0c" else 120 for i in range(256)))


class PdfLimit(ReadError):
    """A PDF passed one of the limits (the message says which, in Chinese)."""


_TIMEOUT = "PDF 解析超时(压缩数据),文件结构异常,已放弃"


def _bomb(max_inflated: int) -> PdfLimit:
    return PdfLimit(f"PDF 中的压缩数据解压后超过 {max_inflated // (1024 * 1024)} MB,疑似压缩炸弹,已放弃")


def check_streams(data: bytes, max_inflated: int, max_operations: int, deadline: float) -> list[bytes]:
    """Inflate every Flate stream of ``data`` once, counting; raise ``PdfLimit`` past a limit.

    Returns the decoded object streams (compressed objects such as font
    descriptors, which the reader looks up); the rest of the output is dropped.
    """
    inflated = 0
    objects: list[bytes] = []
    forms: dict[int, _Drawing] = {}  # form XObjects by object number
    # Without a form XObject anywhere in the file's bytes (a stream's dictionary is never compressed),
    # what a content stream draws is never looked at (_check_forms needs forms), and its operations can
    # pass the limit only if it is long enough: n operations are n runs of non-whitespace bytes with
    # whitespace between them, so at least 2n - 1 bytes. A stream counted in one piece of `size` bytes
    # holds at most (size + 1) // 2 of them; one no longer than that bound allows is not counted.
    uncounted = 2 * max_operations if _FORM.search(data) is None else -1  # the longest not counted
    drawings: list[_Drawing] = []  # every content stream (pages' and forms')
    view = memoryview(data)  # slices without copies
    for m in _STREAM.finditer(data):
        if data[max(0, m.start() - 3) : m.start()] == b"end":
            continue
        head = data[max(0, m.start() - 2048) : m.start()]
        at = head.rfind(b"obj")
        if at < 0:
            continue
        number = _OBJECT_NUMBER.search(head[max(0, at - 24) : at + 3])
        head = head[at:]
        if _UNREAD.search(head):
            continue  # images and metadata: PDFium does not decode them to read text
        content = not _NOT_CONTENT.search(head)
        drawing = _Drawing() if content else None
        if drawing is not None:
            drawings.append(drawing)
            if number and _FORM.search(head):
                forms[int(number.group(1))] = drawing
        if not _FLATE.search(head):
            if drawing is not None and b"/Filter" not in head:  # a plain content stream: count it as it is
                end = data.find(b"endstream", m.end())
                end = end if end >= 0 else len(data)
                if end - m.end() > uncounted:
                    drawing.count(data[m.end() : end], max_operations)
            continue
        keep: list[bytes] | None = [] if _OBJECT_STREAM.search(head) else None
        length = _LENGTH.search(head)
        if length and int(length.group(1)) < _FEED - 64:
            # A small stream as long as it says: inflated at once from just its bytes (giving zlib the
            # whole _FEED would cost a copy of it, twice). Where it ends there, that one call gives what
            # the loop below would: the same output, or the same zlib.error.
            d = zlib.decompressobj()
            try:
                out = d.decompress(view[m.end() : m.end() + int(length.group(1)) + 64], _STEP)
            except zlib.error:
                continue
            if d.eof:
                inflated += len(out)
                if inflated > max_inflated:
                    raise _bomb(max_inflated)
                if drawing is not None and len(out) > uncounted:
                    drawing.count(out, max_operations)
                if time.monotonic() > deadline:
                    raise PdfLimit(_TIMEOUT)
                if keep is not None:
                    objects.append(out)
                continue
            # longer than it says: inflated again from its start, as any other
        d = zlib.decompressobj()
        pos = m.end()
        try:
            while not d.eof and pos < len(data):
                chunk: bytes | memoryview = view[pos : pos + _FEED]
                pos += len(chunk)
                while chunk:
                    out = d.decompress(chunk, _STEP)
                    chunk = d.unconsumed_tail
                    inflated += len(out)
                    if keep is not None:
                        keep.append(out)
                    if inflated > max_inflated:
                        raise _bomb(max_inflated)
                    if drawing is not None:
                        drawing.count(out, max_operations)
                    if time.monotonic() > deadline:
                        raise PdfLimit(_TIMEOUT)
                    if d.eof:
                        break
        except zlib.error:
            continue  # not for this scan to judge: PDFium reads what it can
        if keep:
            objects.append(b"".join(keep))
    if forms and any(d.invoked for d in drawings):
        _check_forms(data, objects, forms, drawings, max_operations)
    return objects


def has_forms(sources: list[bytes]) -> bool:
    """Whether a form XObject's dictionary is in any of ``sources`` (a file's bytes, its object streams)."""
    return any(_FORM.search(source) for source in sources)


class _Drawing:
    """One content stream: its operators and operands, and the XObjects it draws (by resource name)."""

    __slots__ = ("invoked", "operations")

    def __init__(self) -> None:
        self.operations = 0
        self.invoked: dict[bytes, int] = {}

    def count(self, out: bytes, limit: int) -> None:
        # len(out.split()) without making the list: the runs of bytes that are not ASCII whitespace
        marked = out.translate(_WHITESPACE)
        self.operations += marked.count(b" x") + marked.startswith(b"x")
        if self.operations > limit:
            raise PdfLimit(f"PDF 页面的绘制指令超过 {limit} 条,文件结构异常,已放弃")
        for name in _DO.findall(out):
            self.invoked[name] = self.invoked.get(name, 0) + 1


def _check_forms(
    data: bytes, objects: list[bytes], forms: dict[int, _Drawing], drawings: list[_Drawing], limit: int
) -> None:
    """Bound what drawing forms costs: PDFium parses a form again wherever it is drawn, so forms that
    draw forms multiply (three levels of 100 draw a form a million times).

    Names are not resolved per page: a resource name stands for every form any
    resource dictionary of the file gives it, and for the largest of them.
    """
    targets: dict[bytes, set[int]] = {}
    for source in (data, *objects):
        for name, number in _REFERENCE.findall(source):
            if int(number) in forms:
                targets.setdefault(name, set()).add(int(number))
    if not targets:
        return
    cost = {n: f.operations for n, f in forms.items()}  # operations with the forms drawn, level by level
    for _ in range(len(forms) + 1):
        grown = {
            n: f.operations
            + sum(times * max(cost[t] for t in targets[name]) for name, times in f.invoked.items() if name in targets)
            for n, f in forms.items()
        }
        if grown == cost or max(grown.values()) > limit:
            cost = grown
            break
        cost = grown
    for d in drawings:
        total = d.operations + sum(
            times * max(cost[t] for t in targets[name]) for name, times in d.invoked.items() if name in targets
        )
        if total > limit:
            raise PdfLimit(f"PDF 页面的绘制指令(含嵌套的表单对象)超过 {limit} 条,文件结构异常,已放弃")
