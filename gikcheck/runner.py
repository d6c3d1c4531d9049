"""Checking many files: in-process for a few, a process pool for many.

Results come back in input order (deterministic output), each without its
parse tree so that memory does not grow with the parse of every report.
"""

from __future__ import annotations

import functools
import os
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Sequence

from . import TYPE_CHECKING, rx
from .config import Settings
from .engine import FileResult, Url, crashed, lint_path, lint_url

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

POOL_THRESHOLD = 32  # below this many files a pool costs more than it saves
SPILL_AT = 2000  # from this many files on, the cross-document summaries wait on disk
IN_FLIGHT = 4  # batches submitted per worker ahead of the one the output waits for


class FileList(Sequence):
    """The run's files as ``(name, shown, settings)`` items, held compactly: a national year is
    200 000 of them, and a tuple each would cost more than the rest of what the run keeps of a report.

    The names are kept as given (``shown`` only where it differs), the settings by their index
    among the run's few distinct ones; an item is made when asked for.
    """

    def __init__(self, items: Iterable[tuple[Path | str, str, Settings]] = ()) -> None:
        self._names: list[Path | str] = []
        self._shown: dict[int, str] = {}  # where shown is not the name itself
        self._settings: list[Settings] = []
        self._index: dict[int, int] = {}  # id(settings) → its index
        self._which = array("H")
        for item in items:
            self.append(item)

    def append(self, item: tuple[Path | str, str, Settings]) -> None:
        name, shown, settings = item
        i = self._index.get(id(settings))
        if i is None:
            i = self._index[id(settings)] = len(self._settings)
            self._settings.append(settings)  # kept alive: its id stays its own
            if len(self._settings) > 0xFFFF and self._which.typecode == "H":
                self._which = array("I", self._which)
        if shown is not name and shown != name:
            self._shown[len(self._names)] = shown
        self._names.append(name)
        self._which.append(i)

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        name = self._names[i]  # IndexError out of range
        return name, self._shown.get(i, name), self._settings[self._which[i]]

    def __iter__(self) -> Iterator[tuple[Path | str, str, Settings]]:
        for i in range(len(self)):
            yield self[i]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _work(item: tuple[Path | str, str, Settings], keep: str = "text", summarize: bool = True) -> FileResult:
    path, shown, settings = item
    try:
        if isinstance(path, Url):
            result = lint_url(str(path), settings, summarize).detach()
        else:
            result = lint_path(path, settings, shown, summarize).detach()
    except Exception as e:  # lint_* already guard; this is the last line: one file never sinks a batch
        result = crashed(shown, e, settings)
    rx.save()  # a pool's workers end without atexit: keep what they compiled (nothing to do once kept)
    # Memory stays flat over many files: keep of each source only what the output shows.
    if keep == "lines":
        result.keep_lines_only()
    elif keep == "none":
        result.text = None
    return result


def lint_files(
    items: Sequence[tuple[Path | str, str, Settings]],
    jobs: int = 1,
    keep: str = "text",
    summarize: bool | None = None,
    spill: bool | None = None,
) -> Iterator[FileResult]:
    """Check ``items`` in order, keeping of each source "text", only its finding "lines", or "none".

    ``summarize``: prepare the cross-document rules' data; by default only when
    there are several items (a lone report has nothing to be compared with).
    ``spill``: keep the summaries in an on-disk store (``gikcheck/spill.py``); by default
    from ``SPILL_AT`` items on, so that memory does not grow with the run.
    """
    if keep not in ("text", "lines", "none"):
        raise ValueError(f"keep: {keep!r}")
    summarize = len(items) > 1 if summarize is None else summarize
    work = functools.partial(_work, keep=keep, summarize=summarize)
    results = map(work, items) if jobs <= 1 or len(items) < POOL_THRESHOLD else _pooled(work, items, jobs)
    if not summarize or not (len(items) >= SPILL_AT if spill is None else spill):
        yield from results
        return
    from .spill import SummaryStore

    store = SummaryStore()
    for result in results:
        store.spill_result(result)
        yield result


def _batch(work, batch: Sequence[tuple[Path | str, str, Settings]]) -> list[FileResult]:
    return [work(item) for item in batch]


def _pooled(work, items: Sequence[tuple[Path | str, str, Settings]], jobs: int) -> Iterator[FileResult]:
    """``work`` over ``items`` in a process pool, in order; a worker that dies costs only its file.

    The pool is fed lazily: a few batches per worker are in flight, the next one is submitted
    as one is taken, so the main process holds neither a future per file nor results that
    ran ahead (a national run of 200 000 reports stays as small as a run of 2 000).

    A worker can die without an exception to report (killed for its memory,
    a crash inside a C library): the pool is then broken and every pending
    result lost. The files not yet reported are taken up again in a new pool,
    one file per task; when that breaks too, the few files that were in the
    workers' hands are checked one at a time, each in a process of its own
    (the file that kills its process gets GK002), and the rest in a new pool.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # only a run over many files pays for these
    from concurrent.futures.process import BrokenProcessPool

    # spawn: workers start clean (no inherited locks or rich consoles); they
    # load the plugins and packs once each.
    ctx = multiprocessing.get_context("spawn")
    chunk = max(1, min(32, len(items) // (jobs * 4)))
    start = 0
    while start < len(items):
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                for result in _in_order(pool, work, items, start, chunk, IN_FLIGHT * jobs):
                    yield result
                    start += 1
            return
        except BrokenProcessPool:
            pass
        if chunk > 1:  # again, one file per task: the next break points at a few files only
            chunk = 1
            continue
        # The culprit was among the files in the workers' hands (and the one queued next).
        for item in items[start : start + jobs + 1]:
            yield _alone(work, item, ctx)
            start += 1


def _in_order(
    pool, work, items: Sequence[tuple[Path | str, str, Settings]], start: int, chunk: int, in_flight: int
) -> Iterator[FileResult]:
    """Results of ``items[start:]`` in input order, with at most ``in_flight`` batches submitted."""
    pending: deque = deque()
    pos = start
    while pos < len(items) or pending:
        while pos < len(items) and len(pending) < in_flight:
            batch = items[pos : pos + chunk]
            future = pool.submit(_batch, work, batch)
            future.items = batch
            pending.append(future)
            pos += chunk
        done = pending.popleft()
        for result, item in zip(done.result(), done.items):
            # The settings came back as a copy per file: share the one sent (the same for a directory),
            if result.settings is not None and result.settings == item[2]:
                result.settings = item[2]
            if result.path == item[1]:
                result.path = item[1]  # and its name: one string for the output and the summaries
            yield result


def _alone(work, item: tuple[Path | str, str, Settings], ctx) -> FileResult:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        try:
            return pool.submit(work, item).result()
        except BrokenProcessPool:
            return crashed(item[1], RuntimeError("检查此文件的进程意外退出(可能内存不足被系统终止)"), item[2])
