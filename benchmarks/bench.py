"""Measure gikcheck: cold start, warm per-report time, throughput, peak memory,
and the same corpus linted by autocorrect (autocorrect-py) as an outside baseline.

    python benchmarks/bench.py                      # generates 10 000 reports into a temp dir
    python benchmarks/bench.py --corpus DIR         # an existing corpus (benchmarks/generate.py)
    python benchmarks/bench.py --small              # a quick run on 60 reports (for tests)
    python benchmarks/bench.py --json results.json  # also write the figures as JSON

Generated reports never take the expensive paths, so the real reports are
measured too: ../shared/seeds, ../shared/corpus (with corpus/real: Markdown,
web page, PDF) and a traditional-script report (--real adds more). A cold
start is timed against ``python -c pass`` in alternating pairs, so that a
machine slowing down for a while slows both, and the median of the pairs'
ratios is reported. The time and memory of a national year (200 000
reports) are projected from what a ``-j`` run measures: CPU seconds per
report, and how much the main process grows per report (its peak RSS,
read from /proc while it runs, over half of the corpus and over all of it).

No figure is asserted here: the script measures and prints (Markdown), the
README records. Targets: a cold start ≤ 8× ``python -c pass`` on every real
report, ``--version``/``--help`` ≤ 3×; warm ≤ 5 ms per typical 10–30 KB
report; 10 000 reports in ≤ 60 s on 2 cores; peak RSS ≤ 150 MB, and
≤ 300 MB projected for 200 000 reports with -j 2.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from procstat import children, status_kb  # noqa: E402

from gikcheck.runner import SPILL_AT  # noqa: E402


def _gikcheck_cmd() -> list[str]:
    exe = shutil.which("gikcheck")
    if exe and Path(exe).resolve().parent == Path(sys.executable).resolve().parent:
        return [exe]
    return [sys.executable, "-m", "gikcheck"]


# Measured processes run as an installed tool does: with bytecode caches. They
# are written under a temporary prefix (PYTHONPYCACHEPREFIX), not into the
# source tree, and PYTHONDONTWRITEBYTECODE (set in some shells) is dropped;
# otherwise every run would compile gikcheck's sources again.
_PYCACHE = tempfile.mkdtemp(prefix="gikcheck-bench-pycache-")
# Bytecode and parsed packs (gikcheck/datacache.py) are cached as on a user's machine after the
# first run: each measurement's first run fills them and is not counted. Both start empty here.
_PACKCACHE = tempfile.mkdtemp(prefix="gikcheck-bench-packcache-")
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "GIKCHECK_NO_CACHE")} | {
    "PYTHONPYCACHEPREFIX": _PYCACHE,
    "GIKCHECK_CACHE_DIR": _PACKCACHE,
}


def _time_run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env or ENV)
    return time.perf_counter() - t


def paired(args: list[str], runs: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """``gikcheck ARGS`` and ``python -c pass`` run one after the other ``runs`` times: the median
    of the pairs' ratios, and the median times. Pairs cancel out the slow minutes of a shared machine.
    Run from the temporary directory: no configuration file of the checkout is found."""
    cmd = _gikcheck_cmd() + args
    cwd = Path(_PYCACHE)
    _time_run(cmd, cwd, env)  # the first run writes .pyc files and fills the pack cache; not counted
    _time_run([sys.executable, "-c", "pass"], cwd)
    gk, py = [], []
    for _ in range(runs):
        gk.append(_time_run(cmd, cwd, env))
        py.append(_time_run([sys.executable, "-c", "pass"], cwd))
    return {
        "gikcheck_ms": 1000 * statistics.median(gk),
        "python_pass_ms": 1000 * statistics.median(py),
        "ratio": statistics.median(g / p for g, p in zip(gk, py)),
        "runs": runs,
    }


def cold_start(report: Path, runs: int) -> dict[str, float]:
    """A fresh ``gikcheck one-report.txt`` next to ``python -c pass`` (alternating pairs)."""
    return paired([str(report)], runs) | {"report_kb": report.stat().st_size / 1024}


SHARED = HERE.parents[1] / "shared"
_READABLE = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


def real_reports(extra: list[Path], small: bool) -> list[Path]:
    """The real reports of ../shared (seeds, corpus, corpus/real) and ``extra``; with ``small``,
    one of each kind: a seed, a corpus report, and each format of corpus/real but PDF (seconds a run)."""
    found: list[Path] = []
    for folder in (SHARED / "seeds", SHARED / "corpus", SHARED / "corpus" / "real"):
        if folder.is_dir():
            kinds: set[str] = set()
            for f in sorted(folder.iterdir()):
                if f.is_file() and f.suffix.lower() in _READABLE and not f.name.startswith("README"):
                    if small and (
                        f.suffix.lower() in kinds or (folder.name != "real" and kinds) or f.suffix.lower() == ".pdf"
                    ):
                        continue
                    kinds.add(f.suffix.lower())
                    found.append(f)
    return found + extra


def traditional_report(tmp: Path) -> Path:
    """A report in traditional script: the shared corpus's seed000 (a Hong Kong-style 2008-era
    report) when present, else examples/clean-2021.txt converted by OpenCC (s2t)."""
    part = SHARED / "corpus" / "seed000-part1.txt"
    if part.is_file():
        return part
    import opencc

    text = (HERE.parent / "examples" / "clean-2021.txt").read_text(encoding="utf-8")
    out = tmp / "traditional-2021.txt"
    out.write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    return out


def cold_real(reports: list[Path], runs: int) -> dict:
    """Cold start on every real report, and of ``--version`` and ``--help``, as ratios to ``python -c pass``."""
    rows = [{"name": _shown(r), "kb": r.stat().st_size / 1024} | paired([str(r)], runs) for r in reports]
    return {
        "reports": rows,
        "version": paired(["--version"], runs),
        "help": paired(["--help"], runs),
        # A first run ever on the machine: every pack parsed (the cache is off).
        "no_cache": (
            {"name": _shown(reports[0])} | paired([str(reports[0])], runs, ENV | {"GIKCHECK_NO_CACHE": "1"})
            if reports
            else None
        ),
        "max_ratio": max((r["ratio"] for r in rows), default=None),
    }


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(SHARED.resolve()))
    except ValueError:
        return path.name


def warm_real(reports: list[Path], rounds: int) -> dict:
    """Warm in-process time per real report, end to end (read, decode, parse, every rule)."""
    rows = [real_report(r, rounds) | {"name": _shown(r)} for r in reports]
    return {"reports": rows, "mean_ms": statistics.fmean(r["median_ms"] for r in rows) if rows else None}


def warm(files: list[Path], rounds: int = 3) -> dict[str, float]:
    """In-process time per report (read from memory, all rules), after a warm-up."""
    from gikcheck.config import Settings
    from gikcheck.engine import lint_bytes

    settings = Settings()
    data = [(f.read_bytes(), str(f)) for f in files]
    for b, p in data[:5]:
        lint_bytes(b, p, settings)
    per: list[float] = []
    for _ in range(rounds):
        for b, p in data:
            t = time.perf_counter()
            lint_bytes(b, p, settings)
            per.append(time.perf_counter() - t)
    sizes = [len(b) for b, _ in data]
    return {
        "median_ms": 1000 * statistics.median(per),
        "mean_ms": 1000 * statistics.fmean(per),
        "p95_ms": 1000 * sorted(per)[int(0.95 * (len(per) - 1))],
        "reports": len(data),
        "mean_kb": statistics.fmean(sizes) / 1024,
    }


def real_report(path: Path, rounds: int = 20) -> dict[str, float | str]:
    """Warm in-process time, end to end (read, decode, parse, every rule), on one real report."""
    from gikcheck.engine import lint_path

    lint_path(path)
    per = []
    for _ in range(rounds):
        t = time.perf_counter()
        lint_path(path)
        per.append(time.perf_counter() - t)
    return {"name": path.name, "kb": path.stat().st_size / 1024, "median_ms": 1000 * statistics.median(per)}


SEED000 = (
    next(iter(sorted((HERE.parents[1] / "shared" / "seeds").glob("000_*.txt"))), None)
    if (HERE.parents[1] / "shared" / "seeds").is_dir()
    else None
)


def _time_v(cmd: list[str]) -> tuple[float, float | None]:
    """Wall seconds and the peak RSS (MB) of the largest process, by /usr/bin/time -v when present."""
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    if timer:
        proc = subprocess.run(
            [timer, "-v", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False, env=ENV
        )
        wall = time.perf_counter() - t
        for line in proc.stderr.splitlines():
            if "Maximum resident set size" in line:
                return wall, int(line.rsplit(":", 1)[1]) / 1024
        return wall, None
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, (after / 1024 if after > before else None)


def throughput(corpus: Path, jobs: int) -> dict[str, float | None]:
    """``gikcheck -j N DIR`` over the whole corpus (default output, to /dev/null)."""
    n = sum(1 for _ in corpus.rglob("*.txt"))
    wall, rss = _time_v(_gikcheck_cmd() + ["-j", str(jobs), str(corpus)])
    wall_c, rss_c = _time_v(_gikcheck_cmd() + ["-j", str(jobs), "--format", "concise", str(corpus)])
    return {
        "reports": n,
        "jobs": jobs,
        "seconds": wall,
        "reports_per_s": n / wall,
        "peak_rss_mb": rss,
        "seconds_concise": wall_c,
        "peak_rss_mb_concise": rss_c,
    }


def watched_run(cmd: list[str]) -> dict[str, float | None]:
    """Run ``cmd``; its wall and CPU seconds (with its workers), and the peak RSS in MB of the main
    process and of the largest worker, read from /proc while it runs (None where /proc is missing)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    main_kb: int | None = None
    workers: dict[int, int] = {}
    while proc.poll() is None:
        main_kb = status_kb(proc.pid, "VmHWM") or main_kb
        for child in children(proc.pid):
            kb = status_kb(child, "VmHWM")
            if kb:
                workers[child] = kb
        time.sleep(0.02)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "main_rss_mb": main_kb / 1024 if main_kb else None,
        "worker_rss_mb": max(workers.values()) / 1024 if workers else None,
        "workers": len(workers),
    }


NATIONAL = 200_000


def projection(corpus: Path, files: list[Path], jobs: int) -> dict:
    """A national year from a ``-j`` run: CPU per report and the main process's growth per report
    (its peak over half of the corpus and over all of it), carried to 200 000 reports."""
    half_dir = Path(tempfile.mkdtemp(prefix="gikcheck-bench-half-"))
    try:
        half = files[: len(files) // 2]
        for i, f in enumerate(half):  # links, so that the half corpus costs no disk
            dest = half_dir / f"{i:06d}-{f.name}"
            try:
                os.link(f, dest)
            except OSError:
                shutil.copyfile(f, dest)
        cmd = _gikcheck_cmd() + ["-j", str(jobs)]
        a = watched_run(cmd + [str(half_dir)])
        b = watched_run(cmd + [str(corpus)])
    finally:
        shutil.rmtree(half_dir, ignore_errors=True)
    n_a, n_b = len(half), len(files)
    out: dict = {
        "jobs": jobs,
        "reports": n_b,
        "half": a,
        "full": b,
        "cpu_ms_per_report": 1000 * b["cpu_seconds"] / n_b,
        "projected_hours_cpu": b["cpu_seconds"] / n_b * NATIONAL / 3600,
        "projected_hours_wall": b["cpu_seconds"] / n_b * NATIONAL / jobs / 3600,
    }
    if a["main_rss_mb"] and b["main_rss_mb"] and n_b > n_a:
        growth_kb = max(0.0, (b["main_rss_mb"] - a["main_rss_mb"]) * 1024 / (n_b - n_a))
        main = b["main_rss_mb"] + growth_kb * (NATIONAL - n_b) / 1024
        out |= {
            "main_growth_kb_per_report": growth_kb,
            "projected_main_rss_mb": main,
            "projected_peak_rss_mb": main + jobs * (b["worker_rss_mb"] or 0),
        }
    return out


def single_rss(report: Path) -> float | None:
    return _time_v(_gikcheck_cmd() + [str(report)])[1]


def autocorrect_baseline(files: list[Path], corpus_files: list[Path]) -> dict[str, float | str]:
    """autocorrect-py (a CJK copywriting linter) over the same reports, in process."""
    try:
        import autocorrect_py
    except ImportError:
        return {"status": "autocorrect-py is not installed (pip install autocorrect-py)"}
    texts = [f.read_text(encoding="utf-8") for f in files]
    for t in texts[:3]:
        autocorrect_py.lint_for(t, "report.txt")
    per = []
    for t in texts:
        s = time.perf_counter()
        autocorrect_py.lint_for(t, "report.txt")
        per.append(time.perf_counter() - s)
    s = time.perf_counter()
    for f in corpus_files:
        autocorrect_py.lint_for(f.read_text(encoding="utf-8"), f.name)
    whole = time.perf_counter() - s
    import importlib.metadata as md

    return {
        "status": "ok",
        "version": md.version("autocorrect-py"),
        "warm_median_ms": 1000 * statistics.median(per),
        "corpus_seconds_1_core": whole,
        "reports": len(corpus_files),
    }


def _fmt(v: object, digits: int = 1) -> str:
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def reference_loop() -> float:
    """Milliseconds for a fixed pure-Python loop (best of 5): how fast this machine is right now.

    Shared virtual machines change speed by up to 2x over minutes; figures taken at
    different times compare only next to this.
    """
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i
        best = min(best, time.perf_counter() - t)
    return 1000 * best


def report_markdown(r: dict) -> str:
    corpus = r["corpus"]
    lines = [
        f"Machine: {r['machine']}; Python {r['python']}; reference loop (3 million additions): "
        f"{r['reference_loop_ms']:.0f} ms; corpus: {corpus['reports']} reports, mean {corpus['mean_kb']:.1f} KB.",
        "",
        "| measure | result | target |",
        "|---|---|---|",
    ]
    if "cold_start" in r:
        c = r["cold_start"]
        lines.append(
            f"| cold start, `gikcheck one-report.txt` (generated, {c['report_kb']:.0f} KB; median of "
            f"{c['runs']} pairs) | {_fmt(c['gikcheck_ms'], 0)} ms (`python -c pass`: "
            f"{_fmt(c['python_pass_ms'], 0)} ms), {c['ratio']:.1f}× | ≤ 150 ms |"
        )
    if "cold_real" in r:
        cr = r["cold_real"]
        for name, key in (("--version", "version"), ("--help", "help")):
            v = cr[key]
            lines.append(f"| cold `gikcheck {name}` | {v['ratio']:.1f}× ({_fmt(v['gikcheck_ms'], 0)} ms) | ≤ 3× |")
        nc = cr.get("no_cache")
        if nc:
            lines.append(
                f"| cold, `{nc['name']}` with the pack cache off (`GIKCHECK_NO_CACHE=1`, a first run ever) "
                f"| {nc['ratio']:.1f}× ({_fmt(nc['gikcheck_ms'], 0)} ms) | — |"
            )
        for row in cr["reports"]:
            lines.append(
                f"| cold, real report `{row['name']}` ({row['kb']:.0f} KB) | {row['ratio']:.1f}× "
                f"({_fmt(row['gikcheck_ms'], 0)} ms; pass {_fmt(row['python_pass_ms'], 0)} ms) | ≤ 8× |"
            )
    if "warm" in r:
        w = r["warm"]
        lines.append(
            f"| warm, per report in process, {w['reports']} reports of {w['mean_kb']:.1f} KB mean "
            f"(median / mean / p95) | {_fmt(w['median_ms'], 2)} / {_fmt(w['mean_ms'], 2)} / "
            f"{_fmt(w['p95_ms'], 2)} ms | ≤ 5 ms |"
        )
    if "real_report" in r:
        rr = r["real_report"]
        lines.append(
            f"| warm, end to end in process, real report {rr['name']} ({rr['kb']:.0f} KB) | "
            f"{_fmt(rr['median_ms'], 1)} ms | ≤ 50 ms |"
        )
    if r.get("warm_real", {}).get("reports"):
        wr = r["warm_real"]
        text = [row for row in wr["reports"] if row["name"].endswith((".txt", ".md"))]
        cells = ", ".join(f"{row['name'].rsplit('/', 1)[-1]} {row['median_ms']:.1f}" for row in wr["reports"])
        lines.append(
            f"| warm, end to end in process, per real report (mean of {len(wr['reports'])}; "
            f"text reports only: {statistics.fmean(x['median_ms'] for x in text) if text else 0:.1f} ms) | "
            f"{_fmt(wr['mean_ms'], 1)} ms ({cells}) | — |"
        )
    if "throughput" in r:
        t = r["throughput"]
        lines.append(
            f"| throughput, `gikcheck -j {t['jobs']} DIR` | {_fmt(t['seconds'])} s for {t['reports']} reports "
            f"({_fmt(t['reports_per_s'], 0)}/s); with `--format concise`: {_fmt(t['seconds_concise'])} s | "
            f"≤ 60 s for 10 000 |"
        )
    if "single_rss_mb" in r or "throughput" in r:
        one = _fmt(r.get("single_rss_mb", "—"))
        many = _fmt(r["throughput"]["peak_rss_mb"]) if "throughput" in r else "—"
        lines.append(f"| peak RSS (largest process), one report / `-j 2 DIR` | {one} MB / {many} MB | ≤ 150 MB |")
    if "projection" in r:
        pj = r["projection"]
        lines.append(
            f"| CPU per report in `gikcheck -j {pj['jobs']}` over {pj['reports']} reports; "
            f"projected for {NATIONAL:,} reports | {pj['cpu_ms_per_report']:.1f} ms; "
            f"{pj['projected_hours_cpu']:.1f} CPU hours, {pj['projected_hours_wall']:.1f} h on "
            f"{pj['jobs']} cores | — |"
        )
        if "projected_peak_rss_mb" in pj:
            # Below SPILL_AT files a run keeps the cross-document summaries in memory; a national
            # year spills them. A projection must come from the path the year takes.
            spilled = pj["reports"] // 2 >= SPILL_AT
            projected = (
                f"{pj['projected_peak_rss_mb']:.0f} MB"
                if spilled
                else f"not projected: below {SPILL_AT:,} files the summaries stay in memory, a national "
                "year spills them (`benchmarks/national.py --count 16000` measures that path)"
            )
            lines.append(
                f"| main process peak RSS over {pj['reports'] // 2} / {pj['reports']} reports "
                f"(growth per report); projected peak RSS for {NATIONAL:,} with -j {pj['jobs']} | "
                f"{_fmt(pj['half']['main_rss_mb'])} / {_fmt(pj['full']['main_rss_mb'])} MB "
                f"({pj['main_growth_kb_per_report']:.2f} KB); {projected} | "
                f"≤ 300 MB |"
            )
    if "autocorrect" in r:
        a = r["autocorrect"]
        if a.get("status") == "ok":
            lines.append(
                f"| autocorrect-py {a['version']} (outside baseline): warm per report / "
                f"{a['reports']} reports on 1 core | {_fmt(a['warm_median_ms'], 2)} ms / "
                f"{_fmt(a['corpus_seconds_1_core'])} s | — |"
            )
        else:
            lines.append(f"| autocorrect-py (outside baseline) | {a['status']} | — |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, help="a directory of reports (default: generate one)")
    p.add_argument("--small", action="store_true", help="small sizes, for tests: 60 reports, 3 runs")
    p.add_argument("--count", type=int, help="reports to generate when no --corpus (default 10000)")
    p.add_argument("--jobs", "-j", type=int, default=2)
    p.add_argument("--runs", type=int, help="cold-start runs (default 21; 3 with --small)")
    p.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    p.add_argument("--report", type=Path, help="a real report to time end to end (default: shared seed 000)")
    p.add_argument(
        "--real",
        type=Path,
        action="append",
        default=[],
        help="another real report to time (repeatable; ../shared's are always timed)",
    )
    p.add_argument(
        "--only",
        choices=("cold", "real", "warm", "throughput", "projection", "autocorrect"),
        action="append",
        help="run only these measurements (repeatable; default all)",
    )
    args = p.parse_args(argv)
    runs = args.runs or (3 if args.small else 21)
    tmp = None
    work = tempfile.mkdtemp(prefix="gikcheck-bench-work-")
    corpus = args.corpus
    if corpus is None:
        tmp = tempfile.mkdtemp(prefix="gikcheck-bench-")
        corpus = Path(tmp)
        generate.build(corpus, args.count or (60 if args.small else 10_000), seed=1, defect_rate=0.25)
    try:
        files = sorted(corpus.rglob("*.txt"))
        if not files:
            print(f"bench: no .txt reports under {corpus}", file=sys.stderr)
            return 2
        sample = files[:: max(1, len(files) // (20 if args.small else 500))]
        typical = sorted(sample, key=lambda f: abs(f.stat().st_size - 20_000))[0]
        only = set(args.only or ("cold", "real", "warm", "throughput", "projection", "autocorrect"))
        reals = real_reports(args.real, args.small)
        trad = traditional_report(Path(work))
        if trad not in reals:
            reals.append(trad)
        results: dict = {
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
            "python": platform.python_version(),
            "reference_loop_ms": reference_loop(),
            "corpus": {"reports": len(files), "mean_kb": statistics.fmean(f.stat().st_size for f in files) / 1024},
        }
        if "cold" in only:
            results["cold_start"] = cold_start(typical, runs)
            results["single_rss_mb"] = single_rss(typical)
        if "real" in only:
            results["cold_real"] = cold_real(reals, runs)
            results["warm_real"] = warm_real(reals, rounds=3 if args.small else 20)
        if "warm" in only:
            results["warm"] = warm(sample, rounds=1 if args.small else 3)
            real = args.report or SEED000
            if real is not None and real.is_file():
                results["real_report"] = real_report(real, rounds=3 if args.small else 20)
        if "throughput" in only:
            results["throughput"] = throughput(corpus, args.jobs)
        if "projection" in only:
            results["projection"] = projection(corpus, files, args.jobs)
        if "autocorrect" in only:
            results["autocorrect"] = autocorrect_baseline(sample, files)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(_PYCACHE, ignore_errors=True)
        shutil.rmtree(_PACKCACHE, ignore_errors=True)
    print(report_markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
