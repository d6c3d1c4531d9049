"""Readers: bytes of one input → a Document.

A reader is chosen by content first (``sniff``: a .docx renamed .txt is
still a .docx), then by the file's suffix; plain text is the fallback.
Readers are plugins (hook ``gikcheck_readers``); the text reader below is
the built-in one.
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..document import Document
from ..plugins import hookimpl
from ..reading import ReadError, decode, looks_like_report


@runtime_checkable
class Reader(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def sniff(self, data: bytes) -> bool:
        """True when ``data`` is this reader's format whatever the file is called."""

    def read(self, data: bytes, path: str) -> Document:
        """Decode ``data``; raise ``ReadError`` with a Chinese reason when it cannot be read."""


class TextReader:
    """Plain text and Markdown in UTF-8, UTF-16 (with BOM) or GB18030/GBK."""

    name = "text"
    suffixes = (".txt", ".md", ".markdown", ".text")

    def sniff(self, data: bytes) -> bool:
        return False  # the fallback: never claims by content

    def read(self, data: bytes, path: str) -> Document:
        text, encoding = decode(data)
        reason = looks_like_report(text)
        if reason:
            raise ReadError(reason)
        return Document(text, path=path, encoding=encoding)


TEXT_READER = TextReader()


@hookimpl
def gikcheck_readers() -> list[Reader]:
    return [TEXT_READER]
