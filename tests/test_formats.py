"""Machine formats: sarif, github, junit, jsonl (golden files and structural checks)."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import CHROMIUM, chromium_dom, needs_chromium

from gikcheck.cli import main
from gikcheck.diagnostics import Diagnostic, Edit, Fix, Related, Severity, Span
from gikcheck.document import Document
from gikcheck.engine import FileResult
from gikcheck.formatters import github, jsonl, junit, sarif

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TABLES = EXAMPLES / "defective-tables.txt"
ARITH = EXAMPLES / "defective-arithmetic.txt"
CLEAN = EXAMPLES / "clean-2019.txt"
GOLDEN = Path(__file__).parent / "fixtures" / "formats"
# The official SARIF 2.1.0 schema (OASIS), vendored from @microsoft/jest-sarif: see its LICENSE file beside it.
SCHEMA = GOLDEN / "sarif-2.1.0-rtm.5.json"

TEXT = "一、总体情况\n表三「自然人」列:5,1\n（三）不子公开 | 0\n"


def _diag(
    doc: Document, code: str, name: str, start: int, end: int, message: str, severity: Severity, **kw
) -> Diagnostic:
    return Diagnostic(
        code=code,
        name=name,
        message=message,
        span=Span(start, end),
        severity=severity,
        path=doc.path,
        location=doc.location(Span(start, end)),
        **kw,
    )


def synthetic() -> list[FileResult]:
    """Three reports: one with findings (CJK, `:`, `,`, `%`, a newline, a fix), one clean, one unreadable."""
    doc = Document(TEXT, path="reports/甲镇,2022:报告.txt")
    t = TEXT.index("（三）")
    n = TEXT.index("5,1")
    diags = [
        _diag(
            doc,
            "GK301",
            "application-balance",
            n,
            n + 3,
            "表三「自然人」列:第一项(5)+第二项(1)=6,不等于 100%\n请核对",
            Severity.ERROR,
            anchor="table:applications:GK301:自然人",
            related=(Related("第一项", Span(n, n + 1), doc.location(Span(n, n + 1))),),
        ),
        _diag(
            doc,
            "GK203",
            "label-mismatch",
            t,
            t + 7,
            "表三的行标签「（三）不子公开」有错别字,应为「（三）不予公开」",
            Severity.WARNING,
            help="改为「（三）不予公开」",
            anchor="table:applications:row:（三）不予公开",
            fix=Fix("改为「（三）不予公开」", (Edit(Span(t, t + 7), "（三）不予公开"),)),
        ),
        _diag(doc, "GK104", "nonstandard-title", 0, len("一、总体情况\n表三"), "跨行的提示", Severity.INFO),
    ]
    unreadable = Diagnostic(
        code="GK001",
        name="unreadable-input",
        message="无法检查此文件: 文件为空",
        span=Span(0, 0),
        severity=Severity.ERROR,
        path="reports/空.txt",
    )
    return [
        FileResult(doc.path, diags, TEXT, True),
        FileResult("reports/clean.txt", [], TEXT, True),
        FileResult("reports/空.txt", [unreadable], None, False),
    ]


def _render(fn, results) -> str:
    buf = io.StringIO()
    fn(results, buf, {})
    return buf.getvalue()


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GIKCHECK_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name,module",
    [
        ("synthetic.sarif", sarif),
        ("synthetic.github.txt", github),
        ("synthetic.junit.xml", junit),
        ("synthetic.jsonl", jsonl),
    ],
)
def test_golden(name, module, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = _render(module.render, synthetic())
    if module is sarif:
        # The rule list (and so ruleIndex) grows with the registry: checked structurally below.
        log = json.loads(out)
        log["runs"][0]["tool"]["driver"]["rules"] = []
        for r in log["runs"][0]["results"]:
            r.pop("ruleIndex", None)
        out = json.dumps(log, ensure_ascii=False, indent=2) + "\n"
    _golden(name, out)


# --- SARIF -------------------------------------------------------------------------------------------


def _validate_sarif(log: dict) -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)


def test_the_vendored_schema_is_the_official_one_and_catches_errors():
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5 JSON Schema"
    assert (GOLDEN / "sarif-2.1.0-rtm.5.LICENSE.txt").is_file()
    log = sarif.build(synthetic())
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"  # not a SARIF level
    with pytest.raises(jsonschema.ValidationError):
        _validate_sarif(broken)
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["tool"]["driver"]["informationUri"] = 5  # a string (a URI) in the schema
    with pytest.raises(jsonschema.ValidationError):
        _validate_sarif(broken)


def test_sarif_validates_and_declares_code_points():
    log = sarif.build(synthetic())
    _validate_sarif(log)
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    assert run["tool"]["driver"]["informationUri"].startswith("https://")
    rules = run["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    # Every rule with its help text (the explanation `gikcheck explain` prints).
    assert by_id["GK301"]["name"] == "application-balance"
    assert "检查什么" in by_id["GK301"]["help"]["text"]
    assert by_id["GK301"]["defaultConfiguration"]["level"] == "error"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"GK301": "error", "GK203": "warning", "GK104": "note", "GK001": "error"}
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_regions_count_code_points_and_paths_are_relative_uris():
    res = sarif.build(synthetic())["runs"][0]["results"]
    gk203 = next(r for r in res if r["ruleId"] == "GK203")
    loc = gk203["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {
        "uri": "reports/%E7%94%B2%E9%95%87%2C2022%3A%E6%8A%A5%E5%91%8A.txt",
        "uriBaseId": "%SRCROOT%",
    }
    line = TEXT.splitlines()[loc["region"]["startLine"] - 1]
    assert line[loc["region"]["startColumn"] - 1 : loc["region"]["endColumn"] - 1] == "（三）不子公开"
    (fix,) = gk203["fixes"]
    rep = fix["artifactChanges"][0]["replacements"][0]
    assert rep["insertedContent"]["text"] == "（三）不予公开" and rep["deletedRegion"] == loc["region"]


def test_sarif_fingerprints_do_not_depend_on_position():
    a = sarif.build(synthetic())["runs"][0]["results"]
    moved = synthetic()
    shifted = "\n\n" + TEXT
    doc = Document(shifted, path=moved[0].path)
    for d in moved[0].diagnostics:
        d.span = Span(d.span.start + 2, d.span.end + 2)
        d.location = doc.location(d.span)
    moved[0].text = shifted
    b = sarif.build(moved)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in a] == [r["partialFingerprints"] for r in b]
    assert a[0]["locations"] != b[0]["locations"]


def test_sarif_on_real_reports_validates(capsys):
    code = main([str(TABLES), str(ARITH), str(CLEAN), "--isolated", "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    _validate_sarif(log)
    results = log["runs"][0]["results"]
    assert code == 1 and {"GK203", "GK301"} <= {r["ruleId"] for r in results}
    # Every region points at the text the finding names (columns are code points).
    lines = TABLES.read_text(encoding="utf-8").splitlines()
    for r in results:
        if r["ruleId"] == "GK203":
            reg = r["locations"][0]["physicalLocation"]["region"]
            assert lines[reg["startLine"] - 1][reg["startColumn"] - 1 : reg["endColumn"] - 1] in r["message"]["text"]


# --- GitHub ------------------------------------------------------------------------------------------


def test_github_escapes_properties_and_message():
    d = synthetic()[0].diagnostics[0]
    line = github.annotation(d)
    assert line.startswith(
        "::error file=reports/甲镇%2C2022%3A报告.txt,line=2,endLine=2,col=10,endColumn=13,"
        "title=GK301 application-balance::"
    )
    message = line.split("::", 2)[2]
    assert "\n" not in message and "100%25%0A请核对" in message and "%3A" not in message


def test_github_groups_and_levels():
    out = _render(github.render, synthetic())
    lines = out.splitlines()
    assert lines[0] == "::group::reports/甲镇,2022:报告.txt" and lines[-1] == "::endgroup::"
    assert sum(1 for s in lines if s.startswith("::group::")) == 2  # the clean file has no group
    assert any(s.startswith("::warning ") for s in lines) and any(s.startswith("::notice ") for s in lines)
    # A span over two lines: GitHub honours columns only on one line, so none are given.
    notice = next(s for s in lines if s.startswith("::notice "))
    assert "line=1,endLine=2," in notice and "col=" not in notice


def test_github_step_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _render(github.render, synthetic())
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n")  # appended, not overwritten
    assert "| reports/甲镇,2022:报告.txt | 1 | 1 | 1 |" in text
    assert "| reports/clean.txt | 0 | 0 | 0 |" in text
    # `|` in a message would break the table; newlines are flattened.
    row = next(s for s in text.splitlines() if "GK301" in s)
    assert row.count(" | ") == 4 and "请核对" in row


def test_github_step_summary_stays_under_the_cap():
    doc = Document(TEXT, path="big.txt")
    diags = [_diag(doc, "GK301", "application-balance", 0, 1, "很长的消息" * 200, Severity.ERROR) for _ in range(2000)]
    text = github.summary_markdown([FileResult("big.txt", diags, TEXT, True)])
    assert len(text.encode("utf-8")) < github.SUMMARY_LIMIT
    assert "未列出" in text and "| big.txt | 2000 | 0 | 0 |" in text


# --- JUnit -------------------------------------------------------------------------------------------


def test_junit_structure():
    root = ET.fromstring(_render(junit.render, synthetic()).encode("utf-8"))
    assert root.tag == "testsuites" and root.get("tests") == "5"
    assert root.get("failures") == "3" and root.get("errors") == "1"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["reports/甲镇,2022:报告.txt", "reports/clean.txt", "reports/空.txt"]
    found = suites["reports/甲镇,2022:报告.txt"]
    cases = found.findall("testcase")
    assert [c.get("name") for c in cases] == ["org.gikcheck.GK301", "org.gikcheck.GK203", "org.gikcheck.GK104"]
    assert all(c.find("failure") is not None for c in cases)
    assert cases[0].get("line") == "2" and cases[0].get("column") == "10"
    (clean,) = suites["reports/clean.txt"].findall("testcase")
    assert list(clean) == [] and clean.get("classname") == "reports/clean.txt"  # a passing case
    (bad,) = suites["reports/空.txt"].findall("testcase")
    assert bad.find("error") is not None and bad.find("error").get("type") == "GK001"


def test_junit_drops_control_characters():
    res = synthetic()[:1]
    res[0].diagnostics[0].message = "残留\x0c控制字符\x01"
    root = ET.fromstring(_render(junit.render, res).encode("utf-8"))
    assert root.find(".//failure").get("message") == "残留\ufffd控制字符\ufffd"


# --- JSON Lines --------------------------------------------------------------------------------------


def test_jsonl_one_object_per_line(capsys):
    main([str(TABLES), "--isolated", "--format", "jsonl"])
    jl = [json.loads(s) for s in capsys.readouterr().out.splitlines()]
    main([str(TABLES), "--isolated", "--format", "json"])
    assert jl == json.loads(capsys.readouterr().out) and jl


# --- the CLI -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit", "jsonl"])
def test_exit_code_does_not_depend_on_format(fmt, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert main([str(ARITH), "--isolated", "--format", fmt]) == 1
    assert capsys.readouterr().out
    assert main([str(ARITH), "--isolated", "--format", fmt, "--exit-zero"]) == 0
    capsys.readouterr()
    assert main([str(CLEAN), "--isolated", "--format", fmt, "--select", "GK1,GK2,GK3"]) == 0


# --- pre-commit ----------------------------------------------------------------------------------------


def test_pre_commit_manifest():
    """The hook manifest has pre-commit's required keys (parsed by hand: the file is flat YAML)."""
    import re

    text = (Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    items = [s for s in text.splitlines() if s.strip() and not s.lstrip().startswith("#")]
    assert items[0].startswith("- id: gikcheck")
    hook = {}
    for s in items:
        key, _, value = s.lstrip("- ").partition(":")
        hook[key.strip()] = value.strip().strip("'\"")
    assert {k: hook[k] for k in ("id", "name", "entry", "language", "require_serial")} == {
        "id": "gikcheck",
        "name": "gikcheck",
        "entry": "gikcheck",
        "language": "python",
        "require_serial": "true",
    }
    files = re.compile(hook["files"])
    for name in ("a/报告.txt", "b.md", "c.html", "c.htm", "d.docx", "e.pdf"):
        assert files.search(name), name
    for name in ("x.py", "y.doc", "z.txt.bak"):
        assert not files.search(name), name


# --- HTML ----------------------------------------------------------------------------------------------


class _Page:
    """The elements of an HTML page, with their attributes and text, and a nesting check."""

    def __init__(self, text: str) -> None:
        from html.parser import HTMLParser

        page = self
        self.elements: list[tuple[str, dict, list[str]]] = []
        self.errors: list[str] = []
        void = {"meta", "br", "link", "img", "input", "hr"}

        class P(HTMLParser):
            def __init__(self) -> None:
                super().__init__(convert_charrefs=True)
                self.stack: list[tuple[str, dict, list[str]]] = []

            def handle_starttag(self, tag, attrs):
                el = (tag, dict(attrs), [])
                page.elements.append(el)
                if tag not in void:
                    self.stack.append(el)

            def handle_endtag(self, tag):
                if not self.stack or self.stack[-1][0] != tag:
                    page.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
                    return
                self.stack.pop()

            def handle_data(self, data):
                for el in self.stack:
                    el[2].append(data)

        p = P()
        p.feed(text)
        p.close()
        if p.stack:
            self.errors.append(f"unclosed: {[e[0] for e in p.stack]}")

    def find(self, tag: str, **attrs) -> list[tuple[dict, str]]:
        return [
            (a, "".join(t))
            for tg, a, t in self.elements
            if tg == tag and all(k in a and v in (a[k] or "").split() for k, v in attrs.items())
        ]


def _html(results) -> str:
    from gikcheck.formatters import html

    return _render(html.render, results)


def test_html_is_self_contained_and_well_formed():
    out = _html(synthetic())
    page = _Page(out)
    assert page.errors == []
    assert out.startswith("<!DOCTYPE html>")
    # Nothing loaded from elsewhere: styles and script are inline.
    assert not page.find("link") and all("src" not in a for a, _ in page.find("script"))
    assert not any(a.get("href", "#").split("#")[0] for a, _ in page.find("a"))


def test_html_highlights_every_finding_in_the_text():
    page = _Page(_html(synthetic()))
    marks = page.find("mark")
    ids = {a.get("id") for a, _ in marks if a.get("id")}
    assert {"r0-d0", "r0-d1", "r0-d2"} <= ids
    text_of = {a["id"]: t for a, t in marks if a.get("id")}
    assert text_of["r0-d0"] == "5,1" and text_of["r0-d1"] == "（三）不子公开"
    # Findings link to their highlight; the unreadable file has no text to link to.
    links = {a["href"] for a, _ in page.find("a") if a.get("href", "").startswith("#r0-")}
    assert links == {"#r0-d0", "#r0-d1", "#r0-d2"}
    # The span over two lines is marked on both lines.
    assert sum(1 for a, _ in marks if "GK104" in a.get("title", "")) == 2
    assert [t for a, t in page.find("p", **{"class": "clean"})] == ["✔ 没有发现问题。"]


def test_html_escapes_report_text_and_messages():
    res = synthetic()[:1]
    res[0].text = res[0].text.replace("一、总体情况", "<b>一</b>&总体")
    res[0].diagnostics[2].message = "<script>alert(1)</script>"
    out = _html(res)
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;b&gt;一&lt;/b&gt;&amp;总体" in out


def test_html_redraws_tables_with_failing_cells(capsys):
    code = main([str(TABLES), str(ARITH), "--isolated", "--format", "html"])
    out = capsys.readouterr().out
    page = _Page(out)
    assert code == 1 and page.errors == []
    captions = [t for _, t in page.find("caption")]
    assert sum("表三" in c for c in captions) == 2 and any("表四" in c for c in captions)
    failing = page.find("td", **{"class": "cell-error"})
    # defective-tables: the 「—」 cell (GK205); defective-arithmetic: the totals that do not add up.
    assert any(t == "—" and "GK205" in a["title"] for a, t in failing)
    assert any("GK301" in a["title"] for a, _ in failing) and any("GK304" in a["title"] for a, _ in failing)
    related = page.find("td", **{"class": "cell-related"})
    assert any("GK301" in a["title"] for a, _ in related)  # the addends of the failing identity
    # The summary per rule: one row per code found.
    rows = {a["data-code"] for a, _ in page.find("tr", **{"class": "rule-row"})}
    assert {"GK205", "GK301", "GK304", "GK203"} <= rows
    findings = page.find("li", **{"class": "finding"})
    assert len(findings) == len(json.loads(_json_of([TABLES, ARITH])))


def _json_of(paths) -> str:
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main([*map(str, paths), "--isolated", "--format", "json"])
    return buf.getvalue()


@needs_chromium
def test_html_renders_in_headless_chromium(tmp_path, capsys):
    import subprocess

    main([str(TABLES), str(ARITH), "--isolated", "--format", "html"])
    page = tmp_path / "report.html"
    page.write_text(capsys.readouterr().out, encoding="utf-8")
    n = len(json.loads(_json_of([TABLES, ARITH])))
    # The inline script ran to its end (it counts the findings it can filter).
    assert f'data-ready="{n}"' in chromium_dom(page, tmp_path)
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1280,2000",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_full_plain_output_is_what_rich_prints_without_a_terminal(monkeypatch):
    """Off a terminal `full` skips rich; the characters must be the same as rich's."""
    from gikcheck.formatters import full

    results = synthetic()
    results[0].diagnostics[0].data["origin"] = "表 2 第 6 行第 9 格 [x]"
    results[0].diagnostics[1].message += " :smile: [bold]x[/bold] \a"
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    plain = _render(full.render, results)
    monkeypatch.setattr(full, "_wants_rich", lambda stream, options: True)
    assert _render(full.render, results) == plain
    assert "-->" in plain and "^" in plain and ":smile: [bold]x[/bold]" in plain and "\a" not in plain


def test_full_uses_no_rich_off_a_terminal():
    import subprocess
    import sys

    code = (
        "import io, sys; from gikcheck.cli import main; sys.stdout = io.StringIO(); "
        f"main([{str(TABLES)!r}]); sys.stderr.write(str('rich' in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")},
    )
    assert out.stderr.strip().endswith("False"), out.stderr
