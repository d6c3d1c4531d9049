"""The cross-document findings (GK308, GK309, GK510) stay exactly what they were.

``tests/fixtures/crossdoc/expected.json`` holds the findings of the cross-document rules
as the single-module implementation (before the memory work and the split) gave them, over
groups of reports: the fixture directories, a generated corpus of 400 reports
(``benchmarks/generate.py --seed 7``: agencies' series of years, copies, carry-over and stock
defects) and, when present, the shared corpus and seeds. Each group is checked in process,
through the process pool (``-j 2``), with the summaries spilled to the on-disk store
(``gikcheck/spill.py``), as a streamed run over the store (as ``gikcheck`` from 2 000 files on)
and through ``gikcheck.cluster``'s map and reduce.
Regenerate (only when a change of findings is intended): ``python tests/test_crossdoc_same.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "crossdoc"
EXPECTED = FIXTURES / "expected.json"
SHARED = ROOT.parent / "shared"
CROSS = ("GK308", "GK309", "GK510")


def generated(root: Path) -> Path:
    out = root / "generated"
    if not out.is_dir():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(out), "--count", "400", "--seed", "7"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return out


def groups(tmp: Path) -> dict[str, list[Path]]:
    out = {name: [FIXTURES / name] for name in ("consistent", "inconsistent", "mapped")}
    out["fixtures"] = [FIXTURES]
    out["generated"] = [generated(tmp)]
    if (SHARED / "corpus").is_dir() and (SHARED / "seeds").is_dir():
        out["shared"] = [SHARED / "corpus", SHARED / "seeds"]
    return out


def normalized(found: list[dict], bases: list[Path]) -> list[dict]:
    """The cross-document findings with paths relative to the group's directories."""

    def rel(s: str) -> str:
        for b in bases:
            s = s.replace(str(b.parent.resolve()) + "/", "").replace(str(b.parent) + "/", "")
        return s

    keep = [json.loads(rel(json.dumps(d, ensure_ascii=False))) for d in found if d["code"] in CROSS]
    return sorted(keep, key=lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True))


def via_cli(paths: list[Path], jobs: int) -> list[dict]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "gikcheck",
            "--isolated",
            "-j",
            str(jobs),
            "--format",
            "json",
            "--select",
            ",".join(CROSS),
            "--exit-zero",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    return normalized(json.loads(out.stdout), paths)


def via_cluster(paths: list[Path]) -> list[dict]:
    from gikcheck.cluster import cross_findings, dicts_of, lint_item, merge, report_paths, summary_of
    from gikcheck.config import Resolver

    resolver = Resolver(overrides={"select": ",".join(CROSS)}, isolated=True)
    results = [lint_item(p, resolver) for p in report_paths(map(str, paths))]
    cross = cross_findings(summary_of(r) for r in results)
    return normalized([d for r in results for d in dicts_of(merge(r, cross))], paths)


def via_spill(paths: list[Path]) -> list[dict]:
    """In process through the pool, the summaries kept in the on-disk store (as from 2 000 files on)."""
    from gikcheck.config import Resolver
    from gikcheck.engine import finish_run, iter_files
    from gikcheck.runner import lint_files
    from gikcheck.spill import Spilled

    resolver = Resolver(overrides={"select": ",".join(CROSS)}, isolated=True)
    items = [(p, shown, resolver.for_path(p)) for p, shown in iter_files(map(str, paths))]
    results = list(lint_files(items, jobs=2, keep="none", summarize=True, spill=True))
    assert any(isinstance(r.summaries, Spilled) for r in results) or not any(r.summaries for r in results)
    finish_run(results)
    return normalized([d.to_dict() for r in results for d in r.diagnostics], paths)


def via_streamed_spill(paths: list[Path]) -> list[dict]:
    """As a streamed ``gikcheck`` run over 2 000 files or more: the summaries and what the end needs
    of each report in the store, the cross-document findings from ``SummaryStore.finish_run``."""
    from gikcheck.config import Resolver
    from gikcheck.engine import iter_files
    from gikcheck.runner import lint_files
    from gikcheck.streaming import StreamedRun

    resolver = Resolver(overrides={"select": ",".join(CROSS)}, isolated=True)
    items = [(p, shown, resolver.for_path(p)) for p, shown in iter_files(map(str, paths))]
    run = StreamedRun()
    out = list(run.results([], lint_files(items, jobs=2, keep="none", summarize=True, spill=True)))
    own, cross = out[: len(items)], out[len(items) :]
    assert all(not r.summaries or hasattr(r.summaries, "store") for r in own)
    # The run's end kept nothing of a report without a cross-document finding.
    assert all(r.diagnostics for r in cross)
    return normalized([d.to_dict() for r in out for d in r.diagnostics], paths)


def snapshot(tmp: Path) -> dict[str, list[dict]]:
    return {name: via_cli(paths, 1) for name, paths in groups(tmp).items()}


@pytest.fixture(scope="module")
def expected() -> dict[str, list[dict]]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("crossdoc-same")


def test_snapshot_is_not_empty(expected):
    for code in CROSS:
        assert any(d["code"] == code for group in expected.values() for d in group), code
    assert {d["code"] for d in expected["generated"]} == {"GK308", "GK510"}
    assert expected["consistent"] == []


@pytest.mark.parametrize("name", ["consistent", "inconsistent", "mapped", "fixtures", "generated", "shared"])
@pytest.mark.parametrize("way", ["serial", "pool", "cluster", "spill", "streamed"])
def test_same_findings(name, way, expected, tmp):
    paths = groups(tmp).get(name)
    if paths is None or name not in expected:
        pytest.skip("../shared is absent")
    if way == "serial":
        got = via_cli(paths, 1)
    elif way == "pool":
        got = via_cli(paths, 2)
    elif way == "cluster":
        got = via_cluster(paths)
    elif way == "spill":
        got = via_spill(paths)
    else:
        got = via_streamed_spill(paths)
    assert got == expected[name]


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        EXPECTED.write_text(json.dumps(snapshot(Path(d)), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
