"""The library API: check_text() / check_path() return plain, picklable data."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import gikcheck
from gikcheck.config import Settings
from gikcheck.diagnostics import Diagnostic, Location

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CROSSDOC = Path(__file__).resolve().parent / "fixtures" / "crossdoc" / "inconsistent"


def test_check_text_returns_plain_diagnostics():
    text = (EXAMPLES / "defective-arithmetic.txt").read_text(encoding="utf-8")
    diags = gikcheck.check_text(text, path="defective-arithmetic.txt")
    assert diags and all(isinstance(d, Diagnostic) for d in diags)
    assert all(isinstance(d.location, Location) and d.path == "defective-arithmetic.txt" for d in diags)
    assert any(d.code.startswith("GK3") for d in diags)


def test_pickle_round_trip():
    for diags in (
        gikcheck.check_text((EXAMPLES / "defective-tables.txt").read_text(encoding="utf-8")),
        gikcheck.check_path(EXAMPLES / "defective-structure.txt"),
        gikcheck.check_path(EXAMPLES / "does-not-exist.txt"),
    ):
        assert diags
        back = pickle.loads(pickle.dumps(diags))
        assert back == diags
        assert [d.to_dict() for d in back] == [d.to_dict() for d in diags]


def test_to_dict_is_json():
    diags = gikcheck.check_path(EXAMPLES / "defective-tables.txt", Settings())
    data = json.loads(json.dumps([d.to_dict() for d in diags], ensure_ascii=False))
    assert {"path", "code", "severity", "message", "line", "column"} <= set(data[0])


def test_unreadable_input_is_a_diagnostic_not_an_exception():
    (d,) = gikcheck.check_text("")
    assert d.code == "GK001"


def _check(path: str) -> list[Diagnostic]:
    return gikcheck.check_path(path, Settings())


def test_mapping_over_processes_equals_sequential():
    # What a Dask bag's .map() or a Spark RDD's .map() does: the function and its results cross processes.
    paths = [str(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        parallel = list(pool.map(_check, paths))
    assert parallel == [_check(p) for p in paths]


def test_cross_document_findings_are_plain_data_too():
    from gikcheck.engine import finish_run, lint_path

    results = [lint_path(p, Settings()).detach() for p in sorted(CROSSDOC.glob("*.txt"))]
    finish_run(results)
    back = pickle.loads(pickle.dumps(results))
    found = [d for r in back for d in r.diagnostics if d.code in ("GK308", "GK309", "GK510")]
    assert {d.code for d in found} == {"GK308", "GK309", "GK510"}
    json.dumps([d.to_dict() | {"data": d.data} for d in found], ensure_ascii=False)
