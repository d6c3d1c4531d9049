"""Report metadata on real-world shapes: agency levels, titles over lines, page chrome, legacy labels.

Issue 10 (precision bullets 3–5) and issue 15 item 4. Fixtures in tests/fixtures/meta/ are
clean-2019.txt (clean-2021.txt for the label) with the agency, title or signature changed.
"""

from __future__ import annotations

import re

import pytest
from conftest import findings, fixture, line_of

from gikcheck.config import Settings
from gikcheck.document import Document
from gikcheck.engine import knowledge_for, lint_path
from gikcheck.parsing.meta import classify_level
from gikcheck.parsing.report import ParseOptions, parse

KN = knowledge_for(Settings())
META = ["GK106", "GK107", "GK403"]


def meta_of(text: str, **opts):
    return parse(Document(text), KN, ParseOptions(**opts)).meta


@pytest.mark.parametrize(
    "name, level",
    [
        ("上海市人民政府办公厅", "department"),
        ("青山县人民政府办公室", "department"),
        ("上海市人民政府研究室", "department"),
        ("青山市人民政府驻北京办事处", "department"),
        ("上海市人民政府外事办公室", "department"),
        ("上海市人民政府金融工作办公室", "department"),
        ("上海市人民政府参事室", "department"),
        ("青山县驻上海办事处", "department"),
        ("上海市人民政府国有资产监督管理委员会", "department"),
        ("上海市科委", "department"),
        ("城关街道办事处", "township"),
        ("青山区人民政府城关街道办事处", "township"),
        ("青山办事处", "township"),
        ("青山镇人民政府", "township"),
        ("青山县人民政府", "government"),
        ("淮安市人民政府", "government"),
        ("青山县人民政府门户网站", ""),
        ("首页>政务公开", ""),
    ],
)
def test_level_from_name(name, level):
    assert classify_level(name, KN.common["agency"]) == level


@pytest.mark.parametrize(
    "name, level, government",
    [
        ("office-year-first.txt", "department", False),
        ("research-office.txt", "department", False),
        ("liaison-office.txt", "department", False),
        ("finance-office.txt", "department", False),
        ("subdistrict.txt", "township", False),
        ("town-no-items.txt", "township", True),
        ("two-line-government.txt", "government", True),
    ],
)
def test_level_and_people_government(name, level, government):
    m = meta_of(fixture(f"meta/{name}"))
    assert (m.level, m.level_source, m.people_government) == (level, "title", government)


@pytest.mark.parametrize(
    "name",
    [
        "office-year-first.txt",
        "research-office.txt",
        "liaison-office.txt",
        "finance-office.txt",
        "subdistrict.txt",
        "two-line-bureau.txt",
        "wrapped-year-first.txt",
        "web-chrome-clean.txt",
    ],
)
def test_clean_metadata_fixtures(name):
    assert findings(fixture(f"meta/{name}"), META) == []


def test_government_departments_get_no_gk106_but_a_township_does():
    # Same body, no 考核/评议/责任追究: only the 人民政府 (a 镇) is asked for them.
    town = fixture("meta/town-no-items.txt")
    assert findings(town, META) == [("GK106", line_of(town, "一、总体情况"))]
    for name in ("office-year-first.txt", "liaison-office.txt", "subdistrict.txt"):
        assert findings(fixture(f"meta/{name}"), "GK106") == [], name


def test_department_deadline_applies_to_a_government_office():
    text = fixture("meta/office-late.txt")
    assert findings(text, META) == [("GK403", line_of(text, "2021年2月20日"))]
    from gikcheck.engine import check_text

    msg = next(d.message for d in check_text(text, "f.txt", Settings()) if d.code == "GK403")
    assert "2021年1月31日" in msg and "部门" in msg


def test_department_deadline_starts_with_the_2019_report_year():
    # A 2018 report (2007 Regulation): every body by 3月31日, 人民政府办公厅 included.
    text = fixture("meta/office-late.txt").replace("2020年", "2018年").replace("2021年2月20日", "2019年2月20日")
    assert findings(text, "GK403") == []
    late = text.replace("2019年2月20日", "2019年4月2日")
    assert findings(late, "GK403") == [("GK403", line_of(late, "2019年4月2日"))]


def test_subdistrict_takes_the_township_deadline():
    text = fixture("meta/subdistrict.txt")  # signed 2021-03-15: within the 3月31日 default
    assert findings(text, "GK403") == []
    late = text.replace("2021年3月15日", "2021年4月2日")
    assert findings(late, "GK403") == [("GK403", line_of(late, "2021年4月2日"))]


def test_year_first_title_is_complete_without_a_signature():
    m = meta_of("2019年上海市人民政府办公厅政府信息公开工作年度报告\n\n一、总体情况\n正文。\n")
    assert (m.agency, m.title_year, m.level) == ("上海市人民政府办公厅", 2019, "department")
    assert findings("2019年上海市人民政府办公厅政府信息公开工作年度报告\n\n一、总体情况\n正文。\n", "GK107") == []
    assert meta_of("2019年度青山镇人民政府政府信息公开工作年度报告\n").agency == "青山镇人民政府"


@pytest.mark.parametrize(
    "name, title, agency, year",
    [
        ("two-line-government.txt", "青山县人民政府2020 年政府信息公开工作年度报告", "青山县人民政府", 2020),
        ("two-line-bureau.txt", "青山市交通运输局2020年政府信息公开工作年度报告", "青山市交通运输局", 2020),
        ("wrapped-year-first.txt", "2020 年青山市交通运输局政府信息公开工作年度报告", "青山市交通运输局", 2020),
        ("web-chrome-no-work.txt", "青山县交通运输局2020年政府信息公开年度报告", "青山县交通运输局", 2020),
    ],
)
def test_titles_over_lines_and_behind_chrome(name, title, agency, year):
    text = fixture(f"meta/{name}")
    m = meta_of(text)
    assert (m.title, m.agency, m.title_year) == (title, agency, year)
    # The span covers the title's own lines, not the chrome around it.
    assert re.sub(r"\s", "", text[m.title_span.start : m.title_span.end]) == re.sub(r"\s", "", title)


def test_two_line_title_span_covers_both_lines():
    text = fixture("meta/two-line-government.txt")
    span = meta_of(text).title_span
    assert text[span.start : span.end] == "青山县人民政府\n2020 年政府信息公开工作年度报告"


def test_title_lacking_gongzuo_is_reported_at_its_own_line():
    text = fixture("meta/web-chrome-no-work.txt")
    line = line_of(text, "\n青山县交通运输局2020年政府信息公开年度报告") + 1
    assert findings(text, META) == [("GK107", line)]
    from gikcheck.engine import check_text

    msg = next(d.message for d in check_text(text, "f.txt", Settings()) if d.code == "GK107")
    assert "「工作」" in msg


def test_chrome_line_alone_above_a_title_is_not_part_of_it():
    m = meta_of("正文\n2020年青山镇人民政府政府信息公开工作年度报告\n")
    assert m.title == "2020年青山镇人民政府政府信息公开工作年度报告"
    # A site header above a title that names its own agency stays out of it.
    m = meta_of("青山县人民政府\n青山镇人民政府2020年政府信息公开工作年度报告\n")
    assert m.title == "青山镇人民政府2020年政府信息公开工作年度报告"
    # A site's name above a title without agency names no agency.
    m = meta_of("青山县人民政府门户网站\n2020年政府信息公开工作年度报告\n")
    assert (m.title, m.agency) == ("2020年政府信息公开工作年度报告", "")
    # A breadcrumb that names the report is no title when a title follows.
    for crumb in ("首页 > 政务公开 > 年度报告", "当前位置：首页 > 政府信息公开年报"):
        m = meta_of(crumb + "\n城关街道办事处2020年政府信息公开工作年度报告\n")
        assert (m.title, m.agency, m.level) == (
            "城关街道办事处2020年政府信息公开工作年度报告",
            "城关街道办事处",
            "township",
        )


def test_legacy_label_in_2021_table_two_is_gk203():
    text = fixture("meta/legacy-normative-2021.txt")
    assert findings(text, ["GK2"]) == [("GK203", line_of(text, "\n规范性文件 |") + 1)]
    from gikcheck.engine import check_text

    [d] = [d for d in check_text(text, "f.txt", Settings()) if d.code == "GK203"]
    assert d.message == "表二的行标签「规范性文件」沿用了 2019 年格式的写法，应为「行政规范性文件」"
    # The row is still read: its figures are there for the other rules.
    t = parse(Document(text), KN).table("active")
    assert t.value("art20_1.normative", "issued") == 1
    # In a 2019 report the label is the template's own.
    assert findings(fixture("../../examples/clean-2019.txt"), ["GK2"]) == []


# --- the shared real reports (skip when ../shared is absent) ------------------------------------------


@pytest.mark.parametrize(
    "name, agency, level, year, expected",
    [
        ("huaian-gov-2024.pdf", "淮安市人民政府", "government", 2024, {"GK106"}),
        ("shuyang-fgj-2023.html", "沭阳县发展和改革局", "department", 2023, {"GK107"}),
        ("shanghai-stcsm-2024.md", "上海市科委", "department", 2024, set()),
    ],
)
def test_real_reports_metadata(shared_corpus, name, agency, level, year, expected):
    path = shared_corpus / "real" / name
    if not path.is_file():
        pytest.skip(f"{name} is not in ../shared/corpus/real")
    res = lint_path(path, Settings())
    m = res.report.meta if getattr(res, "report", None) is not None else None
    if m is not None:
        assert (m.agency, m.level, m.title_year) == (agency, level, year)
    assert {d.code for d in res.diagnostics if d.code in META} == expected


def test_legacy_label_fix_restores_the_2021_label(tmp_path):
    from gikcheck.cli import main

    target = tmp_path / "r.txt"
    target.write_text(fixture("meta/legacy-normative-2021.txt"), encoding="utf-8")
    main([str(target), "--isolated", "--select", "GK203", "--fix", "--format", "concise"])
    assert target.read_text(encoding="utf-8") == fixture("../../examples/clean-2021.txt")
