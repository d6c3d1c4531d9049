"""Patterns from the rule packs, compiled on first need and searched with a time limit.

Rule packs are data users can extend, so no pattern may run away on a
hostile input: every whole-document search goes through ``finditer`` /
``search`` here, which stop quietly at ``TIMEOUT`` seconds (best effort,
never a hang).

Most pack patterns look for something a clean report does not contain, yet
the ``regex`` module scans a 20 KB report for ~0.1 ms and compiles a pattern
for 0.3–1.6 ms. So each pattern gets a prefilter derived from its text (see
``prefilter``): the literal characters and strings every match must contain.
A text without them cannot match; the pattern is then neither run nor, so
far, compiled. A pattern the analysis does not fully understand always runs.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from itertools import islice

from . import TYPE_CHECKING, rx
from .prefilter import Need, Plan, analyse_prepared, holds, prepare

if TYPE_CHECKING:
    from typing import Any, TypeAlias

    import regex

TIMEOUT = 0.5

# Texts shorter than this are searched at once: the prefilter would cost about what the search does.
_PREFILTER_MIN = 256


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, flags: int = rx.MULTILINE) -> regex.Pattern:
    return rx.compile(pattern, flags)


class LazyPattern:
    """A ``regex`` pattern compiled on its first use, with an optional prefilter.

    Compiling costs 0.2–1.5 ms a pattern, and a configuration declares a hundred the usual
    report never reaches (a subject whose lead never occurs, a none-statement never made): a
    cold run must not pay for them. ``need`` (see ``prefilter``) answers "no match" without
    compiling for a text that lacks what every match contains. Once compiled, the compiled
    pattern's own methods take over (set on the instance: no wrapper on hot paths). Offers
    what callers use of a compiled pattern; anything else is the compiled pattern's.
    """

    _METHODS = ("search", "match", "fullmatch", "finditer", "findall")

    def __init__(self, pattern: str, flags: int = 0, need: Need | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self.need = need
        self._compiled: regex.Pattern | None = None

    @property
    def compiled(self) -> regex.Pattern:
        c = self._compiled
        if c is None:
            c = self._compiled = rx.compile(self.pattern, self.flags)
            for name in self._METHODS:
                self.__dict__[name] = getattr(c, name)
        return c

    def _cannot(self, string: str) -> bool:
        need = self.need
        return need is not None and not holds(need, string)

    def search(self, string: str, *args: Any, **kwargs: Any) -> regex.Match | None:
        return None if self._cannot(string) else self.compiled.search(string, *args, **kwargs)

    def match(self, string: str, *args: Any, **kwargs: Any) -> regex.Match | None:
        return None if self._cannot(string) else self.compiled.match(string, *args, **kwargs)

    def fullmatch(self, string: str, *args: Any, **kwargs: Any) -> regex.Match | None:
        return None if self._cannot(string) else self.compiled.fullmatch(string, *args, **kwargs)

    def finditer(self, string: str, *args: Any, **kwargs: Any) -> Iterator[regex.Match]:
        return iter(()) if self._cannot(string) else self.compiled.finditer(string, *args, **kwargs)

    def findall(self, string: str, *args: Any, **kwargs: Any) -> list[Any]:
        return [] if self._cannot(string) else self.compiled.findall(string, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


def lazy(pattern: str | None, flags: int = 0, prefilter: bool = False) -> LazyPattern | None:
    """A LazyPattern for ``pattern`` (None for none); with ``prefilter``, one that rules texts out
    by what every match contains before compiling or running anything."""
    if not pattern:
        return None
    need = None
    if prefilter and not flags & ~_SUPPORTED_FLAGS:
        need = analyse_prepared(pattern, bool(flags & rx.MULTILINE))[0]
    return LazyPattern(pattern, flags, need)


class PackPattern:
    """A pack pattern with its prefilter, compiled when a text first passes the prefilter."""

    __slots__ = ("_last", "_rx", "_tries", "flags", "need", "plan", "source")

    def __init__(self, source: str, flags: int, need: Need | None, plan: Plan | None) -> None:
        self.source = source
        self.flags = flags
        self.need = need  # None: nothing known, always run
        self.plan = plan  # where matches can start (see prefilter.analyse); None: anywhere
        self._last: tuple = (None, True)  # (text, verdict): a report's patterns are tried on one text
        self._tries = [0, 0]  # texts where the plan found few starts, and too many
        self._rx: regex.Pattern | None = None

    @property
    def compiled(self) -> regex.Pattern:
        rx = self._rx
        if rx is None:
            rx = self._rx = compile_pattern(self.source, self.flags)
        return rx

    def may_match(self, text: str) -> bool:
        """False when ``text`` lacks what every match needs."""
        # A short text is searched at once, as cheap as its prefilter, once the pattern is compiled.
        if self.need is None or (len(text) < _PREFILTER_MIN and self._rx is not None):
            return True
        last = self._last
        if last[0] is text:
            return last[1]
        verdict = holds(self.need, text)
        self._last = (text, verdict)
        return verdict

    def starts(self, text: str, pos: int, endpos: int) -> list[int] | None:
        """Ascending positions in [pos, endpos) where a match may start; None when a scan is cheaper.

        A branch's match contains one of its anchors as a whole item, preceded only by text its
        earlier items match: so it starts between an occurrence of the anchor and as far back as
        such text can reach (a reverse pattern finds how far), at a line start when the branch
        begins with ^. Trying the pattern at those few positions finds what a scan finds.
        """
        plan = self.plan
        if plan is None or endpos - pos < _PREFILTER_MIN:
            return None
        budget = (endpos - pos) >> 8  # a try costs about what scanning 250 characters does
        found: set[int] = set()
        for caret, anchors, prefix in plan:
            run = _run(prefix, self.flags) if prefix else None
            for anchor in anchors:
                at = text.find(anchor, pos, endpos)
                while at != -1:
                    # A reverse run of starred items matches, if only the empty string.
                    lo = run.match(text, pos, at).start() if run else at  # type: ignore[union-attr]
                    if caret:
                        found.update(islice(_line_starts(text, lo, at), budget + 1))
                    elif at - lo <= budget:
                        found.update(range(lo, at + 1))
                    else:
                        return self._missed()
                    if len(found) > budget:
                        return self._missed()
                    at = text.find(anchor, at + 1, endpos)
        self._tries[0] += 1
        return sorted(found)

    def _missed(self) -> list[int] | None:
        """The anchors are too common here; when they mostly are, give the plan up and always scan."""
        hits, misses = self._tries
        self._tries[1] = misses = misses + 1
        if misses >= 4 and misses > 3 * hits:
            self.plan = None
        return None


def _line_starts(text: str, lo: int, hi: int) -> Iterator[int]:
    """Line starts in [lo, hi]."""
    if lo == 0 or text[lo - 1] == "\n":
        yield lo
    nl = text.find("\n", lo, hi)
    while nl != -1:
        yield nl + 1
        nl = text.find("\n", nl + 1, hi)


@functools.lru_cache(maxsize=256)
def _run(source: str, flags: int) -> regex.Pattern:
    return rx.compile(source, flags)


# The flags the analysis allows for; others (IGNORECASE, VERBOSE …) change what a literal matches.
_SUPPORTED_FLAGS = rx.MULTILINE | rx.DOTALL | rx.UNICODE


@functools.lru_cache(maxsize=512)
def pack_pattern(pattern: str, flags: int = rx.MULTILINE) -> PackPattern:
    if flags & ~_SUPPORTED_FLAGS:
        return PackPattern(pattern, flags, None, None)
    need, plan = analyse_prepared(pattern, bool(flags & rx.MULTILINE))
    return PackPattern(pattern, flags, need, plan)


@functools.lru_cache(maxsize=64)
def literals(words: tuple[str, ...]) -> PackPattern | None:
    """One alternation for a word list, longest first; it can match only where one of the words occurs."""
    if not words:
        return None
    ordered = tuple(sorted(set(words), key=lambda w: (-len(w), w)))  # one pattern text every run
    need = prepare(("any", ordered)) if all(ordered) else None
    return PackPattern("|".join(rx.escape(w) for w in ordered), 0, need, None)


Searchable: TypeAlias = "str | regex.Pattern | PackPattern"


def finditer(pattern: Searchable, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match]:
    """Matches of ``pattern`` in ``text[pos:endpos]``; a search that times out just ends."""
    end = len(text) if endpos is None else endpos
    if isinstance(pattern, str):
        pattern = pack_pattern(pattern)
    if isinstance(pattern, PackPattern):
        if not pattern.may_match(text):
            return
        starts = pattern.starts(text, pos, end)
        pat = pattern.compiled
        if starts is not None:
            yield from _at(pat, text, starts, pos, end)
            return
    else:
        pat = pattern
    try:
        yield from pat.finditer(text, pos, end, timeout=TIMEOUT)
    except TimeoutError:
        return


def _at(pat: regex.Pattern, text: str, starts: list[int], pos: int, endpos: int) -> Iterator[regex.Match]:
    """What ``pat.finditer`` yields, trying only ``starts`` (no match starts elsewhere, none is empty)."""
    deadline = time.monotonic() + TIMEOUT
    for c in starts:
        if c < pos:
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            return
        try:
            m = pat.match(text, c, endpos, timeout=left)
        except TimeoutError:
            return
        if m is not None:
            yield m
            pos = m.end()


def search(pattern: Searchable, text: str, pos: int = 0) -> regex.Match | None:
    """The first match of ``pattern`` in ``text[pos:]``, or None (also when the search times out)."""
    # What ``next(finditer(...))`` gives, without its generators: asked of short texts (heading
    # keys, labels) many times a report.
    if isinstance(pattern, str):
        pattern = pack_pattern(pattern)
    if isinstance(pattern, PackPattern):
        if not pattern.may_match(text):
            return None
        end = len(text)
        starts = pattern.starts(text, pos, end)
        if starts is not None:
            return next(_at(pattern.compiled, text, starts, pos, end), None)
        pat = pattern.compiled
    else:
        pat = pattern
    try:
        return pat.search(text, pos, timeout=TIMEOUT)
    except TimeoutError:
        return None
