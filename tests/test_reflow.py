"""Reflow and spacing folds: prose rules read text as written, not as a layout wrapped it.

Fixtures in tests/fixtures/reflow/ are made by tools/render_reflow.py: a short
report printed to PDF by LibreOffice (a running header, 「- N -」 page numbers),
then `pdftotext` and `pdftotext -layout`. Defective reports are those files with
one edit.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import FIXTURES, edit, findings, line_of, settings

from gikcheck.config import Settings
from gikcheck.document import Document
from gikcheck.engine import check_text, knowledge_for, read_bytes
from gikcheck.normalize import label_key, make_shadow
from gikcheck.parsing.furniture import furniture_lines, is_page_number
from gikcheck.parsing.report import parse
from gikcheck.reflow import prose_view

REFLOW = FIXTURES / "reflow"
TXT = (REFLOW / "qinghe-2024.txt").read_text(encoding="utf-8")
LAYOUT = (REFLOW / "qinghe-2024.layout.txt").read_text(encoding="utf-8")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# The rules that read prose: dates, figures, text quality, and the government items.
PROSE = ["GK3", "GK4", "GK5", "GK106"]


def _report(text: str):
    return parse(Document(text), knowledge_for(Settings()))


def _source_paragraphs() -> list[str]:
    """The paragraphs the fixture report was written with (tools/render_reflow.py)."""
    spec = importlib.util.spec_from_file_location(
        "render_reflow", Path(__file__).resolve().parents[1] / "tools" / "render_reflow.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return [text for style, text in mod.CLEAN if style == "p"]


# --- spacing and ideograph folds on the shadow ------------------------------------


def test_shadow_drops_pdf_spacing_and_maps_back():
    src = "2024 年，第 二十 条　共 3119 件\u00a0数 12 34\n情况\n2024 年"
    # Around digits and Chinese numbers in any text; between any two Han characters in a PDF's.
    assert make_shadow(src).text == "2024年,第二十条 共3119件\u00a0数12 34\n情况\n2024年"
    sh = make_shadow(src, pdf=True)
    assert sh.text == "2024年,第二十条共3119件数12 34\n情况\n2024年"
    # Every shadow character comes from the same character of the source (folded).
    assert all(make_shadow(src[sh.to_source(i)]).text == sh.text[i] for i in range(len(sh.text)))
    # A match in the shadow maps to a real source span, the space included.
    i = sh.text.index("第二十条")
    s, e = sh.span_to_source(i, i + 4)
    assert src[s:e] == "第 二十 条"


def test_shadow_keeps_what_separates():
    # Between two digits (a row of numbers), runs of spaces (columns), before a numbered heading
    # on a flattened page, and across line breaks: nothing is dropped.
    src = "12 34\t5\n信息内容   本年制发件数\n报告 一、总体情况\n政府\n信息"
    sh = make_shadow(src, pdf=True)
    assert sh.text == src and sh.origin is None
    # Outside a PDF a space between words separates them: a flattened page's heading and its
    # text, a web page footer's fields.
    src = "五、存在的主要问题和改进情况 一年来,本镇……\n主办 某某中心 承办 某某局"
    assert make_shadow(src).text == src


def test_documents_from_a_pdf_fold_spaced_han():
    assert Document("甲 乙\f丙").from_pdf and not Document("甲 乙").from_pdf
    assert Document("政府 信息\f").shadow.text == "政府信息\f" and Document("政府 信息").shadow.text == "政府 信息"


def test_kangxi_and_compatibility_ideographs_fold_one_to_one():
    src = "⼀、⾏政许可 ⼈数 \u2f08\uf9b5"
    sh = make_shadow(src)
    assert sh.text[:6] == "一、行政许可" and len(make_shadow("⼀⼆⼈⾏").text) == 4
    assert make_shadow("⼀⼆⼈⾏").text == "一二人行" and make_shadow("⼀⼆⼈⾏").origin is None
    assert label_key("⾏政许可") == label_key("行政许可") == "行政许可"
    assert label_key("（⼀）予以公开") == label_key("（一）予以公开")


def test_kangxi_radicals_from_a_pdf_font_are_no_traditional_script():
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    assert findings(text.replace("行政", "⾏政"), "GK504") == []


# --- page furniture ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "- 3 -",
        "－3－",
        "— 12 —",
        "-1-",
        "第 3 页",
        "第3页 共8页",
        "第 3 页，共 8 页",
        "共 8 页 第 3 页",
        "3/8",
        " 3 / 8 ",
        "Page 3 of 8",
    ],
)
def test_page_numbers(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["8/3", "2024", "12 34", "第 3 条", "-", "共 3 件", "2024-01-16", "1/2 以上"])
def test_not_page_numbers(line):
    assert not is_page_number(line)


def test_furniture_of_the_rendered_report():
    # Page numbers, the lines holding only a form feed, and the running header at the top of
    # each of the three pages.
    assert sorted(furniture_lines(Document(TXT))) == [1, 32, 34, 66, 68, 76, 78]
    assert sorted(furniture_lines(Document(LAYOUT))) == [1, 33, 34, 66, 67, 78, 79]
    header = "青禾县人民政府 2024 年政府信息公开工作年度报告"
    assert all(
        TXT.split("\n")[i - 1].strip("\f") in (header, "-1-", "-2-", "-3-", "") for i in furniture_lines(Document(TXT))
    )


def test_furniture_from_the_pdf_reader_pages():
    pytest.importorskip("pypdfium2_raw")
    doc = read_bytes((REFLOW / "qinghe-2024.pdf").read_bytes(), "qinghe-2024.pdf")
    # The reader drops page numbers itself; the running header opens pages 1, 2 and 3.
    assert sorted(furniture_lines(doc)) == [1, 10, 24]


def test_no_furniture_in_a_plain_report():
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    assert furniture_lines(Document(text)) == frozenset()


def test_a_browser_footer_with_a_long_address_and_one_space():
    # Chromium's print footer as the PDF reader gives it: the address, one space, 「1/3」; an address
    # long enough to pass for a line of text (over 60 characters) is furniture all the same.
    url = "file:///tmp/render-layouts/county-gov-2020-partblank.html"
    text = f"表格\n规章\t1\n{url} 1/3\n12/4/26,3:19PM 某县2020年报告\n规范性文件\t2\n{url} 2/3\n"
    assert {3, 6} <= furniture_lines(Document(text))


def test_a_browser_footer_whose_address_the_pdf_reader_spaced():
    # The PDF reader may read some hyphens of the address as spaces (tests/fixtures/narrow-review
    # one-character-first-line): still the footer, and the table on both sides of it one table.
    spaced = "file:///tmp/render-layouts/one-character first-line-printed-from-a-portal page.html"
    text = f"表格\n规章\t1\n{spaced} 2/6\n12/5/26,5:51AM 某县2020年报告\n规范性文件\t2\n"
    assert 3 in furniture_lines(Document(text))
    assert 1 not in furniture_lines(Document("详见 http://www.example.gov.cn 第 2 页。\n"))


def _pages(*pages: list[str]) -> str:
    """Pages of lines, a form feed before each page but the first."""
    return "\n".join("\f" * (k > 0) + "\n".join(lines) for k, lines in enumerate(pages)) + "\n"


def test_the_reports_title_again_at_a_later_pages_head_is_furniture():
    # A browser's print header holds the page's title; plain pdftotext puts it a few lines into
    # the page. The report's own title (the second on the first page) stays.
    title = "某县人民政府2020年政府信息公开工作年度报告"
    text = _pages(
        ["12/5/26, 6:23 AM", title, title, "一、总体情况", "本县依法公开政府信息。"],
        ["12/5/26, 6:23 AM", "二、主动公开政府信息情况", title, "规章 1 0 1"],
    )
    furniture = furniture_lines(Document(text))
    lines = text.split("\n")
    at = [n for n, line in enumerate(lines, 1) if line.strip("\f") == title]
    assert at[0] in furniture and at[1] not in furniture and at[2] in furniture


def test_a_line_twice_by_one_page_break_is_not_a_running_header():
    # A wrapped header's last lines opening a page (本年制发|件数, 本年废止|件数): twice by one break.
    text = _pages(
        ["一、总体情况", "全年主动公开信息。", "二、主动公开政府信息情况", "信息内容\t本年制发\t本年废止", "- 1 -"],
        ["件数", "件数", "规章\t0\t0", "行政规范性文件\t1\t0", "三、收到和处理政府信息公开申请情况", "- 2 -"],
        ["四、行政复议、行政诉讼情况", "五、存在的主要问题", "六、其他需要报告的事项", "无。"],
    )
    assert sorted(furniture_lines(Document(text))) == [5, 11]


@pytest.mark.parametrize("tail, running", [("数量", False), ("年度报告", True)])
def test_a_running_line_has_three_characters_at_least(tail, running):
    # A wrapped header label's last line ending two pages (LibreOffice's -layout text of a narrow
    # 表二: 本年新制作|数量 on page 1, 采购项目|数量 on page 2) is no running footer.
    text = _pages(
        ["一、总体情况", "全年主动公开信息。", "信息内容 本年新制作", tail, "规章 0 0 0"],
        ["规范性文件 9 3 64", "信息内容 采购项目", tail],
        ["政府集中采购 27 1846.3万元", "三、收到和处理政府信息公开申请情况", "无。"],
    )
    assert (sorted(furniture_lines(Document(text))) == [4, 8]) is running


def test_a_running_header_once_known_is_found_a_little_further_from_a_break():
    # Plain pdftotext of a browser's PDF: the print time, a page's first cell, then the title.
    title = "某县人民政府2020年政府信息公开工作年度报告"
    text = _pages(
        [
            "12/4/26, 3:19 PM",
            title,
            title,
            "一、总体情况",
            "全年主动公开信息。",
            *[f"正文第一页第 {k} 行。" for k in range(6)],
        ],
        ["12/4/26, 3:19 PM", "其他对外管理服务事项", title, "58", "正文第二页。", "正文第二页续。"],
        ["12/4/26, 3:19 PM", title, "四、行政复议", "正文第三页。", "正文第三页续。"],
    )
    found = furniture_lines(Document(text))
    titles = [n for n, line in enumerate(text.split("\n"), 1) if line == title]
    assert titles[0] in found and titles[1] not in found  # the print header's, then the report's own
    assert set(titles[2:]) <= found


def test_a_running_header_once_known_is_found_anywhere_on_an_inner_page():
    # Plain pdftotext of a browser's PDF may print the print header's title after a page's
    # left-hand column (and the next heading): half a page from the break, it is still the header.
    # On the first and last pages the same line is the report's own (title, signature).
    title = "某县人民政府2020年政府信息公开工作年度报告"

    def lines(page: str) -> list[str]:
        return [f"正文第{page}页{k}行。" for k in "甲乙丙丁戊己庚辛"]  # no digits: a header's key has none

    text = _pages(
        ["12/4/26, 3:19 PM", title, title, "一、总体情况", *lines("一")[:4], title, *lines("一")[4:]],
        ["12/4/26, 3:19 PM", *lines("二")[:4], "三、收到和处理政府信息公开申请情况", title, *lines("二")[4:]],
        ["12/4/26, 3:19 PM", title, "四、行政复议", *lines("三")],
        ["12/4/26, 3:19 PM", title, *lines("四")[:4], title, *lines("四")[4:]],
    )
    found = furniture_lines(Document(text))
    titles = [n for n, line in enumerate(text.split("\n"), 1) if line == title]
    assert len(titles) == 7
    assert titles[0] in found and titles[1] not in found  # the print header's, then the report's own
    assert titles[2] not in found  # the first page, away from a break: the report's own again
    assert set(titles[3:6]) <= found  # an inner page's, wherever it stands; the last page's header
    assert titles[6] not in found  # the last page, away from a break (where a signature stands)


def test_a_repeated_table_header_is_not_a_running_header():
    text = "信息内容\t本年制发件数\n规章\t1\n- 1 -\n\f信息内容\t本年制发件数\n行政规范性文件\t8\n- 2 -\n"
    assert sorted(furniture_lines(Document(text))) == [3, 6]


# --- the prose view -----------------------------------------------------------------


@pytest.mark.parametrize("text", [TXT, LAYOUT], ids=["pdftotext", "pdftotext-layout"])
def test_view_joins_every_wrapped_paragraph_back(text):
    view = prose_view(_report(text))
    lines = [ln.strip() for ln in view.text.split("\n")]
    for paragraph in _source_paragraphs():
        assert make_shadow(paragraph).text in lines
    # Page numbers and the running header are gone; the signature's two lines stay apart.
    assert "-1-" not in view.text and "青禾县人民政府2024年政府信息公开工作年度报告" not in view.text
    assert "青禾县人民政府办公室" in lines and "2025年1月20日" in lines


def test_view_maps_every_character_to_the_source():
    doc = Document(TXT)
    view = prose_view(parse(doc, knowledge_for(Settings())))
    assert view.origin is not None and list(view.origin) == sorted(view.origin)
    for i, ch in enumerate(view.text):
        src = TXT[view.to_source(i)]
        assert (ch == "\n" and src in "\r\n") or make_shadow(src).text == ch, (i, ch, src)


def test_headings_and_tables_are_not_joined():
    wrapped = "这是一段被版面折行的文字它在行尾没有任何标点所以与下一行"
    text = (
        "一、总体情况\n"
        f"{wrapped}\n连在一起成为一句话。\n"
        f"{wrapped}\n"
        "信息内容\t本年制发件数\t本年废止件数\n规章\t1\t0\n"
        f"{wrapped}\n"
        "二、主动公开政府信息情况\n"
        f"{wrapped}\n{wrapped}\n{wrapped}\n结束。\n"
    )
    view = prose_view(_report(text)).text.split("\n")
    assert view[0] == "一、总体情况"
    assert view[1] == wrapped + "连在一起成为一句话。"
    assert view[2] == wrapped  # a table row follows: not joined to it
    assert view[3:5] == ["信息内容\t本年制发件数\t本年废止件数", "规章\t1\t0"]
    assert view[5] == wrapped and view[6] == "二、主动公开政府信息情况"
    assert view[7] == wrapped * 3 + "结束。"


def test_unwrapped_report_keeps_the_shadow():
    # One paragraph a line: nothing is joined, and the view is the shadow itself (no offset map).
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    report = _report(text)
    view = prose_view(report)
    assert view.joins == 0 and view.text == report.doc.shadow.text and view.origin is None
    assert prose_view(report) is view  # built once per report


def test_short_lines_without_punctuation_are_not_joined():
    # A title over two lines and a signature: no layout wrapped them.
    text = (
        "某县人民政府\n2024年政府信息公开工作年度报告\n一、总体情况\n2024年，本县依法公开政府信息。\n"
        "某县人民政府办公室\n2025年1月20日\n"
    )
    view = prose_view(_report(text))
    assert view.joins == 0


# --- prose rules on the rendered report ------------------------------------------------


@pytest.mark.parametrize("text", [TXT, LAYOUT], ids=["pdftotext", "pdftotext-layout"])
def test_rendered_report_is_clean_for_prose_rules(text):
    # Before the reflow: 4 GK501 (「2024 年，」), 8 GK506 (pairs split by wraps), 2 GK507 (running header).
    assert findings(text, PROSE) == []


def test_rendered_pdf_is_clean_for_prose_rules():
    pytest.importorskip("pypdfium2_raw")
    from gikcheck.engine import lint_bytes

    result = lint_bytes((REFLOW / "qinghe-2024.pdf").read_bytes(), "qinghe-2024.pdf", settings(select=PROSE))
    assert [(d.code, d.location.line) for d in result.diagnostics] == []


def test_bracket_left_open_over_a_wrap_is_one_finding():
    text = edit(TXT, "以下简称《条例》）和", "以下简称《条例》和")
    found = findings(text, "GK506")
    assert found == [("GK506", line_of(text, "（国令"))]
    d = check_text(text, "fixture.txt", settings(select=["GK506"]))[0]
    assert d.message.startswith("本段「(」2 个、「)」1 个") and text[d.span.start : d.span.end] == "（"


def test_blank_year_is_still_found():
    text = edit(TXT, "2024 年，我县坚持", "年，我县坚持")
    assert findings(text, "GK501") == [("GK501", line_of(text, "年，我县坚持"))]
    d = check_text(text, "fixture.txt", settings(select=["GK501"]))[0]
    assert text[d.span.start : d.span.end] == "年"


def test_keyword_split_by_a_page_break_is_mentioned():
    # 考 at the foot of page 1, 核 at the top of page 2, a page number and the running header between.
    no_items = edit(
        TXT, "量发展综合考核，建立工作考核、社会评议和责任追究制度，", "量发展综合评价，建立社会评议和责任追究制度，"
    )
    assert findings(no_items, "GK106") == [("GK106", line_of(no_items, "一、总体情况"))]
    split = edit(no_items, "完整、权威，\n-1-", "完整、权威，纳入考\n-1-")
    split = edit(split, "\n切实做到", "\n核，切实做到")
    assert findings(split, "GK106") == []


def test_date_split_by_a_wrap_is_read_whole():
    text = edit(TXT, "报告所列统计期限自\n2024 年 1 月 1 日至", "报告所列统计期限自 2024 年 2 月\n30 日至")
    found = check_text(text, "fixture.txt", settings(select=["GK404"]))
    assert [(d.code, d.location.line) for d in found] == [("GK404", line_of(text, "2024 年 2 月\n"))]
    assert "2024年2月30日" in found[0].message
    assert text[found[0].span.start : found[0].span.end] == "2024 年 2 月\n30 日"


def test_vague_figure_over_a_wrap_points_into_the_source():
    text = edit(TXT, "各类政府信息 2356 条", "各类政府信息 2300\n余条")
    found = check_text(text, "fixture.txt", settings(select=["GK508"]))
    assert [(d.code, d.location.line) for d in found] == [("GK508", line_of(text, "2300\n"))]
    assert found[0].message == "统计数字不确切：「2300余条」"
    assert text[found[0].span.start : found[0].span.end] == "2300\n余条"


# --- the shared real reports ------------------------------------------------------------

_MINE = {"GK106", "GK401", "GK402", "GK404", "GK405", "GK501", "GK506", "GK508"}


def test_real_reports_prose_expectations(shared_corpus):
    real = shared_corpus / "real"
    if not (real / "expect.tsv").is_file():
        pytest.skip("../shared/corpus/real is not available")
    from gikcheck.engine import check_path

    failures = []
    cache: dict[str, set[str]] = {}
    for line in (real / "expect.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        f, code, expect, *_ = line.split("\t")
        if code not in _MINE:
            continue
        if f.endswith(".pdf"):
            pytest.importorskip("pypdfium2_raw")
        if f not in cache:
            cache[f] = {d.code for d in check_path(real / f)}
        if (code in cache[f]) != (expect == "yes"):
            failures.append(f"{f} {code} expected {expect}")
    assert failures == []


def _fixed_width(paragraphs: list[str], columns: int, indent: int) -> str:
    """Paragraphs laid out as a text browser dumps them: first lines indented, wrapped at ``columns``."""
    import unicodedata

    out = []
    for p in paragraphs:
        line, width = " " * indent, indent
        for ch in p:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if width + w > columns:
                out.append(line)
                line, width = "", 0
            line += ch
            width += w
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_fixed_width_dump_is_joined_back(columns):
    paragraphs = _source_paragraphs()
    text = "一、总体情况\n" + _fixed_width(paragraphs, columns, 4)
    view = prose_view(_report(text))
    assert [ln.strip() for ln in view.text.split("\n")][1 : 1 + len(paragraphs)] == [
        make_shadow(p).text for p in paragraphs
    ]
    assert findings(text, ["GK501", "GK506"]) == []


def test_headings_are_found_through_the_dropped_spaces():
    # The shadow of PDF text has an offset map: the block splitter's slower path finds the same headings.
    report = _report(TXT)
    assert report.doc.shadow.origin is not None
    assert [s.spec.key for s in report.sections] == [
        "overview",
        "proactive",
        "applications",
        "review_litigation",
        "problems",
        "other",
    ]
    assert report.meta.level == "government" and report.meta.year == 2024
    titles = [h.title for h in report.blocks.headings]
    assert titles == [h.title for h in _report(TXT.replace(" 年", "年").replace("\f", "")).blocks.headings]


def test_agency_name_in_title_and_signature_is_no_running_header():
    text = (
        "某某县人民政府办公室\n2024年政府信息公开工作年度报告\n一、总体情况\n2024年，本县依法公开政府信息。\n"
        "- 1 -\n\f二、主动公开政府信息情况\n本年度制发规范性文件5件。\n某某县人民政府办公室\n2025年1月20日\n- 2 -\n"
    )
    assert sorted(furniture_lines(Document(text))) == [5, 10]


def test_report_in_kangxi_radicals_reads_as_the_unified_one():
    # A PDF font's radicals in headings, table labels and prose: read as their ideographs.
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    kangxi = text.translate(str.maketrans("行一人二", "⾏⼀⼈⼆"))
    assert kangxi != text and findings(kangxi) == findings(text) == []
    # ... and a defect is still found where the unified text has it.
    found = findings(edit(kangxi, "⾏政许可 | 25", "⾏政审批 | 25"), "GK2")
    assert found == findings(edit(text, "行政许可 | 25", "行政审批 | 25"), "GK2")
    assert [c for c, _ in found] == ["GK204", "GK206"]


def test_crlf_text_reflows_the_same():
    crlf = TXT.replace("\n", "\r\n")
    assert prose_view(_report(crlf)).text == prose_view(_report(TXT)).text
    assert findings(crlf, PROSE) == []
    text = edit(crlf, "以下简称《条例》）和", "以下简称《条例》和")
    assert findings(text, "GK506") == [("GK506", line_of(text, "（国令"))]
