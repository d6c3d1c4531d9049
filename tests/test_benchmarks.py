"""The benchmark scripts run on a small size and produce numbers (no timed assertions)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def test_generator_makes_all_three_formats_with_defects(tmp_path):
    out = tmp_path / "corpus"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(out), "--small", "--defect-rate", "0.5"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "60 reports" in proc.stderr
    rows = list(csv.DictReader((out / "manifest.csv").open(encoding="utf-8")))
    assert len(rows) == 60 == len(list(out.rglob("*.txt")))
    assert {r["template"] for r in rows} == {"2008", "2019", "2021"}
    assert any(r["defects"] for r in rows)
    sizes = [int(r["bytes"]) for r in rows]
    assert min(sizes) >= 9_000 and max(sizes) <= 32_000
    # Each agency writes consecutive years; names vary.
    assert len({r["agency"] for r in rows}) >= 6
    first = (out / rows[0]["path"]).read_text(encoding="utf-8")
    assert rows[0]["agency"] in first.splitlines()[0] and rows[0]["year"] in first.splitlines()[0]


def test_clean_generated_series_pass_the_cross_year_rules(tmp_path):
    out = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(out), "--small", "--defect-rate", "0"],
        capture_output=True,
        check=True,
    )
    proc = subprocess.run(
        [sys.executable, "-m", "gikcheck", str(out), "--isolated", "--select", "GK3,GK510", "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[:2000]
    assert json.loads(proc.stdout) == []


def test_bench_small_produces_numbers(tmp_path):
    out = tmp_path / "corpus"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), str(out), "--small"], capture_output=True, check=True)
    result = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench.py"), "--small", "--corpus", str(out), "--json", str(result)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "| cold start" in proc.stdout
    data = json.loads(result.read_text(encoding="utf-8"))
    assert data["cold_start"]["gikcheck_ms"] > 0 and data["cold_start"]["python_pass_ms"] > 0
    assert data["warm"]["median_ms"] > 0 and data["warm"]["reports"] > 0
    assert data["throughput"]["reports"] == 60 and data["throughput"]["seconds"] > 0
    assert data["throughput"]["peak_rss_mb"] is None or data["throughput"]["peak_rss_mb"] > 0
    assert data["autocorrect"]["status"] == "ok" or "not installed" in data["autocorrect"]["status"]
    # Cold starts as ratios to `python -c pass` in pairs, on real reports too (at least the
    # traditional-script one, generated when ../shared is absent), and --version/--help.
    cold = data["cold_real"]
    assert cold["version"]["ratio"] > 0 and cold["help"]["ratio"] > 0 and data["cold_start"]["ratio"] > 0
    assert cold["reports"] and all(r["ratio"] > 0 and r["runs"] == 3 for r in cold["reports"])
    assert "| cold, real report" in proc.stdout and "| cold `gikcheck --version`" in proc.stdout
    assert data["warm_real"]["mean_ms"] > 0
    # A national year projected from the -j run: CPU per report, and the main process's growth.
    projection = data["projection"]
    assert projection["reports"] == 60 and projection["cpu_ms_per_report"] > 0
    assert projection["projected_hours_wall"] > 0
    if projection["full"]["main_rss_mb"] is not None:  # /proc is there
        assert projection["main_growth_kb_per_report"] >= 0 and projection["projected_peak_rss_mb"] > 0


def test_rule_timing_small_produces_numbers(tmp_path):
    result = tmp_path / "rules.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "rules.py"), "--small", "--json", str(result)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "| parse: split_blocks |" in proc.stdout
    data = json.loads(result.read_text(encoding="utf-8"))
    times = data["ms_per_report"]
    assert data["reports"] == 20
    assert {"read", "parse", "GK301", "GK510", "total (lint_bytes)"} <= set(times)
    # The analyses rules share are named where they are built, and the rules do get their time
    # (they all read 0.00 when the rules' loop skipped every rule).
    assert {"fact: reflow._report_view", "fact: checks.prose._build_prose_text"} <= set(times)
    assert sum(v for k, v in times.items() if k.startswith("GK")) > 0
    assert all(v >= 0 for v in times.values())


def test_rule_timing_charges_a_shared_analysis_to_itself_not_to_the_rule_asking_first():
    sys.path.insert(0, str(BENCH))
    try:
        import rules
    finally:
        sys.path.remove(str(BENCH))
    now = [0.0]

    def tick(seconds: float) -> None:
        now[0] += seconds

    watch = rules.Stopwatch(clock=lambda: now[0])

    def fact(owner: object) -> int:
        tick(5)
        return 1

    def rule() -> int:
        tick(1)
        value = watch.build(fact, None)
        tick(2)
        return value

    assert watch.run("GK999", rule) == 1
    assert watch.totals == {"GK999": 3, f"fact: {__name__}.fact": 5}
