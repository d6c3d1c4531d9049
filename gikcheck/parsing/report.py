"""parse(): a Document in, a Report (what the rules read) out."""

from __future__ import annotations

import bisect
import re
from functools import cached_property

from ..document import Blocks, Document, RawTable
from ..normalize import compact_key, label_key
from ..patterns import search
from ..records import Record
from ..templates import Knowledge, SectionSpec, Template
from . import meta as _meta
from .blocks import split_blocks
from .regions import Region, find_regions
from .sections import SectionMatch, map_sections
from .tablerows import ShortRow, read_region, row_sums_hold
from .tables import MappedTable, Missing, Unplaced, classify, map_table


class ParseOptions(Record):
    __slots__ = ("template", "agency_level", "report_year")

    def __init__(self, template: str = "auto", agency_level: str = "auto", report_year: int | None = None) -> None:
        self.template = template  # auto | 2008 | 2019 | 2021 | a pack id
        self.agency_level = agency_level  # auto | department | government | township
        self.report_year = report_year


class Report(Record):
    # "__dict__": cached properties, and rules caching their own analyses of the report.
    __slots__ = (
        "doc",
        "knowledge",
        "blocks",
        "meta",
        "template",
        "template_reason",
        "markers",
        "sections",
        "missing_sections",
        "tables",
        "unclassified",
        "__dict__",
    )
    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        doc: Document,
        knowledge: Knowledge,
        blocks: Blocks,
        meta: _meta.Meta,
        template: Template,
        template_reason: str,
        markers: dict[str, list[str]],
        sections: list[SectionMatch] | None = None,
        missing_sections: list[SectionSpec] | None = None,
        tables: list[MappedTable] | None = None,
        unclassified: list[RawTable] | None = None,
    ) -> None:
        self.doc = doc
        self.knowledge = knowledge
        self.blocks = blocks
        self.meta = meta
        self.template = template
        self.template_reason = template_reason  # config | year | markers | fallback
        self.markers = markers  # template id -> markers found
        self.sections = [] if sections is None else sections
        self.missing_sections = [] if missing_sections is None else missing_sections
        self.tables = [] if tables is None else tables
        self.unclassified = [] if unclassified is None else unclassified

    @cached_property
    def compact(self) -> str:
        """The whole text folded and without whitespace, for marker searches."""
        return compact_key(self.doc.shadow.text)

    def table(self, key: str) -> MappedTable | None:
        return next((t for t in self.tables if t.spec.key == key), None)

    def section(self, key: str) -> SectionMatch | None:
        return next((s for s in self.sections if s.spec.key == key), None)


def _markers(compact: str, knowledge: Knowledge) -> dict[str, list[str]]:
    return {tid: [m for m in t.markers if label_key(m) in compact] for tid, t in knowledge.templates.items()}


def parse(doc: Document, knowledge: Knowledge, options: ParseOptions = ParseOptions()) -> Report:
    blocks = split_blocks(doc, knowledge.all_row_label_keys, knowledge.all_section_titles)
    regions = find_regions(doc, knowledge)
    region_raws = _claim(blocks, regions) if regions else []
    blocks.headings.sort(key=lambda h: h.span.start)
    m = _meta.Meta()
    agency_patterns = knowledge.common.get("agency", {})
    found = _meta.find_title(doc, blocks, agency_patterns)
    if found:
        m.title, m.title_span = found
        m.title_year = _meta.year_in(m.title)
        m.agency = _meta.agency_from_title(m.title)
    m.signature_date, m.publication_date = _meta.find_dates(doc)
    m.period = _meta.find_period(doc)

    if options.report_year:
        m.year, m.year_source = options.report_year, "config"
    elif m.title_year:
        m.year, m.year_source = m.title_year, "title"
    elif m.period and m.period[1] is not None:
        m.year, m.year_source = m.period[1].year, "period"
    else:
        y = _meta.body_year(doc)
        if y:
            m.year, m.year_source = y, "body"

    if options.agency_level and options.agency_level != "auto":
        m.level, m.level_source = options.agency_level, "config"
    else:
        for name, source in ((m.agency, "title"), (_signature_agency(doc, m), "signature")):
            if name:
                lvl = _meta.classify_level(name, agency_patterns)
                if lvl:
                    m.level, m.level_source = lvl, source
                    if not m.agency:
                        m.agency = name
                    break
        if not m.level:
            for lvl, pat in agency_patterns.get("body", {}).items():
                if search(pat, doc.shadow.text[:5000]):
                    m.level, m.level_source = lvl, "body"
                    break
    # A 街道办事处 is township-level but no 人民政府 (Art. 50(四), GK106).
    m.people_government = _meta.is_people_government(m.level, m.agency, doc.shadow.text[:5000], agency_patterns)

    compact = compact_key(doc.shadow.text)
    markers = _markers(compact, knowledge)
    template, reason = _select_template(options, m, markers, knowledge)
    report = Report(
        doc=doc, knowledge=knowledge, blocks=blocks, meta=m, template=template, template_reason=reason, markers=markers
    )
    report.__dict__["compact"] = compact
    body_end = m.signature_start if m.signature_start is not None else len(doc.text)
    report.sections, report.missing_sections = map_sections(template, blocks.headings, len(doc.text))
    for sec in report.sections:
        # The closing signature (agency + date) belongs to no section.
        if sec.start < body_end < sec.end:
            sec.end = body_end
    for raw in blocks.tables:
        spec = classify(raw, template)
        if spec is None:
            report.unclassified.append(raw)
            continue
        report.tables.append(map_table(raw, spec, template))
    lone = LoneFigures(doc, regions) if regions and "\f" in doc.text else None
    for region, raws in zip(regions, region_raws):
        tables, unclassified = _read_region(doc, region, raws, template, lone)
        report.tables.extend(tables)
        report.unclassified.extend(unclassified)
    if regions:
        report.tables.sort(key=lambda t: t.span.start)
    return report


def _claim(blocks: Blocks, regions: list[Region]) -> list[list[RawTable]]:
    """Take the lines of table regions away from headings and paragraphs; the raw
    tables the line splitter found there are returned per region, as one reading."""
    owned = [(a, b, i) for i, r in enumerate(regions) for a, b in r.bounds]
    bounds = [(a, b) for a, b, _ in owned]
    blocks.regions = bounds

    def inside(line: int) -> bool:
        return any(a <= line <= b for a, b in bounds)

    blocks.headings = [h for h in blocks.headings if not inside(h.line)]
    blocks.paragraphs = [p for p in blocks.paragraphs if not inside(p.line)]
    per_region: list[list[RawTable]] = [[] for _ in regions]
    kept = []
    for raw in blocks.tables:
        lines = [row.line for row in raw.rows]
        owner = next((i for a, b, i in owned if any(a <= ln <= b for ln in lines)), None)
        if owner is None:
            kept.append(raw)
        else:
            per_region[owner].append(raw)
    blocks.tables = kept
    return per_region


def _rows_add_up(mt: MappedTable) -> bool:
    """Whether the table's identities along a row hold in this reading (a blank cell as 0)."""
    for row in mt.row_order:
        values: dict[str, float] = {}
        for (r, c), cell in mt.cells.items():
            if r == row:
                value = 0 if cell.value is None and cell.problem == "blank" else cell.value
                if isinstance(value, (int, float)):
                    values[c] = value
        if not row_sums_hold(mt.spec, values):
            return False
    return True


def _distrust(
    doc: Document, mt: MappedTable, aligned, order_fails: bool = False, figureless: bool = False, tail: str = ""
) -> None:
    """A reading whose numbers could not be given to their rows without guessing: one finding
    says so, and nothing else is reported on it — no sum, missing or extra row or label typo read
    from a guess, and no figure for the prose to be compared with. Only a blank cell at the end of
    a row drawn whole on its label's line (a torn table's intact rows) is still a blank cell."""
    blanks = {}
    if aligned.damaged:
        mt.unreliable = "数字与行标签无法一一对应（表格在转换中被拆散），未核对其勾稽关系和行列标签"
        rows: dict[str, list] = {}
        for (r, _), c in mt.cells.items():
            rows.setdefault(r, []).append(c)
        for r, cells in rows.items():
            label = mt.row_labels.get(r)
            filled = [c for c in cells if c.problem != "blank"]
            if label is None or not filled or len(filled) == len(cells):
                continue
            line = doc.line_of(label.span.start)
            if all(doc.line_of(c.cell.span.start) == line for c in cells):
                blanks.update({(r, c.col): c for c in cells if c.problem == "blank"})
    elif tail:
        mt.unreliable = (
            f"{tail}没有读出数字，其他行有（PDF 的文字可能把这一页的数字印在别处，如下一部分的标题之后），"
            "未核对其勾稽关系、空白单元格和行列标签"
        )
    elif figureless:
        mt.unreliable = (
            "只读出行列标签，没有读出数字（PDF 的文字可能把表格的数字印在别处，如下一部分的标题之后），"
            "未核对其勾稽关系、空白单元格和行列标签"
        )
    elif order_fails:
        mt.unreliable = (
            "数字与列标签无法一一对应（这种版式每格一行，数字的次序未必是各列的次序，按读出的次序各项之和不成立），"
            "未核对其勾稽关系、空白单元格和行列标签"
        )
    else:
        short = len(aligned.unaligned)
        mt.unreliable = (
            "数字与行标签无法一一对应（这种版式每格一行，且"
            + (
                f"有 {short} 行读出的数少于格式规定的个数，空白单元格或单元格的次序在这种版式中看不出"
                if short
                else "数字的次序与行的次序不一致"
            )
            + "），未核对其勾稽关系、空白单元格和行列标签"
        )
    mt.cells = blanks
    mt.label_issues = []
    mt.extras = []
    # Nor is a group row holding figures the 2019 layout (GK202): whose figures they are is a guess.
    # (A 2019 label as written still is.)
    grouped = {row.label for rid in mt.spec.outdated_rows if (row := mt.spec.row(rid)) is not None}
    mt.outdated = [(marker, span) for marker, span in mt.outdated if marker not in grouped]
    mt.missing = [Missing("count", mt.unreliable, "unreliable")]


_TAIL_ROWS = 3  # figureless rows after a page break that make a PDF's table unread
_STRAY_REACH = 4  # lines below a short row where figures another row took may be its own


def _figureless_tail(doc: Document, mt: MappedTable, pages: list[int]) -> str:
    """The rows of a PDF's table from a page break to its end that hold no figure at all, after
    rows that do (「「二、…」起 24 行」; "" when there are not so many, or, in 表二, fewer whose
    block lacks its header too): plain pdftotext may print a page's labels, then the next
    section's heading, then that page's figures. Blank rows they may be, but the text cannot tell."""
    if not pages:
        return ""
    rows = [r for r in mt.row_order if r in mt.row_labels]
    filled = [i for i, r in enumerate(rows) if any(c.value is not None for (row, _), c in mt.cells.items() if row == r)]
    if not filled or filled[-1] == len(rows) - 1:
        return ""
    # Fewer rows will do where their 表二 block lacks its header too (its header and figures were
    # printed together, elsewhere).
    headless = {m.ident.split(".")[0] for m in mt.missing if m.kind == "column" and "." in m.ident}
    tail = rows[filled[-1] + 1 :]
    if len(tail) < _TAIL_ROWS and not all(r.split(".")[0] in headless for r in tail):
        return ""
    last, first = mt.row_labels[rows[filled[-1]]], mt.row_labels[rows[filled[-1] + 1]]
    a, b = doc.line_of(last.span.start), doc.line_of(first.span.start)
    if not any(a < p <= b for p in pages):
        return ""
    return f"「{first.text}」行" if len(tail) == 1 else f"「{first.text}」起 {len(tail)} 行"


def _cut_headers(mt: MappedTable) -> int:
    """How many column labels a reading took for typos that are only a piece of the label, its
    beginning or its end (「业企业」 for 商业企业): a wrapped cell cut, not a typo."""
    n = 0
    for issue in mt.label_issues:
        if issue.kind == "column":
            found, expected = label_key(issue.found), label_key(issue.expected)
            n += bool(found) and found != expected and (expected.startswith(found) or expected.endswith(found))
    return n


def _may_hold(region: Region, spec) -> bool:
    """Whether two of the table's telltale labels occur in the region (a cheap test first)."""
    text = region.keys
    return sum(1 for d in spec.detect if label_key(d) in text) >= 2


def _badness(mt: MappedTable | None, spec) -> int:
    """How far a reading of a table is from the template: what is missing, extra or unreadable."""
    if mt is None:
        return 1 << 20  # not read at all
    # Row label typos count (a label cut by a line wrap reads as one); column header typos do not:
    # the template-guided reading keeps only headers as written, so it would win by dropping them.
    return len(mt.missing) + len(mt.extras) + sum(1 for i in mt.label_issues if i.kind != "column")


def _lost_most(mt: MappedTable | None, spec, labelled: frozenset[str]) -> bool:
    """Whether a reading lost most of the table's rows whose labels another reading found (plain
    pdftotext of Chromium's PDF: each label with its first figure, the rest in column blocks, read
    line by line as a table of one column, every row missing)."""
    if mt is None:
        return True
    lost = sum(1 for m in mt.missing if m.kind == "row" and m.ident in labelled)
    return 2 * lost > len(spec.rows)


def _page_starts(doc: Document, region: Region) -> list[int]:
    """The region's lines that begin a page (pdftotext puts a form feed before a page's first line)."""
    if "\f" not in doc.text:
        return []
    text, starts = doc.text, doc.line_starts
    return [n for a, b in region.bounds for n in range(a, b + 1) if text.startswith("\f", starts[n - 1])]


_FIGURE = re.compile(r"[+-]?\d+(?:\.\d+)?")


class LoneFigures(Record):
    """The lines of a PDF's text (pdftotext puts a form feed before each page) outside every table
    that hold one figure alone, page furniture left out: plain pdftotext may print a table's last
    cell in another reading block than its row (after the page's footer)."""

    __slots__ = ("starts", "by_page")

    def __init__(self, doc: Document, regions: list[Region]) -> None:
        from .furniture import furniture_lines

        text, line_starts = doc.text, doc.line_starts
        self.starts = [n for n in range(2, len(line_starts) + 1) if text.startswith("\f", line_starts[n - 1])]
        self.by_page: dict[int, list[int]] = {}
        inside = [(a, b) for r in regions for a, b in r.bounds]
        furniture = furniture_lines(doc)
        for n in range(1, len(line_starts) + 1):
            figure = doc.line_text(n).strip("\f \t")
            if not figure or len(figure) > 12 or n in furniture or not _FIGURE.fullmatch(figure):
                continue
            if not any(a <= n <= b for a, b in inside):
                self.by_page.setdefault(bisect.bisect_right(self.starts, n), []).append(n)

    def on_page_of(self, line: int) -> list[int]:
        """Those lines on the page of ``line``."""
        return self.by_page.get(bisect.bisect_right(self.starts, line), [])


def _read_region(
    doc: Document,
    region: Region,
    raws: list[RawTable],
    template: Template,
    lone: LoneFigures | None = None,
) -> tuple[list[MappedTable], list[RawTable]]:
    """The better of two readings of a region: the line splitter's and the template-guided one."""
    by_spec: dict[str, MappedTable] = {}
    unclassified: list[RawTable] = []
    for raw in raws:
        spec = classify(raw, template)
        if spec is None:
            unclassified.append(raw)
        elif spec.key not in by_spec:
            by_spec[spec.key] = map_table(raw, spec, template)
        else:
            unclassified.append(raw)
    best = None
    if (
        len(by_spec) == 1
        and not unclassified
        and all(_badness(mt, mt.spec) == 0 and not _cut_headers(mt) for mt in by_spec.values())
    ):
        return list(by_spec.values()), unclassified  # read exactly line by line: nothing to improve on
    pages = _page_starts(doc, region)
    # A PDF's table of labels without a single figure: its figures were printed elsewhere (or its
    # cells all left blank — the text cannot tell which).
    figureless = "\f" in doc.text and not any(ln.kind == "data" for ln in region.lines)
    for spec in template.tables.values():
        if not _may_hold(region, spec):
            continue
        aligned = read_region(spec, region.lines, pages, pdf="\f" in doc.text)
        if aligned is None or classify(aligned.raw, template) is not spec:
            continue
        mt = map_table(aligned.raw, spec, template)
        # Numbers one per line in a PDF's text (pdftotext puts a form feed after each page; a
        # browser's or an office suite's text keeps a table's cells in their order) that do not
        # add up in reading order: the order is the converter's, not proved to be the row's (a sum
        # reported on it would be a guess).
        order_fails = aligned.order_unproven and "\f" in doc.text and not _rows_add_up(mt)
        if aligned.damaged or aligned.scrambled or order_fails or figureless:
            # Ranked by what it read before its findings are withheld: an unread table does not
            # win over a line-by-line reading by having nothing left to report.
            labelled = frozenset(u.row for u in aligned.unaligned)
            bad = _badness(mt, spec) + 1
            _distrust(doc, mt, aligned, order_fails, figureless)
            if best is None or aligned.labels_found > best[0]:
                best = (aligned.labels_found, spec, mt, bad, labelled)
            continue
        tail = _figureless_tail(doc, mt, pages) if "\f" in doc.text else ""
        if tail:
            bad = _badness(mt, spec) + 1
            _distrust(doc, mt, aligned, tail=tail)
            if best is None or aligned.labels_found > best[0]:
                best = (aligned.labels_found, spec, mt, bad, frozenset())
            continue
        # A row whose values cannot be placed is there all the same: not missing, only unread.
        unread = {u.row for u in aligned.unaligned}
        mt.missing = [m for m in mt.missing if m.ident not in unread]
        # Nor are its cells blank (a label read alone maps to a row of blank cells).
        mt.cells = {k: c for k, c in mt.cells.items() if k[0] not in unread}
        if lone is not None and lone.by_page:
            # A figure alone outside the tables on a short row's page may be that row's cell,
            # printed apart (plain pdftotext): whether the row has blank cells is not known.
            for u in aligned.unaligned:
                apart = lone.on_page_of(doc.line_of(u.span.start)) if u.blanks_dropped else []
                if apart:
                    u.blanks_dropped = False
                    figure, which = doc.line_text(apart[0]).strip(), "这一行" if u.label_cell is not None else "这张表"
                    u.apart = f"；同一页表格之外还有单独的数「{figure}」（第 {apart[0]} 行），可能是{which}的"
        # Figures a row took from lines of their own (not beside its label), just below rows short
        # of figures beside theirs, may be those rows' (-layout prints a row's total a line lower
        # when two rows' lines interleave): those rows are unread too, not short of blanks.
        strays = [
            doc.line_of(u.span.start)
            for u in aligned.unaligned
            if not u.blanks_dropped
            and u.label_cell is not None
            and doc.line_of(u.span.start) != doc.line_of(u.label_cell.span.start)
        ]
        for u in aligned.unaligned:
            if u.blanks_dropped and u.label_cell is not None:
                at = doc.line_of(u.label_cell.span.start)
                u.blanks_dropped = not any(0 < s - at <= _STRAY_REACH for s in strays)
        # Short only of blank cells the layout dropped: its blank cells, places unknown (GK205).
        mt.unplaced = [Unplaced(u.row, u.got, u.want, u.span, u.figures) for u in aligned.unaligned if u.blanks_dropped]
        for u in aligned.unaligned:
            if u.label_cell is not None and u.row not in mt.row_labels:
                mt.row_labels[u.row] = u.label_cell  # the row is there, its numbers unplaced
        un = [u for u in aligned.unaligned if not u.blanks_dropped]
        if un:
            mt.missing.append(_unread_rows(un))
        if best is None or aligned.labels_found > best[0]:
            best = (aligned.labels_found, spec, mt, _badness(mt, spec), frozenset())
    if best is not None:
        _, spec, mt, bad, labelled = best
        line_by_line = by_spec.get(spec.key)
        # On a tie, the reading that lost fewer rows (the line splitter's may lose a row a page
        # break set apart where the aligned one finds a true typo), or that did not cut a header
        # label (a cell wrapped across a page break, read line by line as 「商」 and 「业企业」).
        # An unread reading wins over one that lost most of the rows whose labels it found.
        if (
            bad < _badness(line_by_line, spec)
            or (labelled and _lost_most(line_by_line, spec, labelled))
            or (
                bad == _badness(line_by_line, spec)
                and line_by_line is not None
                and not mt.unreliable
                and (len(mt.missing) < len(line_by_line.missing) or _cut_headers(mt) < _cut_headers(line_by_line))
            )
        ):
            by_spec[spec.key] = mt
            unclassified = []
    return list(by_spec.values()), unclassified


def _unread_rows(un: list[ShortRow]) -> Missing:
    """The one finding for the rows whose numbers could not be placed (``ShortRow``s): one named,
    or how many with one for example — short of numbers, or all there but out of order (``why``)."""
    u = next((x for x in un if x.why), un[0])
    if u.why:
        row = f"「{u.label}」行" if u.label_cell is not None else ""  # a table of one row: the table
        said = f"{row}读出的 {u.got} 个数（{u.figures}）次序不对：{u.why}"
        if len(un) == 1:
            return Missing("count", f"{said}，这些数各属于哪一列在这种版式中看不出", "row")
        return Missing("count", f"有 {len(un)} 行的数在这种版式中看不出各属于哪一列（如{said}）", "rows")
    if len(un) == 1:
        row = f"「{u.label}」行" if u.label_cell is not None else ""  # a table of one row: the table
        return Missing("count", f"{row}读出 {u.got} 个数，应为 {u.want} 个{u.apart}", "row")
    fewer = "少于" if all(x.got < x.want for x in un) else "不是"
    return Missing(
        "count",
        f"有 {len(un)} 行读出的数{fewer} {u.want} 个（如「{u.label}」行读出 {u.got} 个），"
        "这些数各属于哪一列在这种版式中看不出",
        "rows",
    )


def _select_template(
    options: ParseOptions, m: _meta.Meta, markers: dict[str, list[str]], knowledge: Knowledge
) -> tuple[Template, str]:
    if options.template and options.template != "auto":
        t = knowledge.templates.get(str(options.template))
        if t is not None:
            return t, "config"
    if m.year:
        t = knowledge.template_for_year(m.year)
        if t is not None:
            return t, "year"
    scored = sorted(((len(v), tid) for tid, v in markers.items() if v), reverse=True)
    if scored:
        return knowledge.templates[scored[0][1]], "markers"
    return knowledge.newest, "fallback"


def _signature_agency(doc: Document, m: _meta.Meta) -> str:
    """The agency name written just before the signature date."""
    if m.signature_date is None:
        return ""
    start = m.signature_date.span.start
    line = doc.line_of(start)
    before = doc.text[doc.line_starts[line - 1] : start].strip(" \t\u3000|")
    if not before and line > 1:
        ln = line - 1
        while ln > 1 and not doc.line_text(ln).strip():
            ln -= 1
        before = doc.line_text(ln).strip(" \t\u3000|")
    token = re.split(r"[\s。;；,，:：]+", before)[-1] if before else ""
    if not token or len(token) > 30:
        return ""
    if not re.search(r"(?:政府|局|委|办|厅|室|处|中心|院|镇|乡|街道|办事处)$", token):
        return ""
    m.signature_start = doc.text.rfind(token, 0, start)
    return token
