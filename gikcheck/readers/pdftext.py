"""A PDF page's characters → words → lines, as pdfplumber groups them (its default tolerances).

Characters are dicts with text, x0, x1, top, bottom (points from the page's
top left) and upright. A line is the characters whose tops lie within 3 pt
of each other (chained), in left-to-right order; a word ends at a blank
character, at a gap wider than 3 pt, or where the next character starts
left of the previous one. Words on a line are joined by one space.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any, TypeVar

X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

Char = dict[str, Any]
T = TypeVar("T")


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
    numbers = _clusters([key(x) for x in items], tolerance)
    tagged = [(x, numbers[key(x)]) for x in items]
    if not preserve_order:
        tagged.sort(key=itemgetter(1))
    return [[x for x, _ in run] for _, run in itertools.groupby(tagged, key=itemgetter(1))]


def _top(c: Char) -> float:
    return c["top"]


def _x0(c: Char) -> float:
    return c["x0"]


def _words_of_line(chars: list[Char], upright: bool) -> Iterator[list[Char]]:
    """Split one line's characters (already in reading order) into words."""
    word: list[Char] = []
    for char in chars:
        text = char["text"]
        if text.isspace():
            if word:
                yield word
            word = []
        elif text == "":  # pdfplumber's punctuation test: an empty text is a word of its own
            if word:
                yield word
            yield [char]
            word = []
        elif word and _new_word(word[-1], char, upright):
            yield word
            word = [char]
        else:
            word.append(char)
    if word:
        yield word


def _new_word(prev: Char, cur: Char, upright: bool) -> bool:
    if upright:
        ax, bx, cx, ay, cy = prev["x0"], prev["x1"], cur["x0"], prev["top"], cur["top"]
    else:  # rotated text reads top to bottom
        ax, bx, cx, ay, cy = prev["top"], prev["bottom"], cur["top"], prev["x0"], cur["x0"]
    return cx < ax or cx > bx + X_TOLERANCE or abs(cy - ay) > Y_TOLERANCE


def _spelled(text: str) -> str:
    return LIGATURES.get(text, text)


def words(chars: list[Char]) -> list[tuple[str, list[Char]]]:
    """(text, characters) of every word, line by line, as pdfplumber's WordExtractor gives them."""
    out: list[tuple[str, list[Char]]] = []
    for upright, group in itertools.groupby(chars, key=itemgetter("upright")):
        if upright:
            lines = cluster_objects(list(group), _top, Y_TOLERANCE)
            ordered = [sorted(line, key=_x0) for line in lines]
        else:
            lines = cluster_objects(list(group), _x0, X_TOLERANCE)
            ordered = [sorted(line, key=lambda c: (c["top"], c["bottom"])) for line in lines]
        for line in ordered:
            for word in _words_of_line(line, bool(upright)):
                text = "".join(_spelled(c["text"]) for c in word)
                out.append((text, word))
    return out


def _top_of_word(w: tuple[str, list[Char]]) -> float:
    return min(c["top"] for c in w[1])


def text_lines(chars: list[Char]) -> list[dict[str, Any]]:
    """The page's lines of text with their boxes: pdfplumber's ``extract_text_lines()``."""
    found = words(chars)
    out: list[dict[str, Any]] = []
    for line in cluster_objects(found, _top_of_word, Y_TOLERANCE, preserve_order=True):
        text = " ".join(t for t, _ in line).strip(" ")
        if not text:
            continue
        members = [c for _, cs in line for c in cs]
        out.append(
            {
                "text": text,
                "x0": min(c["x0"] for c in members),
                "top": min(c["top"] for c in members),
                "x1": max(c["x1"] for c in members),
                "bottom": max(c["bottom"] for c in members),
            }
        )
    return out


def cell_text(chars: list[Char]) -> str:
    """A table cell's text: its words, lines joined by newlines (pdfplumber's ``extract_text()``)."""
    if not chars:
        return ""
    found = words(chars)
    lines = cluster_objects(found, _top_of_word, Y_TOLERANCE)
    return "\n".join(" ".join(t for t, _ in line) for line in lines)
