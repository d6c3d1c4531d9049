"""Where the tables are: runs of lines made of the templates' table words and numbers.

A drawing of a table, whatever the program, is a run of lines whose text is
made of the template's labels (whole or in pieces) and numbers, between
borders, blank lines and page furniture. Prose ends it. Finding the run
this way does not depend on how the cells are separated, so the lines of a
table are never taken for headings or paragraphs, and the template-guided
reader gets exactly the lines it must read.
"""

from __future__ import annotations

import functools
import itertools
import re

from ..document import Document
from ..memo import remember
from ..normalize import label_key
from ..templates import Knowledge
from .aligned import targets
from .layout import Line, Region, Token, tokenize

_MAX_BRIDGE = 3  # short stray lines (page numbers, running heads) a table may hold
_MIN_LABEL_LINES = 3  # lines with a table word of 4+ characters that make a table
_MIN_CHAR_CELLS = 4  # words of a character or two, each a table word's, on a header line
_PROSE_MARKS = "。；;！"  # not 「?」「？」: web pages leave them for no-break spaces, in cells too


@functools.lru_cache(maxsize=8)
def _vocabulary(knowledge: Knowledge) -> str:
    keys: set[str] = set()
    for t in knowledge.templates.values():
        for spec in t.tables.values():
            keys.update(x.key for x in targets(spec))
    return "\x00".join(sorted(keys))


@functools.lru_cache(maxsize=8)
def _table_vocabularies(knowledge: Knowledge) -> tuple[tuple[str, str], ...]:
    """(table key, its labels' keys joined) for every table of every template."""
    keys: dict[str, set[str]] = {}
    for t in knowledge.templates.values():
        for key, spec in t.tables.items():
            keys.setdefault(key, set()).update(x.key for x in targets(spec))
    return tuple((k, "\x00".join(sorted(v))) for k, v in sorted(keys.items()))


@functools.lru_cache(maxsize=8)
def _section_titles(knowledge: Knowledge) -> tuple[str, ...]:
    """Section titles that are no table's words: a line holding one is a heading, not a table line."""
    vocab = _vocabulary(knowledge)
    return tuple(t for t in knowledge.all_section_titles if len(t) >= 4 and t not in vocab)


_DATE = re.compile(r"\d\s?[年月日]")
_CAPTION = re.compile(r"^#*表[一二三四1-4]")


def _line_text(line: Line) -> str:
    return " ".join(t.text for t in line.tokens)


@functools.lru_cache(maxsize=4096)  # asked of the same words line after line, and per table (_tables_of)
def _words_of(key: str, vocab: str) -> bool:
    """Whether ``key`` is table words run together (a PDF converter drops the spaces between
    cells: 「行政复议行政诉讼」「结果结果其他尚未」): each longest piece found in the vocabulary."""
    if len(key) > 60:
        return False
    i, n = 0, len(key)
    while i < n:
        # The longest piece at i: a prefix of a piece in the vocabulary is in it too, so the
        # pieces found shrink to none as they lengthen, and halving finds where.
        lo, hi = i + 1, n
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if key[i:mid] in vocab:
                lo = mid
            else:
                hi = mid - 1
        if lo == i + 1:
            return False  # single characters do not make table words
        i = lo
    return True


def _classify(line: Line, vocab: str, titles: tuple[str, ...]) -> str:
    """table | word (a short table word alone) | data | stray | prose | blank"""
    if line.kind in ("blank", "rule"):
        return "blank"
    if line.kind == "nil":
        return "data"  # an empty cell (trailing ones belong to the table too)
    texts = [t for t in line.tokens if t.kind == "text"]
    # Words, not tokens: dense layouts keep one space between the columns' words.
    keys = [k for t in texts for w in t.text.split() if (k := label_key(w))]
    joined = "\x00".join(keys)
    if any(title in joined for title in titles):
        # A caption naming the table (「表二：主动公开政府信息情况」) does not end it.
        return "stray" if _CAPTION.match("".join(keys)) else "prose"
    if all(k in vocab or _words_of(k, vocab) for k in keys):
        if any(len(k) >= 4 for k in keys) or len(keys) >= 2:
            return "table"
        return "data" if line.kind == "data" else "word"
    if keys and all(len(k) <= 2 and all(ch in vocab for ch in k) for k in keys):
        # A header a character a line in narrow columns, whose neighbouring cells' characters
        # pdftotext may run together (「维 纠 结 审结 结 其尚」 of 表四 after a page break; 「公服」
        # 「益务」, 社会公益组织 beside 法律服务机构, a line each).
        return "table" if len(keys) >= _MIN_CHAR_CELLS else "word"
    raw = "".join(t.text for t in texts)
    if any(m in raw for m in _PROSE_MARKS) or len(raw) > 40:
        return "prose"
    if _DATE.search("".join(t.text for t in line.tokens)) or _DATE.search(_line_text(line)):
        return "prose"  # 「2024 年」: a sentence's date, not a cell's number
    if line.kind == "data":
        return "data"
    return "stray"


def find_regions(doc: Document, knowledge: Knowledge) -> list[Region]:
    """The table regions of ``doc``, in order."""
    embedded: list[Region] = []
    if "<table" in doc.text or "<TABLE" in doc.text:  # (html_regions' own test: its module only then)
        from .htmltables import html_regions

        embedded = html_regions(doc)
    found = _rejoin(doc, knowledge, _line_regions(doc, knowledge, [(r.first, r.last) for r in embedded]))
    found = _late_figures(doc, knowledge, found)
    vocabs = _table_vocabularies(knowledge)
    found = _header_before_heading(doc, [part for r in found for part in _split_tables(r, vocabs)], vocabs)
    return sorted(embedded + found, key=lambda r: r.first)


def _header_before_heading(doc: Document, regions: list[Region], vocabs: tuple[tuple[str, str], ...]) -> list[Region]:
    """A table's labels without a figure, then its section's heading, then the rest of it: plain
    pdftotext of Chromium's PDF may print the first header cells of a table before the heading
    (表四's 行政诉讼, 未经复议直接起诉 … before 四、…). The two are one region."""
    out: list[Region] = []
    for b in regions:
        a = out[-1] if out else None
        if (
            a is not None
            and not a.more
            and not b.more
            and not any(t.kind == "num" for ln in a.lines for t in ln.tokens)
            and (owner := _owner(a, vocabs)) is not None
            and owner == _owner(b, vocabs)
        ):
            gap = [n for n in range(a.last + 1, b.first) if doc.line_text(n).strip()]
            if len(gap) <= _MAX_CUT and all(len(doc.line_text(n).strip()) <= _MAX_CUT_WIDTH for n in gap):
                a.lines = a.lines + b.lines
                a.more.append((b.first, b.last))
                a.__dict__.pop("keys", None)
                continue
        out.append(b)
    return out


_MIN_OWN_LINES = 3  # lines of one table's labels alone on each side of a cut between two tables


def _split_tables(region: Region, vocabs: tuple[tuple[str, str], ...]) -> list[Region]:
    """A region that is two tables one after the other, with no heading between them: plain
    pdftotext of Chromium's PDF may print the next section's heading before the table of this
    one (二、…, 三、…, then 表二 and 表三). Cut where the lines of one table's labels alone give way
    for good to another's, before the text lines of the second that lead up to them."""
    if region.more:
        return [region]
    owners = [_tables_of(line, vocabs) for line in region.lines]
    own = [(i, next(iter(t))) for i, t in enumerate(owners) if len(t) == 1]
    if len(own) < 2 * _MIN_OWN_LINES:
        return [region]
    cut = next((k for k in range(1, len(own)) if own[k][1] != own[0][1]), None)
    if cut is None or cut < _MIN_OWN_LINES or len(own) - cut < _MIN_OWN_LINES:
        return [region]
    second = own[cut][1]
    if any(name != second for _, name in own[cut:]):
        return [region]
    i = own[cut][0]
    while (
        i > own[cut - 1][0] + 1
        and second in owners[i - 1]
        and not any(t.kind == "num" for t in region.lines[i - 1].tokens)
    ):
        i -= 1
    head, tail = region.lines[:i], region.lines[i:]
    while head and head[-1].kind in ("blank", "rule"):
        head = head[:-1]
    while tail and tail[0].kind in ("blank", "rule"):
        tail = tail[1:]
    if not head or not tail:
        return [region]
    return [Region(head[0].number, head[-1].number, head), Region(tail[0].number, tail[-1].number, tail)]


_MAX_CUT = 3  # non-blank lines (a heading, a running title) that may cut a table in two
_MAX_CUT_WIDTH = 60  # ... each no longer than a heading


def _tables_of(line: Line, vocabs: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The tables whose labels the line's text is made of (empty for a line without text)."""
    words = " ".join(t.text for t in line.tokens if t.kind == "text")
    return _tables_of_words(words, vocabs)


@functools.lru_cache(maxsize=4096)  # a region's lines are asked again per region pair (_owner), and recur
def _tables_of_words(words: str, vocabs: tuple[tuple[str, str], ...]) -> frozenset[str]:
    keys = [k for w in words.split() if (k := label_key(w))]
    if not keys:
        return frozenset()
    return frozenset(name for name, vocab in vocabs if all(k in vocab or _words_of(k, vocab) for k in keys))


def _rejoin(doc: Document, knowledge: Knowledge, regions: list[Region]) -> list[Region]:
    """Give a table back the cells a heading cut off it. Chromium's PDF, through plain pdftotext,
    prints the last cells of a page's table after the next section's heading (and its running
    title); they open the next region, before any label of that region's own table. Lines made
    only of the first table's labels, and numbers, up to the first text of another table, are
    moved to the first table's region (the heading stays the heading); numbers alone only when
    the first table ends in labels still waiting for theirs. The first table may be labels alone:
    its page's figures all printed after the heading."""
    from .furniture import furniture_lines

    if len(regions) < 2:
        return regions
    vocabs = _table_vocabularies(knowledge)
    furniture = furniture_lines(doc)
    out = [regions[0]]
    for b in regions[1:]:
        a = out[-1]
        owner = _owner(a, vocabs)
        end = max(last for _, last in a.bounds)
        gap = [n for n in range(end + 1, b.first) if n not in furniture and doc.line_text(n).strip()]
        if owner is None or len(gap) > _MAX_CUT or any(len(doc.line_text(n).strip()) > _MAX_CUT_WIDTH for n in gap):
            out.append(b)
            continue
        k, texts = 0, 0
        owners = [_tables_of(line, vocabs) for line in b.lines]
        for n, tables in enumerate(owners):
            if tables and (owner not in tables or (len(tables) > 1 and len(label_key(_line_text(b.lines[n]))) < 2)):
                # A character alone, of this table's labels and another's (「结」 of 表四's 结果),
                # is the other's — unless the next text of one table's is this one's (「量」 of
                # 处理决定数量, then 「数量」, 「行政处罚 187」: 表二's last blocks after 三、's heading).
                after = next((t for t in owners[n + 1 :] if len(t) == 1), frozenset())
                if owner not in tables or after != {owner}:
                    break
            texts += bool(tables)
            k += 1
        while k and b.lines[k - 1].kind in ("blank", "rule"):
            k -= 1
        if not k or not (texts or _ends_in_labels(a)):
            out.append(b)
            continue
        moved = b.lines[:k]
        a.lines = a.lines + moved
        a.more.append((b.first, moved[-1].number))
        rest = b.lines[k:]
        while rest and rest[0].kind in ("blank", "rule"):
            rest = rest[1:]
        if rest:
            b.lines, b.first = rest, rest[0].number
            b.__dict__.pop("keys", None)
            out.append(b)
    return out


@functools.lru_cache(maxsize=8)
def _cell_counts(knowledge: Knowledge) -> dict[str, frozenset[int]]:
    """Table key -> how many figures a whole table holds, in each template (表三: 23 or 25 rows of
    7); only tables of counts in rows and columns (表三, 表四), not 表二's blocks."""
    out: dict[str, set[int]] = {}
    for t in knowledge.templates.values():
        for key, spec in t.tables.items():
            if spec.kind != "grid":
                continue
            rows = 1 if spec.single_row else len(spec.rows)
            for n in {len(spec.columns), len(spec.columns) - len(spec.optional_columns)}:
                out.setdefault(key, set()).add(rows * n)
    return {k: frozenset(v) for k, v in out.items()}


def _late_figures(doc: Document, knowledge: Knowledge, regions: list[Region]) -> list[Region]:
    """A table's last figures printed after the next section's heading, before its prose
    (LibreOffice's PDF in plain pdftotext: 表四's row, six figures, then 五、…, then the other
    nine): the lines of figures alone there are the table's when, with those it has, they are
    exactly as many as the template's table holds."""
    from .furniture import furniture_lines

    counts = _cell_counts(knowledge)
    vocabs = _table_vocabularies(knowledge)
    furniture = furniture_lines(doc)
    for k, a in enumerate(regions):
        limit = regions[k + 1].first if k + 1 < len(regions) else doc.line_count + 1
        gap, first, last, figures = 0, 0, 0, 0
        for n in range(max(end for _, end in a.bounds) + 1, limit):
            text = doc.line_text(n).strip()
            if not text or n in furniture:
                continue
            if all(part.replace(",", "").isdecimal() for part in text.split()):
                first, last, figures = first or n, n, figures + len(text.split())
            elif first or gap == _MAX_CUT or len(text) > _MAX_CUT_WIDTH or "。" in text:
                break  # (past a sentence, figures are no table's cut-off end)
            else:
                gap += 1  # the heading (and a running title) between
        if not figures or not gap:
            continue
        owner = _owner(a, vocabs)
        have = sum(1 for ln in a.lines for t in ln.tokens if t.kind == "num")
        if owner not in counts or not have or have in counts[owner] or have + figures not in counts[owner]:
            continue
        a.lines = a.lines + [tokenize(doc.line_text(n), doc.line_span(n).start, n) for n in range(first, last + 1)]
        a.more.append((first, last))
        a.__dict__.pop("keys", None)
    return regions


_PARAGRAPH_SHARE = 0.6  # of the gaps beside a number that are one blank line, in a paragraph-per-cell drawing


def _paragraph_cells(doc: Document, regions: list[Region], furniture: frozenset[int]) -> None:
    """Empty cells of tables drawn one cell per paragraph (``lynx -dump``): cells are separated by
    one blank line, and an empty cell is one more blank line, trailing ones included. Those extra
    blank lines become empty cells, as a no-break-space line is in other dumps. Only where the
    drawing proves it, in every table of the document: every line one cell, a number always a
    paragraph of its own (never right under a label, as plain pdftotext prints them), most gaps
    beside a number one blank line, and no page furniture in a table (a page break's blank lines
    are no cells)."""
    gaps: list[int] = []
    for region in regions:
        if any(region.first <= n <= region.last for n in furniture):
            return
        cells = [ln for ln in region.lines if ln.kind not in ("blank", "rule")]
        if any(ln.kind == "nil" or len(ln.tokens) != 1 for ln in cells) or any(
            ln.kind == "rule" for ln in region.lines
        ):
            return
        gaps += [
            b.number - a.number - 1
            for a, b in itertools.pairwise(cells)
            if a.tokens[0].kind == "num" or b.tokens[0].kind == "num"
        ]
        if cells and cells[-1].tokens[0].kind == "num":
            gaps.append(_trailing_blanks(doc, region.last, furniture))
    if len(gaps) < 8 or min(gaps) == 0 or sum(g == 1 for g in gaps) < _PARAGRAPH_SHARE * len(gaps) or max(gaps) < 2:
        return
    for region in regions:
        out: list[Line] = []
        previous = 0
        for ln in region.lines:
            if ln.kind == "blank":
                if previous and ln.number - previous >= 2:
                    out.append(_nil(doc, ln.number))  # the gap's second blank line on: empty cells
                    continue
            else:
                previous = ln.number
            out.append(ln)
        if out[-1].tokens and out[-1].tokens[0].kind == "num":
            trailing = _trailing_blanks(doc, region.last, furniture)
            out.extend(_nil(doc, n) for n in range(region.last + 2, region.last + 1 + trailing))
            if trailing >= 2:
                region.last += trailing
        region.lines = out


def _trailing_blanks(doc: Document, last: int, furniture: frozenset[int]) -> int:
    """Blank lines after line ``last`` before the next text (0 at the document's end or at furniture)."""
    n = last + 1
    while n <= len(doc.line_starts) and not doc.line_text(n).strip():
        if n in furniture:
            return 0
        n += 1
    return 0 if n > len(doc.line_starts) else n - last - 1


def _nil(doc: Document, n: int) -> Line:
    """An empty cell on blank line ``n``: its span is the line's break, so that the table spans it."""
    at = doc.line_starts[n - 1]
    return Line(n, [Token("nil", "", at, min(at + 1, len(doc.text)), n, 0, 1, 0, 0)], "nil", False)


def _ends_in_labels(region: Region) -> bool:
    """Whether text follows the region's last number (a row still waiting for its numbers)."""
    for line in reversed(region.lines):
        for t in reversed(line.tokens):
            if t.kind == "num":
                return False
            if t.kind == "text":
                return True
    return False


def _owner(region: Region, vocabs: tuple[tuple[str, str], ...]) -> str | None:
    """The table most of the region's lines are words of alone."""
    counts: dict[str, int] = {}
    for line in region.lines:
        tables = _tables_of(line, vocabs)
        if len(tables) == 1:
            name = next(iter(tables))
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


# What each line text is (``_classify``), per vocabulary (and its section titles).
_KINDS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {}


def _line_regions(doc: Document, knowledge: Knowledge, skip: list[tuple[int, int]]) -> list[Region]:
    from .furniture import furniture_lines

    furniture = furniture_lines(doc)  # page numbers and running heads between a table's rows
    vocab = _vocabulary(knowledge)
    titles = _section_titles(knowledge)
    entry = _KINDS.get(vocab)
    if entry is None or entry[0] is not titles:
        entry = remember(_KINDS, vocab, (titles, {}))
    known = entry[1]
    text, starts, ends = doc.text, doc.line_starts, doc.line_ends
    regions: list[Region] = []
    cur: list[Line] = []
    kinds: list[str] = []

    def close() -> None:
        # Trim what is not table at both ends.
        while kinds and kinds[-1] in ("blank", "stray"):
            kinds.pop()
            cur.pop()
        i = 0
        while i < len(kinds) and kinds[i] in ("blank", "stray"):
            i += 1
        lines, ks = cur[i:], kinds[i:]
        label_lines = sum(1 for k in ks if k == "table")
        words = sum(1 for k in ks if k == "word")
        # A run without numbers is a table too: its cells left blank, or its figures printed
        # elsewhere (after the next heading, by plain pdftotext: ``_rejoin``, the reader).
        if label_lines >= _MIN_LABEL_LINES or label_lines + words // 3 >= _MIN_LABEL_LINES:
            regions.append(Region(lines[0].number, lines[-1].number, list(lines)))
        cur.clear()
        kinds.clear()

    stray_run = 0
    for n in range(1, len(starts) + 1):
        s, e = starts[n - 1], ends[n - 1]
        raw = text[s:e]
        if skip and any(a <= n <= b for a, b in skip):
            if cur:
                close()
            continue
        line: Line | None
        if n in furniture:
            kind = "blank"
            line = Line(n, [], "blank", False)
        elif len(raw) > 2000 or "。" in raw or "；" in raw:  # prose, without tokenizing it
            kind = "prose"
            line = Line(n, [], "text", False)
        else:
            # What a line is depends on its text alone: worked out once per text (see tokenize).
            line = None
            kind = known.get(raw, "")
            if not kind:
                line = tokenize(raw, s, n)
                kind = _classify(line, vocab, titles)
                if len(raw) <= 400:
                    remember(known, raw, kind)
        if kind == "prose":
            if cur:
                close()
            stray_run = 0
            continue
        if not cur and kind in ("blank", "stray"):
            continue
        stray_run = stray_run + 1 if kind == "stray" else 0
        if stray_run > _MAX_BRIDGE:
            close()
            stray_run = 0
            continue
        cur.append(line or tokenize(raw, s, n))
        kinds.append(kind)
    if cur:
        close()
    _paragraph_cells(doc, [r for r in regions if any(ln.kind == "data" for ln in r.lines)], furniture)
    return regions
