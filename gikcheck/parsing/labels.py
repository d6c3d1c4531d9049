"""Matching a label found in a report against the template's labels.

Labels are compared after folding (width, script, punctuation, whitespace).
A label that differs only by the punctuation after its ordinal, or that
omits the ordinal, is accepted; a wrong ordinal, a typo (small edit
distance) or a doubled label is matched but reported (GK203).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import TYPE_CHECKING
from ..memo import Memo
from ..normalize import label_key
from ..records import Record

if TYPE_CHECKING:
    from typing import Protocol, TypeVar

    class _Keyed(Protocol):
        """A template label holder: its folded accepted forms."""

        @property
        def keys(self) -> tuple[str, ...]: ...

    T = TypeVar("T", bound=_Keyed)


_ORDINAL = re.compile(r"^(?:[(\[]?([一二三四五六七八九十]{1,3}|\d{1,2})[)\]]?[.,、]?)")


def split_ordinal(key: str) -> tuple[str, str]:
    """('三', '本年度办理结果') for '三,本年度办理结果' (keys are folded)."""
    return _SPLITS[key]


def _split_ordinal(key: str) -> tuple[str, str]:
    m = _ORDINAL.match(key)
    if m and m.end() < len(key) and m.group(1):
        # An ordinal must be followed by a separator or be bracketed, or be a
        # Chinese numeral directly followed by text (三本年度…).
        return m.group(1), key[m.end() :]
    return "", key


# Keys repeat across reports (the template's own, the labels reports write): split once.
_SPLITS = Memo(_split_ordinal, limit=8192)
# The characters of a template key's core, for the typo search's quick test.
_CORE_CHARS = Memo(lambda key: frozenset(split_ordinal(key)[1]), limit=8192)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            best = min(best, cur[j])
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


class LabelMatch(Record):
    __slots__ = ("target", "quality", "expected")

    def __init__(self, target: object, quality: str, expected: str) -> None:
        self.target = target
        self.quality = quality  # exact | legacy | renumbered | typo | doubled
        self.expected = expected  # the canonical label


def match_label(text: str, candidates: Sequence[T], label_of=lambda t: t.label) -> LabelMatch | None:
    """Best template label for ``text`` among ``candidates`` (objects with .keys)."""
    key = label_key(text)
    if not key:
        return None
    ordinal, core = split_ordinal(key)
    # 1. exact (any accepted form), or the same label without/with other punctuation after its ordinal
    for c in candidates:
        if key in c.keys:
            return LabelMatch(c, "exact", label_of(c))
    # 1b. an older template's label for the row (2019's 「规范性文件」 in a 2021 report): read, but reported
    for c in candidates:
        if key in getattr(c, "legacy_keys", ()):
            return LabelMatch(c, "legacy", label_of(c))
    for c in candidates:
        for k in c.keys:
            c_ord, c_core = split_ordinal(k)
            if core == c_core:
                if not ordinal or not c_ord or ordinal == c_ord:
                    return LabelMatch(c, "exact", label_of(c))
                return LabelMatch(c, "renumbered", label_of(c))
    # 2. a doubled label (本年度办理结果本年度办理结果)
    for c in candidates:
        for k in c.keys:
            c_core = split_ordinal(k)[1]
            if len(core) == 2 * len(c_core) and len(c_core) >= 3 and core.count(c_core) >= 2:
                return LabelMatch(c, "doubled", label_of(c))
    # 3. a typo: small edit distance on the label without its ordinal
    best: tuple[int, object] | None = None
    chars = frozenset(core)
    for c in candidates:
        for k in c.keys:
            c_core = split_ordinal(k)[1]
            if len(c_core) < 2:
                continue
            limit = max(1, len(c_core) // 6)
            # Each edit brings at most one character in: more characters of c_core missing from
            # core than edits allowed rule it out before the quadratic distance.
            if abs(len(core) - len(c_core)) > limit or len(_CORE_CHARS[k] - chars) > limit:
                continue
            d = edit_distance(core, c_core, limit)
            if d <= limit and (best is None or d < best[0]):
                best = (d, c)
    if best is not None:
        return LabelMatch(best[1], "typo", label_of(best[1]))
    return None
