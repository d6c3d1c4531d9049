"""The on-disk store of a long run (gikcheck/spill.py) and the streamed run's end over it."""

from __future__ import annotations

from pathlib import Path

from gikcheck.config import Resolver, Settings
from gikcheck.diagnostics import Severity
from gikcheck.engine import FileResult, engine_diagnostic, finish_run, lint_path
from gikcheck.spill import Spilled, Stored, SummaryStore
from gikcheck.streaming import StreamedRun

INCONSISTENT = Path(__file__).resolve().parent / "fixtures" / "crossdoc" / "inconsistent"
CROSS = ("GK308", "GK309", "GK510")


def checked() -> list[FileResult]:
    settings = Resolver(overrides={"select": ",".join(CROSS)}, isolated=True).for_path(INCONSISTENT)
    return [lint_path(p, settings, str(p), summarize=True).detach() for p in sorted(INCONSISTENT.glob("*.txt"))]


def findings(results: list[FileResult]) -> list[tuple[str, str, int, str]]:
    return [(d.path, d.code, d.location.line, d.message) for r in results for d in r.diagnostics]


def in_memory() -> list[tuple[str, str, int, str]]:
    results = checked()
    for r in results:
        r.diagnostics = []  # only the cross-document findings
    finish_run(results)
    return findings([r for r in results if r.diagnostics])


def test_store_keeps_what_the_end_needs():
    results = checked()
    store = SummaryStore()
    for r in results:
        store.spill_result(r)
    assert all(isinstance(r.summaries, Spilled) for r in results)
    assert store.paths == [r.path for r in results]  # the very strings of the run, not copies
    assert all(a is b for a, b in zip(store.paths, (r.path for r in results)))
    items = store.items("GK510")
    assert len(items) == 3 and items[-1][0] == results[-1].path
    assert [p for p, _ in items[1:]] == store.paths[1:]  # a rule may slice its items
    assert isinstance(items[0][1], Stored) and items[0][1].load().key.year == 2022
    out = list(store.finish_run())
    assert findings(out) == in_memory()
    first = out[0]
    original = next(r for r in results if r.path == first.path)
    assert (first.readable, first.agency, first.year, first.template) == (
        original.readable,
        original.agency,
        original.year,
        original.template,
    )
    assert first.settings is original.settings  # the run's settings object, not a copy
    store.close()


def test_streamed_run_over_the_store_matches_in_memory():
    """Reports checked before the spilled ones (standard input) come first, as in memory."""
    done, *pending = checked()
    for r in [done, *pending]:
        r.diagnostics = []
    store = SummaryStore()
    for r in pending:
        store.spill_result(r)
    run = StreamedRun()
    out = list(run.results([done], pending))
    cross = out[3:]
    assert findings(cross) == in_memory()
    assert store.first == 0 and store.paths[0] == done.path


def test_streamed_outcomes_one_per_settings_and_severity():
    """Of many reports with findings under one configuration, the exit code needs one outcome per severity."""
    settings = Settings()

    def warned(name: str, sev: Severity) -> FileResult:
        d = engine_diagnostic("GK001", None, name, "x")
        d.severity = sev
        return FileResult(name, [d], None, True, settings=settings)

    run = StreamedRun()
    results = [warned(f"r{i}.txt", Severity.WARNING) for i in range(50)] + [warned("e.txt", Severity.ERROR)]
    list(run.results([], results))
    assert [(o.path, o.worst) for o in run.outcomes] == [("r0.txt", Severity.WARNING), ("e.txt", Severity.ERROR)]


def test_store_applies_the_reports_severity_to_cross_document_findings():
    """A configuration's ``severity`` table applies to GK510 found over the store, as in memory."""
    resolver = Resolver(overrides={"select": ",".join(CROSS), "severity": {"GK510": "error"}}, isolated=True)
    settings = resolver.for_path(INCONSISTENT)
    results = [lint_path(p, settings, str(p), summarize=True).detach() for p in sorted(INCONSISTENT.glob("*.txt"))]
    store = SummaryStore()
    for r in results:
        store.spill_result(r)
    found = [d for r in store.finish_run() for d in r.diagnostics]
    assert {d.code for d in found} == {"GK308", "GK309", "GK510"}
    assert {d.severity for d in found if d.code == "GK510"} == {Severity.ERROR}
    assert {d.severity for d in found if d.code == "GK309"} == {Severity.WARNING}


def test_file_list_is_the_run_items_held_compactly():
    """The run's list of files gives back the very items it was given (names, settings objects)."""
    from gikcheck.runner import FileList

    a, b = Settings(), Settings(fail_on=Severity.WARNING)
    names = [f"/data/{i}.txt" for i in range(5)]
    items = [(names[0], names[0], a), (names[1], names[1], b), (names[2], "shown/2.txt", a), (Path("/x"), "/x", b)]
    files = FileList(items)
    files.append((names[4], names[4], a))
    items.append((names[4], names[4], a))
    assert len(files) == 5 and list(files) == items and files[-1] == items[-1]
    assert files[1:3] == items[1:3]
    assert files[0][0] is names[0] and files[0][1] is names[0]  # one string for the name and the output
    assert files[1][2] is b and files[2][1] == "shown/2.txt"
