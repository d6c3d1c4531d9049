"""Normalisation on a shadow of the text, never on what is reported.

``Shadow`` holds the folded text (NFC, full-width ASCII → half-width,
Kangxi radicals and CJK compatibility ideographs → unified ideographs,
traditional → simplified, the spaces a PDF text layer puts around digits and
between Han characters dropped) and, for every shadow character, the offset
of the original character it came from, so that a match found in the shadow
maps back to an exact span of the source.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
import unicodedata
from array import array
from collections.abc import Mapping

from . import TYPE_CHECKING
from .memo import Memo
from .records import Record

# The Chinese digits of section and item ordinals (一、… 十、).
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# Full-width ASCII variants and the ideographic space fold to ASCII.
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20

# PDF fonts put Kangxi radicals (⼀⼆⼈⾏, U+2F00–U+2FDF), CJK radicals supplement forms and
# compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) in place of unified ideographs.
# NFKC maps each of them to exactly one unified ideograph, so folding keeps offsets one-to-one.
_IDEOGRAPH_RANGES = ((0x2E80, 0x2F00), (0x2F00, 0x2FE0), (0xF900, 0xFB00), (0x2F800, 0x2FA20))


@functools.lru_cache(maxsize=1)
def _ideograph_table() -> dict[int, str]:
    """The fold as a translate table, built on first use (few texts hold any of these)."""
    out = {}
    for lo, hi in _IDEOGRAPH_RANGES:
        for cp in range(lo, hi):
            n = unicodedata.normalize("NFKC", chr(cp))
            if len(n) == 1 and n != chr(cp):
                out[cp] = n
    return out


# The blocks as ranges: a search for a range is many times faster than for 1 200 listed characters.
# (Patterns here are compiled by `re` on first use and kept in its cache: start-up pays nothing.)
_IDEOGRAPH_CHARS = "[" + "".join(f"{chr(lo)}-{chr(hi - 1)}" for lo, hi in _IDEOGRAPH_RANGES) + "]"


def fold_ideographs(text: str) -> str:
    """Kangxi radicals and compatibility ideographs → the unified ideographs NFKC gives (one to one)."""
    if re.search(_IDEOGRAPH_CHARS, text) is None:
        return text
    return text.translate(_ideograph_table())


_CN_NUM = frozenset("〇零一二三四五六七八九十百千万两")
_CN_UNIT = frozenset("条款项章节号页年月日次件个届批期元")
_SPACES = (" ", "\u00a0")
# 「一、」 opening a numbered heading, and 「1、」「1.」 opening a numbered item.
_HEADING_AFTER = "[一二三四五六七八九十]{1,3}、"
_ITEM_AFTER = r"[0-9]{1,2}[、.](?![0-9])"


def _starts(pattern: str, text: str, pos: int) -> bool:
    return re.compile(pattern).match(text, pos) is not None


def _is_han(c: str) -> bool:
    """A unified ideograph (or 〇). Told by code point: a character class of these blocks costs the
    `re` module milliseconds to compile, more than the whole fold."""
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or o == 0x3007 or 0x20000 <= o <= 0x3134F


# A space that may be folded: one (never a run) between two characters that are each a digit or at
# least U+3007, as every Han character is (the exact tests follow). Most spaces of a report stand
# beside ASCII (table pipes, words) and are not even looked at.
# `regex` (through rx, compiled on first use): `re` spends ~4 ms compiling these wide classes.
_FOLD_CANDIDATE = "(?<=[0-9\u3007-\U0010ffff])[ \u00a0](?=[0-9\u3007-\U0010ffff])"


def _pdf_spaces(text: str, pdf: bool) -> list[int]:
    """Offsets of the single spaces a PDF text layer puts into Chinese text, sorted.

    One space (ASCII — the ideographic space is already folded to it — or no-break) between a
    digit and a Han character (「2024 年」「共 3119 件」) or around a Chinese number (「第 二十 条」);
    in text from a PDF also between any two Han characters. Never a run (columns laid out by
    spaces), never across a line break, never between two digits (a row of numbers), never before
    a numbered heading or item: on a page flattened onto one line the space is what separates
    them (「…报告 一、基本情况」). Outside a PDF a space between two words separates them too:
    a flattened page's heading and its text (「存在的主要问题和改进情况 一年来」), a footer's fields.
    """
    out: list[int] = []
    from . import rx

    for m in rx.compile(_FOLD_CANDIDATE).finditer(text):
        i = m.start()
        a, b = text[i - 1], text[i + 1]
        han_a, han_b = _is_han(a), _is_han(b)
        if "0" <= a <= "9":
            fold = han_b and not _starts(_HEADING_AFTER, text, i + 1)
        elif han_a and "0" <= b <= "9":
            fold = not _starts(_ITEM_AFTER, text, i + 1)
        elif han_a and han_b:
            fold = (
                pdf or (a == "第" and b in _CN_NUM) or (a in _CN_NUM and (b in _CN_NUM or b in _CN_UNIT))
            ) and not _starts(_HEADING_AFTER, text, i + 1)
        else:
            fold = False
        if fold:
            out.append(i)
    return out


@functools.lru_cache(maxsize=4)
def converter(config: str = "t2s"):
    """An OpenCC converter (``t2s``, ``s2t`` …), loaded on first use; None without OpenCC."""
    from .opencc_conv import load

    direct = load(config)  # without the package's Python wrapper (see opencc_conv)
    if direct is not None:
        return direct
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    for name in (config, f"{config}.json"):
        try:
            return opencc.OpenCC(name)
        except Exception:  # pragma: no cover - config naming differs across builds
            continue
    return None  # pragma: no cover


def _script_table(key: str) -> str | None:
    import os

    from .packfiles import PackError, load_toml, packs_folder

    try:
        data = load_toml(os.path.join(packs_folder(), "script.toml"))
    except PackError:
        return None
    value = data.get("script", {}).get(key)
    return value.replace("\n", "") if isinstance(value, str) else None


@functools.lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """Characters t2s changes (rules/script.toml); empty when the table is missing."""
    return frozenset(_script_table("traditional") or "")


@functools.lru_cache(maxsize=1)
def simplified_chars() -> frozenset[str] | None:
    """Characters s2t changes one by one (rules/script.toml); None when the table is missing."""
    table = _script_table("simplified")
    return None if table is None else frozenset(table)


@functools.lru_cache(maxsize=1)
def _traditional_class() -> re.Pattern[str] | None:
    """One character class of the characters t2s changes; None when the table is missing.

    `re` compiles it in ~5 ms, once per installation: gikcheck/rx.py keeps its code, from which
    a run builds it in ~10 µs. Searching it is one scan in C, where a set would first have to be
    built of the 4 000 characters (~0.3 ms), and GB2312's codec imported (~0.7 ms) to skip most
    of the text."""
    table = _script_table("traditional")
    if not table:
        return None
    if any(c in table for c in "\\]^-[&~|"):  # a class's own syntax (none in the shipped table)
        table = re.escape(table)
    return re.compile(f"[{table}]")


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a character t2s would change (True when the table is missing)."""
    found = _traditional_class()
    return found is None or found.search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional → simplified, guaranteed to keep the length.

    OpenCC may convert phrases to strings of another length; where that
    happens the affected line is converted character by character instead,
    so that offsets stay one-to-one. A text without any traditional
    character is returned as it is, without loading OpenCC.
    """
    if not text:
        return text
    if not has_traditional(text):
        return text
    conv = converter("t2s")
    if conv is None:
        return text
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    parts = []
    for line in text.splitlines(keepends=True):
        conv_line = conv.convert(line)
        if len(conv_line) != len(line):
            conv_line = "".join(c2 if len(c2 := conv.convert(c)) == 1 else c for c in line)
        parts.append(conv_line)
    return "".join(parts)


def offsets(values: Iterable[int] = ()) -> array[int]:
    """A compact offset map: 8 bytes an offset, where a tuple of ints costs 36 (a map has one per character)."""
    return array("q", values)


# ``offsets(range(a, b))`` as a slice of this (a copy in C, where a range costs an int object per
# offset): grown to the longest text seen, within a bound.
_ASCENDING = offsets()
_ASCENDING_MAX = 1 << 20


def ascending(a: int, b: int) -> array[int]:
    """``offsets(range(a, b))``, fast: the identity map of ``a:b``."""
    if b > len(_ASCENDING):
        if b > _ASCENDING_MAX:
            return offsets(range(a, b))
        _ASCENDING.extend(_counting(len(_ASCENDING), min(_ASCENDING_MAX, max(b, 2 * len(_ASCENDING)))))
    return _ASCENDING[a:b]


def _counting(a: int, b: int) -> array[int]:
    """``offsets(range(a, b))`` for ``b <= 2**24``, written in C a byte plane at a time: a range
    makes an int object per offset (~1 ms for a report's 30 000 characters, on every cold run)."""
    n = b - a
    low = a & 255
    planes = [(bytes(range(256)) * ((n + low) // 256 + 1))[low : low + n]]  # the low bytes cycle
    for k in (1, 2):  # higher bytes: runs of 256**k equal ones
        step = 1 << (8 * k)
        runs = []
        v = a
        while v < b:
            end = min(b, (v // step + 1) * step)
            runs.append(bytes(((v >> (8 * k)) & 255,)) * (end - v))
            v = end
        planes.append(b"".join(runs))
    raw = bytearray(8 * n)
    for k, plane in enumerate(planes):
        raw[(k if sys.byteorder == "little" else 7 - k) :: 8] = plane
    out = offsets()
    out.frombytes(raw)
    return out


class Shadow(Record):
    __slots__ = ("text", "origin")

    def __init__(self, text: str, origin: Sequence[int] | None) -> None:
        self.text = text
        # origin[i] is the source offset of shadow character i; origin[len] == len(source).
        # None means the identity map; otherwise an ``offsets`` array.
        self.origin = origin if origin is None or isinstance(origin, array) else offsets(origin)

    def to_source(self, offset: int) -> int:
        if self.origin is None:
            return offset
        if offset >= len(self.origin):
            return self.origin[-1]
        return self.origin[offset]

    def from_source(self, offset: int) -> int:
        """Shadow offset of a source offset (they differ only after NFC composition)."""
        if self.origin is None:
            return offset
        return bisect.bisect_left(self.origin, offset)

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        s = self.to_source(start)
        if end <= start:
            return s, s
        # end is exclusive: map the last character included, then step past it.
        e = self.to_source(end - 1) + 1
        return s, max(e, s)


def _pairs(table: Mapping[int, int | str | None]) -> tuple[tuple[str, str], ...]:
    """A translate table as (character, replacement) pairs for ``_replace_each``."""
    out = tuple((chr(k), "" if v is None else chr(v) if isinstance(v, int) else v) for k, v in table.items())
    # Replacing one character after the other equals translating only when no
    # replacement holds a character that is replaced itself.
    assert not {c for _, r in out for c in r} & {k for k, _ in out}
    return out


def _replace_each(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """``text.translate`` for a whole document: a few dozen ``in`` scans and a
    ``replace`` per character present are many times faster than translate's
    per-character dictionary lookup over tens of thousands of CJK characters."""
    for ch, rep in pairs:
        if ch in text:
            text = text.replace(ch, rep)
    return text


def _replace_found(text: str, table: dict[str, str], chars: re.Pattern[str]) -> str:
    """``_replace_each`` for a long list of characters of which a text holds few: one
    scan finds the next character present, then it is replaced throughout. Nothing
    before that character is left to find, so the scan goes on from there."""
    pos = 0
    while m := chars.search(text, pos):
        ch = m.group()
        text = text.replace(ch, table[ch])
        pos = m.start()
    return text


# The 95 full-width forms: few occur in a report, so they are found, not scanned for one by one.
_WIDTH_MAP = dict(_pairs(_WIDTH_TABLE))
_WIDTH_CHARS = re.compile("[\uff01-\uff5e\u3000]")


_MARKUP_HINT = re.compile(r"<(?:span|p|div|br|strong|b|font|td|table)\b", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,2000}>|&nbsp;")


def markup_spans(text: str) -> list[tuple[int, int]]:
    """Where a text holds HTML markup (Markdown from a Word page): (start, end) of each tag."""
    if "<" not in text or not _MARKUP_HINT.search(text):
        return []
    return [m.span() for m in _TAG.finditer(text)]


def make_shadow(source: str, pdf: bool = False) -> Shadow:
    """Fold ``source`` for matching, keeping an offset map back to it.

    ``pdf``: the text comes from a PDF, whose text layer spaces Han characters apart.
    """
    text = source
    origin: array[int] | None = None
    if not unicodedata.is_normalized("NFC", text):
        # Compose cluster by cluster (a base char and its combining marks).
        pieces: list[str] = []
        origin = offsets()
        i, n = 0, len(text)
        while i < n:
            j = i + 1
            while j < n and unicodedata.combining(text[j]):
                j += 1
            composed = unicodedata.normalize("NFC", text[i:j])
            pieces.append(composed)
            origin.extend((i,) * len(composed))
            i = j
        origin.append(n)
        text = "".join(pieces)
    text = _replace_found(text, _WIDTH_MAP, _WIDTH_CHARS)
    text = fold_ideographs(text)
    text = to_simplified(text)
    drops = _pdf_spaces(text, pdf) if " " in text or "\u00a0" in text else []
    spans = markup_spans(text)
    if spans:
        # Markdown converted from a Word page keeps its markup (<span style="…">): no rule reads it.
        tags = [i for a, b in spans for i in range(a, b) if text[i] != "\n"]
        drops = sorted(set(drops).union(tags)) if drops else tags
    if drops:
        text, origin = _dropped(text, origin, drops, len(source))
    return Shadow(text, origin)


def _dropped(text: str, origin: array[int] | None, drops: list[int], n_source: int) -> tuple[str, array[int]]:
    """``text`` without the characters at ``drops`` (sorted), with its map to the source."""
    pieces: list[str] = []
    new_origin = offsets()
    prev = 0
    for d in drops + [len(text)]:
        pieces.append(text[prev:d])
        new_origin.extend(ascending(prev, d) if origin is None else origin[prev:d])
        prev = d + 1
    new_origin.append(n_source)
    return "".join(pieces), new_origin


# --- label folding ----------------------------------------------------------

# Characters that carry no meaning in a table label: whitespace, the "?" that
# web pages leave for non-breaking spaces, zero-width characters.
_DROP = dict.fromkeys(map(ord, " \t\r\n\u00a0\u200b\u200c\u200d\ufeff?？\ufffd"), None)
_PUNCT_FOLD = str.maketrans(
    {
        "，": ",",
        "：": ":",
        "；": ";",
        "（": "(",
        "）": ")",
        "、": ",",
        "．": ".",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "—": "-",
        "－": "-",
        "／": "/",
    }
)


# Pinyin that copy-paste from annotated pages leaves after characters: 鄉(xiāng).
_PINYIN = re.compile(r"\([a-z\u00e0-\u01dc\u0300-\u036f]{1,7}\)")


def _compose(*tables: Mapping[int, int | str | None]) -> dict[int, int | str | None]:
    """One translate table doing what ``tables`` do one after the other."""
    keys = set().union(*tables)
    out: dict[int, int | str | None] = {}
    for k in keys:
        s: str | None = chr(k)
        for t in tables:
            s = "".join(c for ch in s if (c := _apply(t, ch)) is not None) if s else s
        out[k] = s if s else None
    return out


def _apply(table: Mapping, ch: str) -> str | None:
    v = table.get(ord(ch), ch)
    return None if v is None else (chr(v) if isinstance(v, int) else v)


# Width, meaningless characters and punctuation in one pass (labels are folded often).
_LABEL_TABLE = _compose(_WIDTH_TABLE, _DROP, _PUNCT_FOLD)
# The shadow is already width-folded: only dropping and punctuation remain.
_SHADOW_PAIRS = _pairs(_compose(_DROP, _PUNCT_FOLD))


def label_key(label: str) -> str:
    """Fold a label for comparison: width, script, punctuation, whitespace, pinyin debris."""
    return _LABEL_KEYS[label]


def _label_key(label: str) -> str:
    if not unicodedata.is_normalized("NFC", label):
        label = unicodedata.normalize("NFC", label)
    s = fold_ideographs(label.translate(_LABEL_TABLE))
    if "(" in s:
        s = _PINYIN.sub("", s)
    return to_simplified(s)


# Labels repeat across reports (template labels, cell texts such as "0"): folded once.
_LABEL_KEYS = Memo(_label_key)

# The characters the label table changes (or drops).
_LABEL_CHANGED = frozenset(map(chr, _LABEL_TABLE))


def char_keys(chars: set[str]) -> dict[str, str]:
    """``{c: label_key(c)}`` for each character of ``chars``, each folded alone.

    Most characters fold to themselves, which one test of them all together tells: a string in NFC
    holds no character that NFC changes alone, and the other steps change a character alone only if
    they change it in any string (the pinyin pattern needs three characters)."""
    odd = _LABEL_CHANGED.intersection(chars)
    out = {c: label_key(c) for c in odd}
    plain = "".join(chars.difference(odd))
    if (
        unicodedata.is_normalized("NFC", plain)
        and re.search(_IDEOGRAPH_CHARS, plain) is None
        and not has_traditional(plain)
    ):
        out.update(zip(plain, plain))
    else:
        out.update((c, label_key(c)) for c in plain)
    return out


def compact_key(shadow_text: str) -> str:
    """``label_key`` of a whole document, from its shadow (already NFC, width- and script-folded)."""
    s = _replace_each(shadow_text, _SHADOW_PAIRS)
    return _PINYIN.sub("", s) if "(" in s else s
