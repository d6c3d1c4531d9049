"""表二's wrapped column labels in one-cell-per-line text: each wrapped piece finishes the label begun first.

Chromium's PDF through plain pdftotext prints 第二十条第（一）项's header as 「本年新」「本年新」「对外公开」
「信息内容」「制作数量」「公开数量」「总数量」: the first 「本年新」 is the left column's (本年新制作数量),
so the first 「…数量」 piece that can finish either is its. Read the other way round, 制作 and 公开
would swap, and a report whose figures differ would have them in each other's cells.
"""

from __future__ import annotations

from pathlib import Path

from conftest import edit

from gikcheck.document import Document
from gikcheck.engine import check_document

REPORT = Path(__file__).parent / "fixtures" / "layouts" / "county-bureau-2019-gk302"


def test_made_and_published_keep_their_columns():
    text = (REPORT / "chromium-pdftotext.txt").read_text(encoding="utf-8")
    assert "本年新\n本年新\n对外公开\n信息内容\n制作数量\n公开数量\n总数量\n" in text
    text = edit(text, "规范性文件\n2\n2\n9\n", "规范性文件\n7\n2\n9\n")  # 7 made, 2 published
    table = check_document(Document(text, "x.txt"))[1].table("active")
    assert table is not None
    row = "art20_1.normative"
    assert [table.value(row, c) for c in ("made", "published", "total_published")] == [7, 2, 9]
