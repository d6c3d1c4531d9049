"""Checking on a cluster gives the command line's findings, cross-document ones included.

The reports: a town's 2021 and 2022 reports that disagree (GK308, GK309) and
copy each other (GK510), a sibling town's report, two reports whose agency
comes from a gikcheck-agencies.toml beside them (read by the workers), three
single reports and an empty file (GK001). Expected: ``gikcheck -j 2 --format json``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gikcheck.cluster import FINDING_COLUMNS, cross_findings, finding_row, lint_item, merge, report_paths, summary_of

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"

MAPPING = """[files]
"defective-arithmetic.txt" = { agency = "红石镇人民政府", year = 2022 }
"defective-tables.txt" = { agency = "黑水镇人民政府", year = 2022 }
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reports")
    shutil.copytree(FIXTURES / "crossdoc" / "inconsistent", root / "inconsistent")
    for name in ("clean-2008.txt", "clean-2019.txt", "defective-structure.txt"):
        shutil.copy(ROOT / "examples" / name, root / name)
    # Also 青山镇's 2022 reports: only the mapping file keeps them apart from inconsistent/qingshan-2022.txt.
    (root / "hongshi").mkdir()
    for name in ("defective-arithmetic.txt", "defective-tables.txt"):
        shutil.copy(ROOT / "examples" / name, root / "hongshi" / name)
    (root / "hongshi" / "gikcheck-agencies.toml").write_text(MAPPING, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def cli(reports: Path) -> list[dict]:
    # Absolute paths: the workers, whatever their working directory, open the same files.
    out = subprocess.run(
        [sys.executable, "-m", "gikcheck", "-j", "2", "--format", "json", str(reports)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    found = json.loads(out.stdout)
    # The directory is what the test needs: every cross-document rule fires, and a fix is there.
    by_code = {(Path(d["path"]).relative_to(reports).as_posix(), d["code"]) for d in found}
    assert {
        ("inconsistent/qingshan-2022.txt", "GK308"),
        ("inconsistent/qingshan-2022.txt", "GK309"),
        ("inconsistent/qingshan-2022.txt", "GK510"),
        ("hongshi/defective-arithmetic.txt", "GK510"),
        ("empty.txt", "GK001"),
    } <= by_code
    assert any("fix" in d for d in found) and "fix" not in found[0]
    return found


def _load_example(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_map_reduce_merge_without_an_engine(reports, cli):
    # The three steps any engine runs (the Spark example uses exactly these), run in a loop.
    results = [lint_item(p) for p in report_paths([str(reports)])]
    assert all(r.text is None and r.report is None for r in results)
    cross = cross_findings(summary_of(r) for r in results)
    assert {Path(p).relative_to(reports).as_posix() for p in cross} == {
        "inconsistent/qingshan-2022.txt",
        "inconsistent/baishui-2022.txt",
        "hongshi/defective-arithmetic.txt",
        "hongshi/defective-tables.txt",
    }
    merged = [merge(r, cross) for r in results]
    assert [d.to_dict() for r in merged for d in r.diagnostics] == cli
    # merge() leaves its input alone: the same result merged twice gains nothing twice.
    assert [d.to_dict() for r in results for d in merge(r, cross).diagnostics] == cli


def test_finding_row_has_every_column(cli):
    columns = [name for name, _ in FINDING_COLUMNS]
    results = [lint_item(("x.txt", (ROOT / "examples" / "defective-tables.txt").read_text(encoding="utf-8")))]
    rows = [finding_row(d) for r in results for d in r.diagnostics]
    assert rows and all(list(row) == columns for row in rows)
    fixed = [row for row in rows if row["fix"] is not None]
    assert fixed and all(json.loads(row["fix"])["edits"] for row in fixed)


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_dask_example_on_a_local_cluster_gives_the_cli_findings(reports, cli, tmp_path):
    pytest.importorskip("dask.distributed")
    pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    example = _load_example("dask_check")
    out, parquet = tmp_path / "findings.json", tmp_path / "findings"
    assert example.main([str(reports), "--workers", "2", "--output", str(out), "--parquet", str(parquet)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == cli
    # Parquet: every column (fix included, though the first finding has none), every finding.
    frame = pd.read_parquet(parquet)
    assert list(frame.columns) == [name for name, _ in FINDING_COLUMNS]
    got = sorted(frame[["path", "code", "line", "column", "message"]].itertuples(index=False, name=None))
    assert got == sorted((d["path"], d["code"], d["line"], d["column"], d["message"]) for d in cli)
    fixes = sorted(json.loads(f)["message"] for f in frame["fix"].dropna())
    assert fixes == sorted(d["fix"]["message"] for d in cli if "fix" in d)


def test_dask_bag_of_texts_gives_the_cli_findings(reports, cli, client):
    import dask.bag as db

    from gikcheck.cluster import findings

    # The names are the files' paths: the workers find the mapping file beside them.
    paths = report_paths([str(reports)])
    pairs = [(p, Path(p).read_text(encoding="utf-8")) for p in paths]
    assert findings(db.from_sequence(pairs, npartitions=4)).compute() == cli
    # And paths, in as many partitions as reports: the reduce goes over a tree of partitions.
    assert findings(db.from_sequence(paths, npartitions=len(paths))).compute() == cli


def test_spark_example_gives_the_cli_findings(reports, cli, tmp_path):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs a Java runtime")
    example = _load_example("spark_check")
    out = tmp_path / "findings.json"
    assert example.main([str(reports), "--master", "local[2]", "--output", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == cli
