"""Word, web pages, PDF and URLs: the same report gives the same findings in every format.

The fixtures are generated here: one report model (the clean 2021 example's
paragraphs, and its tables with the merged cells of the official template),
written as text, as a .docx (python-docx), as an HTML page and as a PDF
(reportlab, with its built-in CID font STSong-Light for Chinese).
"""

from __future__ import annotations

import html as htmlmod
import http.server
import io
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from gikcheck.engine import lint_bytes, lint_path, lint_url, read_bytes

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


# --- the report model --------------------------------------------------------------


@dataclass
class C:
    """A table cell with its column and row spans."""

    text: str
    cs: int = 1
    rs: int = 1


def cells(*xs) -> list[C]:
    return [x if isinstance(x, C) else C(str(x)) for x in xs]


def table2() -> list[list[C]]:
    return [
        cells(C("第二十条第（一）项", 4)),
        cells("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        cells("规章", 0, 0, 0),
        cells("行政规范性文件", 1, 0, 3),
        cells(C("第二十条第（五）项", 4)),
        cells("信息内容", C("本年处理决定数量", 3)),
        cells("行政许可", C("25", 3)),
        cells(C("第二十条第（六）项", 4)),
        cells("信息内容", C("本年处理决定数量", 3)),
        cells("行政处罚", C("4", 3)),
        cells("行政强制", C("0", 3)),
        cells(C("第二十条第（八）项", 4)),
        cells("信息内容", C("本年收费金额（单位：万元）", 3)),
        cells("行政事业性收费", C("0", 3)),
    ]


ZERO = (0,) * 7


def table3(
    new=(2, 1, 0, 0, 0, 0, 3),
    published=(1, 1, 0, 0, 0, 0, 2),
    total=(2, 1, 0, 0, 0, 0, 3),
    not_held=(1, 0, 0, 0, 0, 0, 1),
    secret_label="1.属于国家秘密",
) -> list[list[C]]:
    """表三 as the 2021 format draws it: 3 label columns (merged down and across), 7 value columns."""
    groups = [
        (
            "（三）不予公开",
            [
                secret_label,
                "2.其他法律行政法规禁止公开",
                "3.危及“三安全一稳定”",
                "4.保护第三方合法权益",
                "5.属于三类内部事务信息",
                "6.属于四类过程性信息",
                "7.属于行政执法案卷",
                "8.属于行政查询事项",
            ],
        ),
        ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
        (
            "（五）不予处理",
            [
                "1.信访举报投诉类申请",
                "2.重复申请",
                "3.要求提供公开出版物",
                "4.无正当理由大量反复申请",
                "5.要求行政机关确认或重新出具已获取信息",
            ],
        ),
        (
            "（六）其他处理",
            [
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "3.其他",
            ],
        ),
    ]
    rows = [
        cells(C(NOTE, 3, 3), C("申请人情况", 7)),
        cells(C("自然人", 1, 2), C("法人或其他组织", 5), C("总计", 1, 2)),
        cells("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
        cells(C("一、本年新收政府信息公开申请数量", 3), *new),
        cells(C("二、上年结转政府信息公开申请数量", 3), *ZERO),
    ]
    n_results = 2 + sum(len(items) for _, items in groups) + 1
    rows.append(cells(C("三、本年度办理结果", 1, n_results), C("（一）予以公开", 2), *published))
    rows.append(cells(C("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2), *ZERO))
    for label, items in groups:
        for i, item in enumerate(items):
            values = not_held if item.startswith("1.本机关不掌握") else ZERO
            rows.append(cells(*([C(label, 1, len(items))] if i == 0 else []), item, *values))
    rows.append(cells(C("（七）总计", 2), *total))
    rows.append(cells(C("四、结转下年度继续办理", 3), *ZERO))
    return rows


def table4(values=(1, 0, 0, 0, 1) + (0,) * 10) -> list[list[C]]:
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        cells(C("行政复议", 5), C("行政诉讼", 10)),
        cells(*[C(x, 1, 2) for x in labels], C("未经复议直接起诉", 5), C("复议后起诉", 5)),
        cells(*labels, *labels),
        cells(*values),
    ]


def report(t3: dict | None = None, t4: tuple | None = None, drop: tuple[str, ...] = ()) -> list:
    """The clean 2021 example as paragraphs (str) and tables (lists of rows)."""
    src = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    out: list = []
    for p in (line for line in src.splitlines() if line.strip() and "|" not in line):
        if p in drop:
            continue
        out.append(p)
        if p == "二、主动公开政府信息情况":
            out.append(table2())
        elif p == "三、收到和处理政府信息公开申请情况":
            out.append(table3(**(t3 or {})))
        elif p == "四、政府信息公开行政复议、行政诉讼情况":
            out.append(table4(t4) if t4 else table4())
    return out


def layout(rows: list[list[C]]) -> tuple[list[tuple[tuple[int, int], C]], int, int]:
    """Each cell's (row, column) on the grid, and the grid's size (an independent, naive layout)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append(((r, c), cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rs) for dc in range(cell.cs))
            c += cell.cs
    return placed, len(rows), max(c for _, c in taken) + 1


def to_txt(model: list) -> str:
    lines: list[str] = []
    for item in model:
        if isinstance(item, str):
            lines += [item, ""]
            continue
        placed, h, w = layout(item)
        grid = [[""] * w for _ in range(h)]
        for (r, c), cell in placed:
            grid[r][c] = cell.text
        lines += [" | ".join(row) for row in grid] + [""]
    return "\n".join(lines)


def to_html(model: list, charset: str = "utf-8") -> str:
    parts = [
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        '<title>青山镇 政府信息公开年报</title><style>td { border: 1px solid; } .x:before { content: "样式" }</style>'
        '<script>var s = "<p>脚本里的文字不是正文</p>";</script></head><body>'
        '<div class="top-nav"><a href="/">首页</a> <a href="/gk">政务公开</a> <a href="/hd">互动交流</a></div>'
        "<nav><ul><li>网站导航</li><li>无障碍浏览</li></ul></nav>"
        '<div class="breadcrumb">当前位置: 首页 &gt; 政府信息公开 &gt; 年报</div>'
        '<div class="article"><div class="content">'
    ]
    for item in model:
        if isinstance(item, str):
            parts.append(f"<p style='text-indent:2em'>{htmlmod.escape(item)}</p>")
            continue
        parts.append('<table border="1" cellspacing="0"><tbody>')
        for row in item:
            parts.append(
                "<tr>"
                + "".join(
                    f"<td{f' colspan={c.cs}' if c.cs > 1 else ''}{f' rowspan={c.rs}' if c.rs > 1 else ''}>"
                    f'<p class="MsoNormal"><span>{htmlmod.escape(c.text)}</span></p></td>'
                    for c in row
                )
                + "</tr>"
            )
        parts.append("</tbody></table>")
    parts.append(
        '</div></div><div style="display:none">隐藏的统计代码</div>'
        '<div id="footer">版权所有:青山县人民政府 主办单位:县政府办公室</div></body></html>'
    )
    return "\n".join(parts)


def to_docx(model: list) -> bytes:
    import docx

    d = docx.Document()
    for item in model:
        if isinstance(item, str):
            d.add_paragraph(item)
            continue
        placed, h, w = layout(item)
        t = d.add_table(rows=h, cols=w)
        t.style = "Table Grid"
        for (r, c), cell in placed:
            target = t.cell(r, c)
            if cell.cs > 1 or cell.rs > 1:
                target = target.merge(t.cell(r + cell.rs - 1, c + cell.cs - 1))  # gridSpan / vMerge
            target.text = cell.text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf_styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return (
        ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK"),
        ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK"),
    )


def _pdf_table(rows: list[list[C]], cell_style):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, Table, TableStyle

    placed, h, w = layout(rows)
    grid: list[list] = [[""] * w for _ in range(h)]
    style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for (r, c), cell in placed:
        grid[r][c] = Paragraph(htmlmod.escape(cell.text), cell_style)
        if cell.cs > 1 or cell.rs > 1:
            style.append(("SPAN", (c, r), (c + cell.cs - 1, r + cell.rs - 1)))
    widths = [80, 70, 110] + [33] * 7 if w == 10 else [(A4[0] - 80) / w] * w
    table = Table(grid, colWidths=widths)
    table.setStyle(TableStyle(style))
    return table


def _page_number(canvas, doc) -> None:
    canvas.setFont("STSong-Light", 9)
    canvas.drawCentredString(297, 20, f"- {doc.page} -")


def to_pdf(model: list) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer

    body, cell = _pdf_styles()
    flow: list = []
    for item in model:
        if isinstance(item, str):
            flow.append(Paragraph(htmlmod.escape(item), body))
        else:
            # 表三's first column is merged down 22 rows: it must not break across pages.
            flow += [CondPageBreak(500) if len(item) > 20 else Spacer(1, 6), _pdf_table(item, cell), Spacer(1, 6)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=40).build(
        flow, onFirstPage=_page_number, onLaterPages=_page_number
    )
    return buf.getvalue()


FORMATS = {
    "txt": lambda m: to_txt(m).encode("utf-8"),
    "docx": to_docx,
    "html": lambda m: to_html(m).encode("utf-8"),
    "html-gbk": lambda m: to_html(m, "gbk").encode("gbk"),
    "pdf": to_pdf,
}
DEFECTIVE = dict(
    t3=dict(published=(1, 1, 0, 0, 0, 0, 5), secret_label="1.属于国家秘蜜"),
    t4=(1, 0, 0, 0, 2) + (0,) * 10,
    drop=("五、存在的主要问题及改进情况",),
)


def findings(data: bytes, name: str) -> list[tuple[str, str, str]]:
    """(code, message, the text of the span) of every finding: positions differ between formats, cells do not."""
    res = lint_bytes(data, name)
    assert res.readable, res.diagnostics
    return sorted((d.code, d.message, res.text[d.span.start : d.span.end]) for d in res.diagnostics)


@pytest.fixture(scope="module")
def defective_reference() -> list[tuple[str, str, str]]:
    return findings(FORMATS["txt"](report(**DEFECTIVE)), "r.txt")


# --- same report, same findings ------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_clean_report_is_clean_in_every_format(fmt):
    suffix = fmt.split("-")[0]
    assert findings(FORMATS[fmt](report()), f"r.{suffix}") == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_defective_report_gives_the_same_findings_in_every_format(fmt, defective_reference):
    codes = {c for c, _, _ in defective_reference}
    assert {"GK101", "GK203", "GK302", "GK303", "GK304"} <= codes
    # The table cells the findings point at are the same cells in every format.
    assert (
        "GK203",
        "表三的行标签「1.属于国家秘蜜」有错别字，应为「1.属于国家秘密」",
        "1.属于国家秘蜜",
    ) in defective_reference
    assert any(c == "GK302" and cell == "5" for c, _, cell in defective_reference)
    suffix = fmt.split("-")[0]
    assert findings(FORMATS[fmt](report(**DEFECTIVE)), f"r.{suffix}") == defective_reference


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_renamed_file_is_read_by_its_content(fmt, defective_reference):
    data = FORMATS[fmt](report(**DEFECTIVE))
    assert findings(data, "report.txt") == defective_reference
    assert findings(data, "no-suffix") == defective_reference


def test_structured_formats_give_the_same_text():
    model = report(**DEFECTIVE)
    texts = {
        fmt: read_bytes(FORMATS[fmt](model), f"r.{fmt.split('-')[0]}").text
        for fmt in ("docx", "html", "html-gbk", "pdf")
    }
    assert len(set(texts.values())) == 1, texts
    text = texts["docx"]
    # Merged cells expanded to the template grid: blanks where a merged cell continues.
    assert "\t（三）不予公开\t1.属于国家秘蜜\t0\t0\t0\t0\t0\t0\t0\n" in text
    assert "\t\t2.其他法律行政法规禁止公开\t0" in text
    assert "三、本年度办理结果\t（一）予以公开\t\t1\t1\t0\t0\t0\t0\t5\n" in text
    assert "行政许可\t25\t\t\n" in text


# --- Word ------------------------------------------------------------------------------


def test_docx_positions_name_paragraph_and_table_cell():
    data = to_docx(report(**DEFECTIVE))
    doc = read_bytes(data, "r.docx")
    res = lint_bytes(data, "r.docx")
    by_code = {d.code: d for d in res.diagnostics}
    total = by_code["GK302"]  # the 总计 cell of （一）予以公开: Word row 6, its 9th cell (after the merged label cells)
    assert doc.origin(total.span.start) == "表 2 第 6 行第 9 格"
    assert total.data["origin"] == "表 2 第 6 行第 9 格"  # carried on the diagnostic for library users
    typo = by_code["GK203"]
    assert doc.origin(typo.span.start) == "表 2 第 8 行第 3 格"
    assert (total.location.line, doc.line_text(total.location.line).split("\t")[-1]) == (total.location.line, "5")
    title = doc.text.index("青山镇人民政府2022年")
    assert doc.origin(title) == "第 1 段"
    assert doc.origin(doc.text.index("二、主动公开政府信息情况")) == "第 10 段"
    # A blank standing in for a merged cell names its grid column.
    line = doc.text.index("\t\t2.其他法律行政法规禁止公开")
    assert doc.origin(line) == "表 2 第 9 行第 1 格(合并单元格)"


def test_docx_merged_cells_and_grid_before():
    import docx

    d = docx.Document()
    d.add_paragraph("政府信息公开工作年度报告")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（一）项"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "甲"
    for c, v in zip(range(1, 4), "123"):
        t.cell(1, c).text = v
        t.cell(2, c).text = str(int(v) * 2)
    t.cell(1, 1).add_paragraph("续")  # two paragraphs in one cell: one line
    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes(buf.getvalue(), "t.docx")
    assert doc.text.splitlines()[2:5] == ["第二十条第（一）项\t\t\t", "甲\t1 续\t2\t3", "\t2\t4\t6"]


def _numbered_docx() -> bytes:
    """Headings numbered by Word (「一、」 in numbering.xml, not typed)."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = d.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {ns} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    d.add_paragraph("青山镇人民政府2022年政府信息公开工作年度报告")
    numbered("总体情况", 0)
    numbered("主动公开。全年主动公开政府信息86条。", 1)
    numbered("依申请公开。全年收到申请3件。", 1)
    numbered("主动公开政府信息情况", 0)
    numbered("收到和处理政府信息公开申请情况", 0)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_automatic_numbering_is_part_of_the_text():
    lines = read_bytes(_numbered_docx(), "n.docx").text.splitlines()
    assert lines[1:] == [
        "一、总体情况",
        "（一）主动公开。全年主动公开政府信息86条。",
        "（二）依申请公开。全年收到申请3件。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_docx_package_python_docx_refuses_is_still_read(defective_reference):
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(to_docx(report(**DEFECTIVE))))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":  # declared as a template (.dotx): python-docx refuses it
                data = data.replace(b"document.main+xml", b"template.main+xml")
            z.writestr(info.filename, data)
    assert findings(buf.getvalue(), "r.docx") == defective_reference


def test_docx_without_python_docx_is_gk001(monkeypatch):
    data = to_docx(report())
    monkeypatch.setitem(sys.modules, "docx", None)
    res = lint_bytes(data, "r.docx")
    [d] = res.diagnostics
    assert d.code == "GK001" and "gikcheck[docx]" in d.message


# --- web pages -----------------------------------------------------------------------


def test_html_drops_navigation_scripts_styles_and_hidden_parts():
    text = read_bytes(to_html(report()).encode(), "r.html").text
    for junk in ("首页", "网站导航", "当前位置", "脚本", "样式", "隐藏的统计代码", "版权所有"):
        assert junk not in text
    assert text.startswith("青山镇人民政府2022年政府信息公开工作年度报告\n")


def test_html_gbk_page_is_decoded():
    page = to_html(report(), "gb2312").encode("gbk")
    doc = read_bytes(page, "r.htm")
    assert doc.encoding == "gb18030" and "政府信息公开" in doc.text


def test_html_page_declaring_utf8_but_served_in_gbk_is_decoded():
    page = to_html(report(), "utf-8").encode("gbk")
    assert "政府信息公开" in read_bytes(page, "r.html").text


@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252", "no-such-charset"])
def test_html_page_with_a_wrong_or_unknown_charset_is_decoded(charset):
    # CMSs declare Latin-1 for UTF-8 pages; Chinese text cannot be Latin-1.
    page = to_html(report(), charset).encode("utf-8")
    assert "政府信息公开" in read_bytes(page, "r.html").text


def test_html_utf16_page_with_bom_is_sniffed_and_decoded():
    page = to_html(report()).encode("utf-16")
    doc = read_bytes(page, "r.txt")
    assert doc.origins is not None and doc.text.startswith("青山镇人民政府")


def test_html_rowspan_colspan_and_odd_attributes():
    page = (
        "<html><body><p>政府信息公开工作年度报告</p><table>"
        "<tr><td rowspan='2'>甲</td><td colspan=\"2;\">乙</td><td rowspan=0>丙</td></tr>"
        "<tr><td>1</td><td colspan=x>2</td></tr>"
        "<tr><th>3</th><td>4|5</td><td>6<br>7</td></tr>"
        "</table></body></html>"
    )
    lines = read_bytes(page.encode(), "t.html").text.splitlines()
    assert lines[2:] == ["甲\t乙\t\t丙", "\t1\t2\t", "3\t4｜5\t6 7\t"]


def test_html_text_around_tables_is_kept_once():
    page = (
        "<html><body><p>政府信息公开</p><table><tr><td>甲</td><td>1</td></tr></table>表后文字<b>加粗</b></body></html>"
    )
    assert read_bytes(page.encode(), "t.html").text == "政府信息公开\n\n甲\t1\n\n表后文字加粗\n"


def test_html_layout_table_is_read_as_text():
    inner = to_html(report()).split('<div class="content">')[1].split("</div></div>")[0]
    page = f"<html><body><table width=900><tr><td>{inner}</td><td>友情链接</td></tr></table></body></html>"
    assert findings(page.encode(), "layout.html") == []


def test_html_without_lxml_is_gk001(monkeypatch):
    import gikcheck.readers.html as html_reader

    monkeypatch.setitem(sys.modules, "lxml.etree", None)
    monkeypatch.setattr(html_reader, "etree", None)  # as before the first page
    res = lint_bytes(to_html(report()).encode(), "r.html")
    [d] = res.diagnostics
    assert d.code == "GK001" and "gikcheck[html]" in d.message


# --- PDF -----------------------------------------------------------------------------


def test_pdf_text_is_extracted_in_chinese_without_page_numbers():
    doc = read_bytes(to_pdf(report()), "r.pdf")
    assert doc.text.startswith("青山镇人民政府2022年政府信息公开工作年度报告\n")
    assert "- 1 -" not in doc.text and "- 2 -" not in doc.text
    # The long first paragraph wraps over several PDF lines and is one line again.
    assert any(line.startswith("本报告根据") and line.endswith("栏目公布。") for line in doc.text.splitlines())


def test_pdf_table_broken_by_a_page_is_one_table():
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body, cell = _pdf_styles()
    rows = [cells("项目", "数量", "备注")] + [cells(f"第{i}项", i, "无") for i in range(1, 121)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(
        [Paragraph("政府信息公开工作年度报告", body), _pdf_table(rows, cell)],
        onFirstPage=_page_number,
        onLaterPages=_page_number,
    )
    doc = read_bytes(buf.getvalue(), "long.pdf")
    lines = doc.text.splitlines()
    start = lines.index("项目\t数量\t备注")
    assert lines[start + 1 : start + 121] == [f"第{i}项\t{i}\t无" for i in range(1, 121)]
    pages = {o.page for o in doc.origins if o is not None and o.kind == "row"}
    assert len(pages) >= 2
    assert doc.origin(doc.text.index("第120项")).endswith("表 1 第 121 行第 1 格")


def test_pdf_without_pypdfium2_is_gk001(monkeypatch):
    import gikcheck.readers.pdfium as pdfium

    monkeypatch.setattr(pdfium, "_lib", None)  # not loaded yet, and the wheel that ships it absent
    monkeypatch.setitem(sys.modules, "pypdfium2_raw", None)
    [d] = lint_bytes(to_pdf(report()), "r.pdf").diagnostics
    assert d.code == "GK001" and "gikcheck[pdf]" in d.message and "PDF" in d.message


def test_scanned_pdf_is_gk001():
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    png = io.BytesIO()
    # A 1x1 grey PNG: a page that is only an image, as a scanner makes it.
    png.write(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
            "3a7e9b550000000a4944415478da636800000082008177cd72b6000000"
            "0049454e44ae426082"
        )
    )
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 50, 50, 400, 600)
    c.showPage()
    c.save()
    [d] = lint_bytes(buf.getvalue(), "scan.pdf").diagnostics
    assert d.code == "GK001" and "扫描件" in d.message


# --- URLs ----------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self) -> None:
        if self.path == "/slow":
            import time

            time.sleep(2)
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    model = report(**DEFECTIVE)
    _Handler.routes = {
        "/nj/2022.html": (200, "text/html; charset=utf-8", to_html(model).encode()),
        # The header's charset wins over the page's own (wrong) declaration.
        "/nj/gbk": (200, "text/html; charset=GBK", to_html(model, "utf-8").encode("gbk")),
        "/nj/2022": (200, "application/pdf", to_pdf(model)),
        "/nj/2022.docx": (200, "application/octet-stream", to_docx(model)),
        "/slow": (200, "text/html", b"<html></html>"),
        "/big": (200, "text/html", b"<html>" + b" " * 300_000 + b"</html>"),
    }
    for f in CROSSDOC_PAIR:  # served as they are on disk: a URL is read as the same file is
        _Handler.routes[f"/qs/{f.name}"] = (200, "text/plain; charset=utf-8", f.read_bytes())
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("route", ["/nj/2022.html", "/nj/gbk", "/nj/2022", "/nj/2022.docx"])
def test_url_is_fetched_and_read_by_content_type(server, route, defective_reference):
    res = lint_url(server + route)
    assert res.readable and res.path == server + route
    got = sorted((d.code, d.message, res.text[d.span.start : d.span.end]) for d in res.diagnostics)
    assert got == defective_reference


def test_url_errors_are_gk001(server, monkeypatch):
    import gikcheck.readers.url as url

    [d] = lint_url(server + "/missing").diagnostics
    assert d.code == "GK001" and "404" in d.message
    monkeypatch.setattr(url, "TIMEOUT", 0.5)
    monkeypatch.setattr(url.fetch, "__defaults__", (0.5,))
    [d] = lint_url(server + "/slow").diagnostics
    assert d.code == "GK001" and "超时" in d.message
    monkeypatch.setattr(url, "MAX_BYTES", 100_000)
    [d] = lint_url(server + "/big").diagnostics
    assert d.code == "GK001" and "上限" in d.message
    [d] = lint_url("http://127.0.0.1:1/x").diagnostics
    assert d.code == "GK001" and "无法连接" in d.message


def test_url_on_the_command_line(server):
    proc = subprocess.run(
        [sys.executable, "-m", "gikcheck", "--format", "concise", server + "/nj/2022.html"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "[GK302]" in proc.stdout and "Traceback" not in proc.stderr


CROSSDOC_PAIR = tuple(
    Path(__file__).parent / "fixtures" / "crossdoc" / "inconsistent" / name
    for name in ("qingshan-2021.txt", "qingshan-2022.txt")
)


def _run_findings(results, prefix: str) -> list[tuple]:
    # The URL's prefix is dropped from paths and messages (a message names the other report).
    return sorted(
        (r.path.removeprefix(prefix), d.code, d.location.line, d.location.column, d.message.replace(prefix, ""))
        for r in results
        for d in r.diagnostics
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_urls_get_the_cross_document_findings_files_get(server, jobs, monkeypatch):
    from gikcheck import runner
    from gikcheck.config import Settings
    from gikcheck.engine import Url, finish_run

    monkeypatch.setattr(runner, "POOL_THRESHOLD", 1)  # jobs=2: through the process pool
    base = f"{CROSSDOC_PAIR[0].parent}/"
    files = [(f, str(f), Settings()) for f in CROSSDOC_PAIR]
    urls = [(Url(f"{server}/qs/{f.name}"), f"{server}/qs/{f.name}", Settings()) for f in CROSSDOC_PAIR]
    got = {}
    for kind, items, prefix in (("files", files, base), ("urls", urls, f"{server}/qs/")):
        results = list(runner.lint_files(items, jobs, keep="none"))
        finish_run(results)
        got[kind] = _run_findings(results, prefix)
    assert got["urls"] == got["files"]
    cross = [f for f in got["files"] if f[1] in ("GK308", "GK309", "GK510")]
    assert sorted((f[0], f[1], f[2]) for f in cross) == [
        ("qingshan-2022.txt", "GK308", 42),
        ("qingshan-2022.txt", "GK308", 42),
        ("qingshan-2022.txt", "GK309", 24),
        ("qingshan-2022.txt", "GK510", 1),
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_urls_and_files_on_the_command_line_agree(server, jobs, tmp_path):
    def run(*paths: str) -> list[dict]:
        proc = subprocess.run(
            [sys.executable, "-m", "gikcheck", "--isolated", "--format", "json", "-j", jobs, *paths],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        import json

        return json.loads(proc.stdout)

    by_file = run(*map(str, CROSSDOC_PAIR))
    by_url = run(*(f"{server}/qs/{f.name}" for f in CROSSDOC_PAIR))

    def norm(found: list[dict], prefix: str) -> list[tuple]:
        return sorted(
            (d["path"].removeprefix(prefix), d["code"], d["line"], d["column"], d["message"].replace(prefix, ""))
            for d in found
        )

    assert norm(by_url, f"{server}/qs/") == norm(by_file, f"{CROSSDOC_PAIR[0].parent}/")
    assert sum(d["code"] in ("GK308", "GK309", "GK510") for d in by_url) == 4


# --- cost of the extras --------------------------------------------------------------


def test_text_reports_do_not_import_the_heavy_readers(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(to_txt(report()), encoding="utf-8")
    code = (
        "import sys; from gikcheck.cli import main\n"
        f"rc = main([{str(p)!r}, '--quiet'])\n"
        "print(sorted(m for m in ('lxml', 'docx', 'gikcheck.readers.pdf', 'gikcheck.readers.pdfium', 'ctypes')"
        " if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


def test_a_cold_text_report_imports_only_what_it_needs(tmp_path):
    """What a cold run of one text report does not need stays unimported: pluggy (no third-party
    plugin is installed), the TOML parser (no configuration file; packs parsed by an earlier run
    come from the cache), the regex package's Python half (the patterns an earlier run compiled
    are built by its C module: gikcheck/rx.py), typing (annotations are strings, typing-only imports
    sit under gikcheck.TYPE_CHECKING), the HTML entity table, difflib, the summary store
    of long runs (sqlite3, tempfile, pickle), the readers' libraries, pathlib (with urllib.parse
    and ipaddress: paths are strings until a configuration file is found), datetime.py (the
    dates come from its C module), importlib.util and contextlib (C modules are found and
    loaded with importlib.machinery: gikcheck/rx.py), threading (rx locks with _thread), the
    cross-document rules' workings with zlib and struct (one report is compared with nothing:
    gikcheck/checks/crossdoc/__init__.py), and the codecs of GB2312 and UTF-16 (traditional
    characters are found with one character class, UTF-16 bytes made by the codec's C function)."""
    p = tmp_path / "r.txt"
    p.write_text(to_txt(report()), encoding="utf-8")
    unneeded = (
        "pluggy",
        "regex",
        "typing",
        "tomllib",
        "tomli",
        "html",
        "difflib",
        "sqlite3",
        "tempfile",
        "pickle",
        "lxml",
        "docx",
        "ctypes",
        "pathlib",
        "urllib",
        "ipaddress",
        "datetime",
        "importlib.util",
        "contextlib",
        "threading",
        "gikcheck.checks.crossdoc.copied",
        "gikcheck.checks.crossdoc.years",
        "gikcheck.checks.crossdoc.keys",
        "gikcheck.checks.crossdoc.fingerprint",
        "gikcheck.spill",
        "zlib",
        "struct",
        "encodings.gb2312",
        "_codecs_cn",
        "encodings.utf_16_le",
    )
    code = (
        "import sys; from gikcheck.cli import main\n"
        f"rc = main([{str(p)!r}, '--quiet'])\n"
        f"print(sorted(m for m in {unneeded!r} if m in sys.modules))"
    )
    for _ in range(2):  # the first run may parse the packs and fill the cache
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
        )  # not the checkout, whose pyproject.toml is a configuration file to read
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


def test_directory_walk_finds_every_supported_format(tmp_path):
    from gikcheck.engine import iter_files

    model = report()
    for name, fmt in (("a.txt", "txt"), ("b.docx", "docx"), ("c.html", "html"), ("d.htm", "html"), ("e.pdf", "pdf")):
        (tmp_path / name).write_bytes(FORMATS[fmt](model))
    found = sorted(Path(p).name for p, _ in iter_files([str(tmp_path)]))
    assert found == ["a.txt", "b.docx", "c.html", "d.htm", "e.pdf"]
    assert all(lint_path(tmp_path / n).diagnostics == [] for n in found)


def test_a_web_page_does_not_load_what_lxml_imports_for_other_uses(tmp_path):
    """lxml.etree imports ``inspect`` (for parser targets) and ``gzip`` (for compressed output);
    reading a page uses neither, so they stay unloaded, and load as usual once something uses them."""
    pytest.importorskip("lxml")
    p = tmp_path / "r.html"
    p.write_text(to_html(report()), encoding="utf-8")
    code = (
        "import io, sys; from gikcheck.cli import main\n"
        f"rc = main([{str(p)!r}, '--quiet'])\n"
        "print(rc, sorted(m for m in ('inspect', 'gzip', 'lxml.html') if m in sys.modules))\n"
        "import lxml.etree as etree\n"
        "out = io.BytesIO(); etree.ElementTree(etree.fromstring(b'<a>x</a>')).write(out, compression=6)\n"
        "import gzip, inspect\n"
        "print(gzip.decompress(out.getvalue()), inspect.signature(len), inspect.__file__ != gzip.__file__)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.stdout.strip().splitlines()[-2:] == ["0 []", "b'<a>x</a>' (obj, /) True"], proc.stdout + proc.stderr


def test_a_hidden_part_followed_by_a_control_character_is_dropped_not_gk001():
    """lxml refuses to set text holding a control character the parser kept (a form feed after a
    hidden or navigation part): the part is emptied in place instead of the page being refused."""
    model = report()
    html = to_html(model)
    for ch in ("\x0c", "\x01"):
        page = html.replace("<body>", f"<body><div hidden>隐藏的导航</div>{ch}第一页", 1)
        assert page != html
        result = lint_bytes(page.encode("utf-8"), "r.html")
        assert result.readable and result.diagnostics == [], ch
        assert "隐藏的导航" not in result.text
