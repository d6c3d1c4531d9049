"""Report metadata: title, report year, agency and its level, dates."""

from __future__ import annotations

import re
from collections import Counter

from .. import TYPE_CHECKING
from ..diagnostics import Span
from ..document import Blocks, Document
from ..memo import by_owner
from ..patterns import search
from ..records import Record

if TYPE_CHECKING:
    import datetime as _dt
else:
    try:  # the C module alone: datetime.py first defines all of it in Python (≈ 1 ms of a cold run)
        import _datetime as _dt
    except ImportError:  # pragma: no cover - an interpreter without it
        import datetime as _dt

_TITLE_WORDS = re.compile(r"(?:政府信息公开|政务公开|信息公开).{0,12}报告")
_SAMPLE_SITE = re.compile(r"范文|本站|资料文库|文库|网友")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = r"([〇○零一二三四五六七八九]{4})\s*年"  # rare: compiled on first use (re's cache)
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PUB_DATE = re.compile(
    r"(?:发布|发表|公开|成文|印发)(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_PERIOD = re.compile(
    r"统计(?:期限|时限|期间|区间|时间)[^。\n]{0,8}?(?:为|是|自|从)?\s*((?:19|20)\d{2})?\s*年\s*(\d{1,2})?\s*月\s*(\d{1,2})?\s*日?\s*(?:起)?\s*[至到—\-~]+\s*(?:((?:19|20)\d{2})?\s*年)?\s*(\d{1,2})?\s*月\s*(\d{1,2})?\s*日?"
)
_LINE_END = re.compile(r"[ \t\u3000|]*(?:\r?\n|$)")
_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


class DateRef(Record):
    __slots__ = ("year", "month", "day", "span")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, year: int, month: int, day: int, span: Span) -> None:
        self.year = year
        self.month = month
        self.day = day
        self.span = span

    def as_date(self) -> _dt.date | None:
        try:
            return _dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


class Meta(Record):
    __slots__ = (
        "title",
        "title_span",
        "title_year",
        "year",
        "year_source",
        "agency",
        "level",
        "level_source",
        "people_government",
        "signature_date",
        "signature_start",
        "publication_date",
        "period",
    )
    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        title: str = "",
        title_span: Span | None = None,
        title_year: int | None = None,
        year: int | None = None,
        year_source: str = "",
        agency: str = "",
        level: str = "",
        level_source: str = "",
        people_government: bool = False,
        signature_date: DateRef | None = None,
        signature_start: int | None = None,
        publication_date: DateRef | None = None,
        period: tuple[DateRef | None, DateRef | None, Span] | None = None,
    ) -> None:
        self.title = title
        self.title_span = title_span
        self.title_year = title_year
        self.year = year
        self.year_source = year_source  # title | period | body | config | ""
        self.agency = agency
        self.level = level  # department | government | township | ""
        self.level_source = level_source
        self.people_government = people_government  # a 人民政府 (乡镇 included, 街道办事处 not): GK106
        self.signature_date = signature_date
        self.signature_start = signature_start  # where the closing signature block begins
        self.publication_date = publication_date
        self.period = period


def _cn_year(s: str) -> int:
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def find_title(doc: Document, blocks: Blocks, agency_patterns: dict | None = None) -> tuple[str, Span] | None:
    """The report's title: an early line, or up to three short lines, naming an open-government report.

    A title set over lines (「淮安市人民政府」 over 「2024 年政府信息公开工作年度报告」, or
    「2024 年上海市科委政府信息公开工作」 over 「年度报告」) is one title; a line a web page's
    chrome labels (「标题：…-沭阳县发改局」) counts only when no plain title line follows.
    """
    lines = _early_lines(doc, blocks)
    candidates = []
    used = -1
    for i in range(len(lines)):
        if i <= used:
            continue
        group = _title_group(doc, lines, i)
        if group is None:
            continue
        first, last, cut = group
        used = last
        first = _extend_up(doc, lines, first, last, agency_patterns)
        start, end = lines[first][0], cut if cut is not None else lines[last][1]
        chrome = _CHROME.match(doc.text, start)
        if chrome:
            start = chrome.end()
        folded = _fold(doc, start, end)
        tail = _SITE_TAIL.search(folded)
        if tail and _TITLE_WORDS.search(folded[: tail.start()]) and doc.shadow.origin is None:
            end = start + tail.start()  # 「…年度报告-沭阳县发改局」: the site's name is no part of it
        text = "".join(_text(doc, a, b).strip() for a, b in _pieces(lines, first, last, start, end))
        chrome_like = bool(chrome or tail or _BREADCRUMB.search(folded))
        candidates.append((text, Span(start, end), bool(_SAMPLE_SITE.search(folded)), chrome_like))
    # The first title that is neither on a sample-essay site nor page chrome, else the first one.
    best = min(range(len(candidates)), key=lambda k: (candidates[k][2], candidates[k][3], k), default=None)
    chosen = candidates[best][:2] if best is not None else None
    if chosen is None:
        # No line names a report: a short first line about open government is the title.
        first_p = min(blocks.paragraphs, key=lambda p: p.span.start, default=None)
        if first_p is not None and doc.line_of(first_p.span.start) <= 3:
            text = doc.slice(first_p.span).strip()
            if len(text) <= 60 and "。" not in text and re.search(r"信息公开|政务公开|信息公開|政務公開", text):
                chosen = (text, Span(first_p.span.start, first_p.span.start + len(doc.slice(first_p.span).rstrip())))
    if chosen is None:
        return None
    text, span = chosen
    if doc.shadow.origin is not None and _TAG.search(doc.text, span.start, span.end):
        # Markup around the words (「**<span …>…</span>**」): the title and its span are the words'.
        words = _fold(doc, span.start, span.end)
        lead = len(words) - len(words.lstrip(_AROUND + "\n"))
        body = len(words.rstrip(_AROUND + "\r\n"))
        start = doc.shadow.to_source(doc.shadow.from_source(span.start) + lead) if body > lead else span.start
        end = _source_after(doc, span.start, body) if body > lead else span.end
        return text.strip(_AROUND), Span(start, max(start, end))
    src = doc.text[span.start : span.end]
    lead = len(src) - len(src.lstrip(_AROUND + "\n"))
    trail = len(src) - len(src.rstrip(_AROUND + "\r\n"))
    return text.strip(_AROUND), Span(span.start + lead, max(span.start + lead, span.end - trail))


_AROUND = " \t\u3000?*_#"  # around a title: spaces, and Markdown's emphasis and heading marks


# Title lines are short; a line with sentence punctuation is body text.
_SHORT_LINE = 40
_SENTENCE_MARK = re.compile(r"[。，,；;！!：:]")
# What a web page's chrome or a crawler puts around a title.
_CHROME = re.compile(
    r"[ \t\u3000]*(?:标\s*题|名\s*称|题\s*名|文章标题|信息名称|文件名称|[Tt]itle)[ \t\u3000]*[:：\t][ \t\u3000]*"
)
_BREADCRUMB = re.compile(r"[>＞»›→]|当前位置|您的位置|所在位置")
_SITE_TAIL = re.compile(r"[ \t\u3000]*[-_|｜—–][^-_|｜—–。，,]{2,24}$")


def _fold(doc: Document, start: int, end: int) -> str:
    """The shadow's text of the source range [start, end): folded, and without the markup a
    Markdown or HTML page wraps the words in (「**<span style=…>…年度报告</span>**」)."""
    sh = doc.shadow
    if sh.origin is None:
        return sh.text[start:end]
    return sh.text[sh.from_source(start) : sh.from_source(end)]


def _source_after(doc: Document, start: int, k: int) -> int:
    """The source offset just after the ``k``-th folded character from source offset ``start``."""
    sh = doc.shadow
    if sh.origin is None:
        return start + k
    return sh.to_source(sh.from_source(start) + k - 1) + 1 if k else start


_TAG = re.compile(r"<[^<>\n]*>")


def _text(doc: Document, start: int, end: int) -> str:
    """A title's words as written, without the HTML tags a Markdown page may wrap them in."""
    raw = doc.text[start:end]
    return _TAG.sub("", raw) if "<" in raw else raw


# (start, end, line number) of one line of text.
_Line = tuple[int, int, int]


def _early_lines(doc: Document, blocks: Blocks) -> list[_Line]:
    """(start, end, line number) of the non-blank lines of the first paragraphs."""
    out = []
    for p in sorted(blocks.paragraphs, key=lambda p: p.span.start)[:12]:
        pos = p.span.start
        for piece in doc.text[p.span.start : p.span.end].split("\n"):
            if piece.strip():
                out.append((pos, pos + len(piece.rstrip("\r")), doc.line_of(pos)))
            pos += len(piece) + 1
    return out


def _adjacent(lines: list[_Line], a: int, b: int) -> bool:
    """Line b follows line a, with at most one blank line between them."""
    return 0 < lines[b][2] - lines[a][2] <= 2


def _titleish(doc: Document, line: _Line) -> bool:
    t = _fold(doc, line[0], line[1]).strip()
    return 0 < len(t) <= _SHORT_LINE and not _SENTENCE_MARK.search(t)


def _joined(doc: Document, lines: list[_Line], first: int, last: int) -> str:
    return "".join(_fold(doc, lines[k][0], lines[k][1]).strip() for k in range(first, last + 1))


def _title_group(doc: Document, lines: list[_Line], i: int) -> tuple[int, int, int | None] | None:
    """(first line, last line, cut offset or None) of a title starting at line i, or None."""
    s, e, _ = lines[i]
    folded = _fold(doc, s, e)
    m = _TITLE_WORDS.search(folded)
    if m:
        if len(folded.strip()) > 60:
            # A page flattened onto one line starts with its title; a sentence is no title.
            if m.start() > 30 or re.search(r"[。,，;；]", folded[: m.end()]):
                return None
            return i, i, _source_after(doc, s, m.end())
        return i, i, None
    # A title wrapped over two or three short lines: only the joined lines name the report.
    if not _titleish(doc, lines[i]):
        return None
    for j in range(i + 1, min(i + 3, len(lines))):
        if not _adjacent(lines, j - 1, j) or not _titleish(doc, lines[j]):
            return None
        if _TITLE_WORDS.search(_fold(doc, lines[j][0], lines[j][1])):
            return None  # line j is a title of its own
        if _TITLE_WORDS.search(_joined(doc, lines, i, j)):
            # The smallest set of lines: a chrome line above (「正文」) is no part of it.
            return None if _TITLE_WORDS.search(_joined(doc, lines, i + 1, j)) else (i, j, None)
    return None


def _extend_up(doc: Document, lines: list[_Line], first: int, last: int, agency_patterns: dict | None) -> int:
    """Take in up to two short lines above that give the title its missing agency or year."""
    for _ in range(2):
        k = first - 1
        if k < 0 or not _adjacent(lines, k, first) or not _titleish(doc, lines[k]):
            break
        above = _fold(doc, lines[k][0], lines[k][1]).strip()
        if _TITLE_WORDS.search(above) or _CHROME.match(above):
            break
        title = _joined(doc, lines, first, last)
        joined = above + title
        gives_year = not year_in(title) and year_in(above) is not None and _YEAR_ONLY.match(above) is not None
        gives_agency = False
        if not agency_from_title(title):
            name = agency_from_title(joined)
            gives_agency = bool(name) and (agency_patterns is None or bool(classify_level(name, agency_patterns)))
        if not (gives_year or gives_agency):
            break
        first = k
    return first


_YEAR_ONLY = re.compile(r"^[(（]?\s*(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?\s*[)）]?$")


def _pieces(lines: list[_Line], first: int, last: int, start: int, end: int) -> list[tuple[int, int]]:
    """The title's text per line, within [start, end)."""
    out = []
    for k in range(first, last + 1):
        a, b = max(lines[k][0], start), min(lines[k][1], end)
        if b > a:
            out.append((a, b))
    return out


def year_in(text: str) -> int | None:
    m = _YEAR.search(text)
    if m:
        return int(m.group(1))
    m = re.search(_CN_YEAR, text)
    return _cn_year(m.group(1)) if m else None


def agency_from_title(title: str) -> str:
    """The agency a title names: before its year (「淮安市人民政府2024年…」), or after a
    leading year (「2019年上海市人民政府办公厅政府信息公开工作年度报告」)."""
    t = re.sub(r"\s+", "", _PINYIN.sub("", title))
    words = _REPORT_WORDS.search(t)
    head = t[: words.start()] if words else t
    m = _YEAR.search(head) or re.search(_CN_YEAR, head)
    if m:
        name = _clean_name(head[: m.start()])
        if not name:
            name = _clean_name(re.sub(r"^度", "", head[m.end() :]))
    else:
        name = _clean_name(head) if words else ""
    return name


_REPORT_WORDS = re.compile(r"(?:关于)?(?:政府信息公开|政务公开|信息公开)")


def _clean_name(name: str) -> str:
    name = name.strip(" \t\u3000?:：,，《》〈〉()（）[]【】")
    return re.sub(r"(?:关于|的)$", "", name).strip(" \t\u3000?:：,，《》")


# Agencies report year after year: levels are kept by name and patterns.
_LEVELS: dict[tuple, tuple[dict[str, list[str]], str]] = {}


def classify_level(name: str, patterns: dict[str, list[str]]) -> str:
    return by_owner(_LEVELS, (name,), patterns, lambda: _classify_level(name, patterns))


def _classify_level(name: str, patterns: dict[str, list[str]]) -> str:
    from ..normalize import label_key

    name = label_key(name)  # simplified script, no pinyin debris or spaces
    if any(search(pat, name) for pat in patterns.get("not_agency", [])):
        return ""
    for key, level in _LEVEL_ORDER:
        for pat in patterns.get(key, []):
            if search(pat, name):
                return level
    return ""


# Which pattern list gives which level, tried in this order (rules/common.toml [agency]).
_LEVEL_ORDER = (
    ("government_department", "department"),
    ("township", "township"),
    ("department", "department"),
    ("government", "government"),
)


def is_people_government(level: str, name: str, body: str, patterns: dict) -> bool:
    """Whether the agency is a 人民政府 (乡镇 included), of which Art. 50(四) asks more (GK106).

    A 街道办事处 is a township-level body but a government's 派出机关, not a 人民政府.
    """
    if level == "government":
        return True
    if level != "township":
        return False
    if name:
        from ..normalize import label_key

        return not any(search(p, label_key(name)) for p in patterns.get("not_government", []))
    pat = patterns.get("not_government_body")
    return not (pat and search(pat, body))


def find_dates(doc: Document) -> tuple[DateRef | None, DateRef | None]:
    """(signature date, publication date)."""
    text = doc.shadow.text
    pub = None
    # What every publication date names (two scans of the text in C): most reports name none.
    m = _PUB_DATE.search(text) if "时间" in text or "日期" in text else None
    if m:
        s, e = doc.shadow.span_to_source(m.start(1), m.end(3))
        pub = DateRef(int(m.group(1)), int(m.group(2)), int(m.group(3)), Span(s, e))
    sig = None
    # The signature date closes the report: the last full date in its second half
    # that ends its line (page padding such as "| |||" and footers may follow).
    last = None
    for m in _DATE.finditer(text, len(text) // 2):
        if _LINE_END.match(text, m.end()):
            last = m
    if last is not None:
        s, e = doc.shadow.span_to_source(last.start(), last.end())
        sig = DateRef(int(last.group(1)), int(last.group(2)), int(last.group(3)), Span(s, e))
    return sig, pub


def find_period(doc: Document) -> tuple[DateRef | None, DateRef | None, Span] | None:
    text = doc.shadow.text
    m = _PERIOD.search(text)
    if not m:
        return None
    s, e = doc.shadow.span_to_source(m.start(), m.end())

    def ref(g: int, default_year: int | None = None) -> DateRef | None:
        y, mo, d = m.group(g), m.group(g + 1), m.group(g + 2)
        year = int(y) if y else default_year
        if not mo or not d or not year:
            return None
        first = next(i for i in (g, g + 1) if m.start(i) >= 0)
        ss, ee = doc.shadow.span_to_source(m.start(first), m.end(g + 2))
        return DateRef(year, int(mo), int(d), Span(ss, ee))

    start = ref(1)
    # "2022年1月1日至12月31日": the end's year is the start's.
    return start, ref(4, start.year if start else None), Span(s, e)


def body_year(doc: Document) -> int | None:
    """The year a report without a titled year talks about: the most cited one."""
    text = doc.shadow.text[:8000]
    counts = Counter(int(m.group(1)) for m in re.finditer(r"((?:19|20)\d{2})\s*年(?:度|,|，|以来|全年|我|共|\s)", text))
    if not counts:
        return None
    return counts.most_common(1)[0][0]
