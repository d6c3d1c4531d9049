"""GK308 and GK309: a report against last year's report of the same agency (carry-over, stock)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence

from ... import TYPE_CHECKING
from ...diagnostics import Diagnostic, Severity
from ...rule import Rule, RuleContext, RunContext
from ...spill import loaded
from ..naming import col_title
from .keys import Cells, Compact, ReportKey, by_agency_year, cell, file_name, fmt_number, previous_year, report_key

if TYPE_CHECKING:
    from typing import Any


class CarryoverSummary(Compact):
    __slots__ = ("key", "col_ids", "labels", "carried_in", "carried_out")

    def __init__(
        self,
        key: ReportKey,
        col_ids: str,
        labels: str,
        carried_in: Cells | None = None,
        carried_out: Cells | None = None,
    ) -> None:
        self.key = key
        self.col_ids = sys.intern(col_ids)  # column ids in table order, joined by \x1f
        self.labels = sys.intern(labels)  # their labels, joined by \x1f
        self.carried_in = Cells() if carried_in is None else carried_in
        self.carried_out = Cells() if carried_out is None else carried_out

    @property
    def columns(self) -> list[tuple[str, str]]:
        if not self.col_ids:
            return []
        return list(zip(self.col_ids.split("\x1f"), self.labels.split("\x1f")))


class CarryoverAcrossYears(Rule):
    """本年度「上年结转」申请数与上一年度报告的「结转下年度继续办理」不一致

    **检查什么** 同一次检查中有同一机关上一年度的报告时，逐列比较本年度表三
    「二、上年结转政府信息公开申请数量」与上一年度表三「四、结转下年度继续办理」
    （自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计）。
    上一年度结转到下一年度办理的申请，就是下一年度的「上年结转」，两者应当相等。
    报告按机关和年度归组：机关名称取自标题（或落款），年度取自标题、统计期限或配置；
    标题未写明机关、机关改名时，可在配置的 ``[agencies]`` 表（或 ``gikcheck-agencies.toml``）中指定文件所属机关。
    同名机关（如各地的城关镇）或同一报告重复出现时，无法判断哪一份是上一年度的，
    不作比较；可用上述文件给同名机关写上不同的名称。

    **依据** 《中华人民共和国政府信息公开工作年度报告格式》表三的定义：
    「四、结转下年度继续办理」是本年度未办结、转入下一年度的申请，
    即下一年度的「二、上年结转政府信息公开申请数量」。

    **错误示例** 2021 年度报告表三「四、结转下年度继续办理」自然人列为 2,
    2022 年度报告表三「二、上年结转政府信息公开申请数量」自然人列为 1。

    **正确示例** 2022 年度报告的「上年结转」逐列照抄 2021 年度报告的「结转下年度继续办理」：
    自然人列均为 2。确有更正的，在报告中说明更正原因并更正上一年度报告。
    """

    code = "GK308"
    name = "carryover-across-years"
    scope = "run"
    requires = ("table:applications/carried_in,carried_out",)

    def summarize(self, report: Any, ctx: RuleContext) -> CarryoverSummary:
        key = report_key(report, ctx.settings)
        table = report.table("applications")
        if table is None:
            return CarryoverSummary(key, "", "")
        cols = tuple((c, col_title(table, c)) for c in table.columns)
        cin = {c: r for c, _ in cols if (r := cell(report, table, "carried_in", c)) is not None}
        cout = {c: r for c, _ in cols if (r := cell(report, table, "carried_out", c)) is not None}
        return CarryoverSummary(
            key,
            "\x1f".join(c for c, _ in cols),
            "\x1f".join(label for _, label in cols),
            Cells.pack(cin),
            Cells.pack(cout),
        )

    def check_run(self, items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
        index = by_agency_year(items)
        for i in range(len(items)):
            path, s = items[i]
            s = loaded(s)
            k = s.key
            prev = previous_year(index, items, i, k) if s.carried_in else None
            if prev is None:
                continue
            ppath, ps = items[prev][0], loaded(items[prev][1])
            for col, label in s.columns:
                here, there = s.carried_in.get(col), ps.carried_out.get(col)
                if here is None or there is None or here.value is None or there.value is None:
                    continue
                if abs(here.value - there.value) < 1e-9:
                    continue
                yield ctx.diagnostic(
                    path,
                    here.span,
                    here.location,
                    f"本年度（{k.year}年）表三「二、上年结转」{label}列为 {fmt_number(here.value)}，"
                    f"与上一年度报告（{k.year - 1}年，{file_name(ppath)}）「四、结转下年度继续办理」的 "
                    f"{fmt_number(there.value)} 不一致",
                    related=[
                        (
                            f"上一年度「四、结转下年度继续办理」{label}列 = {fmt_number(there.value)}",
                            ppath,
                            there.location,
                        )
                    ],
                    help="上一年度结转的申请就是本年度的上年结转；核对两年的表三，错的一方应予更正并说明",
                    anchor=f"crossdoc:carryover:{col}",
                    previous=ppath,
                    column=col,
                    value=here.value,
                    previous_value=there.value,
                )


_STOCK_ROWS = (("art20_1.rules", "规章"), ("art20_1.normative", "行政规范性文件"))


class StockSummary(Compact):
    __slots__ = ("key", "rows")

    def __init__(self, key: ReportKey, rows: dict[str, Cells] | None = None) -> None:
        self.key = key
        self.rows = {} if rows is None else {sys.intern(k): v for k, v in rows.items()}  # row key → its cells


class StockAcrossYears(Rule):
    """表二现行有效件数与上一年度的现行有效件数、本年制发件数和废止件数对不上

    **检查什么** 同一次检查中有同一机关上一年度（2021 年格式）的报告时，对表二
    「第二十条第（一）项」的「规章」和「行政规范性文件」两行检查：
    本年度现行有效件数 = 上一年度现行有效件数 + 本年制发件数 − 本年废止件数。
    这是经验规则（级别为警告）：文件被修改、到期自动失效而未经废止、
    或统计口径调整时，等式可以不成立，此时应在报告中说明。

    **依据** 《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）
    表二的三列「本年制发件数」「本年废止件数」「现行有效件数」的含义。

    **错误示例** 2021 年度行政规范性文件现行有效 10 件；2022 年度制发 2 件、废止 1 件，
    现行有效却填 15 件（应为 10 + 2 − 1 = 11）。

    **正确示例** 2022 年度现行有效 11 件；或填 15 件并说明另有 4 件是以前年度漏统的文件。
    """

    code = "GK309"
    name = "stock-across-years"
    scope = "run"
    requires = ("table:active/art20_1.in_force",)
    default_severity = Severity.WARNING

    def summarize(self, report: Any, ctx: RuleContext) -> StockSummary:
        key = report_key(report, ctx.settings)
        table = report.table("active")
        rows: dict[str, Cells] = {}
        if table is not None:
            for row, _ in _STOCK_ROWS:
                cells = {
                    c: r
                    for c in ("issued", "repealed", "in_force")
                    if (r := cell(report, table, row, c)) is not None and r.value is not None
                }
                if cells:
                    rows[row] = Cells.pack(cells)
        return StockSummary(key, rows)

    def check_run(self, items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
        index = by_agency_year(items)
        for i in range(len(items)):
            path, s = items[i]
            s = loaded(s)
            k = s.key
            prev = previous_year(index, items, i, k) if s.rows else None
            if prev is None:
                continue
            ppath, ps = items[prev][0], loaded(items[prev][1])
            for row, label in _STOCK_ROWS:
                here, there = s.rows.get(row, Cells()), ps.rows.get(row, Cells())
                if not all(c in here for c in ("issued", "repealed", "in_force")) or "in_force" not in there:
                    continue
                last, issued, repealed, now = (
                    there["in_force"].value,
                    here["issued"].value,
                    here["repealed"].value,
                    here["in_force"].value,
                )
                expected = last + issued - repealed
                if abs(expected - now) < 1e-9:
                    continue
                yield ctx.diagnostic(
                    path,
                    here["in_force"].span,
                    here["in_force"].location,
                    f"本年度（{k.year}年）表二「{label}」现行有效件数为 {fmt_number(now)}，"
                    f"但上一年度报告（{k.year - 1}年，{file_name(ppath)}）的现行有效件数 {fmt_number(last)}"
                    f" + 本年制发件数 {fmt_number(issued)} − 本年废止件数 {fmt_number(repealed)}"
                    f" = {fmt_number(expected)}",
                    related=[
                        (f"上一年度「{label}」现行有效件数 = {fmt_number(last)}", ppath, there["in_force"].location),
                        (f"本年制发件数 = {fmt_number(issued)}", path, here["issued"].location),
                        (f"本年废止件数 = {fmt_number(repealed)}", path, here["repealed"].location),
                    ],
                    help="核对现行有效件数；文件被修改或自动失效等原因造成差异的，在报告中说明",
                    anchor=f"crossdoc:stock:{row}",
                    previous=ppath,
                    expected=expected,
                    value=now,
                )
