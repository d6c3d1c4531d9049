"""The template-guided table reader (issue 10): tokens, regions, rows put back together.

The reports come from tests/fixtures/layouts, rendered by the real programs (w3m,
pdftotext, Chromium, LibreOffice, pandoc); defects are written into those renders
here, so that what is tested is a real layout with one known fault.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, findings, line_of

from gikcheck.document import Document
from gikcheck.engine import check_document, read_bytes
from gikcheck.parsing.layout import tokenize

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
CLEAN = "county-gov-2022-clean"


def render(form: str, report: str = CLEAN) -> str:
    return (LAYOUTS / report / form).read_text(encoding="utf-8")


def cells(path: Path) -> dict[tuple[str, str, str], object]:
    """Every mapped value of every table: (table, row, column) -> value."""
    doc = read_bytes(path.read_bytes(), str(path))
    report = check_document(doc)[1]
    return {(t.spec.key, r, c): cell.value for t in report.tables for (r, c), cell in t.cells.items()}


# --- tokens --------------------------------------------------------------------------------------


def _tokens(raw: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(raw, 0, 1).tokens]


def test_box_drawing_cells_and_a_rowspan_label_beside_a_border():
    assert _tokens("│      │（二）部分公开（区分 │  9   │  2   │ 11  │") == [
        ("text", "（二）部分公开（区分"),
        ("num", "9"),
        ("num", "2"),
        ("num", "11"),
    ]
    # A rowspan cell's text shares its line with the border under the cells beside it.
    assert _tokens("│开            ├──────┼──────┤") == [("text", "开")]
    assert tokenize("├──────┼──────┤", 0, 1).kind == "rule"


def test_display_columns_count_han_as_two_wherever_the_line_is_asked():
    line = tokenize("（一）予以公开  12  x", 0, 1)
    assert [(t.text, t.x0, t.x1) for t in line.tokens] == [("（一）予以公开", 0, 14), ("12", 16, 18), ("x", 20, 21)]
    # Asked for out of order and from a long line, the column is each offset's width so far.
    from gikcheck.parsing.layout import _Columns, text_width

    raw = "表三 自然人 ab１２" * 300
    cols = _Columns(raw)
    for i in (5, 40, 3, 2999, 0, 1200, len(raw)):
        assert cols[i] == text_width(raw[:i])


def test_a_line_met_again_elsewhere_has_the_same_tokens_moved():
    # Made in place the first time (offsets from its own start), then from the kept shape.
    raw = "（六）其他处理 | ０ |  12　| 1,200万元 | a b |"
    first = tokenize(raw, 100, 7)
    again = tokenize(raw, 40, 3)
    shape = [(t.kind, t.text, t.start - 100, t.end - 100, t.x0, t.x1, t.field, t.fields) for t in first.tokens]
    assert shape == [(t.kind, t.text, t.start - 40, t.end - 40, t.x0, t.x1, t.field, t.fields) for t in again.tokens]
    assert {t.line for t in first.tokens} == {7} and {t.line for t in again.tokens} == {3}
    # A cell's one word between blanks, full-width digits a number, columns counting Han as two.
    assert shape == [
        ("text", "（六）其他处理", 0, 7, 0, 14, 0, 5),
        ("num", "０", 10, 11, 17, 19, 1, 5),
        ("num", "12", 15, 17, 23, 25, 2, 5),
        ("num", "1,200万元", 20, 27, 29, 38, 3, 5),
        ("text", "a b", 30, 33, 41, 44, 4, 5),
    ]
    assert raw[first.tokens[2].start - 100 : first.tokens[2].end - 100] == "12"


def test_tab_fields_count_empty_cells_and_spaced_columns_do_not():
    line = tokenize("二、上年结转\t4\t\t0\t", 0, 1)
    assert [(t.text, t.field, t.fields) for t in line.tokens] == [("二、上年结转", 0, 5), ("4", 1, 5), ("0", 3, 5)]
    spaced = tokenize("   规章             0                 0", 0, 1)
    assert [(t.kind, t.text, t.fields) for t in spaced.tokens] == [
        ("text", "规章", 0),
        ("num", "0", 0),
        ("num", "0", 0),
    ]


def test_fillers_hold_a_value_place_and_no_break_space_is_an_empty_cell():
    assert _tokens("二、上年结转 | 0 | — | 0") == [("text", "二、上年结转"), ("num", "0"), ("num", "—"), ("num", "0")]
    assert [(t.kind, t.text) for t in tokenize("\u00a0", 0, 1).tokens] == [("nil", "")]
    assert tokenize("\f", 0, 1).kind == "blank"


def test_quoted_spreadsheet_cells_lose_their_quotes():
    assert _tokens('"结果\t"维持"\t3') == [("text", "结果"), ("text", "维持"), ("num", "3")]


def test_a_quoted_space_is_an_empty_cell_and_an_empty_field_a_spacer_column():
    # Calc's export of 表四's data row: blank cells are 「" "」, the sheet's spacer column is empty.
    line = tokenize('1\t" "\t1\t\t" "', 0, 1)
    assert [(t.kind, t.field) for t in line.tokens] == [("num", 0), ("nil", 1), ("num", 2), ("nil", 4)]
    blank = "township-2020-blank"
    assert cells(LAYOUTS / blank / "calc-tsv.tsv") == cells(LAYOUTS / blank / "docx.docx")


# --- every form reads the same cells ----------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        "w3m-80.txt",
        "w3m-200.txt",
        "lynx.txt",
        "pandoc2-plain.txt",
        "pandoc3-plain.txt",
        "pandoc3-gfm.md",
        "writer-txt.txt",
        "innertext.txt",
        "calc-tsv.tsv",
        "lo-pdftotext-layout.txt",
        "chromium-pdftotext-layout.txt",
        "lo-pdf.pdf",
        "chromium-pdf.pdf",
        "lo-pdftotext.txt",
        "chromium-pdftotext.txt",
    ],
)
def test_every_cell_as_the_docx_has_it(form):
    docx = cells(LAYOUTS / CLEAN / "docx.docx")
    assert len(docx) >= 200  # 表二 8, 表三 25 × 7, 表四 15 (and 表二's two-value rows)
    assert cells(LAYOUTS / CLEAN / form) == docx


# --- defects written into real renders ---------------------------------------------------------------


def test_w3m_row_total_off_is_found_on_its_row():
    text = render("w3m-80.txt")
    row = "│      一、本年新收政府信息公开申请数量      │  93  │  13  │  0   │  1   │  3   │  1   │ 111  │"
    text = edit(text, row, row.replace(" 111  │", " 112  │"))
    # The row no longer adds up, nor does the 总计 column's balance (reported at 第三项总计).
    assert findings(text, ["GK301", "GK302"]) == [
        ("GK301", line_of(text, "（七）总计")),
        ("GK302", line_of(text, "一、本年新收")),
    ]


def test_a_typo_in_a_wrapped_layout_is_a_label_mismatch():
    text = edit(render("lo-pdftotext-layout.txt"), "（一）予以公开", "（一）子以公开")
    assert findings(text, "GK2") == [("GK203", line_of(text, "（一）子以公开"))]


def test_a_row_the_template_lacks_is_an_extra_row_with_its_numbers():
    text = render("w3m-200.txt")
    anchor = next(ln for ln in text.splitlines() if "四、结转下年度继续办理" in ln)
    extra = anchor.replace("四、结转下年度继续办理", "（八）转办其他机关    ")
    text = edit(text, anchor, extra + "\n" + anchor)
    assert findings(text, "GK2") == [("GK206", line_of(text, "（八）转办"))]


def test_a_page_break_inside_a_table_with_page_number_and_repeated_header():
    text = render("lo-pdftotext-layout.txt")
    row = next(ln for ln in text.splitlines() if "4.保护第三方合法权益" in ln)
    header = next(ln for ln in text.splitlines() if "申请人情况" in ln)
    text = edit(text, row, f"{row}\n\n                         - 3 -\n\f{header}\n")
    assert findings(text, ("GK2", "GK3")) == []
    assert cells_of(text) == cells(LAYOUTS / CLEAN / "docx.docx")


def cells_of(text: str) -> dict:
    report = check_document(Document(text, "x.txt"))[1]
    return {(t.spec.key, r, c): cell.value for t in report.tables for (r, c), cell in t.cells.items()}


def test_blank_cells_in_a_box_drawing_are_one_finding_listing_them():
    text = render("w3m-200.txt", "township-2020-blank")
    found = [d for d in check_document(Document(text, "x.txt"))[0] if d.code == "GK205"]
    assert found and all(len(d.places()) > 1 for d in found)


# --- what cannot be read without guessing is said once -----------------------------------------------


def test_numbers_printed_below_their_label_still_find_it():
    text = render("innertext-plain-cells.txt")
    rows = [ln for ln in text.splitlines() if "\t" in ln and ln.split("\t")[-1].strip().isdigit()]
    for ln in rows[6:9]:
        label, _, numbers = ln.partition("\t")
        text = edit(text, ln, label + "\n\n\n" + "\t".join(["", *numbers.split("\t")]))
    assert findings(text, ("GK2", "GK3")) == []
    assert cells_of(text) == cells(LAYOUTS / CLEAN / "docx.docx")


def test_a_table_torn_apart_is_one_finding_and_nothing_is_added_up():
    # Two labels, then both rows of numbers, twice: as a PDF-to-Markdown converter leaves a table.
    text = render("innertext-plain-cells.txt")
    rows = [ln for ln in text.splitlines() if "\t" in ln and ln.split("\t")[-1].strip().isdigit()]
    for a, b in ((rows[10], rows[11]), (rows[14], rows[15])):
        (la, _, na), (lb, _, nb) = a.partition("\t"), b.partition("\t")
        text = edit(text, a + "\n" + b, f"{la}\n{lb}\n\t{na}\n\t{nb}")
    found = findings(text, ("GK2", "GK3"))
    assert found == [("GK204", line_of(text, "申请人情况"))]
    message = next(d.message for d in check_document(Document(text, "x.txt"))[0] if d.code == "GK204")
    assert "无法一一对应" in message


def test_markdown_with_an_html_table_and_markdown_headings():
    text = render("pandoc3-gfm.md")
    assert "<table" in text
    diags, report = check_document(Document(text, "x.md"))
    assert {t.spec.key for t in report.tables} == {"active", "applications", "review"}
    # Its markup (<span style="font-family:…">) is no text: sections found, no half-width colons,
    # and the title inside 「**<span …>…</span>**」 is the title (no GK107), without its markup.
    assert not {d.code for d in diags} & {"GK101", "GK103", "GK107", "GK506"}
    assert report.meta.title == "清河县人民政府2022年政府信息公开工作年度报告"
    assert text[report.meta.title_span.start : report.meta.title_span.end] == report.meta.title
    md = edit(
        edit(render("writer-txt.txt"), "一、总体情况", "## 一、总体情况"),
        "二、主动公开政府信息情况",
        "## 二、主动公开政府信息情况",
    )
    assert findings(md, "GK1") == []


# --- plain pdftotext: rows and numbers paired by the template's order, or not at all -------------------


def test_plain_pdftotext_defect_is_found_on_its_row():
    # One cell per line, labels and numbers in reading blocks: paired in the template's order.
    text = edit(render("lo-pdftotext.txt"), "\n111\n", "\n112\n")
    # Each at its cell: the row's 总计, and the 总计 column's 第三项总计 (110).
    assert findings(text, ["GK301", "GK302"]) == [
        ("GK301", line_of(text, "\n110\n") + 1),
        ("GK302", line_of(text, "\n112\n") + 1),
    ]


def test_plain_pdftotext_column_blocks_are_one_finding():
    # LibreOffice's PDF of 4-digit figures: two columns of two rows, then the rest of both rows.
    text = render("lo-pdftotext.txt", "county-gov-2021-gk304")
    assert "1258 96" in text
    found = findings(text, ("GK2", "GK3"))
    # 表三 unread, said once. 表四's one row comes one value per line after its header; its sum
    # fails in that order, which is also what a converter's column blocks give a clean report
    # (tests/test_narrow_review.py, order-in-one-run): which it is, the text does not show, so it
    # is said unread too, not reported as the GK304 its .docx has.
    assert found == [("GK204", line_of(text, "申请人情况")), ("GK204", line_of(text, "四、政府信息公开行政复议") + 1)]


def _labels_then_numbers(transpose: bool = False, changes: dict[int, str] | None = None) -> str:
    """The clean report's plain pdftotext with 表三's labels first, then its 175 numbers one per
    line: in the rows' order, or the columns' (``transpose``); ``changes``: index -> new figure."""
    text = render("lo-pdftotext.txt")
    start, end = text.index("申请人情况"), text.index("四、政府信息公开行政复议")
    lines = text[start:end].split("\n")
    numbers = [ln for ln in lines if ln.strip().isdigit()]
    rest = [ln for ln in lines if not ln.strip().isdigit()]
    assert len(numbers) == 25 * 7
    if transpose:
        numbers = [numbers[r * 7 + c] for c in range(7) for r in range(25)]
    for k, figure in (changes or {}).items():
        numbers[k] = figure
    return text[:start] + "\n".join(rest) + "\n" + "\n".join(numbers) + "\n" + text[end:]


def test_a_long_run_of_numbers_one_per_line_is_rows_where_only_rows_add_up(tmp_path: Path):
    # Every label, then every number: a column's numbers, then the next column's, would print
    # one a line as well; the rows' identities tell which: every row adds up read as rows.
    text = _labels_then_numbers()
    assert findings(text, ("GK2", "GK3")) == []
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    assert cells(path) == cells(LAYOUTS / CLEAN / "docx.docx")


def test_a_long_run_of_numbers_one_per_line_in_columns_proves_no_pairing():
    # The same numbers a column after another: read as rows, they do not add up.
    text = _labels_then_numbers(transpose=True)
    assert findings(text, ("GK2", "GK3")) == [("GK204", line_of(text, "申请人情况"))]


def test_a_long_run_of_numbers_one_per_line_with_a_row_not_adding_up_is_read():
    # One row's 总计 wrong (一: 112 for 111): read as rows all the others add up, read as columns
    # most do not; the row's defect is reported, and what it breaks (GK301; the prose's 111).
    text = _labels_then_numbers(changes={6: "112"})
    found = findings(text, ("GK2", "GK3"))
    assert [code for code, _ in found] == ["GK301", "GK302", "GK305"]
    assert ("GK302", line_of(text, "\n112\n") + 1) in found


def test_a_long_run_of_numbers_one_per_line_with_two_rows_not_adding_up_proves_no_pairing():
    # Two rows that do not add up read as rows: rows or columns, the text does not tell.
    text = _labels_then_numbers(changes={6: "112", 13: "6"})
    assert findings(text, ("GK2", "GK3")) == [("GK204", line_of(text, "申请人情况"))]


def _figures(*figures: object) -> str:
    """Figures as plain pdftotext prints cells, one a line with a blank line between."""
    return "\n\n" + "\n\n".join(str(f) for f in figures) + "\n\n"


def test_a_short_run_printed_a_column_after_another_proves_no_pairing():
    # Chromium's plain text of rows close together on a page: （六）3., （七） and 四's figures a
    # column after another (「1 92 5 0 13 1 …」). Read as rows they do not add up: unread.
    text = render("lo-pdftotext.txt")
    figures = [1, 0, 0, 0, 0, 1, 2, 92, 13, 0, 1, 3, 1, 110, 5, 1, 0, 0, 0, 0, 6]
    assert text.count(_figures(*figures)) == 1
    columns = [figures[r * 7 + c] for c in range(7) for r in range(3)]
    text = text.replace(_figures(*figures), _figures(*columns))
    assert findings(text, ("GK2", "GK3")) == [("GK204", line_of(text, "申请人情况"))]


def test_a_rows_first_or_last_figures_on_a_line_are_a_fragment_of_it(tmp_path: Path):
    # Chromium prints neighbouring cells of a row as one fragment (「93 13」, 「1 111」): a row's
    # first or last figures on a line, the rest one a line, are that row's.
    text = render("lo-pdftotext.txt")
    row = _figures(93, 13, 0, 1, 3, 1, 111)
    assert text.count(row) == 1
    path = tmp_path / "report.txt"
    path.write_text(text.replace(row, _figures("93 13", 0, 1, 3, "1 111")), encoding="utf-8")
    assert findings(path.read_text(encoding="utf-8"), ("GK2", "GK3")) == []
    assert cells(path) == cells(LAYOUTS / CLEAN / "docx.docx")
    # Two figures inside the row on a line: no fragment the order proves.
    text = text.replace(row, _figures(93, 13, "0 1", 3, 1, 111))
    assert findings(text, ("GK2", "GK3")) == [("GK204", line_of(text, "申请人情况"))]


def _review_cut_by_heading(late: str) -> str:
    """The clean report's plain pdftotext with 表四's last nine figures printed ``late``: the
    text put after 五、's heading (as LibreOffice's PDF gives a row at a page's end)."""
    text = render("lo-pdftotext.txt")
    row = "2\n\n1\n\n0\n\n1\n\n4\n\n1\n\n0\n\n0\n\n1\n\n2\n\n0\n\n0\n\n0\n\n0\n\n0\n\n五、存在的主要问题及改进情况\n"
    assert text.count(row) == 1
    return text.replace(row, "2\n\n1\n\n0\n\n1\n\n4\n\n1\n\n五、存在的主要问题及改进情况\n" + late)


def test_a_rows_last_figures_after_the_next_heading_are_its_own():
    # Lines of figures alone right after the heading, as many as the row lacks: the row's.
    text = _review_cut_by_heading("0\n\n0\n\n1\n\n2\n\n0\n\n0\n\n0\n\n0\n\n0\n\n")
    assert findings(text, ("GK2", "GK3")) == []
    # A row in runs is the converter's order, proved only where it adds up: with a defect among
    # them (诉讼 未经复议 总计 3 for 2), said unread, as a row cut by header text is.
    text = _review_cut_by_heading("0\n\n0\n\n1\n\n3\n\n0\n\n0\n\n0\n\n0\n\n0\n\n")
    assert findings(text, ("GK2", "GK3")) == [("GK204", line_of(text, "四、政府信息公开行政复议") + 1)]


def test_figures_after_the_next_heading_that_do_not_complete_the_row_are_not_its_own():
    # Fewer than the row lacks, or past a sentence: the row is short, said so (one GK204).
    for late in (
        "0\n\n1\n\n2\n\n0\n\n0\n\n0\n\n0\n\n0\n\n",
        "存在的主要问题：公开信息更新不够及时。\n0\n\n0\n\n1\n\n2\n\n0\n\n0\n\n0\n\n0\n\n0\n\n",
    ):
        text = _review_cut_by_heading(late)
        assert findings(text, ("GK2", "GK3")) == [("GK204", line_of(text, "四、政府信息公开行政复议") + 1)]


def test_a_heading_that_cuts_a_table_keeps_its_place():
    # Chromium's PDF: 表二's last cells come after the heading of section 三 and the running title.
    text = render("chromium-pdftotext.txt")
    assert text.index("三、收到和处理政府信息公开申请情况") < text.index("32.57")
    diags, report = check_document(Document(text, "x.txt"))
    assert report.table("active").cells[("art20_8.fees", "fee_amount")].value == 32.57
    assert report.section("applications") is not None and not [d for d in diags if d.code.startswith("GK1")]


def test_a_bare_number_by_a_page_break_is_a_figure():
    from gikcheck.parsing.furniture import furniture_lines

    text = render("lo-pdftotext.txt", "county-bureau-2019-gk302")
    doc = Document(text, "x.txt")
    assert line_of(text, "\n156\n") + 1 not in furniture_lines(doc)


def test_lynx_blank_lines_are_the_empty_cells():
    # lynx: a cell per paragraph, and one more blank line per empty cell.
    blank = "township-2020-blank"
    assert cells(LAYOUTS / blank / "lynx.txt") == cells(LAYOUTS / blank / "docx.docx")
    # Plain pdftotext drops them without a trace: no cell is placed on a guess.
    assert findings(render("lo-pdftotext.txt", blank), ("GK2", "GK3")) == [
        ("GK204", line_of(render("lo-pdftotext.txt", blank), "申请人情况")),
        ("GK204", line_of(render("lo-pdftotext.txt", blank), "\n行政复议\n") + 1),
    ]


def test_pdftotext_layout_blank_cells_by_the_whole_rows_of_their_page():
    # Zeros left blank in some cells; 表三 crosses a page. pdftotext -layout counts characters and
    # sets each page's columns anew, so a short row is placed by the whole rows of its own page.
    report = "county-gov-2020-partblank"
    assert cells(LAYOUTS / report / "lo-pdftotext-layout.txt") == cells(LAYOUTS / report / "docx.docx")


def test_a_short_row_takes_its_own_pages_columns_or_none():
    from gikcheck.parsing.layoutcolumns import place_by_page

    raw = [
        "一行标签     10    20    30    60",  # page 1: columns end at display 15, 21, 27, 33
        "二行标签      1          3     4",
        "\f三行标签         10    20    30    60",  # page 2 (form feed): 4 columns further right
        "四行标签          5     6           11",
        "\f五行标签      7                 7",  # page 3: no whole row
    ]
    lines = [tokenize(r, 0, n) for n, r in enumerate(raw, 1)]
    rows = [[t for t in ln.tokens if t.kind == "num"] for ln in lines]
    placed = place_by_page(rows, 4, lines, [3, 5])
    assert placed is not None
    shown = {k: [t.text if t else "" for t in v] if v else None for k, v in placed.items()}
    assert shown == {1: ["1", "", "3", "4"], 3: ["5", "6", "", "11"], 4: None}
    # No page with a whole row: nothing to go by (the caller keeps its other ways, or says so).
    assert place_by_page(rows[1:2], 4, lines, [3, 5]) is None


def test_pdftotext_layout_rows_short_of_blank_cells_count_in_the_one_gk205():
    # Every zero left blank, and no page with a whole row of 表三: which cells of a row are blank,
    # the text does not show (tests/test_layout_limits.py TWIN_UNREAD). A row's figures beside its
    # label, fewer than its cells: the rest are blank cells, counted with the table's others in its
    # one GK205 (140, as the .docx), the row one place of it, its identities left unchecked.
    blank = "township-2020-blank"
    text = render("lo-pdftotext-layout.txt", blank)
    first = line_of(text, "一、本年新收政府信息公开申请数量")
    review = line_of(text, "\n     1             1") + 1
    assert findings(text, ("GK2", "GK3")) == [("GK205", first), ("GK205", review)]
    diags = [d for d in check_document(Document(text, "x.txt"))[0] if d.code == "GK205"]
    applications, table4 = sorted(diags, key=lambda d: d.location.line)
    assert applications.anchor == "table:applications:blank"
    assert applications.message.startswith("表三有 140 个单元格为空")
    assert "9 行的 42 个空白单元格在这种版式中看不出是哪几格，这些行只核对了总计" in applications.message
    rows = [r.message for r in applications.places() if "看不出" in r.message]
    assert len(rows) == 9 and len(applications.places()) == 98 + 9
    assert "「四、结转下年度继续办理」行的 5 个空白单元格（看不出是哪几格）" in rows
    # 表四: one row, 2 figures of 15: the table's blank-cell finding, anchored as the .docx's is.
    assert table4.anchor == "table:review:blank"
    assert table4.message == (
        "表四有 13 个单元格为空（15 格只有 2 个数），应填写数字（没有则填 0）；"
        "这种版式看不出空的是哪几格，这张表未核对勾稽关系"
    )
    # Figures on two lines are not a row drawn whole: the row is unread (GK204), not blank cells.
    torn = edit(text, "（六）其他处理          1                         1", "（六）其他处理          1\n  1")
    got = [d for d in check_document(Document(torn, "x.txt"))[0] if d.code in ("GK204", "GK205")]
    assert sorted((d.code, d.message.split("，")[0]) for d in got) == [
        ("GK204", "表三「收到和处理政府信息公开申请情况」「（六）其他处理」行读出 2 个数"),
        ("GK205", "表三有 135 个单元格为空"),
        ("GK205", "表四有 13 个单元格为空（15 格只有 2 个数）"),
    ]


def test_a_sum_that_fails_wherever_the_blanks_are_is_reported():
    # A row whose figures pdftotext -layout did not place (zeros left blank, no whole row on the
    # page): kept in order, so its total is its last figure or blank. 7 + 1 ≠ 9, and not all 0:
    # GK302 fails wherever the blank cells are, and is reported for that row, as the .docx would.
    text = render("lo-pdftotext-layout.txt", "township-2020-blank")
    row = next(ln for ln in text.splitlines() if "（一）予以公开" in ln)
    assert row.split()[-3:] == ["7", "1", "8"]
    wrong = edit(text, row, row[: row.rindex("8")] + "9")
    found = [d for d in check_document(Document(wrong, "x.txt"))[0] if d.code.startswith("GK3")]
    assert [(d.code, d.anchor, d.location.line) for d in found] == [
        ("GK302", "table:applications:GK302:表三「（一）予以公开」行", line_of(wrong, "（一）予以公开"))
    ]
    assert "读出的 3 个数（7、1、9）无论各在哪一列，总计都不等于各类申请人之和" in found[0].message
    # The same row as written adds up (8 = 7 + 1): nothing, and the GK205 says what was checked.
    assert [d for d in check_document(Document(text, "x.txt"))[0] if d.code.startswith("GK3")] == []
