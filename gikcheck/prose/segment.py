"""Word segmentation over a small dictionary: jieba's precise mode without its HMM.

The labels of prose figures need only jieba's dictionary path (``cut(text,
HMM=False)`` with the field's terms as the whole dictionary): a graph of the
dictionary words starting at each character, and the route of the highest
product of word frequencies through it. That is ~50 lines; importing jieba
costs 80–120 ms (its ``_compat`` imports ``pkg_resources``) and writes a
dictionary file and its cache to the temporary directory. This module does
what jieba 0.42 does, step for step, so the words, and so the findings'
messages, are the same; tests/test_figures.py compares both where jieba is
installed.
"""

from __future__ import annotations

import functools
import re

from .. import rx

# jieba's block and skip patterns (jieba/__init__.py, re_han_default, re_skip_default, re_eng).
# The block's CJK range is compiled by `regex` (gikcheck.rx): `re` takes ~1 ms to build its bitmap.
_HAN = rx.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_SKIP = re.compile("(\r\n|\\s)")
_ENG = re.compile("[a-zA-Z0-9]")


class Segmenter:
    """``cut(text)`` as ``jieba.Tokenizer(dictionary=terms).cut(text, HMM=False)``."""

    __slots__ = ("freq", "log_total")

    def __init__(self, entries: list[tuple[str, int]]) -> None:
        # jieba's gen_pfdict: each word's frequency, every proper prefix present with 0.
        freq: dict[str, int] = {}
        total = 0
        for word, n in entries:
            freq[word] = n
            total += n
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)
        self.freq = freq
        from math import log  # (here: a report whose figures need no segmenting does not load math)

        self.log_total = log(total) if total > 0 else 0.0

    def _cut_block(self, s: str) -> list[str]:
        from math import log

        freq, n = self.freq, len(s)
        # jieba's get_DAG and calc: best (log probability, end) from each position, right to left.
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        log_total = self.log_total
        for k in range(n - 1, -1, -1):
            ends = []
            i, frag = k, s[k]
            while i < n and frag in freq:
                if freq[frag]:
                    ends.append(i)
                i += 1
                frag = s[k : i + 1]
            if not ends:
                ends.append(k)
            route[k] = max((log(freq.get(s[k : x + 1]) or 1) - log_total + route[x + 1][0], x) for x in ends)
        words: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = route[x][1] + 1
            word = s[x:y]
            if len(word) == 1 and _ENG.match(word):  # single letters and digits run together
                buf += word
            else:
                if buf:
                    words.append(buf)
                    buf = ""
                words.append(word)
            x = y
        if buf:
            words.append(buf)
        return words

    def cut(self, text: str) -> list[str]:
        out: list[str] = []
        for block in _HAN.split(text):
            if not block:
                continue
            if _HAN.match(block):
                out.extend(self._cut_block(block))
                continue
            for part in _SKIP.split(block):
                if _SKIP.match(part):
                    out.append(part)
                else:
                    out.extend(part)
        return out


@functools.lru_cache(maxsize=4)
def segmenter(terms: tuple[str, ...]) -> Segmenter:
    """The segmenter of a dictionary of ``terms``, longer terms weighing more (1000 + 10 per character)."""
    entries = []
    for term in terms:
        # As jieba reads its dictionary file, one "word freq" line per term.
        parts = f"{term} {1000 + 10 * len(term)}".strip().split(" ")
        if len(parts) == 2 and parts[0]:
            entries.append((parts[0], int(parts[1])))
    return Segmenter(entries)
