"""Lines of a laid-out table as tokens: text and numbers with their display columns.

Tables reach gikcheck drawn by many programs: tab- or pipe-separated rows,
box-drawing borders (w3m), ``+---+`` grids and dashed rules (pandoc),
columns aligned by spaces (lynx, ``pdftotext -layout``), or one cell per
line. Whatever draws them, a line splits into fields at the separators it
uses, and a field into text and number tokens. Each token keeps its source
span and its display columns (a Han character is two columns wide), which
is all the template-guided reader (``aligned``) needs.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import accumulate

from .. import rx
from ..memo import remember
from ..normalize import label_key
from ..records import Record

# Box-drawing and ASCII rules: a line made only of these (and spaces) is a border.
_RULE_CHARS = frozenset(
    "─━│┃┄┅┆┇┈┉┊┋┌┍┎┏┐┑┒┓└┕┖┗┘┙┚┛├┝┞┟┠┡┢┣┤┥┦┧┨┩┪┫┬┭┮┯┰┱┲┳┴┵┶┷┸┹┺┻┼┽┾┿╀╁╂╃╄╅╆╇╈╉╊╋"
    "═║╒╓╔╕╖╗╘╙╚╛╜╝╞╟╠╡╢╣╤╥╦╧╨╩╪╫╬+-=:|_ \t\u3000\u00a0"
)
# What separates cells inside a line.
_VERTICAL = "│┃║┆┇┊┋|"
# In a bordered drawing, any run of box-drawing characters separates cells (a rowspan
# cell's text shares its line with the border under the cells beside it).
_SPLIT_SEPARATED = re.compile(r"[\t|]|[\u2500-\u257f]+")
_SPLIT_SPACED = re.compile(r"[ \u3000\u00a0]{2,}")
_FILLERS = frozenset("-—–－−/／\\×*＊·…~～")  # what people put in a cell for "none"
# `regex`, not `re`: `re` spends ~2 ms compiling a class of the CJK blocks (it maps them bit by bit).
_HAN = rx.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BOX = re.compile(r"[\u2500-\u257f]")
NUMBER = re.compile(r"[+\-−－]?\d[\d,]*(?:\.\d+)?(?:万元|元)?")
_BREAKS = " \u3000\u00a0\f\v"  # what separates words in a field
_WORD = re.compile(f"[^{_BREAKS}]+")
_WORD_BREAK = re.compile(f"[{_BREAKS}]")


def width(ch: str) -> int:
    """Display width of one character (terminal columns)."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


class _WideTable(dict):
    """``str.translate`` table mapping each character to its width as a character: "\x02" or "\x01"
    (so a line's widths are also bytes to sum, and its wide characters a count), built as met."""

    def __missing__(self, cp: int) -> str:
        w = self[cp] = "\x02" if unicodedata.east_asian_width(chr(cp)) in "WF" else "\x01"
        return w


_WIDE = _WideTable()
# Lines up to this long get every offset's column at once (longer ones: as asked, see _Columns).
_EAGER_COLUMNS = 256


def text_width(s: str) -> int:
    """Display width of ``s``: ``width`` of each character summed, in one pass in C."""
    return len(s) + s.translate(_WIDE).count("\x02")


class Token(Record):
    """A number or a run of text in one line."""

    __slots__ = ("kind", "text", "start", "end", "line", "x0", "x1", "field", "fields")

    def __init__(
        self, kind: str, text: str, start: int, end: int, line: int, x0: int, x1: int, field: int, fields: int
    ) -> None:
        self.kind = kind  # "num" | "text" | "nil" (an empty cell that shows: a no-break space)
        self.text = text
        self.start = start  # source offsets
        self.end = end
        self.line = line  # 1-based
        self.x0 = x0  # display columns, [x0, x1)
        self.x1 = x1
        self.field = field  # index of the field (cell) in its line
        self.fields = fields  # fields in the line (tab and pipe rows: trailing blanks included)


class Line(Record):
    __slots__ = ("number", "tokens", "kind", "separated")

    def __init__(self, number: int, tokens: list[Token], kind: str, separated: bool) -> None:
        self.number = number
        self.tokens = tokens
        self.kind = kind  # "blank" | "rule" | "data" | "text" | "nil"
        self.separated = separated  # cells split by tabs or pipes: fields count, columns do not


def is_rule(raw: str) -> bool:
    """A border line: only box-drawing or ASCII rule characters, and at least three of them."""
    s = raw.strip()
    return len(s) >= 3 and all(c in _RULE_CHARS for c in s) and any(c in "─━-=═┼+" for c in s)


_Shape = tuple[str, bool, tuple[tuple[str, str, int, int, int, int, int, int], ...]]
_SHAPES: dict[str, _Shape] = {}


def tokenize(raw: str, base: int, number: int) -> Line:
    """Tokens of one line ``raw`` starting at source offset ``base``."""
    # A report repeats its lines (blank ones, the template's rows of zeros), and so do the reports
    # of a run: a line is split once, and its tokens are placed at ``base`` each time.
    shape = _SHAPES.get(raw)
    if shape is None:
        # A line met for the first time: its tokens are made in place, and its shape kept.
        line = _tokenize(raw, base, number)
        if len(raw) <= 400:  # long lines are prose, met once
            shape = (
                line.kind,
                line.separated,
                tuple(
                    (t.kind, t.text, t.start - base, t.end - base, t.x0, t.x1, t.field, t.fields) for t in line.tokens
                ),
            )
            remember(_SHAPES, raw, shape)
        return line
    kind, separated, shapes = shape
    return Line(
        number,
        [Token(k, text, base + s, base + e, number, x0, x1, f, fs) for k, text, s, e, x0, x1, f, fs in shapes],
        kind,
        separated,
    )


class _Columns:
    """``cols[i]``: the display column of offset ``i`` of a line (the width of ``line[:i]``), worked out
    where asked: a line's tokens ask for a few offsets, mostly in order, of a line that may be long."""

    __slots__ = ("at", "col", "wide")

    def __init__(self, raw: str) -> None:
        self.wide = raw.translate(_WIDE)  # "\x01" or "\x02" per character
        self.at = self.col = 0  # the last offset asked for, and its column

    def __getitem__(self, i: int) -> int:
        at, col = (self.at, self.col) if i >= self.at else (0, 0)
        col += i - at + self.wide.count("\x02", at, i)
        self.at, self.col = i, col
        return col


def _tokenize(raw: str, base: int, number: int) -> Line:
    if not raw.strip(" \t\u3000\u00a0\f\v"):
        nbsp = raw.find("\u00a0")
        if nbsp >= 0 and not raw.strip("\u00a0"):
            # A line holding only a no-break space: an empty cell, as browsers' innerText and
            # LibreOffice's text export write one cell per line.
            return Line(number, [Token("nil", "", base + nbsp, base + nbsp + 1, number, 0, 1, 0, 0)], "nil", False)
        return Line(number, [], "blank", False)
    if is_rule(raw):
        return Line(number, [], "rule", False)
    separated = "\t" in raw or any(c in raw for c in _VERTICAL) or _BOX.search(raw) is not None
    # Display column of an offset (tabs count one: tab rows are read by field, not column).
    cols: _Columns | range | list[int]
    if raw.isascii():
        cols = range(len(raw) + 1)
    elif len(raw) <= _EAGER_COLUMNS:
        # Every offset's column at once, in C: widths as bytes 1 and 2, summed.
        cols = list(accumulate(raw.translate(_WIDE).encode("latin-1"), initial=0))
    else:
        cols = _Columns(raw)
    tokens: list[Token] = []
    pos = 0
    field = 0
    pieces: list[tuple[int, int]] = []
    for m in (_SPLIT_SEPARATED if separated else _SPLIT_SPACED).finditer(raw):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(raw)))
    if separated and not raw[: pieces[0][1]].strip() and (raw.lstrip()[:1] in _VERTICAL or _BOX.match(raw.lstrip())):
        pieces = pieces[1:]  # the border before the first cell
    if (
        separated
        and pieces
        and not raw[pieces[-1][0] :].strip()
        and (raw.rstrip()[-1:] in _VERTICAL or _BOX.match(raw.rstrip()[-1:]))
    ):
        pieces = pieces[:-1]  # the border after the last cell
    # Words of a piece that are not numbers, joined into one token (``flush``).
    run: list[tuple[int, int]] = []

    def flush() -> None:
        if run:
            s, e = run[0][0], run[-1][1]
            tokens.append(Token("text", raw[s:e], base + s, base + e, number, cols[s], cols[e], field, 0))
            run.clear()

    for p0, p1 in pieces:
        if p0 == p1:  # (two separators side by side: most pieces of a line of empty cells)
            field += separated
            continue
        chunk = raw[p0:p1]
        if not chunk.strip(" \u3000\u00a0"):
            if separated:
                field += 1  # an empty field between separators is an empty cell
            continue
        if '"' in chunk and "\t" in raw:
            # A spreadsheet's export quotes cells that hold a line break: "第一行 … 末行".
            lead = len(chunk) - len(chunk.lstrip(" \u3000\u00a0"))
            quoted = chunk[lead] == '"'
            if quoted:
                p0 += lead + 1
            rest = raw[p0:p1].rstrip(" \u3000\u00a0")
            if rest.endswith('"') and not rest.endswith('""'):
                p1 = p0 + len(rest) - 1
            chunk = raw[p0:p1]
            if not chunk.strip():
                if quoted and chunk:
                    # 「" "」: a cell holding only a (no-break) space, as Calc exports an empty table
                    # cell; an unquoted empty field is a spacer column of the sheet's grid.
                    tokens.append(Token("nil", "", base + p0, base + p1, number, cols[p0], cols[p1], field, 0))
                field += 1
                continue
        if _WORD_BREAK.search(chunk) is None:  # one word (most cells): what _WORD finds is the chunk
            words = [(p0, p1)]
        else:
            core = chunk.strip(_BREAKS)
            if core and _WORD_BREAK.search(core) is None:  # one word between blanks (「 0 」)
                lead = p0 + len(chunk) - len(chunk.lstrip(_BREAKS))
                words = [(lead, lead + len(core))]
            else:
                words = [(m.start() + p0, m.end() + p0) for m in _WORD.finditer(chunk)]
        # Join consecutive words that are not numbers; a number word stands alone.
        run.clear()
        for s, e in words:
            w = raw[s:e]
            if w.isdecimal() or NUMBER.fullmatch(w) or (len(w) <= 3 and all(c in _FILLERS for c in w)):
                # A number, or what stands in a number's cell: 「—」「/」「-」 (a bad cell, not a label).
                flush()
                tokens.append(Token("num", w, base + s, base + e, number, cols[s], cols[e], field, 0))
            else:
                run.append((s, e))
        flush()
        field += 1
    if separated:  # fields count only where separators mark every cell, blank ones included
        for t in tokens:
            t.fields = field
    kind = "data" if any(t.kind == "num" for t in tokens) else "text"
    return Line(number, tokens, kind, separated)


# A table's lines, found by parsing/regions.py (plain text) or parsing/htmltables.py (HTML).
class Region(Record):
    __slots__ = ("first", "last", "lines", "more", "__dict__")

    def __init__(self, first: int, last: int, lines: list[Line]) -> None:
        self.first = first  # 1-based, inclusive
        self.last = last
        self.lines = lines  # tokenized lines first..last (blank and rule lines included), then those of ``more``
        self.more: list[tuple[int, int]] = []  # later line ranges the table goes on in, past a heading that cut it

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """The line ranges (1-based, inclusive) that are the table's."""
        return [(self.first, self.last)] + self.more

    @functools.cached_property
    def keys(self) -> str:
        """The region's text, folded as labels are, without separators (for quick tests)."""
        return label_key("".join(t.text for ln in self.lines for t in ln.tokens if t.kind == "text"))
