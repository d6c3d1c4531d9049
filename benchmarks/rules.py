"""Where the per-report time goes: reading, parsing, and each rule, in process.

    python benchmarks/rules.py --corpus DIR [--corpus DIR2 ...] [--reports 200] [--json out.json]
    python benchmarks/rules.py --small          # 20 generated reports

Prints a table of milliseconds per report, slowest first: reading, the
steps of parsing ("parse: ..."), each rule, and each analysis rules share
("fact: ..."). Run-scope rules are timed on ``summarize()`` (their
per-report part). An analysis kept on the report (``memo.once``) is timed
where it is built, under its own name, and not charged to the rule that
happened to ask for it first; every figure is exclusive of the timed steps
inside it, so the rows add up to about the total of ``lint_bytes``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


class Stopwatch:
    """Exclusive times by name: what runs inside a timed step is not charged to it twice.

    ``memo.once`` builds the analyses rules share (the prose view, the figures, the
    cross-document key...) through ``build``: each is charged, under its own name, to
    "fact: module.function", and taken out of the rule or stage that happened to ask first.
    """

    def __init__(self, clock: Callable[[], float] = time.process_time) -> None:
        self.clock = clock  # CPU time: other processes on a shared machine do not count
        self.totals: dict[str, float] = {}
        self._inner: list[float] = []  # time spent in nested timed steps, per open step

    def run(self, name: str, fn: Callable[..., Any], *args: Any) -> Any:
        self._inner.append(0.0)
        start = self.clock()
        try:
            return fn(*args)
        finally:
            elapsed = self.clock() - start
            inner = self._inner.pop()
            self.totals[name] = self.totals.get(name, 0.0) + elapsed - inner
            if self._inner:
                self._inner[-1] += elapsed

    def build(self, build: Callable[..., Any], owner: object, *args: Any) -> Any:
        return self.run(f"fact: {_short(build.__module__)}.{build.__name__}", build, owner, *args)


def _short(module: str) -> str:
    return module.removeprefix("gikcheck.")


# The steps of parse() timed on their own (names as report.py's module sees them).
PARSE_STEPS = (
    "split_blocks",
    "find_regions",
    "_claim",
    "compact_key",
    "_markers",
    "_select_template",
    "map_sections",
    "classify",
    "map_table",
    "_read_region",
    "_signature_agency",
)
META_STEPS = ("find_title", "find_dates", "find_period", "body_year", "classify_level", "is_people_government")


def _wrap_parse_steps(watch: Stopwatch) -> Callable[[], None]:
    """Time parse()'s steps by wrapping the names its module calls them by; returns the undo."""
    from gikcheck.parsing import meta, report

    undo = []
    for module, names, prefix in ((report, PARSE_STEPS, "parse: "), (meta, META_STEPS, "parse: meta.")):
        for name in names:
            fn = getattr(module, name)

            def timed(*a: Any, _fn: Callable[..., Any] = fn, _name: str = prefix + name, **kw: Any) -> Any:
                return watch.run(_name, lambda: _fn(*a, **kw))

            setattr(module, name, timed)
            undo.append((module, name, fn))

    def restore() -> None:
        for module, name, fn in undo:
            setattr(module, name, fn)

    return restore


def measure(files: list[Path], repeat: int = 1) -> dict[str, float]:
    """Milliseconds per report by stage, rule and shared analysis; the best of ``repeat`` rounds."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        for k, v in _measure_once(files).items():
            best[k] = min(v, best.get(k, v))
    rows = sum(v for k, v in best.items() if k not in ("parse", "total (lint_bytes)"))
    best[REST] = max(0.0, best["total (lint_bytes)"] - rows)
    return best


REST = "lint_bytes' own work (total − the rows)"


def _measure_once(files: list[Path]) -> dict[str, float]:
    from gikcheck import memo
    from gikcheck.config import Settings
    from gikcheck.engine import _enabled_rules, _one_per_defect, knowledge_for, lint_bytes, read_bytes
    from gikcheck.identity import identity
    from gikcheck.parsing.report import ParseOptions, parse
    from gikcheck.rule import RuleContext

    settings = Settings()
    knowledge = knowledge_for(settings)
    data = [(f.read_bytes(), str(f)) for f in files]
    for b, p in data:
        lint_bytes(b, p, settings)  # warm caches and compiled patterns: the steady state is what is measured
    watch = Stopwatch()
    memo.builder = watch.build
    restore = _wrap_parse_steps(watch)
    try:
        docs = [watch.run("read", read_bytes, b, p) for b, p in data]
        for d in docs:  # the folded text (a cached property parse() builds on first use), on its own
            watch.run("parse: make_shadow", getattr, d, "shadow")
        reports = [watch.run("parse (the rest)", parse, d, knowledge, ParseOptions()) for d in docs]
        found: list[list] = [[] for _ in reports]
        for rule in _enabled_rules(settings, ""):
            if rule.engine:
                continue
            watch.totals.setdefault(rule.code, 0.0)  # listed even where it applies to no report
            for report, its in zip(reports, found):
                if not rule.applies_to(report.template):
                    continue
                ctx = RuleContext(rule, report, settings)
                try:
                    if rule.scope == "run":
                        watch.run(rule.code, rule().summarize, report, ctx)
                    else:
                        its += watch.run(rule.code, lambda r=rule, rep=report, c=ctx: list(r().check(rep, c)))
                except Exception:  # a broken rule is GK002's business, not the benchmark's
                    pass
        for report, its in zip(reports, found):
            its.sort(key=lambda d: d.sort_key())
            watch.run("one finding per defect (grouping)", _one_per_defect, its, report)
            watch.run("identity", identity, report, settings)
    finally:
        memo.builder = None
        restore()
    out = dict(watch.totals)
    start = time.process_time()
    for b, p in data:
        lint_bytes(b, p, settings)
    out["total (lint_bytes)"] = time.process_time() - start
    out["parse"] = sum(v for k, v in out.items() if k.startswith("parse"))
    return {k: 1000 * v / len(data) for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, action="append", help="a folder of .txt reports, or a report (repeatable)")
    p.add_argument("--small", action="store_true", help="20 generated reports (for tests)")
    p.add_argument("--reports", type=int, default=None, help="how many reports of the corpus (default 200)")
    p.add_argument("--repeat", type=int, default=3, help="rounds; each figure is its best round (default 3)")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    n = args.reports or (20 if args.small else 200)
    tmp = None
    corpus = args.corpus
    if not corpus:
        tmp = tempfile.mkdtemp(prefix="gikcheck-rules-")
        corpus = [Path(tmp)]
        generate.build(corpus[0], n, seed=1, defect_rate=0.25)
    try:
        files = sorted(f for c in corpus for f in ([c] if c.is_file() else c.rglob("*.txt")))
        files = files[:: max(1, len(files) // n)][:n]
        if not files:
            print(f"rules: no .txt reports under {' '.join(map(str, corpus))}", file=sys.stderr)
            return 2
        times = measure(files, max(1, args.repeat))
        kb = statistics.fmean(f.stat().st_size for f in files) / 1024
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    rows = {k: v for k, v in times.items() if k not in ("parse", "total (lint_bytes)")}
    rest = REST
    print(f"{len(files)} reports, {kb:.1f} KB mean; milliseconds per report (best of {args.repeat} rounds):\n")
    print(
        f"total (lint_bytes) {times['total (lint_bytes)']:.2f}; parse {times['parse']:.2f} "
        f'(its steps below, "parse: ..."); the rows but the last sum to {sum(rows.values()) - rows[rest]:.2f}\n'
    )
    print("| stage, rule or shared analysis | ms |\n|---|---|")
    for name, ms in sorted(rows.items(), key=lambda kv: (kv[0] == rest, -kv[1])):
        print(f"| {name} | {ms:.2f} |")
    if args.json:
        args.json.write_text(
            json.dumps({"reports": len(files), "mean_kb": kb, "ms_per_report": times}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
