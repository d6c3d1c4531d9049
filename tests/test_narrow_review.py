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
  into its neighbour's cell (GK203 「区分处的」, GK206 「三、本年度办 理」).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gikcheck import check_path
from gikcheck.config import Settings

NARROW = Path(__file__).parent / "fixtures" / "narrow-review"
VARIANTS = sorted(p.name for p in NARROW.iterdir() if (p / "html.html").is_file())
CITY_ROW = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
# Where the master itself is read right, these forms must agree with it.
SAME_AS_MASTER = ["lo-pdf.pdf", "lo-pdftotext-layout.txt", "chromium-pdftotext-layout.txt"]


def table_findings(path: Path) -> list[tuple[str, str]]:
    return sorted((d.code, d.anchor) for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3")))


def test_every_variant_is_there() -> None:
    assert VARIANTS == ["header-wraps-blank", "label-columns-narrow", "order-adds-up-wrong", "some-on-one-line"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_pdf_and_its_layout_text_give_the_masters_findings(variant: str) -> None:
    master = table_findings(NARROW / variant / "html.html")
    forms = [f for f in SAME_AS_MASTER if (NARROW / variant / f).is_file()]
    assert forms
    for form in forms:
        assert table_findings(NARROW / variant / form) == master, form


@pytest.mark.parametrize("variant", VARIANTS)
def test_plain_pdftotext_gives_the_masters_findings_or_says_a_table_is_unread(variant: str) -> None:
    """Plain pdftotext of these PDFs loses some tables' order (or their blank cells): each such table
    gets one GK204 「无法一一对应」, every other table the master's findings."""
    master = table_findings(NARROW / variant / "html.html")
    (plain,) = NARROW.joinpath(variant).glob("*-pdftotext.txt")
    found = table_findings(plain)
    unread = {anchor.split(":")[1] for code, anchor in found if code == "GK204" and anchor.split(":")[2] == "count"}
    assert unread
    assert [f for f in found if f[1].split(":")[1] not in unread] == [
        f for f in master if f[1].split(":")[1] not in unread
    ]
    assert len([f for f in found if f[1].split(":")[1] in unread]) == len(unread)  # one finding each


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
