"""Issue 11: a bounded fuzz test over mutated reports in text, .docx, HTML and PDF form.

A mutated report may give any findings, but never an internal error (GK002: an
exception while reading, parsing or checking), never a position outside the
text, and never a run longer than ``SECONDS``. The mutations aim at the table
readers (separators, aligned columns, box drawing, spans) and at the value
parser (huge numbers), besides plain edits.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from test_readers import C, report, to_docx, to_html, to_pdf, to_txt

from gikcheck.engine import lint_bytes

SECONDS = 15.0  # one report, however mutated (a clean one takes well under a second)

ATOMS = [
    "9" * 5000,
    "9" * 400 + ".0",
    "1" * 16,
    "-3",
    "0.5",
    "１２",
    "1,234",
    "12万元",
    "—",
    "",
    " ",
    "    ",
    "|---|---|",
    "| --- | :-: |",
    "+----+----+",
    "│",
    "─",
    "┼",
    "├──┼──┤",
    "|",
    "||",
    "\t",
    "\t\t",
    "一、",
    "（三）",
    "3.",
    "合计",
    "总计",
    "第二十条第（一）项",
    "本年新收政府信息公开申请数量",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "行政复议",
    "结果维持",
    "2022年",
    "2021年12月31日",
    "<b>",
    "&amp;",
    "&",
    "表",
    "注:",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
]
CONTROLS = ["\n", "\n\n", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1e", "\u3000", "\ufeff"]
HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=6)
NUMBERS = st.integers(min_value=0, max_value=10**20).map(str)


def payload(controls: bool) -> st.SearchStrategy[str]:
    parts = st.sampled_from(ATOMS + (CONTROLS if controls else [])) | HAN | NUMBERS
    return st.lists(parts, min_size=0, max_size=4).map("".join)


@st.composite
def mutated_model(draw, controls: bool = False, spans: bool = True) -> list:
    """The clean report model with a few edits to its paragraphs, rows and cells.

    ``spans``: also change cells' spans (the .docx and PDF writers of the tests need a consistent grid).
    """
    model = copy.deepcopy(report())
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(model) - 1))
        item = model[i]
        kinds = ["text", "cell", "drop-row", "dup-row", "drop-item", "split"] + (["span"] if spans else [])
        kind = draw(st.sampled_from(kinds))
        if isinstance(item, str) or kind == "drop-item":
            if kind == "drop-item":
                del model[i]
            elif kind == "split":
                cut = draw(st.integers(0, len(item)))
                model[i : i + 1] = [item[:cut], item[cut:]]
            else:
                model[i] = draw(payload(controls)) + item[draw(st.integers(0, len(item))) :]
            if not model:
                model.append("报告")
            continue
        r = draw(st.integers(0, len(item) - 1))
        row = item[r]
        if kind == "drop-row" and len(item) > 1 and spans:
            del item[r]
        elif kind == "dup-row" and spans:
            item.insert(r, copy.deepcopy(row))
        elif row:
            c = draw(st.integers(0, len(row) - 1))
            if kind == "span":
                row[c] = C(row[c].text, draw(st.integers(1, 4)), draw(st.integers(1, 4)))
            else:
                row[c] = C(draw(payload(controls)), row[c].cs, row[c].rs)
    return model


def check(data: bytes, name: str) -> None:
    start = time.monotonic()
    res = lint_bytes(data, name)
    took = time.monotonic() - start
    internal = [d.message for d in res.diagnostics if d.code == "GK002"]
    assert not internal, internal
    assert took < SECONDS, f"{name}: {took:.1f} s"
    if res.text is None:
        return
    n = len(res.text)
    lines = res.text.count("\n") + 1
    for d in res.diagnostics:
        assert 0 <= d.span.start <= d.span.end <= n, (d.code, d.span, n)
        if d.location is not None:
            assert 1 <= d.location.line <= d.location.end_line <= lines, (d.code, d.location, lines)
        for r in d.related:
            assert 0 <= r.span.start <= r.span.end <= n, (d.code, "related", r.span, n)


def _fuzz(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@_fuzz(60)
@given(mutated_model(controls=True), st.sampled_from([" | ", "\t", "    ", " │ "]))
def test_fuzz_text(model, separator):
    text = to_txt(model)
    if separator != " | ":  # the same table as tabs, aligned columns or box drawing
        text = text.replace(" | ", separator)
    check(text.encode("utf-8"), "r.txt")


@_fuzz(40)
@given(
    st.sampled_from(sorted((Path(__file__).parent / "fixtures" / "text").glob("*.txt"))),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), payload(True)), min_size=1, max_size=5),
)
def test_fuzz_text_fixtures(path, edits):
    """Raw edits (cut a stretch, put a payload in) anywhere in the text fixtures."""
    text = path.read_text(encoding="utf-8")
    for where, cut, put in edits:
        at = int(where * len(text))
        text = text[:at] + put + text[at + cut :]
    check(text.encode("utf-8"), path.name)


LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
LAYOUT_TEXTS = sorted(p for p in LAYOUTS.glob("*/*") if p.suffix in (".txt", ".md", ".tsv", ".html"))


@pytest.mark.skipif(not LAYOUT_TEXTS, reason="no layout fixtures")
@_fuzz(40)
@given(
    st.sampled_from(LAYOUT_TEXTS or [Path("none")]),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 400), payload(True)), min_size=1, max_size=6),
)
def test_fuzz_published_layouts(path, edits):
    """Raw edits in every published form of the layout fixtures (innerText, w3m, lynx, pandoc,
    pdftotext, spreadsheet exports, Word-export HTML): the table readers' own ground."""
    text = path.read_text(encoding="utf-8")
    for where, cut, put in edits:
        at = int(where * len(text))
        text = text[:at] + put + text[at + cut :]
    check(text.encode("utf-8"), path.name)


@_fuzz(25)
@given(mutated_model(controls=True))
def test_fuzz_html(model):
    check(to_html(model).encode("utf-8"), "r.html")


@_fuzz(6)
@given(mutated_model(spans=False))
def test_fuzz_docx(model):
    pytest.importorskip("docx")
    check(to_docx(model), "r.docx")


@_fuzz(6)
@given(mutated_model(spans=False))
def test_fuzz_pdf(model):
    pytest.importorskip("pypdfium2_raw")
    pytest.importorskip("reportlab")
    from reportlab.platypus.doctemplate import LayoutError

    try:
        data = to_pdf(model)
    except LayoutError:  # a cell taller than a page (a long run of digits): reportlab prints no such PDF
        reject()
    check(data, "r.pdf")
