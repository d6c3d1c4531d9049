"""`gikcheck lsp` end to end: pytest-lsp starts the server process and talks LSP to it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from gikcheck.config import Resolver, Settings  # noqa: E402
from gikcheck.engine import check_text  # noqa: E402
from gikcheck.fixes import fix_text  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TABLES = EXAMPLES / "defective-tables.txt"
SUPPLEMENTARY = "\U00020000"  # 𠀀: one code point, two UTF-16 code units


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "gikcheck", "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), process_id=None)
    )
    yield
    await lsp_client.shutdown_session()


def _report(tmp_path: Path, text: str, name: str = "report.txt", config: str | None = 'select = ["GK2"]\n') -> str:
    if config is not None:
        (tmp_path / "gikcheck.toml").write_text(config, encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path.as_uri()


def _text() -> str:
    # A supplementary-plane character in a bad cell, before another bad cell on the same line.
    return TABLES.read_text(encoding="utf-8").replace(
        "二、上年结转政府信息公开申请数量 | 0 | — | 0", f"二、上年结转政府信息公开申请数量 | 0 | {SUPPLEMENTARY} | 0"
    )


async def _open(client: LanguageClient, uri: str, text: str, version: int = 1) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=version, text=text)
        )
    )
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
    return list(client.diagnostics[uri])


@pytest.mark.asyncio
async def test_diagnostics_on_open_with_utf16_ranges_and_config(client: LanguageClient, tmp_path):
    text = _text()
    uri = _report(tmp_path, text)
    diags = await _open(client, uri, text)
    codes = {d.code for d in diags}
    assert codes and all(str(c).startswith("GK2") for c in codes)  # gikcheck.toml selects GK2 only
    assert {"GK203", "GK205"} <= codes
    assert all(d.source == "gikcheck" for d in diags)
    gk203 = [d for d in diags if d.code == "GK203"]
    assert all(d.severity == types.DiagnosticSeverity.Warning for d in gk203)
    assert any(d.severity == types.DiagnosticSeverity.Error for d in diags if d.code == "GK205")
    # The empty cell after 𠀀: LSP counts UTF-16 units, gikcheck code points.
    expected = [d for d in check_text(text, "r.txt", Settings(select=("GK205",))) if "为空" in d.message]
    (exp,) = expected
    (empty,) = [d for d in diags if d.code == "GK205" and "为空" in d.message]
    line = text.splitlines()[exp.location.line - 1]
    assert SUPPLEMENTARY in line[: exp.location.column - 1]
    assert empty.range.start.line == exp.location.line - 1
    assert empty.range.start.character == exp.location.column - 1 + 1
    # And a finding on a line of BMP characters only has the same columns in both units.
    label = next(d for d in gk203 if "不子公开" in d.message)
    lines = text.splitlines()
    assert lines[label.range.start.line][label.range.start.character : label.range.end.character] == "（三）不子公开"


async def _published(client: LanguageClient, uri: str, version: int) -> list[types.PublishDiagnosticsParams]:
    """Every publication for ``uri`` until the one for ``version`` (checks of older versions may come first)."""
    seen: list[types.PublishDiagnosticsParams] = []
    while not seen or seen[-1].version != version:
        params = await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
        if params.uri == uri:
            seen.append(params)
    return seen


@pytest.mark.asyncio
async def test_changes_coalesce_and_save_rechecks(client: LanguageClient, tmp_path):
    text = _text()
    uri = _report(tmp_path, text)
    before = await _open(client, uri, text)
    assert any("不子公开" in d.message for d in before)
    fixed = text.replace("（三）不子公开", "（三）不予公开")
    # A burst of edits: far fewer checks than edits, none published for a text edited meanwhile,
    # and the last publication is for the last version.
    for version in range(2, 22):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed if version == 21 else text)],
            )
        )
    seen = await _published(client, uri, 21)
    # How many checks a burst costs depends on how fast a check is (benchmarks/lsp_latency.py
    # measures it); what holds always: no stale publication, versions only go up, the last is 21.
    versions = [p.version for p in seen]
    assert versions == sorted(set(versions)) and versions[-1] == 21 and len(seen) <= 20
    after = client.diagnostics[uri]
    assert not any("不子公开" in d.message for d in after)
    assert len(after) == len(before) - 1
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
    assert len(client.diagnostics[uri]) == len(after)


@pytest.mark.asyncio
async def test_code_actions_for_safe_fixes(client: LanguageClient, tmp_path):
    text = _text()
    uri = _report(tmp_path, text)
    diags = await _open(client, uri, text)
    label = next(d for d in diags if d.code == "GK203" and "不子公开" in d.message)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=label.range,
            context=types.CodeActionContext(diagnostics=[label], only=[types.CodeActionKind.QuickFix]),
        )
    )
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and "（三）不予公开" in a.title]
    assert quick
    (edit,) = quick[0].edit.changes[uri]
    assert edit.new_text == "（三）不予公开" and edit.range == label.range
    # No quick fix on an arithmetic / cell finding.
    cell = next(d for d in diags if d.code == "GK205")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=cell.range,
            context=types.CodeActionContext(diagnostics=[cell], only=[types.CodeActionKind.QuickFix]),
        )
    )
    assert not [a for a in actions or [] if cell in (a.diagnostics or [])]
    # Fix all: both label typos at once.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
        )
    )
    (fix_all,) = actions
    # Fix all: both label typos at once, exactly as `gikcheck --fix` mends the text; edits cover only what changes.
    edits = fix_all.edit.changes[uri]
    assert {e.new_text for e in edits} == {"予", "后"}
    fixed = apply_lsp_edits(text, edits, "utf-16")
    assert fixed == fix_text(text, str(tmp_path / "report.txt"), Resolver().for_path(tmp_path / "report.txt")).text
    assert "（三）不予公开" in fixed and "3.补正后申请内容仍不明确" in fixed


@pytest.mark.asyncio
async def test_hover_explains_the_rule(client: LanguageClient, tmp_path):
    text = _text()
    uri = _report(tmp_path, text)
    diags = await _open(client, uri, text)
    label = next(d for d in diags if d.code == "GK203")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=label.range.start)
    )
    assert hover is not None and "GK203" in hover.contents.value and "label-mismatch" in hover.contents.value


@pytest.mark.asyncio
async def test_config_error_is_shown_not_fatal(client: LanguageClient, tmp_path):
    text = _text()
    uri = _report(tmp_path, text, config='select = ["NOPE999"]\n')
    diags = await _open(client, uri, text)
    assert diags == []
    assert any("配置错误" in m.message for m in client.messages)
    # Fix the configuration: the next check sees it.
    (tmp_path / "gikcheck.toml").write_text('select = ["GK203"]\n', encoding="utf-8")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
    assert {d.code for d in client.diagnostics[uri]} == {"GK203"}


@pytest.mark.asyncio
async def test_close_clears_diagnostics(client: LanguageClient, tmp_path):
    text = _text()
    uri = _report(tmp_path, text)
    assert await _open(client, uri, text)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
    assert list(client.diagnostics[uri]) == []


def apply_lsp_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """Apply LSP edits whose positions count ``encoding`` units, as an editor does (from the end)."""
    from gikcheck.lsp import units

    lines = text.splitlines(keepends=True) or [""]

    def offset(pos: types.Position) -> int:
        line = lines[pos.line] if pos.line < len(lines) else ""
        base = sum(len(x) for x in lines[: pos.line])
        for i in range(len(line) + 1):
            if units(line[:i], encoding) >= pos.character:
                return base + i
        return base + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


@pytest.mark.parametrize("encoding, expected", [("utf-8", 3 + 4), ("utf-16", 1 + 2), ("utf-32", 1 + 1)])
def test_source_map_counts_units_of_each_encoding(encoding, expected):
    from gikcheck.lsp import SourceMap

    sm = SourceMap(f"甲{SUPPLEMENTARY}乙", encoding)
    assert sm.position(1, 3) == types.Position(line=0, character=expected)  # after 甲 and 𠀀


def test_a_failed_check_is_a_gk002_diagnostic(monkeypatch):
    import gikcheck.lsp as lsp

    def broken(text, path):
        raise RuntimeError("boom")

    monkeypatch.setattr(lsp, "check_source", broken)
    checked, config_error = lsp._check_and_convert("file:///r.txt", 3, "正文\n", "/r.txt", "utf-8")
    assert config_error is None and checked.version == 3
    ((diag, _finding),) = checked.items
    assert diag.code == "GK002" and "RuntimeError: boom" in diag.message
    assert diag.range.start == types.Position(line=0, character=0)


def test_source_map_counts_utf16_units():
    from gikcheck.diagnostics import Span
    from gikcheck.lsp import SourceMap

    text = f"甲{SUPPLEMENTARY}乙\r\n第二行"
    sm = SourceMap(text)
    assert sm.position(1, 3) == types.Position(line=0, character=3)  # 甲 + 𠀀 (two units)
    assert sm.position(1, 99).character == len("甲𠀀乙\r".encode("utf-16-le")) // 2  # clamped to the line
    assert sm.span_range(Span(text.index("二"), text.index("行"))) == types.Range(
        start=types.Position(line=1, character=1), end=types.Position(line=1, character=2)
    )


def _html(text: str) -> str:
    """A web page with the report: paragraphs, and the pipe rows as HTML tables."""
    import html

    out, in_table = ["<html><body>"], False
    for line in text.splitlines():
        if " | " in line:
            if not in_table:
                out.append("<table>")
                in_table = True
            out.append("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split(" | ")) + "</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    return "\n".join(out + ["</table>" if in_table else "", "</body></html>", ""])


@pytest.mark.asyncio
async def test_html_document_positions_point_into_the_page_source(client: LanguageClient, tmp_path):
    pytest.importorskip("lxml")
    page = _html(TABLES.read_text(encoding="utf-8"))
    uri = _report(tmp_path, page, name="report.html")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="html", version=1, text=page)
        )
    )
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
    diags = client.diagnostics[uri]
    label = next(d for d in diags if d.code == "GK203" and "不子公开" in d.message)
    line = page.splitlines()[label.range.start.line]
    assert line[label.range.start.character : label.range.end.character] == "（三）不子公开"
    # The checked text is not the page source: no fix is offered on it.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=label.range,
            context=types.CodeActionContext(diagnostics=[label]),
        )
    )
    assert not actions


@pytest.mark.asyncio
async def test_saving_the_configuration_rechecks_open_reports(client: LanguageClient, tmp_path):
    text = _text()
    uri = _report(tmp_path, text)
    assert len({d.code for d in await _open(client, uri, text)}) > 1
    config = tmp_path / "gikcheck.toml"
    config.write_text('select = ["GK205"]\n', encoding="utf-8")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=config.as_uri()))
    )
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
    assert {d.code for d in client.diagnostics[uri]} == {"GK205"}


def test_latency_benchmark_runs_and_coalesces_a_burst(tmp_path):
    """benchmarks/lsp_latency.py drives a real server; its figures are recorded, not asserted, but a
    burst of changes must coalesce into fewer publications than changes."""
    import json
    import subprocess

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "lsp_latency.py"
    out = tmp_path / "latency.json"
    subprocess.run(
        [sys.executable, str(script), "--edits", "3", "--burst", "10", "--json", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["edits"] == 3 and figures["edit_median_ms"] > 0
    assert 1 <= figures["burst_publications"] < 10
