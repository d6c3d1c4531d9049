"""Split a document into headings, paragraphs and raw tables, line by line.

Tables come in three shapes in text: pipe-separated rows (web pages copied
as text), tab-separated rows (Word/Excel copied as text), and rows
flattened one cell per line (a label line followed by number lines).
"""
from __future__ import annotations

import re

from ..diagnostics import Span
from ..document import Blocks, Cell, Document, Heading, Paragraph, RawTable, Row
from ..normalize import label_key

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Patterns run on the shadow (full-width brackets already folded to ASCII).
_LEAD = re.compile(r"^[\s?\ufffd]*")
_HEADING_PATTERNS = (
    ("cn", re.compile(r"([一二三四五六七八九十]{1,3})\s*、\s*")),
    ("paren-cn", re.compile(r"\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*")),
    ("paren-num", re.compile(r"\(\s*(\d{1,2})\s*\)\s*")),
    ("num-dot", re.compile(r"(\d{1,2})\s*\.(?![\d.])\s*")),
    ("num-comma", re.compile(r"(\d{1,2})\s*、\s*")),
)
_ORDINAL_START = frozenset("一二三四五六七八九十(0123456789")
_TITLE_END = re.compile(r"[。;:!?；：！？]|(?<=\S{2})\s")
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
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    total = 0
    for ch in s:
        total = total * 10 + _CN_DIGITS.get(ch, 0)
    return total


def match_heading(doc: Document, start: int, end: int, line: int, inline: bool = False) -> Heading | None:
    """Recognise a numbered heading at source offsets [start, end)."""
    shadow = doc.shadow
    s_text = shadow.text
    # The shadow is one-to-one with the source except after NFC composition;
    # headings are matched on the shadow and mapped back.
    s_start, s_end = shadow.from_source(start), shadow.from_source(end)
    text = s_text[s_start:s_end]
    lead = _LEAD.match(text).end()
    if lead >= len(text) or text[lead] not in _ORDINAL_START:
        return None  # most lines: not even the first character of an ordinal
    body = text[lead:]
    for style, pat in _HEADING_PATTERNS:
        m = pat.match(body)
        if not m:
            continue
        rest = body[m.end():]
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
            span=Span(src_h, src_t1),
            ordinal=ordinal,
            style=style,
            number=cn_number(m.group(1)),
            title=title,
            title_span=Span(src_t0, src_t1),
            line=line,
            inline=inline,
        )
    return None


def _split_cells(doc: Document, start: int, end: int, sep: str) -> list[Cell]:
    text = doc.text
    cells: list[Cell] = []
    pos = start
    while True:
        nxt = text.find(sep, pos, end)
        c_end = end if nxt == -1 else nxt
        raw = text[pos:c_end]
        l_strip = len(raw) - len(raw.lstrip())
        r_strip = len(raw) - len(raw.rstrip())
        c0, c1 = pos + l_strip, c_end - r_strip
        if c1 < c0:
            c0 = c1 = pos
        cells.append(Cell(text[c0:c1], Span(c0, c1)))
        if nxt == -1:
            break
        pos = nxt + 1
    return cells


def _table_line(doc: Document, line: int, in_tab_run: bool = False) -> tuple[str, list[Cell]] | None:
    span = doc.line_span(line)
    text = doc.text[span.start:span.end]
    if "|" in text:
        cells = _split_cells(doc, span.start, span.end, "|")
        # Markdown rows start and end with a pipe.
        if cells and cells[0].empty and text.lstrip().startswith("|"):
            cells = cells[1:]
        return "pipe", cells
    if "\t" in (text if in_tab_run else text.strip()):
        cells = _split_cells(doc, span.start, span.end, "\t")
        # Inside a tab table, a row with one filled cell (a block heading) still belongs to it.
        if in_tab_run or sum(1 for c in cells if not c.empty) >= 2:
            return "tab", cells
    return None


def split_blocks(doc: Document, row_label_keys: frozenset[str] = frozenset(), inline_titles: tuple[str, ...] = ()) -> Blocks:
    """Find headings, paragraphs and raw tables.

    ``row_label_keys``: folded template row labels, to recognise tables
    flattened one cell per line. ``inline_titles``: folded section titles
    that may occur in running text (pages flattened onto one line).
    """
    blocks = Blocks()
    n = doc.line_count
    line = 1
    pending: list[tuple[int, str, list[Cell]]] = []

    def flush_pending() -> None:
        if not pending:
            return
        real = [p for p in pending if sum(1 for c in p[2] if not c.empty) >= 2]
        if len(real) >= 2:
            rows = [Row([c for c in cells], doc.line_span(ln), ln) for ln, _, cells in pending
                    if not _MD_SEPARATOR.match(doc.line_text(ln))]
            blocks.tables.append(RawTable(rows, Span(rows[0].span.start, rows[-1].span.end), pending[0][1]))
        else:
            for ln, _, cells in pending:
                for c in cells:
                    if not c.empty:
                        _add_text(doc, blocks, c.span, ln, inline_titles)
        pending.clear()

    while line <= n:
        span = doc.line_span(line)
        raw = doc.text[span.start:span.end]
        if not raw.strip(" \t\u3000\u00a0"):
            flush_pending()
            line += 1
            continue
        in_tab = bool(pending) and pending[-1][1] == "tab"
        if not in_tab and "\t" in raw and line < n:
            # A tab row with one filled cell opens a tab table when a real tab row follows.
            nxt = _table_line(doc, line + 1)
            in_tab = nxt is not None and nxt[0] == "tab"
        tl = _table_line(doc, line, in_tab)
        if tl is not None:
            pending.append((line, tl[0], tl[1]))
            line += 1
            continue
        flush_pending()
        if row_label_keys:
            consumed = _flat_table(doc, line, row_label_keys, blocks)
            if consumed:
                line += consumed
                continue
        _add_text(doc, blocks, span, line, inline_titles)
        line += 1
    flush_pending()
    return blocks


def _add_text(doc: Document, blocks: Blocks, span: Span, line: int, inline_titles: tuple[str, ...]) -> None:
    h = match_heading(doc, span.start, span.end, line)
    if h is not None:
        blocks.headings.append(h)
        rest = Span(h.title_span.end, span.end)
        if doc.text[rest.start:rest.end].strip(" 。.\t"):
            blocks.paragraphs.append(Paragraph(rest, line))
        start_inline = h.title_span.end
    else:
        blocks.paragraphs.append(Paragraph(span, line))
        start_inline = span.start
    if inline_titles and span.end - span.start > MAX_TITLE:
        for ih in _inline_headings(doc, start_inline, span.end, line, inline_titles):
            blocks.headings.append(ih)


_INLINE = re.compile(r"(?:^|(?<=[\s。;；!！]))\s*([一二三四五六七八九十]{1,2}、)")


def _inline_headings(doc: Document, start: int, end: int, line: int, titles: tuple[str, ...]) -> list[Heading]:
    """Section headings embedded in running text, e.g. '… 二、主动公开政府信息情况 …'."""
    found = []
    s_text = doc.shadow.text
    s0, s1 = doc.shadow.from_source(start), doc.shadow.from_source(end)
    for m in _INLINE.finditer(s_text, s0, s1):
        after = s_text[m.end(1): min(s1, m.end(1) + MAX_TITLE)]
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
        src_h = doc.shadow.to_source(m.start(1))
        src_t0, src_t1 = doc.shadow.span_to_source(t_start, i)
        found.append(Heading(
            span=Span(src_h, src_t1), ordinal=m.group(1), style="cn",
            number=cn_number(m.group(1)[:-1]), title=doc.text[src_t0:src_t1],
            title_span=Span(src_t0, src_t1), line=line, inline=True,
        ))
    return found


def _flat_table(doc: Document, line: int, row_label_keys: frozenset[str], blocks: Blocks) -> int:
    """A table flattened one cell per line: label lines each followed by numbers.

    Returns the number of lines consumed (0 when no such table starts here).
    """
    n = doc.line_count
    rows: list[Row] = []
    ln = line
    while ln <= n:
        text = doc.line_text(ln)
        if not text.strip():
            ln += 1
            continue
        # Cheap test first: a flattened row's label is followed by a line holding a number.
        if ln >= n or not _NUMERIC_LINE.match(doc.line_text(ln + 1)) or label_key(text) not in row_label_keys:
            break
        label_span = doc.line_span(ln)
        cells = [_trimmed_cell(doc, label_span)]
        j = ln + 1
        while j <= n and _NUMERIC_LINE.match(doc.line_text(j)):
            cells.append(_trimmed_cell(doc, doc.line_span(j)))
            j += 1
        if len(cells) == 1:
            break
        rows.append(Row(cells, Span(label_span.start, cells[-1].span.end), ln))
        ln = j
    if len(rows) < 2:
        return 0
    blocks.tables.append(RawTable(rows, Span(rows[0].span.start, rows[-1].span.end), "flat"))
    return ln - line


def _trimmed_cell(doc: Document, span: Span) -> Cell:
    raw = doc.text[span.start:span.end]
    left = len(raw) - len(raw.lstrip())
    right = len(raw) - len(raw.rstrip())
    s = Span(span.start + left, span.end - right)
    return Cell(doc.text[s.start:s.end], s)
