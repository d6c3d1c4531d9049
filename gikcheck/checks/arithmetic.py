"""GK3xx (table part): the template's arithmetic identities (勾稽关系).

The identities are data in the template packs (rules/*.toml); these rules
evaluate them. A failing identity is written out with its numbers, the
primary span on the total's cell and related spans on the addends. No fix
is offered: which number is wrong cannot be known.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..parsing.tables import MappedCell, MappedTable
from ..plugins import hookimpl
from ..rule import Rule, RuleContext
from ..templates import Identity
from .naming import col_title, row_title

_MAX_TERMS = 8


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _terms(names_values: list[tuple[str, object]]) -> str:
    return "+".join(f"{n}（{_fmt(v)}）" for n, v in names_values)


def _side(names_values: list[tuple[str, object]], name: str = "") -> str:
    total = sum(v for _, v in names_values)  # type: ignore[misc]
    if name:
        nonzero = [(n, v) for n, v in names_values if v]
        detail = f"[{_terms(nonzero)}]" if nonzero and len(nonzero) <= _MAX_TERMS else ""
        return f"{name}（{_fmt(total)}）{detail}"
    if len(names_values) == 1:
        return _terms(names_values)
    return f"{_terms(names_values)}={_fmt(total)}"


def evaluate(mt: MappedTable, ident: Identity, ctx: RuleContext) -> Iterator[Diagnostic]:
    spec = mt.spec
    if ident.kind == "group-subtotal":
        yield from _group_subtotals(mt, ident, ctx)
        return
    lhs, rhs = spec.expand(ident.lhs), spec.expand(ident.rhs)
    if ident.each == "column":
        for col in mt.columns:
            yield from _check(mt, ctx, ident, [(r, col) for r in lhs], [(r, col) for r in rhs], col, by="row")
    else:
        if ident.optional and not all(c in mt.columns for c in lhs + rhs):
            return
        for row in mt.row_order:
            yield from _check(mt, ctx, ident, [(row, c) for c in lhs], [(row, c) for c in rhs], row, by="col")
        yield from _unplaced_rows(mt, ctx, ident, lhs, rhs)


def total_is_last(mt: MappedTable, lhs: list[str], rhs: list[str]) -> bool:
    """Whether an identity along a row says: the last column is the sum of all the others (表三)."""
    columns = [c.id for c in mt.spec.columns]
    return not mt.spec.single_row and lhs == columns[-1:] and sorted(rhs) == sorted(columns[:-1])


def row_total_checked(mt: MappedTable) -> bool:
    """Whether a row whose figures are not placed still has its total checked (_unplaced_rows)."""
    spec = mt.spec
    return any(
        i.each == "row" and i.kind != "group-subtotal" and total_is_last(mt, spec.expand(i.lhs), spec.expand(i.rhs))
        for i in spec.identities
    )


def _unplaced_rows(mt: MappedTable, ctx: RuleContext, ident: Identity, lhs: list[str], rhs: list[str]):
    """A row whose figures a layout did not place (blank cells drawn as spaces): where the row's
    total is its last column and its parts every other column, the figures keep their order, so
    the total holds the last figure or is blank. The sum fails wherever the blank cells are when
    the last figure is not the sum of the others and the figures are not all 0: said, without a
    place for any cell."""
    if not total_is_last(mt, lhs, rhs):
        return
    for u in mt.unplaced:
        texts = u.figures.split()
        if u.want != len(mt.spec.columns):
            continue  # a subtotal column the template makes optional: the shape above does not hold
        if not texts or not all(t.isdecimal() for t in texts):
            continue
        figures = [int(t) for t in texts]
        *parts, last = figures
        if last == sum(parts) or not any(figures):
            continue
        where = _scope(mt, ident, u.row, "col")
        shown = "、".join(texts)
        yield ctx.diagnostic(
            u.span,
            f"{where}：读出的 {len(figures)} 个数（{shown}）无论各在哪一列，总计都不等于{ident.rhs_name or '各项之和'}"
            f"（总计为末一个数 {last} 时，其余各数之和为 {sum(parts)}；总计为空时，各数之和为 {sum(figures)}）",
            help="核对这一行的数字，并把空白单元格填 0（这种版式看不出空的是哪几格）",
            anchor=f"table:{mt.spec.key}:{ident.code}:{where}",
        )


def _scope(mt: MappedTable, ident: Identity, key: str, by: str) -> str:
    """Where an identity failed: the column (identities summed down a column) or the row."""
    title = mt.spec.title
    if by == "row":
        return f"{title}「{col_title(mt, key)}」列"
    return f"{title}「{ident.scope}」" if ident.scope else f"{title}「{row_title(mt, key)}」行"


def _num(cell: MappedCell):
    """A cell's number; a blank cell counts as 0 (GK205 reports the blank; the identity still holds
    or fails with it, so a blank 总计 whose parts are not 0 is reported here too)."""
    if cell.value is None and cell.problem == "blank":
        return 0
    return cell.value


def _cells(mt: MappedTable, keys) -> list[MappedCell] | None:
    """The cells of ``keys``; None when one is missing or not a number (GK204/GK205 say so; nothing to add up)."""
    out = []
    for key in keys:
        cell = mt.cells.get(key)
        if cell is None or _num(cell) is None:
            return None
        out.append(cell)
    return out


def _blank_note(cells: list[MappedCell]) -> str:
    return "（空白单元格按 0 计）" if any(c.value is None for c in cells) else ""


def _named(mt: MappedTable, keys, cells: list[MappedCell], by: str, scoped: bool = False):
    """(name, value, cell) of each cell, for a message."""
    out = []
    for (r, c), cell in zip(keys, cells):
        if by == "row":
            name = row_title(mt, r, short=True)
        else:
            # Within a scoped identity (表四「行政复议」) the group is already named.
            col = mt.spec.column(c)
            name = col.label if scoped and col is not None else col_title(mt, c)
        out.append((name, _num(cell), cell))
    return out


def _check(mt, ctx, ident: Identity, lhs_keys, rhs_keys, key: str, by: str):
    lhs_cells, rhs_cells = _cells(mt, lhs_keys), _cells(mt, rhs_keys)
    if not lhs_cells or not rhs_cells:
        return
    l_sum, r_sum = sum(_num(c) for c in lhs_cells), sum(_num(c) for c in rhs_cells)
    if abs(l_sum - r_sum) < 1e-9:
        return
    # Names and the scope are built only for an identity that fails (most hold).
    scoped = bool(ident.scope)
    lhs, rhs = _named(mt, lhs_keys, lhs_cells, by, scoped), _named(mt, rhs_keys, rhs_cells, by, scoped)
    primary = lhs[0][2] if len(lhs) == 1 else rhs[0][2]
    others = [c for _, _, c in lhs + rhs if c is not primary]
    where = _scope(mt, ident, key, by)
    message = (
        f"{where}：{_side([(n, v) for n, v, _ in lhs])}，"
        f"不等于{_side([(n, v) for n, v, _ in rhs], ident.rhs_name)}{_blank_note(lhs_cells + rhs_cells)}"
    )
    related = [(f"{n}={_fmt(v)}", c.cell.span) for n, v, c in lhs + rhs if c in others and (v or len(rhs) <= 4)]
    yield ctx.diagnostic(
        primary.cell.span,
        message,
        related=related[:_MAX_TERMS],
        help="核对各单元格的数字；勾稽关系由年度报告格式规定，不能通过修改单个数字凑平",
        anchor=f"table:{mt.spec.key}:{ident.code}:{where}",
    )


def _group_subtotals(mt: MappedTable, ident: Identity, ctx: RuleContext):
    spec = mt.spec
    for group in ident.groups:
        kids = [r.id for r in spec.rows if r.parent == group]
        for col in mt.columns:
            gcell = mt.cells.get((group, col))
            if gcell is None or gcell.value is None:
                continue  # a group row left blank adds nothing: its sub-items are checked by the total
            keys = [(k, col) for k in kids]
            cells = _cells(mt, keys)
            if cells is None:
                continue
            total = sum(_num(c) for c in cells)
            if abs(total - gcell.value) < 1e-9:
                continue
            vals = _named(mt, keys, cells, "row")
            g = spec.row(group)
            assert g is not None  # groups are rows of this table's spec
            yield ctx.diagnostic(
                gcell.cell.span,
                f"{spec.title}「{col_title(mt, col)}」列：「{g.label}」（{_fmt(gcell.value)}），"
                f"不等于其各分项之和（{_fmt(total)}）"
                + (f"[{_terms([(n, v) for n, v, _ in vals if v])}]" if total else "")
                + _blank_note(cells),
                related=[(f"{n}={_fmt(v)}", c.cell.span) for n, v, c in vals if v][:_MAX_TERMS],
                anchor=f"table:{spec.key}:{ident.code}:{group}:{col}",
            )


class _IdentityRule(Rule):
    abstract = True
    requires = ("tables",)

    def check(self, report, ctx):
        for mt in report.tables:
            if mt.unreliable:
                continue  # its figures could not be placed in their rows (GK204 says so)
            for ident in mt.spec.identities:
                if ident.code == self.code:
                    yield from evaluate(mt, ident, ctx)


class ApplicationBalance(_IdentityRule):
    """表三每一列：第一项 + 第二项 ≠ 第三项总计 + 第四项

    **检查什么** 表三「收到和处理政府信息公开申请情况」的每一列（自然人、各类法人或其他组织、总计）
    必须满足表格自带的勾稽关系：一、本年新收 + 二、上年结转 = 三、本年度办理结果（七）总计 + 四、结转下年度继续办理。

    **依据** 年度报告格式表三左上角的说明："本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"。

    **错误示例** 一、本年新收政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4
    (自然人列:本年新收 3 + 上年结转 0 ≠ 办理结果总计 2 + 结转下年度 0)

    **正确示例** 一、本年新收政府信息公开申请数量 | 2 | 1 | 0 | 0 | 0 | 0 | 3
    """

    code = "GK301"
    name = "application-balance"
    examples_in = "2021 rows"
    abstract = False


class ApplicantTotal(_IdentityRule):
    """表三每一行：总计 ≠ 各类申请人之和

    **检查什么** 表三每一行的「总计」列必须等于自然人、商业企业、科研机构、社会公益组织、
    法律服务机构、其他六列之和；报告另设「法人或其他组织」小计列时，小计必须等于其五个分列之和。
    把空白单元格画成空格的版式中看不出各数在哪一列的行（见 GK205），数的次序不变：总计或是末一个数，
    或为空。末一个数不等于其余各数之和、且各数不全为 0 时，无论空白单元格在哪几格都不相等，照样报告。

    **依据** 年度报告格式表三的列结构（申请人情况：自然人、法人或其他组织五类、总计）。

    **错误示例** 一、本年新收政府信息公开申请数量 | 2 | 1 | 0 | 0 | 0 | 0 | 4 (2+1≠4)

    **正确示例** 一、本年新收政府信息公开申请数量 | 2 | 1 | 0 | 0 | 0 | 0 | 3
    """

    code = "GK302"
    name = "applicant-total"
    examples_in = "2021 rows"
    abstract = False


class OutcomeTotal(_IdentityRule):
    """表三每一列：（七）总计 ≠ （一）至（六）各项之和

    **检查什么** 表三每一列的「（七）总计」必须等于（一）予以公开、（二）部分公开、（三）不予公开各分项、
    （四）无法提供各分项、（五）不予处理各分项、（六）其他处理（2021 年格式为其三个分项）之和；
    报告在（三）（四）（五）（六）这些分组行上也填了数字时，分组数字必须等于其分项之和。

    **依据** 年度报告格式表三「三、本年度办理结果」的结构。

    **错误示例** （七）总计 | 3 | 1 | 0 | 0 | 0 | 0 | 4 (自然人列:予以公开 1 + 无法提供 1 = 2,总计却为 3)

    **正确示例** （七）总计 | 2 | 1 | 0 | 0 | 0 | 0 | 3
    """

    code = "GK303"
    name = "outcome-total"
    examples_in = "2021 rows"
    abstract = False


class ReviewLitigationTotal(_IdentityRule):
    """表四：总计 ≠ 结果维持 + 结果纠正 + 其他结果 + 尚未审结

    **检查什么** 表四「政府信息公开行政复议、行政诉讼情况」中，行政复议、未经复议直接起诉、
    复议后起诉三组各自的「总计」必须等于结果维持、结果纠正、其他结果、尚未审结之和。

    **依据** 年度报告格式表四的列结构。

    **错误示例** 1 | 0 | 0 | 0 | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0
    (行政复议:结果维持 1,结果纠正、其他结果、尚未审结均为 0,总计却为 2)

    **正确示例** 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0
    """

    code = "GK304"
    name = "review-litigation-total"
    examples_in = "2021 rows"
    abstract = False


@hookimpl
def gikcheck_rules():
    return [ApplicationBalance, ApplicantTotal, OutcomeTotal, ReviewLitigationTotal]
