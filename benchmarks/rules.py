"""Where the per-report time goes: reading, parsing, and each rule, in process.

    python benchmarks/rules.py --corpus DIR [--reports 200] [--json out.json]
    python benchmarks/rules.py --small          # 20 generated reports

Prints a table of milliseconds per report, slowest first. Run-scope rules
are timed on ``summarize()`` (their per-report part). Rules that share a
cached analysis of the report are charged for it the first time it is
built, so the order of the rules in the registry matters a little.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def measure(files: list[Path]) -> dict[str, float]:
    from gikcheck.config import Settings
    from gikcheck.engine import knowledge_for, lint_bytes, read_bytes
    from gikcheck.parsing.report import ParseOptions, parse
    from gikcheck.registry import all_rules
    from gikcheck.rule import RuleContext

    settings = Settings()
    knowledge = knowledge_for(settings)
    data = [(f.read_bytes(), str(f)) for f in files]
    for b, p in data[:3]:
        lint_bytes(b, p, settings)  # warm caches and compiled patterns
    out: dict[str, float] = {}
    t = time.perf_counter()
    docs = [read_bytes(b, p) for b, p in data]
    out["read"] = (time.perf_counter() - t) / len(data)
    t = time.perf_counter()
    reports = [parse(d, knowledge, ParseOptions()) for d in docs]
    out["parse"] = (time.perf_counter() - t) / len(data)
    for rule in all_rules():
        if rule.engine:
            continue
        t = time.perf_counter()
        for report in reports:
            if report.template.id not in rule.templates:
                continue
            try:
                if rule.scope == "run":
                    rule().summarize(report, RuleContext(rule, report, settings))
                else:
                    list(rule().check(report, RuleContext(rule, report, settings)))
            except Exception:  # a broken rule is GK002's business, not the benchmark's
                pass
        out[rule.code] = (time.perf_counter() - t) / len(data)
    t = time.perf_counter()
    for b, p in data:
        lint_bytes(b, p, settings)
    out["total (lint_bytes)"] = (time.perf_counter() - t) / len(data)
    return {k: 1000 * v for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path)
    p.add_argument("--small", action="store_true", help="20 generated reports (for tests)")
    p.add_argument("--reports", type=int, default=None, help="how many reports of the corpus (default 200)")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    n = args.reports or (20 if args.small else 200)
    tmp = None
    corpus = args.corpus
    if corpus is None:
        tmp = tempfile.mkdtemp(prefix="gikcheck-rules-")
        corpus = Path(tmp)
        generate.build(corpus, n, seed=1, defect_rate=0.25)
    try:
        files = sorted(corpus.rglob("*.txt"))
        files = files[:: max(1, len(files) // n)][:n]
        if not files:
            print(f"rules: no .txt reports under {corpus}", file=sys.stderr)
            return 2
        times = measure(files)
        kb = statistics.fmean(f.stat().st_size for f in files) / 1024
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(files)} reports, {kb:.1f} KB mean; milliseconds per report:\n")
    print("| stage or rule | ms |\n|---|---|")
    for name, ms in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {ms:.2f} |")
    if args.json:
        args.json.write_text(
            json.dumps({"reports": len(files), "mean_kb": kb, "ms_per_report": times}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
