"""Rows for the mapper from what the template-guided reader found (``aligned``).

Each row label with its numbers becomes a row of cells, one per column of the
template: values placed in their columns (in order when all are there, else by
display position, tab field or header field), blank cells where a column holds
nothing. What cannot be placed without guessing is reported, not guessed: a row
short of numbers is "unaligned" (a ``ShortRow``; when its numbers stand beside its label
on one line, its missing cells are blank ones the layout dropped: ``blanks_dropped``),
and a table whose numbers could not be given to their rows is "damaged" (torn apart)
or "scrambled" (one cell per line, in another order than the rows).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..diagnostics import Span
from ..document import Cell, RawTable, Row
from ..normalize import label_key
from ..records import Record
from ..templates import TableSpec
from .aligned import AlignedReader, Label, targets, unglued
from .layout import Line, Token
from .layoutcolumns import place_by_page


class ShortRow(Record):
    """A row whose numbers could not be given to their columns."""

    __slots__ = ("label", "got", "want", "span", "row", "blanks_dropped", "label_cell", "figures", "why", "apart")

    def __init__(
        self,
        label: str,
        got: int,
        want: int,
        span: Span,
        row: str,
        blanks_dropped: bool = False,
        label_cell: Cell | None = None,
        figures: str = "",
        why: str = "",
    ) -> None:
        self.label = label  # the row label as read
        self.label_cell = label_cell  # where (None: a table of one row, without a label)
        self.figures = figures  # its numbers as written, one space apart
        self.got = got  # numbers read
        self.want = want  # cells the template gives the row
        self.span = span  # from its first number to its last
        self.row = row  # row id ("block.row" in 表二)
        # Fewer numbers than cells, all on one line beside the label, none a tab or pipe field: a
        # space-aligned drawing that dropped blank cells (pdftotext -layout). The missing cells
        # are blank; which ones, the text does not show.
        self.blanks_dropped = blanks_dropped
        self.why = why  # what shows that a row of all its numbers is out of order ("": it is short)
        self.apart = ""  # where a figure that may be the row's stands apart (said in the finding)


def _short_row(
    lb: Label | None, values: list[Token], ncols: int, row: str, whole: bool = True, why: str = ""
) -> ShortRow:
    """The row of ``lb`` (None: a table of one row), whose ``values`` could not be placed in ``ncols``
    columns; ``whole``: they are every number the table's text gives that row; ``why``: what shows
    that a row of all its numbers is out of order."""
    dropped = (
        whole
        and 0 < len(values) < ncols
        and len({v.line for v in values}) == 1
        and all(v.kind == "num" and not v.fields for v in values)
        and (lb is None or lb.first_line <= values[0].line <= lb.last_line)
    )
    label = _label_cell(lb) if lb is not None else None
    span = Span(values[0].start, values[-1].end)
    figures = " ".join(v.text for v in values)
    return ShortRow(label.text if label else "数据行", len(values), ncols, span, row, dropped, label, figures, why)


class Aligned(Record):
    """What the aligned reader made of a region: rows for the mapper, rows it could not align."""

    __slots__ = ("raw", "unaligned", "labels_found", "damaged", "scrambled", "order_unproven")

    def __init__(
        self,
        raw: RawTable,
        unaligned: list[ShortRow],
        labels_found: int,
        damaged: bool = False,
        scrambled: bool = False,
    ) -> None:
        self.damaged = damaged  # numbers beside their labels, but some far from any
        self.scrambled = scrambled  # one cell per line, and not every row found its numbers
        self.raw = raw
        self.unaligned = unaligned  # rows whose numbers could not be placed
        self.labels_found = labels_found  # distinct template labels recognised
        # A table of one row read from numbers one per line, in reading order: plain pdftotext may
        # print its column blocks out of order, so in a PDF's text report.py trusts that order only
        # where the row's sums hold in it.
        self.order_unproven = False


# A report table's region has at most ~250 tokens; attaching numbers to labels is quadratic in
# them (12,000 tokens: minutes), so a region far beyond a table is not read this way.
MAX_REGION_TOKENS = 1500


def read_region(
    spec: TableSpec, lines: list[Line], page_starts: Sequence[int] = (), pdf: bool = False
) -> Aligned | None:
    """Rows of ``spec`` read from the tokens of ``lines`` (a table region; ``page_starts``: its
    lines that begin a page; ``pdf``: the text is a PDF's, whose converter may print a line's
    figures out of their order)."""
    if sum(len(line.tokens) for line in lines) > MAX_REGION_TOKENS:
        return None
    if pdf:
        lines = unglued(spec, lines)
    r = AlignedReader(spec, lines, page_starts)
    r.read()
    labels = [lb for lb in r.labels if lb.pieces and lb.usable]
    found = {lb.target.ident for lb in labels if lb.complete}
    if len(found) < 3:
        return None
    rows: list[Row] = []
    unaligned: list[ShortRow] = []
    order = "" if spec.single_row else _zip_in_order(spec, r, labels, lines)
    zipped = order == "zipped"
    if not order and spec.kind == "blocks":
        _late_cells(spec, r, labels, lines)
    damaged = not order and r.damaged(labels)
    unproven: list[bool] = []
    if spec.kind == "blocks" and zipped:
        _zipped_block_rows(spec, labels, rows)
    elif spec.kind == "blocks":
        _block_rows(spec, r, labels, rows, unaligned, pdf)
    else:
        _grid_rows(spec, r, labels, rows, unaligned, lines, page_starts, unproven, pdf)
    rows = [row for row in rows if row.cells]
    if not rows or not any(len(row.cells) > 1 for row in rows):
        # Nothing could be aligned, but the table is there: its labels, for what it is.
        done = sorted((lb for lb in labels if lb.complete), key=lambda lb: lb.seq)
        if not done:
            return None
        rows = [_row([_label_cell(lb) for lb in done], done[0].first_line)]
    # The table reaches as far as its numbers, those of rows left unplaced included.
    spans = [row.span for row in rows] + [u.span for u in unaligned]
    span = Span(min(s.start for s in spans), max(s.end for s in spans))
    if not spec.single_row and any(t.kind == "num" for run in r.orphans for t in run):
        # Numbers given to no row: a row short of numbers may have lost them there, not to blanks
        # (a table of one row has no label: its numbers are all "orphans", and all the row's).
        for u in unaligned:
            u.blanks_dropped = False
    # Rows short only of the blank cells a space-aligned drawing dropped are read all the same; a
    # row beside its label whose figures a PDF's converter printed out of order is one unread row.
    unplaced = [u for u in unaligned if not u.blanks_dropped and not u.why]
    # Read one cell per line (no number beside its label) and some rows short of numbers: the
    # cells came in another order than the rows (plain pdftotext) or blank ones were dropped.
    if spec.single_row or order:  # (a single row has no label: its numbers are all "orphans")
        scrambled = bool(unplaced)
    else:
        scrambled = r.how["beside"] < 3 and (
            bool(unplaced) or any(any(t.kind == "num" for t in run) for run in r.orphans)
        )
    # Many rows short of numbers that no blank cell explains: a column's figures went elsewhere
    # (Chromium's PDF in plain pdftotext may print 表三's 总计 column after the table).
    damaged = (
        damaged
        or (not scrambled and len(unplaced) >= _MANY_SHORT)
        or _digits_merged(labels, r)
        or (pdf and _piece_as_row(spec, labels, found))
    )
    out = Aligned(RawTable(rows, span, "aligned"), unaligned, len(found), damaged, scrambled)
    out.order_unproven = bool(unproven)
    return out


_MAX_RUN_ROWS = 4  # rows a run of numbers one per line may cover for its order to prove the pairing
_TOP_ROWS = 4  # rows at a page's top a running title may reorder, one after another
_MANY_SHORT = 3  # rows short of numbers (not of blank cells) that make a reading a torn table


def _zip_in_order(spec: TableSpec, r: AlignedReader, labels: list[Label], lines: list[Line]) -> str:
    """Rows and numbers paired in the template's order, where the layout lost the pairing but not
    the order (plain pdftotext gives a table's cells in reading blocks: some labels after their
    numbers, group labels after a page's figures; Chromium's PDF prints a row's numbers apart from
    its wrapped label). It is done only when it cannot be a guess:

    - the row labels found are each found once, in the template's order;
    - the numbers are exactly as many as those rows hold;
    - every run of numbers not interrupted by text covers whole rows, and a line holding several
      numbers holds exactly one row's (a converter that cut a table into column blocks — two
      columns of several rows, then the rest — fails both).

    Returns "zipped" (numbers given to the rows anew), "paired" (each row already held its own
    numbers, in that order: the pairing is proven, however far some numbers were from their
    label) or "" (the order proves nothing).
    """
    rows: dict[str, Label] = {}
    for lb in labels:
        tg = lb.target
        if tg.kind == "extra" and lb.data:
            return ""  # a row the template lacks: its numbers have no place in the order
        if tg.kind == "group" and lb.data and r._is_leaf(lb):
            return ""  # an outdated layout's group row holds numbers itself
        if tg.kind != "row":
            continue
        key = f"{tg.block}.{tg.ident}"
        if key in rows:
            return ""  # a row read twice: which one holds the numbers is a guess
        rows[key] = lb
    ordered = sorted(rows.values(), key=lambda lb: lb.seq)
    if not ordered:
        return ""
    # Labels out of the template's order (Chromium's PDF in plain pdftotext prints some of a
    # page's labels after its figures): the figures may still be in it. Only with every row of
    # the template found, and the runs' labels proving it (``_anchored``).
    anchored = any(a.target.order >= b.target.order for a, b in itertools.pairwise(ordered))
    if anchored:
        if spec.kind == "blocks" or len(ordered) != len({t.ident for t in targets(spec) if t.kind == "row"}):
            return ""
        if not all(lb.complete for lb in ordered):
            return ""  # a row's label read in part (its rest printed apart): the labels prove nothing
        ordered.sort(key=lambda lb: lb.target.order)
    if spec.kind == "blocks":
        width = {b.id: len(b.columns) for b in spec.blocks}
        need = [width.get(lb.target.block, 0) for lb in ordered]
        named = {(c.block, c.ident) for lb in labels if lb.complete for c in lb.cands if c.kind == "column"}
        if any(
            (b.id, c.id) not in named
            for b in spec.blocks
            if any(lb.target.block == b.id for lb in ordered)
            for c in b.columns
        ):
            return ""  # a block's header is not all there: which number is which column is a guess
    else:
        need = [len(spec.columns)] * len(ordered)
    paired = all(len([t for run in lb.data for t in run]) == n for lb, n in zip(ordered, need)) and not any(
        any(t.kind == "num" for t in run) for run in r.orphans
    )
    stream = [t for line in lines for t in line.tokens]
    values = [t for t in stream if t.kind in ("num", "nil")]
    while values and values[-1].kind == "nil":
        values.pop()
    if len(values) != sum(need):
        return ""
    bounds, at = {0}, 0
    for n in need:
        at += n
        bounds.add(at)
    row_of = []
    for k, n in enumerate(need):
        row_of.extend([k] * n)
    # A wrapped label's rest amid its row's figures (「行政事业性收」 2 「费」 0: Chromium prints a
    # figure against the label's first line) is no text between runs.
    rest_of = _label_rests(labels)
    # Runs of numbers between texts: each must begin and end at a row's bounds.
    seen = 0
    cuts = [0]
    before: dict[int, Token | None] = {}  # each run's start -> the text just before it
    last: Token | None = None
    for t in stream:
        if t.kind != "text":
            if seen not in before:
                before[seen] = last
            seen += 1
        elif seen < len(values) and seen not in bounds and rest_of.get(id(t)) is ordered[row_of[seen]]:
            continue
        elif min(seen, len(values)) not in bounds:
            return ""
        else:
            last = t
            if min(seen, len(values)) != cuts[-1]:
                cuts.append(min(seen, len(values)))
    if cuts[-1] != len(values):
        cuts.append(len(values))
    if anchored and not _anchored(labels, ordered, need, [(a, b, before.get(a)) for a, b in itertools.pairwise(cuts)]):
        return ""
    # A line's numbers: one row's, whole — or, where a converter printed a row's figures in
    # fragments (Chromium's 「93 13」 then 「0」…「1 111」), the first or last of one row's.
    by_line: dict[int, list[int]] = {}
    for i, v in enumerate(values):
        by_line.setdefault(v.line, []).append(i)
    whole = True
    for idx in by_line.values():
        if len(idx) < 2:
            continue
        if row_of[idx[0]] != row_of[idx[-1]] or (idx[0] not in bounds and idx[-1] + 1 not in bounds):
            return ""
        whole = whole and idx[0] in bounds and idx[-1] + 1 in bounds
    # A run of several rows one number a line (or in fragments) could as well be a column's
    # numbers, then the next column's (a converter's column blocks; Chromium's for rows close
    # together): 表三's rows add up read as rows, and not as columns, or the text does not say;
    # where both readings add up (and in 表二), the converter's habit is rows in short runs only.
    ends = sorted(bounds)
    for a, b in itertools.pairwise(cuts):
        rows_in_run = sum(1 for e in ends if a < e <= b)
        # (Lines each holding a whole row prove the rows; any figure alone on its line, or a
        # fragment of a row, does not.)
        if rows_in_run < 2 or (whole and all(len(by_line[v.line]) > 1 for v in values[a:b])):
            continue
        tells = "either" if spec.kind == "blocks" else _rows_or_columns(spec, values[a:b], rows_in_run)
        if not tells or (tells == "either" and (rows_in_run > _MAX_RUN_ROWS or 2 * rows_in_run > len(ordered))):
            return ""
    if paired and not anchored:
        return "paired"  # every row has its own numbers already, and they are the order's
    types = {b.id: [c.type for c in b.columns] for b in spec.blocks}
    at = 0
    for lb, n in zip(ordered, need):
        if not _signs_fit(types.get(lb.target.block) or [c.type for c in spec.columns], values[at : at + n]):
            return ""  # a signed figure the order puts in a column of counts: the order is not the rows'
        at += n
    at = 0
    for lb, n in zip(ordered, need):
        lb.data = [values[at : at + n]]
        at += n
    kept = {id(lb) for lb in ordered}
    for lb in labels:
        if id(lb) not in kept:
            lb.data = []
    r.orphans = []
    r.waiting = []
    return "zipped"


def _label_rests(labels: list[Label]) -> dict[int, Label]:
    """Tokens that are only a later line of one row's label (a wrapped label's rest) -> that label."""
    owners: dict[int, set[int]] = {}
    for lb in labels:
        for p in lb.pieces:
            owners.setdefault(id(p.token), set()).add(id(lb))
    out: dict[int, Label] = {}
    for lb in labels:
        if lb.target.kind != "row" or not lb.pieces:
            continue
        first = id(lb.pieces[0].token)
        for p in lb.pieces[1:]:
            if id(p.token) != first and owners[id(p.token)] == {id(lb)}:
                out[id(p.token)] = lb
    return out


def _anchored(
    labels: list[Label], ordered: list[Label], need: list[int], runs: list[tuple[int, int, Token | None]]
) -> bool:
    """Whether the figures are in the template's order though the labels are not: each run of
    figures (``runs``: its bounds in the order, the text just before it) that a row's label
    stands just before covers that row in the order (begins with it, or the labels of the rows
    it covers were printed before it, some after it), and most runs have one so (the rest stand
    after a group's label, a header or nothing)."""
    bounds, at = {}, 0
    for lb, n in zip(ordered, need):
        bounds[id(lb)] = (at, at + n)
        at += n
    owner: dict[int, tuple[int, Label]] = {}  # a token -> the label of its last piece
    for lb in labels:
        for p in lb.pieces:
            if p.s >= owner.get(id(p.token), (-1, lb))[0]:
                owner[id(p.token)] = (p.s, lb)
    anchors = free = 0
    for a, b, token in runs:
        last = owner[id(token)][1] if token is not None and id(token) in owner else None
        if last is None or id(last) not in bounds:
            free += 1
        elif not a <= bounds[id(last)][0] < bounds[id(last)][1] <= b:
            return False  # a row's label just before other rows' figures
        else:
            anchors += 1
    return anchors >= max(3, 2 * free)


def _rows_or_columns(spec: TableSpec, run: list[Token], k: int) -> str:
    """Whether a run of figures covering ``k`` rows, one a line or in fragments, is the rows one
    after another or may as well be the columns one after another (a converter's column blocks:
    both orders print one figure a line): "rows" where read as rows every row satisfies the
    identities along a row, or all but one (the report's defect, which no figure moved mends),
    and read as columns more rows do not (or the two readings are the same figures); "either"
    where both readings satisfy them all (sparse rows: 「0 0 0 0 0 0 0」 and 「1 0 0 0 0 0 1」
    read as columns are 「0 0 0 0 0 0 0」 and 「0 0 0 1 0 0 1」); "" where the rows do not add up."""
    if not any(i.each == "row" and i.kind != "group-subtotal" for i in spec.identities):
        return "either"
    if not all(t.text.replace(",", "").isdecimal() for t in run):
        return ""
    columns = [c.id for c in spec.columns]
    n = len(run) // k
    as_rows = [run[i * n : (i + 1) * n] for i in range(k)]
    as_columns = [[run[j * k + i] for j in range(n)] for i in range(k)]
    wrong = [row for row in as_rows if _failing(spec, columns, row)]
    failing = len(wrong)
    if failing > 1 or (wrong and _one_move_adds_up(spec, columns, wrong[0])):
        return ""  # (a row that holds with a figure moved: a converter's block, not a defect)
    if [[t.text for t in row] for row in as_rows] == [[t.text for t in row] for row in as_columns]:
        return "rows"
    against = sum(1 for row in as_columns if _failing(spec, columns, row))
    if against > failing:
        return "rows"
    return "either" if against == failing == 0 else ""


def _late_cells(spec: TableSpec, r: AlignedReader, labels: list[Label], lines: list[Line]) -> bool:
    """Give 表二's rows the right-hand cells a heading cut off them. Chromium's PDF through plain
    pdftotext prints a page's right-hand column (the last cells of its rows, and the header cells
    standing there) after the next section's heading; ``regions`` gives those lines back to the
    table after the cut. They are read as the column they are, top to bottom: the k-th number
    after the cut fills the k-th cell missing at the end of the rows read before it, in row order.
    Done only when that cannot be a guess:

    - what follows the region's last cut is only column labels of this table and numbers;
    - the rows before the cut are each found once, in the template's order, none with more
      numbers than its block has columns, and no number before the cut is left without a row;
    - the numbers after the cut are exactly as many as the cells missing (so none is blank);
    - every column label after the cut names the column of the number that follows it, a
      column its block's header does not name already, and at least one does.

    The column labels after the cut are put back into their block's header."""
    cuts = [i for i in range(1, len(lines)) if lines[i].number > lines[i - 1].number + 1]
    if not cuts:
        return False
    cut = lines[cuts[-1]].number  # earlier cuts (a running title) leave the reading order as it is
    late_tokens = [t for ln in lines[cuts[-1] :] for t in ln.tokens]
    if any(t.kind == "nil" for t in late_tokens):
        return False
    late_nums = [t for t in late_tokens if t.kind == "num"]
    late_ids = {id(t) for t in late_nums}
    late_labels = sorted((lb for lb in r.labels if any(p.token.line >= cut for p in lb.pieces)), key=lambda lb: lb.seq)
    if not late_nums or not late_labels:
        return False
    if any(
        not lb.complete or lb.target.kind != "column" or any(p.token.line < cut for p in lb.pieces)
        for lb in late_labels
    ):
        return False
    covered: dict[int, set[int]] = {}
    for lb in late_labels:
        for p in lb.pieces:
            covered.setdefault(id(p.token), set()).update(range(p.s, p.e))
    if any(
        not ch.isspace() and i not in covered.get(id(t), ())
        for t in late_tokens
        if t.kind == "text"
        for i, ch in enumerate(t.text)
    ):
        return False  # text after the cut that is no column label
    blocks = {b.id: b for b in spec.blocks}
    rows = sorted((lb for lb in labels if lb.target.kind == "row"), key=lambda lb: lb.seq)
    keys = [(lb.target.block, lb.target.ident) for lb in rows]
    if not rows or len(set(keys)) != len(keys) or any(lb.first_line >= cut for lb in rows):
        return False
    if any(a.target.order >= b.target.order for a, b in itertools.pairwise(rows)):
        return False
    row_ids = {id(lb) for lb in rows}

    def early(run: list[Token]) -> list[Token]:
        return [t for t in run if id(t) not in late_ids]

    if any(early(run) and id(lb) not in row_ids for lb in labels for run in lb.data):
        return False  # numbers before the cut held by no row
    if any(t.kind == "num" for run in r.orphans + r.waiting for t in early(run)):
        return False
    slots: list[tuple[Label, str, str]] = []  # (row, block, column) of each missing cell, in order
    kept: dict[int, list[Token]] = {}
    for lb in rows:
        mine = [t for run in lb.data for t in early(run)]
        block = blocks.get(lb.target.block)
        if block is None or len(mine) > len(block.columns):
            return False
        kept[id(lb)] = mine
        if len(mine) < len(block.columns):
            if not any(t.kind == "num" for t in mine):
                return False  # a row with no number of its own: blank, or all of it elsewhere
            slots.extend((lb, block.id, c.id) for c in block.columns[len(mine) :])
    if len(slots) != len(late_nums):
        return False
    # Each late label names the column of the number after it.
    where = sorted(
        [(lb.span().start, 0, lb) for lb in late_labels] + [(t.start, 1, t) for t in late_nums],
        key=lambda x: (x[0], x[1]),
    )
    k = 0
    placed: dict[int, tuple[str, str]] = {}  # late label -> (block, column)
    pending: list[Label] = []
    for _, is_num, item in where:
        if not is_num:
            pending.append(item)  # type: ignore[arg-type]
            continue
        _, block_id, col = slots[k]
        for lb in pending:
            if not any(c.kind == "column" and c.block == block_id and c.ident == col for c in lb.cands):
                return False
            placed[id(lb)] = (block_id, col)
        pending = []
        k += 1
    if pending or not placed:
        return False
    # The block's header must still lack that column: the late label is its only one.
    ordered = sorted(r.labels, key=lambda lb: lb.seq)
    first_row: dict[str, Label] = {}
    for lb in rows:
        first_row.setdefault(lb.target.block, lb)
    for lb in late_labels:
        block_id, col = placed[id(lb)]
        head = [
            h
            for h in ordered
            if h.seq < first_row[block_id].seq
            and h.target.kind == "column"
            and h.first_line < cut
            and any(c.kind == "column" and c.block == block_id for c in h.cands)
        ]
        heading = next((h for h in ordered if h.target.kind == "block" and h.target.block == block_id), None)
        if heading is not None:
            head = [h for h in head if h.seq > heading.seq]
        if any(c.kind == "column" and c.block == block_id and c.ident == col for h in head for c in h.cands):
            return False
    # Apply: the rows take their cells; the late labels go before their block's first row.
    at = 0
    for lb in rows:
        mine = kept[id(lb)]
        block = blocks[lb.target.block]
        n = len(block.columns) - len(mine)
        lb.data = [mine + late_nums[at : at + n]] if mine or n else []
        at += n
    for lb in labels:
        if id(lb) not in row_ids:
            lb.data = [run for run in (early(run) for run in lb.data) if run]
    r.orphans = [run for run in (early(run) for run in r.orphans) if run]
    r.waiting = [run for run in (early(run) for run in r.waiting) if run]
    late = {id(lb) for lb in late_labels}
    rest = [lb for lb in ordered if id(lb) not in late]
    for lb in late_labels:
        target = first_row[placed[id(lb)][0]]
        rest.insert(rest.index(target), lb)
    for i, lb in enumerate(rest, 1):
        lb.seq = i
    return True


def _label_cell(lb: Label) -> Cell:
    return Cell(lb.text(), lb.span())


def _num_cell(t: Token) -> Cell:
    return Cell(t.text, Span(t.start, t.end), empty=t.kind == "nil")


def _row(cells: list[Cell], line: int) -> Row:
    spans = [c.span for c in cells if c.span.end > c.span.start] or [c.span for c in cells]
    return Row(cells, Span(min(s.start for s in spans), max(s.end for s in spans)), line)


def _blank_at(t: Token) -> Cell:
    return Cell("", Span(t.end, t.end))


def _place(
    values: list[Token], ncols: int, centers: list[float] | None, fields: list[int] | None = None
) -> list[Token | None] | None:
    """Values in ``ncols`` columns: in order when all are there, else by position; None when unknowable."""
    if len(values) == ncols:
        return list(values)
    if (
        len(values) > ncols
        and len({v.line for v in values[-ncols:]}) == 1
        and values[-ncols - 1].line != values[-1].line
    ):
        return list(values[-ncols:])  # debris before a whole row of values
    if len(values) > ncols or not values:
        return None
    first = values[0]
    if (
        first.fields
        and all(v.fields == first.fields and v.line == first.line for v in values)
        and first.fields >= ncols
    ):
        # Tab or pipe cells: counted from the row's end, where the value columns are; or, in a
        # spreadsheet's grid (spacer columns after the table), under their header's field.
        for column_of in (
            lambda v: ncols - (v.fields - v.field),
            lambda v: fields.index(v.field) if fields and v.field in fields else -1,
        ):
            out: list[Token | None] = [None] * ncols
            for v in values:
                col = column_of(v)
                if not 0 <= col < ncols or out[col] is not None:
                    break
                out[col] = v
            else:
                return out
        return None
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


def _centers(
    runs: list[list[Token]], ncols: int, header: dict[str, tuple[int, int]], column_ids: list[str]
) -> list[float] | None:
    """Column centres: from rows holding every value (same line), else from the header labels."""
    full = [run for run in runs if len(run) == ncols and len({t.line for t in run}) == 1 and not run[0].fields]
    if full:
        return [sorted((run[i].x0 + run[i].x1) / 2 for run in full)[len(full) // 2] for i in range(ncols)]
    if all(c in header for c in column_ids):
        centers = [(header[c][0] + header[c][1]) / 2 for c in column_ids]
        # The template's columns stand left to right: header labels read otherwise (a narrow
        # column's label wrapped a character a line, pieced together with its neighbour's) place
        # nothing.
        if all(a < b for a, b in itertools.pairwise(centers)):
            return centers
    return None


def _share_runs(labels: list[Label], ncols: int, is_leaf) -> bool:
    """One cell per line, with the labels of several rows printed before their numbers (a PDF's
    reading order): a label holding k whole rows of numbers gives the first k - 1 of them to the
    labels just before it that have none, in order. Whether it did: that order is the
    converter's, which may as well have printed the numbers column by column."""
    shared = False
    ordered = sorted(labels, key=lambda lb: lb.seq)
    for i, lb in enumerate(ordered):
        values = [t for run in lb.data for t in run]
        k = len(values) // ncols if ncols else 0
        per_line: dict[int, int] = {}
        for t in values:
            per_line[t.line] = per_line.get(t.line, 0) + 1
        # (One a line, or some lines holding two or three: Chromium's fragments; lines holding a
        # whole row each are rows.)
        if k < 2 or len(values) % ncols or all(n == ncols for n in per_line.values()):
            continue
        empty: list[Label] = []
        for prev in reversed(ordered[:i]):
            if prev.data:
                break
            if is_leaf(prev):  # (a group's label between, 「（六）」 before its 1., holds none)
                empty.insert(0, prev)
        if len(empty) < k - 1:
            continue
        owners = empty[len(empty) - (k - 1) :] + [lb]
        for j, owner in enumerate(owners):
            owner.data = [values[j * ncols : (j + 1) * ncols]]
        shared = True
    return shared


def _grid_rows(
    spec: TableSpec,
    r: AlignedReader,
    labels: list[Label],
    rows: list[Row],
    unaligned: list[ShortRow],
    region_lines: Sequence[Line] = (),
    page_starts: Sequence[int] = (),
    unproven: list[bool] | None = None,
    pdf: bool = False,
) -> None:
    columns = [c.id for c in spec.columns]
    if (
        not spec.single_row
        and _share_runs([lb for lb in labels if lb.target.kind != "column"], len(columns), r._is_leaf)
        and unproven is not None
    ):
        unproven.append(True)  # rows' numbers one a line after their labels: the converter's order
    # Header cells only as written (an assembled header with a gap would be a false extra column).
    header_labels = [
        lb
        for lb in labels
        if lb.complete and lb.target.kind == "column" and label_key(lb.text()) in {c.key for c in lb.cands}
    ]
    optional = [lb for lb in header_labels if lb.target.ident in {c.id for c in spec.optional_columns}]
    runs = [run for lb in labels for run in lb.data] + r.orphans
    widest = max((len(run) for run in runs if len({t.line for t in run}) == 1), default=0)
    if optional and widest == len(columns) + 1:
        idx = columns.index("commercial") if "commercial" in columns else len(columns)
        columns.insert(idx, optional[0].target.ident)
    ncols = len(columns)
    # Where each column's label stands. Labels repeat (表四's 结果维持 ×3): the k-th from the
    # left is the k-th column of that name.
    header_x: dict[str, tuple[int, int]] = {}
    header_field: dict[str, int] = {}
    by_key: dict[str, list[Label]] = {}
    for lb in header_labels:
        by_key.setdefault(label_key(lb.text()), []).append(lb)
    for key, found in by_key.items():
        named = [c.id for c in spec.columns + spec.optional_columns if key in c.keys and c.id in columns]
        if len(found) == len(named):
            for cid, lb in zip(named, sorted(found, key=lambda lb: (lb.pieces[0].token.field, lb.x0))):
                header_x[cid] = (lb.x0, lb.x1)
                if lb.pieces[0].token.fields:
                    header_field[cid] = lb.pieces[0].token.field
    # A PDF's text does not keep the figures under their header (pdftotext -layout sets each
    # fragment by what stands left of it on the page): its header places nothing.
    centers = _centers(runs, ncols, header_x if len(set(header_x)) == ncols and not pdf else {}, columns)
    fields = [header_field.get(c, -1) for c in columns] if len(header_field) == ncols else None
    if header_labels or any(lb.target.kind == "note" for lb in labels):
        head = [_label_cell(lb) for lb in sorted(header_labels, key=lambda lb: lb.seq)]
        if head:
            rows.append(_row(head, min(lb.first_line for lb in header_labels)))
    if spec.single_row:
        data = [run for run in runs if run]
        if data:
            run = max(data, key=len)
            every = sorted((t for run in data for t in run), key=lambda t: t.start)
            while every and every[-1].kind == "nil":
                every.pop()
            lines: dict[int, int] = {}
            for t in every:
                lines[t.line] = lines.get(t.line, 0) + 1
            if len(run) != ncols and len(every) == ncols and all(n in (1, ncols) for n in lines.values()):
                # One cell per line, cut into runs by header text (plain pdftotext): the region's
                # numbers in reading order are the one row.
                run = every
            elif len(data) > 1 and every and every[0].fields and all(t.fields == every[0].fields for t in every):
                # Tab cells of one line cut into runs by a header's text in one of them (the PDF
                # reader: a wrapped header's last line 「果」 in the row's line): placed by field.
                run = every if len(lines) == 1 else run
            if unproven is not None and len(run) > 1 and len({t.line for t in run}) == len(run):
                unproven.append(True)  # one number a line: the order is the converter's (Aligned)
            placed = _place(run, ncols, centers, fields)
            why = ""
            if (
                pdf
                and placed is not None
                and len(run) == ncols
                and len({t.line for t in run}) == 1
                and _first_figures(region_lines, page_starts).get(run[0].line) == 0
                and (moved := _one_move_adds_up(spec, columns, run))
            ):
                # The row first on its page, beside Chromium's running title, out of order (as in
                # a grid's rows below).
                why = _REORDERED.format(moved)
                placed = None
            if placed is None:
                if len(every) < ncols:
                    run = every  # the row's numbers are every number of the region
                unaligned.append(_short_row(None, run, ncols, spec.rows[0].id, whole=len(run) == len(every), why=why))
            else:
                rows.append(_row([_num_cell(t) if t else _blank_at(run[-1]) for t in placed], run[0].line))
        return
    # Rows short of values in a space-aligned drawing: placed by the whole rows of their page.
    by_page: dict[int, list[Token | None] | None] | None = None
    held = [[t for run in lb.data for t in run] for lb in labels]
    if region_lines and any(0 < len(v) < ncols and not v[0].fields for v in held):
        by_page = place_by_page(held, ncols, region_lines, page_starts)
    index = {id(lb): k for k, lb in enumerate(labels)}
    # The rows at the top of a page, beside Chromium's running title (more of them in small type).
    first_figures = _first_figures(region_lines, page_starts, _TOP_ROWS) if pdf else {}
    reordered: set[int] = {0}  # lines of rows read out of order (0: before a page's first)
    groups_shown: set[str] = set()
    for lb in sorted(labels, key=lambda lb: lb.seq):
        kinds = {c.kind for c in lb.cands}
        if "row" not in kinds and not lb.data:
            continue
        if lb.target.kind not in ("row", "group", "extra"):
            continue
        cells: list[Cell] = []
        own = spec.row(lb.target.ident) if lb.target.ident else None
        parent = own.parent if own else ""
        if parent and parent not in groups_shown and (group_spec := spec.row(parent)) and group_spec.group:
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
        if by_page is not None and len(values) < ncols and not values[0].fields:
            placed = by_page.get(index[id(lb)])
        else:
            placed = _place(values, ncols, centers, fields)
        if placed is not None and len(values) < ncols and not values[0].fields and not _adds_up(spec, columns, placed):
            # A short row placed by where its figures stand (-layout), and its sum fails there: the
            # columns a figure stands at depend on what stands left of it on its line, so the
            # place is a guess the sum does not bear out. Its blank cells are counted, unplaced.
            placed = None
        why = ""
        if (
            pdf
            and placed is not None
            and len(values) == ncols
            and first_figures.get(values[0].line, -1) in reordered
            and (moved := _one_move_adds_up(spec, columns, values))
        ):
            # A page's first row in a PDF's text, beside Chromium's running title: pdftotext may
            # print a figure of it out of its place (「97 21 140 6 5 8 3」 for 「97 21 6 5 8 3 140」),
            # and of the rows right below it as well in small type. A row whose sum fails as
            # read, and holds with one figure moved, is not read.
            why = _REORDERED.format(moved)
            placed = None
            reordered.add(values[0].line)
        if placed is None:
            unaligned.append(_short_row(lb, values, ncols, lb.target.ident, why=why))
            rows.append(_row(cells, lb.first_line))
            continue
        cells.extend(_num_cell(t) if t else _blank_at(values[-1]) for t in placed)
        rows.append(_row(cells, lb.first_line))


# Why a page's first row is not read (report._unread_rows says it after 「次序不对：」).
_REORDERED = (
    "按读出的次序各项之和不成立，把「{}」换一个位置就成立（或只剩一处不成立），这一行在页首，版式可能打乱了它的次序"
)


def _first_figures(lines: Sequence[Line], page_starts: Sequence[int], depth: int = 1) -> dict[int, int]:
    """The first ``depth`` lines holding figures on each page that begins in ``lines``, each mapped
    to the one before it on its page (0 for the first)."""
    out: dict[int, int] = {}
    starts = sorted(page_starts)
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else None
        prev, found = 0, 0
        for ln in lines:
            if found == depth or (end is not None and ln.number >= end):
                break
            if ln.number >= start and ln.kind == "data":
                out[ln.number] = prev
                prev, found = ln.number, found + 1
    return out


def _one_move_adds_up(spec: TableSpec, columns: list[str], values: list[Token]) -> str:
    """The figures, one or several in a row, of a whole row that fails the row's identities as read
    which, moved together to another place in the row, make them hold — or all but one, where two
    or more failed ("" when none do, or the row holds as read): a fragment of the line pdftotext
    printed out of its place (a defect of its own may stay in the row: 表四's three groups)."""
    failing = _failing(spec, columns, values)
    if not failing:
        return ""
    n = len(values)
    for k in range(1, n):
        for i in range(n - k + 1):
            block, rest = values[i : i + k], values[:i] + values[i + k :]
            for j in range(len(rest) + 1):
                if j != i and _failing(spec, columns, rest[:j] + block + rest[j:]) <= max(0, failing - 2):
                    return " ".join(v.text for v in block)
    return ""


def _failing(spec: TableSpec, columns: list[str], placed: Sequence[Token | None]) -> int:
    """How many of the table's identities along a row fail for ``placed`` (0 where a figure is no
    plain count: it proves nothing)."""
    row: dict[str, float] = {}
    for cid, t in zip(columns, placed):
        text = t.text.replace(",", "") if t is not None else "0"
        if not text.isdecimal():
            return 0
        row[cid] = int(text)
    return row_sums_failing(spec, row)


def _piece_as_row(spec: TableSpec, labels: list[Label], found: set[str]) -> bool:
    """Whether a text read as a row the template lacks, with figures, is a piece of a row's label
    not found whole (Chromium's plain text: 「或重新出具已获取信 0 …」, the middle line of
    5.要求行政机关确认或重新出具已获取信息, printed before its first line)."""
    missing = [t.key for t in targets(spec) if t.kind == "row" and t.ident not in found]
    return any(
        lb.target.kind == "extra" and lb.data and len(lb.target.key) >= 4 and any(lb.target.key in k for k in missing)
        for lb in labels
    )


def _digits_merged(labels: list[Label], r: AlignedReader) -> bool:
    """Whether a figure has a leading zero (「00」「012」): pdftotext -layout prints the digits of two
    rows' figures in the same character cells when their lines overlap (「12 00 00 00 00 00 12」 for
    「1 0 0 0 0 0 1」 and 「2 0 0 0 0 0 2」), and no count is written so."""
    tokens = [t for run in [run for lb in labels for run in lb.data] + r.orphans for t in run]
    return any(t.kind == "num" and t.text[:1] == "0" and t.text[1:2].isdigit() for t in tokens)


def _adds_up(spec: TableSpec, columns: list[str], placed: Sequence[Token | None]) -> bool:
    """Whether a row placed in ``columns`` satisfies the table's identities along a row (a blank
    cell as 0; a figure that is not a plain count proves nothing)."""
    return _failing(spec, columns, placed) == 0


def _by_units(types: Sequence[str], placed: Sequence[Token | None]) -> list[Token | None]:
    """A whole row's figures with those written with a unit (「83.26万元」) in the columns of
    amounts, in their order, and the rest in the others, in theirs — when the units say so: as
    many figures with a unit as columns of amounts (else ``placed`` as it is)."""
    units = [t is not None and not _PLAIN_FIGURE.fullmatch(t.text) for t in placed]
    amounts = [ty == "amount" for ty in types]
    if not any(units) or sum(units) != sum(amounts) or units == amounts:
        return list(placed)
    with_unit = iter([t for t, u in zip(placed, units) if u])
    plain = iter([t for t, u in zip(placed, units) if not u])
    return [next(with_unit) if a else next(plain) for a in amounts]


_PLAIN_FIGURE = re.compile(r"[+-]?[\d,]*\.?\d+")


def _signs_fit(types: Sequence[str], placed: Sequence[Token | None]) -> bool:
    """Whether no figure written with a sign (「+18」「-6」) stands in a column of counts of a row
    that has a column for signed figures (表二's 本年增/减) holding one without: a converter that
    printed the row's figures out of order, not a negative count (a row without such a column, or
    whose signed column is signed too, is a defect where it stands: GK205)."""
    signed = [t is not None and t.text[:1] in "+-" and t.text[1:2].isdigit() for t in placed]
    return not any(s and ty != "signed_int" for s, ty in zip(signed, types)) or not any(
        ty == "signed_int" and not s and t is not None for s, ty, t in zip(signed, types, placed)
    )


def row_sums_hold(spec: TableSpec, row: dict[str, float]) -> bool:
    """Whether the table's identities along a row (表三: 总计 = the six kinds of applicant; 表四: each
    group's 总计) hold for ``row`` (column id -> number); an identity naming a column the row lacks
    is not asked."""
    return row_sums_failing(spec, row) == 0


def row_sums_failing(spec: TableSpec, row: dict[str, float]) -> int:
    """How many of the table's identities along a row fail for ``row`` (as ``row_sums_hold``)."""
    failing = 0
    for ident in spec.identities:
        if ident.each != "row" or ident.kind == "group-subtotal":
            continue
        lhs, rhs = spec.expand(ident.lhs), spec.expand(ident.rhs)
        if all(c in row for c in lhs + rhs) and abs(sum(row[c] for c in lhs) - sum(row[c] for c in rhs)) > 1e-9:
            failing += 1
    return failing


def _spaced(lines: Sequence[Line]) -> bool:
    """Whether the text sets cells apart by columns: with tab or pipe fields, or with spaces (two or
    more between two tokens of a line), as space-aligned drawings and pdftotext -layout do; plain
    pdftotext keeps one."""
    for line in lines:
        if any(t.fields for t in line.tokens) or any(b.x0 - a.x1 >= 2 for a, b in itertools.pairwise(line.tokens)):
            return True
    return False


def _in_order(labels: list[Label], block: str = "", spaced: bool = True) -> list[Label]:
    """Header labels left to right when they share a line at distinct columns; else (one cell per
    line) in the template's order when they name distinct columns of ``block`` (表二: wrapped labels
    of unequal height come out of plain pdftotext in another order than the columns, 处理决定数量
    before 本年增/减), else in reading order. ``spaced``: the text sets its columns with spaces
    (not plain pdftotext, whose lines begin wherever their first word is printed)."""
    if not labels:
        return []
    side_by_side = max(lb.first_line for lb in labels) <= min(lb.last_line for lb in labels)
    # Labels all begun on one line stand where they begin (their wrapped lines may begin anywhere:
    # 「年 数量」 under 「上一 本年增/减 处理决定」); else where they reach furthest left — in a
    # text whose columns are set with spaces (plain pdftotext's 「信息内 采购项」 / 「采购总金额」 /
    # 「容 目数量」 say nothing of which label stands left).
    one_line = len({lb.first_line for lb in labels}) == 1
    side_by_side = side_by_side and (one_line or spaced)

    def place(lb: Label) -> tuple[int, int]:
        # Tab or pipe cells: their field (a wrapped cell's second line starts further left in
        # characters than its first, behind fewer characters); else the display column.
        fields = [p.token.field for p in lb.pieces if p.token.fields]
        return (min(fields) if fields else 0, lb.first_x0 if one_line else lb.x0)

    places = sorted(place(lb) for lb in labels)
    # (Labels begun on other lines two columns apart or less: -layout pushes a line's text right by
    # what stands left of it, so which stands left is not told: 「处理决定数」 at 26 above 「项目数
    # 本年增/减」's 27.)
    close = not one_line and any(b[0] == a[0] and b[1] - a[1] <= 2 for a, b in itertools.pairwise(places))
    if side_by_side and len(set(places)) == len(labels) and not close:
        return sorted(labels, key=place)
    if block:
        orders = [{c.order for c in lb.cands if c.kind == "column" and c.block == block} for lb in labels]
        if all(len(o) == 1 for o in orders) and len({min(o) for o in orders}) == len(labels):
            return [lb for _, lb in sorted(zip((min(o) for o in orders), labels), key=lambda p: p[0])]
    return sorted(labels, key=lambda lb: lb.seq)


def _zipped_block_rows(spec: TableSpec, labels: list[Label], rows: list[Row]) -> None:
    """表二 paired in the template's order (``_zip_in_order``): each block with rows found, as the
    template draws it — heading, header (each column's label as found, wherever it was printed),
    rows — since the reading order of a plain pdftotext dump put headers and headings elsewhere."""
    found = [lb for lb in labels if lb.data and lb.target.kind == "row"]
    headings: dict[str, Label] = {}
    for lb in labels:
        if lb.target.kind == "block" and lb.complete:
            headings.setdefault(lb.target.block, lb)
    labelcols = [lb for lb in sorted(labels, key=lambda lb: lb.seq) if lb.target.kind == "labelcol" and lb.complete]
    columns = [lb for lb in sorted(labels, key=lambda lb: lb.seq) if lb.target.kind == "column" and lb.complete]
    shown = [b for b in spec.blocks if any(lb.target.block == b.id for lb in found)]
    used: set[int] = set()
    for k, b in enumerate(shown):
        mine = [lb for lb in found if lb.target.block == b.id]
        at = mine[0].span().start
        head = headings.get(b.id)
        rows.append(_row([_label_cell(head) if head else Cell(b.heading, Span(at, at))], mine[0].first_line))
        labelcol = labelcols[k] if len(labelcols) == len(shown) else None
        cells = [_label_cell(labelcol) if labelcol else Cell(spec.row_label_column, Span(at, at))]
        for col in b.columns:
            own = [
                lb
                for lb in columns
                if any(c.kind == "column" and c.block == b.id and c.ident == col.id for c in lb.cands)
            ]
            pick = next((lb for lb in own if id(lb) not in used), own[0])
            used.add(id(pick))
            cells.append(_label_cell(pick))
        rows.append(_row(cells, mine[0].first_line))
        types = [c.type for c in b.columns]
        for lb in mine:
            # A sum with its unit printed before the count (「83.26万元」 then 「6」): only the
            # amount's column takes a unit (as in ``_block_rows``).
            values = _by_units(types, [t for run in lb.data for t in run])
            rows.append(_row([_label_cell(lb)] + [_num_cell(t) for t in values if t is not None], lb.first_line))


def _ident_in(lb: Label, block: str) -> str:
    """The column of ``block`` a column label names, or "" if it names none there."""
    return next((c.ident for c in lb.cands if c.kind == "column" and c.block == block), "")


def _headers_first(ordered: list[Label]) -> list[Label]:
    """A block whose column labels, all or some, come after its first row (plain pdftotext prints a
    narrow block's header cell below its row — Chromium's PDF all of them, LibreOffice's the one
    after a wrapped row label): the labels are put back before the rows, when each names another
    column of the block."""
    out: list[Label] = []
    stretch: list[Label] = []

    def early(block: str) -> set[str]:
        """The columns of ``block`` named by column labels printed just before its heading (the
        next block's header cells after a block's rows): labels naming them after its first row
        are the next block's, not its own late header."""
        named: set[str] = set()
        for lb in reversed(out):
            if lb.target.kind == "labelcol":
                continue
            if lb.target.kind != "column":
                break
            named.add(_ident_in(lb, block))
        return named

    def flush() -> None:
        block = next((lb.target.block for lb in stretch if lb.target.kind == "block"), "")
        first_row = next((i for i, lb in enumerate(stretch) if lb.target.kind == "row"), None)
        cols = [i for i, lb in enumerate(stretch) if lb.target.kind == "column"]
        # Column labels of other blocks only after all of this block's: the next block's header
        # cells printed before its heading (Chromium's plain text), left where they are.
        while cols and block and not _ident_in(stretch[cols[-1]], block):
            cols.pop()
        if (
            block
            and first_row is not None
            and cols
            and cols[-1] > first_row
            and all(_ident_in(stretch[i], block) for i in cols)
            and len({stretch[i].target.ident for i in cols}) == len(cols)
            and not any(_ident_in(stretch[i], block) in early(block) for i in cols if i > first_row)
        ):
            moved = [stretch[i] for i in cols]
            rest = [lb for i, lb in enumerate(stretch) if i not in cols]
            at = next(i for i, lb in enumerate(rest) if lb.target.kind == "row")
            stretch[:] = rest[:at] + moved + rest[at:]
        out.extend(stretch)
        stretch.clear()

    for lb in ordered:
        if lb.target.kind == "block":
            flush()
        stretch.append(lb)
    flush()
    return out


def _heading_first(ordered: list[Label]) -> list[Label]:
    """A block whose heading and header come after its rows (Chromium's PDF through plain
    pdftotext prints a page's last block — 「信息内容」, its row and figure — then the next
    section's heading, then the block's heading and header): heading and header are put back
    before the rows, the 「信息内容」 before them kept with the header."""
    out = list(ordered)
    for h in ordered:
        if h.target.kind != "block":
            continue
        i = out.index(h)
        j = i
        while j > 0 and (
            out[j - 1].target.kind == "labelcol"
            or (out[j - 1].target.kind == "row" and out[j - 1].target.block == h.target.block)
        ):
            j -= 1
        if not any(lb.target.kind == "row" for lb in out[j:i]):
            continue
        e = i + 1
        while (
            e < len(out)
            and out[e].target.kind == "column"
            and any(c.kind == "column" and c.block == h.target.block for c in out[e].cands)
        ):
            e += 1
        before = out[j:i]
        out[j:e] = (
            [h]
            + [lb for lb in before if lb.target.kind == "labelcol"]
            + out[i + 1 : e]
            + [lb for lb in before if lb.target.kind != "labelcol"]
        )
    return out


def _block_rows(
    spec: TableSpec,
    r: AlignedReader,
    labels: list[Label],
    rows: list[Row],
    unaligned: list[ShortRow],
    pdf: bool = False,
) -> None:
    block_cols = {b.id: [c.id for c in b.columns] for b in spec.blocks}
    block_types = {b.id: [c.type for c in b.columns] for b in spec.blocks}
    block_labels = {b.id: [c.label for c in b.columns] for b in spec.blocks}
    ordered = _headers_first(_heading_first(sorted(labels, key=lambda lb: lb.seq)))
    header: list[Label] = []
    pending_labelcol: Label | None = None
    block = ""
    carried: list[Label] = []  # column labels read before the heading of the block they belong to
    carried_labelcol: Label | None = None  # a 「信息内容」 read among them
    merged = False  # the header holds carried labels, in the template's order
    named: set[str] = set()  # the columns the current block's header has named
    spaced = _spaced(r.lines)

    def ours(lb: Label) -> bool:
        return any(c.kind == "column" and c.block == block for c in lb.cands)

    def flush_header(heading: bool = False) -> None:
        nonlocal pending_labelcol, block, merged, carried_labelcol
        if (
            header
            and (pending_labelcol is None or heading)
            and block
            and not any(ours(h) and h.target.ident not in named for h in header)
        ):
            # Column labels of no column of this block that its header has not named, without
            # its 「信息内容」: plain pdftotext prints the next block's header cells before that
            # block's heading (本年增/减 处理决定数量 after 第二十条第（五）项's rows, for （六）).
            # They are the next block's, in the template's order with the rest of its header;
            # so is a 「信息内容」 among them just before the heading (Chromium's plain text).
            carried.extend(header)
            header.clear()
            carried_labelcol = pending_labelcol or carried_labelcol
            pending_labelcol = None
            return
        if heading and block and pending_labelcol is not None and not header:
            # A 「信息内容」 alone between a block's rows and the next heading: this block's, late,
            # or the next one's, early (Chromium's plain text) — no new header for this block.
            carried_labelcol, pending_labelcol = pending_labelcol, None
            return
        if pending_labelcol is None and carried_labelcol is not None and header:
            pending_labelcol = carried_labelcol
        carried_labelcol = None
        if carried and (pending_labelcol is not None or header):
            mine = [h for h in carried if ours(h)]
            if mine:
                order = {
                    id(h): min(c.order for c in h.cands if c.kind == "column" and c.block == block)
                    for h in header + mine
                    if ours(h)
                }
                idents = [h.target.ident for h in header + mine]
                if len(order) == len(header) + len(mine) and len(set(idents)) == len(idents):
                    header[:] = sorted(header + mine, key=lambda h: order[id(h)])
                    merged = True
            carried.clear()
        if pending_labelcol is not None or header:
            # Column labels of another block than the current one: that block's rows follow
            # (a block heading printed apart from its table, as converters leave them).
            blocks_named = [{c.block for c in h.cands if c.kind == "column" and c.block} for h in header]
            common = set.intersection(*blocks_named) if blocks_named else set()
            if common and block not in common and len(common) == 1:
                block = common.pop()
                spec_block = next(b for b in spec.blocks if b.id == block)
                at = (pending_labelcol or header[0]).span().start
                rows.append(_row([Cell(spec_block.heading, Span(at, at))], (pending_labelcol or header[0]).first_line))
            cells = [_label_cell(pending_labelcol)] if pending_labelcol else [Cell(spec.row_label_column, Span(0, 0))]
            cells += [_label_cell(h) for h in (header if merged else _in_order(header, block, spaced))]
            named.update(h.target.ident for h in header)
            merged = False
            rows.append(_row(cells, (pending_labelcol or header[0]).first_line))
        pending_labelcol = None
        header.clear()

    for lb in ordered:
        t = lb.target
        if t.kind == "block":
            flush_header(heading=True)
            block = t.block
            named.clear()
            rows.append(_row([_label_cell(lb)], lb.first_line))
        elif t.kind == "labelcol":
            if pending_labelcol is not None:
                flush_header()
            pending_labelcol = lb  # column labels printed just above it stay its header
        elif t.kind == "column":
            header.append(lb)
        elif t.kind in ("row", "extra") and (t.kind == "row" or lb.data):
            flush_header()
            values = [v for run in lb.data for v in run]
            cols = block_cols.get(t.block or block, [])
            ncols = len(cols) or len(values)
            cells = [_label_cell(lb)]
            if values:
                placed = _place(values, ncols, None) if len(values) != ncols else list(values)
                types = block_types.get(t.block or block, [])
                why = ""
                if placed is not None and pdf and len(values) == ncols:
                    # A sum with its unit printed before the count (「83.26万元」 then 「6」, plain
                    # pdftotext of Chromium's PDF): only the amount's column takes a unit.
                    placed = _by_units(types, placed)
                if placed is not None and pdf and not _signs_fit(types, placed):
                    # pdftotext -layout prints a row beside a page's running title (Chromium's
                    # header) with a figure out of its place: 「-6 43 37」 for 「43 -6 37」.
                    signed = next(v for v in placed if v is not None and v.text[:1] in "+-")
                    column = block_labels[t.block or block][types.index("signed_int")]
                    why = f"带正负号的「{signed.text}」不在「{column}」列"
                    placed = None
                if placed is None:
                    unaligned.append(_short_row(lb, values, ncols, f"{t.block or block}.{t.ident}", why=why))
                else:
                    cells.extend(_num_cell(v) if v else _blank_at(values[-1]) for v in placed)
            rows.append(_row(cells, lb.first_line))
    # (At the table's end as before a heading: a 「信息内容」 alone after the last block's rows
    # is no new header of it.)
    flush_header(heading=True)
