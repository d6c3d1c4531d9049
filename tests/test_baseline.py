"""Baselines: accept known findings by code + stable anchor + path, fail only on new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gikcheck.baseline import Baseline, BaselineError
from gikcheck.cli import main
from gikcheck.diagnostics import Diagnostic, Location, Severity, Span
from gikcheck.engine import FileResult

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARITH = EXAMPLES / "defective-arithmetic.txt"
SELECT = ["--select", "GK3", "--isolated", "--format", "json"]


def _diag(path: str, code: str, anchor: str, line: int) -> Diagnostic:
    return Diagnostic(
        code=code,
        message=f"{code} 第 {line} 行",
        span=Span(line, line),
        severity=Severity.ERROR,
        path=path,
        location=Location(line, 1, line, 2),
        anchor=anchor,
    )


def test_keys_ignore_positions_and_count_repeats(tmp_path):
    p = str(tmp_path / "a.txt")
    old = [
        FileResult(
            p, [_diag(p, "GK301", "t:col1", 10), _diag(p, "GK301", "t:col1", 11), _diag(p, "GK302", "t:row1", 12)]
        )
    ]
    base = Baseline.from_results(old, tmp_path)
    assert base.to_json()["entries"] == [
        {"path": "a.txt", "code": "GK301", "anchor": "t:col1", "count": 2},
        {"path": "a.txt", "code": "GK302", "anchor": "t:row1", "count": 1},
    ]
    # The same findings on other lines, one GK301 more, the GK302 fixed.
    new = [
        FileResult(
            p,
            [
                _diag(p, "GK301", "t:col1", 20),
                _diag(p, "GK301", "t:col1", 21),
                _diag(p, "GK301", "t:col1", 22),
                _diag(p, "GK303", "t:col1", 23),
            ],
        )
    ]
    suppressed, stale = base.apply(new)
    assert suppressed == 2
    assert [(d.code, d.location.line) for d in new[0].diagnostics] == [("GK301", 22), ("GK303", 23)]
    assert [(s.code, s.anchor, s.count) for s in stale] == [("GK302", "t:row1", 1)]


def test_files_not_checked_are_not_stale(tmp_path):
    a, b = str(tmp_path / "a.txt"), str(tmp_path / "b.txt")
    base = Baseline.from_results(
        [FileResult(a, [_diag(a, "GK301", "x", 1)]), FileResult(b, [_diag(b, "GK301", "x", 1)])], tmp_path
    )
    _, stale = base.apply([FileResult(a, [])])
    assert [s.path for s in stale] == ["a.txt"]


def test_unreadable_is_never_baselined(tmp_path):
    p = str(tmp_path / "a.txt")
    base = Baseline.from_results([FileResult(p, [_diag(p, "GK001", "", 1)], readable=False)], tmp_path)
    assert base.to_json()["entries"] == []


def test_round_trip_and_errors(tmp_path):
    p = str(tmp_path / "sub" / "a.txt")
    base = Baseline.from_results([FileResult(p, [_diag(p, "GK301", "锚", 1)])], tmp_path)
    path = tmp_path / "baseline.json"
    base.write(path)
    assert Baseline.load(path).entries == base.entries
    assert json.loads(path.read_text(encoding="utf-8"))["entries"][0]["path"] == "sub/a.txt"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(BaselineError, match="不是合法的 JSON"):
        Baseline.load(path)
    path.write_text('{"version": 1, "entries": [{"path": "a"}]}', encoding="utf-8")
    with pytest.raises(BaselineError, match="第 1 条记录"):
        Baseline.load(path)
    with pytest.raises(BaselineError, match="不存在"):
        Baseline.load(tmp_path / "missing.json")


def test_cli_write_then_check_only_new_findings(tmp_path, capsys, monkeypatch):
    report = tmp_path / "reports" / "r.txt"
    report.parent.mkdir()
    report.write_bytes(ARITH.read_bytes())
    baseline = tmp_path / "gikcheck-baseline.json"
    monkeypatch.chdir(tmp_path)
    assert main(["reports/r.txt", *SELECT]) == 1
    known = json.loads(capsys.readouterr().out)
    assert known

    # Writing a baseline accepts every current finding.
    assert main(["reports/r.txt", *SELECT, "--write-baseline", str(baseline)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and f"已把 {len(known)} 个问题写入基线文件" in captured.err
    entries = json.loads(baseline.read_text(encoding="utf-8"))["entries"]
    assert {e["path"] for e in entries} == {"reports/r.txt"}
    assert sum(e["count"] for e in entries) == len(known)

    # The same report, edited above the tables (positions move): still nothing new.
    text = report.read_text(encoding="utf-8")
    report.write_text("\n\n" + text, encoding="utf-8")
    assert main(["reports/r.txt", *SELECT, "--baseline", str(baseline)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and f"略去了 {len(known)} 个已知问题" in captured.err

    # A new defect fails, only it is reported; run from another directory, the paths still match.
    row = "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1\n"
    assert row in text
    report.write_text(text.replace(row, row.replace("| 1\n", "| 9\n")), encoding="utf-8")
    monkeypatch.chdir(report.parent)
    code = main(["r.txt", *SELECT, "--baseline", str(baseline)])
    new = json.loads(capsys.readouterr().out)
    assert code == 1
    assert any(d["code"] == "GK302" and "二、上年结转" in d["anchor"] for d in new)
    known_keys = {(d["code"], d["anchor"]) for d in known}
    assert all((d["code"], d["anchor"]) not in known_keys or d["code"] == "GK301" for d in new)


def test_cli_reports_stale_entries(tmp_path, capsys, monkeypatch):
    report = tmp_path / "r.txt"
    report.write_bytes(ARITH.read_bytes())
    baseline = tmp_path / "b.json"
    monkeypatch.chdir(tmp_path)
    main(["r.txt", *SELECT, "--write-baseline", str(baseline)])
    capsys.readouterr()
    report.write_bytes((EXAMPLES / "clean-2021.txt").read_bytes())  # all fixed
    assert main(["r.txt", *SELECT, "--baseline", str(baseline)]) == 0
    err = capsys.readouterr().err
    assert "不再出现" in err and "r.txt: GK301" in err and "--write-baseline" in err
    assert main(["r.txt", *SELECT, "--baseline", str(baseline), "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_cli_bad_baseline_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "b.json"
    bad.write_text("[]", encoding="utf-8")
    assert main([str(ARITH), *SELECT, "--baseline", str(bad)]) == 2
    assert "基线文件" in capsys.readouterr().err
