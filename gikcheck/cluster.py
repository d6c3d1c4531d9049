"""Checking reports on a cluster (Dask, Spark): the findings of ``gikcheck -j``.

The cross-document rules (GK308/GK309 across years, GK510 copied report)
need every report of a run, so a cluster run is a map and a reduce:

1. ``lint_item`` (map, on the workers): one report — a path, or a
   ``(name, text)`` / ``(name, bytes)`` pair — becomes a ``FileResult``
   with its own findings and the small, picklable summaries the
   cross-document rules need of it (no parse tree, no text).
2. ``summary_of`` + ``cross_findings`` (reduce): the summaries of all
   reports, in input order, go through the engine's ``finish_run`` — the
   very code the command line runs — and come out as the cross-document
   findings by path.
3. ``merge`` (map again): a report's own findings and its cross-document
   ones, ordered as the command line orders them.

These are plain functions of picklable data, for any engine (see
``examples/spark_check.py``). ``check_bag`` and ``findings`` run them on the
Dask bag they are given; this module never imports Dask itself
(``pip install "gikcheck[dask]"`` for the cluster and Parquet)::

    import dask.bag as db
    from dask.distributed import Client
    from gikcheck.cluster import findings, report_paths

    if __name__ == "__main__":        # workers are started by re-importing this file
        with Client("tcp://scheduler:8786"):
            paths = report_paths(["/data/reports"])     # the files `gikcheck /data/reports` checks
            found = findings(db.from_sequence(paths, npartitions=64)).compute()

``found`` then equals the array ``gikcheck -j N --format json /data/reports``
writes, cross-document findings included. Paths are opened by the workers,
so they must see the same files (a shared file system; a relative path is
taken in the worker's working directory); otherwise give ``(name, bytes)``
pairs. Without ``settings`` each report's configuration is looked up from
its path as the command line does (``gikcheck.toml``, ``gikcheck-agencies.toml``
beside the reports).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from . import TYPE_CHECKING
from .config import Resolver, Settings
from .diagnostics import Diagnostic
from .engine import FileResult, finish_run, is_url, iter_files, lint_bytes, lint_path, lint_url

if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # pragma: no cover - only for annotations
    import dask.bag

# A report: a path (checked by the worker that opens it), or a name and its content.
Item = str | os.PathLike | tuple[str, str] | tuple[str, bytes]
Config = Settings | Resolver | None

# The columns of a finding as a table row (``finding_row``); nested data as JSON text,
# so that every partition has the same schema whatever its findings hold.
FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("path", "string"),
    ("code", "string"),
    ("name", "string"),
    ("severity", "string"),
    ("message", "string"),
    ("line", "int64"),
    ("column", "int64"),
    ("end_line", "int64"),
    ("end_column", "int64"),
    ("count", "int64"),
    ("help", "string"),
    ("anchor", "string"),
    ("origin", "string"),
    ("related", "string"),
    ("fix", "string"),
)

_resolver: Resolver | None = None  # one per worker process: configurations are read once


def report_paths(paths: Iterable[str]) -> list[str]:
    """The files the command line checks for ``paths``: directories walked as ``gikcheck`` walks them.

    Items keep the command line's spelling, so findings name the same paths.
    """
    return [shown for p, shown in iter_files(paths) if p is not None]  # None: standard input


def _settings_for(config: Config, name: str) -> Settings:
    global _resolver
    if isinstance(config, Settings):
        return config
    if config is None:
        if _resolver is None:
            _resolver = Resolver()
        config = _resolver
    local = name and "://" not in name and name not in ("-", "<string>")
    return config.for_path(Path(name) if local else None)


def lint_item(item: Item, settings: Config = None, summarize: bool = True) -> FileResult:
    """Check one report on a worker: its findings and its cross-document summaries, no text.

    ``settings``: one ``Settings`` for every report, a ``Resolver`` (configuration looked up
    per report, with command-line overrides), or None (as ``gikcheck`` without options).
    ``summarize=False`` skips the cross-document summaries (the command line does for one file).
    """
    if isinstance(item, tuple):
        name, content = item
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        result = lint_bytes(data, name, _settings_for(settings, name), summarize)
    else:
        shown = os.fspath(item)
        if is_url(shown):
            result = lint_url(shown, _settings_for(settings, shown), summarize)
        else:
            result = lint_path(Path(shown), _settings_for(settings, shown), shown, summarize)
    result.detach()
    result.text = None
    return result


def summary_of(result: FileResult) -> FileResult:
    """What the reduce needs of a report: its path, summaries and settings, none of its findings."""
    return result.for_run()


def cross_findings(summaries: Iterable[FileResult]) -> dict[str, list[Diagnostic]]:
    """The cross-document findings of a run, by path; ``summaries`` in input order.

    This is the engine's ``finish_run`` over the reports' summaries, exactly as at the
    end of a ``gikcheck`` run.
    """
    kept = list(summaries)
    finish_run(kept)
    out: dict[str, list[Diagnostic]] = {}
    for r in kept:
        if r.diagnostics:
            out.setdefault(r.path, []).extend(r.diagnostics)
    return out


def merge(result: FileResult, cross: dict[str, list[Diagnostic]]) -> FileResult:
    """A report's own findings and its cross-document ones, in the command line's order.

    A new result: the scheduler may hand the same in-memory ``result`` to another task.
    """
    diags = result.diagnostics + cross.get(result.path, [])
    return FileResult(
        result.path, sorted(diags, key=Diagnostic.sort_key), None, result.readable, None, None, result.settings
    )


def finding_row(d: Diagnostic) -> dict[str, Any]:
    """A finding as a flat row with the columns of ``FINDING_COLUMNS`` (for a data frame)."""
    data = d.to_dict()
    row: dict[str, Any] = {name: data.get(name) for name, _ in FINDING_COLUMNS}
    row["count"] = data.get("count", 1)
    for nested in ("related", "fix"):
        if row[nested] is not None:
            row[nested] = json.dumps(row[nested], ensure_ascii=False)
    return row


def dicts_of(result: FileResult) -> list[dict[str, Any]]:
    """A result's findings as ``gikcheck --format json`` writes them."""
    return [d.to_dict() for d in result.diagnostics]


def rows_of(result: FileResult) -> list[dict[str, Any]]:
    """A result's findings as table rows (``finding_row``)."""
    return [finding_row(d) for d in result.diagnostics]


def _concat(parts: Iterable[Iterable[FileResult]]) -> list[FileResult]:
    return list(chain.from_iterable(parts))


def check_bag(bag: dask.bag.Bag, settings: Config = None) -> dask.bag.Bag:
    """A Dask bag of reports (paths or ``(name, text)`` pairs) → a bag of ``FileResult``, in the same order.

    Lazy: nothing runs before ``compute()``. Each result holds the report's findings,
    cross-document ones included; the reports' summaries are reduced on the cluster.
    """
    results = bag.map(lint_item, settings)
    # A tree reduction that only concatenates (in partition order); finish_run runs once on the whole.
    everything = results.map(summary_of).reduction(list, _concat)
    cross = everything.apply(cross_findings)
    return results.map(merge, cross)


def findings(bag: dask.bag.Bag, settings: Config = None) -> dask.bag.Bag:
    """A bag of reports → a bag of findings as ``gikcheck --format json`` writes them (dicts).

    As a table: ``check_bag(bag).map(rows_of).flatten().to_dataframe(meta=finding_meta())``.
    """
    return check_bag(bag, settings).map(dicts_of).flatten()


def finding_meta() -> Any:
    """The empty pandas frame of ``FINDING_COLUMNS``: the explicit ``meta`` of ``to_dataframe``.

    Without it Dask takes the columns from the first finding, and a column that one
    lacks (``fix``, ``origin``, …) is dropped from the whole frame.
    """
    import pandas as pd

    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in FINDING_COLUMNS})
