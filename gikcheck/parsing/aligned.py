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

This module reads the labels and gives them their numbers; ``tablerows``
makes the rows of cells the mapper reads.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import partial

from .. import rx
from ..diagnostics import Span
from ..memo import Memo, once
from ..normalize import char_keys, label_key
from ..records import Record
from ..templates import TableSpec
from .labels import split_ordinal
from .layout import Line, Token, text_width

# `regex`, not `re`: `re` spends ~2 ms compiling a class of the CJK blocks (it maps them bit by bit).
_HAN = rx.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = rx.compile(r"\s")

_NEAR = 2  # display columns a piece of a label may stand beside it in -layout text
_CLOSE_AFTER = 12  # lines without a continuation after which a wrapped label is taken as complete
_NEW_PAGE = 6  # lines from a page's start where the rest of a label cut by the break may stand
_OFF_BELOW = 6  # display columns a wrapped label's next line may stand off it, where nothing else goes on


class Target(Record):
    """A label of the template: what a run of text may be a piece of."""

    __slots__ = ("kind", "key", "ident", "order", "block")

    def __init__(self, kind: str, key: str, ident: str, order: int, block: str = "") -> None:
        self.kind = kind  # row | group | column | block | labelcol | note
        self.key = key  # folded label
        self.ident = ident  # row / column id
        self.order = order  # position in the template
        self.block = block  # 表二: the block a row or column belongs to


def targets(spec: TableSpec) -> list[Target]:
    """Every label of ``spec`` that may appear in a drawing of it (aliases included); built once
    per table of the template (the list is shared: read it, do not change it)."""
    return once(spec, _targets)


def _targets(spec: TableSpec) -> list[Target]:
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

    def columns(self) -> tuple[int, int]:
        """The display columns it stands at: part of a token of several cells one space apart
        (Chromium's -layout: 「年 本年增/减 处理决定」) stands where its characters do."""
        t = self.token
        if t.fields or (self.s <= 0 and self.e >= len(t.text)):
            return t.x0, t.x1
        x0 = t.x0 + text_width(t.text[: self.s])
        return x0, x0 + text_width(t.text[self.s : self.e])


class Label(Record):
    """A label being put together from pieces; ``cands`` are the targets it may still be."""

    __slots__ = ("cands", "need", "pos", "pieces", "x0", "x1", "last_line", "seq", "done", "data")

    def __init__(self, cands: list[Target], pos: int, seq: int) -> None:
        self.set_cands(cands)
        self.pos = pos  # folded characters matched so far
        self.pieces: list[_Piece] = []
        self.x0 = 1 << 30
        self.x1 = -1
        self.last_line = 0
        self.seq = seq  # reading order of its first piece
        self.done = False  # closed: no more pieces
        self.data: list[list[Token]] = []

    def add(self, piece: _Piece) -> None:
        self.pieces.append(piece)
        x0, x1 = piece.columns()
        self.x0 = min(self.x0, x0)
        self.x1 = max(self.x1, x1)
        self.last_line = piece.token.line

    @property
    def first_x0(self) -> int:
        """Where its first line begins (its wrapped lines may begin anywhere)."""
        return self.pieces[0].columns()[0] if self.pieces else self.x0

    def set_cands(self, cands: list[Target]) -> None:
        """The targets it may still be (a plain field: read at every token; set through here)."""
        self.cands = cands
        self.need = min(len(c.key) for c in cands)  # the shortest candidate: complete from there on

    @property
    def first_line(self) -> int:
        return self.pieces[0].token.line

    @property
    def complete(self) -> bool:
        # Asked of every open label at every token: kept as the shortest candidate's length.
        return self.pos >= self.need

    @property
    def usable(self) -> bool:
        """Complete, or most of a label (a typo or a cut may end it early)."""
        return self.pos >= 0.6 * self.need

    @property
    def target(self) -> Target:
        if len(self.cands) == 1:  # most labels: nothing to choose
            return self.cands[0]
        full = [c for c in self.cands if self.pos >= len(c.key)]
        return min(full or self.cands, key=lambda c: (abs(len(c.key) - self.pos), c.order))

    def text(self) -> str:
        return "".join(p.token.text[p.s : p.e] for p in self.pieces)

    def span(self) -> Span:
        first, last = self.pieces[0], self.pieces[-1]
        a, b = first.token.start + first.s, last.token.start + last.s
        if a > b:  # its lines printed in the other order (``_rotated``, ``_swapped``)
            return Span(b, first.token.start + first.e)
        return Span(a, last.token.start + last.e)


def _folded(text: str) -> tuple[str, list[int]]:
    """``label_key`` of ``text`` character by character, with the raw index of each folded character
    (shared: read it, do not change it)."""
    return _FOLDED[text]


def _learn_chars(text: str) -> None:
    """Fold the characters of ``text`` not met yet, all in one go."""
    new = set(text).difference(_CHAR_KEYS)
    if new:
        if len(_CHAR_KEYS) > 4096:  # bounded, as memos are
            _CHAR_KEYS.clear()
            new = set(text)
        _CHAR_KEYS.update(char_keys(new))


def _fold_chars(text: str) -> tuple[str, list[int]]:
    try:
        keys = list(map(_CHAR_KEYS.__getitem__, text))
    except KeyError:  # (AlignedReader.read learns a region's characters first)
        _learn_chars(text)
        keys = list(map(_CHAR_KEYS.__getitem__, text))
    folded = "".join(keys)
    if len(folded) == len(text) and "" not in keys:  # each character folds to one: the common case
        return folded, list(range(len(text)))
    index: list[int] = []
    for i, k in enumerate(keys):
        index.extend([i] * len(k))
    return folded, index


# ``label_key`` of single characters, filled a text's new characters at a time.
_CHAR_KEYS: dict[str, str] = {}


# A table's cells are mostly the template's own words, the same in every report: folded once.
_FOLDED = Memo(_fold_chars)


def _common(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_at(a: str, i: int, b: str, j: int) -> int:
    """``_common(a[i:], b[j:])`` without the slices."""
    n = min(len(a) - i, len(b) - j)
    k = 0
    while k < n and a[i + k] == b[j + k]:
        k += 1
    return k


# What an ordinal may begin with (labels.split_ordinal; besides a decimal digit).
_ORDINAL_FIRST = frozenset("([一二三四五六七八九十")


def _index(spec: TableSpec) -> tuple[list[Target], dict[str, list[Target]], dict[str, list[tuple[Target, str]]]]:
    """The table's targets; by their first character, and by the first character after their
    ordinal: a piece of text is only compared with the labels it can begin."""
    found = targets(spec)
    by_first: dict[str, list[Target]] = {}
    by_core_first: dict[str, list[tuple[Target, str]]] = {}
    for t in found:
        by_first.setdefault(t.key[:1], []).append(t)
        core = split_ordinal(t.key)[1]
        by_core_first.setdefault(core[:1], []).append((t, core))
    return found, by_first, by_core_first


def _rotations(spec: TableSpec) -> tuple[dict[str, tuple[list[Target], int]], frozenset[str]]:
    """Column labels with their wrapped lines printed in the other order (「项目数量上一年」 for
    上一年|项目数量): the text -> (targets, characters of the label's first line); and the first
    two characters of those texts."""
    out: dict[str, tuple[list[Target], int]] = {}
    labels = {t.key for t in targets(spec)}
    for t in targets(spec):
        if t.kind != "column":
            continue
        for k in range(2, len(t.key) - 1):
            rotated = t.key[k:] + t.key[:k]
            if rotated not in labels:  # (a label as written is itself)
                out.setdefault(rotated, ([], k))[0].append(t)
    return out, frozenset(text[:2] for text in out)


def _row_keys(spec: TableSpec) -> frozenset[str]:
    """The table's row labels (folded)."""
    return frozenset(t.key for t in targets(spec) if t.kind == "row")


_GLUED = rx.compile(r"(?<=\S)(\d[\d,]*)$")
_GLUED_FIRST = rx.compile(r"([+-]?\d[\d,]*)(?=[^\d\s.,、])")


def unglued(spec: TableSpec, lines: list[Line]) -> list[Line]:
    """``lines`` with a figure printed against its row's label taken apart from it: pdftotext
    -layout prints the first figure of a row beside a page's running title right after the label
    (「行政强制3        0     3」), the title's text having moved it out of its column — or after
    the first line of a wrapped label whose rest follows on the next lines (「行政事业性收2」, then
    「费」). Lines are shared: a changed one is a new line."""
    rows = once(spec, _row_keys)
    out = lines
    for k, line in enumerate(lines):
        tokens = []
        for t in line.tokens:
            m = _GLUED.search(t.text) if t.kind == "text" and not t.fields else None
            if m is not None and _a_row_label(label_key(t.text[: m.start()]), rows, lines[k + 1 : k + 3]):
                cut, x = m.start(), t.x1 - len(m.group(1))
                tokens.append(Token("text", t.text[:cut], t.start, t.start + cut, t.line, t.x0, x, t.field, t.fields))
                tokens.append(Token("num", m.group(1), t.start + cut, t.end, t.line, x, t.x1, t.field, t.fields))
                continue
            m = _GLUED_FIRST.match(t.text) if t.kind == "text" and not t.fields and not tokens else None
            if m is not None and label_key(t.text[m.end() :]) in rows:
                # The row's first figure printed against the front of its label, which it pushed
                # right (「0规章      0        0」 beside Chromium's running title): the label, then
                # the figure, at its own place.
                cut, x = m.end(), t.x0 + m.end()
                tokens.append(Token("text", t.text[cut:], t.start + cut, t.end, t.line, x, t.x1, t.field, t.fields))
                tokens.append(Token("num", m.group(1), t.start, t.start + cut, t.line, t.x0, x, t.field, t.fields))
                continue
            tokens.append(t)
        if len(tokens) != len(line.tokens):
            if out is lines:
                out = list(lines)
            out[k] = Line(line.number, tokens, line.kind, line.separated)
    return out


def _a_row_label(key: str, rows: frozenset[str], below: list[Line]) -> bool:
    """Whether ``key`` is a row label, or the first line of one whose rest stands alone in ``below``."""
    if key in rows:
        return True
    if len(key) < 3:
        return False
    rests = {row[len(key) :] for row in rows if row.startswith(key)}
    return any(t.kind == "text" and label_key(t.text) in rests for line in below for t in line.tokens)


class AlignedReader:
    def __init__(self, spec: TableSpec, lines: list[Line], page_starts: Sequence[int] = ()) -> None:
        self.spec = spec
        self.lines = lines
        self.page_starts = sorted(page_starts)  # lines that begin a page (pdftotext's form feeds)
        # (Read only: built once per table of the template, not per region read.)
        self.targets, self.by_first, self.by_core_first = once(spec, _index)
        self.rotations, self.rotation_starts = once(spec, _rotations)
        self.labels: list[Label] = []
        self.seq = 0
        self.next_row = 0  # template order of the row expected next
        self.waiting: list[list[Token]] = []  # numbers no label took yet (their label may follow)
        self.orphans: list[list[Token]] = []  # numbers no label took
        self.how = {"beside": 0, "after": 0, "before": 0}  # how runs of numbers found their labels
        self.following: Token | None = None  # the token after the one read, on its line
        self.taken: dict[int, int] = {}  # token id -> its folded characters a label took already

    # --- labels ---------------------------------------------------------------

    def _continue(
        self,
        key: str,
        token: Token,
        crowded: bool = False,
        word: Callable[[], str] | None = None,
        beside: bool = False,
    ) -> tuple[Label, int, int] | None:
        """An open label that ``key`` continues: (label, its characters passed, characters of ``key`` taken).

        Besides a plain continuation, one mistyped character (不子公开) or a few lost ones
        (shredded text) are passed over, so that the label stays one, with its typo in it.
        """
        best: tuple[tuple, Label, int, int] | None = None
        options: list[tuple[tuple, Label, int, int]] = []
        first = key[0]
        # The typo search's two-character probes, in the order tried: key[1:] (a typo), then key.
        probes = ((1, key[1:3]), (0, key[:2])) if len(key) >= 3 else ((0, key[:2]),)
        # A text that is a label of its own (「总计」) is no mistyped piece of another (「只计」).
        typo = len(key) >= 2 and not any(t.key == key for t in self.by_first.get(key[:1], ()))
        finishing: list[Label] | None = None  # open labels ``key`` finishes exactly (as asked)

        @functools.cache
        def word_length() -> int:  # the first word of ``key``'s length (as asked)
            return len(word()) if word is not None else len(key)

        def two_chars() -> bool:  # whether the first word of ``key`` has two characters
            return word is not None and word_length() == 2

        for lb in self.labels:
            if lb.done:
                continue
            pos = lb.pos
            taken = 0
            for c in lb.cands:
                if c.key.startswith(first, pos):  # (most open labels continue otherwise)
                    n = _common_at(c.key, pos, key, 0)
                    if n > taken:
                        taken = n
            advance = taken
            exact = taken > 0
            if exact and taken < len(key) - 1:
                # One character mistyped inside the piece (「不子公」 going on from 「（三）」).
                for c in lb.cands:
                    n = _common_at(c.key, pos, key, 0)
                    if n and pos + n + 1 < len(c.key):
                        m = _common_at(c.key, pos + n + 1, key, n + 1)
                        if m and n + 1 + m > advance:
                            advance = taken = n + 1 + m
                            exact = False
            # A word of two characters, the first mistyped (「子公」 of 「（三」「）不」「子公」「开」).
            cands = lb.cands
            if (
                taken == 0
                and pos >= 2
                and typo
                and (len(key) == 2 or two_chars())
                and any(c.key[pos + 1 : pos + 2] == key[1] and c.key[pos : pos + 1] not in {"", first} for c in cands)
            ):
                advance = taken = 2
            if taken == 0 and pos >= 2 and typo:
                for c in lb.cands:
                    for d, probe in probes:
                        # key[d:] continues the label i characters on: d = 1 is a typo, i > d lost text.
                        at = c.key.find(probe, pos, pos + 6)
                        if at > pos:  # (past the label's position by d, and by 1 - d)
                            m = _common_at(c.key, at, key, d)
                            if m + d > taken:
                                advance, taken = at - pos + m, m + d
            if taken == 0:
                continue
            if not exact and taken > word_length():
                # Past a typo or lost text, a piece goes no further than its word: a space ends a
                # cell's line (「果 其他情形）」 is no 「或其他」 of 法人或其他组织).
                continue
            overlap = lb.x0 < token.x1 and token.x0 < lb.x1
            # pdftotext -layout sets each line's columns by what stands left of it on that line:
            # a cell's next line may start a column or two off (「采购」 at 22, 「项目」 at 26).
            near = overlap or (lb.x0 - _NEAR < token.x1 and token.x0 < lb.x1 + _NEAR)
            if crowded and not near and not token.fields:
                # Columns side by side: a piece continues the label above it, not another — unless
                # it is exactly what this label lacks, set apart from it (_finishes).
                if finishing is None:
                    # (Exactly what it lacks: the rest of the token, or its first word — 「数」 of
                    # 「数 现行有效件数」, a last line pushed right one space before the next label.)
                    ends = {key, word()} if word is not None else {key}
                    finishing = [f for f in self.labels if not f.done and any(c.key[f.pos :] in ends for c in f.cands)]
                if (
                    not _finishes(lb, finishing, token)
                    and not self._pushed_right(lb, finishing, token)
                    and not (exact and self._over_the_page(lb, token))
                    and not (exact and self._alone_below(lb, key, token))
                    and not (
                        exact
                        and (beside or token.line == lb.last_line + 1)
                        and word is not None
                        and self._sole_go_on(lb, word(), taken)
                    )
                    and not (exact and self._leftmost_alike(lb, key, token))
                ):
                    continue
            # A label the piece continues as written before one it continues past a typo (本年制|发件数
            # over 本年废|发件数); on a tie, the label begun first: one cell per line, the wrapped
            # pieces of side-by-side labels come in the order the labels began (本年新, 本年新, …,
            # 制作数量, 公开数量).
            score = (taken, exact, overlap, near, -lb.seq)
            options.append((score, lb, advance, taken))
            if best is None or score > best[0]:
                best = (score, lb, advance, taken)
        if best is None:
            return None
        _, lb, advance, taken = best
        if token.line > lb.last_line and _block_column(lb):
            # A block's column labels that read alike so far take the pieces below them left to
            # right, whichever a piece overlaps: -layout pushes a line right by what stands left
            # of it (「信息内容     制发   废止」 under 「本年   本年」: 「制发」 overlaps the second).
            text = label_key(lb.text())
            alike = [
                o
                for o in options
                if o[1].last_line == lb.last_line
                and o[2:] == (advance, taken)
                and o[0][1] == best[0][1]
                and _block_column(o[1])
                and label_key(o[1].text()) == text
            ]
            if len(alike) > 1:
                _, lb, advance, taken = min(alike, key=lambda o: o[1].x0)
        return lb, advance, taken

    def _over_the_page(self, lb: Label, token: Token) -> bool:
        """Whether ``token`` opens the next page of a row label ended by a page break: -layout sets
        each page's columns anew, so the rest of a label cut by the break (「（五」, then 「）不」
        「予处」「理」 on the next page) may stand columns away from its beginning — a group's
        anywhere on that page (its cell's text is centred on the rows it spans)."""
        if not all(c.kind in ("row", "group") for c in lb.cands):
            return False
        k = bisect_right(self.page_starts, lb.last_line)
        if k >= len(self.page_starts) or token.line < self.page_starts[k]:
            return False
        if all(c.kind == "group" for c in lb.cands):
            return k + 1 >= len(self.page_starts) or token.line < self.page_starts[k + 1]
        return token.line < self.page_starts[k] + _NEW_PAGE

    def _leftmost_alike(self, lb: Label, key: str, token: Token) -> bool:
        """Whether ``lb``, a block's column label ending on the line above ``token``, is the one of
        those that read alike so far (and go on with ``token`` as written) that takes it: the
        leftmost where all end there (本年|新|制作 beside 本年新|公开数量, -layout setting 「制作」
        columns off both: the pieces below are theirs left to right), else the nearest (those near
        a label still go to it first)."""
        if token.line != lb.last_line + 1 or not _block_column(lb):
            return False
        text = label_key(lb.text())
        alike = [
            other
            for other in self.labels
            if not other.done
            and lb.last_line <= other.last_line <= token.line
            and label_key(other.text()) == text
            and _block_column(other)
            and any(c.key.startswith(key[:2], other.pos) for c in other.cands)
        ]
        if len(alike) < 2:
            return False
        if all(other.last_line == lb.last_line for other in alike):
            return lb is min(alike, key=lambda f: f.x0)
        # One of them already went on to the token's own line (「本年」「新」, then 「本年新」 above
        # 「公开数」 eight columns off): the piece is the nearest one's.
        return lb is min(alike, key=lambda f: (max(f.x0 - token.x1, token.x0 - f.x1, 0), f.x0))

    def _sole_go_on(self, lb: Label, word: str, taken: int) -> bool:
        """Whether ``word`` (after a space in a token, or on the line right below ``lb``) goes on
        with ``lb`` as written, whole, and with no other open label: Chromium prints neighbouring
        cells' lines one space apart, and -layout may set a wrapped label's lines columns apart
        (「信息内 新」: 「新」 of 本年|新|制作|数量, whose 「本年」 stands eight columns right;
        「公开数」 eight columns right of its 「本年新」)."""
        if taken != len(word) or len(word) > 4:
            return False
        return not any(
            other is not lb and not other.done and any(c.key.startswith(word, other.pos) for c in other.cands)
            for other in self.labels
        )

    def _alone_below(self, lb: Label, key: str, token: Token) -> bool:
        """Whether ``token``, on the line right below ``lb``, a few columns left or right of it, goes
        on with ``lb`` as written and with no other open label: -layout may set a wrapped cell's
        next line further off than a neighbour's (「本年」 at 26, 「新」 under it at 22)."""
        if token.line != lb.last_line + 1 or abs(token.x0 - lb.x0) > _OFF_BELOW:
            return False
        probe = key[:2]
        return not any(
            other is not lb and not other.done and any(c.key.startswith(probe, other.pos) for c in other.cands)
            for other in self.labels
        )

    def _pushed_right(self, lb: Label, finishing: list[Label], token: Token) -> bool:
        """Whether ``token``, exactly what ``lb`` lacks, stands right after it on its last line:
        pdftotext -layout prints a cell's short last line on the line above when their heights
        overlap, pushed right past the text already there (「处理决定数      量」)."""
        if token.line != lb.last_line or lb.x1 > token.x0 or lb not in finishing:
            return False
        return not any(
            other is not lb and other.last_line == token.line and lb.x1 < other.x1 <= token.x0 for other in self.labels
        )

    def _start(self, key: str) -> tuple[list[Target], int] | None:
        """Targets ``key`` may begin, and how many characters of it they take."""
        if not self._may_start(key[0]):
            return None
        best: list[Target] = []
        best_n = 0
        for t in self.by_first.get(key[:1], ()):
            n = _common(t.key, key)
            if n < len(t.key) and n < len(key) and n < 2:
                continue
            if n > best_n:
                best, best_n = [t], n
            elif n == best_n:
                best.append(t)
        ordinal, core = split_ordinal(key)
        if ordinal and core and best_n <= len(key) - len(core) + 1:
            # A wrong or missing ordinal: match the label after it.
            off = len(key) - len(core)
            if any(
                not lb.done and lb.pos and any(c.key.startswith(core[:2], lb.pos) for c in lb.cands)
                for lb in self.labels
            ):
                # Unless what follows it goes on with an open label (a group's ordinal beside the
                # last line of its first row's label: 「（六） 申请」; 「三、 无法提」, the group
                # 三、's ordinal beside （四）'s next line): the ordinal begins its own.
                own = [t for t in self.by_first.get(key[:1], ()) if t.key.startswith(key[:off])]
                return (own, off) if own else None
            for t, t_core in self.by_core_first.get(core[:1], ()):
                n = _common(t_core, core)
                if n >= 2 and off + n > best_n:
                    best, best_n = [t], off + n
                elif n >= 2 and off + n == best_n and t not in best:
                    best.append(t)
        if not best:
            return None
        return best, best_n

    def _may_start(self, ch: str) -> bool:
        """Whether a text beginning with ``ch`` may begin a label: a label's first character, or an ordinal's."""
        return ch in self.by_first or ch in _ORDINAL_FIRST or ch.isdecimal()

    def _close_near(self, token: Token, key: str, index: list[int]) -> None:
        words: list[str] | None = None  # the token's words (folded), as asked
        for lb in self.labels:
            if lb.done:
                continue
            # A label still short of its end waits longer: plain pdftotext may give its last
            # piece after the row's numbers, or after the next rows'.
            if token.line - lb.last_line > (_CLOSE_AFTER if lb.complete else 8 * _CLOSE_AFTER):
                lb.done = True
            elif (
                lb.x0 < token.x1
                and token.x0 < lb.x1
                and lb.complete
                and token.line > lb.last_line
                and not any(c.key[lb.pos : lb.pos + 2] == key[:2] for c in lb.cands)
            ):
                # A complete label with other text under it — unless a later word of that text
                # goes on with it (「理结果 （区分处理的，只」: a group label's line, then the
                # row's, one space apart; the row label is complete as its short alias).
                if words is None:
                    words = _words(token, key, index)
                if not any(c.key[lb.pos : lb.pos + 2] == w[:2] for w in words[1:] for c in lb.cands):
                    lb.done = True

    def _reopen(self, key: str, token: Token) -> None:
        """A text that is exactly the rest of an unfinished label finishes it, however far away:
        plain pdftotext gives the last line of a wrapped cell after a page's figures — and the
        rest of a group label cut by a page break after the next page's figures, one character
        as well (「（三」「）不」「予公」, then 「开」 on the next page with （四）'s pieces)."""
        for lb in reversed(self.labels):  # the latest first (labels are appended as they begin)
            if not lb.done or not lb.pieces or lb.complete:
                continue
            if any(c.key[lb.pos :] == key for c in lb.cands):
                if len(key) < 2 and not (self._next_page_of_group(lb, token) or self._sole_lacking(lb, key, token)):
                    continue
            elif not (
                len(key) >= 3
                and any(_one_typo(c.key[lb.pos :], key) for c in lb.cands)
                and self._next_page_of_group(lb, token)
            ):
                continue  # (a group's rest with a typo in it: 「子公开」 for 「予公开」, GK203)
            lb.done = False
            return

    def _sole_lacking(self, lb: Label, key: str, token: Token) -> bool:
        """Whether ``lb``, a row's or a group's label, is the only label that lacks exactly the one
        character ``key``, and ``token`` stands on its page (plain pdftotext of Chromium's PDF:
        「息」 of 「5.属于三类内部事务信」, 「开」 of 「（三）不予公」, with the page's last labels
        after all its figures)."""
        if not all(c.kind in ("row", "group") for c in lb.cands):
            return False
        if bisect_right(self.page_starts, lb.last_line) != bisect_right(self.page_starts, token.line):
            return False
        return not any(
            o is not lb and o.pieces and not o.complete and any(c.key[o.pos :] == key for c in o.cands)
            for o in self.labels
        )

    def _next_page_of_group(self, lb: Label, token: Token) -> bool:
        """Whether ``token`` stands on the page after the one ``lb``, a group label, was cut at."""
        if not all(c.kind == "group" for c in lb.cands):
            return False
        k = bisect_right(self.page_starts, lb.last_line)
        return (
            k < len(self.page_starts)
            and token.line >= self.page_starts[k]
            and (k + 1 >= len(self.page_starts) or token.line < self.page_starts[k + 1])
        )

    def read_text(self, token: Token, crowded: bool = False) -> None:
        key, index = _folded(token.text)
        i = self.taken.pop(id(token), 0)
        if i >= len(key):
            return
        self._close_near(token, key, index)
        self._reopen(key, token)
        last: Label | None = None  # the label the previous piece of this token went to
        while i < len(key):
            rest = key[i:]
            found = self._continue(
                rest,
                token,
                crowded,
                partial(_first_word, token, key, index, i),
                beside=i > 0 and token.text[index[i] - 1].isspace(),
            )
            if (
                found is not None
                and found[2] < 3
                and (i == 0 or token.text[index[i] - 1].isspace())
                and (started := self._start(rest)) is not None
                and started[1] >= 3
                and started[1] > found[2]
                and any(c.kind == "row" for c in started[0])
            ):
                # A word that begins a row's label at length goes no short way on with an open label
                # (「四、结转下年度继续办」 is no 「四」 for a group's 「（」 left open above).
                found = None
            if (i == 0 or token.text[index[i] - 1].isspace()) and (
                found is None or not any(c.key.startswith(rest[: found[2]], found[0].pos) for c in found[0].cands)
            ):
                # A word that continues no label as written: its lines may be merged out of order.
                j = (found is None and self._rotated(token, key, index, i)) or (
                    not token.fields and self._swapped(token, key, index, i)
                )
                if j:
                    i = j
                    continue
            if found is not None:
                lb, advance, n = found
                if advance == n and n > 1:
                    # A continuation stops at a space: Chromium prints neighbouring cells one space
                    # apart, so one token may hold the wrapped lines of two cells (「度办 理的，…」);
                    # what follows the space is read anew, and may go on another label.
                    cut = next((k for k in range(1, n) if " " in token.text[index[i + k - 1] + 1 : index[i + k]]), n)
                    advance = n = cut
                if advance == n:
                    lb.set_cands([c for c in lb.cands if c.key[lb.pos : lb.pos + n] == rest[:n]] or lb.cands)
                lb.pos += advance
            else:
                started = self._start(rest)
                word_start = i == 0 or token.text[index[i] - 1].isspace()
                if (
                    started is not None
                    and word_start
                    and not token.fields
                    and len(word := _first_word(token, key, index, i)) == 1
                    and started[1] > 1
                    and (after := self._start(rest[1:])) is not None
                    and after[1] >= 3
                ):
                    # A character alone, one space before a label (「（ 1.属于国家」: the first line
                    # of （三）不予公开 a character a line beside 1.'s): no ordinal of that label.
                    started = self._start(word)
                if started is None and word_start and not token.fields:
                    # A word of a cell of its own, one space apart from the next (Chromium: 「信息内 本
                    # 本年新 对外公开」; 表四's header a character a line: 「结 结 其 尚 总」): it may
                    # begin a label by itself, however short.
                    word = _first_word(token, key, index, i)
                    if word != rest:
                        started = self._start(word)
                if started is None:
                    # Up to where a label may begin, or the next word (it may go on with an open
                    # label: 「度办 只计这一情形，…」, a group's piece, then （二）'s next line).
                    j = i + 1
                    while (
                        j < len(key)
                        and not token.text[index[j] - 1].isspace()
                        and (not self._may_start(key[j]) or self._start(key[j:]) is None)
                    ):
                        j += 1
                    piece = _sub(token, index, i, j)
                    if last is not None and not last.complete:
                        # A label begun in this token and gone wrong: the rest of the cell is its own
                        # text (「行政审批」 is one label, not 「行政」 and 「审批」).
                        last.pieces[-1].e = index[j - 1] + 1 if j < len(key) else len(token.text.rstrip())
                    elif j - i >= 2 and _HAN.search(piece.text):
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
            last = lb
            if lb.complete and any(c.kind in ("row", "group") for c in lb.cands):
                self.next_row = max(self.next_row, lb.target.order + 1)
            i += n

    def _swapped(self, token: Token, key: str, index: list[int], i: int) -> int:
        """Where the word of ``token`` at folded character ``i`` ends, or the word after it, if
        they hold the next lines of an open label in the other order (read as its pieces); else 0.

        The lines of a wrapped header cell merged as in ``_rotated``: in one word (「本年 / 制作新 /
        数量」 for 本年|新|制作|数量), a space apart (「制作 新」; the one-character line is
        centred), or in the neighbouring text (「项目  年」). Only where the first word does not
        continue an open label as written."""
        j = _word_end(token, key, index, i)
        first = key[i:j]
        near = []
        for lb in self.labels:
            if lb.done or not lb.pos:
                continue
            if any(c.key.startswith(first, lb.pos) for c in lb.cands):
                return 0
            if lb.x0 - _NEAR < token.x1:
                near.append(lb)
        if not near:
            return 0
        n = len(first)
        doubled = first + first
        turned = {
            id(lb): (lb, c.key[lb.pos : lb.pos + n])
            for lb in near
            for c in lb.cands
            if len(c.key) - lb.pos >= n and c.key[lb.pos : lb.pos + n] in doubled
        }
        if len(turned) == 1 and n > 1:
            ((lb, text),) = turned.values()
            cut = doubled.index(text)  # first[cut:] + first[:cut] continues it
            self._advance(lb, text)
            lb.add(_Piece(token, index[i + cut], index[j - 1] + 1))
            lb.add(_Piece(token, index[i], index[i + cut - 1] + 1))
            return j
        second = self._next_word(token, key, index, j)
        if second is None:
            return 0
        nxt, nkey, nindex, at, k = second
        both = nkey[at:k] + first
        fits = [lb for lb in near if any(c.key.startswith(both, lb.pos) for c in lb.cands)]
        if len(fits) != 1:
            return 0
        self._advance(fits[0], both)
        fits[0].add(_Piece(nxt, nindex[at], nindex[k - 1] + 1))
        fits[0].add(_Piece(token, index[i], index[j - 1] + 1))
        return self._took(token, key, nxt, k)

    def _next_word(
        self, token: Token, key: str, index: list[int], j: int
    ) -> tuple[Token, str, list[int], int, int] | None:
        """The word after the one ending at folded character ``j`` of ``token``: in it, or the
        first of the next token on the line a few columns on (「项目  年」) — (its token, folded
        text, raw index, start, end); None if there is none."""
        if j < len(key):
            return token, key, index, j, _word_end(token, key, index, j)
        following = self.following
        if following is None or following.kind != "text" or following.x0 - token.x1 > 3:
            return None
        nkey, nindex = _folded(following.text)
        if not nkey:
            return None
        return following, nkey, nindex, 0, _word_end(following, nkey, nindex, 0)

    def _took(self, token: Token, key: str, nxt: Token, k: int) -> int:
        """Where reading ``token`` goes on, a label having taken its text up to the word ending at
        folded character ``k`` of ``nxt`` (``token`` itself, or the next token: its first word is
        taken, and the rest of ``token``)."""
        if nxt is token:
            return k
        self.taken[id(nxt)] = k
        return len(key)

    @staticmethod
    def _advance(lb: Label, text: str) -> None:
        """``lb`` continued by ``text`` as written."""
        lb.set_cands([c for c in lb.cands if c.key.startswith(text, lb.pos)])
        lb.pos += len(text)

    def _rotated(self, token: Token, key: str, index: list[int], i: int) -> int:
        """Where the word of ``token`` at folded character ``i`` ends, if it is a column label with
        its wrapped lines in the other order (read as that label); else 0.

        pdftotext -layout prints a header cell's wrapped lines on one line when a cell beside them
        stands between their heights, in the order they begin from the left (「项目数量上一年」:
        the shorter first line, centred, begins right of the second's start)."""
        if key[i : i + 2] not in self.rotation_starts:
            return 0
        j = _word_end(token, key, index, i)
        word = key[i:j]
        rotated = self.rotations.get(word)
        second = None
        if rotated is None:
            # Or the second line then the first as two words (「项目数量  上一年」), where the first
            # begins no label itself (表四's 「结果  其他」 are two labels' first lines).
            if self._start(word) is not None:
                return 0
            second = self._next_word(token, key, index, j)
            if second is None:
                return 0
            nxt, nkey, nindex, at, k = second
            rotated = self.rotations.get(word + nkey[at:k])
            if rotated is None or rotated[1] != k - at:
                return 0
        if any(not lb.done and any(c.key.startswith(word, lb.pos) for c in lb.cands) for lb in self.labels):
            return 0  # it continues a label as written
        cands, first_line = rotated
        self.seq += 1
        lb = Label(cands, len(word) + (0 if second is None else first_line), self.seq)
        if second is None:
            cut = i + len(word) - first_line  # where the label's first line begins
            lb.add(_Piece(token, index[cut], index[j - 1] + 1))
            lb.add(_Piece(token, index[i], index[cut - 1] + 1))
            end = j
        else:
            lb.add(_Piece(nxt, nindex[at], nindex[k - 1] + 1))
            lb.add(_Piece(token, index[i], index[j - 1] + 1))
            end = self._took(token, key, nxt, k)
        lb.done = True
        self.labels.append(lb)
        return end

    # --- values ---------------------------------------------------------------

    def read(self) -> None:
        # The characters of all the text to fold, learnt at once (one test of them, not one a token).
        _learn_chars("".join([t.text for line in self.lines for t in line.tokens if t.kind == "text"]))
        runs: list[list[Token]] = []
        run_open = False
        unattached: list[Token] | None = None
        for line in self.lines:
            numbers_here = 0
            for n, t in enumerate(line.tokens):
                if t.kind == "text":
                    self.following = line.tokens[n + 1] if n + 1 < len(line.tokens) else None
                    self.read_text(t, len(line.tokens) > 1)
                    run_open = False
                    continue
                if (
                    run_open
                    and runs
                    and (
                        numbers_here
                        or len(runs[-1]) == 1
                        or runs[-1][-1].line == t.line
                        or (all(x.line != t.line for x in runs[-1]) and _one_per_line(runs[-1]))
                    )
                ):
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
            if (
                lb.pieces
                and not lb.usable
                and _HAN.search(lb.text())
                and len(lb.text()) >= 2
                and any(c.kind in ("row", "group") for c in lb.cands)
            ):
                # Begun like a template row but not one: a row the template does not have.
                lb.set_cands([Target("extra", label_key(lb.text()), "", -1)])
                lb.pos = len(lb.cands[0].key)
            # Empty cells only count among numbers: a run of them alone is a blank line's doing.
            lb.data = [run for run in lb.data if any(t.kind == "num" for t in run)]
        self.orphans.extend(self.waiting)

    def _attach(self, run: list[Token]) -> None:
        """Give a run of numbers to the label beside it, or else to the last label before it."""
        line = run[0].line
        leaves = [lb for lb in self.labels if lb.pieces and self._is_leaf(lb)]
        beside = [lb for lb in leaves if lb.first_line <= line <= lb.last_line and not lb.data]
        if beside and not any(c.kind == "row" for lb in beside for c in lb.cands):
            # Beside a group's label only (「（六）/其他处/理」, its last line by the figures): a row
            # label wrapped above them and still short of its end (-layout puts a wrapped cell's
            # figures on one of its middle lines, before its last lines are read) is their row.
            growing = [
                lb
                for lb in leaves
                if not lb.data and not lb.complete and 0 < line - lb.last_line <= 2 and lb.target.kind == "row"
            ]
            if growing:
                beside = growing
        if beside:
            max(beside, key=lambda lb: (lb.x0, lb.seq)).data.append(run)
            self.how["beside"] += 1
            return
        going_on = self._past_a_group_piece(run, leaves)
        if going_on is not None:
            going_on.data.append(run)
            self.how["beside"] += 1
            return
        # One cell per line: the numbers follow their label, so they are the last label's
        # (if it has none yet); else a label just below them (a label printed after its numbers).
        before = [lb for lb in leaves if lb.last_line <= line]
        if before:
            last = max(before, key=lambda lb: lb.seq)
            if not last.data:
                last.data.append(run)
                self.how["after" if last.last_line < line else "beside"] += 1
                return
        self.waiting.append(run)

    def _past_a_group_piece(self, run: list[Token], leaves: list[Label]) -> Label | None:
        """The row whose figures stand left of ``run`` on its line, with only a group label's piece
        between them: -layout prints a group label's last line amid a row's figures when the
        group's cell is centred on that row (「2.重复申请 2 1 理   3」, 理 of （五）不予处理)."""
        line, x0 = run[0].line, run[0].x0
        rows = [lb for lb in leaves if lb.data and lb.data[-1][-1].line == line and lb.data[-1][-1].x1 < x0]
        if len(rows) != 1:
            return None
        lb = rows[0]
        between = [
            other
            for other in self.labels
            if other is not lb
            and any(p.token.line == line and lb.data[-1][-1].x1 <= p.token.x0 < x0 for p in other.pieces)
        ]
        if not between or any(c.kind != "group" for other in between for c in other.cands):
            return None
        return lb

    def _settle_waiting(self, lb: Label) -> None:
        """A label just begun takes numbers printed shortly before it that nobody else took."""
        while self.waiting and lb.first_line - self.waiting[0][-1].line > 4:
            self.orphans.append(self.waiting.pop(0))
        if self.waiting and not lb.data and self._is_leaf(lb):
            lb.data.append(self.waiting.pop(0))
            self.how["before"] += 1

    def _is_leaf(self, lb: Label) -> bool:
        kinds = {c.kind for c in lb.cands}
        return "row" in kinds or "extra" in kinds or (not kinds - {"group"} and self._group_has_data(lb))

    def _group_has_data(self, lb: Label) -> bool:
        # A group label holds values itself only in an outdated layout (2019's （六）其他处理 in 2021).
        return lb.target.ident in self.spec.outdated_rows

    def damaged(self, labels: list[Label]) -> bool:
        """Numbers mostly beside their labels, yet some far from any: a drawing torn apart (a
        converter's shredded table), where giving numbers to rows would be guessing."""
        beside = self.how["beside"]
        astray = self.how["before"] + len([run for run in self.orphans if any(t.kind == "num" for t in run)])
        groups_with_data = sum(
            1
            for lb in labels
            if lb.data and not any(c.kind == "row" for c in lb.cands) and any(c.kind == "group" for c in lb.cands)
        )
        return beside >= 3 and astray + groups_with_data >= 2


def _block_column(lb: Label) -> bool:
    """Whether ``lb`` is a column label of a 表二 block (of the template's, or of the outdated one)."""
    return all(c.kind == "column" for c in lb.cands) and any(c.block for c in lb.cands)


def _finishes(lb: Label, finishing: list[Label], token: Token) -> bool:
    """Whether ``token``, exactly what the ``finishing`` labels lack, may finish ``lb`` wherever it
    stands: a row label's; a 「信息内容」 or a 表二 block's column label's that no other open label
    lacks; or, where
    a block's labels side by side all lack it (本年制发|件数, 本年废止|件数 …), the leftmost one's,
    the pieces below taken left to right (pdftotext -layout centres a short last line, so it may
    stand left of its label). 表四's labels repeat across its groups (结果|维持 ×3): there a piece
    must stand under its label."""
    if lb not in finishing:
        return False
    if all(c.kind in ("row", "group") for c in lb.cands):
        return True
    if all(c.kind == "labelcol" for c in lb.cands):
        return len(finishing) == 1  # 「信息内」's 「容」, set columns off by -layout

    if not all(c.kind == "column" and c.block for c in lb.cands):
        return False
    if len(finishing) == 1:
        return True
    siblings = [f for f in finishing if f.last_line == lb.last_line]
    return token.line > lb.last_line and lb is min(siblings, key=lambda f: f.x0)


def _words(token: Token, key: str, index: list[int]) -> list[str]:
    """The folded words of ``token`` (a space ends a word)."""
    out, i = [], 0
    while i < len(key):
        j = _word_end(token, key, index, i)
        out.append(key[i:j])
        i = j
    return out


def _one_typo(rest: str, key: str) -> bool:
    """Whether ``key`` is ``rest`` with one character written wrong."""
    return len(rest) == len(key) and sum(a != b for a, b in zip(rest, key)) == 1


def _first_word(token: Token, key: str, index: list[int], i: int) -> str:
    """The folded word of ``token`` beginning at folded character ``i``."""
    return key[i : _word_end(token, key, index, i)]


def _word_end(token: Token, key: str, index: list[int], i: int) -> int:
    """Where the word of ``token`` (folded ``key``, raw ``index``) beginning at folded character
    ``i`` ends: a space ends it."""
    space = _SPACE.search(token.text, index[i])
    return len(key) if space is None else bisect_left(index, space.start(), i + 1)


def _one_per_line(run: list[Token]) -> bool:
    lines = [t.line for t in run]
    return len(set(lines)) == len(lines)


def _sub(token: Token, index: list[int], i: int, j: int) -> Token:
    s = index[i]
    e = index[j - 1] + 1 if j - 1 < len(index) else len(token.text)
    return Token(
        "text",
        token.text[s:e],
        token.start + s,
        token.start + e,
        token.line,
        token.x0,
        token.x1,
        token.field,
        token.fields,
    )
