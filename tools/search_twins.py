"""Search for a twin of a layout fixture report: a copy with two 表三 figures swapped (or with
rows written by hand) whose rendering in a PDF text form is the original's text
(tests/test_layout_limits.py, twins.toml).

A twin proves a form unreadable; none found is evidence that the text holds the placement. The
swaps tried are every transposition of two different figures of the given rows (the 总计 column and
the other rows printed as in the original) that moves a figure of the given columns. Each candidate
is rendered by the real programs, as tools/render_layouts.py renders the original, and compared
with the committed text of the original (for Chromium's PDF, without the lines of its print date):

    python tools/search_twins.py county-gov-2021-gk304 lo-pdftotext \\
        --rows r1,r2,r6_1,r6_2,r6_3,carried_out

Candidates that move several figures at once are written with ``--set`` instead of ``--rows``, one
per option: the rows it changes, each as its six figures (the 总计 column printed as the
original's; r7 is （七）总计, which the master otherwise adds up from the rows):

    python tools/search_twins.py township-2020-blank chromium-pdftotext-layout \\
        --set "r7=0,15,1,0,0,0" --set "r3_4=0,1,0,0,0,0;r6=0,1,0,0,0,0"

Prints one line per candidate (the cells or rows changed and how many text lines differ), then the
twins found. Takes seconds per candidate (LibreOffice, Chromium).
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
sys.path[:0] = [str(ROOT / "tools"), str(LAYOUTS)]

import make_masters  # noqa: E402
import render_layouts  # noqa: E402

# report -> (its 表三 figures, how its master draws 表三 from them)
TABLE3: dict[str, tuple[Callable[[], dict], Callable[[dict], str]]] = {
    "county-gov-2021-gk304": (
        make_masters.county_gov_2021_table3,
        lambda t: make_masters.table3(t, "2021", False, {}, widths=[50, 70, 262, 26, 26, 26, 26, 26, 26, 30]),
    ),
    "township-2020-blank": (
        make_masters.township_2020_table3,
        lambda t: make_masters.table3(t, "2019", True, {}),
    ),
    "county-gov-2020-partblank": (
        make_masters.county_gov_2020_table3,
        lambda t: make_masters.table3(t, "2019", True, {}),
    ),
}
FORMS = ["lo-pdftotext", "lo-pdftotext-layout", "chromium-pdftotext", "chromium-pdftotext-layout"]
# Chromium's print header: the date and time of printing, a line of its own in plain pdftotext (as
# test_layout_limits), followed by the page's title on the same line in -layout.
_PRINT_DATE = re.compile(r"^\f?\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2} [AP]M(?:\s|$)")


def _comparable(text: str) -> list[str]:
    return [line for line in text.split("\n") if not _PRINT_DATE.match(line)]


def candidates(figures: dict, rows: list[str], columns: set[int]) -> list[tuple[tuple[str, int], tuple[str, int]]]:
    cells = [(row, c) for row in rows for c in range(len(figures[row]))]
    return [
        (a, b)
        for a, b in itertools.combinations(cells, 2)
        if figures[a[0]][a[1]] != figures[b[0]][b[1]] and (a[1] in columns or b[1] in columns)
    ]


def _copy(figures: dict) -> dict:
    """A copy of ``figures`` that prints every row's 总计 as the original does, whatever its figures."""
    t = {k: list(v) if isinstance(v, list) else v for k, v in figures.items()}
    totals = dict(figures.get("totals", {}))
    for key, row in figures.items():
        if isinstance(row, list):
            totals.setdefault(key, sum(row))
    t["totals"] = totals
    return t


def swapped(figures: dict, a: tuple[str, int], b: tuple[str, int]) -> dict:
    """``figures`` with the two cells swapped; every row's 总计 as the original prints it."""
    t = _copy(figures)
    t[a[0]][a[1]], t[b[0]][b[1]] = figures[b[0]][b[1]], figures[a[0]][a[1]]
    return t


def written(figures: dict, spec: str) -> dict:
    """``figures`` with the rows of ``spec`` ("r7=0,15,1,0,0,0;r6=…") replaced; every row's 总计 as
    the original prints it."""
    t = _copy(figures)
    for part in spec.split(";"):
        key, _, values = part.partition("=")
        row = [int(v) for v in values.split(",")]
        if key.strip() not in figures or len(row) != len(figures[key.strip()]):
            raise ValueError(f"not a row of six figures: {part!r}")
        t[key.strip()] = row
    return t


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", choices=sorted(TABLE3))
    ap.add_argument("form", choices=FORMS)
    ap.add_argument("--rows", help="表三 row keys of make_masters (r1, r6_1, carried_out, …)")
    ap.add_argument("--set", action="append", default=[], help="a candidate: ROW=six figures[;ROW=…]")
    ap.add_argument("--columns", default="0,1,2,3,4,5", help="columns (0 = 自然人) a swap must move a figure of")
    args = ap.parse_args(argv)
    make_figures, draw = TABLE3[args.report]
    figures = make_figures()
    if bool(args.rows) == bool(args.set):
        print("give either --rows or --set", file=sys.stderr)
        return 2
    todo: list[tuple[str, dict]] = []
    if args.rows:
        rows = args.rows.split(",")
        if unknown := [r for r in rows if r not in figures]:
            print(f"unknown rows: {unknown}", file=sys.stderr)
            return 2
        for a, b in candidates(figures, rows, {int(c) for c in args.columns.split(",")}):
            todo.append((f"{a} <-> {b}", swapped(figures, a, b)))
    for spec in args.set:
        try:
            todo.append((spec, written(figures, spec)))
        except ValueError as e:
            print(e, file=sys.stderr)
            return 2
    original = _comparable((LAYOUTS / args.report / f"{args.form}.txt").read_text(encoding="utf-8"))
    pdf_form = args.form.removesuffix("-layout").removesuffix("-pdftotext") + "-pdf"
    layout = ["-layout"] if args.form.endswith("-layout") else []
    found: list[str] = []

    def work(r: render_layouts.Renderer) -> None:
        base = make_masters.reports()[args.report]
        for k, (name, candidate) in enumerate(todo, 1):
            work_dir = r.scratch / "twin-search"
            work_dir.mkdir(exist_ok=True)
            master = work_dir / render_layouts.MASTER
            master.write_text(make_masters.page(dict(base, table3=draw(candidate))), encoding="utf-8")
            pdf = work_dir / f"{pdf_form}.pdf"
            if pdf_form == "lo-pdf":
                pdf.write_bytes(render_layouts.make_lo_pdf(r, master))
            else:
                pdf.write_bytes(render_layouts.make_chromium_pdf(r, master, address=args.report))
            text = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", *layout, str(pdf), "-"], capture_output=True, check=True
            ).stdout.decode("utf-8")
            diff = [
                line
                for line in difflib.unified_diff(original, _comparable(text), n=0, lineterm="")
                if line[:1] in "+-" and line[:3] not in ("+++", "---")
            ]
            print(f"{k}/{len(todo)}\t{name}\t{len(diff)} lines differ", flush=True)
            if not diff:
                found.append(name)

    if pdf_form == "lo-pdf":
        # A scratch directory of its own (render_layouts' fixed one may be in use); only Chromium's
        # footer, which prints the page's address, needs that one.
        scratch = Path(tempfile.mkdtemp(prefix="search-twins-"))
        try:
            work(render_layouts.Renderer(scratch))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    else:
        render_layouts.with_renderer(work)
    print(f"twins found: {found or 'none'} ({len(todo)} tried)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
