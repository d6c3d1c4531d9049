"""Where clauses, sentences and lines end: the mark nearest to a position, found in C."""

from __future__ import annotations

import bisect
from itertools import accumulate, islice

_NEAR = 256  # characters a query scans; beyond, it bisects the list of all offsets


class Marks:
    """The offsets of a set of one-character marks in a text, for queries near a position.

    A copy of the text with every mark replaced by one of them (a few ``replace`` calls) lets
    one ``find`` or ``rfind`` give the nearest mark, where a list of all offsets costs a Python
    object per mark to build. A query that finds no mark within ``_NEAR`` characters bisects that
    list instead, built on first need: a text without marks stays linear.
    """

    __slots__ = ("text", "mark", "size", "_offsets")

    def __init__(self, text: str, marks: str) -> None:
        self.size = len(text)
        self._offsets: list[int] | None = None
        present = [c for c in dict.fromkeys(marks) if c in text]
        if not present:
            self.text, self.mark = "", "\x00"  # an empty text: every find fails
            return
        mark = present[0]
        for c in present[1:]:
            text = text.replace(c, mark)
        self.text, self.mark = text, mark

    def offsets(self) -> list[int]:
        """All offsets, in order."""
        if self._offsets is None:
            pieces = self.text.split(self.mark)
            self._offsets = list(islice(accumulate(map((1).__add__, map(len, pieces[:-1])), initial=-1), 1, None))
        return self._offsets

    def end(self, pos: int, limit: int | None = None) -> int:
        """The first mark at or after ``pos`` (the text's end without one), but at most ``limit``."""
        stop = self.size if limit is None or limit > self.size else limit
        if stop - pos <= _NEAR:
            i = self.text.find(self.mark, pos, stop)
            return i if i >= 0 else stop
        i = self.text.find(self.mark, pos, pos + _NEAR)
        if i >= 0:
            return i
        offsets = self.offsets()
        k = bisect.bisect_left(offsets, pos + _NEAR)
        return offsets[k] if k < len(offsets) and offsets[k] < stop else stop

    def start(self, pos: int, floor: int = 0) -> int:
        """Just after the last mark before ``pos`` (0 without one), but at least ``floor``."""
        lo = floor if floor > 0 else 0
        if pos - lo <= _NEAR:
            i = self.text.rfind(self.mark, lo, pos)
            return i + 1 if i >= 0 else lo
        i = self.text.rfind(self.mark, pos - _NEAR, pos)
        if i >= 0:
            return i + 1
        offsets = self.offsets()
        k = bisect.bisect_left(offsets, pos - _NEAR) - 1
        start = offsets[k] + 1 if k >= 0 else 0
        return start if start > lo else lo
