"""Read a table region guided by the template, whatever drew it.

The template knows every label of a table, in order, and how many values
each row holds. So the reader does not trust the layout's lines: it reads
the region's text tokens in reading order and consumes them as pieces of
the template's labels (a label wrapped over several lines, cut by a page
break, or sharing a line with the labels of other columns is put back
together), then gives each run of numbers to the row label it sits beside
(same lines) or follows (one cell per line). Values are placed in columns by
their display position when some are blank; where that cannot be done
without guessing, the row is reported as unreadable instead of checked on a
guess.

The result is a ``RawTable`` of clean rows (labels, then one cell per
column) for the ordinary mapper, plus the rows whose values could not be
aligned.
"""
from __future__ import annotations

import re

from ..diagnostics import Span
from ..document import Cell, RawTable, Row
from ..normalize import label_key
from ..records import Record
from ..templates import TableSpec
from .labels import split_ordinal
from .layout import Line, Token

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_CLOSE_AFTER = 12  # lines without a continuation after which a wrapped label is taken as complete


class Target(Record):
    """A label of the template: what a run of text may be a piece of."""

    __slots__ = ("kind", "key", "ident", "order", "block")

    def __init__(self, kind: str, key: str, ident: str, order: int, block: str = "") -> None:
        self.kind = kind      # row | group | column | block | labelcol | note
        self.key = key        # folded label
        self.ident = ident    # row / column id
        self.order = order    # position in the template
        self.block = block    # 表二: the block a row or column belongs to


def targets(spec: TableSpec) -> list[Target]:
    """Every label of ``spec`` that may appear in a drawing of it (aliases included)."""
    out: list[Target] = []
    order = 0

    def add(kind: str, keys, ident: str, block: str = "") -> None:
        nonlocal order
        for k in keys:
            if k:
                out.append(Target(kind, k, ident, order, block))
        order += 1

    if spec.kind == "blocks":
        add("labelcol", (label_key(spec.row_label_column),), "labelcol")
        for b in spec.blocks:
            add("block", (label_key(b.heading),), b.id, b.id)
            for c in b.columns:
                add("column", c.keys, c.id, b.id)
            for r in b.rows:
                add("row", r.keys, r.id, b.id)
    else:
        for r in spec.rows:
            if r.label:
                add("group" if r.group else "row", r.keys, r.id)
        for c in spec.columns + spec.optional_columns:
            add("column", c.keys, c.id)
        for h in spec.header_labels:
            add("column", (label_key(h),), "_header")
    if spec.note:
        add("note", (label_key(spec.note),), "note")
    for m in spec.outdated:
        add("column", (label_key(m),), "_outdated")
    return out


class _Piece(Record):
    """Part of a token consumed by one label: token and the raw character range."""

    __slots__ = ("token", "s", "e")

    def __init__(self, token: Token, s: int, e: int) -> None:
        self.token = token
        self.s = s
        self.e = e


class Label(Record):
    """A label being put together from pieces; ``cands`` are the targets it may still be."""

    __slots__ = ("cands", "pos", "pieces", "x0", "x1", "last_line", "seq", "done", "typos", "data")

    def __init__(self, cands: list[Target], pos: int, seq: int) -> None:
        self.cands = cands
        self.pos = pos          # folded characters matched so far
        self.pieces: list[_Piece] = []
        self.x0 = 1 << 30
        self.x1 = -1
        self.last_line = 0
        self.seq = seq          # reading order of its first piece
        self.done = False       # closed: no more pieces
        self.typos = 0
        self.data: list[list[Token]] = []

    def add(self, piece: _Piece) -> None:
        self.pieces.append(piece)
        t = piece.token
        self.x0 = min(self.x0, t.x0)
        self.x1 = max(self.x1, t.x1)
        self.last_line = t.line

    @property
    def first_line(self) -> int:
        return self.pieces[0].token.line

    @property
    def complete(self) -> bool:
        return any(self.pos >= len(c.key) for c in self.cands)

    @property
    def usable(self) -> bool:
        """Complete, or most of a label (a typo or a cut may end it early)."""
        return self.complete or self.pos >= 0.6 * min(len(c.key) for c in self.cands)

    @property
    def target(self) -> Target:
        full = [c for c in self.cands if self.pos >= len(c.key)]
        return min(full or self.cands, key=lambda c: (abs(len(c.key) - self.pos), c.order))

    def text(self) -> str:
        return "".join(p.token.text[p.s:p.e] for p in self.pieces)

    def span(self) -> Span:
        first, last = self.pieces[0], self.pieces[-1]
        return Span(first.token.start + first.s, last.token.start + last.e)


def _folded(text: str) -> tuple[str, list[int]]:
    """``label_key`` of ``text`` character by character, with the raw index of each folded character."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        k = label_key(ch)
        out.append(k)
        index.extend([i] * len(k))
    return "".join(out), index


def _common(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class _Reader:
    def __init__(self, spec: TableSpec, lines: list[Line]) -> None:
        self.spec = spec
        self.lines = lines
        self.targets = targets(spec)
        self.labels: list[Label] = []
        self.unknown: list[Token] = []
        self.seq = 0
        self.next_row = 0      # template order of the row expected next

    # --- labels ---------------------------------------------------------------

    def _open(self) -> list[Label]:
        return [lb for lb in self.labels if not lb.done]

    def _continue(self, key: str, token: Token) -> tuple[Label, int, int] | None:
        """An open label that ``key`` continues: (label, its characters passed, characters of ``key`` taken).

        Besides a plain continuation, one mistyped character (不子公开) or a few lost ones
        (shredded text) are passed over, so that the label stays one, with its typo in it.
        """
        best: tuple[tuple, Label, int, int] | None = None
        for lb in self._open():
            advance = taken = max(_common(c.key[lb.pos:], key) for c in lb.cands)
            if taken == 0 and lb.pos >= 2 and len(key) >= 2:
                for c in lb.cands:
                    # key[d:] continues the label i characters on: d = 1 is a typo, i > d lost text.
                    for d in (1, 0) if len(key) >= 3 else (0,):
                        at = c.key.find(key[d:d + 2], lb.pos, lb.pos + 6)
                        if at >= lb.pos + d and at >= lb.pos + (1 - d):
                            m = _common(c.key[at:], key[d:])
                            if m + d > taken:
                                advance, taken = at - lb.pos + m, m + d
            if taken == 0:
                continue
            overlap = lb.x0 < token.x1 and token.x0 < lb.x1
            score = (taken, overlap, lb.seq)
            if best is None or score > best[0]:
                best = (score, lb, advance, taken)
        if best is None:
            return None
        _, lb, advance, taken = best
        return lb, advance, taken

    def _start(self, key: str) -> tuple[list[Target], int] | None:
        """Targets ``key`` may begin, and how many characters of it they take."""
        best: list[Target] = []
        best_n = 0
        for t in self.targets:
            n = _common(t.key, key)
            if n < len(t.key) and n < len(key) and n < 2:
                continue
            if n == 0:
                continue
            if n > best_n:
                best, best_n = [t], n
            elif n == best_n:
                best.append(t)
        ordinal, core = split_ordinal(key)
        if ordinal and best_n <= len(key) - len(core) + 1:
            # A wrong or missing ordinal: match the label after it.
            off = len(key) - len(core)
            for t in self.targets:
                t_core = split_ordinal(t.key)[1]
                n = _common(t_core, core)
                if n >= 2 and off + n > best_n:
                    best, best_n = [t], off + n
                elif n >= 2 and off + n == best_n and t not in best:
                    best.append(t)
        if not best:
            return None
        return best, best_n

    def _close_near(self, token: Token, key: str) -> None:
        for lb in self._open():
            if token.line - lb.last_line > _CLOSE_AFTER:
                lb.done = True
            elif (lb.x0 < token.x1 and token.x0 < lb.x1 and lb.complete and token.line > lb.last_line
                  and not any(c.key[lb.pos:lb.pos + 2] == key[:2] for c in lb.cands)):
                lb.done = True  # a complete label with other text under it

    def read_text(self, token: Token) -> None:
        key, index = _folded(token.text)
        self._close_near(token, key)
        i = 0
        while i < len(key):
            rest = key[i:]
            found = self._continue(rest, token)
            if found is not None:
                lb, advance, n = found
                if advance == n:
                    lb.cands = [c for c in lb.cands if c.key[lb.pos:lb.pos + n] == rest[:n]] or lb.cands
                lb.pos += advance
            else:
                started = self._start(rest)
                if started is None:
                    j = i + 1
                    while j < len(key) and self._start(key[j:]) is None:
                        j += 1
                    piece = _sub(token, index, i, j)
                    self.unknown.append(piece)
                    if j - i >= 2 and _HAN.search(piece.text):
                        # Text no label begins: a row the template does not have (or mangled past
                        # recognition). It is kept as a label, so that its numbers stay its own.
                        self.seq += 1
                        extra = Label([Target("extra", key[i:j], "", -1)], j - i, self.seq)
                        extra.add(_Piece(token, index[i], index[j - 1] + 1))
                        extra.done = True
                        self.labels.append(extra)
                    i = j
                    continue
                cands, n = started
                # Several labels begin alike (1. 2. …): the one the template expects next wins.
                rows = [c for c in cands if c.kind in ("row", "group") and c.order >= self.next_row]
                if rows and len(cands) > 1:
                    first = min(c.order for c in rows)
                    cands = [c for c in rows if c.order == first]
                self.seq += 1
                lb = Label(cands, n, self.seq)
                self.labels.append(lb)
                lb.add(_Piece(token, index[i], index[min(i + n, len(index)) - 1] + 1))
                self._settle_waiting(lb)
                lb.pieces.clear()
            raw_s = index[i]
            raw_e = index[i + n - 1] + 1 if i + n - 1 < len(index) else len(token.text)
            if i + n >= len(key):
                raw_e = len(token.text.rstrip())
            lb.add(_Piece(token, raw_s, raw_e))
            if lb.complete and any(c.kind in ("row", "group") for c in lb.cands):
                self.next_row = max(self.next_row, lb.target.order + 1)
            i += n

    # --- values ---------------------------------------------------------------

    def read(self) -> None:
        runs: list[list[Token]] = []
        run_open = False
        unattached: list[Token] | None = None
        for line in self.lines:
            numbers_here = 0
            for t in line.tokens:
                if t.kind == "text":
                    self.read_text(t)
                    run_open = False
                    continue
                if run_open and runs and (numbers_here or len(runs[-1]) == 1 or runs[-1][-1].line == t.line
                                          or all(x.line != t.line for x in runs[-1]) and _one_per_line(runs[-1])):
                    runs[-1].append(t)
                    if t.kind == "num" and unattached is runs[-1]:
                        self._attach(runs[-1])
                        unattached = None
                else:
                    runs.append([t])
                    run_open = True
                    if t.kind == "num":
                        self._attach(runs[-1])
                    else:
                        unattached = runs[-1]  # an empty cell: the run is given away with its first number
                numbers_here += 1
            if numbers_here >= 2:
                run_open = False  # a row of numbers side by side ends with its line
        for lb in self.labels:
            lb.done = True
            # Empty cells only count among numbers: a run of them alone is a blank line's doing.
            lb.data = [run for run in lb.data if any(t.kind == "num" for t in run)]
        self.orphans.extend(self.waiting)

    def _attach(self, run: list[Token]) -> None:
        """Give a run of numbers to the label beside it, or else to the last label before it."""
        line = run[0].line
        leaves = [lb for lb in self.labels if lb.pieces and self._is_leaf(lb)]
        beside = [lb for lb in leaves if lb.first_line <= line <= lb.last_line and not lb.data]
        if beside:
            max(beside, key=lambda lb: (lb.x0, lb.seq)).data.append(run)
            return
        # One cell per line: the numbers follow their label, so they are the last label's
        # (if it has none yet); else a label just below them (a label printed after its numbers).
        before = [lb for lb in leaves if lb.last_line <= line]
        if before:
            last = max(before, key=lambda lb: lb.seq)
            if not last.data:
                last.data.append(run)
                return
        self.waiting.append(run)
        return
        self.orphans.append(run)

    def _settle_waiting(self, lb: Label) -> None:
        """A label just begun takes numbers printed shortly before it that nobody else took."""
        while self.waiting and lb.first_line - self.waiting[0][-1].line > 4:
            self.orphans.append(self.waiting.pop(0))
        if self.waiting and not lb.data and self._is_leaf(lb):
            lb.data.append(self.waiting.pop(0))

    def _is_leaf(self, lb: Label) -> bool:
        kinds = {c.kind for c in lb.cands}
        return "row" in kinds or "extra" in kinds or (not kinds - {"group"} and self._group_has_data(lb))

    def _group_has_data(self, lb: Label) -> bool:
        # A group label holds values itself only in an outdated layout (2019's （六）其他处理 in 2021).
        return lb.target.ident in self.spec.outdated_rows

    orphans: list[list[Token]]
    waiting: list[list[Token]]


def _one_per_line(run: list[Token]) -> bool:
    lines = [t.line for t in run]
    return len(set(lines)) == len(lines)


def _sub(token: Token, index: list[int], i: int, j: int) -> Token:
    s = index[i]
    e = index[j - 1] + 1 if j - 1 < len(index) else len(token.text)
    return Token("text", token.text[s:e], token.start + s, token.start + e, token.line, token.x0, token.x1,
                 token.field, token.fields)


class Aligned(Record):
    """What the aligned reader made of a region: rows for the mapper, rows it could not align."""

    __slots__ = ("raw", "unaligned", "labels_found")

    def __init__(self, raw: RawTable, unaligned: list[tuple[str, int, int, Span, str]], labels_found: int) -> None:
        self.raw = raw
        self.unaligned = unaligned        # (row label, values read, values expected, where, row id)
        self.labels_found = labels_found  # distinct template labels recognised


# A report table's region has at most ~250 tokens; attaching numbers to labels is quadratic in
# them (12,000 tokens: minutes), so a region far beyond a table is not read this way.
MAX_REGION_TOKENS = 1500


def read_region(spec: TableSpec, lines: list[Line], text: str) -> Aligned | None:
    """Rows of ``spec`` read from the tokens of ``lines`` (a region of the document ``text``)."""
    if sum(len(line.tokens) for line in lines) > MAX_REGION_TOKENS:
        return None
    r = _Reader(spec, lines)
    r.orphans = []
    r.waiting = []
    r.read()
    labels = [lb for lb in r.labels if lb.pieces and lb.usable]
    found = {lb.target.ident for lb in labels if lb.complete}
    if len(found) < 3:
        return None
    rows: list[Row] = []
    unaligned: list[tuple[str, int, int, Span, str]] = []
    if spec.kind == "blocks":
        _block_rows(spec, r, labels, rows, unaligned)
    else:
        _grid_rows(spec, r, labels, rows, unaligned)
    rows = [row for row in rows if row.cells]
    if not rows or not any(len(row.cells) > 1 for row in rows):
        # Nothing could be aligned, but the table is there: its labels, for what it is.
        done = sorted((lb for lb in labels if lb.complete), key=lambda lb: lb.seq)
        if not done:
            return None
        rows = [_row([_label_cell(lb) for lb in done], done[0].first_line)]
    span = Span(min(row.span.start for row in rows), max(row.span.end for row in rows))
    return Aligned(RawTable(rows, span, "aligned"), unaligned, len(found))


def _label_cell(lb: Label) -> Cell:
    return Cell(lb.text(), lb.span())


def _num_cell(t: Token) -> Cell:
    return Cell(t.text, Span(t.start, t.end), empty=t.kind == "nil")


def _row(cells: list[Cell], line: int) -> Row:
    spans = [c.span for c in cells if c.span.end > c.span.start] or [c.span for c in cells]
    return Row(cells, Span(min(s.start for s in spans), max(s.end for s in spans)), line)


def _blank_at(t: Token) -> Cell:
    return Cell("", Span(t.end, t.end))


def _place(values: list[Token], ncols: int, centers: list[float] | None) -> list[Token | None] | None:
    """Values in ``ncols`` columns: in order when all are there, else by position; None when unknowable."""
    if len(values) == ncols:
        return list(values)
    if len(values) > ncols and len({v.line for v in values[-ncols:]}) == 1 and values[-ncols - 1].line != values[-1].line:
        return list(values[-ncols:])  # debris before a whole row of values
    if len(values) > ncols or not values:
        return None
    first = values[0]
    if first.fields and all(v.fields == first.fields and v.line == first.line for v in values) and first.fields >= ncols:
        # Tab or pipe cells: counted from the row's end, where the value columns are.
        out: list[Token | None] = [None] * ncols
        for v in values:
            col = ncols - (v.fields - v.field)
            if not 0 <= col < ncols or out[col] is not None:
                return None
            out[col] = v
        return out
    if centers is None or any(v.fields for v in values) or len({v.line for v in values}) > 1:
        return None
    out = [None] * ncols
    for v in values:
        c = (v.x0 + v.x1) / 2
        col = min(range(ncols), key=lambda i: abs(centers[i] - c))
        if out[col] is not None:
            return None
        out[col] = v
    return out


def _centers(runs: list[list[Token]], ncols: int, header: dict[str, tuple[int, int]],
             column_ids: list[str]) -> list[float] | None:
    """Column centres: from rows holding every value (same line), else from the header labels."""
    full = [run for run in runs if len(run) == ncols and len({t.line for t in run}) == 1 and not run[0].fields]
    if full:
        return [sorted((run[i].x0 + run[i].x1) / 2 for run in full)[len(full) // 2] for i in range(ncols)]
    if all(c in header for c in column_ids):
        return [(header[c][0] + header[c][1]) / 2 for c in column_ids]
    return None


def _share_runs(labels: list[Label], ncols: int, is_leaf) -> None:
    """One cell per line, with the labels of several rows printed before their numbers (a PDF's
    reading order): a label holding k whole rows of numbers gives the first k - 1 of them to the
    labels just before it that have none, in order."""
    ordered = sorted(labels, key=lambda lb: lb.seq)
    for i, lb in enumerate(ordered):
        values = [t for run in lb.data for t in run]
        k = len(values) // ncols if ncols else 0
        if k < 2 or len(values) % ncols or len({t.line for t in values}) != len(values):
            continue
        empty: list[Label] = []
        for prev in reversed(ordered[:i]):
            if prev.data or not is_leaf(prev):
                break
            empty.insert(0, prev)
        if len(empty) < k - 1:
            continue
        owners = empty[len(empty) - (k - 1):] + [lb]
        for j, owner in enumerate(owners):
            owner.data = [values[j * ncols:(j + 1) * ncols]]


def _grid_rows(spec: TableSpec, r: _Reader, labels: list[Label], rows: list[Row],
               unaligned: list[tuple[str, int, int, Span, str]]) -> None:
    columns = [c.id for c in spec.columns]
    if not spec.single_row:
        _share_runs([lb for lb in labels if lb.target.kind != "column"], len(columns), r._is_leaf)
    # Header cells only as written (an assembled header with a gap would be a false extra column).
    header_labels = [lb for lb in labels if lb.complete and lb.target.kind == "column"
                     and label_key(lb.text()) in {c.key for c in lb.cands}]
    optional = [lb for lb in header_labels if lb.target.ident in {c.id for c in spec.optional_columns}]
    runs = [run for lb in labels for run in lb.data] + r.orphans
    widest = max((len(run) for run in runs), default=0)
    if optional and widest == len(columns) + 1:
        idx = columns.index("commercial") if "commercial" in columns else len(columns)
        columns.insert(idx, optional[0].target.ident)
    ncols = len(columns)
    header_x: dict[str, tuple[int, int]] = {}
    for lb in header_labels:
        if lb.target.ident in columns and lb.target.ident not in header_x:
            header_x[lb.target.ident] = (lb.x0, lb.x1)
    centers = _centers(runs, ncols, header_x if len(set(header_x)) == ncols else {}, columns)
    if header_labels or any(lb.target.kind == "note" for lb in labels):
        cells = [_label_cell(lb) for lb in sorted(header_labels, key=lambda lb: lb.seq)]
        if cells:
            rows.append(_row(cells, min(lb.first_line for lb in header_labels)))
    if spec.single_row:
        data = [run for run in runs if run]
        if data:
            run = max(data, key=len)
            placed = _place(run, ncols, centers)
            if placed is None:
                unaligned.append(("数据行", len(run), ncols, Span(run[0].start, run[-1].end), spec.rows[0].id))
            else:
                rows.append(_row([_num_cell(t) if t else _blank_at(run[-1]) for t in placed], run[0].line))
        return
    groups_shown: set[str] = set()
    for lb in sorted(labels, key=lambda lb: lb.seq):
        kinds = {c.kind for c in lb.cands}
        if "row" not in kinds and not lb.data:
            continue
        if lb.target.kind not in ("row", "group", "extra"):
            continue
        cells: list[Cell] = []
        parent = spec.row(lb.target.ident).parent if lb.target.ident and spec.row(lb.target.ident) else ""
        if parent and parent not in groups_shown and spec.row(parent) and spec.row(parent).group:
            glb = next((g for g in labels if g.target.ident == parent), None)
            if glb is not None:
                cells.append(_label_cell(glb))
            groups_shown.add(parent)
        cells.append(_label_cell(lb))
        values = [t for run in lb.data for t in run]
        if not values:
            # A row whose values are all blank: present, its cells blank.
            end = lb.pieces[-1].token
            cells.extend(Cell("", Span(end.end, end.end)) for _ in range(ncols))
            rows.append(_row(cells, lb.first_line))
            continue
        placed = _place(values, ncols, centers)
        if placed is None:
            unaligned.append((lb.text(), len(values), ncols, Span(values[0].start, values[-1].end), lb.target.ident))
            rows.append(_row(cells, lb.first_line))
            continue
        cells.extend(_num_cell(t) if t else _blank_at(values[-1]) for t in placed)
        rows.append(_row(cells, lb.first_line))


def _in_order(labels: list[Label]) -> list[Label]:
    """Header labels left to right when they share a line, else in reading order (one cell per line)."""
    if not labels:
        return []
    side_by_side = max(lb.first_line for lb in labels) <= min(lb.last_line for lb in labels)
    return sorted(labels, key=lambda lb: lb.x0 if side_by_side else lb.seq)


def _block_rows(spec: TableSpec, r: _Reader, labels: list[Label], rows: list[Row],
                unaligned: list[tuple[str, int, int, Span, str]]) -> None:
    block_cols = {b.id: [c.id for c in b.columns] for b in spec.blocks}
    ordered = sorted(labels, key=lambda lb: lb.seq)
    header: list[Label] = []
    pending_labelcol: Label | None = None
    block = ""

    def flush_header() -> None:
        nonlocal pending_labelcol
        if pending_labelcol is not None or header:
            cells = ([_label_cell(pending_labelcol)] if pending_labelcol else [Cell(spec.row_label_column, Span(0, 0))])
            cells += [_label_cell(h) for h in _in_order(header)]
            rows.append(_row(cells, (pending_labelcol or header[0]).first_line))
        pending_labelcol = None
        header.clear()

    for lb in ordered:
        t = lb.target
        if t.kind == "block":
            flush_header()
            block = t.block
            rows.append(_row([_label_cell(lb)], lb.first_line))
        elif t.kind == "labelcol":
            if pending_labelcol is not None:
                flush_header()
            pending_labelcol = lb  # column labels printed just above it stay its header
        elif t.kind == "column":
            header.append(lb)
        elif t.kind == "row":
            flush_header()
            values = [v for run in lb.data for v in run]
            cols = block_cols.get(t.block or block, [])
            ncols = len(cols) or len(values)
            cells = [_label_cell(lb)]
            if values:
                placed = _place(values, ncols, None) if len(values) != ncols else list(values)
                if placed is None:
                    unaligned.append((lb.text(), len(values), ncols, Span(values[0].start, values[-1].end),
                                      f"{t.block or block}.{t.ident}"))
                else:
                    cells.extend(_num_cell(v) if v else _blank_at(values[-1]) for v in placed)
            rows.append(_row(cells, lb.first_line))
    flush_header()
