"""Arbitrary text and table shapes: nothing raises, every span lies inside the document."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gikcheck.engine import check_text, lint_bytes

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "clean-2021.txt").read_text(encoding="utf-8")
LINES = EXAMPLE.splitlines()

# Characters that matter to the parser: CJK, ordinals, brackets, separators, digits, debris.
ALPHABET = st.sampled_from(
    list("政府信息公开年度报告一二三四五六七八九十（）()、.。,，|\t\n 0123456789-—?？申请总计自然人第二十条项鄉(xiāng)")
    + ["\r", "\ufffd"]
)


def _check_spans(text: str) -> None:
    for d in check_text(text, "fuzz.txt"):
        assert 0 <= d.span.start <= d.span.end <= len(text), d
        loc = d.location
        assert 1 <= loc.line <= loc.end_line <= text.count("\n") + 1
        assert d.code != "GK002", d.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=400))
def test_arbitrary_text(text):
    _check_spans(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=0, max_value=len(LINES) - 1), max_size=60),
    st.lists(st.sampled_from(["", "0", "-1", "x", "1.5", "—", "12"]), max_size=20),
)
def test_shuffled_report_lines_and_cells(order, cells):
    lines = [LINES[i] for i in order]
    if cells and lines:
        lines.append(" | ".join(["（七）总计", *cells]))
    _check_spans("\n".join(lines))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data):
    res = lint_bytes(data, "x.bin")
    assert all(d.code != "GK002" for d in res.diagnostics)


def test_zero_ordinal_does_not_crash_numbering():
    _check_spans("政府信息公开工作年度报告\n0、<\n1、正文\n")
