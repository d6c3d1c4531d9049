"""Word documents (.docx, also as saved by WPS): paragraphs, headings and tables.

The package is opened with python-docx after its ZIP central directory has
been checked and its parts inflated under a cap (see ``reading.open_zip``). The
body is walked in document order — paragraphs, tables, content controls —
without recursion. Automatic numbering (「一、」「（一）」 produced by Word's
list numbering rather than typed) is rendered into the text, since the
linter recognises headings by their ordinals. Table cells spanning columns
(gridSpan) or rows (vMerge) are expanded to the table's grid.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ..document import Document
from ..reading import ReadError, check_markup, open_zip
from .sniff import is_zip
from .structured import SourceCell, SourceTable, TextBuilder, guarded_read, join_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTAINERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo")
_SKIP = (
    W + "del",
    W + "moveFrom",
    MC_FALLBACK,
    W + "sdtPr",
    W + "sdtEndPr",
    W + "pPr",
    W + "rPr",
    W + "tblPr",
    W + "trPr",
    W + "tcPr",
    W + "tblGrid",
)
MAX_NESTED_TABLES = 50  # tables inside table cells are read as the cell's text, to this depth


def _val(el: Any, tag: str) -> str | None:
    child = el.find(tag) if el is not None else None
    return None if child is None else child.get(W + "val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --- automatic numbering -------------------------------------------------------

_CN = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographLegalTraditional",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return _chinese(n)
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join(_CN[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n)) if n >= 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("decimalEnclosedParen",) and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Word list numbering: renders the label (「一、」「（二）」「3.」) each numbered paragraph shows."""

    def __init__(self, numbering_el: Any, styles_el: Any) -> None:
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}  # id -> ilvl -> (start, fmt, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractId, start overrides)
        self.counters: dict[str, list[int]] = {}
        self.overridden: set[str] = set()
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        if numbering_el is not None:
            for an in numbering_el.findall(W + "abstractNum"):
                levels: dict[int, tuple[int, str, str]] = {}
                for lvl in an.findall(W + "lvl"):
                    ilvl = _int(lvl.get(W + "ilvl"), 0)
                    levels[ilvl] = (
                        _int(_val(lvl, W + "start"), 1),
                        _val(lvl, W + "numFmt") or "decimal",
                        _val(lvl, W + "lvlText") or "",
                    )
                self.abstract[an.get(W + "abstractNumId", "")] = levels
            for num in numbering_el.findall(W + "num"):
                overrides = {}
                for ov in num.findall(W + "lvlOverride"):
                    start = _val(ov, W + "startOverride")
                    if start is not None:
                        overrides[_int(ov.get(W + "ilvl"), 0)] = _int(start, 1)
                self.nums[num.get(W + "numId", "")] = (_val(num, W + "abstractNumId") or "", overrides)
        if styles_el is not None:
            based: dict[str, str] = {}
            own: dict[str, tuple[str | None, int | None]] = {}
            for st in styles_el.findall(W + "style"):
                sid = st.get(W + "styleId", "")
                parent = _val(st, W + "basedOn")
                if parent:
                    based[sid] = parent
                numpr = st.find(f"{W}pPr/{W}numPr")
                if numpr is not None:
                    own[sid] = (
                        _val(numpr, W + "numId"),
                        _int(_val(numpr, W + "ilvl"), 0) if numpr.find(W + "ilvl") is not None else None,
                    )
            for sid in set(based) | set(own):
                cur, seen = sid, 0
                while cur and cur not in own and seen < 20:
                    cur, seen = based.get(cur, ""), seen + 1
                if cur in own:
                    self.style_num[sid] = own[cur]

    def label(self, p: Any) -> str:
        ppr = p.find(W + "pPr")
        num_id: str | None = None
        ilvl: int | None = None
        style = _val(ppr, W + "pStyle") if ppr is not None else None
        if style and style in self.style_num:
            num_id, ilvl = self.style_num[style]
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        if numpr is not None:
            num_id = _val(numpr, W + "numId") or num_id
            if numpr.find(W + "ilvl") is not None:
                ilvl = _int(_val(numpr, W + "ilvl"), 0)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = min(max(ilvl or 0, 0), 8)
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, [0] * 9)
        if num_id not in self.overridden and overrides:
            self.overridden.add(num_id)
            for lv, start in overrides.items():
                if 0 <= lv < 9:
                    counters[lv] = start - 1
        start, fmt, text = levels[ilvl]
        counters[ilvl] = max(counters[ilvl] + 1, start) if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt in ("bullet", "none"):
            return ""
        out = text
        for lv in range(ilvl, -1, -1):
            if f"%{lv + 1}" in out:
                lstart, lfmt, _ = levels.get(lv, (1, "decimal", ""))
                out = out.replace(f"%{lv + 1}", format_number(max(counters[lv], lstart), lfmt))
        return out


# --- text of paragraphs and cells -----------------------------------------------


def paragraph_text(p: Any) -> str:
    """Visible text of a w:p: runs, tabs, breaks; deleted text and fallbacks left out."""
    parts: list[str] = []
    stack = [iter(p)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag == W + "p" and parts:  # a paragraph inside a text box
            parts.append("\n")
            stack.append(iter(el))
        elif len(stack) < 64:
            stack.append(iter(el))
    return "".join(parts)


def children(el: Any) -> Iterator[Any]:
    """Children of a body, cell or row, looking through content controls and the like."""
    stack = [iter(el)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if not isinstance(child.tag, str):
            continue
        if child.tag in _CONTAINERS and len(stack) < 32:
            stack.append(iter(child))
        else:
            yield child


def _cell_text(tc: Any, numbering: Numbering) -> str:
    """A cell's text on one line; nested tables are read as text, row by row."""
    lines: list[str] = []
    stack: list[tuple[Iterator[Any], int]] = [(children(tc), 0)]
    while stack:
        it, depth = stack[-1]
        el = next(it, None)
        if el is None:
            stack.pop()
            continue
        if el.tag == W + "p":
            lines.append(numbering.label(el) + paragraph_text(el))
        elif el.tag in (W + "tbl", W + "tr", W + "tc") and depth < MAX_NESTED_TABLES:
            stack.append((children(el), depth + 1))
    return join_lines("\n".join(lines))


def _table(tbl: Any, numbering: Numbering) -> SourceTable:
    table = SourceTable()
    for tr in children(tbl):
        if tr.tag != W + "tr":
            continue
        row: list[SourceCell] = []
        trpr = tr.find(W + "trPr")
        before = _int(_val(trpr, W + "gridBefore"), 0) if trpr is not None else 0
        if before > 0:
            row.append(SourceCell("", colspan=before))
        number = 0
        for tc in children(tr):
            if tc.tag != W + "tc":
                continue
            number += 1
            tcpr = tc.find(W + "tcPr")
            span = _int(_val(tcpr, W + "gridSpan"), 1) if tcpr is not None else 1
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = _val(tcpr, W + "hMerge") if tcpr is not None else None
            continued = (vmerge is not None and vmerge.get(W + "val", "continue") == "continue") or hmerge == "continue"
            # A continued merge shows nothing of its own: blank, as the template's grid has it.
            text = "" if continued else _cell_text(tc, numbering)
            row.append(SourceCell(text, colspan=max(span, 1), number=-number if continued else number))
        table.rows.append(row)
    return table


def _optional(get: Any) -> Any:
    try:
        return get()
    except Exception:  # a missing or damaged numbering/styles part only loses the numbering
        return None


def _raw_parts(zf: Any) -> tuple[Any, Any, Any]:
    """The body, numbering and styles elements straight from the ZIP (sizes already checked)."""
    from docx.oxml import parse_xml

    try:
        root = parse_xml(zf.read("word/document.xml"))
    except Exception:
        raise ReadError("Word 文档的正文(word/document.xml)已损坏,XML 无法解析;请用 Word/WPS 重新保存") from None
    body = root.find(W + "body")
    if body is None:
        raise ReadError("Word 文档中没有正文(word/document.xml 缺少 body)")

    def part(name: str) -> Any:
        return _optional(lambda: parse_xml(zf.read(name))) if name in zf.namelist() else None

    return body, part("word/numbering.xml"), part("word/styles.xml")


class DocxReader:
    """Word 2007+ documents (.docx/.docm, WPS's .docx)."""

    name = "docx"
    suffixes = (".docx", ".docm")

    def sniff(self, data: bytes) -> bool:
        return is_zip(data)

    def read(self, data: bytes, path: str) -> Document:
        return guarded_read("Word 文档(.docx)", self._read, data, path)

    def _read(self, data: bytes, path: str) -> Document:
        if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            raise ReadError(
                "这是旧版 Word 二进制格式(.doc)或加了密码的 .docx,无法读取;请在 Word/WPS 中另存为不加密的 .docx"
            )
        if not self.sniff(data):
            raise ReadError("文件扩展名是 Word 文档,但内容不是 .docx(ZIP)格式:可能已损坏,或是改了扩展名的其他文件")
        zf = open_zip(data, "ZIP 文件(.docx)")
        names = set(zf.namelist())
        if "word/document.xml" not in names and "[Content_Types].xml" not in names:
            raise ReadError("这是 ZIP 压缩包,不是 Word 文档(.docx);请解压后分别检查其中的报告")
        if "word/document.xml" not in names:
            if any(n.startswith("xl/") for n in names):
                raise ReadError("这是 Excel 表格(.xlsx),不是 Word 文档;请把报告另存为 .docx 或 .txt 后检查")
            if any(n.startswith("ppt/") for n in names):
                raise ReadError("这是 PowerPoint 演示文稿(.pptx),不是年度报告文档")
            raise ReadError("这是 Office ZIP 文件,但其中没有 Word 正文(word/document.xml)")
        # python-docx parses every XML part it knows when it opens the package: all are counted.
        check_markup((zf.read(n) for n in sorted(names) if n.endswith((".xml", ".rels"))), "Word 文档")
        try:
            import docx  # python-docx
        except ImportError:
            raise ReadError("读取 Word 文档需要 python-docx,请安装: pip install 'gikcheck[docx]'") from None
        try:
            document = docx.Document(io.BytesIO(zf.fp.getvalue()))  # the checked copy, not the original bytes
        except Exception:
            # python-docx is strict about the package (content types, relationships);
            # WPS and converters write packages it refuses. Read the parts directly.
            body, numbering_el, styles_el = _raw_parts(zf)
        else:
            part = document.part
            body = document.element.body
            numbering_el = _optional(lambda: part.numbering_part.element)
            styles_el = _optional(lambda: part.styles.element)
        numbering = Numbering(numbering_el, styles_el)
        out = TextBuilder()
        paragraphs = tables = 0
        for el in children(body):
            if el.tag == W + "p":
                paragraphs += 1
                out.paragraph(numbering.label(el) + paragraph_text(el), number=paragraphs)
            elif el.tag == W + "tbl":
                tables += 1
                out.table(_table(el, numbering), number=tables)
        return out.document(path, "docx")


DOCX_READER = DocxReader()
