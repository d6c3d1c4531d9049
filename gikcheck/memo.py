"""Work remembered across reports: label keys, compiled configurations, pattern verdicts.

Much of every report is the template's own wording: the same labels, and
the same few words before and after figures (共收到, 其中, 占, 左右). A
``regex`` call costs ≈ 0.3 µs however short its subject, a dict lookup a
tenth of that; label folding and pack patterns are pure functions of their
string, so their answers can be kept, within a bound.
"""

from __future__ import annotations

from collections.abc import Callable

from . import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")


_MAX_ENTRIES = 4096  # per memo; beyond that it starts afresh, so memory stays bounded on any run


class Memo(dict):
    """``memo[s]`` is ``fn(s)``, computed once per string (a plain dict lookup on a hit).

    Meant for short strings (a few words around a figure): a long key costs its hash on every lookup.
    """

    __slots__ = ("fn", "limit")

    def __init__(self, fn: Callable[[str], Any], limit: int = _MAX_ENTRIES) -> None:
        super().__init__()
        self.fn = fn
        self.limit = limit

    def __missing__(self, key: str) -> Any:
        return remember(self, key, self.fn(key), self.limit)


def remember(cache: dict, key: Any, value: T, limit: int = _MAX_ENTRIES) -> T:
    """Store ``value`` under ``key`` in a bounded cache (full: it starts afresh); return ``value``."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value


def by_owner(cache: dict, key: tuple, owner: object, compute: Callable[[], T], limit: int = _MAX_ENTRIES) -> T:
    """``compute()``, remembered under ``key`` and the identity of ``owner`` (a template's spec, a
    pack's patterns): the owner is kept with the answer, as its id may be reused once it is gone."""
    full = (*key, id(owner))
    hit = cache.get(full)
    if hit is not None and hit[0] is owner:
        return hit[1]
    return remember(cache, full, (owner, compute()), limit)[1]


def verdicts(test: Callable[[str], Any]) -> Memo:
    """A memo of ``bool(test(s))``: for a pattern's ``search`` or ``match``."""
    return Memo(lambda s: bool(test(s)))


_BUILT: dict[tuple[Any, int], tuple[dict[str, Any], Any]] = {}


def per_config(factory: Callable[[dict[str, Any]], T], config: dict[str, Any]) -> T:
    """``factory(config)``, built once while the config object lives (it is keyed by identity)."""
    key = (factory, id(config))
    hit = _BUILT.get(key)
    if hit is not None and hit[0] is config:
        return hit[1]
    built = factory(config)
    if len(_BUILT) > 16:
        _BUILT.clear()
    _BUILT[key] = (config, built)
    return built


# A benchmark's stopwatch (benchmarks/rules.py): when set, ``once`` builds through it, so the
# time of a shared analysis is charged to the analysis, not to the first rule that asks for it.
builder: Callable[..., Any] | None = None


def once(owner: Any, build: Callable[..., T], *args: Any) -> T:
    """``build(owner, *args)``, computed once per ``owner`` (a report, a document) and kept on it.

    The report-level memo: analyses that several rules share (the prose view, the figures,
    the cross-document key) are kept under the function that builds them, never under string
    keys each module invents, so two modules cannot collide and a reader finds an analysis by
    its name. ``args`` are used by the first call only (they must not change during a run, like
    the settings). ``owner`` needs a ``__dict__``.
    """
    memos = owner.__dict__.get("_memos")
    if memos is None:
        memos = owner.__dict__["_memos"] = {}
    try:
        return memos[build]
    except KeyError:
        if builder is None:
            value = memos[build] = build(owner, *args)
        else:
            value = memos[build] = builder(build, owner, *args)
        return value
