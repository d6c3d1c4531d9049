"""Readers: bytes of one input → a Document.

A reader is chosen by content first (``sniff``: a .docx renamed .txt is
still a .docx), then by the file's suffix; plain text is the fallback.
Readers are plugins (hook ``gikcheck_readers``); the text reader below is
the built-in fallback, and Word (.docx), web pages (.html) and PDF are read
by the modules next to this one. Those modules, and their libraries
(python-docx, lxml, PDFium), are imported only when such a file is
read: the hook hands out ``LazyReader`` stand-ins that sniff with the cheap
tests of ``sniff.py``, so checking a .txt does not pay for them.

The linter works on text: the structured readers produce text in the one
shape of ``structured.py``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .. import TYPE_CHECKING
from ..plugins import hookimpl
from ..reading import TEXT_SUFFIXES, ReadError, check_report_size, decode, looks_like_report
from . import sniff

if TYPE_CHECKING:
    from typing import Protocol

    from ..document import Document
else:  # a plain base at run time: `typing` costs a cold run ~3 ms, and readers are duck-typed anyway
    Protocol = object


class Reader(Protocol):
    """What a reader is (structural for type checkers: subclassing it is optional)."""

    name: str
    suffixes: tuple[str, ...]

    def sniff(self, data: bytes) -> bool:
        """True when ``data`` is this reader's format whatever the file is called."""

    def read(self, data: bytes, path: str) -> Document:
        """Decode ``data``; raise ``ReadError`` with a Chinese reason when it cannot be read."""


class TextReader:
    """Plain text and Markdown in UTF-8, UTF-16 (with BOM) or GB18030/GBK."""

    name = "text"
    suffixes: tuple[str, ...] = TEXT_SUFFIXES

    def sniff(self, data: bytes) -> bool:
        return False  # the fallback: never claims by content

    def read(self, data: bytes, path: str) -> Document:
        text, encoding = decode(data)
        check_report_size(text)
        reason = looks_like_report(text)
        if reason:
            raise ReadError(reason)
        from ..document import Document

        return Document(text, path=path, encoding=encoding)


TEXT_READER = TextReader()


class LazyReader:
    """A built-in structured reader, imported the first time it reads."""

    def __init__(self, name: str, suffixes: tuple[str, ...], sniffer: Callable[[bytes], bool], target: str) -> None:
        self.name = name
        self.suffixes = suffixes
        self._sniff = sniffer
        self._target = target  # "module:attribute" of the real reader
        self._reader: Reader | None = None

    def sniff(self, data: bytes) -> bool:
        return self._sniff(data)

    def read(self, data: bytes, path: str) -> Document:
        if self._reader is None:
            module, attr = self._target.split(":")
            self._reader = getattr(importlib.import_module(module, __name__), attr)
        return self._reader.read(data, path)


_STRUCTURED = (
    LazyReader("docx", (".docx", ".docm"), sniff.is_zip, ".docx:DOCX_READER"),
    LazyReader("html", (".html", ".htm", ".xhtml", ".shtml"), sniff.is_html, ".html:HTML_READER"),
    LazyReader("pdf", (".pdf",), sniff.is_pdf, ".pdf:PDF_READER"),
)


@hookimpl
def gikcheck_readers() -> list[Reader]:
    return [*_STRUCTURED, TEXT_READER]
