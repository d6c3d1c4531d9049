"""表四 drawn with narrow columns whose header labels wrap (as a city's published report has it):
no finding on what the layout made.

The masters (tests/fixtures/narrow-review/*/html.html, make_masters.py narrow_review()) are a
clean report of our own with 表四's figures of one to three digits; LibreOffice's PDF of each and
that PDF's text by pdftotext, with and without -layout, are rendered by
`python tools/render_layouts.py --narrow`. Plain pdftotext gives the row's figures out of order,
in column blocks cut by header text; read in that order they do not add up (three GK304 were
reported on a clean table), or they come partly on one line (10 blank cells were reported). The
order is the converter's, not proved to be the row's: the table is said unread, once. (Runs cut
by header text whose reading order adds up are read: county-bureau-2019-gk302's plain pdftotext of
LibreOffice's PDF, tests/test_layouts.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gikcheck import check_path
from gikcheck.config import Settings

NARROW = Path(__file__).parent / "fixtures" / "narrow-review"
VARIANTS = sorted(p.name for p in NARROW.iterdir() if (p / "html.html").is_file())
ROW = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]


def table_findings(path: Path) -> list[tuple[str, str]]:
    return sorted((d.code, d.anchor) for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3")))


def test_both_variants_are_there() -> None:
    assert VARIANTS == ["order-adds-up-wrong", "some-on-one-line"]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("form", ["html.html", "lo-pdf.pdf", "lo-pdftotext-layout.txt"])
def test_the_page_its_pdf_and_the_pdfs_layout_text_are_clean(variant: str, form: str) -> None:
    assert table_findings(NARROW / variant / form) == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_plain_pdftotext_scrambles_the_row_and_the_table_is_said_unread(variant: str) -> None:
    text = (NARROW / variant / "lo-pdftotext.txt").read_text(encoding="utf-8")
    part = text[text.index("四、政府信息公开行政复议") : text.index("五、存在的主要问题")]
    figures = re.findall(r"\d+", part)
    assert sorted(figures) == sorted(ROW) and figures != ROW  # every figure, out of order
    assert table_findings(NARROW / variant / "lo-pdftotext.txt") == [("GK204", "table:review:count:unreliable")]
