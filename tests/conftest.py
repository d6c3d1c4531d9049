"""Shared test helpers: check a fixture report and get (code, line) pairs."""
from __future__ import annotations

from pathlib import Path

import pytest

from gikcheck.config import Settings, apply
from gikcheck.engine import check_text

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def settings(**kw) -> Settings:
    """Settings from kebab-case keys, as a config file would give them."""
    return apply(Settings(), {k.replace("_", "-"): v for k, v in kw.items()}, "test")


def findings(text: str, select=None, **kw) -> list[tuple[str, int]]:
    """(code, line) of every finding, sorted; ``select`` limits the rules."""
    if select is not None:
        kw["select"] = [select] if isinstance(select, str) else list(select)
    diags = check_text(text, "fixture.txt", settings(**kw))
    return sorted((d.code, d.location.line) for d in diags)


def places(text: str, select=None, **kw) -> list[tuple[str, int]]:
    """(code, line) of every place found, sorted: a grouped finding (one pattern, many places)
    counts each of its places, as ``--statistics`` does."""
    if select is not None:
        kw["select"] = [select] if isinstance(select, str) else list(select)
    diags = check_text(text, "fixture.txt", settings(**kw))
    return sorted((d.code, r.location.line) for d in diags for r in (d.places() or (d,)))


def codes(text: str, select=None, **kw) -> set[str]:
    return {c for c, _ in findings(text, select, **kw)}


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the first ``old`` replaced (which must be there)."""
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first ``needle`` in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not (corpus / "expect.tsv").is_file():
        pytest.skip("../shared/corpus is not available")
    return corpus
