"""The reviewer's summary: files × rule families, sorted by total findings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from gikcheck.cli import main
from gikcheck.diagnostics import Diagnostic, Location, Severity, Span
from gikcheck.engine import FileResult
from gikcheck.formatters import gikcheck_formatters, summary

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "crossdoc"


def diag(code: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(
        code=code, name="x", message="m", span=Span(0, 0), severity=severity, path="p", location=Location(1, 1, 1, 1)
    )


def results() -> list[FileResult]:
    return [
        FileResult("a.txt", [diag("GK101"), diag("GK301", Severity.WARNING)]),
        FileResult("b.txt", []),
        FileResult("c.txt", [diag("GK301"), diag("GK302"), diag("GK501", Severity.INFO), diag("GK203")]),
        FileResult("d.txt", [diag("GK001")], readable=False),
    ]


def test_registered():
    import io

    formats = gikcheck_formatters()
    for name, direct in (("summary", summary.render), ("summary-csv", summary.render_csv)):
        via_hook, expected = io.StringIO(), io.StringIO()
        formats[name](results(), via_hook, {"no_color": True})
        direct(results(), expected, {"no_color": True})
        assert via_hook.getvalue() == expected.getvalue() != ""


def test_rows_sorted_by_total_descending():
    rows = summary.rows(results())
    assert [(r.path, r.total) for r in rows] == [("c.txt", 4), ("a.txt", 2), ("d.txt", 1), ("b.txt", 0)]
    assert rows[0].counts == {"GK3": 2, "GK5": 1, "GK2": 1}
    assert rows[0].severities == {"error": 3, "info": 1}


def test_csv():
    out = io.StringIO()
    summary.render_csv(results(), out, {})
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [
        "path",
        "agency",
        "year",
        "GK0",
        "GK1",
        "GK2",
        "GK3",
        "GK4",
        "GK5",
        "total",
        "error",
        "warning",
        "info",
    ]
    assert rows[1] == ["c.txt", "", "", "0", "0", "1", "2", "0", "1", "4", "3", "0", "1"]
    assert rows[2] == ["a.txt", "", "", "0", "1", "0", "1", "0", "0", "2", "1", "1", "0"]
    assert rows[3][:4] == ["d.txt", "", "", "1"]
    assert len(rows) == 5


def test_plugin_codes_get_their_own_column():
    out = io.StringIO()
    summary.render_csv([FileResult("a.txt", [diag("XY001"), diag("GK101")])], out, {})
    head, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert "other" in head and row[head.index("other")] == "1" and row[head.index("total")] == "2"


def test_rich_table_is_not_folded_in_a_file():
    out = io.StringIO()
    long = "reports/" + "x" * 120 + ".txt"
    summary.render([FileResult(long, [diag("GK301")]), *results()], out, {"no_color": True})
    text = out.getvalue()
    assert long in text  # the whole path on one line
    for col in ("GK0", "GK1", "GK2", "GK3", "GK4", "GK5", "合计"):
        assert col in text
    lines = text.splitlines()
    order = [next(i for i, ln in enumerate(lines) if name in ln) for name in ("c.txt", "a.txt", long, "b.txt")]
    assert order == sorted(order)


def test_cli_summary_names_agencies_and_years(capsys):
    code = main([str(FIXTURES / "inconsistent"), "--isolated", "--format", "summary-csv", "--select", "GK3,GK5"])
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 1
    assert rows[0]["path"].endswith("qingshan-2022.txt") and rows[0]["agency"] == "青山镇人民政府"
    assert rows[0]["year"] == "2022" and int(rows[0]["GK3"]) == 3  # two GK308 (自然人, 总计) and one GK309
    assert [int(r["total"]) for r in rows] == sorted((int(r["total"]) for r in rows), reverse=True)
    main([str(FIXTURES / "inconsistent"), "--isolated", "--format", "summary", "--select", "GK3,GK5", "--no-color"])
    text = capsys.readouterr().out
    assert "白水镇人民政府" in text and "检查汇总：3 个文件" in text


def test_sort_orders():
    def paths(sort):
        return [r.path for r in summary.rows(results(), sort)]

    assert paths("total") == ["c.txt", "a.txt", "d.txt", "b.txt"]
    assert paths("path") == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert paths("GK1") == ["a.txt", "c.txt", "d.txt", "b.txt"]  # the one GK101 first, then by total
    assert paths("GK0") == ["d.txt", "c.txt", "a.txt", "b.txt"]


def test_cli_sort_by_agency_and_a_lone_report_names_its_agency(capsys):
    main([str(FIXTURES / "inconsistent"), "--isolated", "--format", "summary-csv", "--sort", "agency"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["agency"], r["year"]) for r in rows] == sorted((r["agency"], r["year"]) for r in rows)
    main([str(FIXTURES / "inconsistent" / "qingshan-2022.txt"), "--isolated", "--format", "summary-csv"])
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["agency"] == "青山镇人民政府" and row["year"] == "2022"
    with pytest.raises(SystemExit) as exit_:
        main([str(FIXTURES / "inconsistent"), "--format", "summary", "--sort", "size"])
    assert exit_.value.code == 2 and "--sort" in capsys.readouterr().err


def test_the_result_says_whose_report_it_is_without_any_rule():
    # Agency, year and template travel on the result, also for a lone report (no cross-document
    # summaries) and with the cross-document rules off; the mapping file names the agency.
    from gikcheck.config import Settings
    from gikcheck.engine import lint_path

    res = lint_path(FIXTURES / "mapped" / "report-a.txt", Settings(ignore=("GK308", "GK309", "GK510")), summarize=False)
    assert (res.agency, res.year, res.template, res.summaries) == ("青山镇人民政府", 2021, "2021", {})
    gone = lint_path(FIXTURES / "mapped" / "missing.txt")
    assert (gone.agency, gone.year, gone.template) == ("", None, None)


def test_formatters_and_the_cli_do_not_import_rules():
    import ast

    package = Path(__file__).resolve().parents[1] / "gikcheck"
    for path in [package / "cli.py", *sorted((package / "formatters").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module or ''}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any("checks" in n.split(".") or "crossdoc" in n for n in names), (path.name, node.lineno)
