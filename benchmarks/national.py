"""Memory at national scale: the main process' peak RSS over many reports, projected to 200,000.

Generates reports with ``benchmarks/generate.py`` (or takes a directory of them), runs
``gikcheck -j 2 --format concise`` on a small and a large share of them, and records the peak
resident memory (VmHWM) of the main process and of the whole process tree. The per-report growth
is the difference of the two peaks over the difference of the report counts; the projection is
the large run's peak plus that growth for each further report up to ``--project``.

    python benchmarks/national.py [--count 20000] [--corpus DIR] [--jobs 2] [--project 200000] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from procstat import children, status_kb

ROOT = Path(__file__).resolve().parents[1]


def _gikcheck_cmd() -> list[str]:
    exe = shutil.which("gikcheck")
    return [exe] if exe else [sys.executable, "-m", "gikcheck"]


def run(paths: list[Path], jobs: int, listing: Path) -> dict[str, float]:
    """One ``gikcheck`` run over ``paths`` (given in a directory of symbolic links): peak RSS in MB."""
    if listing.exists():
        shutil.rmtree(listing)
    listing.mkdir(parents=True)
    for i, p in enumerate(paths):
        # Keep the generated names (a00012-2021.txt): agency and year series stay comparable.
        sub = listing / f"d{i // 1000:04d}"
        sub.mkdir(exist_ok=True)
        os.symlink(p, sub / p.name)
    cmd = [*_gikcheck_cmd(), "-j", str(jobs), "--format", "concise", "--exit-zero", str(listing)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    main_peak = total_peak = 0
    findings = 0
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    while True:
        chunk = proc.stdout.read()
        if chunk:
            findings += chunk.count(b"\n")
        hwm = status_kb(proc.pid, "VmHWM")
        if hwm is not None:
            main_peak = max(main_peak, hwm)
            total = (status_kb(proc.pid, "VmRSS") or 0) + sum(status_kb(c, "VmRSS") or 0 for c in children(proc.pid))
            total_peak = max(total_peak, total)
        if proc.poll() is not None:
            rest = proc.stdout.read()
            findings += rest.count(b"\n") if rest else 0
            break
        time.sleep(0.05)
    return {
        "reports": len(paths),
        "seconds": time.perf_counter() - start,
        "main_peak_mb": main_peak / 1024,
        "tree_peak_mb": total_peak / 1024,
        "output_lines": findings,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, help="a directory of generated reports (default: generate --count)")
    p.add_argument("--count", type=int, default=20000, help="reports in the large run (default 20000)")
    p.add_argument("--jobs", "-j", type=int, default=2)
    p.add_argument("--project", type=int, default=200_000, help="report count to project to")
    p.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="gik-national-"))
    try:
        corpus = args.corpus
        if corpus is None:
            corpus = work / "corpus"
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(corpus), "--count", str(args.count)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        files = sorted(f for f in corpus.rglob("*.txt"))[: args.count]
        if len(files) < 8:
            print(f"national.py: 报告太少（{len(files)} 份）", file=sys.stderr)
            return 2
        small = run(files[: len(files) // 4], args.jobs, work / "small")
        large = run(files, args.jobs, work / "large")
        growth_kb = (large["main_peak_mb"] - small["main_peak_mb"]) * 1024 / (large["reports"] - small["reports"])
        projected = large["main_peak_mb"] + growth_kb * (args.project - large["reports"]) / 1024
        out = {
            "jobs": args.jobs,
            "small": small,
            "large": large,
            "growth_kb_per_report": growth_kb,
            "projected_reports": args.project,
            "projected_main_peak_mb": projected,
        }
        print(
            f"{small['reports']:>7} reports: main peak {small['main_peak_mb']:.1f} MB, "
            f"tree peak {small['tree_peak_mb']:.1f} MB, {small['seconds']:.1f} s"
        )
        print(
            f"{large['reports']:>7} reports: main peak {large['main_peak_mb']:.1f} MB, "
            f"tree peak {large['tree_peak_mb']:.1f} MB, {large['seconds']:.1f} s"
        )
        print(f"growth {growth_kb:.2f} KB/report -> {args.project} reports: main peak ≈ {projected:.0f} MB")
        if args.json:
            args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
