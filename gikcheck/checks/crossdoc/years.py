"""GK308 and GK309 (the rules are in the package): a report against last year's report of the same agency
(carry-over, stock)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence

from ... import TYPE_CHECKING
from ...diagnostics import Diagnostic
from ...rule import RuleContext, RunContext
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


_STOCK_ROWS = (("art20_1.rules", "规章"), ("art20_1.normative", "行政规范性文件"))


class StockSummary(Compact):
    __slots__ = ("key", "rows")

    def __init__(self, key: ReportKey, rows: dict[str, Cells] | None = None) -> None:
        self.key = key
        self.rows = {} if rows is None else {sys.intern(k): v for k, v in rows.items()}  # row key → its cells


def carryover_summary(report: Any, ctx: RuleContext) -> CarryoverSummary:
    """GK308's summary of one report: its key and the carried-over cells of table 3."""
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


def _with_previous_year(items: Sequence[tuple[str, Any]], wanted: Callable[[Any], bool]) -> Iterator[tuple]:
    """(path, summary, last year's path, last year's summary) for each report of the run whose
    summary is ``wanted`` and whose agency's report of the year before is in the run too."""
    index = by_agency_year(items)
    for i in range(len(items)):
        path, s = items[i]
        s = loaded(s)
        prev = previous_year(index, items, i, s.key) if wanted(s) else None
        if prev is not None:
            yield path, s, items[prev][0], loaded(items[prev][1])


def check_carryover(items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
    """GK308 over the summaries of a run."""
    for path, s, ppath, ps in _with_previous_year(items, lambda s: bool(s.carried_in)):
        k = s.key
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


def stock_summary(report: Any, ctx: RuleContext) -> StockSummary:
    """GK309's summary of one report: its key and the stock rows of table 2."""
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


def check_stock(items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
    """GK309 over the summaries of a run."""
    for path, s, ppath, ps in _with_previous_year(items, lambda s: bool(s.rows)):
        k = s.key
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
