"""Split a document into headings, paragraphs and raw tables, line by line.

Tables come in three shapes in text: pipe-separated rows (web pages copied
as text), tab-separated rows (Word/Excel copied as text), and rows
flattened one cell per line (a label line followed by number lines).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..diagnostics import Span
from ..document import BLANK, Blocks, Cell, Document, Heading, Paragraph, RawTable, Row
from ..memo import remember
from ..normalize import CN_DIGITS, label_key

# Patterns run on the shadow (full-width brackets already folded to ASCII).
# Leading blanks, "?" debris, and Markdown's heading marks (## 一、总体情况, **一、总体情况**).
_LEAD = re.compile(r"^[\s?\ufffd]*(?:#{1,6}[ \t]+|\*\*)?[\s?\ufffd]*")
_HEADING_PATTERNS = (
    ("cn", re.compile(r"([一二三四五六七八九十]{1,3})\s*、\s*")),
    ("paren-cn", re.compile(r"\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*")),
    ("paren-num", re.compile(r"\(\s*(\d{1,2})\s*\)\s*")),
    ("num-dot", re.compile(r"(\d{1,2})\s*\.(?![\d.])\s*")),
    ("num-comma", re.compile(r"(\d{1,2})\s*、\s*")),
)
_ORDINAL_START = frozenset("一二三四五六七八九十(0123456789#*")
# Whether any of the patterns above opens the line: one test rejects the many
# lines that merely start with a digit ("2020年…") before any slicing.
_ANY_ORDINAL = re.compile(_LEAD.pattern[1:] + "(?:" + "|".join(p.pattern for _, p in _HEADING_PATTERNS) + ")")
_TITLE_END = re.compile(r"[。;:!?；：！？]|\*\*|(?<=\S{2})\s")
_NUMERIC_LINE = re.compile(r"^[\s?]*[-+]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元|件|条|个|项)?[\s?]*$")
_MD_SEPARATOR = re.compile(r"^[\s|:\-]+$")
MAX_TITLE = 60


def cn_number(s: str) -> int:
    """Value of a small Chinese numeral (一..九十九)."""
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    total = 0
    for ch in s:
        total = total * 10 + CN_DIGITS.get(ch, 0)
    return total


def match_heading(doc: Document, start: int, end: int, line: int, inline: bool = False) -> Heading | None:
    """Recognise a numbered heading at source offsets [start, end)."""
    shadow = doc.shadow
    s_text = shadow.text
    # The shadow is one-to-one with the source except after NFC composition;
    # headings are matched on the shadow and mapped back.
    if shadow.origin is None:
        s_start, s_end = start, end
    else:
        s_start, s_end = shadow.from_source(start), shadow.from_source(end)
    if s_start >= s_end:
        return None
    first = s_text[s_start]
    if first not in _ORDINAL_START and not (first.isspace() or first in "?\ufffd"):
        return None  # most lines: not even the first character of an ordinal
    if not _ANY_ORDINAL.match(s_text, s_start, s_end):
        return None
    text = s_text[s_start:s_end]
    lead_m = _LEAD.match(text)
    assert lead_m is not None  # every part of _LEAD is optional: it always matches
    lead = lead_m.end()
    body = text[lead:]
    for style, pat in _HEADING_PATTERNS:
        m = pat.match(body)
        if not m:
            continue
        rest = body[m.end() :]
        if not rest.strip() or rest[0] in "0123456789%":
            return None
        t_end = _TITLE_END.search(rest)
        title_len = t_end.start() if t_end else len(rest.rstrip())
        if title_len == 0:
            return None
        if title_len > MAX_TITLE:
            title_len = MAX_TITLE
        ordinal = body[: m.end()].strip()
        h_start = s_start + lead
        t_start = h_start + m.end()
        src_h = shadow.to_source(h_start)
        src_t0, src_t1 = shadow.span_to_source(t_start, t_start + title_len)
        title = doc.text[src_t0:src_t1].strip()
        return Heading(
            Span(src_h, src_t1), ordinal, style, cn_number(m.group(1)), title, Span(src_t0, src_t1), line, inline
        )
    return None


# One cell of a line, relative to the line's start: (text, start, end, empty).
_Part = tuple[str, int, int, bool]

# Table lines repeat across reports (template headers, rows of zeros): their
# split is kept by (line, separator), up to a bound.
_SPLITS: dict[tuple[str, str], tuple[tuple[_Part, ...], int]] = {}


def _split_cells(raw: str, sep: str) -> tuple[tuple[_Part, ...], int]:
    """Cells of one line ``raw`` (offsets relative to it), and how many are filled."""
    found = _SPLITS.get((raw, sep))
    if found is not None:
        return found
    parts: list[_Part] = []
    filled = 0
    pos = 0
    for part in raw.split(sep):
        text = part.strip()
        if text:
            c0 = pos if len(text) == len(part) else pos + len(part) - len(part.lstrip())
            empty = not text.strip(BLANK)
            filled += not empty
            parts.append((text, c0, c0 + len(text), empty))
        else:
            parts.append(("", pos, pos, True))
        pos += len(part) + 1
    # Markdown rows start and end with a pipe.
    if sep == "|" and parts[0][3] and raw.lstrip().startswith("|"):
        del parts[0]
    return remember(_SPLITS, (raw, sep), (tuple(parts), filled), 8192)


def _cells(parts: tuple[_Part, ...], base: int) -> list[Cell]:
    return [Cell(text, None, base + s, base + e, empty) for text, s, e, empty in parts]


class _Lines:
    """The document's lines, split once: text, source bounds, and the blocks found so far."""

    __slots__ = ("doc", "text", "starts", "ends", "lines", "blocks", "inline_titles", "s_text", "numeral_lines")

    def __init__(self, doc: Document, inline_titles: tuple[str, ...]) -> None:
        self.doc = doc
        self.text = text = doc.text
        self.starts, self.ends = doc.line_starts, doc.line_ends
        self.lines = [text[s:e] for s, e in zip(self.starts, self.ends)]  # lines[i] is line i + 1
        self.blocks = Blocks()
        self.inline_titles = inline_titles
        shadow = doc.shadow
        # With the identity map, source offsets index the shadow: lines are tested there directly.
        self.s_text = shadow.text if shadow.origin is None else None
        self.numeral_lines: set[int] | None = None

    def span(self, line: int) -> Span:
        return Span(self.starts[line - 1], self.ends[line - 1])

    def table_line(self, line: int, in_tab_run: bool = False) -> tuple[str, tuple[_Part, ...], int] | None:
        """(kind, cells relative to the line, filled cells) when the line is a table row."""
        raw = self.lines[line - 1]
        if "|" in raw:
            return ("pipe", *_split_cells(raw, "|"))
        if "\t" in (raw if in_tab_run else raw.strip()):
            parts, filled = _split_cells(raw, "\t")
            # Inside a tab table, a row with one filled cell (a block heading) still belongs to it.
            if in_tab_run or filled >= 2:
                return "tab", parts, filled
        return None

    def may_hold_inline(self, line: int) -> bool:
        """Whether the line may hold an inline heading: one search of the whole shadow, not one a line."""
        if self.s_text is None:
            return True
        if self.numeral_lines is None:
            starts = self.starts
            self.numeral_lines = {bisect_right(starts, m.start()) for m in _NUMERAL_COMMA.finditer(self.s_text)}
        return line in self.numeral_lines

    def add_text(self, start: int, end: int, line: int) -> None:
        doc, blocks, s_text = self.doc, self.blocks, self.s_text
        # Most lines cannot open with an ordinal: match_heading's own first test, without the call.
        if s_text is None or (first := s_text[start]) in _ORDINAL_START or first.isspace() or first in "?\ufffd":
            h = match_heading(doc, start, end, line)
        else:
            h = None
        if h is not None:
            blocks.headings.append(h)
            t_end = h.title_span.end
            if doc.text[t_end:end].strip(" 。.\t"):
                blocks.paragraphs.append(Paragraph(Span(t_end, end), line))
            start_inline = t_end
        else:
            blocks.paragraphs.append(Paragraph(Span(start, end), line))
            start_inline = start
        if self.inline_titles and end - start > MAX_TITLE and self.may_hold_inline(line):
            blocks.headings.extend(_inline_headings(doc, start_inline, end, line, self.inline_titles))


def split_blocks(
    doc: Document, row_label_keys: frozenset[str] = frozenset(), inline_titles: tuple[str, ...] = ()
) -> Blocks:
    """Find headings, paragraphs and raw tables.

    ``row_label_keys``: folded template row labels, to recognise tables
    flattened one cell per line. ``inline_titles``: folded section titles
    that may occur in running text (pages flattened onto one line).
    """
    ls = _Lines(doc, inline_titles)
    lines, blocks, starts, ends = ls.lines, ls.blocks, ls.starts, ls.ends
    n = len(lines)
    line = 1
    pending: list[tuple[int, str, tuple[_Part, ...], int]] = []  # (line, kind, cells, filled cells)

    def flush_pending() -> None:
        if sum(1 for p in pending if p[3] >= 2) >= 2:
            rows = [
                Row(_cells(parts, starts[ln - 1]), Span(starts[ln - 1], ends[ln - 1]), ln, lines[ln - 1])
                for ln, _, parts, _ in pending
                if not _MD_SEPARATOR.match(lines[ln - 1])
            ]
            if rows:  # a "table" of Markdown separator lines only has no rows
                blocks.tables.append(RawTable(rows, Span(rows[0].span.start, rows[-1].span.end), pending[0][1]))
        else:
            for ln, _, parts, _ in pending:
                base = starts[ln - 1]
                for _, s, e, empty in parts:
                    if not empty:
                        ls.add_text(base + s, base + e, ln)
        pending.clear()

    while line <= n:
        raw = lines[line - 1]
        if not raw.strip(" \t\u3000\u00a0"):
            if pending:
                flush_pending()
            line += 1
            continue
        if "|" in raw or "\t" in raw:
            in_tab = bool(pending) and pending[-1][1] == "tab"
            if not in_tab and "\t" in raw and line < n:
                # A tab row with one filled cell opens a tab table when a real tab row follows.
                nxt = ls.table_line(line + 1)
                in_tab = nxt is not None and nxt[0] == "tab"
            tl = ls.table_line(line, in_tab)
            if tl is not None:
                pending.append((line, *tl))
                line += 1
                continue
        if pending:
            flush_pending()
        # A flattened table starts with a label line followed by a number line.
        if row_label_keys and ((line < n and _numeric_line(lines[line])) or not raw.strip()):
            consumed = _flat_table(ls, line, row_label_keys)
            if consumed:
                line += consumed
                continue
        ls.add_text(starts[line - 1], ends[line - 1], line)
        line += 1
    if pending:
        flush_pending()
    return blocks


# Compiled on first use (re's cache): few reports get past the cheap test below.
_INLINE = r"(?:^|(?<=[\s。;；!！]))\s*([一二三四五六七八九十]{1,2}、)"
_NUMERAL_COMMA = re.compile(r"[一二三四五六七八九十]、")  # what every inline heading holds: a cheap first test


def _inline_headings(doc: Document, start: int, end: int, line: int, titles: tuple[str, ...]) -> list[Heading]:
    """Section headings embedded in running text, e.g. '… 二、主动公开政府信息情况 …'."""
    found: list[Heading] = []
    shadow = doc.shadow
    s_text = shadow.text
    s0, s1 = (start, end) if shadow.origin is None else (shadow.from_source(start), shadow.from_source(end))
    if not _NUMERAL_COMMA.search(s_text, s0, s1):
        return found
    for m in re.compile(_INLINE).finditer(s_text, s0, s1):
        after = s_text[m.end(1) : min(s1, m.end(1) + MAX_TITLE)]
        key = label_key(after)
        title = next((t for t in titles if key.startswith(t)), None)
        if title is None:
            continue
        # Cut the heading where the matched title ends in the source.
        t_start = m.end(1)
        consumed, i = 0, t_start
        while i < s1 and consumed < len(title):
            if label_key(s_text[i]):
                consumed += 1
            i += 1
        src_h = shadow.to_source(m.start(1))
        src_t0, src_t1 = shadow.span_to_source(t_start, i)
        found.append(
            Heading(
                span=Span(src_h, src_t1),
                ordinal=m.group(1),
                style="cn",
                number=cn_number(m.group(1)[:-1]),
                title=doc.text[src_t0:src_t1],
                title_span=Span(src_t0, src_t1),
                line=line,
                inline=True,
            )
        )
    return found


def _numeric_line(text: str) -> bool:
    """A line holding one number (a flattened table's cell)."""
    first = text.lstrip()[:1]
    # Cheap test first: the number (or a sign, or "?" debris) must come first.
    if not first or not (first.isdecimal() or first in "+-?"):
        return False
    return _NUMERIC_LINE.match(text) is not None


def _flat_table(ls: _Lines, line: int, row_label_keys: frozenset[str]) -> int:
    """A table flattened one cell per line: label lines each followed by numbers.

    Returns the number of lines consumed (0 when no such table starts here).
    """
    lines = ls.lines
    n = len(lines)
    rows: list[Row] = []
    ln = line
    while ln <= n:
        text = lines[ln - 1]
        if not text.strip():
            ln += 1
            continue
        # Cheap test first: a flattened row's label is followed by a line holding a number.
        if ln >= n or not _numeric_line(lines[ln]) or label_key(text) not in row_label_keys:
            break
        label_span = ls.span(ln)
        cells = [_trimmed_cell(ls.text, label_span)]
        j = ln + 1
        while j <= n and _numeric_line(lines[j - 1]):
            cells.append(_trimmed_cell(ls.text, ls.span(j)))
            j += 1
        if len(cells) == 1:
            break
        rows.append(Row(cells, Span(label_span.start, cells[-1].span.end), ln))
        ln = j
    if len(rows) < 2:
        return 0
    ls.blocks.tables.append(RawTable(rows, Span(rows[0].span.start, rows[-1].span.end), "flat"))
    return ln - line


def _trimmed_cell(text: str, span: Span) -> Cell:
    raw = text[span.start : span.end]
    left = len(raw) - len(raw.lstrip())
    right = len(raw) - len(raw.rstrip())
    s = Span(span.start + left, span.end - right)
    return Cell(text[s.start : s.end], s)
