"""GK305 prose-table-mismatch, GK306 parts-vs-total, GK307 percentage, GK310 statement-contradiction."""

from __future__ import annotations

import csv

import pytest
from conftest import findings, fixture

from gikcheck.checks.prose import PartsVsTotal, Percentage, ProseTableMismatch, StatementContradiction
from gikcheck.diagnostics import Severity
from gikcheck.document import Document
from gikcheck.engine import check_text
from gikcheck.parsing.report import parse
from gikcheck.templates import load_knowledge

PROSE = ("GK305", "GK306", "GK307", "GK310")


def test_rule_metadata():
    for rule, code, name, sev in [
        (ProseTableMismatch, "GK305", "prose-table-mismatch", Severity.ERROR),
        (PartsVsTotal, "GK306", "parts-vs-total", Severity.WARNING),
        (Percentage, "GK307", "percentage", Severity.WARNING),
        (StatementContradiction, "GK310", "statement-contradiction", Severity.ERROR),
    ]:
        assert (rule.code, rule.name, rule.default_severity) == (code, name, sev)
        doc = rule.explanation()
        for heading in ("**检查什么**", "**依据**", "**错误示例**", "**正确示例**"):
            assert heading in doc


@pytest.mark.parametrize("name", ["clean_2021.txt", "defective_2021.txt", "clean_2019.txt", "defective_2019.txt"])
def test_fixture_tables_are_parsed(name):
    report = parse(Document(fixture(f"prose/{name}")), load_knowledge())
    assert {t.spec.key for t in report.tables} == {"active", "applications", "review"}


@pytest.mark.parametrize("name", ["clean_2021.txt", "clean_2019.txt", "clean_2008.txt"])
def test_clean_fixtures(name):
    assert findings(fixture(f"prose/{name}"), select="GK3") == []


def test_defective_2021():
    assert findings(fixture("prose/defective_2021.txt"), select=list(PROSE)) == [
        ("GK305", 5),  # 收到申请 15 件 vs 表三 3
        ("GK305", 6),  # 制发规范性文件 3 件 vs 表二 2
        ("GK305", 9),  # 行政诉讼 2 件 vs 表四 0
        ("GK306", 10),  # 70 vs 2+29+15
        ("GK306", 11),  # 5 次 vs 3+4
        ("GK307", 12),  # 2/3 stated as 60.0%
        ("GK310", 7),  # 现行有效 0 件 vs 10
        ("GK310", 8),  # 未发生行政复议 vs 1
    ]


def test_defective_2019():
    assert findings(fixture("prose/defective_2019.txt"), select="GK3") == [
        ("GK305", 3),  # 另有 70 件顺延到下年度 vs 表三 四、结转下年度 72
        ("GK305", 4),  # 诉讼 8 件 vs 表四 9 + 0
        ("GK305", 6),  # 制发规范性文件 4 件 vs 表二 本年新制作数量 3 (2019 layout)
        ("GK310", 5),  # 未收到申请 vs 表三 859
    ]


def test_defective_2008():
    assert findings(fixture("prose/defective_2008.txt"), select=list(PROSE)) == [
        ("GK306", 5),  # 80 vs 70, list ends with 其他
        ("GK306", 6),  # traditional script: 28+60 > 76
        ("GK307", 7),  # 215/1742 stated as 12.4%
        ("GK307", 8),  # 2/5 stated as 50%
    ]


def test_messages_name_both_places():
    text = fixture("prose/defective_2021.txt")
    diags = {(d.code, d.location.line): d for d in check_text(text, "fixture.txt")}
    d = diags[("GK305", 5)]
    assert d.message == "正文称收到政府信息公开申请 15 件,表三「一、本年新收政府信息公开申请数量」总计为 3"
    assert text[d.span.start : d.span.end] == "15件"
    (rel,) = d.related
    assert rel.message == "表三「一、本年新收政府信息公开申请数量」总计为 3"
    assert text[rel.span.start : rel.span.end] == "3"
    d = diags[("GK310", 8)]
    assert text[d.span.start : d.span.end] == "未发生政府信息公开行政复议"
    assert "表四「行政复议·总计」为 1" in d.message
    d = diags[("GK307", 12)]
    assert text[d.span.start : d.span.end] == "60.0%" and "66.7%" in d.message


def test_table_rules_need_the_table():
    # The same sentence without any table: nothing to compare against.
    text = (
        "某某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n"
        "本年度共收到政府信息公开申请15件。本年度未发生政府信息公开行政复议。\n"
    )
    assert [c for c, _ in findings(text, select=["GK305", "GK310"])] == []


def test_none_statement_against_invalid_cell_is_silent():
    text = fixture("prose/defective_2021.txt").replace("1 | 0 | 0 | 0 | 1 | 0 |", "1 | 0 | 0 | 0 | x | 0 |", 1)
    assert ("GK310", 8) not in findings(text, select="GK310")


def _expect_rows(corpus):
    with open(corpus / "expect.tsv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row and not row[0].startswith("#") and len(row) >= 3 and row[1] in PROSE:
                yield row[0], row[1], row[2]


def test_shared_corpus_expectations(shared_corpus):
    rows = list(_expect_rows(shared_corpus))
    assert rows, "expect.tsv has no GK305–GK310 rows"
    failures = []
    for name, code, expect in rows:
        text = (shared_corpus / name).read_text(encoding="utf-8")
        found = {d.code for d in check_text(text, name)}
        if (code in found) != (expect == "yes"):
            failures.append((name, code, expect))
    assert failures == []
