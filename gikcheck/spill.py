"""The cross-document summaries of a long run, kept on disk instead of in memory.

A national year is some 200 000 reports; kept in the main process, their summaries
(agency, year, a few table cells and a 512-byte MinHash sketch each) would cost more
than the rest of the run together. The runner moves each report's summaries into a
SQLite file as the report comes back (``SummaryStore.spill``) and leaves on the result
a small mapping (``Spilled``) whose values (``Stored``) read them back on demand. The
cross-document rules read a summary back once per use (``loaded``), so what stays in
memory is a row number per report.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from typing import Any


class SummaryStore:
    """Pickled summaries by row, in a temporary SQLite file removed when the store is let go."""

    def __init__(self) -> None:
        fd, path = tempfile.mkstemp(prefix="gikcheck-summaries-", suffix=".sqlite")
        os.close(fd)
        self.db = sqlite3.connect(path)
        # A scratch file: no journal, no fsync; it dies with the run.
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE summaries (row INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        self._finalizer = weakref.finalize(self, _remove, self.db, path)
        self._codes: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple of rule codes per kind of report

    def spill(self, summaries: Mapping[str, Any]) -> Mapping[str, Any]:
        """Store ``summaries``; what the result keeps instead."""
        if not summaries or isinstance(summaries, Spilled):
            return summaries
        cur = self.db.execute(
            "INSERT INTO summaries (data) VALUES (?)", (pickle.dumps(summaries, pickle.HIGHEST_PROTOCOL),)
        )
        codes = tuple(summaries)
        return Spilled(self, cur.lastrowid or 0, self._codes.setdefault(codes, codes))

    def get(self, row: int) -> dict[str, Any]:
        found = self.db.execute("SELECT data FROM summaries WHERE row = ?", (row,)).fetchone()
        return pickle.loads(found[0])

    def close(self) -> None:
        self._finalizer()


def _remove(db: sqlite3.Connection, path: str) -> None:
    db.close()
    try:
        os.unlink(path)
    except OSError:
        pass


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
