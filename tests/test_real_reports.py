"""Issue 15: the shared real reports, checked as a reviewer would read them.

tests/fixtures/real/verdicts.tsv lists every finding gikcheck gives on the three
complete real reports of ../shared/corpus/real with a reviewed verdict. The test
fails on a finding that is not listed (a new one must be reviewed and added), on a
listed finding that is gone, and on any verdict other than "true": the noise budget
is zero. The reports' own expect.tsv rows must hold too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED, tsv_rows

from gikcheck import check_path

REAL = SHARED / "corpus" / "real"
VERDICTS = Path(__file__).parent / "fixtures" / "real" / "verdicts.tsv"


def _reports() -> list[str]:
    return sorted({r[0] for r in tsv_rows(VERDICTS)})


@pytest.fixture(scope="module")
def real() -> Path:
    if not (REAL / "expect.tsv").is_file():
        pytest.skip("../shared/corpus/real is not available")
    return REAL


def _found(real: Path, name: str) -> list[tuple[str, int]]:
    return sorted((d.code, d.location.line) for d in check_path(real / name))


@pytest.mark.parametrize("name", _reports())
def test_every_finding_is_reviewed_and_true(real, name):
    reviewed = {(r[1], int(r[2])): r[3] for r in tsv_rows(VERDICTS) if r[0] == name}
    found = _found(real, name)
    assert [f for f in found if f not in reviewed] == [], "new findings: review them and add them to verdicts.tsv"
    assert [f for f in reviewed if f not in found] == [], "reviewed findings no longer given"
    assert {v for v in reviewed.values()} == {"true"}


def test_real_expectations_hold(real):
    failures = []
    for name in sorted({r[0] for r in tsv_rows(real / "expect.tsv")}):
        codes = {c for c, _ in _found(real, name)}
        for r in tsv_rows(real / "expect.tsv"):
            if r[0] != name:
                continue
            if r[2] == "yes" and r[1] not in codes:
                failures.append(f"{name} {r[1]} expected yes")
            if r[2] == "no" and r[1] in codes:
                failures.append(f"{name} {r[1]} expected no")
    assert failures == []
