"""A reviewer's summary: one row per file, one column per rule family.

``--format summary`` draws the table with rich; ``--format summary-csv``
writes the same rows as CSV. Rows are sorted by the total number of
findings, most first (ties by path), so that a reviewing office that
receives hundreds of subordinate reports sees at once who fails what;
``--sort`` orders them by path, agency, year or one rule family instead.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import TYPE_CHECKING
from ..registry import FAMILIES as FAMILY_NAMES
from ..registry import family

if TYPE_CHECKING:
    from typing import IO, Any

FAMILIES = tuple(FAMILY_NAMES)
OTHER = "other"


@dataclass
class Row:
    path: str
    agency: str = ""
    year: int | None = None
    counts: dict[str, int] = field(default_factory=dict)  # family → findings
    severities: dict[str, int] = field(default_factory=dict)  # error / warning / info → findings
    readable: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _family(code: str) -> str:
    return family(code) or OTHER


def _order(key: str) -> Any:
    """The sort key for ``--sort``: counts most first, names and years ascending; ties by path."""
    if key == "path":
        return lambda r: r.path
    if key == "agency":
        return lambda r: (r.agency == "", r.agency, r.year or 0, r.path)
    if key == "year":
        return lambda r: (r.year is None, r.year or 0, r.agency, r.path)
    if key in FAMILIES:
        return lambda r: (-r.counts.get(key, 0), -r.total, r.path)
    return lambda r: (-r.total, r.path)


def rows(results: Sequence[Any], sort: str = "total") -> list[Row]:
    out = []
    for res in results:
        row = Row(
            res.path,
            getattr(res, "agency", "") or "",
            getattr(res, "year", None),
            readable=getattr(res, "readable", True),
        )
        for d in res.diagnostics:
            fam = _family(d.code)
            row.counts[fam] = row.counts.get(fam, 0) + 1
            sev = str(d.severity)
            row.severities[sev] = row.severities.get(sev, 0) + 1
        out.append(row)
    out.sort(key=_order(sort))
    return out


def render(results: Sequence[Any], stream: IO[str], options: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table_rows = rows(results, options.get("sort") or "total")
    has_other = any(r.counts.get(OTHER) for r in table_rows)
    has_who = any(r.agency or r.year for r in table_rows)
    console = Console(
        file=stream,
        highlight=False,
        soft_wrap=False,
        no_color=options.get("no_color", False),
        force_terminal=options.get("color"),
    )
    flagged = sum(1 for r in table_rows if r.total)
    table = Table(
        title=f"检查汇总：{len(table_rows)} 个文件，{flagged} 个有问题",
        caption=" · ".join(f"{f} {n}" for f, n in FAMILY_NAMES.items()) + "；按问题总数从多到少排列",
    )
    table.add_column("文件", overflow="fold")
    if has_who:
        table.add_column("机关")
        table.add_column("年度", justify="right")
    for fam in FAMILIES:
        table.add_column(f"{fam}\n{FAMILY_NAMES[fam]}", justify="right")
    if has_other:
        table.add_column("其他", justify="right")
    table.add_column("合计", justify="right")
    table.add_column("错误/警告/提示", justify="right")
    totals = {fam: 0 for fam in (*FAMILIES, OTHER)}
    for r in table_rows:
        cells = [r.path]
        if has_who:
            cells += [r.agency, str(r.year) if r.year else ""]
        for fam in FAMILIES + ((OTHER,) if has_other else ()):
            n = r.counts.get(fam, 0)
            totals[fam] += n
            cells.append(_count(n, fam == "GK0" and n > 0))
        cells.append(f"[bold]{r.total}[/bold]" if r.total else "0")
        cells.append(f"{r.severities.get('error', 0)}/{r.severities.get('warning', 0)}/{r.severities.get('info', 0)}")
        table.add_row(*cells, style=None if r.total else "dim")
    foot = ["合计"] + (["", ""] if has_who else [])
    foot += [str(totals[f]) for f in FAMILIES + ((OTHER,) if has_other else ())]
    foot += [str(sum(r.total for r in table_rows)), ""]
    table.add_section()
    table.add_row(*foot, style="bold")
    if not console.is_terminal:
        # Written to a file or a pipe: as wide as the table needs, no folded paths.
        from rich.measure import Measurement

        console.width = max(80, Measurement.get(console, console.options.update_width(4000), table).maximum)
    console.print(table)


def _count(n: int, alarming: bool) -> str:
    if not n:
        return "[dim]·[/dim]"
    return f"[red]{n}[/red]" if alarming else str(n)


def render_csv(results: Sequence[Any], stream: IO[str], options: dict[str, Any]) -> None:
    table_rows = rows(results, options.get("sort") or "total")
    has_other = any(r.counts.get(OTHER) for r in table_rows)
    fams = FAMILIES + ((OTHER,) if has_other else ())
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["path", "agency", "year", *fams, "total", "error", "warning", "info"])
    for r in table_rows:
        writer.writerow(
            [
                r.path,
                r.agency,
                r.year or "",
                *(r.counts.get(f, 0) for f in fams),
                r.total,
                r.severities.get("error", 0),
                r.severities.get("warning", 0),
                r.severities.get("info", 0),
            ]
        )
