"""How well each rendered form of the layout fixtures is read: the evidence table for issue 10.

For every report in tests/fixtures/layouts/reports.toml and every form rendered by
tools/render_layouts.py, check the file with gikcheck's library API and compare its table
findings (GK2xx/GK3xx, as (code, anchor)) with the report's known defects and with the
findings of the .docx of the same report. A table the reader says it cannot read (GK204
「无法一一对应」, or rows read short of numbers) is counted apart from the false findings: it is a
disclosed limit, one finding per table. So are the rows whose blank cells a layout drew as spaces
where the text does not show which cells they are: counted in GK205, the column identities they enter unchecked.
A report whose form is proved unreadable by a twin
(tests/fixtures/layouts/twins/twins.toml, tests/test_layout_limits.py: a report with other .docx
findings prints the same text) is counted too. Prints Markdown: one summary table over the forms,
then one table per form.

    python tools/layout_report.py
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_layouts import FORMS, LAYOUTS, MASTER  # noqa: E402

from gikcheck import check_path  # noqa: E402
from gikcheck.config import Settings  # noqa: E402

Finding = tuple[str, str]  # (code, anchor)


def form_files() -> list[tuple[str, str]]:
    """(form name, file name) of every form, the master first."""
    return [("html", MASTER)] + [(f.name, f.filename) for f in FORMS]


def manifest() -> dict[str, dict]:
    return tomllib.loads((LAYOUTS / "reports.toml").read_text(encoding="utf-8"))


def proved_unreadable() -> set[tuple[str, str]]:
    """(report, form) pairs that a twin proves no reader can read (same text, other .docx findings)."""
    path = LAYOUTS / "twins" / "twins.toml"
    twins = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {(spec["original"], form) for spec in twins.values() for form in spec["forms"]}


def is_table_finding(code: str) -> bool:
    return code.startswith(("GK2", "GK3"))


def table_findings(path: Path) -> tuple[set[Finding], int]:
    """The (code, anchor) of the GK2xx/GK3xx findings, with default settings (no config file), and
    the rows whose blank cells the text does not place (GK205 says so; their identities unchecked)."""
    diags = [d for d in check_path(path, Settings()) if is_table_finding(d.code)]
    unplaced = sum(
        sum("看不出是哪几格" in p.message for p in d.places()) or int("看不出空的是哪几格" in d.message)
        for d in diags
        if d.code == "GK205"
    )
    return {(d.code, d.anchor) for d in diags}, unplaced


def is_unread(found: Finding) -> bool:
    """GK204 on a table's count: its numbers could not be paired with rows or columns."""
    code, anchor = found
    return code == "GK204" and anchor.split(":")[2:3] == ["count"]


def matches(found: Finding, known: Finding) -> bool:
    """A finding is the known defect when the code agrees and the anchor equals or extends it."""
    return found[0] == known[0] and (found[1] == known[1] or found[1].startswith(known[1] + ":"))


@dataclass
class Result:
    report: str
    form: str
    known: list[Finding]
    found: set[Finding]
    docx: set[Finding]
    proved: bool = False  # a twin proves this form of this report unreadable
    unplaced: int = 0  # rows whose blank cells are counted but not placed: identities unchecked
    hits: int = field(init=False)
    false: list[Finding] = field(init=False)
    unread: list[Finding] = field(init=False)

    def __post_init__(self) -> None:
        self.hits = sum(any(matches(f, k) for f in self.found) for k in self.known)
        other = sorted(f for f in self.found if not any(matches(f, k) for k in self.known))
        # A table the reader says it could not read (GK204 「无法一一对应」, or rows read short of
        # numbers) is a disclosed limit, not a false finding: counted apart.
        self.unread = [f for f in other if is_unread(f)]
        self.false = [f for f in other if not is_unread(f)]

    @property
    def same_as_docx(self) -> bool:
        return self.found == self.docx


def evaluate() -> list[Result]:
    results = []
    proved = proved_unreadable()
    for name, spec in manifest().items():
        known = [tuple(k) for k in spec.get("defects", [])]
        d = LAYOUTS / name
        docx, docx_unplaced = table_findings(d / "docx.docx")
        for form, filename in form_files():
            path = d / filename
            if not path.exists():
                continue
            found, unplaced = (docx, docx_unplaced) if form == "docx" else table_findings(path)
            results.append(Result(name, form, known, found, docx, (name, form) in proved, unplaced))
    return results


def _false_summary(false: list[Finding]) -> str:
    if not false:
        return ""
    counts = Counter(code for code, _ in false)
    return ", ".join(f"{c}×{n}" for c, n in sorted(counts.items()))


def render(results: list[Result]) -> str:
    forms = [f for f, _ in form_files() if any(r.form == f for r in results)]
    out = [
        "## Table findings per form (layout fixtures)",
        "",
        "| form | recall of known defects | false table findings | tables said unread (GK204) "
        "| rows whose blank cells are not placed (GK205; their column identities unchecked) | reports = .docx "
        "| reports proved unreadable (twin) |",
        "|---|---|---|---|---|---|---|",
    ]
    for form in forms:
        rs = [r for r in results if r.form == form]
        hits, known = sum(r.hits for r in rs), sum(len(r.known) for r in rs)
        false = sum(len(r.false) for r in rs)
        unread = sum(len(r.unread) for r in rs)
        unplaced = sum(r.unplaced for r in rs)
        same = sum(r.same_as_docx for r in rs)
        proved = sum(r.proved for r in rs)
        out.append(f"| {form} | {hits}/{known} | {false} | {unread} | {unplaced} | {same}/{len(rs)} | {proved} |")
    for form in forms:
        rs = [r for r in results if r.form == form]
        out += [
            "",
            f"### {form}",
            "",
            "| report | known found | false findings | said unread | rows unplaced | = .docx | proved unreadable |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in rs:
            out.append(
                f"| {r.report} | {r.hits}/{len(r.known)} | {len(r.false)} {_false_summary(r.false)} | "
                f"{len(r.unread)} | {r.unplaced or ''} | {'yes' if r.same_as_docx else 'no'} | "
                f"{'yes' if r.proved else ''} |"
            )
        hits, known = sum(r.hits for r in rs), sum(len(r.known) for r in rs)
        false = sum(len(r.false) for r in rs)
        unread = sum(len(r.unread) for r in rs)
        unplaced = sum(r.unplaced for r in rs)
        same = sum(r.same_as_docx for r in rs)
        proved = sum(r.proved for r in rs)
        out += [
            "",
            f"{form}: recall {hits}/{known}, {false} false table findings, {unread} tables said unread, "
            f"{unplaced} rows' blank cells not placed, "
            f"{same}/{len(rs)} reports give the .docx's table findings, {proved} proved unreadable by a twin",
        ]
    return "\n".join(out)


def main() -> int:
    print(render(evaluate()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
