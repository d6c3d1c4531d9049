"""A run's results handed to the output as they come.

With a format that writes result by result (``full``, ``concise``, ``jsonl``)
each report's own findings are written as soon as it is checked, in input
order also with ``-j``; of the report only what the end of the run needs is
kept: its cross-document summaries and the outcome the exit code depends
on. The cross-document findings (GK308, GK309, GK510) need every report of
the run: they follow at the end, as a second result for each file they
concern. So memory stays flat however many files are checked; in a long run
(the summaries spilled, gikcheck/spill.py) not even a result per report is
kept: the store holds what the end needs, and its ``finish_run`` makes the
results with cross-document findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain

from . import TYPE_CHECKING
from .diagnostics import Severity, count_places
from .engine import FileResult, finish_run
from .records import Record

if TYPE_CHECKING:
    from typing import Any


class Outcome(Record):
    """What the exit code needs of one result."""

    __slots__ = ("path", "readable", "worst")

    def __init__(self, path: str, readable: bool, worst: Severity | None) -> None:
        self.path = path
        self.readable = readable
        self.worst = worst  # the most severe finding; None when there is none


def outcome(result: FileResult) -> Outcome:
    worst = max((d.severity for d in result.diagnostics), default=None)
    return Outcome(result.path, result.readable, worst)


class StreamedRun:
    """Feeds results to the output one by one and remembers what the end of the run needs."""

    def __init__(self, baseline: Any = None) -> None:
        self.applying = baseline.applying() if baseline is not None else None
        self.codes: Counter[str] = Counter()  # for --statistics
        # What the exit code needs: the outcomes with findings, and one readable outcome
        # (or the first one when none is readable): a clean report leaves nothing behind.
        self.outcomes: list[Outcome] = []
        self._readable = False
        self._seen: dict[tuple[Severity | None, int], Any] = {}

    def results(self, done: Iterable[FileResult], pending: Iterable[FileResult]) -> Iterator[FileResult]:
        """``done`` (already checked) then ``pending`` (checked as they are asked for), then the
        cross-document findings."""
        kept: list[FileResult] = []
        store = None
        for res in chain(done, pending):
            self._note(res)
            yield res
            spilled = getattr(res.summaries, "store", None)  # a spill.Spilled
            if spilled is not None:
                store = spilled  # it holds what the end needs of the report
            elif res.summaries:  # only a report with summaries can get a cross-document finding
                kept.append(res.for_run())
        if store is not None:
            # A long run: nothing of a report stayed in memory but its name; the results with
            # cross-document findings are made from the store. Those kept in memory (standard
            # input, checked before the files) go first, as they came.
            store.prepend(kept)
            del kept
            for res in store.finish_run():
                self._note(res)
                yield res
            return
        finish_run(kept)
        for res in kept:
            res.summaries = {}
            if res.diagnostics:
                self._note(res)
                yield res

    def _note(self, res: FileResult) -> None:
        if self.applying is not None:
            self.applying.feed(res)
        self.codes.update(count_places(res.diagnostics))  # a grouped finding counts its places
        if res.diagnostics or not self.outcomes or (res.readable and not self._readable):
            o = outcome(res)
            if res.readable and res.settings is not None:
                # The exit code asks whether some finding reaches its file's fail-on: of the readable
                # reports sharing one settings object, one outcome per worst severity tells.
                key = (o.worst, id(res.settings))
                if key in self._seen:
                    return
                self._seen[key] = res.settings  # kept alive: its id stays its own
            self.outcomes.append(o)
            self._readable = self._readable or res.readable

    def baseline_outcome(self) -> tuple[int, list] | None:
        return self.applying.outcome() if self.applying is not None else None
