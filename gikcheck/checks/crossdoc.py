"""Cross-document rules: reports of one run compared with each other.

GK308 and GK309 compare a report with last year's report of the same
agency; GK510 looks for near-duplicate reports (last year's of the same
agency, or a sibling agency's of the same year). They are run-scope rules:
``summarize()`` runs once per report (possibly in a worker process) and
returns small picklable data; ``check_run()`` sees all the summaries.

Reports are grouped by agency and year, as gikcheck/identity.py works them
out (the parsed title, or the ``[agencies]`` table of the configuration, or a
``gikcheck-agencies.toml`` beside the reports).
"""
from __future__ import annotations

import bisect
import functools
import itertools
import operator
import os
import sys
import zlib
from array import array
from typing import Any, Iterator, Sequence

import regex

from ..diagnostics import Diagnostic, Location, Severity, Span
from ..identity import identity
from ..normalize import label_key, to_simplified
from ..plugins import hookimpl
from ..prose.han import han_paragraphs
from ..memo import once
from ..records import Record
from ..rule import Rule, RuleContext, RunContext
from .naming import col_title

# --- grouping -------------------------------------------------------------------


# Summaries are kept for every report of a run in the main process (10 000 and
# more), so they are slotted and hold positions as ints, not Span/Location objects.


class Place(Record):
    """A span and its line/column location, compactly."""

    __slots__ = ("start", "end", "line", "column", "end_line", "end_column")

    def __init__(self, start: int, end: int, line: int, column: int, end_line: int, end_column: int) -> None:
        self.start, self.end, self.line, self.column = start, end, line, column
        self.end_line, self.end_column = end_line, end_column

    @classmethod
    def of(cls, report: Any, span: Span) -> "Place":
        loc = report.doc.location(span)
        return cls(span.start, span.end, loc.line, loc.column, loc.end_line, loc.end_column)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def location(self) -> Location:
        return Location(self.line, self.column, self.end_line, self.end_column)


class ReportKey(Record):
    """Who wrote the report and for which year; what the cross-year rules group by."""

    __slots__ = ("agency", "agency_key", "year", "template", "title")

    def __init__(self, agency: str, agency_key: str, year: int | None, template: str, title: Place) -> None:
        self.agency = agency              # as written (for messages)
        self.agency_key = agency_key      # folded, aliases resolved (for grouping)
        self.year = year
        self.template = template
        self.title = title

    @property
    def title_span(self) -> Span:
        return self.title.span

    @property
    def title_location(self) -> Location:
        return self.title.location


def report_key(report: Any, settings: Any = None) -> ReportKey:
    """The report's agency and year; one shared object per report (so it is pickled once):
    the three rules summarise one report."""
    return once(report, _build_report_key, settings)


def _build_report_key(report: Any, settings: Any) -> ReportKey:
    who = identity(report, settings)
    return ReportKey(who.agency, who.agency_key, who.year, report.template.id,
                     Place.of(report, report.meta.title_span or Span(0, 0)))


def _name(path: str) -> str:
    return os.path.basename(path) or path


def _index(items: list[tuple[str, Any]]) -> dict[tuple[str, int], tuple[str, Any] | None]:
    """(agency key, year) → the report of that agency and year in the run.

    None when several reports claim the same agency and year (two agencies of
    the same name, such as the many 城关镇, or one report twice): which one
    is last year's cannot be told, so such reports are not compared (the
    mapping file can tell them apart).
    """
    out: dict[tuple[str, int], tuple[str, Any] | None] = {}
    for path, s in items:
        k = s.key
        if k.agency_key and k.year is not None:
            group = (k.agency_key, k.year)
            out[group] = None if group in out else (path, s)
    return out


def _previous(index: dict[tuple[str, int], tuple[str, Any] | None], path: str, key: ReportKey) -> tuple[str, Any] | None:
    """Last year's report of the same agency, when both this one and that one are unambiguous."""
    if not key.agency_key or key.year is None or index.get((key.agency_key, key.year)) is None:
        return None
    prev = index.get((key.agency_key, key.year - 1))
    return prev if prev is not None and prev[0] != path else None


def _fmt(v: int | float) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


class CellRef(Record):
    __slots__ = ("value", "place")

    def __init__(self, value: int | float | None, place: Place) -> None:
        self.value = value
        self.place = place

    @property
    def span(self) -> Span:
        return self.place.span

    @property
    def location(self) -> Location:
        return self.place.location


class Cells(Record):
    """Cells of one table row by column id, packed (ids, values, 6 position ints per cell)."""

    __slots__ = ("cols", "values", "places")

    def __init__(self, cols: tuple[str, ...] = (), values: tuple[int | float | None, ...] = (),
                 places: "array[int] | None" = None) -> None:
        self.cols = cols
        self.values = values
        self.places = array("q") if places is None else places

    @classmethod
    def pack(cls, cells: dict[str, CellRef]) -> "Cells":
        places = array("q")
        for c in cells.values():
            p = c.place
            places.extend((p.start, p.end, p.line, p.column, p.end_line, p.end_column))
        return cls(tuple(cells), tuple(c.value for c in cells.values()), places)

    def get(self, col: str) -> CellRef | None:
        try:
            i = self.cols.index(col)
        except ValueError:
            return None
        return CellRef(self.values[i], Place(*self.places[6 * i:6 * i + 6]))

    def __getitem__(self, col: str) -> CellRef:
        found = self.get(col)
        if found is None:
            raise KeyError(col)
        return found

    def __contains__(self, col: object) -> bool:
        return col in self.cols

    def __bool__(self) -> bool:
        return bool(self.cols)


def _cell(report: Any, table: Any, row: str, col: str) -> CellRef | None:
    mc = table.cells.get((row, col))
    if mc is None:
        return None
    return CellRef(mc.value, Place.of(report, mc.cell.span))


# --- GK308 ----------------------------------------------------------------------


class CarryoverSummary(Record):
    __slots__ = ("key", "col_ids", "labels", "carried_in", "carried_out")

    def __init__(self, key: ReportKey, col_ids: str, labels: str, carried_in: Cells | None = None,
                 carried_out: Cells | None = None) -> None:
        self.key = key
        self.col_ids = col_ids            # column ids in table order, joined by \x1f
        self.labels = labels              # their labels, joined by \x1f
        self.carried_in = Cells() if carried_in is None else carried_in
        self.carried_out = Cells() if carried_out is None else carried_out

    @property
    def columns(self) -> list[tuple[str, str]]:
        if not self.col_ids:
            return []
        return list(zip(self.col_ids.split("\x1f"), self.labels.split("\x1f")))


class CarryoverAcrossYears(Rule):
    """本年度「上年结转」申请数与上一年度报告的「结转下年度继续办理」不一致

    **检查什么** 同一次检查中有同一机关上一年度的报告时，逐列比较本年度表三
    「二、上年结转政府信息公开申请数量」与上一年度表三「四、结转下年度继续办理」
    （自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计）。
    上一年度结转到下一年度办理的申请，就是下一年度的「上年结转」，两者应当相等。
    报告按机关和年度归组：机关名称取自标题（或落款），年度取自标题、统计期限或配置；
    标题未写明机关、机关改名时，可在配置的 ``[agencies]`` 表（或 ``gikcheck-agencies.toml``）中指定文件所属机关。
    同名机关（如各地的城关镇）或同一报告重复出现时，无法判断哪一份是上一年度的，
    不作比较；可用上述文件给同名机关写上不同的名称。

    **依据** 《中华人民共和国政府信息公开工作年度报告格式》表三的定义：
    「四、结转下年度继续办理」是本年度未办结、转入下一年度的申请，
    即下一年度的「二、上年结转政府信息公开申请数量」。

    **错误示例** 2021 年度报告表三「四、结转下年度继续办理」自然人列为 2,
    2022 年度报告表三「二、上年结转政府信息公开申请数量」自然人列为 1。

    **正确示例** 2022 年度报告的「上年结转」逐列照抄 2021 年度报告的「结转下年度继续办理」：
    自然人列均为 2。确有更正的，在报告中说明更正原因并更正上一年度报告。
    """

    code = "GK308"
    name = "carryover-across-years"
    scope = "run"
    requires = ("table:applications/carried_in,carried_out",)

    def summarize(self, report: Any, ctx: RuleContext) -> CarryoverSummary:
        key = report_key(report, ctx.settings)
        table = report.table("applications")
        if table is None:
            return CarryoverSummary(key, "", "")
        cols = tuple((c, col_title(table, c)) for c in table.columns)
        cin = {c: r for c, _ in cols if (r := _cell(report, table, "carried_in", c)) is not None}
        cout = {c: r for c, _ in cols if (r := _cell(report, table, "carried_out", c)) is not None}
        return CarryoverSummary(key, "\x1f".join(c for c, _ in cols), "\x1f".join(label for _, label in cols),
                                Cells.pack(cin), Cells.pack(cout))

    def check_run(self, items: list[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
        index = _index(items)
        for path, s in items:
            k = s.key
            prev = _previous(index, path, k) if s.carried_in else None
            if prev is None:
                continue
            ppath, ps = prev
            for col, label in s.columns:
                here, there = s.carried_in.get(col), ps.carried_out.get(col)
                if here is None or there is None or here.value is None or there.value is None:
                    continue
                if abs(here.value - there.value) < 1e-9:
                    continue
                yield ctx.diagnostic(
                    path, here.span, here.location,
                    f"本年度（{k.year}年）表三「二、上年结转」{label}列为 {_fmt(here.value)}，"
                    f"与上一年度报告（{k.year - 1}年，{_name(ppath)}）「四、结转下年度继续办理」的 "
                    f"{_fmt(there.value)} 不一致",
                    related=[(f"上一年度「四、结转下年度继续办理」{label}列 = {_fmt(there.value)}",
                              ppath, there.location)],
                    help="上一年度结转的申请就是本年度的上年结转；核对两年的表三，错的一方应予更正并说明",
                    anchor=f"crossdoc:carryover:{col}",
                    previous=ppath, column=col, value=here.value, previous_value=there.value,
                )


# --- GK309 ----------------------------------------------------------------------

_STOCK_ROWS = (("art20_1.rules", "规章"), ("art20_1.normative", "行政规范性文件"))


class StockSummary(Record):
    __slots__ = ("key", "rows")

    def __init__(self, key: ReportKey, rows: dict[str, Cells] | None = None) -> None:
        self.key = key
        self.rows = {} if rows is None else rows   # row key → its cells by column id


class StockAcrossYears(Rule):
    """表二现行有效件数与上一年度的现行有效件数、本年制发件数和废止件数对不上

    **检查什么** 同一次检查中有同一机关上一年度（2021 年格式）的报告时，对表二
    「第二十条第（一）项」的「规章」和「行政规范性文件」两行检查：
    本年度现行有效件数 = 上一年度现行有效件数 + 本年制发件数 − 本年废止件数。
    这是经验规则（级别为警告）：文件被修改、到期自动失效而未经废止、
    或统计口径调整时，等式可以不成立，此时应在报告中说明。

    **依据** 《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）
    表二的三列「本年制发件数」「本年废止件数」「现行有效件数」的含义。

    **错误示例** 2021 年度行政规范性文件现行有效 10 件；2022 年度制发 2 件、废止 1 件，
    现行有效却填 15 件（应为 10 + 2 − 1 = 11）。

    **正确示例** 2022 年度现行有效 11 件；或填 15 件并说明另有 4 件是以前年度漏统的文件。
    """

    code = "GK309"
    name = "stock-across-years"
    scope = "run"
    requires = ("table:active/art20_1.in_force",)
    default_severity = Severity.WARNING

    def summarize(self, report: Any, ctx: RuleContext) -> StockSummary:
        key = report_key(report, ctx.settings)
        table = report.table("active")
        rows: dict[str, Cells] = {}
        if table is not None:
            for row, _ in _STOCK_ROWS:
                cells = {c: r for c in ("issued", "repealed", "in_force")
                         if (r := _cell(report, table, row, c)) is not None and r.value is not None}
                if cells:
                    rows[row] = Cells.pack(cells)
        return StockSummary(key, rows)

    def check_run(self, items: list[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
        index = _index(items)
        for path, s in items:
            k = s.key
            prev = _previous(index, path, k) if s.rows else None
            if prev is None:
                continue
            ppath, ps = prev
            for row, label in _STOCK_ROWS:
                here, there = s.rows.get(row, Cells()), ps.rows.get(row, Cells())
                if not all(c in here for c in ("issued", "repealed", "in_force")) or "in_force" not in there:
                    continue
                last, issued, repealed, now = (there["in_force"].value, here["issued"].value,
                                               here["repealed"].value, here["in_force"].value)
                expected = last + issued - repealed
                if abs(expected - now) < 1e-9:
                    continue
                yield ctx.diagnostic(
                    path, here["in_force"].span, here["in_force"].location,
                    f"本年度（{k.year}年）表二「{label}」现行有效件数为 {_fmt(now)}，"
                    f"但上一年度报告（{k.year - 1}年，{_name(ppath)}）的现行有效件数 {_fmt(last)}"
                    f" + 本年制发件数 {_fmt(issued)} − 本年废止件数 {_fmt(repealed)} = {_fmt(expected)}",
                    related=[(f"上一年度「{label}」现行有效件数 = {_fmt(last)}", ppath, there["in_force"].location),
                             (f"本年制发件数 = {_fmt(issued)}", path, here["issued"].location),
                             (f"本年废止件数 = {_fmt(repealed)}", path, here["repealed"].location)],
                    help="核对现行有效件数；文件被修改或自动失效等原因造成差异的，在报告中说明",
                    anchor=f"crossdoc:stock:{row}",
                    previous=ppath, expected=expected, value=now,
                )


# --- GK510 ----------------------------------------------------------------------

SHINGLE = 5            # characters per shingle
SKETCH = 128           # bins of the one-permutation MinHash sketch (a power of two)
MIN_SHINGLES = 60      # shorter prose is not compared (too little to judge)
THRESHOLD = 0.8        # estimated Jaccard similarity from which a report counts as copied
BANDS = 16             # LSH: 16 bands of 8 bins; a pair at 80% similarity shares a band with p ≈ 0.95
_CANDIDATES = 32       # at most this many candidates compared per report
_BIN_BITS = SKETCH.bit_length() - 1
_BIN_MASK = SKETCH - 1
_VALUE_SPACE = 1 << (32 - _BIN_BITS)

_NOT_HAN = regex.compile(r"[^\p{Han}]+")
_REGION = regex.compile(r"^.*?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗|镇|乡|街道)")

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


_U32 = next(code for code in "IL" if array(code).itemsize == 4)   # an array type of 32-bit items


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


def _window_crcs(data: bytes, n: int, below: int = 1 << 32) -> "array[int]":
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
    columns = [halves[p & 1][p >> 1:(p >> 1) + n] for p in range(2 * SHINGLE)]
    top = (below - 1) >> 24    # a CRC whose top byte is above this is not under ``below``
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
    text = "".join(key for key, p in zip(han_paragraphs(report), report.blocks.paragraphs)
                   if p.span.start < end and not (title and p.span.start <= title.start < p.span.end))
    for name in _agency_names(meta.agency):
        text = text.replace(name, "")
    return text


def _agency_names(agency: str) -> list[str]:
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
        del ordered[bisect.bisect_left(ordered, limit):]
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
        part = tuple(sk[i * r:(i + 1) * r])
        if min(part) >= 0:
            out.append((i, *part))
    return out


class CopySummary(Record):
    __slots__ = ("key", "sketch", "shingles")

    def __init__(self, key: ReportKey, sketch: "array[int]", shingles: int) -> None:
        self.key = key
        self.sketch = sketch      # 'i' array: 512 bytes, not 128 int objects (10 000 reports stay small)
        self.shingles = shingles


class CopiedReport(Rule):
    """报告与上一年度的报告或同级机关的报告高度雷同

    **检查什么** 在同一次检查的报告中，比较本报告与同一机关上一年度的报告、
    以及同一年度其他机关的报告。只比较报告自己的文字：去掉标题、表格、
    各部分标题、落款、数字、机关名称，以及年度报告格式规定的固定文字
    （规则包中的各部分标题、表格行列标签、编制依据等套话）。
    相似度按 5 个汉字一组的文字片段（shingle）计算 Jaccard 相似度，
    用 128 格的单次置换 MinHash 草图估计（同一年度的报告先用局部敏感哈希
    分桶找出候选，不必两两比较，上万份报告也只需约一秒）；估计值达到 80% 即报告，
    并写明相似度和相似的文件。只改数字和机关名称、照抄上一年度或其他机关报告的，
    会被发现。

    为什么不用 jieba 分词：实测用规则包词条做的小词典初始化 jieba 需要约 80 毫秒
    （其中导入 jieba 本身约 85 毫秒），切分一篇 20 KB 的报告需要 10–14 毫秒，
    且小词典下大部分文字被切成单字，分词质量并不比字片段好；
    而 5 字片段加 CRC32 哈希每篇不到 1 毫秒，对照抄的判断同样可靠。
    因此本规则用字片段，不加载 jieba。

    **依据** 《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）
    要求年度报告内容具体、不得泛化、格式化；照抄往年或其他机关报告是评估中常见的扣分项。

    **错误示例** 2022 年度报告的「总体情况」「存在的主要问题及改进情况」与 2021 年度报告
    逐字相同，只改了年份和数字。

    **正确示例** 按本年度实际工作撰写各部分，写明本年度的具体做法、数据和改进措施。
    """

    code = "GK510"
    name = "copied-report"
    scope = "run"
    default_severity = Severity.WARNING

    def summarize(self, report: Any, ctx: RuleContext) -> CopySummary:
        key = report_key(report, ctx.settings)
        exclude = template_hashes(report.knowledge)
        sk, n = sketch(prose_of(report), exclude)
        return CopySummary(key, array("i", sk), n)

    def check_run(self, items: list[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
        usable = [(p, s) for p, s in items if s.shingles >= MIN_SHINGLES and s.sketch]
        if len(usable) < 2:
            return
        index = _index(usable)
        # Bucket keys are the hash of (year, band): a collision only adds a candidate, whose
        # similarity is computed anyway, and 10 000 reports' 160 000 bands stay small (ints,
        # and a lone report's index instead of a list).
        buckets: dict[int, int | list[int]] = {}
        for i, (_, s) in enumerate(usable):
            for key in bands(s.sketch):
                h = hash((s.key.year, key))
                got = buckets.get(h)
                if got is None:
                    buckets[h] = i
                elif got.__class__ is int:
                    buckets[h] = [got, i]
                else:
                    got.append(i)
        for i, (path, s) in enumerate(usable):
            k = s.key
            # Last year's report of the same agency first: that is the usual copy.
            prev = _previous(index, path, k)
            if prev is not None:
                sim = similarity(s.sketch, prev[1].sketch)
                if sim >= THRESHOLD:
                    yield self._found(ctx, path, s, prev[0], prev[1], sim, last_year=True)
                    continue
            # A sibling: another agency's report of the same year sharing an LSH band.
            best: tuple[float, int] | None = None
            seen = {i}
            looked = 0
            for key in bands(s.sketch):
                got = buckets.get(hash((k.year, key)))
                for j in () if got is None else (got,) if got.__class__ is int else got:
                    if j in seen:
                        continue
                    seen.add(j)
                    o = usable[j][1]
                    if o.key.agency_key and o.key.agency_key == k.agency_key:
                        continue  # the same agency's report of the same year (the same report twice)
                    looked += 1
                    sim = similarity(s.sketch, o.sketch)
                    if sim >= THRESHOLD and (best is None or sim > best[0]):
                        best = (sim, j)
                    if looked >= _CANDIDATES:
                        break
                if looked >= _CANDIDATES:
                    break
            if best is not None:
                opath, o = usable[best[1]]
                yield self._found(ctx, path, s, opath, o, best[0], last_year=False)

    def _found(self, ctx: RunContext, path: str, s: CopySummary, opath: str, o: CopySummary, sim: float,
               last_year: bool) -> Diagnostic:
        pct = f"{sim * 100:.0f}%"
        if last_year:
            whom = f"上一年度报告（{o.key.year}年，{_name(opath)}）"
        else:
            agency = f"「{o.key.agency}」" if o.key.agency else "另一机关"
            year = f"{s.key.year}年度" if s.key.year is not None else "同一年度"
            whom = f"{year}{agency}的报告（{_name(opath)}）"
        return ctx.diagnostic(
            path, s.key.title_span, s.key.title_location,
            f"本报告与{whom}高度雷同：除格式规定的固定文字、数字和机关名称外，约 {pct} 的文字片段相同",
            related=[(f"相似的报告，相似度约 {pct}", opath, o.key.title_location)],
            help="按本年度、本机关的实际工作撰写报告，不要照抄往年或其他机关的报告",
            anchor=f"crossdoc:copied:{_name(opath)}",
            similar_to=opath, similarity=round(sim, 3),
        )


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [CarryoverAcrossYears, StockAcrossYears, CopiedReport]
