"""GK3xx (prose part): figures in the running text against the tables and against each other.

Figures are read from the normalised shadow of the text (gikcheck.prose);
what a figure counts and which table cell states the same fact is data in
rules/prose.toml. GK305/GK310 compare prose with 表二/表三/表四 and only
speak when the table was parsed and the cell holds a valid number.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Severity, Span
from ..memo import once
from ..parsing.tables import MappedCell, MappedTable
from ..plugins import hookimpl
from ..prose.analysis import Breakdown, breakdowns, shares
from ..prose.figures import Figure, ProseText, prose_config
from ..prose.subjects import CellRef, Subject, subject_label, subject_map
from ..reflow import prose_view
from ..rule import Rule, RuleContext
from .naming import col_title, row_title

_MAX_TERMS = 8


def prose_text(report) -> ProseText:
    """The report's figures, computed once per report and shared by the rules of this module."""
    return once(report, _build_prose_text)


def _build_prose_text(report) -> ProseText:
    exclude = [t.span for t in report.blocks.tables]
    # Sentences a layout wrapped are read whole, without the page numbers between their lines.
    return ProseText(report.doc.text, prose_view(report), prose_config(report.knowledge), exclude=exclude)


def _num(v: float | int) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _fig_text(f: Figure) -> str:
    return f"{f.shown()}" if f.is_percent else f"{f.shown()} {f.unit}"


def _label(pt: ProseText, f: Figure) -> str:
    """The words naming what ``f`` counts (概况信息 in 概况信息2条); segments with jieba on first use."""
    return subject_label(pt.lead(f), pt.config)


# --- table cells -----------------------------------------------------------


class _Cell:
    __slots__ = ("mt", "row", "col", "cell", "value")

    def __init__(self, mt: MappedTable, row: str, col: str, cell: MappedCell, value: float) -> None:
        self.mt = mt
        self.row = row  # row key ("new", "art20_1.normative", "data")
        self.col = col
        self.cell = cell
        self.value = value  # cell.value, never None here


def _resolve(report, ref: CellRef) -> _Cell | None:
    mt = report.table(ref.table)
    if mt is None:
        return None
    for col in ref.columns:
        cell = mt.cells.get((ref.row, col))
        if cell is not None:
            return _Cell(mt, ref.row, col, cell, cell.value) if cell.value is not None else None
    return None


def _cells(report, subject: Subject) -> list[_Cell] | None:
    """The subject's cells, or None when any of them is missing or invalid (nothing to compare)."""
    out = []
    for ref in subject.cells:
        r = _resolve(report, ref)
        if r is None:
            return None
        out.append(r)
    return out or None


def _cell_desc(mt: MappedTable, row: str, col: str) -> str:
    if mt.spec.single_row:
        return f"「{col_title(mt, col)}」"
    if "." in row:  # 表二: 第二十条第（一）项「行政规范性文件」「本年制发件数」
        return f"{row_title(mt, row)}「{col_title(mt, col, row)}」"
    return f"「{row_title(mt, row)}」{col_title(mt, col)}"


def _table_side(cells: list[_Cell]) -> tuple[str, float, list[tuple[str, Span]]]:
    """How the message names the cells, their sum, and a related span per cell."""
    total = sum(h.value for h in cells)
    related = [
        (f"{h.mt.spec.title}{_cell_desc(h.mt, h.row, h.col)}为 {_num(h.value)}", h.cell.cell.span) for h in cells
    ]
    title = cells[0].mt.spec.title
    if len(cells) == 1:
        return f"{title}{_cell_desc(cells[0].mt, cells[0].row, cells[0].col)}为 {_num(total)}", total, related
    parts = "与".join(f"{_cell_desc(h.mt, h.row, h.col)}({_num(h.value)})" for h in cells)
    return f"{title}{parts}之和为 {_num(total)}", total, related


def _table_facts(report, pt: ProseText) -> list[tuple[Figure, Subject, list[_Cell]]]:
    """The figures that state a table's fact, with the subject and its cells (once per report: GK305 and GK310)."""
    return once(report, _build_table_facts, pt)


def _build_table_facts(report, pt: ProseText) -> list[tuple[Figure, Subject, list[_Cell]]]:
    sm = subject_map(pt.config)
    facts = []
    for f, subject in sm.stated(pt, pt.count_units):
        if f.approx or (isinstance(f.value, float) and not f.value.is_integer()):
            continue
        cells = _cells(report, subject)
        if cells is not None:
            facts.append((f, subject, cells))
    return facts


class ProseTableMismatch(Rule):
    """正文中的数字与表格中对应的数字不一致

    **检查什么** 正文中说明的数字（收到政府信息公开申请 N 件、上年结转 N 件、结转下年度 N 件、
    政府信息公开行政复议 N 件、行政诉讼 N 件、制发/废止/现行有效行政规范性文件 N 件等），
    必须与表二、表三、表四中对应单元格的数字一致。正文说有 N 件而表格为 0 的，也在此报告。
    正文数字与表格单元格的对应关系见 rules/prose.toml；只有在表格被识别、单元格是有效数字时才比较。

    **依据** 《条例》第五十条：年度报告的正文和统计表报告的是同一年度的同一批数据；
    国办公开办函〔2021〕30号（四）把"发布内容不准确不全面"列为应追究责任的问题。

    **错误示例** （二）依申请公开。全年收到政府信息公开申请5件,均已按期答复。
    (表三「一、本年新收政府信息公开申请数量」总计为 3)

    **正确示例** （二）依申请公开。全年收到政府信息公开申请3件,均已按期答复。
    """

    code = "GK305"
    name = "prose-table-mismatch"
    examples_in = "2021 line:（二）依申请公开"
    requires = ("tables",)

    def check(self, report, ctx):
        pt = prose_text(report)
        for f, subject, cells in _table_facts(report, pt):
            side, value, related = _table_side(cells)
            if abs(value - f.value) < 1e-9 or f.value == 0:
                continue  # equal, or a "0 件" against a non-zero cell (GK310's business)
            yield ctx.diagnostic(
                f.span,
                f"正文称{subject.label} {_fig_text(f)},{side}",
                help="核对正文与统计表：两处说的是同一件事，数字应当一致",
                related=related,
                anchor=f"prose:{subject.id}:{_num(f.value)}",
            )


class StatementContradiction(Rule):
    """正文称"没有"而表格中数字不为零（或正文称 0 件而表格不为 0）

    **检查什么** 正文说本年度未收到政府信息公开申请、未发生政府信息公开行政复议或行政诉讼、
    没有上年结转或结转下年度的申请（未收到、未发生、没有、无、不存在、0 件等），
    而表三、表四中对应的数字不为零。正文说有 N 件而表格为 0 的，由 GK305 报告。

    **依据** 《条例》第五十条：年度报告的正文和统计表报告的是同一年度的同一批数据；
    国办公开办函〔2021〕30号（四）把"发布内容不准确不全面"列为应追究责任的问题。

    **错误示例** （二）依申请公开。本年度未收到政府信息公开申请。(表三「一、本年新收政府信息公开申请数量」总计为 3)

    **正确示例** （二）依申请公开。全年收到政府信息公开申请3件,均已按期答复。
    """

    code = "GK310"
    name = "statement-contradiction"
    examples_in = "2021 line:（二）依申请公开"
    requires = ("tables",)

    def check(self, report, ctx):
        pt = prose_text(report)
        for f, subject, cells in _table_facts(report, pt):
            side, value, related = _table_side(cells)
            if f.value == 0 and value != 0:
                yield ctx.diagnostic(
                    f.span,
                    f"正文称{subject.label} 0 {f.unit}，但{side}",
                    help="核对正文与统计表：正文说没有，表格却有数字",
                    related=related,
                    anchor=f"prose-none:{subject.id}:figure",
                )
        sm = subject_map(pt.config)
        for found, s0, s1 in sm.none_statements(pt):
            span = pt.source_span(s0, s1)
            if pt.excluded(span):
                continue
            for subject in found:
                stated = _cells(report, subject)
                if stated is None:
                    continue
                side, value, related = _table_side(stated)
                if value == 0:
                    continue
                said = pt.source[span.start : span.end]
                yield ctx.diagnostic(
                    span,
                    f"正文称「{said}」，但{side}",
                    help="核对正文与统计表：正文说没有，表格却有数字",
                    related=related,
                    anchor=f"prose-none:{subject.id}:{said}",
                )


class PartsVsTotal(Rule):
    """一句话中给出的总数与其分项不符

    **检查什么** 正文给出一个总数和它的分项（共 N 条，其中 A a 条、B b 条……）：
    分项之和超过总数；或者分项是完整的列举（以"其中""分别为"引出、没有"等""主要"之类的字样，
    或以"其他"一项收尾），其和却不等于总数。约数（30余条、1000多条）和累计数的"其中"（子集）不检查。

    **依据** 国办公开办函〔2021〕30号（四）把"发布内容不准确不全面"列为应追究责任的问题；
    同一句话中的总数与分项、百分比与其计算基数自相矛盾，至少有一处不准确。

    **错误示例** "主动公开政府信息共70条，其中概况信息2条，工作动态信息29条，其他信息15条。"(2+29+15=46)

    **正确示例** "主动公开政府信息共46条，其中概况信息2条，工作动态信息29条，其他信息15条。"
    """

    code = "GK306"
    name = "parts-vs-total"
    examples_in = "2021 para:六、"
    default_severity = Severity.WARNING

    def check(self, report, ctx):
        pt = prose_text(report)
        for bd in breakdowns(pt):
            if bd.balanced or bd.total.approx or any(p.approx for p in bd.parts):
                continue
            if bd.exceed_at is not None:
                parts = bd.parts[: bd.exceed_at + 1]
                verdict = "超过总数"
            elif bd.exhaustive and sum(p.value for p in bd.parts) < bd.total.value:
                parts = bd.parts
                verdict = f"少于总数 {_num(bd.total.value - sum(p.value for p in parts))} {bd.total.unit}"
            else:
                continue
            yield self._diag(pt, ctx, bd, parts, verdict)

    @staticmethod
    def _diag(pt: ProseText, ctx: RuleContext, bd: Breakdown, parts: list[Figure], verdict: str) -> Diagnostic:
        total = bd.total
        label = _label(pt, total)
        s = sum(p.value for p in parts)
        terms = "+".join(f"{_label(pt, p) or '?'}({p.shown()})" for p in parts[:_MAX_TERMS])
        if len(parts) > _MAX_TERMS:
            terms += "+…"
        what = f"「{label}」" if label else ""
        return ctx.diagnostic(
            total.span,
            f"正文称{what}共 {_fig_text(total)}，其中各项之和为 {_num(s)}({terms}),{verdict}",
            help="核对总数和各分项；分项不完整时写明「等」或「主要有」",
            related=[(f"{_label(pt, p) or '分项'} {_fig_text(p)}", p.span) for p in parts[:_MAX_TERMS]],
            anchor=f"prose-parts:{label}:{_num(total.value)}",
        )


class Percentage(Rule):
    """正文中的百分比与"分项 ÷ 总数"不符

    **检查什么** 正文中"占 P%"的百分比，按其前面的数字除以总数计算后，与所写的 P
    相差超过 P 最后一位的舍入误差（写一位小数时超过 0.05 个百分点）。总数取同一句给出的总数、
    该组分项所属的总数，或（各百分比合计约为 100% 时）各分项之和。

    **依据** 国办公开办函〔2021〕30号（四）把"发布内容不准确不全面"列为应追究责任的问题；
    同一句话中的总数与分项、百分比与其计算基数自相矛盾，至少有一处不准确。

    **错误示例** 主动公开 1742 条，其中科教文体卫生类 215 条，"占12.4%"（215÷1742=12.34%，应为 12.3%）。

    **正确示例** 机构职能类信息 309 条，"占17.7%"（309÷1742=17.74%）。
    """

    code = "GK307"
    name = "percentage"
    examples_in = "2021 para:六、"
    default_severity = Severity.WARNING

    def check(self, report, ctx):
        pt = prose_text(report)
        for sh in shares(pt):
            if sh.base is None or sh.fits():
                continue
            pct, count = sh.percent, sh.count
            label = _label(pt, count)
            exact = sh.exact or 0.0
            rounded = f"{exact:.{pct.decimals}f}%"
            base = (
                f"总数 {_num(sh.base)} {count.unit}"
                if sh.base_kind == "total"
                else f"各项合计 {_num(sh.base)} {count.unit}"
            )
            related = [(f"{label or '分项'} {_fig_text(count)}", count.span)]
            if sh.base_figure is not None:
                related.append((f"总数 {_fig_text(sh.base_figure)}", sh.base_figure.span))
            yield ctx.diagnostic(
                pct.span,
                f"正文称{('「' + label + '」') if label else ''}{_fig_text(count)}占 {pct.shown()}，"
                f"按{base}计算为 {exact:.2f}%，应写作 {rounded}",
                help="重新计算百分比；四舍五入到所写的位数",
                related=related,
                anchor=f"prose-pct:{label}:{pct.shown()}",
            )


@hookimpl
def gikcheck_rules():
    return [ProseTableMismatch, PartsVsTotal, Percentage, StatementContradiction]
