"""The shared development corpus: every expect.tsv row of the implemented rule families holds.

Skips when ../shared is not next to the project (as on a user's machine).
"""

from __future__ import annotations

from conftest import tsv_rows

from gikcheck.engine import lint_path
from gikcheck.registry import all_rules

IMPLEMENTED = {r.code for r in all_rules()}


def test_expectations(shared_corpus):
    failures = []
    cache = {}
    rows = [r for r in tsv_rows(shared_corpus / "expect.tsv") if r[1] in IMPLEMENTED]
    assert rows
    for f, code, expect, *_rest in rows:
        if f not in cache:
            cache[f] = {d.code for d in lint_path(shared_corpus / f).diagnostics}
        got = code in cache[f]
        if got != (expect == "yes"):
            failures.append(f"{f} {code} expected {expect}")
    assert failures == []


def test_seed003_all_zero_tables_raise_no_arithmetic(shared_corpus):
    diags = lint_path(shared_corpus / "seed003.txt").diagnostics
    assert not [d for d in diags if d.code.startswith("GK3") and d.code in ("GK301", "GK302", "GK303", "GK304")]


def test_no_traceback_on_any_corpus_file(shared_corpus):
    for f in sorted(shared_corpus.glob("*.txt")):
        assert all(d.code != "GK002" for d in lint_path(f).diagnostics), f.name
