"""Similarity fingerprints of a report's own words: 5-character shingles, CRC-32, one-permutation MinHash, LSH bands."""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import sys
import zlib
from array import array
from collections.abc import Sequence

from ... import TYPE_CHECKING, rx
from ...normalize import label_key, to_simplified
from ...prose.han import han_paragraphs

if TYPE_CHECKING:
    from typing import Any

SHINGLE = 5  # characters per shingle
SKETCH = 128  # bins of the one-permutation MinHash sketch (a power of two)
BANDS = 16  # LSH: 16 bands of 8 bins; a pair at 80% similarity shares a band with p ≈ 0.95
_BIN_BITS = SKETCH.bit_length() - 1
_BIN_MASK = SKETCH - 1
_VALUE_SPACE = 1 << (32 - _BIN_BITS)

_NOT_HAN = rx.compile(r"[^\p{Han}]+")
_REGION = rx.compile(r"^.*?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗|镇|乡|街道)")

# Fixed wording every report repeats, besides the packs' titles and labels.
_BOILERPLATE = (
    "本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)和国务院办公厅政府信息与政务公开办公室"
    "《中华人民共和国政府信息公开工作年度报告格式》编制",
    "本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式(试行)》编制",
    "本报告中所列数据的统计期限为年月日至年月日",
    "本报告在门户网站政府信息公开年报栏目公布",
    "如对本报告有任何疑问,请与联系",
    "政府信息公开工作年度报告",
)


_U32 = next(code for code in "IL" if array(code).itemsize == 4)  # an array type of 32-bit items


@functools.lru_cache(maxsize=1)
def _crc_terms() -> tuple[int, tuple[tuple[bytes, ...], ...]]:
    """CRC-32 of a shingle's worth of zero bytes, and per byte position p the four translate
    tables of the term a byte b at p adds: byte q of crc32(zeros with b at p) ^ crc32(zeros)."""
    width = 2 * SHINGLE
    zero = zlib.crc32(bytes(width))
    tables = []
    for p in range(width):
        terms = [0]
        for bit in range(8):  # the term is linear in b: combine the terms of its bits
            unit = zlib.crc32(bytes(p) + bytes((1 << bit,)) + bytes(width - p - 1)) ^ zero
            terms += [t ^ unit for t in terms]
        packed = array(_U32, terms)
        if sys.byteorder == "big":
            packed.byteswap()
        raw = packed.tobytes()
        tables.append(tuple(raw[q::4] for q in range(4)))
    return zero, tuple(tables)


def _window_crcs(data: bytes, n: int, below: int = 1 << 32) -> array[int]:
    """``zlib.crc32(data[2 * i:2 * i + 2 * SHINGLE])`` for each i < n (UTF-16 code units), all at once;
    with ``below``, every one under it and only few others, in order.

    For messages of one length CRC-32 is affine over GF(2): a window's CRC is the CRC of as
    many zero bytes XOR one term per byte, each depending only on the byte and its position.
    So the CRCs of all windows come from ``bytes.translate`` and XOR on big integers, a few
    dozen C-level passes instead of a slice and a call per window (thousands per report).
    With ``below``, the top bytes come first, and only the windows whose top byte can be under
    it get the other three.
    """
    zero, tables = _crc_terms()
    halves = (data[0::2], data[1::2])
    columns = [halves[p & 1][p >> 1 : (p >> 1) + n] for p in range(2 * SHINGLE)]
    top = (below - 1) >> 24  # a CRC whose top byte is above this is not under ``below``
    if top < 0xFF:
        high = _lane(columns, tables, zero, 3, n)
        drop = high.translate(bytes(top + 1) + b"\xff" * (255 - top))
        columns = [_kept(col, drop) for col in columns]
        high = _kept(high, drop)
        n = len(high)
        lanes = [_lane(columns, tables, zero, q, n) for q in range(3)] + [high]
    else:
        lanes = [_lane(columns, tables, zero, q, n) for q in range(4)]
    packed = bytearray(4 * n)
    for q, lane in enumerate(lanes):
        packed[q::4] = lane
    out = array(_U32)
    out.frombytes(packed)
    if sys.byteorder == "big":
        out.byteswap()
    return out


def _lane(columns: list[bytes], tables: tuple, zero: int, q: int, n: int) -> bytes:
    """Byte ``q`` of every window's CRC."""
    acc = int.from_bytes(bytes(((zero >> 8 * q) & 0xFF,)) * n, "little")
    for col, table in zip(columns, tables):
        acc ^= int.from_bytes(col.translate(table[q]), "little")
    return acc.to_bytes(n, "little")


def _kept(column: bytes, drop: bytes) -> bytes:
    """The bytes of ``column`` where ``drop`` has 0 (it has 0 or 0xFF), in C: paired with their
    ``drop`` byte they are UTF-16 characters U+00xx, which Latin-1 encodes, or U+FFxx, which
    it leaves out."""
    pairs = bytearray(2 * len(column))
    pairs[0::2] = column
    pairs[1::2] = drop
    return pairs.decode("utf-16-le").encode("latin-1", "ignore")


def _hashes(han: str) -> set[int]:
    data = han.encode("utf-16-le")
    n = len(data) // 2 - SHINGLE + 1
    return set(_window_crcs(data, n)) if n > 0 else set()


_TEMPLATE_CACHE: dict[int, tuple[Any, frozenset[int]]] = {}


def template_hashes(knowledge: Any) -> frozenset[int]:
    """Shingles of the template's fixed wording (all packs), computed once per Knowledge."""
    hit = _TEMPLATE_CACHE.get(id(knowledge))
    if hit is not None and hit[0] is knowledge:
        return hit[1]
    out: set[int] = set()
    for t in _template_texts(knowledge):
        out |= _hashes(_NOT_HAN.sub("", label_key(t)))
    frozen = frozenset(out)
    _TEMPLATE_CACHE[id(knowledge)] = (knowledge, frozen)
    return frozen


def _template_texts(knowledge: Any) -> tuple[str, ...]:
    texts: list[str] = list(_BOILERPLATE)
    for tpl in knowledge.templates.values():
        texts.append(tpl.name)
        texts.append(tpl.basis)
        for sec in tpl.sections:
            texts.extend((sec.canonical, *sec.titles, *sec.aliases))
        for spec in tpl.tables.values():
            texts.extend((spec.name, spec.note, *spec.detect, *spec.header_labels, *spec.outdated))
            for row in spec.rows:
                texts.extend((row.label, *row.aliases))
            for col in (*spec.columns, *spec.optional_columns):
                texts.extend((col.label, *col.aliases))
            for block in spec.blocks:
                texts.append(block.heading)
                for row in block.rows:
                    texts.extend((row.label, *row.aliases))
                for col in block.columns:
                    texts.extend((col.label, *col.aliases))
    return tuple(t for t in texts if t)


def prose_of(report: Any) -> str:
    """The report's own words: paragraphs without title, tables, headings, signature; Han only, simplified."""
    doc, meta = report.doc, report.meta
    end = meta.signature_start if meta.signature_start is not None else len(doc.text)
    title = meta.title_span
    # The shadow's Han characters, shared with GK507: the shadow is already simplified.
    text = "".join(
        key
        for key, p in zip(han_paragraphs(report), report.blocks.paragraphs)
        if p.span.start < end and not (title and p.span.start <= title.start < p.span.end)
    )
    for name in agency_names(meta.agency):
        text = text.replace(name, "")
    return text


def agency_names(agency: str) -> list[str]:
    """The agency's name and its place name (青山县交通运输局 → 青山县), longest first."""
    if not agency:
        return []
    key = _NOT_HAN.sub("", to_simplified(agency))
    names = [key]
    m = _REGION.match(key)
    if m and 2 <= len(m.group(0)) < len(key):
        names.append(m.group(0))
    return names


def sketch(han: str, exclude: frozenset[int] = frozenset()) -> tuple[tuple[int, ...], int]:
    """One-permutation MinHash of the text's shingles (fixed wording removed), and the shingle count.

    Each CRC32 value falls in one of SKETCH bins (its low bits); a bin keeps
    its smallest value (the high bits), -1 when empty. CRC32 values are
    uniform, so only values under a cutoff that leaves about 8 per bin are
    kept while hashing (a bin is then empty with probability e⁻⁸); the count
    of distinct shingles is estimated from the survivors.
    """
    positions = len(han) - SHINGLE + 1
    if positions <= 0:
        return (), 0
    cutoff = min(1 << 32, ((8 * SKETCH) << 32) // positions)
    if cutoff >= 1 << 32:
        ordered = sorted(_hashes(han) - exclude)
        count = len(ordered)
    else:
        # (h >> _BIN_BITS) * SKETCH < cutoff, as one comparison: h < cutoff rounded up to a whole bin.
        limit = -(-cutoff // SKETCH) * SKETCH
        hs = set(_window_crcs(han.encode("utf-16-le"), positions, limit))
        hs -= exclude
        # The few kept at or above the limit are cut off the sorted list, not tested one by one.
        ordered = sorted(hs)
        del ordered[bisect.bisect_left(ordered, limit) :]
        count = len(ordered) * (1 << 32) // cutoff
    if not ordered:
        return (), count
    # Each bin's smallest value without a Python loop per hash: a dict fed in descending order
    # keeps the last, smallest, value of each bin.
    ordered.reverse()
    first = dict(zip(map(operator.and_, ordered, itertools.repeat(_BIN_MASK)), ordered))
    return tuple(first[b] >> _BIN_BITS if b in first else -1 for b in range(SKETCH)), count


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two sketches: equal bins among the bins not empty in both."""
    if not a or not b:
        return 0.0
    same = used = 0
    for x, y in zip(a, b):
        if x >= 0 or y >= 0:
            used += 1
            same += x == y
    return same / used if used else 0.0


def bands(sk: Sequence[int]) -> list[tuple[int, ...]]:
    """LSH band keys: (band number, its bins); bands with an empty bin give no key."""
    r = len(sk) // BANDS
    out = []
    for i in range(BANDS):
        part = tuple(sk[i * r : (i + 1) * r])
        if min(part) >= 0:
            out.append((i, *part))
    return out
