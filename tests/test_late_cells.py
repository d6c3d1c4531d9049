"""表二's right-hand cells printed after the next heading (Chromium's PDF through plain pdftotext).

The page's right-hand column — the last cell of 行政强制, 收费's 本年增/减 and 采购总金额, with the
header cells standing there — comes after 「三、收到和处理政府信息公开申请情况」. They are given back
to their rows in row order only when the column labels printed with them agree and the count of
cells missing is exactly the count of numbers there; otherwise the table stays unread (one GK204).
"""

from __future__ import annotations

from pathlib import Path

from conftest import edit, findings, line_of

from gikcheck.document import Document
from gikcheck.engine import check_document, read_bytes

REPORT = Path(__file__).parent / "fixtures" / "layouts" / "county-bureau-2019-gk302"
LATE = "三、收到和处理政府信息公开申请情况\n\n3\n\n本年增/减\n-1\n采购总金额\n265.4万元\n"


def text() -> str:
    t = (REPORT / "chromium-pdftotext.txt").read_text(encoding="utf-8")
    assert LATE in t
    return t


def cells(doc: Document) -> dict[tuple[str, str, str], object]:
    report = check_document(doc)[1]
    return {(t.spec.key, r, c): cell.value for t in report.tables for (r, c), cell in t.cells.items()}


def test_every_cell_as_the_docx_has_it():
    docx = cells(read_bytes((REPORT / "docx.docx").read_bytes(), "docx.docx"))
    found = cells(Document(text(), "x.txt"))
    assert found == docx
    assert found[("active", "art20_6.coercion", "decisions")] == 3
    assert found[("active", "art20_8.fees", "change")] == -1
    assert found[("active", "art20_9.procurement", "purchase_amount")] == 265.4


def test_section_three_is_read_as_before():
    t = text()
    diags, report = check_document(Document(t, "x.txt"))
    assert report.section("applications") is not None and not [d for d in diags if d.code.startswith("GK1")]
    assert findings(t, ("GK2", "GK3")) == [
        ("GK302", line_of(t, "11 2 0 0 1 0 15")),
        ("GK303", line_of(t, "32 4 0 0 1 0 37")),
    ]


def test_a_late_cell_keeps_its_own_line():
    # A fractional count in the late cell of 行政强制 is reported there, as in any other cell.
    t = edit(text(), LATE, LATE.replace("\n3\n", "\n3.5\n", 1))
    assert findings(t, ("GK2", "GK3")) == [
        ("GK205", line_of(t, "\n3.5\n") + 1),
        ("GK302", line_of(t, "11 2 0 0 1 0 15")),
        ("GK303", line_of(t, "32 4 0 0 1 0 37")),
    ]


def test_labels_that_disagree_leave_the_table_unread():
    # 采购总金额 before 收费's figure: the labels do not name the cells the order gives them.
    swapped = LATE.replace("本年增/减\n-1\n采购总金额\n", "采购总金额\n-1\n本年增/减\n")
    t = edit(text(), LATE, swapped)
    assert findings(t, ("GK2", "GK3"))[0] == ("GK204", line_of(t, "第二十条第（一）项"))


def test_one_number_short_leaves_the_table_unread():
    # A cell missing among the late ones: which one is blank cannot be told.
    t = edit(text(), LATE, LATE.replace("\n3\n", "\n", 1))
    assert findings(t, ("GK2", "GK3"))[0] == ("GK204", line_of(t, "第二十条第（一）项"))


def test_other_text_among_the_late_cells_leaves_the_table_unread():
    t = edit(text(), LATE, LATE.replace("采购总金额\n", "采购总金额\n注\n", 1))
    assert findings(t, ("GK2", "GK3"))[0] == ("GK204", line_of(t, "第二十条第（一）项"))
