"""Limits checked on a PDF's compressed streams *before* PDFium reads the file.

PDFium decodes in C, beyond any check from Python while it works: a 2 MB
content stream that inflates to gigabytes, or a page of millions of drawing
operators, would cost that memory and time before the reader could stop.
So the file's Flate streams are found in its bytes and inflated here first,
in small steps, without keeping the output:

- the bytes produced over the whole file are counted (a decompression bomb
  stops at the limit, having cost one step of memory);
- in each content stream (a page's or a form's), the operators and operands
  are counted;
- the clock is looked at after every step.

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
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
# Streams that are no content stream: fonts, images, object and cross-reference streams, metadata, ICC profiles.
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_NOT_CONTENT = re.compile(
    rb"/(?:Length[123]|Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType|XML)|Type\s*/(?:ObjStm|XRef|Metadata)|N\s+\d)\b"
)


class PdfLimit(ReadError):
    """A PDF passed one of the limits (the message says which, in Chinese)."""


def check_streams(data: bytes, max_inflated: int, max_operations: int, deadline: float) -> list[bytes]:
    """Inflate every Flate stream of ``data`` once, counting; raise ``PdfLimit`` past a limit.

    Returns the decoded object streams (compressed objects such as font
    descriptors, which the reader looks up); the rest of the output is dropped.
    """
    inflated = 0
    objects: list[bytes] = []
    for m in _STREAM.finditer(data):
        if data[max(0, m.start() - 3) : m.start()] == b"end":
            continue
        head = data[max(0, m.start() - 2048) : m.start()]
        at = head.rfind(b"obj")
        if at < 0:
            continue
        head = head[at:]
        if not _FLATE.search(head):
            continue
        content = not _NOT_CONTENT.search(head)
        keep: list[bytes] | None = [] if _OBJECT_STREAM.search(head) else None
        d = zlib.decompressobj()
        operations = 0
        pos = m.end()
        try:
            while not d.eof and pos < len(data):
                chunk = data[pos : pos + _FEED]
                pos += len(chunk)
                while chunk:
                    out = d.decompress(chunk, _STEP)
                    chunk = d.unconsumed_tail
                    inflated += len(out)
                    if keep is not None:
                        keep.append(out)
                    if inflated > max_inflated:
                        raise PdfLimit(
                            f"PDF 中的压缩数据解压后超过 {max_inflated // (1024 * 1024)} MB,疑似压缩炸弹,已放弃"
                        )
                    if content:
                        operations += len(out.split())
                        if operations > max_operations:
                            raise PdfLimit(f"PDF 页面的绘制指令超过 {max_operations} 条,文件结构异常,已放弃")
                    if time.monotonic() > deadline:
                        raise PdfLimit("PDF 解析超时(压缩数据),文件结构异常,已放弃")
                    if d.eof:
                        break
        except zlib.error:
            continue  # not for this scan to judge: PDFium reads what it can
        if keep:
            objects.append(b"".join(keep))
    return objects
