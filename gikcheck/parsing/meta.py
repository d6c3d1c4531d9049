"""Report metadata: title, report year, agency and its level, dates."""
from __future__ import annotations

import datetime as _dt
import re
from collections import Counter

from ..diagnostics import Span
from ..document import Blocks, Document
from ..memo import by_owner
from ..patterns import search
from ..records import Record

_TITLE_WORDS = re.compile(r"(?:政府信息公开|政务公开|信息公开).{0,12}报告")
_SAMPLE_SITE = re.compile(r"范文|本站|资料文库|文库|网友")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = r"([〇○零一二三四五六七八九]{4})\s*年"  # rare: compiled on first use (re's cache)
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PUB_DATE = re.compile(r"(?:发布|发表|公开|成文|印发)(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
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
    __slots__ = ("title", "title_span", "title_year", "year", "year_source", "agency", "level", "level_source",
                 "signature_date", "signature_start", "publication_date", "period")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, title: str = "", title_span: Span | None = None, title_year: int | None = None,
                 year: int | None = None, year_source: str = "", agency: str = "", level: str = "",
                 level_source: str = "", signature_date: DateRef | None = None,
                 signature_start: int | None = None, publication_date: DateRef | None = None,
                 period: tuple[DateRef | None, DateRef | None, Span] | None = None) -> None:
        self.title = title
        self.title_span = title_span
        self.title_year = title_year
        self.year = year
        self.year_source = year_source          # title | period | body | config | ""
        self.agency = agency
        self.level = level                      # department | government | township | ""
        self.level_source = level_source
        self.signature_date = signature_date
        self.signature_start = signature_start  # where the closing signature block begins
        self.publication_date = publication_date
        self.period = period


def _cn_year(s: str) -> int:
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def find_title(doc: Document, blocks: Blocks) -> tuple[str, Span] | None:
    """The report's title: an early line naming an open-government report."""
    candidates = []
    for p in sorted(blocks.paragraphs, key=lambda p: p.span.start)[:12]:
        text = doc.slice(p.span).strip()
        folded = doc.shadow.text[p.span.start:p.span.end] if doc.shadow.origin is None else text
        m = _TITLE_WORDS.search(folded)
        if not m:
            continue
        if len(text) > 60:
            # A page flattened onto one line starts with its title; a sentence is no title.
            if m.start() > 30 or re.search(r"[。,，;；]", folded[: m.end()]):
                continue
            text = text[: m.end()]
        candidates.append((text, Span(p.span.start, p.span.start + len(text)), bool(_SAMPLE_SITE.search(folded))))
    clean = [c for c in candidates if not c[2]]
    chosen = (clean or candidates)[0] if candidates else None
    if chosen is None:
        # No line names a report: a short first line about open government is the title.
        first = min(blocks.paragraphs, key=lambda p: p.span.start, default=None)
        if first is not None and doc.line_of(first.span.start) <= 3:
            text = doc.slice(first.span).strip()
            if len(text) <= 60 and "。" not in text and re.search(r"信息公开|政务公开|信息公開|政務公開", text):
                chosen = (text, Span(first.span.start, first.span.start + len(doc.slice(first.span).rstrip())), False)
    if chosen is None:
        return None
    text, span, _ = chosen
    lead = len(text) - len(text.lstrip(" \t\u3000?"))
    return text.strip(" \t\u3000?"), Span(span.start + lead, span.end)


def year_in(text: str) -> int | None:
    m = _YEAR.search(text)
    if m:
        return int(m.group(1))
    m = re.search(_CN_YEAR, text)
    return _cn_year(m.group(1)) if m else None


def agency_from_title(title: str) -> str:
    t = _PINYIN.sub("", title)
    m = _YEAR.search(t) or re.search(_CN_YEAR, t)
    if m:
        name = t[: m.start()]
    else:
        m2 = re.search(r"(?:关于)?(?:\d{4}年度?)?(?:政府信息公开|政务公开|信息公开)", t)
        name = t[: m2.start()] if m2 else ""
    return name.strip(" \t\u3000?:：,，《》")


# Agencies report year after year: levels are kept by name and patterns.
_LEVELS: dict[tuple, tuple[dict[str, list[str]], str]] = {}


def classify_level(name: str, patterns: dict[str, list[str]]) -> str:
    return by_owner(_LEVELS, (name,), patterns, lambda: _classify_level(name, patterns))


def _classify_level(name: str, patterns: dict[str, list[str]]) -> str:
    from ..normalize import label_key

    name = label_key(name)  # simplified script, no pinyin debris or spaces
    for level in ("township", "department", "government"):
        for pat in patterns.get(level, []):
            if search(pat, name):
                return level
    return ""


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
        if not mo or not d or not (y or default_year):
            return None
        first = next(i for i in (g, g + 1) if m.start(i) >= 0)
        ss, ee = doc.shadow.span_to_source(m.start(first), m.end(g + 2))
        return DateRef(int(y) if y else default_year, int(mo), int(d), Span(ss, ee))

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
