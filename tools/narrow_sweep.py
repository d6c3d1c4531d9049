"""Look for layouts gikcheck misreads: a layout fixture report with one table drawn at random
column widths, printed by LibreOffice and Chromium, each PDF read and dumped by pdftotext with and
without -layout, every form's table findings compared with the master page's.

    python tools/narrow_sweep.py county-gov-2021-gk304 applications --seed 1 --count 8

With --shift, each variant also gets some lines of prose more before its tables (a random count),
so that page breaks fall in other rows of the tables, as a longer or shorter 总体情况 moves them.
With --font, each variant is printed in a CJK font drawn from make_masters.PRINT_FONTS (serif or
sans, with other widths for figures and Latin text) instead of fontconfig's default; with --size,
at a size drawn from make_masters.PRINT_SIZES (小五 to 四号) instead of 五号.

Prints one line per variant: its widths and, per form, the table findings the master does not give
(FALSE), those it gives and the form does not (MISSED) and the tables the form says it cannot
read (unread: one GK204 「无法一一对应」 each, a disclosed limit), and the codes of other findings
it gives more or fewer times than the master (OTHER: a layout's noise outside the tables, such
as a running title taken for a repeated paragraph, GK507). A variant worth keeping goes into
make_masters.py NARROW_VARIANTS and is rendered by `python tools/render_layouts.py --narrow`
(tests/test_narrow_review.py). Needs the tools of render_layouts.py (LibreOffice, Chromium,
poppler-utils); the renders stay in a scratch directory.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "layouts"))

import make_masters as mm  # type: ignore[import-not-found]  # noqa: E402
from render_layouts import MASTER, Renderer, make_chromium_pdf, make_lo_pdf  # noqa: E402

from gikcheck import check_path  # noqa: E402
from gikcheck.config import Settings  # noqa: E402

FORMS = [
    "lo-pdf.pdf",
    "chromium-pdf.pdf",
    "lo-pdftotext.txt",
    "lo-pdftotext-layout.txt",
    "chromium-pdftotext.txt",
    "chromium-pdftotext-layout.txt",
]


def widths_for(table: str, rng: random.Random) -> list[int]:
    if table == "active":  # the label column, each value column
        return [rng.choice([80, 100, 120, 150, 180]), rng.choice([48, 52, 60, 72, 90, 120])]
    if table == "review":
        return [rng.choice([30, 32, 34, 36, 38, 40, 44, 48]) for _ in range(15)]
    groups = [rng.choice([30, 40, 50, 64]), rng.choice([40, 56, 64, 80]), rng.choice([120, 150, 190, 230])]
    return groups + [rng.choice([24, 28, 32, 36, 44, 52]) for _ in range(7)]


def findings(path: Path) -> list[tuple[str, str]]:
    return sorted((d.code, d.anchor) for d in check_path(path, Settings()))


def table_findings(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [f for f in found if f[0].startswith(("GK2", "GK3"))]


def other_codes(found: list[tuple[str, str]], master: list[tuple[str, str]]) -> str:
    """The codes of findings outside the tables that a form gives and the master does not, or the
    other way round (a layout's noise: a running title repeated, table labels taken for headings)."""
    a = Counter(c for c, _ in found if not c.startswith(("GK2", "GK3")))
    b = Counter(c for c, _ in master if not c.startswith(("GK2", "GK3")))
    diff = [f"+{c}×{n}" for c, n in sorted((a - b).items())] + [f"-{c}×{n}" for c, n in sorted((b - a).items())]
    return f"OTHER {' '.join(diff)}" if diff else ""


def compare(found: list[tuple[str, str]], master: list[tuple[str, str]]) -> str:
    """What a form's table findings say against the master's: an unread table's (or rows') one
    GK204 is said, not false; any other finding the master lacks is false, in such a table too."""
    said = [f for f in found if f[0] == "GK204" and f[1].split(":")[2] == "count"]
    unread = {a.split(":")[1] for _, a in said}
    false = [f for f in found if f not in master and f not in said]
    missed = [f for f in master if f not in found and f[1].split(":")[1] not in unread]
    return " ".join(
        part
        for part in (
            f"FALSE {false}" if false else "",
            f"MISSED {missed}" if missed else "",
            f"unread {sorted(unread)}" if unread else "",
        )
        if part
    )


def sweep(
    report: str,
    table: str,
    seed: int,
    count: int,
    scratch: Path,
    shift: bool = False,
    font: bool = False,
    size: bool = False,
) -> None:
    rng = random.Random(seed)
    base = mm.reports()
    r = Renderer(scratch)
    for k in range(count):
        widths = widths_for(table, rng)
        lines = rng.randint(0, 40) if shift else 0
        family = rng.choice(mm.PRINT_FONTS) if font else None
        points = rng.choice(mm.PRINT_SIZES) if size else None
        d = scratch / f"{report}-{table}-{seed}-{k}"
        d.mkdir()
        (d / MASTER).write_text(
            mm.page(mm.fonted(mm.shifted(mm.narrowed(report, table, widths, base), lines), family, points)),
            encoding="utf-8",
        )
        (d / "lo-pdf.pdf").write_bytes(make_lo_pdf(r, d / MASTER))
        (d / "chromium-pdf.pdf").write_bytes(make_chromium_pdf(r, d / MASTER, address=f"{d.name}-printed"))
        for pdf in ("lo-pdf", "chromium-pdf"):
            for layout in (False, True):
                out = d / f"{pdf.split('-')[0]}-pdftotext{'-layout' if layout else ''}.txt"
                args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(d / f"{pdf}.pdf"), str(out)]
                subprocess.run(args, check=True)
        master = findings(d / MASTER)
        results = {}
        for form in FORMS:
            found = findings(d / form)
            said = [compare(table_findings(found), table_findings(master)), other_codes(found, master)]
            results[form] = " ".join(x for x in said if x)
        found = json.dumps({f: v for f, v in results.items() if v}, ensure_ascii=False)
        print(
            d.name,
            widths,
            *([f"+{lines} lines"] if shift else []),
            *([repr(family)] if font else []),
            *([points] if size else []),
            found,
            flush=True,
        )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", help="a layout fixture report (tests/fixtures/layouts/reports.toml)")
    ap.add_argument("table", choices=["active", "applications", "review"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=4)
    ap.add_argument("--keep", type=Path, help="render into this new directory and keep it")
    ap.add_argument("--shift", action="store_true", help="move the tables down by some lines of prose more")
    ap.add_argument("--font", action="store_true", help="print each variant in a CJK font drawn at random")
    ap.add_argument("--size", action="store_true", help="set each variant's text in a size drawn at random")
    args = ap.parse_args(argv)
    known = {"active": list(mm.reports()), "applications": list(mm.NARROW_TABLES3), "review": list(mm.NARROW_REVIEWS)}
    if args.report not in known[args.table]:
        ap.error(f"{args.table} can be narrowed in: {', '.join(sorted(known[args.table]))}")
    if args.keep:
        args.keep.mkdir(parents=True)
        sweep(args.report, args.table, args.seed, args.count, args.keep, args.shift, args.font, args.size)
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="narrow-sweep-"))
    try:
        sweep(args.report, args.table, args.seed, args.count, scratch, args.shift, args.font, args.size)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
