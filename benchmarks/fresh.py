"""The warm cost of checking a text never checked before in the process (issue 13's measure).

gikcheck checks many reports in one process (-j workers, the language server, a
Dask worker), and several analyses are kept on the text object: re-checking one
text many times hides what a fresh one costs. This script warms up on some
generated reports, then checks ``COUNT`` *distinct* texts once each with
``lint_bytes(data, path, Settings(), summarize=False)`` and prints the wall and
CPU milliseconds per report.

    python benchmarks/fresh.py COUNT [--set real|gen] [--gen DIR] [--warm 20]

``--set real`` (default): the first COUNT of the real text reports
(``../shared/seeds/*.txt`` then ``../shared/corpus/*.txt``, 17 in all).
``--set gen``: COUNT generated reports other than the warm-up ones. ``--gen DIR``:
the generated reports to use (``python benchmarks/generate.py DIR --count 300``);
without it 300 are generated into a temporary folder first (seed 1). The warm-up
also checks one generated report with some characters made traditional, so that
OpenCC (loaded on the first such text) is loaded before the measured texts, as in
any process that has checked a few real reports.

Instruction counts are the steady measure on a shared machine: run the script
under callgrind for two counts and divide the difference by the difference of
the counts (start-up, imports and warm-up cancel out)::

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python benchmarks/fresh.py 0
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python benchmarks/fresh.py 17
    # (Collected_17 - Collected_0) / 17 instructions per fresh real report

``--profile`` prints a cProfile of the measured loop (sorted by own time).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def real_reports() -> list[Path]:
    """The real text reports of ../shared, in a fixed order."""
    return sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("count", type=int, help="how many distinct texts to check once each")
    p.add_argument("--set", choices=("real", "gen"), default="real")
    p.add_argument("--gen", type=Path, help="a folder of generated reports (default: generate 300)")
    p.add_argument("--warm", type=int, default=20, help="generated reports checked first (default 20)")
    p.add_argument("--profile", action="store_true", help="cProfile the measured loop")
    args = p.parse_args(argv)

    from gikcheck.config import Settings
    from gikcheck.engine import lint_bytes

    tmp = None
    gen_dir = args.gen
    if gen_dir is None:
        tmp = tempfile.mkdtemp(prefix="gikcheck-fresh-")
        gen_dir = Path(tmp)
        generate.build(gen_dir, 300, seed=1, defect_rate=0.25)
    try:
        generated = sorted(gen_dir.rglob("*.txt"))
        warm, rest = generated[: args.warm], generated[args.warm :]
        if args.set == "real":
            files = real_reports()
            if not files:
                print(f"fresh: no real reports under {SHARED}", file=sys.stderr)
                return 2
        else:
            files = rest
        if args.count > len(files):
            print(f"fresh: only {len(files)} texts in the {args.set} set", file=sys.stderr)
            return 2
        # Read every file before the timing, so the counts differ only by the checks.
        warm_data = [(f.read_bytes(), str(f)) for f in warm]
        if warm_data:
            # One more with traditional characters: what a warm process has long loaded (OpenCC)
            # is not charged to the first real report that has one.
            b, path = warm_data[0]
            warm_data.append((b.decode("utf-8").replace("报告", "報告").replace("国", "國").encode("utf-8"), path))
        data = [(f.read_bytes(), str(f)) for f in files[: args.count]]
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    settings = Settings()
    for b, path in warm_data:
        lint_bytes(b, path, settings, summarize=False)
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    wall, cpu = time.perf_counter(), time.process_time()
    findings = 0
    for b, path in data:
        findings += len(lint_bytes(b, path, settings, summarize=False).diagnostics)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
    n = max(1, len(data))
    kb = sum(len(b) for b, _ in data) / n / 1024
    print(
        f"{len(data)} fresh {args.set} reports (mean {kb:.1f} KB), {findings} findings: "
        f"{1000 * wall / n:.2f} ms wall, {1000 * cpu / n:.2f} ms CPU per report"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
