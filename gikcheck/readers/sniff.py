"""Cheap content tests that say which reader a file needs, whatever it is called."""

from __future__ import annotations

import codecs
import functools
import re


def is_zip(data: bytes) -> bool:
    # Every ZIP is claimed by the Word reader: a .docx renamed .txt is still a .docx,
    # and another ZIP gets a clear "not a Word document" reason instead of mojibake.
    return data.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


@functools.cache
def _html_start() -> re.Pattern[bytes]:
    return re.compile(
        rb"^(?:\s|<\?xml[^>]{0,200}\?>|<!--.{0,2000}?-->)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
        re.IGNORECASE | re.DOTALL,
    )


def is_html(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", "ignore").encode("utf-8", "ignore")
    elif b"<" not in head:
        return False
    return bool(_html_start().match(head))
