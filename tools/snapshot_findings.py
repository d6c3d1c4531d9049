"""Snapshot what gikcheck makes of a set of reports, to prove a refactoring changed nothing.

    python tools/snapshot_findings.py OUT.json            # write the snapshot
    python tools/snapshot_findings.py OUT.json --compare BASE.json

Each report (every file of tests/fixtures/layouts and tests/fixtures/narrow-review, ../shared/corpus with
corpus/real, ../shared/seeds, and any PATH given with --add) is checked on
its own, in process, as ``gikcheck --format json FILE`` checks it; the
snapshot holds its findings (as the JSON output has them), a digest of the
text and line origins its reader produced, and the tables the parser read
(cells, labels, what is missing or extra). ``--compare`` prints every
report whose snapshot differs, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from gikcheck.config import Resolver
from gikcheck.engine import lint_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def reports(extra: list[Path]) -> list[Path]:
    out = sorted(
        p
        for folder in ("layouts", "narrow-review")
        for p in (ROOT / "tests" / "fixtures" / folder).rglob("*")
        if p.is_file() and p.suffix != ".py" and p.name != "README.md"
    )
    for folder in (SHARED / "corpus", SHARED / "corpus" / "real", SHARED / "seeds"):
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir() if p.is_file() and not p.name.endswith((".tsv", "README.md")))
    return out + extra


def _table(mt) -> dict:
    return {
        "key": mt.spec.key,
        "span": [mt.span.start, mt.span.end],
        "rows": mt.row_order,
        "columns": mt.columns,
        "labels": {r: [c.text, c.start, c.end] for r, c in mt.row_labels.items()},
        "cells": sorted(
            [r, c, repr(m.value), m.problem, m.cell.text, m.cell.start, m.cell.end] for (r, c), m in mt.cells.items()
        ),
        "label_issues": [repr(i) for i in mt.label_issues],
        "extras": [repr(e) for e in mt.extras],
        "missing": [repr(m) for m in mt.missing],
        "outdated": repr(mt.outdated),
        "layout": mt.layout_template,
        "unreliable": mt.unreliable,
    }


def snapshot(path: Path) -> dict:
    settings = Resolver().for_path(path)
    res = lint_path(path, settings, summarize=False)
    out: dict = {"findings": [d.to_dict() for d in res.diagnostics]}
    rep = res.report
    if rep is not None:
        doc = rep.doc
        out["text"] = hashlib.sha256(doc.text.encode()).hexdigest()
        out["origins"] = hashlib.sha256(repr(doc.origins).encode()).hexdigest()
        out["template"] = rep.template.id
        out["tables"] = [_table(t) for t in rep.tables]
        out["unclassified"] = [[r.span.start, r.span.end, r.kind, len(r.rows)] for r in rep.unclassified]
        out["sections"] = [[s.spec.key, s.start, s.end] for s in rep.sections]
        out["regions"] = repr(rep.blocks.regions)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--add", type=Path, nargs="*", default=[])
    args = ap.parse_args()
    snap = {}
    for p in reports(args.add):
        key = str(p.relative_to(ROOT.parent)) if p.is_relative_to(ROOT.parent) else str(p)
        snap[key] = snapshot(p)
    args.out.write_text(json.dumps(snap, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(snap)} reports", file=sys.stderr)
    if args.compare:
        base = json.loads(args.compare.read_text(encoding="utf-8"))
        now = json.loads(args.out.read_text(encoding="utf-8"))
        bad = sorted(k for k in base.keys() | now.keys() if base.get(k) != now.get(k))
        for k in bad:
            print("DIFFERS:", k)
            b, n = base.get(k) or {}, now.get(k) or {}
            for field in sorted(b.keys() | n.keys()):
                if b.get(field) != n.get(field):
                    print("   ", field)
        print(f"{len(bad)} of {len(base)} differ", file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
