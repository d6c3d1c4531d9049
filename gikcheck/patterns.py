"""Patterns from the rule packs, compiled once and searched with a time limit.

Rule packs are data users can extend, so no pattern may run away on a
hostile input: every whole-document search goes through ``finditer`` /
``search`` here, which stop quietly at ``TIMEOUT`` seconds (best effort,
never a hang).
"""
from __future__ import annotations

import functools
from typing import Iterator

import regex

TIMEOUT = 0.5


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, flags: int = regex.MULTILINE) -> regex.Pattern:
    return regex.compile(pattern, flags)


@functools.lru_cache(maxsize=64)
def literals(words: tuple[str, ...]) -> regex.Pattern | None:
    """One alternation for a word list, longest first."""
    if not words:
        return None
    return regex.compile("|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def finditer(pattern: "str | regex.Pattern", text: str, pos: int = 0,
             endpos: int | None = None) -> Iterator[regex.Match]:
    """Matches of ``pattern`` in ``text[pos:endpos]``; a search that times out just ends."""
    pat = compile_pattern(pattern) if isinstance(pattern, str) else pattern
    try:
        yield from pat.finditer(text, pos, len(text) if endpos is None else endpos, timeout=TIMEOUT)
    except TimeoutError:
        return


def search(pattern: "str | regex.Pattern", text: str, pos: int = 0) -> regex.Match | None:
    pat = compile_pattern(pattern) if isinstance(pattern, str) else pattern
    try:
        return pat.search(text, pos, timeout=TIMEOUT)
    except TimeoutError:
        return None
