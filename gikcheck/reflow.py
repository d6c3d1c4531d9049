"""The prose view: the shadow with the lines a layout wrapped joined back into paragraphs.

PDF text, w3m/lynx dumps and fixed-width pastes break sentences at the page's
right margin and scatter page numbers and running headers between them. Prose
rules (brackets and quotes, blanks, dates, keywords, repeated phrases, figures)
read the ``ProseView`` instead of the shadow: a line that ends without sentence
punctuation and is followed by a line continuing the sentence is joined to it,
page furniture (gikcheck.parsing.furniture) is left out, and every character
still maps back to the source. Headings and table rows are never joined.

``prose_view(report)`` builds the view once per report, when a rule first asks.
"""

from __future__ import annotations

import re

from . import TYPE_CHECKING
from .diagnostics import Span
from .document import Blocks, Document
from .memo import once
from .normalize import Shadow, ascending, offsets
from .parsing.furniture import furniture_lines
from .parsing.layout import text_width

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

# On the shadow, where full-width marks are folded to ASCII: what ends a sentence, what may
# close it after that, what cannot end a line that is not wrapped, and what cannot open a sentence.
_TERMINAL = frozenset("。!?;:.…")
_CLOSERS = "”’」』)》】〕\"'"
_OPEN_END = frozenset("(《“‘「『【〔,、")
_CONTINUE_START = frozenset(",、。)》”’」』】〕;:!?%")
# A line with columns laid out by spaces is a table row, not prose.
_COLUMNS = re.compile(r"\S(?: {3,}|\t)\S")
# How wide a wrapped line is, relative to the page's text width, at the least.
_FULL = 0.8
_MIN_WRAPS = 3
_MIN_WIDTH = 20


class ProseView(Shadow):
    """The shadow text with wrapped lines joined and page furniture left out.

    ``origin`` maps each character to its source offset (None: the view is the shadow
    itself and the shadow is the identity). ``joins`` counts the lines joined.
    """

    __slots__ = ("joins",)

    def __init__(self, text: str, origin: Sequence[int] | None, joins: int = 0) -> None:
        super().__init__(text, origin)
        self.joins = joins

    def span(self, start: int, end: int) -> Span:
        """The source span of view offsets [start, end)."""
        return Span(*self.span_to_source(start, end))


def prose_view(report: Any) -> ProseView:
    """The report's prose view, built on first use and kept on the report."""
    return once(report, _report_view)


def _report_view(report: Any) -> ProseView:
    return build_view(report.doc, report.blocks)


def _width(s: str) -> int:
    """Display width in columns: wide and full-width characters count two."""
    if s.isascii():
        return len(s.expandtabs(8))
    return text_width(s)


def _terminal(line: str) -> bool:
    s = line.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in _TERMINAL


def _line_kinds(doc: Document, blocks: Blocks, furniture: frozenset[int]) -> list[str]:
    """Per line (index 0 = line 1): blank | furniture | table | heading (nothing after its
    title) | headtext (a heading with text after it) | columns | prose."""
    n = doc.line_count
    kinds = ["prose"] * n
    text = doc.text
    spans = [(doc.line_of(t.span.start), doc.line_of(max(t.span.start, t.span.end - 1))) for t in blocks.tables]
    for first, last in spans + blocks.regions:
        for ln in range(first, last + 1):
            kinds[ln - 1] = "table"
    for h in blocks.headings:
        if h.inline or not 0 < h.line <= n or kinds[h.line - 1] == "table":
            continue
        rest = text[h.title_span.end : doc.line_ends[h.line - 1]]
        kinds[h.line - 1] = "headtext" if rest.strip(" 。.\t") else "heading"
    for i, (s, e) in enumerate(zip(doc.line_starts, doc.line_ends)):
        if i + 1 in furniture:
            kinds[i] = "furniture"
        elif not text[s:e].strip():
            kinds[i] = "blank"
        elif (
            kinds[i] == "prose"
            # (a match holds three spaces or a tab: most lines have neither, told without the pattern)
            and (text.find("   ", s, e) != -1 or text.find("\t", s, e) != -1)
            and _COLUMNS.search(text, s, e)
            and _COLUMNS.search(text[s:e].strip())
        ):
            kinds[i] = "columns"
    return kinds


def _page_breaks(doc: Document) -> set[int]:
    """1-based lines that open a new page (a form feed, or a new page in the PDF reader's origins)."""
    out = {doc.line_of(m.start()) for m in re.finditer("\f", doc.text)}
    if doc.origins:
        prev = 0
        for i, o in enumerate(doc.origins[: doc.line_count], 1):
            page = o.page if o is not None else 0
            if page and prev and page != prev:
                out.add(i)
            if page:
                prev = page
    return out


def _line_spacing(kinds: list[str], lines: list[str]) -> int:
    """How many blank lines stand between a prose line and the line it wraps onto: 0, or 1 or 2
    in a PDF's text laid out by ``pdftotext -layout`` (a fixed line height of 28 pt, as reports
    set it, is one blank line at 五号 and two at 小五). Only lines that leave a sentence open count
    (wraps): a signature's lines follow each other in a spaced text too, and one-line paragraphs
    a blank line apart are no spacing."""
    gaps = [0, 0, 0]
    for i, kind in enumerate(kinds):
        if kind not in ("prose", "headtext") or _terminal(lines[i]):
            continue
        j = i + 1
        while j < len(kinds) and j - i <= len(gaps) and kinds[j] == "blank":
            j += 1
        if j - i <= len(gaps) and j < len(kinds) and kinds[j] == "prose":
            gaps[j - i - 1] += 1
    spacing = max(range(len(gaps)), key=lambda g: (gaps[g], -g))
    if spacing and gaps[spacing] >= _MIN_WRAPS and gaps[spacing] > 3 * sum(gaps[:spacing]):
        return spacing
    return 0


def build_view(doc: Document, blocks: Blocks) -> ProseView:
    """Join the lines a layout wrapped; leave out page furniture."""
    shadow = doc.shadow
    furniture = furniture_lines(doc)
    s_text = shadow.text
    if not furniture and "\n" not in s_text:
        return ProseView(s_text, shadow.origin)
    kinds = _line_kinds(doc, blocks, furniture)
    breaks = _page_breaks(doc)
    lines = [doc.text[s:e] for s, e in zip(doc.line_starts, doc.line_ends)]

    # Pairs (a, b) of consecutive prose lines, with only blank lines and furniture between them,
    # and whether the gap is layout (furniture or a page break) rather than a paragraph break.
    pairs: list[tuple[int, int, bool]] = []
    spacing = _line_spacing(kinds, lines)
    # A PDF's -layout text puts a blank line in a paragraph now and then where its line height
    # rounds up (四号 at 28 pt): one blank line may be spacing there too, the indent and the width
    # telling a paragraph's start.
    spacing = spacing or (1 if "\f" in doc.text else 0)
    prev = -1
    gap_layout = False
    gap_blank = 0
    for i, kind in enumerate(kinds):
        if kind == "furniture" or (i + 1) in breaks:
            gap_layout = True
        if kind in ("furniture", "blank"):
            gap_blank += kind == "blank"
            continue
        # In a spaced dump (pdftotext -layout) one or two blank lines are line spacing, not a paragraph break.
        if prev >= 0 and (gap_blank <= spacing or gap_layout):
            pairs.append((prev, i, gap_layout))
        prev, gap_layout, gap_blank = i, False, 0

    def joinable_end(a: int) -> bool:
        return kinds[a] in ("prose", "headtext") and not _terminal(lines[a])

    # The page's text width: what most lines that end mid-sentence fill.
    widths = sorted(_width(lines[a].rstrip()) for a, b, _ in pairs if joinable_end(a) and kinds[b] == "prose")
    full = 0
    if len(widths) >= _MIN_WRAPS:
        w = widths[(3 * len(widths)) // 4]
        if w >= _MIN_WIDTH and sum(1 for x in widths if x >= _FULL * w) >= _MIN_WRAPS:
            full = w

    joined: set[int] = set()  # a in joined: line a + 1 (0-based a) continues on the next kept line
    for a, b, layout in pairs:
        if kinds[b] != "prose" or not joinable_end(a):
            continue
        la, lb = lines[a], lines[b]
        indent_a = _width(la[: len(la) - len(la.lstrip())].replace("\f", ""))
        indent_b = _width(lb[: len(lb) - len(lb.lstrip())].replace("\f", ""))
        if indent_b > indent_a and indent_b >= 2:
            continue  # an indented line opens a paragraph
        last, first = la.rstrip()[-1:], lb.lstrip(" \t\f\u3000")[:1]
        last_s = _fold_char(last)
        first_s = _fold_char(first)
        # A sentence left open at the foot of a page goes on at the top of the next, whatever the width.
        if (
            last_s in _OPEN_END
            or first_s in _CONTINUE_START
            or layout
            or (full and _width(la.rstrip()) >= _FULL * full)
        ):
            joined.add(a)
    dropped = {i for i, k in enumerate(kinds) if k == "furniture"}
    if not joined and not dropped and "\f" not in s_text:
        return ProseView(s_text, shadow.origin)
    return _assemble(doc, kinds, pairs, joined, dropped)


def _fold_char(c: str) -> str:
    if not c:
        return c
    o = ord(c)
    return chr(o - 0xFEE0) if 0xFF01 <= o <= 0xFF5E else c


def _assemble(
    doc: Document, kinds: list[str], pairs: list[tuple[int, int, bool]], joined: set[int], dropped: set[int]
) -> ProseView:
    shadow = doc.shadow
    s_text = shadow.text
    to_shadow = shadow.from_source
    nxt = {a: b for a, b, _ in pairs if a in joined}
    skip: set[int] = set(dropped)
    for a, b in nxt.items():
        # Blank lines and furniture between a joined pair are layout: left out with them.
        skip.update(i for i in range(a + 1, b))
    pieces: list[str] = []
    origins: list[Any] = []
    starts, ends = doc.line_starts, doc.line_ends
    n_lines = len(kinds)
    cont = False  # the current line continues the previous one
    src_len = len(doc.text)

    def add(s0: int, s1: int) -> None:
        if s1 <= s0:
            return
        chunk = s_text[s0:s1]
        if "\f" in chunk:  # a form feed is page layout, never text
            for part_start, part in _split_ff(chunk, s0):
                add_plain(part_start, part_start + len(part))
            return
        add_plain(s0, s1)

    def add_plain(s0: int, s1: int) -> None:
        if s1 <= s0:
            return
        pieces.append(s_text[s0:s1])
        origins.append(ascending(s0, s1) if shadow.origin is None else shadow.origin[s0:s1])

    joins = 0
    for i in range(n_lines):
        if i in skip:
            continue
        s0, s1 = to_shadow(starts[i]), to_shadow(ends[i])
        if cont:
            while s0 < s1 and s_text[s0] in " \t\f":
                s0 += 1
        if i in joined:
            while s1 > s0 and s_text[s1 - 1] in " \t":
                s1 -= 1
            add(s0, s1)
            b = nxt[i]
            b0 = to_shadow(starts[b])
            first = s_text[b0 : to_shadow(ends[b])].lstrip(" \t\f")[:1]
            if (
                s1 > s0
                and s_text[s1 - 1].isascii()
                and s_text[s1 - 1].isalpha()
                and first.isascii()
                and first.isalpha()
            ):
                pieces.append(" ")  # two words of a Latin text broken at the margin (a number is one)
                origins.append((ends[i],))
            cont = True
            joins += 1
            continue
        add(s0, s1)
        cont = False
        if i + 1 < n_lines:
            pieces.append("\n")
            origins.append((ends[i],))  # the line break
    text = "".join(pieces)
    origin = offsets()
    for part in origins:  # (arrays, most of them: copied in C, not offset by offset)
        origin.extend(part)
    origin.append(src_len)
    return ProseView(text, origin, joins)


def _split_ff(chunk: str, base: int) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for part in chunk.split("\f"):
        out.append((base + pos, part))
        pos += len(part) + 1
    return out
