"""Tables drawn with narrow columns whose labels wrap where the program wraps them (as many
published reports have them): no finding on what the layout made.

The masters (tests/fixtures/narrow-review/*/html.html, make_masters.py NARROW_VARIANTS) are
layout fixture reports with one table's columns narrowed; the PDF of LibreOffice or Chromium and
that PDF's text by pdftotext, with and without -layout, are rendered by
`python tools/render_layouts.py --narrow` (LibreOffice's PDF is kept). The widths were found by
trying random ones and checking every PDF form; each variant is one that went wrong:

- order-adds-up-wrong, some-on-one-line (a clean report; 表四 of a city's figures): plain
  pdftotext gives the row out of order, in column blocks cut by header text. Read in that order
  it did not add up (three GK304 on a clean table), or some figures shared a line and the rest
  were taken for blank cells (GK205 「10 个单元格为空」). The order is the converter's, not proved
  to be the row's: the table is said unread, once. (Runs cut by header text whose reading order
  adds up are read: county-bureau-2019-gk302's plain pdftotext, tests/test_layouts.py.)
- header-wraps-blank (township-2020-blank, 表四 narrow): in -layout the header labels, wrapped a
  character a line, were pieced together across columns and placed the row's two 1s under the
  wrong columns (two GK304). Header labels that do not stand left to right place nothing.
- label-columns-narrow (township-2020-blank, 表三's label columns narrow): Chromium prints the
  wrapped lines of 三、本年度办理结果 and （二）部分公开… one space apart, and a label ran on
  into its neighbour's cell (GK203 「区分处的」, GK206 「三、本年度办 理」): a label's piece now
  stops at a space, and what follows is read anew.
- row-across-pages (county-gov-2021-gk304, 表三's label columns narrow): Chromium breaks a row
  across a page, the last line of its label cells (「息」「供」) on the next page, where
  pdftotext -layout sets the columns anew; a label's exact rest finishes it wherever it stands
  (GK203 「1.本机关不掌握相关政府信」 in -layout). Its PDF is kept: the PDF reader must read it too.
- labels-across-a-page (township-2020-blank, 表三's label columns narrow): -layout reported 「数据只有
  6 列」 and 19 missing rows for a table that leaves its zeros blank.
- active-labels-wrap, active-header-order (county-bureau-2019-gk302, 表二 narrow: its value
  columns' labels wrap over three lines): in -layout the last line of a block's column label
  stands apart from the rest, and no other label lacks it (GK203 「上一年项目数」, GK204, GK206);
  in plain pdftotext a block's labels come in another order than its columns (处理决定数量 before
  本年增/减, so 「+18」 was read under 处理决定数量: two GK205). Labels at one column, not side by
  side, that name each of a block's columns once are the columns in the template's order.
- short-row-placed-wrong (county-gov-2020-partblank, 表三 narrow, some zeros blank): on the next
  page a short row's figures, on a line of their own, stand a column left of where the page's
  whole rows put that column; placed by them, the row's sum failed (a false GK302). A short row
  placed where its figures stand is kept only if it adds up; else its blank cells are counted,
  unplaced.
- active-header-across-page (county-gov-2022-clean, 表二 narrow): its header crosses a page, the
  three 「件数」 of 本年制发|件数 … opening the next one. Two of them near one page break were
  taken for a running header (it takes two breaks); in -layout they stand left of their labels,
  and a block's labels that all lack the same text take its pieces left to right (GK204, GK206).
- total-column-apart (county-gov-2021-gk304, 表三 narrow; printed from a long address): plain
  pdftotext prints 表三's 总计 column after its rows (rows missing, blank cells and an extra
  column were reported), and Chromium's footer address, over 60 characters, was taken for text
  (the running title repeated around it: GK507, and 表二 cut).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gikcheck import check_path
from gikcheck.config import Settings
from gikcheck.engine import read_bytes
from gikcheck.parsing.furniture import furniture_lines

NARROW = Path(__file__).parent / "fixtures" / "narrow-review"
VARIANTS = sorted(p.name for p in NARROW.iterdir() if (p / "html.html").is_file())
CITY_ROW = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
# Where the master itself is read right, these forms must agree with it.
SAME_AS_MASTER = ["lo-pdf.pdf", "chromium-pdf.pdf", "lo-pdftotext-layout.txt", "chromium-pdftotext-layout.txt"]


def table_findings(path: Path) -> list[tuple[str, str]]:
    return sorted((d.code, d.anchor) for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3")))


def test_every_variant_is_there() -> None:
    assert VARIANTS == [
        "active-header-across-page",
        "active-header-order",
        "active-labels-wrap",
        "header-wraps-blank",
        "label-columns-narrow",
        "labels-across-a-page",
        "order-adds-up-wrong",
        "row-across-pages",
        "short-row-placed-wrong",
        "some-on-one-line",
        "total-column-apart",
    ]


def _unread(found: list[tuple[str, str]]) -> set[str]:
    """The tables a reading says it cannot read (one GK204 「无法一一对应」 each)."""
    return {anchor.split(":")[1] for code, anchor in found if code == "GK204" and anchor.split(":")[2] == "count"}


def _agrees_or_says_unread(found: list[tuple[str, str]], master: list[tuple[str, str]]) -> None:
    """Every table gets the master's findings, or one GK204 saying it could not be read."""
    unread = _unread(found)
    assert [f for f in found if f[1].split(":")[1] not in unread] == [
        f for f in master if f[1].split(":")[1] not in unread
    ]
    assert len([f for f in found if f[1].split(":")[1] in unread]) == len(unread)  # one finding each


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_pdf_and_its_layout_text_give_the_masters_findings(variant: str) -> None:
    master = table_findings(NARROW / variant / "html.html")
    forms = [f for f in SAME_AS_MASTER if (NARROW / variant / f).is_file()]
    assert forms
    for form in forms:
        found = table_findings(NARROW / variant / form)
        if variant == "total-column-apart":
            # pdftotext -layout prints two rows' figures in the same character cells
            # (「12 00 00 00 00 00」): 表三 is said unread there.
            assert _unread(found) == {"applications"}
        else:
            assert found == master, form
        _agrees_or_says_unread(found, master)


@pytest.mark.parametrize("variant", VARIANTS)
def test_plain_pdftotext_gives_the_masters_findings_or_says_a_table_is_unread(variant: str) -> None:
    """Plain pdftotext of most of these PDFs loses some tables' order (or their blank cells): each such
    table gets one GK204 「无法一一对应」, every other table the master's findings."""
    master = table_findings(NARROW / variant / "html.html")
    (plain,) = NARROW.joinpath(variant).glob("*-pdftotext.txt")
    found = table_findings(plain)
    assert bool(_unread(found)) == (
        variant not in ("row-across-pages", "active-header-order", "active-header-across-page")
    )
    _agrees_or_says_unread(found, master)


@pytest.mark.parametrize("variant", ["order-adds-up-wrong", "some-on-one-line"])
def test_plain_pdftotext_scrambles_the_citys_row_and_only_that_table_is_unread(variant: str) -> None:
    text = (NARROW / variant / "lo-pdftotext.txt").read_text(encoding="utf-8")
    part = text[text.index("四、政府信息公开行政复议") : text.index("五、存在的主要问题")]
    figures = re.findall(r"\d+", part)
    assert sorted(figures) == sorted(CITY_ROW) and figures != CITY_ROW  # every figure, out of order
    assert table_findings(NARROW / variant / "html.html") == []
    assert table_findings(NARROW / variant / "lo-pdftotext.txt") == [("GK204", "table:review:count:unreliable")]


def test_a_blank_table_whose_header_wraps_is_its_blank_cells_only() -> None:
    path = NARROW / "header-wraps-blank" / "lo-pdftotext-layout.txt"
    review = [d for d in check_path(path, Settings()) if d.anchor.startswith("table:review")]
    assert [d.code for d in review] == ["GK205"]
    assert review[0].message.startswith("表四有 13 个单元格为空（15 格只有 2 个数）")


def test_labels_one_space_apart_stay_in_their_cells() -> None:
    path = NARROW / "label-columns-narrow" / "chromium-pdftotext-layout.txt"
    assert "度办 理的" in path.read_text(encoding="utf-8")  # two cells' wrapped lines, one space apart
    assert [d.code for d in check_path(path, Settings()) if d.code in ("GK203", "GK206")] == []


def test_a_column_printed_apart_is_one_finding_for_the_table() -> None:
    """Plain pdftotext of Chromium's PDF prints 表三's rows without their 总计, the 总计 column after
    them: many rows short of one figure is a torn table, said once (not rows missing, blank cells
    and an extra column)."""
    path = NARROW / "total-column-apart" / "chromium-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    assert "\n总计\n1911\n17\n" in text  # the 总计 column, apart
    assert table_findings(path) == [
        ("GK204", "table:applications:count:unreliable"),
        ("GK304", "table:review:GK304:表四「行政复议」"),
    ]


def test_a_portals_long_address_in_the_print_footer_is_page_furniture() -> None:
    """Chromium's footer holds the page's address; plain pdftotext puts it on a line of its own,
    sometimes between a page's cells, and the print time and title of the running header around
    a page's first cell: all of it is furniture, so no text is repeated (GK507) and no table cut."""
    path = NARROW / "total-column-apart" / "chromium-pdftotext.txt"
    doc = read_bytes(path.read_bytes(), str(path))
    lines = doc.text.split("\n")
    address = [n for n, line in enumerate(lines, 1) if line.startswith("file://")]
    assert len(address) == 3 and len(lines[address[0] - 1]) > 60
    title = [n for n, line in enumerate(lines, 1) if line == "白石县人民政府2021年政府信息公开工作年度报告"]
    furniture = furniture_lines(doc)
    assert set(address) <= furniture
    assert title[0] in furniture and title[1] not in furniture  # the header's, then the report's own
    assert set(title[2:]) <= furniture
    assert [d for d in check_path(path, Settings()) if d.code == "GK507"] == []


def test_a_blocks_labels_out_of_order_name_its_columns_in_the_templates_order() -> None:
    path = NARROW / "active-header-order" / "lo-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("第二十条第（五）项") : text.index("行政许")]
    assert block.index("处理决定") < block.index("本年增/减")  # the labels, out of the columns' order
    assert table_findings(path) == table_findings(NARROW / "active-header-order" / "html.html")


def test_a_short_row_placed_where_its_sum_fails_is_left_unplaced() -> None:
    path = NARROW / "short-row-placed-wrong" / "lo-pdftotext-layout.txt"
    (blank,) = [d for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3"))]
    assert blank.code == "GK205" and blank.message.startswith("表三有 97 个单元格为空")
    assert "「（五）4.无正当理由大量反复申请」行的 4 个空白单元格（看不出是哪几格）" in [
        p.message for p in blank.places()
    ]


def test_a_header_continued_on_the_next_page_is_the_header() -> None:
    d = NARROW / "active-header-across-page"
    text = (d / "lo-pdftotext.txt").read_text(encoding="utf-8")
    assert "\f件数\n\n件数\n\n件数" in text  # the header's last lines open page 2
    doc = read_bytes((d / "lo-pdftotext.txt").read_bytes(), "x.txt")
    assert not any(doc.line_text(n).strip("\f") == "件数" for n in furniture_lines(doc))
    for form in ("lo-pdftotext.txt", "lo-pdftotext-layout.txt"):
        assert table_findings(d / form) == [], form
