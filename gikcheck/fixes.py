"""Applying safe fixes: ``--fix`` writes them, ``--diff`` shows them.

Only fixes whose applicability is ``safe`` are applied (label typos,
punctuation); arithmetic findings never carry one, since nobody can tell
which figure is wrong. Edits are applied from the end of the text
backwards; a fix whose edits overlap an edit already chosen is skipped in
that pass, and the report is checked again (up to ``MAX_PASSES`` times)
so that a skipped fix that is still needed gets its turn.

Only plain-text inputs (.txt, .md) are changed. The file keeps its
encoding (UTF-8, UTF-8 with BOM, UTF-16 with its byte order, GB18030/GBK)
and its line endings, and is written atomically: a temporary file in the
same directory, then ``os.replace`` (keeping mode, owner, group and hard
links, see fileio.py). A read-only file is not changed.
"""

from __future__ import annotations

import codecs
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Edit, Fix
from .reading import TEXT_SUFFIXES

FIXABLE_SUFFIXES = TEXT_SUFFIXES  # fixes rewrite text files only
MAX_PASSES = 10


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.span.start == b.span.start and (a.span.start == a.span.end or b.span.start == b.span.end):
        return True  # two insertions (or an insertion and a replacement) at one place: order unknown
    return a.span.start < b.span.end and b.span.start < a.span.end


def _extent(d: Diagnostic) -> tuple[int, int]:
    """Where a candidate's edits start and end (candidates have at least one edit)."""
    edits = d.fix.edits if d.fix is not None else ()
    return min(e.span.start for e in edits), max(e.span.end for e in edits)


def select_fixes(
    diagnostics: Iterable[Diagnostic], applicability: tuple[str, ...] = ("safe",)
) -> tuple[list[Edit], list[Diagnostic], list[Diagnostic]]:
    """Choose the fixes to apply in one pass.

    Returns (edits sorted from the end backwards, diagnostics fixed, diagnostics skipped
    because their edits overlap an edit chosen before them). Fixes are taken in text order;
    an edit identical to one already chosen (two rules proposing the same change) is shared.
    """
    candidates = [d for d in diagnostics if d.fix is not None and d.fix.edits and d.fix.applicability in applicability]
    candidates.sort(key=_extent)
    chosen: list[Edit] = []
    fixed: list[Diagnostic] = []
    skipped: list[Diagnostic] = []
    for d in candidates:
        assert d.fix is not None
        new = [e for e in d.fix.edits if e not in chosen]
        internal = any(_overlaps(a, b) for i, a in enumerate(new) for b in new[i + 1 :])
        if internal or any(_overlaps(e, c) for e in new for c in chosen):
            skipped.append(d)
            continue
        chosen.extend(new)
        fixed.append(d)
    chosen.sort(key=lambda e: (e.span.start, e.span.end), reverse=True)
    return chosen, fixed, skipped


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits, from the end of the text backwards."""
    crlf = "\r\n" in text
    for e in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        replacement = e.replacement
        if crlf:  # keep the file's line endings
            replacement = replacement.replace("\r\n", "\n").replace("\n", "\r\n")
        text = text[: e.span.start] + replacement + text[e.span.end :]
    return text


@dataclass
class TextFix:
    text: str
    applied: int  # fixes applied, over all passes
    skipped: int  # fixes left over because they overlapped another and were not needed or still overlap


def fix_text(text: str, path: str, settings, max_passes: int = MAX_PASSES) -> TextFix:
    """Apply the safe fixes to report text, re-checking after each pass."""
    from .document import Document
    from .engine import check_document

    applied = 0
    skipped: list[Diagnostic] = []
    for _ in range(max_passes):
        diags, _report = check_document(Document(text, path=path), settings)
        edits, fixed, skipped = select_fixes(diags)
        if not edits:
            break
        new = apply_edits(text, edits)
        if new == text:
            break
        text = new
        applied += sum(d.occurrences for d in fixed)  # a grouped finding's fix mends each of its places
    return TextFix(text, applied, len(skipped))


class FixError(Exception):
    """A file that cannot be fixed; the message is for the user (Chinese).

    ``unreadable``: the file cannot be read at all (the check reports it as GK001).
    """

    def __init__(self, message: str, unreadable: bool = False) -> None:
        super().__init__(message)
        self.unreadable = unreadable


def encode_as(text: str, encoding: str, original: bytes) -> bytes:
    """Encode ``text`` the way ``original`` was encoded (BOM and byte order included)."""
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding == "utf-16":
        if original.startswith(codecs.BOM_UTF16_BE):
            return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


@dataclass
class FileFix:
    path: Path
    shown: str
    old: str
    new: str
    applied: int
    skipped: int
    data: bytes = b""  # the new file content, encoded as the original

    @property
    def changed(self) -> bool:
        return self.new != self.old

    def diff(self) -> str:
        return unified_diff(self.shown, self.old, self.new)


def fix_file(path: Path, settings, shown: str | None = None) -> FileFix:
    """Compute the fixed content of a text report (nothing is written)."""
    from .reading import ReadError, decode, read_file

    shown = shown or str(path)
    if not path.name.lower().endswith(FIXABLE_SUFFIXES):
        raise FixError(f"{shown}: 只能自动修复文本文件(.txt、.md)")
    try:
        original = read_file(path)
    except ReadError as e:
        raise FixError(f"{shown}: {e.reason}", unreadable=True) from None
    except OSError as e:
        raise FixError(f"{shown}: 无法读取: {e.strerror or e}", unreadable=True) from None
    if _read_only(path):
        raise FixError(f"{shown}: 文件是只读的,不自动修复(确需修复请先取消只读属性)")
    from .engine import readers
    from .readers import TEXT_READER

    # A page or Word file renamed .txt is checked as what it is; editing it as text would corrupt it.
    other = next((r for r in readers() if r is not TEXT_READER and r.sniff(original)), None)
    if other is not None:
        raise FixError(f"{shown}: 文件内容是 {other.name} 格式而不是纯文本,不自动修复")
    try:
        text, encoding = decode(original)
    except ReadError as e:
        raise FixError(f"{shown}: {e.reason}", unreadable=True) from None
    try:
        roundtrip = encode_as(text, encoding, original) == original
    except (UnicodeEncodeError, LookupError):
        roundtrip = False
    if not roundtrip:
        raise FixError(f"{shown}: 文件无法按原编码({encoding})原样写回,为避免损坏文件,不自动修复")
    result = fix_text(text, shown, settings)
    data = encode_as(result.text, encoding, original) if result.text != text else original
    return FileFix(path, shown, text, result.text, result.applied, result.skipped, data)


def _read_only(path: Path) -> bool:
    """No write permission for anyone (0444), or none for this user; root is asked about the mode too."""
    import os

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (mode & 0o222) or not os.access(path, os.W_OK)


def unified_diff(shown: str, old: str, new: str) -> str:
    if old == new:
        return ""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, fromfile=shown, tofile=shown)
    out = []
    for line in lines:
        body = line.rstrip("\r\n")
        out.append(body + "\n")
        if not line.endswith("\n") and not line.startswith(("---", "+++", "@@")):
            out.append("\\ No newline at end of file\n")
    return "".join(out)


__all__ = [
    "FileFix",
    "Fix",
    "FixError",
    "TextFix",
    "apply_edits",
    "encode_as",
    "fix_file",
    "fix_text",
    "select_fixes",
    "unified_diff",
]
