"""Map raw tables to the template's canonical tables, cell by cell.

The mapper records facts, not verdicts: which cell holds which template
row × column, which labels differ from the template, what is missing or
extra, and which cells do not hold a valid value. Rules turn these facts
into diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import TYPE_CHECKING
from ..diagnostics import Span
from ..document import Cell, RawTable, Row
from ..memo import by_owner, remember
from ..normalize import label_key
from ..records import Record
from ..templates import BlockSpec, ColumnSpec, RowSpec, TableSpec, Template
from .blocks import cn_number
from .labels import LabelMatch, match_label

if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


# Valid values by column type; compiled on first use (re's cache), as values are cached by text.
_NUM = {
    "count": r"^\d{1,3}(?:,\d{3})+$|^\d+$",
    "signed_int": r"^[+-]?\d+$",
    "amount": r"^\d+(?:\.\d+)?(?:万元|元)?$",
    "decimal": r"^\d+(?:\.\d+)?$",
}
_LOOSE_NUM = re.compile(r"^[+\-−－]?\d[\d,]*(?:\.\d+)?(?:万元|元|件|条|个|项)?$")
_BLOCK_HEADING = re.compile(r"第二十条第\(?([一二三四五六七八九十]+)\)?项")
_JUNK = " \t\u3000\u00a0?？\ufffd"

# Cell texts repeat across reports ("0", "12", the template's labels): what is
# derived from a text alone is kept, up to a bound.
_MAX_CACHED = 8192
_NUMBERISH: dict[str, bool] = {}
# Rows repeat too: what is derived from a row's texts is kept by its key (its
# line, see Row.key) or, for a row made of several lines, by its texts.
_ROW_KEYS: dict[str, tuple[str, ...]] = {}  # row key -> label keys of its cells neither blank nor numbers
_ROW_SPLITS: dict[tuple[object, int], tuple[tuple[int, ...], int, int]] = {}  # (row, ncols) -> _split_at
# Label matches by (text, id of what the candidates come from, context): the
# owner is kept with the answer, as an id may be reused by a later template.
_MATCHES: dict[tuple, tuple[object, object]] = {}
_VALUES: dict[str, dict[str, tuple[float | int | None, str]]] = {}  # cell type -> text -> (value, problem)


def _value_text(text: str) -> str:
    return text.strip(_JUNK).replace("−", "-").replace("－", "-").replace("＋", "+")


def _matched(text: str, owner: object, context: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, remembered by (text, owner, context); a context names its caller first."""
    return by_owner(_MATCHES, (text, context), owner, compute, _MAX_CACHED)


def is_numberish(cell: Cell) -> bool:
    text = cell.text
    found = _NUMBERISH.get(text)
    if found is None:
        t = _value_text(text).replace(" ", "")
        found = remember(_NUMBERISH, text, bool(t) and bool(_LOOSE_NUM.match(t)), _MAX_CACHED)
    return found


class MappedCell(Record):
    __slots__ = ("row", "col", "cell", "value", "problem")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, row: str, col: str, cell: Cell, value: float | int | None, problem: str = "") -> None:
        self.row = row
        self.col = col
        self.cell = cell
        self.value = value  # None when blank or invalid
        self.problem = problem  # "" | blank | non-numeric | negative | fractional


class LabelIssue(Record):
    __slots__ = ("kind", "found", "expected", "quality", "span")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, kind: str, found: str, expected: str, quality: str, span: Span) -> None:
        self.kind = kind  # "row" | "column" | "block"
        self.found = found
        self.expected = expected
        self.quality = quality  # renumbered | typo | doubled
        self.span = span


class Extra(Record):
    __slots__ = ("kind", "text", "span")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, kind: str, text: str, span: Span) -> None:
        self.kind = kind  # "row" | "column"
        self.text = text
        self.span = span


class Missing(Record):
    __slots__ = ("kind", "label", "ident", "block")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, kind: str, label: str, ident: str, block: str = "") -> None:
        self.kind = kind  # "row" | "column" | "block"
        self.label = label
        self.ident = ident
        self.block = block  # 表二: the block heading the row or column belongs to


class Unplaced(Record):
    """A row whose numbers are all there but for blank cells a layout dropped (pdftotext -layout
    draws a blank cell as spaces): ``want - got`` blank cells, which ones the text does not show."""

    __slots__ = ("row", "got", "want", "span", "figures")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, row: str, got: int, want: int, span: Span, figures: str = "") -> None:
        self.row = row  # row id ("block.row" in 表二)
        self.got = got  # numbers read
        self.want = want  # cells of the row
        self.span = span  # its numbers
        self.figures = figures  # as written, one space apart


class MappedTable(Record):
    __slots__ = (
        "spec",
        "raw",
        "cells",
        "row_labels",
        "row_order",
        "columns",
        "label_issues",
        "extras",
        "missing",
        "outdated",
        "layout_template",
        "unreliable",
        "unplaced",
    )
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, spec: TableSpec, raw: RawTable, layout_template: str = "") -> None:
        self.spec = spec
        self.raw = raw
        self.cells: dict[tuple[str, str], MappedCell] = {}
        self.row_labels: dict[str, Cell] = {}  # row id -> label cell
        self.row_order: list[str] = []
        self.columns: list[str] = []  # column ids present, in order
        self.label_issues: list[LabelIssue] = []
        self.extras: list[Extra] = []
        self.missing: list[Missing] = []
        self.outdated: list[tuple[str, Span]] = []  # (marker, where)
        self.layout_template = layout_template  # template id whose layout was used
        self.unreliable = ""  # why its figures cannot be trusted, when so
        self.unplaced: list[Unplaced] = []  # rows short only of blank cells at unknown places

    def value(self, row: str, col: str):
        c = self.cells.get((row, col))
        return c.value if c else None

    def has(self, row: str, col: str) -> bool:
        return (row, col) in self.cells

    @property
    def span(self) -> Span:
        return self.raw.span


def classify(raw: RawTable, template: Template) -> TableSpec | None:
    """Which of the template's tables this raw table is (by its labels)."""
    keys: list[str] = []
    for r in raw.rows:
        row_keys = _ROW_KEYS.get(r.key) if r.key is not None else None
        if row_keys is None:
            row_keys = tuple([label_key(c.text) for c in r.cells if not c.empty and not is_numberish(c)])
            if r.key is not None:
                remember(_ROW_KEYS, r.key, row_keys, _MAX_CACHED)
        keys.extend(row_keys)
    # One substring search in all keys at once; the separator is in no detect key.
    joined = "\x00".join(keys)
    best, best_score = None, 0
    for spec in template.tables.values():
        score = 0
        for d in spec.detect:
            dk = label_key(d)
            if dk and "\x00" not in dk:
                score += dk in joined
            else:
                score += any(dk in k for k in keys)
        if score > best_score:
            best, best_score = spec, score
    return best if best_score >= 2 else None


def _parse_value(cell: Cell, ctype: str) -> tuple[float | int | None, str]:
    text = cell.text
    values = _VALUES.setdefault(ctype, {})
    found = values.get(text)
    if found is None:
        found = remember(values, text, _parse_text(text, ctype), _MAX_CACHED)
    return found


def _parse_text(text: str, ctype: str) -> tuple[float | int | None, str]:
    t = _value_text(text).replace(" ", "")
    if not t:
        return None, "blank"
    if _too_long(t):
        # Python refuses int() of more than 4,300 digits, and float() of 400 is infinite.
        return None, "too-long"
    if re.match(_NUM[ctype], t):
        num_text = t.replace(",", "").replace("万元", "").replace("元", "")
        v: float | int = float(num_text) if "." in num_text else int(num_text)
        return v, ""
    if ctype == "count":
        if re.match(r"^-\d+(?:\.\d+)?$", t):
            return None, "negative"
        if re.match(r"^\d+\.\d+$", t):
            if float(t) == int(float(t)):
                return int(float(t)), ""
            return None, "fractional"
    return None, "non-numeric"


MAX_DIGITS = 15  # no count or amount in a report comes near 10^15; float is exact up to here


def _too_long(t: str) -> bool:
    """More than ``MAX_DIGITS`` digits before the decimal point (or in all)."""
    if len(t) <= MAX_DIGITS:
        return False
    whole = t.split(".", 1)[0]
    return sum(ch.isdigit() for ch in whole) > MAX_DIGITS


def _split_row(row: Row, ncols: int = 0) -> tuple[list[Cell], list[Cell]]:
    """Leading label cells, then the value cells (trailing blanks removed).

    With ``ncols`` known, a row with a label and at least that many cells
    takes its last ``ncols`` cells as values, so that a blank or a word in
    a value cell (「—」「两」) does not shift the others.
    """
    cells = row.cells
    # The split depends on the texts alone, and rows repeat across reports.
    key = (row.key or tuple([c.text for c in cells]), ncols)
    found = _ROW_SPLITS.get(key)
    if found is None:
        found = _split_at(cells, ncols)
        remember(_ROW_SPLITS, key, found, _MAX_CACHED)
    labels, v0, v1 = found
    return [cells[i] for i in labels], cells[v0:v1]


def _split_at(cells: list[Cell], ncols: int) -> tuple[tuple[int, ...], int, int]:
    """``_split_row`` as indices: (label cells, values start, values end)."""
    n = len(cells)
    if ncols:
        end = n
        while end > ncols + 1 and cells[end - 1].empty:
            end -= 1
        if end > ncols and any(map(is_numberish, cells[end - ncols : end])):
            labels = tuple(j for j in range(end - ncols) if not cells[j].empty)
            if labels:
                return labels, end - ncols, end
    i = 0
    while i < n and (cells[i].empty or not is_numberish(cells[i])):
        i += 1
    labels = tuple(j for j in range(i) if not cells[j].empty)
    end = n
    # A label cell with no values at all: the row is a label row.
    while end > i and cells[end - 1].empty:
        end -= 1
    if not labels and i > 0 and end == i:
        return (), 0, 0
    # Blank cells between label and first number belong to the values when
    # the label column has no blanks of its own; keep it simple: the numbers
    # start at the first numeric cell.
    return labels, i, end


def map_table(raw: RawTable, spec: TableSpec, template: Template) -> MappedTable:
    if spec.kind == "blocks":
        return _map_blocks(raw, spec, template)
    return _map_grid(raw, spec, template)


# --- grid tables (表三, 表四) --------------------------------------------------


def _map_grid(raw: RawTable, spec: TableSpec, template: Template) -> MappedTable:
    mt = MappedTable(spec=spec, raw=raw, layout_template=template.id)
    header_cells: list[Cell] = []
    data_rows: list[tuple[list[Cell], list[Cell], Row]] = []
    for row in raw.rows:
        labels, values = _split_row(row)
        if values and spec.single_row and len(row.cells) == len(spec.columns):
            # The one data row, without a label: every cell is a value, blank ones included.
            labels, values = [], list(row.cells)
        if values or (not spec.single_row and _left_blank(row, spec)):
            data_rows.append((labels, values, row))
        else:
            header_cells.extend(c for c in row.cells if not c.empty)

    # Columns: the template's, plus the optional subtotal column when the
    # data is one wider than the template and the header names it.
    width = max((len(v) for _, v, _ in data_rows), default=0)
    columns: list[ColumnSpec] = list(spec.columns)
    header_keys = [label_key(c.text) for c in header_cells]
    for opt in spec.optional_columns:
        if width == len(columns) + 1 and any(k in opt.keys for k in header_keys):
            idx = next((i for i, c in enumerate(columns) if c.id == opt.before), len(columns))
            columns.insert(idx, opt)
    _check_header(mt, spec, header_cells, columns)

    if width < len(columns) and header_cells:
        # Which template columns does the header name? Those absent are missing.
        present = [c for c in columns if any(k in c.keys for k in header_keys)]
        absent = [c for c in columns if c not in present]
        # (A header that names none of them is no header read: a PDF's text may shred one whose
        # labels wrap a character a line, and rows short of blank cells hold no number to count.)
        if absent and present and len(present) == width:
            for c in absent:
                mt.missing.append(
                    Missing(
                        "column",
                        c.label if not c.group or c.group.startswith("legal") else f"{c.group}·{c.label}",
                        c.id,
                    )
                )
            columns = present
    if width and width < len(columns) and not any(m.kind == "column" for m in mt.missing):
        # Fewer numbers than columns and the header does not tell which are gone:
        # mapping by position would misplace every cell, so map none.
        mt.missing.append(Missing("count", f"数据只有 {width} 列,格式规定 {len(columns)} 列", "columns"))
        data_rows = []
    mt.columns = [c.id for c in columns]
    if not spec.single_row:
        data_rows = [
            (lab, val, row) for lab, val, row in ((*_split_row(row, len(columns)), row) for _, _, row in data_rows)
        ]

    current_group = ""
    piece_of_group: dict[int, tuple[str, Span]] = {}  # a label cell of no row yet, by its position
    # Per column: id, type and that type's cache of parsed values, looked up once a table.
    col_values = [(c.id, c.type, _VALUES.setdefault(c.type, {})) for c in columns]
    for labels, values, row in data_rows:
        row_spec: RowSpec | None
        if spec.single_row:
            row_spec = spec.rows[0]
        else:
            row_spec = None
            # The last label cell names the row; earlier ones name its group.
            for i, lc in enumerate(labels):
                m = _match_row(lc.text, spec, current_group)
                text, span = lc.text, lc.span
                if m is None and i < len(labels) - 1 and lc.text.strip():
                    # A group's cell spanning rows, its text cut among them (the PDF reader: 「（三）不」
                    # beside 1., 「子公开」 beside 2.): the pieces together name the group.
                    before = piece_of_group.get(i)
                    if before is not None and (m := _match_row(before[0] + lc.text, spec, current_group)):
                        text, span = before[0] + lc.text, before[1]
                        piece_of_group.pop(i)
                    else:
                        piece_of_group[i] = (lc.text, lc.span)
                if m is None:
                    continue
                target: RowSpec = m.target  # type: ignore[assignment]
                if target.group:
                    # A group begins: earlier pieces go on with none. A row between keeps them
                    # (「（三）不子公」 beside 1., nothing beside 2., 「开」 beside 3.).
                    piece_of_group.clear()
                if m.quality != "exact":
                    mt.label_issues.append(LabelIssue("row", text, m.expected, m.quality, span))
                if target.group and i < len(labels) - 1:
                    current_group = target.id
                    continue
                row_spec = target
                mt.row_labels[target.id] = lc
            if row_spec is None:
                label = "".join(c.text for c in labels).strip(_JUNK)
                span = labels[0].span if labels else row.span
                mt.extras.append(Extra("row", label or "(无标签)", span))
                continue
            current_group = row_spec.id if row_spec.group else row_spec.parent
        rid, cells = row_spec.id, mt.cells
        for (cid, ctype, parsed), cell in zip(col_values, values):
            found = parsed.get(cell.text)
            if found is None:
                found = _parse_value(cell, ctype)
            cells[(rid, cid)] = MappedCell(rid, cid, cell, found[0], found[1])
        if len(values) < len(columns):
            # Trailing blank cells are cells (a row left blank, or blanks a layout dropped at its end).
            end = Span(row.span.end, row.span.end)
            for cid, _, _ in col_values[len(values) :]:
                cells[(rid, cid)] = MappedCell(rid, cid, Cell("", end), None, "blank")
        if len(values) > len(columns):
            for cell in values[len(columns) :]:
                if not cell.empty:
                    mt.extras.append(Extra("column", cell.text, cell.span))
                    break
        if row_spec.id not in mt.row_order:
            mt.row_order.append(row_spec.id)

    if not spec.single_row:
        seen = set(mt.row_order)
        for r in spec.rows:
            if r.group or r.id in seen:
                continue
            mt.missing.append(Missing("row", r.label, r.id))
    elif not data_rows and not any(m.kind == "count" for m in mt.missing):
        mt.missing.append(Missing("row", "数据行", spec.rows[0].id))
    _check_outdated_rows(mt, spec)
    return mt


def _left_blank(row: Row, spec: TableSpec) -> bool:
    """A template row's label followed only by blank cells: the row is present, its cells blank."""
    cells = row.cells
    filled = [i for i, c in enumerate(cells) if not c.empty]
    if not filled or filled[-1] == len(cells) - 1 or any(is_numberish(cells[i]) for i in filled):
        return False
    m = _match_row(cells[filled[-1]].text, spec, "")
    return m is not None and isinstance(m.target, RowSpec) and not m.target.group


def _match_row(text: str, spec: TableSpec, group: str) -> LabelMatch | None:
    return _matched(text, spec, ("row", group), lambda: _find_row(text, spec, group))


def _find_row(text: str, spec: TableSpec, group: str) -> LabelMatch | None:
    # Numbered sub-items repeat across groups (1. 2. 3.): prefer the current group's.
    if group:
        m = match_label(text, [r for r in spec.rows if r.parent == group])
        if m is not None and m.quality == "exact":
            return m
    return match_label(text, spec.rows)


def _check_header(mt: MappedTable, spec: TableSpec, header_cells: list[Cell], columns: list[ColumnSpec]) -> None:
    context = ("header", *(c.id for c in columns))
    for cell in header_cells:
        text = cell.text
        kind, m = _matched(text, spec, context, lambda: _header_label(text, spec, columns))  # noqa: B023 (called within the iteration)
        if kind == "extra":
            mt.extras.append(Extra("column", text.strip(_JUNK), cell.span))
        elif m is not None and m.quality != "exact":
            # kind is "row" or "column": only those carry a match
            mt.label_issues.append(LabelIssue(kind, text, m.expected, m.quality, cell.span))


def _header_label(text: str, spec: TableSpec, columns: list[ColumnSpec]) -> tuple[str, LabelMatch | None]:
    """What a header cell names: ("column", match), ("row", match), ("extra", None) or ("skip", None)."""
    key = label_key(text)
    note_key = label_key(spec.note) if spec.note else ""
    if not key or (note_key and (key == note_key or "勾稽关系" in key)):
        return "skip", None
    extra_labels = [ColumnSpec(id=f"_h{i}", label=h) for i, h in enumerate(spec.header_labels)]
    m = match_label(text, list(columns) + list(spec.optional_columns) + extra_labels)
    if m is not None:
        return "column", m
    # A row label in a header row (a group label such as 三、本年度办理结果) is not a column.
    rm = match_label(text, spec.rows) if spec.rows else None
    return ("row", rm) if rm is not None else ("extra", None)


def _check_outdated_rows(mt: MappedTable, spec: TableSpec) -> None:
    for rid in spec.outdated_rows:
        kids = [r.id for r in spec.rows if r.parent == rid]
        if kids and not any(k in mt.row_order for k in kids):
            cell = next((c for (r, _), c in mt.cells.items() if r == rid), None)
            if cell is not None:
                label = mt.row_labels.get(rid)
                mt.outdated.append((r.label if (r := spec.row(rid)) else rid, label.span if label else cell.cell.span))
                # Its sub-items are then not "missing": the older layout had none.
                mt.missing = [m for m in mt.missing if m.ident not in kids]


# --- block tables (表二) ------------------------------------------------------


def _map_blocks(raw: RawTable, spec: TableSpec, template: Template) -> MappedTable:
    mt = MappedTable(spec=spec, raw=raw, layout_template=template.id)
    outdated_keys = [(m, label_key(m)) for m in spec.outdated]
    block: BlockSpec | None = None
    header: list[ColumnSpec | None] = []
    seen_blocks: set[str] = set()
    seen_rows: set[str] = set()
    label_col_key = label_key(spec.row_label_column) if spec.row_label_column else ""

    def note_outdated(cell: Cell) -> bool:
        k = label_key(cell.text)
        for marker, mk in outdated_keys:
            if mk and (k == mk or (len(mk) >= 4 and mk in k)):
                mt.outdated.append((marker, cell.span))
                return True
        return False

    for row in raw.rows:
        cells = [c for c in row.cells if not c.empty]
        if not cells:
            continue
        first = cells[0]
        fkey = label_key(first.text)
        hm = _BLOCK_HEADING.search(fkey)
        if hm:
            n = cn_number(hm.group(1))
            block = next((b for b in spec.blocks if _block_number(b) == n), None)
            header = []
            if block is None:
                if not note_outdated(first):
                    mt.extras.append(Extra("row", first.text.strip(_JUNK), first.span))
            else:
                seen_blocks.add(block.id)
            continue
        if label_col_key and fkey == label_col_key:
            header = []
            for c in cells[1:]:
                if note_outdated(c):
                    header.append(None)
                    continue
                m = _matched(
                    c.text,
                    block,
                    ("block column",),
                    lambda: match_label(c.text, list(block.columns if block else ())),  # noqa: B023 (called within the iteration)
                )
                if m is None:
                    header.append(None)
                    mt.extras.append(Extra("column", c.text.strip(_JUNK), c.span))
                else:
                    if m.quality != "exact":
                        mt.label_issues.append(LabelIssue("column", c.text, m.expected, m.quality, c.span))
                    header.append(m.target)  # type: ignore[arg-type]
            if block is not None:
                named = {h.id for h in header if h is not None}
                for bcol in block.columns:
                    if bcol.id not in named and not mt.outdated:
                        mt.missing.append(Missing("column", bcol.label, f"{block.id}.{bcol.id}", block.heading))
            continue
        # A data row: label then values.
        if note_outdated(first):
            continue
        m = _matched(
            first.text,
            block or spec,
            ("block row",),
            lambda: match_label(first.text, list(block.rows) if block else [r for b in spec.blocks for r in b.rows]),  # noqa: B023 (called within the iteration)
        )
        if m is None:
            mt.extras.append(Extra("row", first.text.strip(_JUNK), first.span))
            continue
        rspec: RowSpec = m.target  # type: ignore[assignment]
        if m.quality != "exact":
            mt.label_issues.append(LabelIssue("row", first.text, m.expected, m.quality, first.span))
        owner = block or next(b for b in spec.blocks if rspec in b.rows)
        seen_rows.add(f"{owner.id}.{rspec.id}")
        mt.row_labels[f"{owner.id}.{rspec.id}"] = first
        values = [c for c in row.cells[row.cells.index(first) + 1 :]]
        cols = header if header else list(owner.columns)
        if len([c for c in cols if c is not None]) == 1:
            values = [c for c in values if not c.empty][:1] or values[:1]
        for col, cell in zip(cols, values):
            if col is None:
                continue
            value, problem = _parse_value(cell, col.type)
            mt.cells[(f"{owner.id}.{rspec.id}", col.id)] = MappedCell(
                f"{owner.id}.{rspec.id}", col.id, cell, value, problem
            )
        for col in cols[len(values) :]:
            if col is not None:
                # The row stops before this column: a blank cell at the row's end.
                end = row.span.end
                mt.cells[(f"{owner.id}.{rspec.id}", col.id)] = MappedCell(
                    f"{owner.id}.{rspec.id}", col.id, Cell("", Span(end, end)), None, "blank"
                )
        mt.row_order.append(f"{owner.id}.{rspec.id}")

    if not mt.outdated:
        for b in spec.blocks:
            if b.id not in seen_blocks and not any(r.startswith(b.id + ".") for r in seen_rows):
                mt.missing.append(Missing("block", b.heading, b.id))
                continue
            for r in b.rows:
                if f"{b.id}.{r.id}" not in seen_rows:
                    mt.missing.append(Missing("row", r.label, f"{b.id}.{r.id}", b.heading))
    mt.columns = sorted({c for (_, c) in mt.cells})
    return mt


def _block_number(b: BlockSpec) -> int:
    m = _BLOCK_HEADING.search(label_key(b.heading))
    return cn_number(m.group(1)) if m else 0
