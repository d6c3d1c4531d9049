"""One self-contained HTML page per run: what a reviewer would rather look at.

The page has a summary per rule (how many findings, in how many reports),
then one section per report: its findings, the report's tables redrawn as
they appear in the report with failing cells marked (the cell a finding
points at, and the cells its explanation refers to), and the report's text
with every finding highlighted. Everything (styles, the small script that
filters findings by rule) is inline: the page can be mailed or archived as
one file.
"""
from __future__ import annotations

import html
from collections import Counter, defaultdict
from typing import IO, Any, Iterable, Sequence

from .. import __version__
from ..diagnostics import Diagnostic, Location
from ._common import line_index, rule_meta

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
    var off = new Set(Array.from(document.querySelectorAll('tr.rule-row.off')).map(function (r) { return r.dataset.code; }));
    document.querySelectorAll('li.finding').forEach(function (li) { li.classList.toggle('hidden', off.has(li.dataset.code)); });
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
        out.append(f'<mark class="hl-{_worst(d for _, d in covering)}"{anchor} title="{_e(title)}">{_e(segment)}</mark>')
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
            report = parse(Document(res.text, path=res.path), knowledge_for(settings),
                           ParseOptions(settings.template, settings.agency_level, settings.report_year))
        except Exception:  # a page without tables is still a page
            return []
    return list(report.tables) if report is not None else []


def _table_html(table: Any, primary: list[tuple[int, int, Diagnostic]], related: list[tuple[int, int, Diagnostic]]) -> str:
    spec = table.spec
    title = f"{spec.title}「{spec.name}」" if getattr(spec, "name", "") else spec.title
    rows = table.raw.rows
    width = max((len(r.cells) for r in rows), default=0)
    out = [f'<table class="report-table"><caption>{_e(title)}(第 {rows[0].line if rows else "?"} 行起)</caption>']
    for row in rows:
        out.append(f'<tr><th class="where">{row.line}</th>')
        for cell in row.cells:
            cs, ce = cell.span.start, cell.span.end

            def hits(items: list[tuple[int, int, Diagnostic]]) -> list[Diagnostic]:
                return [d for s, e, d in items if (s < ce and cs < e) or (s == e and cs <= s <= ce)
                        or (cs == ce and s <= cs < e)]

            found = hits(primary)
            near = hits(related)
            cls = f"cell-{_worst(found)}" if found else ("cell-related" if near else "")
            tip = "\n".join(f"{d.code} {d.message}" for d in found) or "\n".join(f"相关: {d.code} {d.message}" for d in near)
            attrs = (f' class="{cls}"' if cls else "") + (f' title="{_e(tip)}"' if tip else "")
            text = cell.text.strip() or "\u00a0"
            out.append(f"<td{attrs}>{_e(text)}</td>")
        out.extend("<td></td>" for _ in range(width - len(row.cells)))
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _rule_summary(results: Sequence[Any]) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    files: dict[str, set[str]] = defaultdict(set)
    for r in results:
        for d in r.diagnostics:
            counts[d.code][str(d.severity)] += 1
            files[d.code].add(r.path)
    if not counts:
        return ""
    out = ['<h2>按规则统计</h2><p class="where">点击一行可隐藏或显示该规则的问题。</p>',
           "<table><tr><th>代码</th><th>名称</th><th>错误</th><th>警告</th><th>提示</th><th>涉及报告</th><th>说明</th></tr>"]
    for code in sorted(counts):
        rule = rule_meta(code)
        c = counts[code]
        out.append(f'<tr class="rule-row" data-code="{_e(code)}"><td>{_e(code)}</td><td>{_e(rule.name if rule else "")}</td>'
                   f'<td class="num">{c["error"] or ""}</td><td class="num">{c["warning"] or ""}</td>'
                   f'<td class="num">{c["info"] or ""}</td><td class="num">{len(files[code])}</td>'
                   f'<td>{_e(rule.summary() if rule else "")}</td></tr>')
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
        label = f'<a href="#{target}" title="{_e(r.message)}">{where}</a>' if linked else f'<span title="{_e(r.message)}">{where}</span>'
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
            out.append(f'<li class="finding" data-code="{_e(d.code)}"><span class="sev-{d.severity}">'
                       f'{_e(d.code)} {_LABEL[str(d.severity)]}</span> <span class="where">[{_e(d.name)}] {link}</span> '
                       f"{_e(d.message)}")
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
        out.append(f'<details{" open" if res.diagnostics else ""}><summary><h3>报告原文</h3></summary>')
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
        headline = f"检查了 {len(results)} 份报告,共发现 {total} 个问题({parts}),涉及 {files_with} 份报告。"
    else:
        headline = f"检查了 {len(results)} 份报告,没有发现问题。"
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<meta name="generator" content="gikcheck {_e(__version__)}">',
           "<title>gikcheck 检查报告</title>", f"<style>{CSS}</style></head><body>",
           "<h1>政府信息公开工作年度报告检查结果</h1>", f"<p>{_e(headline)}</p>"]
    if len(results) > 1:
        out.append("<h2>报告一览</h2><table><tr><th>报告</th><th>错误</th><th>警告</th><th>提示</th></tr>")
        for n, r in enumerate(results):
            c = Counter(str(d.severity) for d in r.diagnostics)
            out.append(f'<tr><td><a href="#r{n}">{_e(r.path)}</a></td><td class="num">{c["error"]}</td>'
                       f'<td class="num">{c["warning"]}</td><td class="num">{c["info"]}</td></tr>')
        out.append("</table>")
    out.append(_rule_summary(results))
    out.extend(_file_section(n, r) for n, r in enumerate(results))
    out.append(f"<script>{SCRIPT}</script></body></html>\n")
    stream.write("\n".join(out))
