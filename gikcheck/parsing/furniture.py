"""Page furniture: the lines a page layout adds to a report's text.

Printed reports carry page numbers (「- 3 -」「第 3 页 共 8 页」「3/8」), form feeds
between pages and a running header or footer repeated at every page break; text
taken from a PDF keeps them between the lines of the report. They are no part
of the report: prose rules skip them, and a sentence or a table broken by them
continues after them.

``furniture_lines(doc)`` gives their 1-based line numbers, once per document.
"""

from __future__ import annotations

import re
import unicodedata

from ..document import Document
from ..memo import once

# A whole line that is a page number, after NFKC (full-width digits and dashes folded);
# compiled on first use (most documents hold no short line with a digit).
_PAGE_NUMBER = (
    r"[-—–－‐―~]*\s*(?:"
    r"[-—–－‐―]\s*\d{1,4}\s*[-—–－‐―]"  # - 3 -   — 3 —
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"  # 第 3 页 / 第 3 页 共 8 页
    r"|共\s*\d{1,4}\s*页\s*[,，、]?\s*第\s*\d{1,4}\s*页"  # 共 8 页 第 3 页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/8  3 / 8
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?"  # Page 3 of 8
    r")\s*[-—–－‐―~]*"
)
_SLASH = r"(\d{1,4})\s*/\s*(\d{1,4})"
# A browser's print footer: the page's address and 「2/3」 (one space between them from the PDF reader,
# which may also read some of the address's hyphens as spaces).
_BROWSER_FOOTER = re.compile(r"\f?[A-Za-z][\w+.-]*://\S.*?\s+\d{1,4}\s*/\s*\d{1,4}$")
# A line that is only a page's address (a browser's print footer, in plain pdftotext without
# its 「2/3」, which follows on a line of its own).
_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://\S+")
# A running header or footer is a short line; a longer one is text.
_MAX_RUNNING = 60
# Looked for this many non-blank lines from a page break.
_REACH = 2
# A running line once known is looked for this far from a page break inside the document: plain
# pdftotext of a browser's PDF may put a page's first cell between the print time and the title.
_REACH_KNOWN = 4


def _fold(line: str) -> str:
    line = line.strip()
    if line.isascii():
        return line
    return unicodedata.normalize("NFKC", line).strip()


def is_page_number(line: str) -> bool:
    """Whether a whole line is a page number (「- 3 -」「第 3 页 共 8 页」「3/8」「Page 3 of 8」)."""
    if len(line) > 40 and len(line.strip()) > 24:
        return False  # most lines: text, told before any folding
    s = _fold(line)
    if not s or len(s) > 24 or not any(c.isdigit() for c in s):
        return False
    if re.fullmatch(_PAGE_NUMBER, s) is None:  # re's own cache keeps it compiled
        return False
    m = re.fullmatch(_SLASH, s.strip("-—–－‐―~ "))
    # 「3/8」 is page 3 of 8; 「8/3」 is a fraction or a date, not a page number.
    return m is None or 0 < int(m.group(1)) <= int(m.group(2))


def _page_starts(doc: Document, lines: list[str]) -> list[int]:
    """0-based indexes of the lines that start a page (the first line always does)."""
    starts = [0]
    for i, line in enumerate(lines):
        if i and "\f" in line:
            starts.append(i)
    if doc.origins:
        prev = 0
        for i, o in enumerate(doc.origins[: len(lines)]):
            page = o.page if o is not None else 0
            if page and prev and page != prev:
                starts.append(i)
            if page:
                prev = page
    return sorted(set(starts))


def furniture_lines(doc: Document) -> frozenset[int]:
    """1-based numbers of the lines that are page furniture: page numbers, lines holding only a
    form feed, and a running header or footer (the same short line next to two or more page breaks)."""
    return once(doc, _build_furniture_lines)


def _build_furniture_lines(doc: Document) -> frozenset[int]:
    text = doc.text
    if (
        "\f" not in text
        and not doc.origins
        and "页" not in text
        and "/" not in text
        and "-" not in text
        and "—" not in text
        and "age" not in text
    ):
        return frozenset()  # nothing a page adds can be there: the common plain-text case
    lines = [text[s:e] for s, e in zip(doc.line_starts, doc.line_ends)]
    out: set[int] = set()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            if "\f" in line:
                out.add(i)
            continue
        if is_page_number(stripped) or ("://" in stripped and _BROWSER_FOOTER.match(stripped)):
            out.add(i)
    starts = _page_starts(doc, lines)
    if len(starts) > 1:
        _bare_page_numbers(lines, starts, out)
        _running_lines(lines, starts, out)
        _running_title(lines, starts, out)
    return frozenset(i + 1 for i in out)


_REACH_TITLE = 4  # non-blank lines from a page's head a print header's title may stand (plain text)


def _running_title(lines: list[str], starts: list[int], out: set[int]) -> None:
    """The report's title printed again at the head of pages (a browser's print header holds the
    page's title; plain pdftotext may put it a few lines into the page, after a heading): on a page
    after the first, the title's text near the head is furniture; on the first, the first of two
    (the report's own title stays)."""
    first = next((i for i, line in enumerate(lines) if line.strip() and i not in out), None)
    if first is None:
        return
    title = _running_key(lines[first])
    if "报告" not in title:
        return  # (an agency's name opening a two-line title, and the signature: no running title)
    heads: list[list[int]] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        near = [i for i in range(start, end) if lines[i].strip() and i not in out][:_REACH_TITLE]
        heads.append([i for i in near if _running_key(lines[i]) == title])
    if sum(1 for h in heads[1:] if h) < 1 or len(heads[0]) + sum(len(h) for h in heads[1:]) < 2:
        return
    out.update(h[0] for h in heads[1:] if h)
    if len(heads[0]) >= 2:
        out.add(heads[0][0])


def _near_breaks(lines: list[str], starts: list[int], skip: set[int], reach: int = _REACH) -> list[list[int]]:
    """Per page break (and the document's two ends): the indexes of the first ``reach`` non-blank
    lines after it and the last ``reach`` before it, page furniture already found left out."""
    n = len(lines)
    groups = []
    bounds = starts + [n]
    for k, start in enumerate(bounds):
        near: list[int] = []
        i = start - 1  # lines before the break, i.e. at the end of the previous page
        while i >= 0 and len(near) < reach and (k == 0 or i >= bounds[k - 1]):
            if lines[i].strip() and i not in skip:
                near.append(i)
            i -= 1
        j, after = start, 0
        while j < n and after < reach and (k + 1 >= len(bounds) or j < bounds[k + 1]):
            if lines[j].strip() and j not in skip:
                near.append(j)
                after += 1
            j += 1
        groups.append(near)
    return groups


def _bare_page_numbers(lines: list[str], starts: list[int], out: set[int]) -> None:
    """A bare number closing page k (or opening it) is its page number when it equals k."""
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        page = [i for i in range(start, end) if lines[i].strip() and i not in out]
        for i in page[:1] + page[-1:]:
            s = _fold(lines[i])
            if s.isascii() and s.isdigit() and len(s) <= 3 and int(s) == k + 1:
                out.add(i)


def _running_lines(lines: list[str], starts: list[int], out: set[int]) -> None:
    """A short line found next to at least two page breaks, with the same text each time, one of
    them inside the document: an agency's name opening the title and closing the signature is none."""
    seen: dict[str, list[int]] = {}
    breaks: dict[str, set[int]] = {}
    inside: set[str] = set()
    groups = _near_breaks(lines, starts, out)
    for k, near in enumerate(groups):
        for i in near:
            key = _running_key(lines[i])
            if key:
                seen.setdefault(key, []).append(i)
                breaks.setdefault(key, set()).add(k)
                if 0 < k < len(groups) - 1:
                    inside.add(key)
    # Two lines near two page breaks: not twice near one (a wrapped header's 「件数」「件数」 opening a
    # page), nor one line near both ends of a short page.
    known = {key for key, idxs in seen.items() if len(set(idxs)) >= 2 and len(breaks[key]) >= 2 and key in inside}
    for key in known:
        out.update(seen[key])
    if known:
        # The same line a little further from a page break inside the document is the same header
        # (not at the document's ends, where the report's own title may repeat it).
        wide = _near_breaks(lines, starts, out, _REACH_KNOWN)
        out.update(i for near in wide[1:-1] for i in near if _running_key(lines[i]) in known)
        # So is it anywhere on a page that is neither the first nor the last (where the report's
        # title and signature are): plain pdftotext of a browser's PDF may print the print header's
        # title after half a page's cells (after the page's left-hand column).
        if len(starts) > 2:
            short = (i for i in range(starts[1], starts[-1]) if 0 < len(lines[i]) <= 2 * _MAX_RUNNING)
            out.update(i for i in short if i not in out and _running_key(lines[i]) in known)
        # A page's address, once known as its footer, is the footer wherever plain pdftotext put it
        # (between a page's cells, when the footer was read before the page's last column).
        addresses = {key for key in known if _ADDRESS.fullmatch(key)}
        if addresses:
            out.update(i for i, line in enumerate(lines) if "://" in line and _running_key(line) in addresses)


def _running_key(line: str) -> str:
    """What a line is compared by as a running header or footer; "" for a line that cannot be one."""
    key = re.sub(r"[ \u3000]{2,}", "  ", _fold(line))  # a -layout dump pads with spaces
    if _ADDRESS.fullmatch(key):
        return key  # a browser's print footer, its page number on a line of its own: any length
    # Not a table row: a header row repeated on the next page is the table reader's to judge.
    if len(key) > _MAX_RUNNING or "\t" in key or "|" in key:
        return ""
    # Page numbers inside a header (「… 第 3 页」) differ page to page: compared without digits.
    key = re.sub(r"\d+", "#", key)
    if not key.strip("# .,+-"):
        return ""  # a bare number by a page break is a table's figure, or a page number (told above)
    if len(key.replace(" ", "")) < 3:
        return ""  # 「数量」「件数」: a wrapped header label's last line, ending two pages by chance
    return key
