"""A PDF page's characters → words → lines, as pdfplumber groups them (its default tolerances).

A character is a tuple (text, x0, x1, top, bottom, upright) in points from
the page's top left (a tuple, not a dict: a page has thousands, and the
reader reads them by position: TEXT, X0, X1, TOP, BOTTOM, UPRIGHT). A line
is the characters whose tops lie within 3 pt of each other (chained), in
left-to-right order; a word ends at a blank character, at a gap wider than
3 pt, or where the next character starts left of the previous one. Words on
a line are joined by one space. A line of text is (text, x0, x1, top,
bottom): the same positions as a character's.
"""

from __future__ import annotations

import itertools
import re
from itertools import repeat
from operator import is_, itemgetter

from .. import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Final, Literal, TypeVar

    T = TypeVar("T")

X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

# Positions in a character (and in a line of text, but for UPRIGHT). Final: mypy reads them as literals.
TEXT: Final = 0
X0: Final = 1
X1: Final = 2
TOP: Final = 3
BOTTOM: Final = 4
UPRIGHT: Final = 5
Char = tuple[str, float, float, float, float, bool]
Line = tuple[str, float, float, float, float]


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """Each value's cluster number: sorted values chained while each is within ``tolerance`` of the last."""
    out: dict[float, int] = {}
    number = -1
    last = None
    for v in sorted(set(values)):
        if last is None or v > last + tolerance:
            number += 1
        out[v] = number
        last = v
    return out


def cluster_objects(
    items: list[T], key: Callable[[T], float], tolerance: float, preserve_order: bool = False
) -> list[list[T]]:
    """Items grouped by ``key`` within ``tolerance``; clusters in order of value unless ``preserve_order``
    (then consecutive runs), items keeping their order within a cluster."""
    keys = list(map(key, items))
    numbers = _clusters(keys, tolerance)
    if preserve_order:
        runs: list[list[T]] = []
        last = -1
        for x, k in zip(items, keys):
            number = numbers[k]
            if number == last:
                runs[-1].append(x)
            else:
                runs.append([x])
                last = number
        return runs
    # Every number from 0 up is some value's: one list per cluster, in order of number.
    groups: list[list[T]] = [[] for _ in range(max(numbers.values(), default=-1) + 1)]
    for x, k in zip(items, keys):
        groups[numbers[k]].append(x)
    return groups


_text = itemgetter(TEXT)
_x0 = itemgetter(X0)
_x1 = itemgetter(X1)
_top = itemgetter(TOP)
_bottom = itemgetter(BOTTOM)
_upright = itemgetter(UPRIGHT)
_top_bottom = itemgetter(TOP, BOTTOM)
_NO_CHAR: Char = ("", 0.0, 0.0, 0.0, 0.0, True)


def _words_of_line(chars: list[Char], upright: bool) -> list[list[Char]]:
    """Split one line's characters (already in reading order) into words (runs of them)."""
    out: list[list[Char]] = []
    begin = -1  # where the word being read starts; -1: none is
    # Along the line and across it: x and top for upright text; rotated text reads top to bottom.
    start: Literal[1, 3] = X0 if upright else TOP
    end: Literal[2, 4] = X1 if upright else BOTTOM
    across: Literal[3, 1] = TOP if upright else X0
    prev = _NO_CHAR  # the last character, the word's last while there is a word
    for i, char in enumerate(chars):
        text = char[TEXT]
        if text.isspace():
            if begin >= 0:
                out.append(chars[begin:i])
                begin = -1
        elif text == "":  # pdfplumber's punctuation test: an empty text is a word of its own
            if begin >= 0:
                out.append(chars[begin:i])
                begin = -1
            out.append([char])
        elif begin < 0:
            begin = i
        elif (
            char[start] < prev[start]
            or char[start] > prev[end] + X_TOLERANCE
            or (shift := char[across] - prev[across]) > Y_TOLERANCE  # |shift| > Y_TOLERANCE (NaN: neither)
            or shift < -Y_TOLERANCE
        ):
            out.append(chars[begin:i])
            begin = i
        prev = char
    if begin >= 0:
        out.append(chars[begin:])
    return out


_LIGATURE_CHARS = frozenset(LIGATURES)


def _spelled(word: list[Char]) -> str:
    text = "".join(map(_text, word))
    if _LIGATURE_CHARS.isdisjoint(text):  # none of the characters is a ligature
        return text
    return "".join([LIGATURES.get(c[TEXT], c[TEXT]) for c in word])


def words(chars: list[Char]) -> list[tuple[str, list[Char]]]:
    """(text, characters) of every word, line by line, as pdfplumber's WordExtractor gives them."""
    out: list[tuple[str, list[Char]]] = []
    for upright, group in itertools.groupby(chars, key=_upright):
        if upright:
            lines = cluster_objects(list(group), _top, Y_TOLERANCE)
            ordered = [sorted(line, key=_x0) for line in lines]
        else:
            lines = cluster_objects(list(group), _x0, X_TOLERANCE)
            ordered = [sorted(line, key=_top_bottom) for line in lines]
        for line in ordered:
            out.extend([(_spelled(word), word) for word in _words_of_line(line, bool(upright))])
    return out


def _top_of_word(w: tuple[str, list[Char]]) -> float:
    return min(map(_top, w[1]))


def text_lines(chars: list[Char]) -> list[Line]:
    """The page's lines of text with their boxes: pdfplumber's ``extract_text_lines()``."""
    found = words(chars)
    out: list[Line] = []
    for line in cluster_objects(found, _top_of_word, Y_TOLERANCE, preserve_order=True):
        text = " ".join([t for t, _ in line]).strip(" ")
        if not text:
            continue
        members = [c for _, cs in line for c in cs]
        out.append(
            (
                text,
                min(map(_x0, members)),
                max(map(_x1, members)),
                min(map(_top, members)),
                max(map(_bottom, members)),
            )
        )
    return out


_FIGURE_PART = re.compile(r"[+-]?[\d,.]*\d[\d,.]*")


def cell_text(chars: list[Char]) -> str:
    """A table cell's text: its words, lines joined by newlines (pdfplumber's ``extract_text()``)."""
    if not chars:
        return ""
    if len(chars) == 1:  # most cells of a report's tables: one digit (its word, unless it is blank)
        text = chars[0][TEXT]
        return "" if text.isspace() else LIGATURES.get(text, text)
    tops = list(map(_top, chars))
    low = min(tops)
    if max(tops) <= low + Y_TOLERANCE and all(map(is_, map(_upright, chars), repeat(True))):
        # One line of upright text (most cells): what words() and the clustering of its words by their
        # tops give, without them. _clusters starts a cluster at a value greater than the one before it
        # plus the tolerance; every top here is at most low + tolerance, which (rounding being monotonic)
        # is at most any top's plus the tolerance, and a NaN is greater than nothing and nothing is greater
        # than it plus anything: one cluster. The words' tops are some of these tops: one line.
        return " ".join([_spelled(word) for word in _words_of_line(sorted(chars, key=_x0), True)])
    found = words(chars)
    lines = cluster_objects(found, _top_of_word, Y_TOLERANCE)
    out: list[str] = []
    for line in lines:
        text = " ".join([t for t, _ in line])
        if out and _FIGURE_PART.fullmatch(text) and _FIGURE_PART.fullmatch(out[-1]):
            # A figure wider than its cell wraps: 「191」 over 「1」 is 1911, not two figures.
            out[-1] += text
        else:
            out.append(text)
    return "\n".join(out)
