"""One pattern, one finding; one defect, one finding; blank cells (issues 10 and 15).

Fixtures in tests/fixtures/grouping/ are examples/clean-2021.txt with one edit each:
blank-legal-columns (the five 法人或其他组织 columns of 表三 blank in all 25 rows, as a real
county report publishes them), blank-total (（七）总计's 总计 blank, its parts 3), blank-total-
zero-parts (四、结转's 总计 blank, its parts 0), blank-row (二、上年结转 with every cell blank),
missing-row-label (二、上年结转 gone), label-typo (「（三）不子公开」 in 表三 and 「不子公开」 in
the prose), empty-section (section 二 without its table), web-footer (a nine-line page footer),
half-width (three half-width commas in one section).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, findings, fixture, line_of, places, selecting, settings

from gikcheck.baseline import Baseline
from gikcheck.cli import main
from gikcheck.diagnostics import Diagnostic, count_places
from gikcheck.engine import FileResult, check_text
from gikcheck.fixes import fix_text
from gikcheck.rule import Rule

GROUPING = FIXTURES / "grouping"
LEGAL = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def check(name: str, select=None) -> list[Diagnostic]:
    return check_text(fixture(f"grouping/{name}"), name, settings(**selecting(select)))


def table3_lines(text: str) -> list[int]:
    first = line_of(text, "一、本年新收政府信息公开申请数量")
    last = line_of(text, "四、结转下年度继续办理 |")
    return list(range(first, last + 1))


# --- one pattern, one finding -------------------------------------------------------------------


def test_blank_legal_columns_are_one_finding_listing_every_cell():
    text = fixture("grouping/blank-legal-columns.txt")
    diags = check("blank-legal-columns.txt")
    # Before: 125 GK205, one per blank cell. 自然人 = 总计 in every row: the identities hold with blanks as 0.
    assert [(d.code, d.location.line) for d in diags] == [("GK205", table3_lines(text)[0])]
    (d,) = diags
    assert d.occurrences == 125 and len(d.related) == 125
    assert d.message.startswith("表三有 125 个单元格为空，应填写数字（没有则填 0）：")
    assert all(f"「{c}」" in d.message for c in LEGAL) and "共 25 行" in d.message
    # Every place: 5 per row, on each of the 25 data rows; the first is the finding's own span.
    rows = [r.location.line for r in d.related]
    assert sorted(set(rows)) == table3_lines(text) and all(rows.count(n) == 5 for n in set(rows))
    assert d.related[0].span == d.span
    assert d.related[0].message == "「一、本年新收政府信息公开申请数量」行「商业企业」列"
    assert len({r.anchor for r in d.related}) == 125 and d.anchor == "table:applications:blank"
    assert count_places(diags)["GK205"] == 125


def test_statistics_count_places(capsys):
    code = main([str(GROUPING / "blank-legal-columns.txt"), "--isolated", "--statistics", "--format", "concise"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.count("[GK205]") == 0  # --statistics prints only the statistics (as ruff)
    assert "   125  GK205  bad-cell" in out


def test_statistics_count_places_in_json_runs_too(capsys):
    main([str(GROUPING / "blank-legal-columns.txt"), "--isolated", "--statistics", "--format", "json"])
    captured = capsys.readouterr()
    # With --format json the statistics are JSON (as ruff's), and they are all that is printed.
    assert json.loads(captured.out) == [{"code": "GK205", "name": "bad-cell", "count": 125, "fixable": False}]


def test_text_under_a_heading_the_template_does_not_name_is_grouped_apart():
    text = fixture("grouping/half-width.txt").replace(
        "二、主动公开政府信息情况",
        "七、补充说明\n\n本年度另有说明2项,均已公开,无其他事项。\n\n二、主动公开政府信息情况",
    )
    got = [(d.location.line, d.occurrences, d.anchor) for d in check_text(text, "x.txt", settings(select=["GK506"]))]
    assert got == [
        (line_of(text, "文件类40条,"), 3, "section:overview:punctuation:half:,"),
        (line_of(text, "另有说明2项,"), 2, "section:after:overview:punctuation:half:,"),
    ]
    assert "「总体情况」部分之后共有 2 处同类问题" in check_text(text, "x.txt", settings(select=["GK506"]))[1].message


def test_web_footer_is_one_finding():
    text = fixture("grouping/web-footer.txt")
    assert findings(text, "GK502") == [("GK502", line_of(text, "打印本页"))]
    assert places(text, "GK502") == [
        ("GK502", line_of(text, w)) for w in ("打印本页", "关闭窗口", "网站标识码", "ICP备", "阅读次数")
    ]
    # A line of prose between two residues ends the block: two findings.
    split = text.replace("\n主办：", "\n本报告由镇政府办公室负责解释。\n主办：")
    assert [c for c, _ in findings(split, "GK502")] == ["GK502", "GK502"]


def test_half_width_commas_in_one_section_are_one_finding_and_all_are_fixed():
    text = fixture("grouping/half-width.txt")
    (d,) = check_text(text, "h.txt", settings(select=["GK506"]))
    assert d.occurrences == 3 and "「总体情况」部分共有 3 处同类问题" in d.message
    assert len(d.fix.edits) == 3
    fixed = fix_text(text, "h.txt", settings(select=["GK506"]))
    assert fixed.applied == 3 and "," not in fixed.text.split("二、主动公开")[0].split("一、总体情况")[1]
    assert findings(fixed.text, "GK506") == []


def test_findings_of_other_tables_and_kinds_are_not_merged():
    text = fixture("grouping/blank-legal-columns.txt")
    text = text.replace("行政许可 | 25 | |", "行政许可 |  | |").replace("行政处罚 | 4 | |", "行政处罚 | 四 | |")
    text = text.replace("二、上年结转政府信息公开申请数量 | 0 |", "二、上年结转政府信息公开申请数量 | — |")
    got = [(d.code, d.location.line, d.occurrences) for d in check_text(text, "x.txt", settings(select=["GK205"]))]
    assert got == [
        ("GK205", line_of(text, "行政许可"), 1),
        ("GK205", line_of(text, "行政处罚"), 1),
        ("GK205", line_of(text, "一、本年新收"), 125),
        ("GK205", line_of(text, "二、上年结转"), 1),
    ]


def test_a_rule_must_declare_a_known_grouping():
    with pytest.raises(TypeError):

        class Bad(Rule):
            """坏规则"""

            code = "GK999"
            name = "bad-grouping"
            group_by = "page"


# --- blank cells --------------------------------------------------------------------------------


def test_blank_total_with_nonzero_parts_is_still_an_arithmetic_error():
    text = fixture("grouping/blank-total.txt")
    line = line_of(text, "（七）总计")
    assert findings(text) == [("GK205", line), ("GK301", line), ("GK302", line), ("GK303", line)]
    gk302 = next(d for d in check("blank-total.txt") if d.code == "GK302")
    assert "总计（0），不等于各类申请人之和（3）" in gk302.message and "空白单元格按 0 计" in gk302.message


def test_blank_total_with_zero_parts_is_only_a_blank_cell():
    text = fixture("grouping/blank-total-zero-parts.txt")
    assert findings(text) == [("GK205", line_of(text, "四、结转下年度继续办理"))]


def test_a_row_left_blank_is_present_not_missing():
    text = fixture("grouping/blank-row.txt")
    line = line_of(text, "二、上年结转政府信息公开申请数量")
    assert findings(text) == [("GK205", line)]
    (d,) = check("blank-row.txt")
    assert d.occurrences == 7 and "「二、上年结转政府信息公开申请数量」行的「自然人」至「总计」共 7 列" in d.message


def test_a_row_whose_label_is_absent_is_missing():
    text = fixture("grouping/missing-row-label.txt")
    assert [c for c, _ in findings(text)] == ["GK204"]
    assert "缺少行「二、上年结转政府信息公开申请数量」" in check("missing-row-label.txt")[0].message


def test_trailing_blank_cells_are_cells():
    # The row stops after 自然人: the six cells it lacks are blank cells, and 总计 counts as 0.
    text = fixture("grouping/blank-total-zero-parts.txt").replace(
        "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | ", "四、结转下年度继续办理 | 1"
    )
    line = line_of(text, "四、结转下年度继续办理")
    got = check_text(text, "t.txt", settings(select=["GK2", "GK3"]))
    assert [(d.code, d.location.line) for d in got if d.code in ("GK205", "GK302")] == [
        ("GK205", line),
        ("GK302", line),
    ]
    assert next(d for d in got if d.code == "GK205").occurrences == 6


# --- one defect, one finding --------------------------------------------------------------------


def test_a_typo_in_a_table_label_is_a_label_mismatch_only():
    text = fixture("grouping/label-typo.txt")
    label, prose = line_of(text, "（三）不子公开"), line_of(text, "无不子公开情形")
    # GK203 supersedes GK505 on the label; the same slip in the prose is still GK505.
    assert findings(text) == [("GK203", label), ("GK505", prose)]
    assert sorted(findings(text, ignore=["GK203"])) == [("GK505", prose), ("GK505", label)]


def test_an_empty_section_missing_its_table_is_a_missing_table_only():
    text = fixture("grouping/empty-section.txt")
    heading = line_of(text, "二、主动公开政府信息情况")
    assert findings(text) == [("GK201", heading)]
    # With GK201 not selected, nothing supersedes GK105: the empty section is still reported.
    assert findings(text, ignore=["GK201"]) == [("GK105", heading)]


# --- every output carries the places ------------------------------------------------------------


def _run(capsys, fmt: str, *extra: str) -> str:
    main([str(GROUPING / "blank-legal-columns.txt"), "--isolated", "--format", fmt, "--no-color", *extra])
    return capsys.readouterr().out


def test_full_shows_the_places_compactly(capsys):
    out = _run(capsys, "full")
    also = [ln for ln in out.splitlines() if "另见：" in ln]
    assert len(also) == 1 and also[0].endswith("…（共 125 处）") and "相关：" not in out
    assert also[0].count(":") == 12  # 12 places shown, then the count


def test_json_and_jsonl_list_every_place(capsys):
    (item,) = json.loads(_run(capsys, "json"))
    assert item["count"] == 125 and len(item["related"]) == 125
    assert item["related"][0]["anchor"] == "table:applications:cell:new:commercial"
    (line,) = _run(capsys, "jsonl").splitlines()
    assert len(json.loads(line)["related"]) == 125


def test_sarif_lists_every_place_as_a_related_location(capsys):
    (result,) = json.loads(_run(capsys, "sarif"))["runs"][0]["results"]
    assert len(result["relatedLocations"]) == 125 and result["properties"]["count"] == 125


def test_github_and_junit_carry_the_places(capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (annotation,) = [ln for ln in _run(capsys, "github").splitlines() if ln.startswith("::error")]
    assert "另见：" in annotation and "（共 125 处）" in annotation
    root = ET.fromstring(_run(capsys, "junit"))
    (case,) = root.iter("testcase")
    assert case.find("properties/property[@name='count']").get("value") == "125"
    assert case.find("failure").text.count(":") >= 124  # the other 124 places as line:col


def test_html_lists_the_places_in_the_finding_list(capsys):
    page = _run(capsys, "html")
    assert "共 125 处: " in page
    assert page.count('href="#r0-d0-p') == 124  # each other place links to its mark in the text
    assert page.count('id="r0-d0-p') == 124


def test_lsp_related_information_lists_the_places():
    pytest.importorskip("pygls")
    from gikcheck.lsp import GikcheckServer

    text = fixture("grouping/blank-legal-columns.txt")
    diags = check_text(text, "r.txt", settings(select=["GK205"]))
    checked = GikcheckServer()._convert("file:///r.txt", 1, text, diags, text)
    (item,) = checked.items
    assert len(item[0].related_information) == 125


# --- baselines ----------------------------------------------------------------------------------


def test_baseline_accepts_a_grouped_finding_place_by_place(tmp_path):
    text = fixture("grouping/blank-legal-columns.txt")
    path = str(tmp_path / "r.txt")
    diags = check_text(text, path, settings(select=["GK205"]))
    base = Baseline.from_results([FileResult(path, diags)], tmp_path)
    entries = base.to_json()["entries"]
    assert len(entries) == 125 and all(e["anchor"].startswith("table:applications:cell:") for e in entries)
    again = [FileResult(path, check_text(text, path, settings(select=["GK205"])))]
    assert base.apply(again) == (125, []) and again[0].diagnostics == []
    # One blank more: the pattern grew, so it is reported again (all 126 places shown); nothing is stale.
    grown = text.replace("二、上年结转政府信息公开申请数量 | 0 |", "二、上年结转政府信息公开申请数量 |  |")
    result = [FileResult(path, check_text(grown, path, settings(select=["GK205"])))]
    suppressed, stale = base.apply(result)
    assert suppressed == 0 and stale == [] and [d.occurrences for d in result[0].diagnostics] == [126]


def test_a_baseline_written_per_cell_still_applies(tmp_path):
    # Entries as a baseline written before grouping has them: one per cell, under the cell's anchor.
    text = fixture("grouping/blank-legal-columns.txt")
    path = str(tmp_path / "r.txt")
    (d,) = check_text(text, path, settings(select=["GK205"]))
    old = {
        "version": 1,
        "entries": [{"path": "r.txt", "code": "GK205", "anchor": r.anchor, "count": 1} for r in d.related],
    }
    (tmp_path / "b.json").write_text(json.dumps(old), encoding="utf-8")
    result = [FileResult(path, [d])]
    assert Baseline.load(tmp_path / "b.json").apply(result) == (125, [])


def test_cli_baseline_round_trip(tmp_path, capsys):
    report = tmp_path / "r.txt"
    report.write_text(fixture("grouping/blank-legal-columns.txt"), encoding="utf-8")
    base = tmp_path / "baseline.json"
    assert main([str(report), "--isolated", "--write-baseline", str(base), "-q"]) == 0
    capsys.readouterr()
    assert main([str(report), "--isolated", "--baseline", str(base), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


# --- the shared real reports --------------------------------------------------------------------


def test_real_county_report_blank_legal_columns(shared_corpus: Path):
    from gikcheck.engine import check_path

    diags = check_path(shared_corpus / "real" / "shuyang-fgj-2023.html")
    gk205 = [d for d in diags if d.code == "GK205"]
    assert len(gk205) == 1 and gk205[0].occurrences == 125
    assert gk205[0].message.startswith("表三有 125 个单元格为空")
    assert not [d for d in diags if d.code in ("GK204", "GK301", "GK302", "GK303")]
