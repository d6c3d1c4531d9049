"""One self-contained HTML page per run: what a reviewer would rather look at.

The page has a summary per rule (how many findings, in how many reports),
then one section per report: its findings, the report's tables redrawn
on the template's grid (each figure under its own column header, group
headers spanning their columns) with failing cells marked (the cell a finding
points at, and the cells its explanation refers to), and the report's text
with every finding highlighted. Everything (styles, the small script that
filters findings by rule) is inline: the page can be mailed or archived as
one file.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from .. import TYPE_CHECKING, __version__
from ..diagnostics import Diagnostic, Location
from ._common import line_index, rule_meta

if TYPE_CHECKING:
    from typing import IO, Any

_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
_RANK = {"error": 3, "warning": 2, "info": 1}

CSS = """
:root { --err: #c62828; --warn: #b26a00; --info: #1565c0; --rel: #6a1b9a; }
* { box-sizing: border-box; }
body { font: 15px/1.6 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 0 auto; max-width: 1200px; padding: 1em 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; border-bottom: 2px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.1em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #bbb; padding: .2em .5em; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
.num { text-align: right; }
.sev-error { color: var(--err); font-weight: bold; } .sev-warning { color: var(--warn); font-weight: bold; }
.sev-info { color: var(--info); font-weight: bold; }
mark { background: none; border-bottom: 2px solid; padding: 0; }
mark.hl-error { background: #ffebee; border-color: var(--err); }
mark.hl-warning { background: #fff3e0; border-color: var(--warn); }
mark.hl-info { background: #e3f2fd; border-color: var(--info); }
mark.point { border: 0; border-left: 3px solid var(--err); }
td.cell-error { background: #ffcdd2; outline: 2px solid var(--err); }
td.cell-warning { background: #ffe0b2; outline: 2px solid var(--warn); }
td.cell-info { background: #bbdefb; }
td.cell-related { background: #f3e5f5; outline: 1px dashed var(--rel); }
th.cell-error { background: #ffcdd2; } th.cell-warning { background: #ffe0b2; } th.cell-related { background: #f3e5f5; }
th.row-label, th.block { font-weight: normal; } th.col-head { text-align: center; }
.absent { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #eee 4px, #eee 8px); color: #999; }
.unplaced { text-align: center; font-style: italic; }
.source { font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace; font-size: 14px; border: 1px solid #ddd;
          background: #fafafa; overflow-x: auto; }
.line { display: flex; white-space: pre-wrap; word-break: break-all; }
.line .no { flex: none; width: 4em; text-align: right; padding-right: .8em; color: #999; user-select: none; }
.line .tx { flex: 1; }
ol.findings li { margin: .3em 0; }
.help { color: #555; }
.where { color: #777; font-size: .9em; }
tr.rule-row { cursor: pointer; } tr.rule-row.off { opacity: .4; }
li.hidden { display: none; }
.clean { color: #2e7d32; font-weight: bold; }
summary { cursor: pointer; } summary h3 { display: inline; }
"""

SCRIPT = """
document.querySelectorAll('tr.rule-row').forEach(function (row) {
  row.addEventListener('click', function () {
    row.classList.toggle('off');
    var off = new Set(Array.from(document.querySelectorAll('tr.rule-row.off'))
      .map(function (r) { return r.dataset.code; }));
    document.querySelectorAll('li.finding').forEach(function (li) {
      li.classList.toggle('hidden', off.has(li.dataset.code));
    });
  });
});
document.documentElement.dataset.ready = String(document.querySelectorAll('li.finding').length);
"""


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


class _Offsets:
    """1-based (line, code-point column) → offsets in a report's text."""

    def __init__(self, text: str) -> None:
        self.index = line_index(text)
        self.n = len(text)

    def offset(self, line: int, column: int) -> int:
        starts = self.index.line_starts
        line = min(max(line, 1), len(starts))
        return min(starts[line - 1] + max(column, 1) - 1, self.n)

    def span(self, loc: Location) -> tuple[int, int]:
        s = self.offset(loc.line, loc.column)
        e = self.offset(loc.end_line, loc.end_column)
        return s, max(s, e)


def _worst(diags: Iterable[Diagnostic]) -> str:
    return max((str(d.severity) for d in diags), key=lambda s: _RANK[s], default="info")


def _highlighted_text(text: str, marks: list[tuple[int, int, str, Diagnostic]]) -> str:
    """The text, line by line, with findings' spans as <mark> (overlaps split into segments)."""
    index = line_index(text)
    bounds = set(index.line_starts) | {len(text)}
    line_starts = set(index.line_starts)
    points: dict[int, list[tuple[str, Diagnostic]]] = defaultdict(list)
    for s, e, k, d in marks:
        if e > s:
            bounds.update((s, e))
        else:
            points[s].append((k, d))
            bounds.add(s)
    cuts = sorted(b for b in bounds if 0 <= b <= len(text))
    first_seen: set[str] = set()
    out = ['<div class="source">']
    line_no = 0
    line_open = False
    for i, start in enumerate(cuts):
        if start == len(text) and start in line_starts and line_open and not points.get(start):
            break  # the empty "line" after a final newline
        if start in line_starts or not line_open:
            if line_open:
                out.append("</span></div>")
            line_no = index.position(start)[0]
            out.append(f'<div class="line"><span class="no">{line_no}</span><span class="tx">')
            line_open = True
        for k, d in points.get(start, ()):
            anchor = f' id="{_e(k)}"' if k not in first_seen else ""
            first_seen.add(k)
            out.append(f'<mark class="point hl-{d.severity}"{anchor} title="{_e(f"{d.code} {d.message}")}"></mark>')
        end = cuts[i + 1] if i + 1 < len(cuts) else len(text)
        if end <= start:
            continue
        segment = text[start:end]
        if end in line_starts or end == len(text):
            segment = segment.rstrip("\n").rstrip("\r")
        covering = [(k, d) for s, e, k, d in marks if s <= start < e]
        if not covering:
            out.append(_e(segment))
            continue
        ids = [k for k, _ in covering if k not in first_seen]
        first_seen.update(ids)
        anchor = f' id="{_e(ids[0])}"' if ids else ""
        title = "\n".join(f"{d.code} {d.message}" for _, d in covering)
        out.append(
            f'<mark class="hl-{_worst(d for _, d in covering)}"{anchor} title="{_e(title)}">{_e(segment)}</mark>'
        )
    if line_open:
        out.append("</span></div>")
    out.append("</div>")
    return "".join(out)


def _report_tables(res: Any) -> list[Any]:
    """The report's recognised tables (re-parsed from the text when the parse tree was dropped)."""
    report = getattr(res, "report", None)
    if report is None and res.text:
        try:
            from ..config import Settings
            from ..document import Document
            from ..engine import knowledge_for
            from ..parsing.report import ParseOptions, parse

            settings = res.settings or Settings()
            report = parse(
                Document(res.text, path=res.path),
                knowledge_for(settings),
                ParseOptions(settings.template, settings.agency_level, settings.report_year),
            )
        except Exception:  # a page without tables is still a page
            return []
    return list(report.tables) if report is not None else []


_Spans = list[tuple[int, int, Diagnostic]]


def _hits(items: _Spans, cs: int, ce: int) -> list[Diagnostic]:
    """The findings whose span touches [cs, ce) (points and empty cells included)."""
    return [d for s, e, d in items if (s < ce and cs < e) or (s == e and cs <= s <= ce) or (cs == ce and s <= cs < e)]


def _marked(
    tag: str, text: str, spans: list[tuple[int, int]], primary: _Spans, related: _Spans, extra: str = "", cls: str = ""
) -> str:
    """A <td>/<th> marked with the findings on any of ``spans``."""
    found: list[Diagnostic] = []
    near: list[Diagnostic] = []
    for cs, ce in spans:
        found += [d for d in _hits(primary, cs, ce) if d not in found]
        near += [d for d in _hits(related, cs, ce) if d not in near]
    classes = [c for c in (cls, f"cell-{_worst(found)}" if found else ("cell-related" if near else "")) if c]
    tip = "\n".join(f"{d.code} {d.message}" for d in found) or "\n".join(f"相关：{d.code} {d.message}" for d in near)
    attrs = (f' class="{" ".join(classes)}"' if classes else "") + (f' title="{_e(tip)}"' if tip else "") + extra
    return f"<{tag}{attrs}>{_e(text) if text else chr(0xA0)}</{tag}>"


def _span_attrs(rowspan: int = 1, colspan: int = 1) -> str:
    return (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")


def _table_html(table: Any, primary: _Spans, related: _Spans) -> str:
    """The table redrawn on the template's grid: every figure under its own column header."""
    spec = table.spec
    title = f"{spec.title}「{spec.name}」" if getattr(spec, "name", "") else spec.title
    rows = table.raw.rows
    out = [
        f'<table class="report-table" data-table="{_e(spec.key)}">'
        f"<caption>{_e(title)}(第 {rows[0].line if rows else '?'} 行起)</caption>"
    ]
    out.extend(_blocks_body(table, primary, related) if spec.kind == "blocks" else _grid_body(table, primary, related))
    out.append("</table>")
    if table.extras:
        found = "、".join(f"「{x.text}」" for x in table.extras[:12])
        out.append(f'<p class="where">未对应到{_e(spec.title)}格式的行或列:{_e(found)}</p>')
    return "".join(out)


def _value_cell(table: Any, row_key: str, col_id: str, primary: _Spans, related: _Spans, colspan: int = 1) -> str:
    mc = table.cells.get((row_key, col_id))
    extra = f' data-row="{_e(row_key)}" data-col="{_e(col_id)}"' + _span_attrs(1, colspan)
    if mc is None:
        return f'<td class="absent" title="报告中没有这一格"{extra}>{chr(0xA0)}</td>'
    return _marked("td", mc.cell.text.strip(), [(mc.cell.span.start, mc.cell.span.end)], primary, related, extra, "num")


def _unplaced_cell(table: Any, row_key: str, width: int, primary: _Spans, related: _Spans) -> str | None:
    """A row whose figures the layout did not place (blank cells drawn as spaces): its figures as
    read, across its value columns, rather than cells that would show a guess or nothing."""
    u = next((u for u in getattr(table, "unplaced", ()) if u.row == row_key), None)
    if u is None:
        return None
    extra = f' data-row="{_e(row_key)}"' + _span_attrs(1, width)
    return _marked(
        "td", f"{u.figures}（看不出各在哪一列）", [(u.span.start, u.span.end)], primary, related, extra, "unplaced"
    )


def _label_cell(
    table: Any,
    row_key: str,
    label: str,
    primary: _Spans,
    related: _Spans,
    rowspan: int = 1,
    colspan: int = 1,
    group: bool = False,
) -> str:
    found = table.row_labels.get(row_key)
    extra = _span_attrs(rowspan, colspan)
    # Where the report wrote this label (a misspelt group label is known only by its issue).
    spans = [(found.span.start, found.span.end)] if found is not None else []
    written = found.text.strip() if found is not None else ""
    for issue in table.label_issues:
        if issue.kind != "column" and issue.expected == label:
            spans.append((issue.span.start, issue.span.end))
            written = written or issue.found.strip()
    if not spans:
        if group:  # a group's label carries no figures: drawn, not checked
            return f'<th class="row-label"{extra}>{_e(label)}</th>'
        return f'<th class="absent" title="报告中没有这一行"{extra}>{_e(label)}</th>'
    if written and written != label:
        extra += f' data-written="{_e(written)}"'
    return _marked("th", label, spans, primary, related, extra, "row-label")


def _head_cell(table: Any, text: str, rowspan: int, colspan: int, primary: _Spans, related: _Spans) -> str:
    """A column header, marked when the report wrote that column's label wrongly (GK203)."""
    spans = [(i.span.start, i.span.end) for i in table.label_issues if i.kind == "column" and i.expected == text]
    written = next((i.found.strip() for i in table.label_issues if i.kind == "column" and i.expected == text), "")
    extra = _span_attrs(rowspan, colspan) + (f' data-written="{_e(written)}"' if written and written != text else "")
    if not spans:
        return f'<th class="col-head"{extra}>{_e(text)}</th>'
    return _marked("th", text, spans, primary, related, extra, "col-head")


def _columns(table: Any) -> list[tuple[str, str, str]]:
    """(column id, label, group id) in the template's order; an optional subtotal column
    that a report adds (法人或其他组织) sits first in its group, as 「小计」."""
    spec = table.spec
    groups = {c.group for c in spec.columns if c.group}
    cols = [(c.id, c.label, c.group) for c in spec.columns]
    present = list(table.columns)
    for opt in spec.optional_columns:
        if opt.id not in present:
            continue
        after = present[present.index(opt.id) + 1 :]
        nxt = next((i for i, (cid, _, _) in enumerate(cols) if cid in after), len(cols))
        cols.insert(nxt, (opt.id, "小计", opt.id) if opt.id in groups else (opt.id, opt.label, ""))
    return cols


def _header_paths(table: Any, cols: list[tuple[str, str, str]]) -> list[list[str | None]]:
    """Per column: [spanning header, group header, label], None where the template has none.

    A header label that names neither a group nor a column spans: all columns when it comes
    first (表三「申请人情况」), else the groups named after it (表四「行政诉讼」).
    """
    spec = table.spec

    def gname(g: str) -> str:
        c = spec.column(g)
        return c.label if c is not None else g

    names = {g: gname(g) for _, _, g in cols if g}
    labels = {label for _, label, _ in cols}
    heads = list(getattr(spec, "header_labels", ()))
    spanning: dict[str, str] = {}
    for i, h in enumerate(heads):
        if h in names.values() or h in labels:
            continue
        covered = set(names) if i == 0 else {g for g, n in names.items() if n in heads[i + 1 :]}
        for cid, _, g in cols:
            if (i == 0 or g in covered) and cid not in spanning:
                spanning[cid] = h
    return [[spanning.get(cid), names.get(g) if g else None, label] for cid, label, g in cols]


def _header_rows(paths: list[list[str | None]]) -> list[list[tuple[str, int, int]]]:
    """Header rows of (text, rowspan, colspan): each element runs down to its own level, a
    label to the bottom; equal neighbours merge."""
    used = [lvl for lvl in range(3) if any(p[lvl] is not None for p in paths)]
    depth = len(used)
    # Per column: {row: (text, key, rowspan)} where an element starts.
    starts: list[dict[int, tuple[str, tuple, int]]] = []
    for p in paths:
        present = [(used.index(lvl), p[lvl]) for lvl in used if p[lvl] is not None]
        mine: dict[int, tuple[str, tuple, int]] = {}
        top = 0
        for k, (row, text) in enumerate(present):
            bottom = depth - 1 if k == len(present) - 1 else row
            key = tuple(t for _, t in present[: k + 1])
            mine[top] = (str(text), key, bottom - top + 1)
            top = bottom + 1
        starts.append(mine)
    out: list[list[tuple[str, int, int]]] = []
    for r in range(depth):
        line: list[tuple[str, int, int]] = []
        c = 0
        while c < len(paths):
            el = starts[c].get(r)
            if el is None:
                c += 1
                continue
            n = 1
            # Leaves never merge (two 「总计」 are two columns); groups do.
            while (
                c + n < len(paths)
                and starts[c + n].get(r) is not None
                and starts[c + n][r][1] == el[1]
                and el[2] + r < depth
            ):
                n += 1
            line.append((el[0], el[2], n))
            c += n
        out.append(line)
    return out


def _grid_body(table: Any, primary: _Spans, related: _Spans) -> list[str]:
    spec = table.spec
    cols = _columns(table)
    header = _header_rows(_header_paths(table, cols))
    by_id = {r.id: r for r in spec.rows}

    def depth(r: Any) -> int:
        d = 0
        while r.parent and r.parent in by_id:
            r, d = by_id[r.parent], d + 1
        return d

    carries = {rid for rid, _ in table.cells}
    shown = [r for r in spec.rows if not r.group or r.id in carries]
    label_cols = 0 if spec.single_row else 1 + max((depth(r) for r in spec.rows), default=0)
    out = []
    for i, line in enumerate(header):
        cells = []
        if i == 0 and label_cols:
            corner = getattr(spec, "row_label_column", "") or ""
            cells.append(f"<th{_span_attrs(len(header), label_cols)}>{_e(corner) or chr(0xA0)}</th>")
        cells += [_head_cell(table, text, rs, cs, primary, related) for text, rs, cs in line]
        out.append("<tr>" + "".join(cells) + "</tr>")

    def under(g: Any) -> int:
        """Rows drawn under a group: its own (when it carries figures) and its descendants'."""
        n = 1 if g.id in carries else 0
        return n + sum(under(c) if c.group else 1 for c in spec.rows if c.parent == g.id)

    opened: set[str] = set()
    for r in shown:
        cells = []
        if label_cols:
            chain = []
            a = r
            while a.parent and a.parent in by_id:
                a = by_id[a.parent]
                chain.append(a)
            for g in reversed(chain):
                if g.id not in opened:
                    opened.add(g.id)
                    cells.append(_label_cell(table, g.id, g.label, primary, related, rowspan=under(g), group=True))
            d = depth(r)
            if r.group:  # a group row with figures of its own: its label spans its rows
                opened.add(r.id)
                cells.append(_label_cell(table, r.id, r.label, primary, related, rowspan=under(r)))
                if label_cols - d - 1:
                    cells.append(f"<th{_span_attrs(1, label_cols - d - 1)}>{chr(0xA0)}</th>")
            else:
                cells.append(_label_cell(table, r.id, r.label, primary, related, colspan=label_cols - d))
        unplaced = _unplaced_cell(table, r.id, len(cols), primary, related)
        cells += [unplaced] if unplaced else [_value_cell(table, r.id, cid, primary, related) for cid, _, _ in cols]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out


def _blocks_body(table: Any, primary: _Spans, related: _Spans) -> list[str]:
    """表二: per block its heading, its column header and its rows (a block with fewer
    columns than the widest lets its last cell span the rest)."""
    spec = table.spec
    width = max((len(b.columns) for b in spec.blocks), default=1)
    corner = getattr(spec, "row_label_column", "") or "信息内容"
    out = []
    for b in spec.blocks:
        out.append(f'<tr><th class="block"{_span_attrs(1, width + 1)}>{_e(b.heading)}</th></tr>')
        heads = [f"<th>{_e(corner)}</th>"]
        for k, c in enumerate(b.columns):
            span = width - len(b.columns) + 1 if k == len(b.columns) - 1 else 1
            heads.append(_head_cell(table, c.label, 1, span, primary, related))
        out.append("<tr>" + "".join(heads) + "</tr>")
        for r in b.rows:
            key = f"{b.id}.{r.id}"
            cells = [_label_cell(table, key, r.label, primary, related)]
            unplaced = _unplaced_cell(table, key, width, primary, related)
            for k, c in enumerate(b.columns if unplaced is None else ()):
                span = width - len(b.columns) + 1 if k == len(b.columns) - 1 else 1
                cells.append(_value_cell(table, key, c.id, primary, related, colspan=span))
            if unplaced:
                cells.append(unplaced)
            out.append("<tr>" + "".join(cells) + "</tr>")
    return out


def _rule_summary(results: Sequence[Any]) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    files: dict[str, set[str]] = defaultdict(set)
    for r in results:
        for d in r.diagnostics:
            counts[d.code][str(d.severity)] += 1
            files[d.code].add(r.path)
    if not counts:
        return ""
    out = [
        '<h2>按规则统计</h2><p class="where">点击一行可隐藏或显示该规则的问题。</p>',
        "<table><tr><th>代码</th><th>名称</th><th>错误</th><th>警告</th><th>提示</th><th>涉及报告</th><th>说明</th></tr>",
    ]
    for code in sorted(counts):
        rule = rule_meta(code)
        c = counts[code]
        out.append(
            f'<tr class="rule-row" data-code="{_e(code)}"><td>{_e(code)}</td><td>{_e(rule.name if rule else "")}</td>'
            f'<td class="num">{c["error"] or ""}</td><td class="num">{c["warning"] or ""}</td>'
            f'<td class="num">{c["info"] or ""}</td><td class="num">{len(files[code])}</td>'
            f"<td>{_e(rule.summary() if rule else '')}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def _places_html(d: Diagnostic, anchor: str, linked: bool) -> str:
    """The places of a grouped finding, each linked to its mark in the text."""
    items = []
    for i, r in enumerate(d.related):
        if r.location is None:
            continue
        where = f"{r.location.line}:{r.location.column}"
        target = anchor if i == 0 else f"{anchor}-p{i}"
        label = (
            f'<a href="#{target}" title="{_e(r.message)}">{where}</a>'
            if linked
            else f'<span title="{_e(r.message)}">{where}</span>'
        )
        items.append(label)
    return f'<br><span class="where">共 {d.occurrences} 处: {", ".join(items)}</span>'


def _file_section(n: int, res: Any) -> str:
    counts = Counter(str(d.severity) for d in res.diagnostics)
    parts = "、".join(f"{counts[k]} 个{_LABEL[k]}" for k in ("error", "warning", "info") if counts[k])
    out = [f'<section class="report" id="r{n}"><h2>{_e(res.path)}</h2>']
    if not res.diagnostics:
        out.append('<p class="clean">✔ 没有发现问题。</p>')
    else:
        out.append(f"<p>{parts}。</p>")
    offsets = _Offsets(res.text) if res.text is not None else None
    marks: list[tuple[int, int, str, Diagnostic]] = []
    primary: list[tuple[int, int, Diagnostic]] = []
    related: list[tuple[int, int, Diagnostic]] = []
    if res.diagnostics:
        out.append('<ol class="findings">')
        for k, d in enumerate(res.diagnostics):
            anchor = f"r{n}-d{k}"
            loc = d.location or Location(1, 1, 1, 1)
            where = f"第 {loc.line} 行第 {loc.column} 列"
            link = f'<a href="#{anchor}">{where}</a>' if offsets is not None else where
            out.append(
                f'<li class="finding" data-code="{_e(d.code)}"><span class="sev-{d.severity}">'
                f'{_e(d.code)} {_LABEL[str(d.severity)]}</span> <span class="where">[{_e(d.name)}] {link}</span> '
                f"{_e(d.message)}"
            )
            if d.grouped:
                out.append(_places_html(d, anchor, offsets is not None))
            if d.help:
                out.append(f'<br><span class="help">帮助: {_e(d.help)}</span>')
            out.append("</li>")
            if offsets is not None and d.location is not None:
                s, e = offsets.span(d.location)
                marks.append((s, e, anchor, d))
                primary.append((s, e, d))
                for i, r in enumerate(d.related):
                    if r.location is not None:
                        rs, re_ = offsets.span(r.location)
                        if d.grouped:  # each place of a grouped finding is a place of the defect
                            if i:
                                marks.append((rs, re_, f"{anchor}-p{i}", d))
                            primary.append((rs, re_, d))
                        else:
                            related.append((rs, re_, d))
        out.append("</ol>")
    if res.text is not None:
        tables = _report_tables(res)
        if tables:
            out.append("<h3>表格</h3>")
            out.extend(_table_html(t, primary, related) for t in tables)
        # Open when there is something to see in it; a clean report's text stays folded.
        out.append(f"<details{' open' if res.diagnostics else ''}><summary><h3>报告原文</h3></summary>")
        out.append(_highlighted_text(res.text, marks))
        out.append("</details>")
    out.append("</section>")
    return "".join(out)


def render(results: Sequence[Any], stream: IO[str], options: dict[str, Any]) -> None:
    counts = Counter(str(d.severity) for r in results for d in r.diagnostics)
    total = sum(counts.values())
    files_with = sum(1 for r in results if r.diagnostics)
    if total:
        parts = "、".join(f"{counts[k]} 个{_LABEL[k]}" for k in ("error", "warning", "info") if counts[k])
        headline = f"检查了 {len(results)} 份报告，共发现 {total} 个问题（{parts}），涉及 {files_with} 份报告。"
    else:
        headline = f"检查了 {len(results)} 份报告，没有发现问题。"
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="gikcheck {_e(__version__)}">',
        "<title>gikcheck 检查报告</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>政府信息公开工作年度报告检查结果</h1>",
        f"<p>{_e(headline)}</p>",
    ]
    if len(results) > 1:
        out.append("<h2>报告一览</h2><table><tr><th>报告</th><th>错误</th><th>警告</th><th>提示</th></tr>")
        for n, r in enumerate(results):
            c = Counter(str(d.severity) for d in r.diagnostics)
            out.append(
                f'<tr><td><a href="#r{n}">{_e(r.path)}</a></td><td class="num">{c["error"]}</td>'
                f'<td class="num">{c["warning"]}</td><td class="num">{c["info"]}</td></tr>'
            )
        out.append("</table>")
    out.append(_rule_summary(results))
    out.extend(_file_section(n, r) for n, r in enumerate(results))
    out.append(f"<script>{SCRIPT}</script></body></html>\n")
    stream.write("\n".join(out))
