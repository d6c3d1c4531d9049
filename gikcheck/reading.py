"""Turning bytes into text: encodings, sniffing, and refusing what is not a report.

Reports arrive as UTF-8 (with or without BOM), UTF-16 with a BOM (Word's
"save as Unicode text") and, most often from office machines, GB18030/GBK.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a text report is 5–100 KB; 20 MB is not a report


class ReadError(Exception):
    """The input cannot be checked; ``reason`` is shown to the user (Chinese)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sniffed:
    kind: str        # "text" | "zip" | "pdf" | "ole" | "binary" | "empty"
    detail: str = ""


_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
)


def sniff(data: bytes) -> Sniffed:
    if not data.strip(b" \t\r\n\x00"):
        return Sniffed("empty")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return Sniffed(kind)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Sniffed("text", "utf-16")
    head = data[:8192]
    if b"\x00" in head:
        return Sniffed("binary")
    # Control bytes other than tab/newline/CR/formfeed/ESC are rare in text.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > max(8, len(head) // 100):
        return Sniffed("binary")
    return Sniffed("text")


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes; returns (text, encoding name) or raises ReadError."""
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError(f"文件过大({len(data) // (1024 * 1024)} MB),超过文本报告的上限 {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    kind = sniff(data)
    if kind.kind == "empty":
        raise ReadError("文件为空")
    if kind.kind == "zip":
        raise ReadError("这是 ZIP 格式文件(可能是 .docx),不是文本;请另存为 .txt 后检查")
    if kind.kind == "pdf":
        raise ReadError("这是 PDF 文件,不是文本;请另存为 .txt 后检查")
    if kind.kind == "ole":
        raise ReadError("这是旧版 Office 二进制文件(.doc/.xls),不是文本;请另存为 .txt 后检查")
    if kind.kind == "binary":
        raise ReadError("这是二进制文件,不是文本报告")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise ReadError(f"文件声明为 UTF-8(带 BOM),但第 {e.start} 字节处不是合法的 UTF-8") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise ReadError(f"文件以 UTF-16 BOM 开头,但第 {e.start} 字节处不是合法的 UTF-16") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        raise ReadError(f"无法识别文件编码(既不是 UTF-8、UTF-16,也不是 GB18030/GBK;第 {e.start} 字节处出错)") from None


def looks_like_report(text: str) -> str | None:
    """Return a reason when decoded text cannot be a Chinese report at all."""
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    if cjk == 0:
        return "文件中没有中文内容,不是政府信息公开工作年度报告"
    return None
