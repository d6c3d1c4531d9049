"""Issue 10: every published layout of a report gives the table findings of its .docx.

tests/fixtures/layouts/<report>/ holds one report (reports.toml: template, agency level,
known table defects) rendered by tools/render_layouts.py into every form a user meets:
the Word-export HTML master, .docx, browser innerText, w3m/lynx/pandoc dumps, LibreOffice
text and spreadsheet exports, two PDFs and their pdftotext output. Table findings are the
GK2xx/GK3xx findings as (code, anchor).

KNOWN_UNREAD lists what the table reader cannot read yet, by form ("form") or by one
report in one form ("report/form"). The marks are strict: a form that starts being read
fails its xfail, and its entry must go.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from gikcheck import check_path
from gikcheck.config import Settings

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
REPORTS: dict[str, dict] = tomllib.loads((LAYOUTS / "reports.toml").read_text(encoding="utf-8"))

# form -> file name in the report's directory (tools/render_layouts.py FORMS, master first)
FORMS = {
    "html": "html.html",
    "docx": "docx.docx",
    "innertext": "innertext.txt",
    "innertext-plain-cells": "innertext-plain-cells.txt",
    "w3m-80": "w3m-80.txt",
    "w3m-200": "w3m-200.txt",
    "lynx": "lynx.txt",
    "pandoc2-plain": "pandoc2-plain.txt",
    "pandoc3-plain": "pandoc3-plain.txt",
    "pandoc3-gfm": "pandoc3-gfm.md",
    "writer-txt": "writer-txt.txt",
    "calc-tsv": "calc-tsv.tsv",
    "lo-pdf": "lo-pdf.pdf",
    "chromium-pdf": "chromium-pdf.pdf",
    "lo-pdftotext-layout": "lo-pdftotext-layout.txt",
    "lo-pdftotext": "lo-pdftotext.txt",
    "chromium-pdftotext-layout": "chromium-pdftotext-layout.txt",
    "chromium-pdftotext": "chromium-pdftotext.txt",
}

_NO_TABLES = "no table recognised (GK201 for 表二/表三/表四)"
KNOWN_UNREAD: dict[str, str] = {
    "innertext": "Word-export cells (<p> in <td>) give one cell per line with lone-tab lines between: " + _NO_TABLES,
    "innertext-plain-cells": "tab-separated rows, <br> header halves on their own lines: 表二 blocks split, 表三 columns shifted",
    "w3m-80": "box-drawing grid with labels wrapped on continuation lines: " + _NO_TABLES,
    "w3m-200": "box-drawing grid (│ ─ ┼): " + _NO_TABLES,
    "lynx": "one centred cell per line, blank lines between, empty cells dropped: " + _NO_TABLES,
    "pandoc2-plain": "pandoc 2 simple tables from the .docx, spans flattened: " + _NO_TABLES,
    "pandoc3-plain": "pandoc 3 +---+ grid tables: 表三 only partly read (GK206 on row fragments), 表二/表四 missing",
    "pandoc3-gfm": "merged cells come as raw <table> HTML inside Markdown, not read as HTML: " + _NO_TABLES,
    "writer-txt": "one cell per line, <br> halves on their own lines, no blank lines: 表三 rows missing (GK204)",
    "calc-tsv": "all tables on one sheet grid with spacer columns: GK206 on most rows, wrong columns",
    "lo-pdf": "rowspan labels and wrapped labels in the PDF text: GK204/GK206 on 表三",
    "chromium-pdf": "labels wrapped inside narrow cells: GK203 on wrapped labels, GK204/GK206",
    "lo-pdftotext-layout": "column layout with labels wrapped one character per line: " + _NO_TABLES,
    "lo-pdftotext": "cells in reading order, page break inside 表三: " + _NO_TABLES,
    "chromium-pdftotext-layout": "column layout, page break inside 表三: " + _NO_TABLES,
    "chromium-pdftotext": "cells in reading order, page break inside 表三: " + _NO_TABLES,
    # The .docx itself, for one report: rows whose cells are all blank are taken as absent.
    "township-2020-blank/docx": "all-blank rows of 表三 reported missing (GK204); 表四 read as 5 columns",
}

CLEAN = [name for name, spec in REPORTS.items() if not spec.get("defects")]


def _unread(report: str, form: str) -> str | None:
    return KNOWN_UNREAD.get(f"{report}/{form}") or KNOWN_UNREAD.get(form)


def _pairs(reports, forms) -> list:
    out = []
    for report in reports:
        for form in forms:
            reason = _unread(report, form)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(report, form, marks=marks, id=f"{report}-{form}"))
    return out


@functools.cache
def table_findings(report: str, form: str) -> frozenset[tuple[str, str]]:
    """(code, anchor) of the GK2xx/GK3xx findings of one form, with default settings."""
    path = LAYOUTS / report / FORMS[form]
    return frozenset((d.code, d.anchor) for d in check_path(path, Settings())
                     if d.code.startswith(("GK2", "GK3")))


def _matches(found: tuple[str, str], known: tuple[str, str]) -> bool:
    """The known defect's code, and its anchor or a finer one ("table:applications" covers its cells)."""
    return found[0] == known[0] and (found[1] == known[1] or found[1].startswith(known[1] + ":"))


def test_every_report_has_every_form() -> None:
    assert len(REPORTS) >= 6
    for report in REPORTS:
        for form, name in FORMS.items():
            assert (LAYOUTS / report / name).is_file(), f"{report}/{name}: run tools/render_layouts.py"


def test_manifest_covers_the_issue() -> None:
    """Both templates, three agency levels, two clean reports, a blank-cell report, one-defect reports."""
    specs = REPORTS.values()
    assert {s["template"] for s in specs} == {"2019", "2021"}
    assert {s["level"] for s in specs} == {"government", "department", "township"}
    assert len(CLEAN) >= 2
    codes = {code for s in specs for code, _ in s["defects"]}
    assert {"GK301", "GK302", "GK303", "GK304", "GK203", "GK205"} <= codes


@pytest.mark.parametrize("report, form", _pairs(REPORTS, [f for f in FORMS if f != "docx"]))
def test_form_gives_the_docx_table_findings(report: str, form: str) -> None:
    assert sorted(table_findings(report, form)) == sorted(table_findings(report, "docx"))


@pytest.mark.parametrize("report, form", _pairs(CLEAN, FORMS))
def test_clean_report_has_no_table_findings(report: str, form: str) -> None:
    assert sorted(table_findings(report, form)) == []


@pytest.mark.parametrize("report, form", _pairs(REPORTS, ["docx"]))
def test_docx_gives_exactly_the_known_defects(report: str, form: str) -> None:
    known = [tuple(k) for k in REPORTS[report]["defects"]]
    found = table_findings(report, form)
    missed = [k for k in known if not any(_matches(f, k) for f in found)]
    false = sorted(f for f in found if not any(_matches(f, k) for k in known))
    assert (missed, false) == ([], [])
