"""The cross-document summaries of a long run, kept on disk instead of in memory.

A national year is some 200 000 reports; kept in the main process, their summaries
(agency, year, a few table cells and a 512-byte MinHash sketch each) would cost more
than the rest of the run together. The runner moves each report's summaries into a
SQLite file as the report comes back (``SummaryStore.spill_result``) and leaves on the result
a small mapping (``Spilled``) whose values (``Stored``) read them back on demand. The
cross-document rules read a summary back once per use (``loaded``).

A streamed run keeps nothing else of a report either: what its cross-document findings
need besides the summaries (readable, agency, year, format, settings) goes into the same
row, and ``SummaryStore.finish_run`` runs the cross-document rules over the rows, making
a result only for a report that gets a finding. What stays in memory is the report's
name (the very string of the run's list of files) and a small number per report.
"""

from __future__ import annotations

import os
from array import array
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence

from . import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # pragma: no cover - only for annotations
    import sqlite3

    from .engine import FileResult

RECENT = 512  # summaries read back kept in memory (a few KB each)


class SummaryStore:
    """Pickled summaries by row, in a temporary SQLite file removed when the store is let go.

    Rows count from 1 in the order reports are stored; ``prepend`` puts reports before them
    (rows 0, -1, …). ``paths`` and ``kinds`` hold, by position (row - ``first``), the report's
    name and which rule codes its summaries are for (an index into ``kinds_seen``).
    """

    def __init__(self) -> None:
        import sqlite3  # only a long run pays for these
        import tempfile
        import weakref

        fd, path = tempfile.mkstemp(prefix="gikcheck-summaries-", suffix=".sqlite")
        os.close(fd)
        self.db = sqlite3.connect(path)
        # A scratch file: no journal, no fsync; it dies with the run.
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE summaries (row INTEGER PRIMARY KEY, data BLOB NOT NULL,"
            " readable INTEGER, agency TEXT, year INTEGER, template TEXT, settings INTEGER)"
        )
        self._finalizer = weakref.finalize(self, _remove, self.db, path)
        self._codes: dict[tuple[str, ...], int] = {}  # one tuple of rule codes per kind of report
        self.kinds_seen: list[tuple[str, ...]] = []
        self.paths: list[str] = []
        self.kinds = array("H")
        self.first = 1  # the row of position 0
        self._settings: list[Any] = []  # the run's distinct settings, by index
        self._settings_ids: dict[int, int] = {}
        self._recent: OrderedDict[int, dict[str, Any]] = OrderedDict()

    def _kind(self, codes: tuple[str, ...]) -> int:
        kind = self._codes.get(codes)
        if kind is None:
            kind = self._codes[codes] = len(self.kinds_seen)
            self.kinds_seen.append(codes)
        return kind

    def _settings_index(self, settings: Any) -> int | None:
        if settings is None:
            return None
        i = self._settings_ids.get(id(settings))
        if i is None:
            i = self._settings_ids[id(settings)] = len(self._settings)
            self._settings.append(settings)  # kept alive: its id stays its own
        return i

    def _insert(self, result: FileResult, row: int | None) -> int:
        import pickle

        summaries = result.summaries
        cur = self.db.execute(
            "INSERT INTO summaries (row, data, readable, agency, year, template, settings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row,
                pickle.dumps(dict(summaries), pickle.HIGHEST_PROTOCOL),
                int(result.readable),
                result.agency,
                result.year,
                result.template,
                self._settings_index(result.settings),
            ),
        )
        return cur.lastrowid if row is None else row  # type: ignore[return-value]

    def spill_result(self, result: FileResult) -> None:
        """Store ``result``'s summaries and what its cross-document findings need; it keeps a ``Spilled``."""
        if not result.summaries or isinstance(result.summaries, Spilled):
            return
        codes = tuple(result.summaries)
        kind = self._kind(codes)
        row = self._insert(result, None)
        self.paths.append(result.path)
        self.kinds.append(kind)
        result.summaries = Spilled(self, row, self.kinds_seen[kind])

    def prepend(self, results: Sequence[FileResult]) -> None:
        """Store ``results`` (in their order) before every report stored so far."""
        results = [r for r in results if r.summaries]
        if not results:
            return
        first = self.first - len(results)
        for i, r in enumerate(results):
            summaries = r.summaries
            if isinstance(summaries, Spilled):
                r.summaries = dict(summaries.store.get(summaries.row))
            self._insert(r, first + i)
        self.paths[:0] = [r.path for r in results]
        self.kinds[:0] = array("H", [self._kind(tuple(r.summaries)) for r in results])
        self.first = first

    def __len__(self) -> int:
        return len(self.paths)

    def get(self, row: int) -> dict[str, Any]:
        import pickle  # imported once; then a lookup

        hit = self._recent.get(row)
        if hit is not None:
            self._recent.move_to_end(row)
            return hit
        found = self.db.execute("SELECT data FROM summaries WHERE row = ?", (row,)).fetchone()
        summaries = pickle.loads(found[0])
        # GK510 compares many reports with the few that share their LSH bands, and every rule
        # reads a report's summaries several times: the last few hundred are kept (read only).
        self._recent[row] = summaries
        if len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return summaries

    def items(self, code: str) -> StoredItems:
        """The (path, summary) pairs of rule ``code`` for its ``check_run``, read as they are asked for."""
        return StoredItems(self, code)

    def result(self, pos: int, diagnostics: list) -> FileResult:
        """The result of the report at ``pos`` for the end of the run: its cross-document findings only."""
        from .engine import FileResult

        readable, agency, year, template, settings = self.db.execute(
            "SELECT readable, agency, year, template, settings FROM summaries WHERE row = ?", (pos + self.first,)
        ).fetchone()
        return FileResult(
            self.paths[pos],
            diagnostics,
            None,
            bool(readable) if readable is not None else True,
            None,
            {},
            self._settings[settings] if settings is not None else None,
            agency=agency or "",
            year=year,
            template=template,
        )

    def finish_run(self) -> Iterator[FileResult]:
        """The cross-document rules over the stored reports, as ``engine.finish_run`` runs them over
        results in memory; yields, in order, a result for each report that gets a finding."""
        from .diagnostics import Diagnostic
        from .engine import all_rules, engine_diagnostic, run_severity
        from .rule import RunContext

        # (rule, finding); a rule's failure (GK002, on the first report the rule saw, as
        # engine.finish_run puts it) comes with no rule: no severity of the rule applies to it.
        found: list[tuple[Any, Diagnostic]] = []
        for rule in [r for r in all_rules() if r.scope == "run"]:
            items = self.items(rule.code)
            if not items:
                continue
            ctx = RunContext(rule)
            try:
                found.extend((rule, d) for d in list(rule().check_run(items, ctx)))
            except Exception as e:
                first = items.position(0)
                message = f"规则 {rule.code}({rule.name})运行出错: {type(e).__name__}: {e}"
                settings = self.result(first, []).settings
                found.append((None, engine_diagnostic("GK002", None, self.paths[first], message, settings=settings)))
        # A finding goes to the last report of its path (as engine.finish_run's mapping by path).
        wanted = {d.path for _, d in found}
        last: dict[str, int] = {}
        for pos in range(len(self.paths) - 1, -1, -1):
            if not wanted:
                break
            if self.paths[pos] in wanted:
                last[self.paths[pos]] = pos
                wanted.discard(self.paths[pos])
        found_by_pos: dict[int, list[Diagnostic]] = {}
        for rule, d in found:
            target = last.get(d.path)
            if target is None:
                continue
            if rule is not None:
                severity = run_severity(self.result(target, []).settings, rule)
                if severity is not None:
                    d.severity = severity
            found_by_pos.setdefault(target, []).append(d)
        for pos in sorted(found_by_pos):
            diags = found_by_pos.pop(pos)
            diags.sort(key=Diagnostic.sort_key)
            yield self.result(pos, diags)

    def close(self) -> None:
        self._finalizer()


def _remove(db: sqlite3.Connection, path: str) -> None:
    db.close()
    try:
        os.unlink(path)
    except OSError:
        pass


class StoredItems(Sequence):
    """A rule's ``items`` over a store: item ``i`` is (path, ``Stored``), made when asked for.

    So a run's end holds no pair per report; only the positions of the reports whose
    summaries are for this rule (all of them, as a rule, then none are kept).
    """

    def __init__(self, store: SummaryStore, code: str) -> None:
        self.store = store
        self.code = code
        wanted = {k for k, codes in enumerate(store.kinds_seen) if code in codes}
        if len(wanted) == len(store.kinds_seen):
            self._positions: array | None = None  # every report
        else:
            self._positions = array("i", (p for p, k in enumerate(store.kinds) if k in wanted))

    def position(self, i: int) -> int:
        return i if self._positions is None else self._positions[i]

    def __len__(self) -> int:
        return len(self.store.paths) if self._positions is None else len(self._positions)

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        pos = self.position(i)
        return self.store.paths[pos], Stored(self.store, pos + self.store.first, self.code)

    def __iter__(self) -> Iterator[tuple[str, Stored]]:
        for i in range(len(self)):
            yield self[i]


class Spilled(Mapping):
    """A report's summaries by rule code, read from the store when asked for."""

    __slots__ = ("store", "row", "codes")

    def __init__(self, store: SummaryStore, row: int, codes: tuple[str, ...]) -> None:
        self.store, self.row, self.codes = store, row, codes

    def __getitem__(self, code: str) -> Stored:
        if code not in self.codes:
            raise KeyError(code)
        return Stored(self.store, self.row, code)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __reduce__(self) -> tuple:
        # Sent elsewhere, the summaries travel themselves, not a row of this process' file.
        return (dict, (self.store.get(self.row),))


class Stored:
    """One spilled summary: ``load()`` reads it back; its attributes read it back each time."""

    __slots__ = ("store", "row", "code")

    def __init__(self, store: SummaryStore, row: int, code: str) -> None:
        self.store, self.row, self.code = store, row, code

    def load(self) -> Any:
        return self.store.get(self.row)[self.code]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.load(), name)

    def __reduce__(self) -> tuple:
        return (_identity, (self.load(),))


def _identity(value: Any) -> Any:
    return value


def loaded(summary: Any) -> Any:
    """The summary itself: read back once when it was spilled (a ``Stored``), else as it is."""
    return summary.load() if isinstance(summary, Stored) else summary
