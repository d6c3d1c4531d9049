"""GK0xx–GK3xx: each rule on a defective and a clean report, exact codes at exact lines.

Defective reports are made from the clean examples by one precise edit, so
that each test shows the single defect it is about.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import edit, findings, line_of

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CLEAN_2021 = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
CLEAN_2019 = (EXAMPLES / "clean-2019.txt").read_text(encoding="utf-8")
CLEAN_2008 = (EXAMPLES / "clean-2008.txt").read_text(encoding="utf-8")
CORE = ["GK0", "GK1", "GK2", "GK3"]


@pytest.mark.parametrize("name", ["clean-2008.txt", "clean-2019.txt", "clean-2021.txt"])
def test_clean_examples_have_no_findings(name):
    assert findings((EXAMPLES / name).read_text(encoding="utf-8")) == []


# --- GK0xx --------------------------------------------------------------------


def test_gk003_unknown_template_when_no_year_and_no_markers():
    text = "青山镇政府信息公开工作年度报告\n一、总体情况\n我镇认真做好政府信息公开工作。\n"
    assert findings(text, "GK003") == [("GK003", 1)]


def test_gk003_not_reported_when_year_known():
    assert findings(CLEAN_2021, "GK003") == []


def test_gk002_a_crashing_rule_is_reported_and_others_still_run(monkeypatch):
    from gikcheck.checks.structure import ReportTitle

    def boom(self, report, ctx):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(ReportTitle, "check", boom)
    text = edit(CLEAN_2021, "一、总体情况", "一、基本情况")
    got = findings(text, ["GK002", "GK104", "GK107"])
    assert ("GK002", 1) in got and ("GK104", line_of(text, "一、基本情况")) in got


# --- GK1xx --------------------------------------------------------------------


def test_gk101_missing_section_2021():
    start, end = CLEAN_2021.index("四、政府信息公开行政复议"), CLEAN_2021.index("五、存在的主要问题")
    text = CLEAN_2021[:start] + CLEAN_2021[end:]
    assert findings(text, "GK101") == [("GK101", line_of(text, "五、存在的主要问题"))]


def test_gk101_missing_content_2008():
    start, end = CLEAN_2008.index("四、政府信息公开的收费"), CLEAN_2008.index("五、因政府信息公开申请")
    text = CLEAN_2008[:start] + CLEAN_2008[end:]
    assert [c for c, _ in findings(text, "GK101")] == ["GK101"]


def test_gk101_clean():
    assert findings(CLEAN_2008, "GK101") == findings(CLEAN_2019, "GK101") == []


def test_gk102_section_order():
    a0, a1 = CLEAN_2021.index("五、存在的主要问题"), CLEAN_2021.index("六、其他需要报告的事项")
    b1 = CLEAN_2021.index("青山镇人民政府\n2023")
    five, six = CLEAN_2021[a0:a1], CLEAN_2021[a1:b1]
    text = CLEAN_2021[:a0] + six.replace("六、", "五、") + five.replace("五、", "六、") + CLEAN_2021[b1:]
    assert findings(text, "GK102") == [("GK102", line_of(text, "六、存在的主要问题"))]
    assert findings(CLEAN_2021, "GK102") == []


def test_gk103_skip_and_restart():
    text = edit(CLEAN_2021, "（四）平台建设", "（五）平台建设")
    assert findings(text, "GK103") == [
        ("GK103", line_of(text, "（五）平台建设")),
        ("GK103", line_of(text, "（五）监督保障")),
    ]


def test_gk103_mixed_list_styles():
    text = edit(
        CLEAN_2008,
        "存在的主要问题是部分科室报送信息不够及时。",
        "存在的主要问题:\n1.部分科室报送信息不够及时。\n2、信息审核流程较长。",
    )
    assert findings(text, "GK103") == [("GK103", line_of(text, "2、信息审核"))]
    assert findings(CLEAN_2008, "GK103") == []


def test_gk104_nonstandard_title():
    text = edit(CLEAN_2021, "一、总体情况", "一、基本情况")
    assert findings(text, "GK104") == [("GK104", line_of(text, "一、基本情况"))]
    assert findings(CLEAN_2021, "GK104") == []


def test_gk105_empty_section_and_bare_none():
    text = edit(
        CLEAN_2021,
        "本年度没有收取信息处理费，未发出收费通知。本年度办理人大代表建议2件、政协提案1件，办理结果均已公开。\n",
        "",
    )
    assert findings(text, "GK105") == [("GK105", line_of(text, "六、其他需要报告的事项"))]
    # A bare 无 answers a section that allows it …
    ok = edit(
        CLEAN_2021,
        "本年度没有收取信息处理费，未发出收费通知。本年度办理人大代表建议2件、政协提案1件，办理结果均已公开。",
        "无",
    )
    assert findings(ok, "GK105") == []
    # … but not the overview.
    start, end = CLEAN_2021.index("2022年，青山镇人民政府认真"), CLEAN_2021.index("二、主动公开政府信息情况")
    bare = CLEAN_2021[:start] + "无\n\n" + CLEAN_2021[end:]
    assert findings(bare, "GK105") == [("GK105", line_of(bare, "一、总体情况"))]


def test_gk105_the_longest_bare_none_and_a_little_more():
    start, end = CLEAN_2021.index("2022年，青山镇人民政府认真"), CLEAN_2021.index("二、主动公开政府信息情况")
    bare = CLEAN_2021[:start] + "无其他需要报告的事项。\n\n" + CLEAN_2021[end:]
    assert findings(bare, "GK105") == [("GK105", line_of(bare, "一、总体情况"))]
    more = CLEAN_2021[:start] + "— 无其他需要报告的事项了。\n\n" + CLEAN_2021[end:]
    assert findings(more, "GK105") == []


def test_gk106_government_report_items():
    text = edit(
        CLEAN_2021,
        "镇政府将政府信息公开工作纳入年度工作考核，开展社会评议1次，全年未发生责任追究情况。",
        "镇政府明确专人负责。",
    )
    assert findings(text, "GK106") == [("GK106", line_of(text, "一、总体情况"))]
    assert findings(CLEAN_2021, "GK106") == []
    # A department's report need not carry them.
    assert findings(edit(CLEAN_2019, "2020年，青山县交通运输局", "2020年，青山县交通运输局"), "GK106") == []


def test_gk107_report_title():
    no_year = edit(CLEAN_2021, "青山镇人民政府2022年政府信息公开工作年度报告", "青山镇人民政府政府信息公开工作年度报告")
    assert findings(no_year, "GK107") == [("GK107", 1)]
    untitled = CLEAN_2021.split("\n", 2)[2]
    assert findings(untitled, "GK107") == [("GK107", 1)]
    assert findings(CLEAN_2021, "GK107") == []


# --- GK2xx --------------------------------------------------------------------


def test_gk201_missing_table():
    start = CLEAN_2021.index("行政复议 | 行政诉讼")
    end = CLEAN_2021.index("五、存在的主要问题")
    text = CLEAN_2021[:start] + "本年度未发生行政复议、行政诉讼。\n\n" + CLEAN_2021[end:]
    assert findings(text, "GK201") == [("GK201", line_of(text, "四、政府信息公开行政复议"))]
    assert findings(CLEAN_2021, "GK201") == []
    # 2008-era reports have no tables to miss.
    assert findings(CLEAN_2008, "GK2") == []


def test_gk201_a_table_of_labels_without_figures_is_there():
    from conftest import settings

    from gikcheck import check_text

    # 表四 one cell per line, its figures not there: the table is present, its row of figures
    # missing (as a pipe table's header alone); in a PDF's text (a form feed) its figures may have
    # been printed elsewhere (plain pdftotext, after the next heading): one GK204 says it is unread.
    start = CLEAN_2021.index("行政复议 | 行政诉讼")
    end = CLEAN_2021.index("五、存在的主要问题")
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    header = ["行政复议", "行政诉讼", *outcomes, "未经复议直接起诉", "复议后起诉"]
    cells = "\n".join(header + outcomes * 3)
    text = CLEAN_2021[:start] + cells + "\n\n" + CLEAN_2021[end:]
    assert findings(text, "GK2") == [("GK204", line_of(text, "行政复议\n"))]
    assert "缺少行「数据行」" in check_text(text, "x.txt", settings(select=["GK204"]))[0].message
    pdf_text = text.replace("\n\n五、存在的主要问题", "\n\f五、存在的主要问题")
    assert findings(pdf_text, "GK2") == [("GK204", line_of(pdf_text, "行政复议\n"))]
    assert "只读出行列标签，没有读出数字" in check_text(pdf_text, "x.txt", settings(select=["GK204"]))[0].message


def test_gk202_outdated_template():
    text = edit(
        CLEAN_2021,
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",
    )
    assert findings(text, "GK2") == [("GK202", line_of(text, "信息内容 | 本年新制作数量"))]
    # The same layout is right in a 2020 report.
    assert findings(CLEAN_2019, "GK202") == []


def test_gk202_other_processing_as_single_row():
    start = CLEAN_2021.index("（六）其他处理 | 1.")
    end = CLEAN_2021.index("（七）总计")
    text = CLEAN_2021[:start] + "（六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n" + CLEAN_2021[end:]
    assert findings(text, "GK2") == [("GK202", line_of(text, "（六）其他处理"))]


def test_gk203_label_typo_and_numbering():
    text = edit(CLEAN_2021, "（五）不予处理 | 1.", "（五）不子处理 | 1.")
    text = edit(text, "2.没有现成信息需要另行制作", "12.没有现成信息需要另行制作")
    assert findings(text, "GK2") == [
        ("GK203", line_of(text, "12.没有现成")),
        ("GK203", line_of(text, "（五）不子处理")),
    ]


def test_gk203_fix_replaces_label():
    from conftest import settings

    from gikcheck.engine import check_text

    text = edit(CLEAN_2021, "3.补正后申请内容仍不明确", "3.补正启申请内容仍不明确")
    [d] = check_text(text, "x.txt", settings(select=["GK203"]))
    assert d.fix is not None and d.fix.edits[0].replacement == "3.补正后申请内容仍不明确"
    span = d.fix.edits[0].span
    assert text[span.start : span.end] == "3.补正启申请内容仍不明确"


def test_gk204_missing_row_and_column():
    text = edit(CLEAN_2021, "4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n", "")
    # Shown where the row belongs: at the next row present.
    assert findings(text, "GK204") == [("GK204", line_of(text, "5.要求行政机关确认"))]
    assert findings(CLEAN_2021, "GK204") == []


def test_gk204_column_count_short_without_header():
    # One of the 15 numbers of 表四 is lost, as in pages whose merged cells were flattened.
    text = edit(
        CLEAN_2021,
        "1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        "1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
    )
    assert findings(text, "GK204") == [("GK204", line_of(text, "行政复议 | 行政诉讼"))]


def test_gk205_bad_cells():
    text = edit(
        CLEAN_2021,
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        "二、上年结转政府信息公开申请数量 | 0 | — | -1 | 0.5 | 0 | | 0",
    )
    row = line_of(text, "二、上年结转")
    assert findings(text, "GK205") == [("GK205", row)] * 4
    assert findings(CLEAN_2021, "GK205") == findings(CLEAN_2019, "GK205") == []


def test_gk206_extra_row():
    text = edit(
        CLEAN_2021,
        "四、结转下年度继续办理 |",
        "（八）转办其他机关 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n四、结转下年度继续办理 |",
    )
    assert findings(text, "GK206") == [("GK206", line_of(text, "（八）转办"))]
    assert findings(CLEAN_2021, "GK206") == []


# --- GK3xx --------------------------------------------------------------------


def test_gk301_application_balance_message_writes_the_identity():
    from conftest import settings

    from gikcheck.engine import check_text

    text = edit(
        CLEAN_2021,
        "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        "四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
    )
    diags = check_text(text, "x.txt", settings(select=["GK301"]))
    assert sorted((d.code, d.location.line) for d in diags) == [("GK301", line_of(text, "（七）总计"))] * 2
    assert "表三「自然人」列：第一项（2）+第二项（0）=2，不等于第三项总计（2）+第四项（1）=3" in [
        d.message for d in diags
    ]


def test_gk302_applicant_total():
    text = edit(
        CLEAN_2021,
        "一、本年新收政府信息公开申请数量 | 2 | 1 | 0 | 0 | 0 | 0 | 3",
        "一、本年新收政府信息公开申请数量 | 2 | 1 | 0 | 0 | 0 | 0 | 4",
    )
    assert findings(text, "GK302") == [("GK302", line_of(text, "一、本年新收"))]
    assert findings(CLEAN_2021, "GK3") == findings(CLEAN_2019, "GK3") == []


def test_gk302_subtotal_column_when_present():
    header = "自然人 | 法人或其他组织 | 总计"
    text = CLEAN_2021
    lines = []
    for ln in text.splitlines():
        cells = [c.strip() for c in ln.split("|")]
        if len(cells) >= 8 and all(c.isdigit() for c in cells[-7:]) and not cells[0].isdigit():
            nums = cells[-7:]
            sub = sum(int(x) for x in nums[1:6])
            if ln.startswith("一、本年新收"):
                sub += 1  # the subtotal column disagrees with its five parts
            ln = " | ".join(cells[:-7] + [nums[0], str(sub)] + nums[1:])
        lines.append(ln)
    text = "\n".join(lines) + "\n"
    assert header in text
    assert findings(text, ["GK302", "GK204", "GK206"]) == [("GK302", line_of(text, "一、本年新收"))]


def test_gk303_outcome_total_and_group_subtotal():
    text = edit(CLEAN_2021, "（七）总计 | 2 | 1 | 0 | 0 | 0 | 0 | 3", "（七）总计 | 2 | 1 | 0 | 0 | 0 | 0 | 4")
    got = findings(text, "GK303")
    assert got == [("GK303", line_of(text, "（七）总计"))]
    grouped = edit(
        CLEAN_2021, "（三）不予公开 | 1.属于国家秘密", "（三）不予公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2\n1.属于国家秘密"
    )
    assert findings(grouped, "GK303") == [("GK303", line_of(grouped, "（三）不予公开 | 2"))] * 2


def test_gk304_review_total():
    text = edit(CLEAN_2021, "1 | 0 | 0 | 0 | 1 | 0 | 0", "1 | 0 | 0 | 0 | 2 | 0 | 0")
    assert findings(text, "GK304") == [("GK304", line_of(text, "1 | 0 | 0 | 0 | 2"))]


def test_arithmetic_skipped_on_invalid_cells():
    text = edit(CLEAN_2021, "（七）总计 | 2 | 1 |", "（七）总计 | 两 | 1 |")
    assert [c for c, _ in findings(text, CORE)] == ["GK205"]


def test_tab_separated_and_flattened_tables_are_read():
    tabbed = "\n".join(re.sub(r" ?\| ?", "\t", ln) for ln in CLEAN_2021.splitlines()) + "\n"
    assert findings(tabbed, CORE) == []
    broken = edit(tabbed, "（七）总计\t2\t1", "（七）总计\t5\t1")
    assert ("GK301", line_of(broken, "（七）总计")) in findings(broken, "GK301")
    # One cell per line: a label line followed by its numbers.
    start = CLEAN_2021.index("行政复议 | 行政诉讼")
    flat_rows = (
        "\n".join(["一、本年新收政府信息公开申请数量", *"2100003"])
        + "\n"
        + "\n".join(["二、上年结转政府信息公开申请数量", *"0000000"])
    )
    from gikcheck.document import Document
    from gikcheck.parsing.blocks import split_blocks
    from gikcheck.templates import load_knowledge

    kn = load_knowledge()
    blocks = split_blocks(Document(flat_rows + "\n"), kn.all_row_label_keys)
    assert len(blocks.tables) == 1 and blocks.tables[0].kind == "flat"
    assert [len(r.cells) for r in blocks.tables[0].rows] == [8, 8]
    assert start > 0
