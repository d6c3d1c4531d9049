"""`--format html` redraws tables on the template's grid: every figure sits under its own
column header, group headers span their columns, failing cells are marked.

The input is a web page with the official merged cells (label cells spanning rows and
columns), the layout that used to shift 表三's numbers one column under merged labels.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from conftest import chromium_dom, needs_chromium
from test_readers import EXAMPLES, report, to_html

from gikcheck.cli import main

# Every column differs, so a shift by one column cannot go unnoticed.
NEW = (5, 1, 0, 2, 0, 0, 8)
PUBLISHED = (3, 1, 0, 1, 0, 0, 5)
NOT_HELD = (2, 0, 0, 1, 0, 0, 3)
T4 = (1, 0, 0, 0, 1) + (0, 0, 0, 0, 0) + (2, 0, 0, 0, 2)


def page_for(tmp_path: Path, capsys, total=NEW) -> str:
    src = tmp_path / "report.html"
    model = report(t3=dict(new=NEW, published=PUBLISHED, not_held=NOT_HELD, total=total), t4=T4)
    src.write_text(to_html(model), encoding="utf-8")
    main([str(src), "--isolated", "--format", "html"])
    return capsys.readouterr().out


class Grid:
    """One redrawn table with its row and column spans expanded (as a browser lays it out)."""

    def __init__(self, rows: list[list[tuple[str, dict, str]]]) -> None:
        self.cells: dict[tuple[int, int], tuple[str, dict, str]] = {}
        for y, row in enumerate(rows):
            x = 0
            for cell in row:
                while (y, x) in self.cells:
                    x += 1
                rs, cs = int(cell[1].get("rowspan", 1)), int(cell[1].get("colspan", 1))
                for dy in range(rs):
                    for dx in range(cs):
                        self.cells[(y + dy, x + dx)] = cell
                x += cs
        self.height = len(rows)
        self.width = max((x for _, x in self.cells), default=-1) + 1
        self.widths = {y: sum(1 for (yy, _) in self.cells if yy == y) for y in range(self.height)}
        self.header_rows = next(
            y
            for y in range(self.height)
            if any(self.cells[(y, x)][0] == "td" for x in range(self.width) if (y, x) in self.cells)
        )

    def column(self, *path: str) -> int:
        """The grid column whose stacked header texts are ``path``."""
        found = []
        for x in range(self.width):
            heads = []
            for y in range(self.header_rows):
                c = self.cells.get((y, x))
                if c is not None and "col-head" in c[1].get("class", "") and (not heads or heads[-1] is not c):
                    heads.append(c)
            if tuple(h[2] for h in heads) == path:
                found.append(x)
        assert len(found) == 1, (path, found)
        return found[0]

    def row(self, label: str) -> int:
        ys = [
            y
            for y in range(self.header_rows, self.height)
            if any(
                self.cells.get((y, x), ("", {}, ""))[0] == "th"
                and self.cells[(y, x)][2] == label
                and (y == 0 or self.cells.get((y - 1, x)) is not self.cells[(y, x)])
                for x in range(self.width)
            )
        ]
        assert len(ys) == 1, (label, ys)
        return ys[0]

    def at(self, y: int, x: int) -> tuple[str, dict, str]:
        return self.cells[(y, x)]


def tables(page: str) -> dict[str, Grid]:
    """data-table → Grid for every redrawn table of the page."""
    found: dict[str, Grid] = {}

    class P(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.key = None
            self.rows: list = []
            self.cell = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "table" and "report-table" in a.get("class", ""):
                self.key, self.rows = a.get("data-table"), []
            elif self.key and tag == "tr":
                self.rows.append([])
            elif self.key and tag in ("td", "th"):
                self.cell = [tag, a, ""]

        def handle_endtag(self, tag):
            if self.key and tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append((self.cell[0], self.cell[1], self.cell[2].strip().replace("\xa0", "")))
                self.cell = None
            elif self.key and tag == "table":
                found[self.key] = Grid(self.rows)
                self.key = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell[2] += data

    P().feed(page)
    return found


def test_every_row_is_as_wide_as_the_header(tmp_path, capsys):
    grids = tables(page_for(tmp_path, capsys))
    assert set(grids) == {"active", "applications", "review"}
    for key, g in grids.items():
        assert set(g.widths.values()) == {g.width}, key  # no row shorter or longer: nothing shifted


def test_table_three_figures_sit_under_their_columns(tmp_path, capsys):
    g = tables(page_for(tmp_path, capsys))["applications"]
    total = g.column("申请人情况", "总计")
    r7 = g.row("（七）总计")
    assert g.at(r7, total)[2] == "8"
    assert g.at(r7, g.column("申请人情况", "自然人"))[2] == "5"
    assert g.at(r7, g.column("申请人情况", "法人或其他组织", "社会公益组织"))[2] == "2"
    assert g.at(g.row("（一）予以公开"), total)[2] == "5"
    assert g.at(g.row("1.本机关不掌握相关政府信息"), g.column("申请人情况", "法人或其他组织", "社会公益组织"))[2] == "1"
    # The template's header: 申请人情况 over all 7 columns, 法人或其他组织 over its 5.
    top = [c for x in range(g.width) if (c := g.at(0, x))[2] == "申请人情况"]
    assert len(top) == 7 and top[0][1].get("colspan") == "7"
    legal = g.at(1, g.column("申请人情况", "法人或其他组织", "商业企业"))
    assert legal[2] == "法人或其他组织" and legal[1].get("colspan") == "5"
    # Group labels span their rows: 三、本年度办理结果 runs from （一） to （七）.
    results = g.at(g.row("（一）予以公开"), 0)
    assert results[2] == "三、本年度办理结果" and g.at(r7, 0) is results


def test_text_table_with_merged_labels_is_aligned(capsys):
    """A pasted 表三 (clean-2021.txt): label cells merged over rows make rows of 8 and 9
    cells under a header of 1, 3 and 5; the redraw puts each figure under its header."""
    main([str(EXAMPLES / "clean-2021.txt"), "--isolated", "--format", "html"])
    g = tables(capsys.readouterr().out)["applications"]
    assert set(g.widths.values()) == {g.width} == {10}
    total = g.column("申请人情况", "总计")
    assert g.at(g.row("（七）总计"), total)[2] == "3"
    assert g.at(g.row("（一）予以公开"), g.column("申请人情况", "法人或其他组织", "商业企业"))[2] == "1"
    assert g.at(g.row("1.本机关不掌握相关政府信息"), total)[2] == "1"


def test_table_four_groups(tmp_path, capsys):
    g = tables(page_for(tmp_path, capsys))["review"]
    assert g.at(g.header_rows, g.column("行政复议", "总计"))[2] == "1"
    assert g.at(g.header_rows, g.column("行政诉讼", "复议后起诉", "总计"))[2] == "2"
    assert g.at(g.header_rows, g.column("行政诉讼", "未经复议直接起诉", "总计"))[2] == "0"
    litigation = g.at(0, g.column("行政诉讼", "复议后起诉", "结果维持"))
    assert litigation[2] == "行政诉讼" and litigation[1].get("colspan") == "10"
    review = g.at(0, g.column("行政复议", "结果维持"))
    assert review[1].get("rowspan") == "2" and review[1].get("colspan") == "5"


def test_failing_cell_is_marked_in_its_own_column(tmp_path, capsys):
    g = tables(page_for(tmp_path, capsys, total=NEW[:6] + (9,)))["applications"]
    total, r7 = g.column("申请人情况", "总计"), g.row("（七）总计")
    _tag, attrs, text = g.at(r7, total)
    assert text == "9" and "cell-error" in attrs["class"].split()
    assert "GK302" in attrs["title"] or "GK303" in attrs["title"]
    # Its neighbour under 其他 is not the one marked.
    left = g.at(r7, g.column("申请人情况", "法人或其他组织", "其他"))
    assert left[2] == "0" and "cell-error" not in left[1].get("class", "")


def test_misspelt_label_shows_what_was_written(tmp_path, capsys):
    src = tmp_path / "r.html"
    model = report(t3=dict(secret_label="1.属于国家秘蜜"))
    src.write_text(to_html(model), encoding="utf-8")
    main([str(src), "--isolated", "--format", "html"])
    g = tables(capsys.readouterr().out)["applications"]
    _tag, attrs, _text = g.at(g.row("1.属于国家秘密"), 2)
    # The template's label is drawn; what the report wrote, and the finding, are on the cell.
    assert attrs.get("data-written") == "1.属于国家秘蜜" and "GK203" in attrs.get("title", "")


def test_missing_row_is_drawn_hatched(tmp_path, capsys):
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("4.保护第三方合法权益"))
    src = tmp_path / "r.txt"
    src.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    main([str(src), "--isolated", "--format", "html"])
    g = tables(capsys.readouterr().out)["applications"]
    y = g.row("4.保护第三方合法权益")
    assert "absent" in g.at(y, 2)[1]["class"] and "absent" in g.at(y, g.column("申请人情况", "总计"))[1]["class"]
    # The rows around it keep their figures in their columns.
    assert g.at(g.row("（七）总计"), g.column("申请人情况", "总计"))[2] == "3"


def test_misspelt_column_header_is_marked(tmp_path, capsys):
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8").replace("社会公益组织", "社会公益组识", 1)
    src = tmp_path / "r.txt"
    src.write_text(text, encoding="utf-8")
    main([str(src), "--isolated", "--format", "html"])
    g = tables(capsys.readouterr().out)["applications"]
    x = g.column("申请人情况", "法人或其他组织", "社会公益组织")
    head = next(g.at(y, x) for y in range(g.header_rows) if g.at(y, x)[2] == "社会公益组织")
    assert head[1].get("data-written") == "社会公益组识" and "GK203" in head[1].get("title", "")
    assert g.at(g.row("（七）总计"), x)[2] == "0"


_MEASURE = """<script>
(function () {
  var t = document.querySelector('table[data-table="applications"]');
  var head = Array.from(t.querySelectorAll('th.col-head')).filter(function (h) { return h.textContent === '总计'; })[0];
  var cell = t.querySelector('td[data-row="r7"][data-col="total"]');
  var a = head.getBoundingClientRect(), b = cell.getBoundingClientRect();
  document.documentElement.dataset.aligned = String(Math.abs(a.left - b.left) < 1 && Math.abs(a.right - b.right) < 1)
    + ':' + cell.textContent;
})();
</script></body>"""


@needs_chromium
def test_total_sits_under_its_header_in_chromium(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text(page_for(tmp_path, capsys).replace("</body>", _MEASURE), encoding="utf-8")
    assert 'data-aligned="true:8"' in chromium_dom(page, tmp_path)


def test_a_row_whose_figures_the_layout_did_not_place_shows_them_across_the_row(capsys):
    """pdftotext -layout of a report leaving zeros blank, no page with a whole row: a short row's
    figures are shown as read across its seven cells, marked by the GK205 that counts its blank
    cells, its label drawn as present — no cell shows a guess, none shows nothing."""
    src = Path(__file__).parent / "fixtures" / "layouts" / "township-2020-blank" / "lo-pdftotext-layout.txt"
    main([str(src), "--isolated", "--format", "html"])
    grids = tables(capsys.readouterr().out)
    g = grids["applications"]
    assert set(g.widths.values()) == {g.width}
    r7 = g.row("（七）总计")
    cells = {g.at(r7, x)[2] for x in range(g.width) if g.at(r7, x)[0] == "td"}
    assert cells == {"15 1 16（看不出各在哪一列）"}
    _tag, attrs, _text = g.at(r7, g.column("申请人情况", "总计"))
    assert attrs.get("colspan") == "7" and "cell-error" in attrs["class"].split() and "GK205" in attrs["title"]
    label = next(g.at(r7, x) for x in range(g.width) if g.at(r7, x)[2] == "（七）总计")
    assert "absent" not in label[1].get("class", "")
    # 表四's one row: its two figures across its 15 columns.
    review = grids["review"]
    row = review.at(review.header_rows, 0)
    assert row[2] == "1 1（看不出各在哪一列）" and row[1].get("colspan") == "15"
