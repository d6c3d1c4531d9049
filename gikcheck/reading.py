"""Turning bytes into text: encodings, sniffing, and refusing what is not a report.

Reports arrive as UTF-8 (with or without BOM), UTF-16 with a BOM (Word's
"save as Unicode text") and, most often from office machines, GB18030/GBK.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterable

from . import TYPE_CHECKING
from .records import Record

if TYPE_CHECKING:
    from typing import BinaryIO

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a text report is 5–100 KB; 20 MB is not a report
# Characters and lines of text checked, whatever it came from (a file of any form, standard
# input, ``check_text()``, the language server). A report holds 3,000–60,000 characters on
# 100–1,300 lines. Memory and time grow with both (about 100 bytes and 4 µs a character, and
# 300 bytes a line: each is a paragraph, a row or a blank), so these bound both.
MAX_REPORT_CHARS = 500_000
MAX_REPORT_LINES = 50_000
# Tags in a web page or in the XML parts of a .docx (a report: 2,000–30,000, Word's styles
# included). Counted in the bytes before the markup is parsed: a parsed element costs ~400 bytes.
MAX_MARKUP_TAGS = 500_000

# The suffixes of text reports: the text reader's, the files a directory walk finds without any
# other reader, and the only files --fix rewrites.
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


class ReadError(Exception):
    """The input cannot be checked; ``reason`` is shown to the user (Chinese)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Sniffed(Record):
    __slots__ = ("kind", "detail")

    def __init__(self, kind: str, detail: str = "") -> None:
        self.kind = kind  # "text" | "zip" | "pdf" | "ole" | "binary" | "empty"
        self.detail = detail


_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
)


_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))


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
    # Control bytes other than tab/newline/CR/formfeed/ESC are rare in text
    # (counted by deleting every other byte: one C call, not a loop over 8 KB).
    controls = len(head.translate(None, _NOT_CONTROL))
    if controls > max(8, len(head) // 100):
        return Sniffed("binary")
    return Sniffed("text")


def _too_large(size: int, limit: int) -> ReadError:
    return ReadError(f"文件过大({size // (1024 * 1024)} MB 以上),超过报告文件的上限 {limit // (1024 * 1024)} MB")


def read_stream(stream: BinaryIO, limit: int = MAX_TEXT_BYTES) -> bytes:
    """Read ``stream`` (standard input, a pipe) to its end, but never more than ``limit`` bytes.

    The cap holds while reading: ``/dev/zero`` on standard input is refused
    after ``limit`` bytes instead of filling the memory.
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1024 * 1024, limit + 1 - total))
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise _too_large(total, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _not_regular(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "这是命名管道(FIFO),不是普通文件,不读取"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是设备文件,不是普通文件,不读取"
    if stat.S_ISSOCK(mode):
        return "这是套接字(socket),不是普通文件,不读取"
    return "这不是普通文件,不读取"


def read_file(path: os.PathLike[str] | str, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ReadError otherwise.

    A FIFO, a device or a socket (also behind a symlink) is refused before it
    is read: a FIFO would block forever, ``/dev/zero`` never ends. The file is
    opened non-blocking and checked again on the open descriptor (it may have
    been replaced in between), and the size cap holds while reading, not only
    by ``stat()`` (a file may grow). OSError (missing, no permission, a
    directory: IsADirectoryError) is left to the caller.
    """
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(_not_regular(st.st_mode))
    if st.st_size > limit:
        raise _too_large(st.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(_not_regular(st.st_mode))
        with os.fdopen(fd, "rb", closefd=False) as f:
            return read_stream(f, limit)
    finally:
        os.close(fd)


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes; returns (text, encoding name) or raises ReadError."""
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError(
            f"文件过大({len(data) // (1024 * 1024)} MB),超过文本报告的上限 {MAX_TEXT_BYTES // (1024 * 1024)} MB"
        )
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
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
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


def _has_han(text: str) -> bool:
    """Whether ``text`` holds a CJK unified ideograph (U+4E00..U+9FFF).

    A loop, not a regex: compiling that character class costs about 2 ms at
    start-up, and a report's first Chinese character comes within a few.
    """
    if text.isascii():
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def looks_like_report(text: str) -> str | None:
    """Return a reason when decoded text cannot be a Chinese report at all."""
    if not _has_han(text[:20000]):
        return "文件中没有中文内容,不是政府信息公开工作年度报告"
    return None


# --- limits shared by the Word, web-page and PDF readers ----------------------------

MAX_INPUT_BYTES = MAX_TEXT_BYTES  # no reader looks at more than this many bytes
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # total uncompressed size of a .docx
MAX_ZIP_ENTRIES = 5000  # a .docx has a few dozen parts
MAX_ZIP_RATIO = 200  # deflate of real XML stays far below this
MAX_EXTRACTED_CHARS = MAX_REPORT_CHARS  # text extracted from one input (a report is ~50k)
MAX_EXTRACTED_LINES = MAX_REPORT_LINES


def check_input_size(data: bytes, what: str = "文件") -> None:
    if len(data) > MAX_INPUT_BYTES:
        raise ReadError(f"{what}过大({len(data) // (1024 * 1024)} MB),超过上限 {MAX_INPUT_BYTES // (1024 * 1024)} MB")


def open_zip(data: bytes, what: str = "Word 文档(.docx)"):
    """Open ``data`` as a ZIP archive, every part inflated under a cap; returns a ``zipfile.ZipFile``.

    The central directory is checked first (entries, declared sizes and
    ratios), but it may lie: a part declared as 500 KB can inflate to
    gigabytes, and ``ZipFile.read`` inflates up to 2 GB before it truncates.
    So each part is inflated here in small steps, counting the bytes really
    produced; the reading stops as soon as a part passes its declared size or
    all parts pass ``MAX_UNZIPPED_BYTES``. The archive
    returned is a copy holding those parts uncompressed: whoever reads it
    (python-docx included) can inflate nothing more.
    """
    import io
    import zipfile

    check_input_size(data)
    bad = f"{what}已损坏或不完整(ZIP 结构无法读取,可能下载或复制不完整),请用 Word/WPS 重新保存"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
        raise ReadError(bad) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError(f"{what}内含 {len(infos)} 个部件,超过上限 {MAX_ZIP_ENTRIES},疑似压缩炸弹,已拒绝解压")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise ReadError(
                f"{what}中的「{info.filename[:60]}」压缩比异常"
                f"({info.compress_size} 字节解压为 {info.file_size} 字节),疑似压缩炸弹,已拒绝解压"
            )
        if total > MAX_UNZIPPED_BYTES:
            raise ReadError(f"{what}解压后超过 {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB,疑似压缩炸弹,已拒绝解压")
        if info.flag_bits & 0x1:
            raise ReadError(f"{what}已加密,无法读取")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Word writes deflate only; bzip2 and LZMA inflate without a bound per step.
            raise ReadError(f"{what}中的「{info.filename[:60]}」使用了 Word 不使用的压缩方式,已拒绝解压")
    parts: dict[str, bytes] = {}
    room = MAX_UNZIPPED_BYTES
    try:
        for info in infos:
            if info.is_dir():
                continue
            body = _part(data, info, room, what)
            room -= len(body)
            parts[info.filename] = body
    except ReadError:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, RuntimeError, zlib_error()):
        raise ReadError(bad) from None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for name, body in parts.items():
            copy.writestr(zipfile.ZipInfo(name), body)
    del parts
    return zipfile.ZipFile(out)


def _part(data: bytes, info, room: int, what: str) -> bytes:
    """One part's bytes, inflated from the archive in 64 KB steps.

    Stops as soon as the part inflates beyond the size its directory entry
    declares (a lying directory) or beyond ``room`` (the cap over all
    parts); checks the length and CRC of what it got.
    """
    import struct
    import zipfile
    import zlib

    at = info.header_offset
    if data[at : at + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("no local header")
    name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
    start = at + 30 + name_len + extra_len
    raw = data[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise zipfile.BadZipFile("truncated")
    if info.compress_type == zipfile.ZIP_STORED:
        body = raw
    else:
        d = zlib.decompressobj(-zlib.MAX_WBITS)
        chunks: list[bytes] = []
        total = 0
        pending = raw
        while True:
            chunk = d.decompress(pending, 64 * 1024)
            pending = d.unconsumed_tail
            total += len(chunk)
            if total > info.file_size:
                raise ReadError(
                    f"{what}中的「{info.filename[:60]}」解压后超过其声明的 {info.file_size} 字节,"
                    "疑似压缩炸弹,已停止解压"
                )
            if total > room:
                raise ReadError(f"{what}解压后超过 {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB,疑似压缩炸弹,已停止解压")
            chunks.append(chunk)
            if d.eof or (not chunk and not pending):
                break
        body = b"".join(chunks)
    if len(body) != info.file_size or zlib.crc32(body) != info.CRC:
        raise zipfile.BadZipFile("size or CRC")
    return body


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _count(n: int) -> str:
    return f"{n // 10000} 万" if n >= 10000 else str(n)


def too_long(chars: int = 0, lines: int = 0) -> ReadError:
    """The one reason for a text over ``MAX_REPORT_CHARS`` or ``MAX_REPORT_LINES``, from every entry point."""
    if lines:
        return ReadError(f"文本过长({_count(lines)}行以上),超过报告的上限 {_count(MAX_REPORT_LINES)}行")
    return ReadError(f"文本过长({_count(chars)}字以上),超过报告的上限 {_count(MAX_REPORT_CHARS)}字")


def check_report_size(text: str) -> None:
    """ReadError when ``text`` is longer than any report (``MAX_REPORT_CHARS``, ``MAX_REPORT_LINES``)."""
    if len(text) > MAX_REPORT_CHARS:
        raise too_long(chars=len(text))
    lines = text.count("\n") + 1
    if lines > MAX_REPORT_LINES:
        raise too_long(lines=lines)


def check_markup(parts: Iterable[bytes], what: str) -> None:
    """Refuse markup (the parts of one input) of more than ``MAX_MARKUP_TAGS`` tags before it is parsed."""
    tags = sum(part.count(b"<") for part in parts)
    if tags > MAX_MARKUP_TAGS:
        raise ReadError(
            f"{what}的标记超过 {MAX_MARKUP_TAGS // 10000} 万个(共 {tags // 10000} 万个以上),不是一份年度报告"
        )
