"""Web pages (.html/.htm): the report's text and tables as a reviewer sees them.

Decoding follows the page: a BOM, else the declared charset (``<meta
charset>``, ``http-equiv``, the XML declaration), else UTF-8 or GB18030.
GB2312/GBK pages are decoded as GB18030 (their superset). The page is
parsed with lxml's HTML parser; scripts, styles, hidden elements and
navigation (``<nav>``, menus, breadcrumbs, footers) are dropped. A
``<table>`` holding other tables or whole paragraphs of text is page
layout and is read as ordinary text; the other tables are read as tables,
their ``rowspan``/``colspan`` expanded to the grid. The tree is walked
with ``lxml.etree.iterwalk`` — no recursion in this module, however deep
the page nests.
"""

from __future__ import annotations

import codecs
import importlib
import re
import sys
import types

from .. import TYPE_CHECKING
from ..document import Document
from ..reading import ReadError, check_input_size, check_markup
from .sniff import is_html
from .structured import SourceCell, SourceTable, TextBuilder, guarded_read, join_lines

if TYPE_CHECKING:
    from typing import Any  # not at run time: typing (with contextlib) is ≈ 3 ms of a cold run

_META_CHARSET = re.compile(rb"<meta[^>]{0,500}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]{2,40})", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^<\?xml[^>]{0,200}encoding\s*=\s*[\"']([A-Za-z0-9_.\-]{2,40})", re.IGNORECASE)
_GB = {
    "gb2312",
    "gbk",
    "x-gbk",
    "gb_2312-80",
    "gb_2312",
    "cp936",
    "windows-936",
    "ms936",
    "gb18030",
    "euc-cn",
    "hz-gb-2312",
}
_LATIN = {"iso8859-1", "cp1252", "ascii"}  # as codecs.lookup() names them

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "nav",
    "aside",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "select",
    "button",
    "input",
    "textarea",
    "map",
    "audio",
    "video",
    "canvas",
)
_NAV_TOKEN = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|mainmenu|topmenu|submenu|breadcrumbs?|crumbs?|sidebar|"
    r"footer|copyright|share|toolbar|skip|dqwz|position)(?:[-_\s\d]|$)",
    re.IGNORECASE,
)
_NAV_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar"}
_BLOCK = frozenset(
    (
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "address",
        "figure",
        "figcaption",
        "center",
        "form",
        "fieldset",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "hr",
        "br",
        "body",
        "html",
        "legend",
    )
)
_PARA_IN_CELL = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "section", "article")
_WS = re.compile(r"[ \t\r\n\f]+")
# What join_lines (structured.py) turns into spaces or joins: stripped off a cell's ends first,
# a cell with none left inside is one line already.
_CELL_BLANKS = " \t\r\n\v\f\u2028\u2029\x85"
# (Sets, not classes of `re`: each such class costs a run ~0.3 ms to compile.)
_BREAK = frozenset("\t\r\n\v\f\u2028\u2029\x85")
_LINE_BREAK = frozenset("\r\n\v\f\u2028\u2029\x85")
# What lxml refuses to write into a text (a text read from lxml holds no surrogates).
_NOT_XML = frozenset([*map(chr, range(9)), "\x0b", "\x0c", *map(chr, range(14, 32)), "\ufffe", "\uffff"])
_SPACES = re.compile(r" {2,}")  # join_lines' runs of spaces (a page's no-break spaces are spaces here)
_DIGITS = re.compile(r"\s*(\d+)")
LAYOUT_CELL_CHARS = 200  # a cell holding this much text in paragraphs is page layout, not a table cell
MAX_ANCESTOR_SCAN = 300


etree: Any = None  # lxml.etree, imported by _load_lxml() when the first page is read
_string: Any = None  # XPath string(): an element's text content


def _load_lxml() -> None:
    global etree, _string
    if etree is None:
        module = _import_etree()
        _string = module.XPath("string()", smart_strings=False)
        etree = module


# Modules lxml.etree imports that reading a page never uses (≈ 7 ms of a run, half of lxml's
# cost): ``inspect`` looks at the signature of a parser target, ``gzip`` writes compressed files.
# The names lxml takes from them as it loads.
_DEFERRED = {"inspect": ("getfullargspec",), "gzip": ("GzipFile",)}


def _import_etree() -> Any:
    """``lxml.etree``, with each module of ``_DEFERRED`` not yet loaded replaced, while lxml loads,
    by a stand-in that loads the real module when lxml (or anyone) first uses it."""
    stand_ins = {}
    if "lxml.etree" not in sys.modules:
        for name, names in _DEFERRED.items():
            if name not in sys.modules:
                stand_ins[name] = sys.modules[name] = _stand_in(name, names)
    try:
        import lxml.etree
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return lxml.etree


def _stand_in(name: str, names: tuple[str, ...]) -> types.ModuleType:
    module = types.ModuleType(name)

    def real() -> Any:
        if sys.modules.get(name) is module:
            del sys.modules[name]
        return importlib.import_module(name)

    def attribute(attr: str) -> Any:
        if attr.startswith("__"):  # the import system asking whether it is a package, and the like
            raise AttributeError(attr)
        return getattr(real(), attr)

    for attr in names:
        setattr(module, attr, lambda *a, _attr=attr, **k: getattr(real(), _attr)(*a, **k))
    setattr(module, "__getattr__", attribute)  # noqa: B010
    return module


def _codec(name: str) -> str | None:
    name = name.strip().lower()
    if name in _GB:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes; returns (text, encoding) or raises ReadError with the reason."""
    encoding: str | None
    if data.startswith(codecs.BOM_UTF8):
        body, encoding = data[3:], "utf-8"
        source = "BOM"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        body, encoding, source = data, "utf-16", "BOM"
    else:
        head = data[:8192]
        m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        name = declared or (m.group(1).decode("ascii", "replace") if m else None)
        encoding = _codec(name) if name else None
        body, source = data, ("声明" if encoding else "")
        if name and encoding is None:
            source = ""  # an unknown charset name: guess as for an undeclared page
    if not encoding:
        for guess in ("utf-8", "gb18030"):
            try:
                return body.decode(guess), guess
            except UnicodeDecodeError:
                continue
        raise ReadError("无法识别网页的编码(既不是 UTF-8,也不是 GB18030/GBK),请确认网页保存完整")
    if encoding in _LATIN:
        # CMSs often declare ISO-8859-1 for UTF-8 pages; Chinese cannot be Latin-1.
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return body.decode(encoding), encoding
    except UnicodeDecodeError as e:
        # Pages that lie about their charset are common: UTF-8 declared, GBK served, and the reverse.
        for other in ("gb18030", "utf-8"):
            if other != encoding and source != "BOM":
                try:
                    return body.decode(other), other
                except UnicodeDecodeError:
                    pass
        label = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}.get(encoding, encoding)
        how = "以 BOM 表明" if source == "BOM" else "声明"
        raise ReadError(
            f"网页{how}编码为 {label},但第 {e.start} 字节处不是合法的 {label},也不是其他常见编码;请确认网页保存完整"
        ) from None
    except LookupError:
        raise ReadError(f"网页声明了无法识别的编码 {encoding}") from None


def _int_attr(value: str | None) -> int:
    if not value:
        return 1
    m = _DIGITS.match(value)
    return int(m.group(1)[:6]) if m else 1


def _is_nav(el: Any) -> bool:
    role = (el.get("role") or "").strip().lower()
    if role in _NAV_ROLES:
        return True
    for attr in ("class", "id"):
        v = el.get(attr)
        if v and _NAV_TOKEN.search(v):
            return True
    return False


def _hidden(el: Any) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


# What ``_strip_page`` may drop, found by libxml2 instead of a Python test of each element: the
# elements with an attribute ``_hidden`` or ``_is_nav`` reads (a style aside), headers and footers.
_MARKED = "(//@hidden | //@aria-hidden | //@role | //@class | //@id)/.. | //header | //footer"
_STYLED = "//@style"


def _text_chars(el: Any) -> int:
    """len() of the element's text content (lxml.html's ``text_content()``)."""
    return len(_string(el))


def _strip_page(root: Any) -> None:
    """Drop what is not the report: scripts, styles, hidden parts, navigation."""
    etree.strip_elements(root, *_DROP_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    candidates = root.xpath(_MARKED)
    # A Word export styles nearly every span: all the styles are folded as ``_hidden`` folds
    # one, at once (a match cannot span two of them), and looked at one by one only on a match.
    styles = "\x00".join(root.xpath(_STYLED, smart_strings=False)).replace(" ", "").lower()
    if "display:none" in styles or "visibility:hidden" in styles:
        candidates += [a.getparent() for a in root.xpath(_STYLED)]
    body_chars = -1
    doomed = []
    for el in candidates:  # (an element without any of the attributes the tests read stays)
        if _hidden(el) or (
            el.tag in ("header", "footer") and not any(a.tag in ("article", "main") for a in el.iterancestors())
        ):
            doomed.append(el)
        elif el.tag not in ("html", "body", "table", "tr", "td", "th") and _is_nav(el):
            if body_chars < 0:
                body_chars = _text_chars(root)
            # A misnamed wrapper holding most of the page is not navigation.
            if _text_chars(el) < max(body_chars // 3, 1):
                doomed.append(el)
    # (The order of dropping does not matter: a tail always joins what precedes it in the page.)
    for el in doomed:
        if el.getparent() is not None:
            _drop_tree(el)


def _drop_tree(el: Any) -> None:
    """Remove ``el`` and what it holds; its tail joins the text before it (lxml.html's ``drop_tree``)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        try:
            if previous is None:
                parent.text = (parent.text or "") + el.tail
            else:
                previous.tail = (previous.tail or "") + el.tail
        except ValueError:
            # A control character in the page's text (a form feed …), which the parser kept but lxml
            # refuses to set: the element is emptied into an inline one that keeps its tail in place.
            el.clear(keep_tail=True)
            el.tag = "span"
            return
    parent.remove(el)


def _layout_tables(root: Any) -> set[Any]:
    """Tables that lay out the page (they hold tables, or paragraphs of text), not data."""
    layout: set[Any] = set()
    for tbl in root.iter("table"):
        for i, anc in enumerate(tbl.iterancestors()):
            if i > MAX_ANCESTOR_SCAN:
                break
            if anc.tag == "table":
                layout.add(anc)
    for tbl in root.iter("table"):
        if tbl in layout:
            continue
        rows = _rows(tbl)
        if rows and all(len(r) <= 1 for r in rows):
            layout.add(tbl)  # one column: a box around text
            continue
        for row in rows:
            if any(
                ((n := _text_chars(c)) > LAYOUT_CELL_CHARS and c.find(".//p") is not None) or n > LAYOUT_CELL_CHARS * 5
                for c in row
            ):
                layout.add(tbl)
                break
    return layout


def _rows(tbl: Any) -> list[list[Any]]:
    """The table's own rows (not those of tables nested in its cells), each a list of td/th."""
    rows: list[list[Any]] = []
    for child in tbl:
        if child.tag in ("thead", "tbody", "tfoot"):
            trs = [tr for tr in child if tr.tag == "tr"]
        elif child.tag == "tr":
            trs = [child]
        else:
            continue
        for tr in trs:
            rows.append([c for c in tr if c.tag in ("td", "th")])
    return rows


def _mark_breaks(tbl: Any) -> bool:
    """Write the line breaks that a cell's paragraphs and ``<br>``s make into their texts and tails,
    so that a cell's text is then read in one pass of libxml2 (``itertext``), not a Python step per
    element (nothing reads the inside of the table again). False, and nothing written, when the
    table holds a character XML does not allow (the HTML parser keeps some): lxml refuses to
    write such a text, and the cells are walked."""
    if not _NOT_XML.isdisjoint("".join(tbl.itertext())):
        return False
    for el in tbl.iterdescendants(*_PARA_IN_CELL, "br"):
        el.text = "\n" + (el.text or "")
        if el.tag != "br":
            el.tail = "\n" + (el.tail or "")
    return True


def _cell_text(cell: Any, marked: bool) -> str:
    """The cell's text, a line break before a ``<br>`` and around each paragraph in it."""
    text = "".join(cell.itertext()) if marked else _walked_text(cell)
    text = text.replace("\u00a0", " ").strip(_CELL_BLANKS)
    if _BREAK.isdisjoint(text):  # one line (the breaks were at its ends): what join_lines makes of it
        text = text.replace("|", "｜")
        return _SPACES.sub(" ", text) if "  " in text else text
    return join_lines(text)


def _walked_text(cell: Any) -> str:
    parts: list[str] = []
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        if event == "start":
            if el.tag == "br" or (el is not cell and el.tag in _PARA_IN_CELL):
                parts.append("\n")
            if el.text:
                parts.append(el.text)
        else:
            if el is not cell and el.tag in _PARA_IN_CELL:
                parts.append("\n")
            if el is not cell and el.tail:
                parts.append(el.tail)
    return "".join(parts)


def _caption_and_table(tbl: Any) -> tuple[str, SourceTable]:
    caption = tbl.find("caption")
    marked = _mark_breaks(tbl)
    table = SourceTable()
    for row in _rows(tbl):
        table.rows.append(
            [
                SourceCell(
                    _cell_text(c, marked),
                    _int_attr(c.get("colspan")),
                    min(_int_attr(c.get("rowspan")), 65534) if (c.get("rowspan") or "").strip() != "0" else 0,
                    i + 1,
                )
                for i, c in enumerate(row)
            ]
        )
    return (_cell_text(caption, marked) if caption is not None else ""), table


class _Flow:
    """Inline text gathered into paragraphs."""

    def __init__(self, out: TextBuilder) -> None:
        self.out = out
        self.buf: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.buf.append(text)

    def flush(self) -> None:
        if not self.buf:
            return
        text = join_lines_html("".join(self.buf))
        self.buf.clear()
        if text:
            self.out.paragraph(text)


def join_lines_html(text: str) -> str:
    from .structured import CJK_GAP

    text = text.replace("\u00a0", " ")
    if not _LINE_BREAK.isdisjoint(text):  # CJK_GAP joins nothing without one
        text = CJK_GAP.sub("", text)
    return _WS.sub(" ", text).strip(" ")


def html_to_document(root: Any, path: str, encoding: str) -> Document:
    _strip_page(root)
    body = root.find("body")
    if body is None:
        body = root
    layout = _layout_tables(body)
    out = TextBuilder()
    flow = _Flow(out)
    tables = 0
    walker = etree.iterwalk(body, events=("start", "end"))
    buf = flow.buf  # (flow.add inlined: two steps for every element of the page)
    for event, el in walker:
        tag = el.tag  # a comment's is a function: neither "table" nor in _BLOCK
        if event == "start":
            if tag == "table" and el not in layout:
                flow.flush()
                caption, table = _caption_and_table(el)
                if caption:
                    out.paragraph(caption)
                tables += 1
                out.table(table, number=tables)
                walker.skip_subtree()  # its end event still comes, and adds its tail
                continue
            if buf and tag in _BLOCK:
                flow.flush()
            if text := el.text:
                buf.append(text)
        else:
            if buf and tag in _BLOCK:
                flow.flush()
            if el is not body and (tail := el.tail):
                buf.append(tail)
    flow.flush()
    return out.document(path, encoding)


class HtmlReader:
    """HTML and XHTML pages, as saved from a browser or exported by Word/WPS."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml", ".shtml")

    def sniff(self, data: bytes) -> bool:
        return is_html(data)

    def read(self, data: bytes, path: str) -> Document:
        return guarded_read("网页(HTML)", self._read, data, path)

    def _read(self, data: bytes, path: str) -> Document:
        check_input_size(data, "网页")
        if not data.strip():
            raise ReadError("文件为空")
        check_markup((data,), "网页")
        text, encoding = decode_html(data)
        try:
            _load_lxml()
        except ImportError:
            raise ReadError("读取网页需要 lxml,请安装: pip install 'gikcheck[html]'") from None
        # lxml.etree's own parser and elements: lxml.html's element classes cost an import, and a
        # Python call for every element the walk meets; the helpers here do what they were used for.
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
        try:
            root = etree.fromstring(text.encode("utf-8", "replace"), parser=parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            raise ReadError("网页中没有可读取的内容") from None
        if root is None:
            raise ReadError("网页中没有可读取的内容")
        if any("depth" in (e.message or "").lower() for e in parser.error_log):
            raise ReadError("网页的元素嵌套过深(超过解析器的层数上限),不是正常的网页,无法可靠读取")
        return html_to_document(root, path, encoding)


HTML_READER = HtmlReader()
