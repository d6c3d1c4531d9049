"""Position encodings: the server counts in the units the client negotiated (utf-8, utf-16, utf-32).

Neovim offers utf-8 first and Emacs (eglot) utf-32; pytest-lsp's recorded capabilities of
those clients drive a real server process.
"""

from __future__ import annotations

import asyncio
import sys

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from test_lsp import SUPPLEMENTARY, _report, _text, apply_lsp_edits  # noqa: E402

from gikcheck.config import Resolver, Settings  # noqa: E402
from gikcheck.engine import check_text  # noqa: E402
from gikcheck.fixes import fix_text  # noqa: E402
from gikcheck.lsp import units  # noqa: E402

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "gikcheck", "lsp"])
CLIENTS = {"neovim": "utf-8", "emacs": "utf-32", "visual-studio-code": "utf-16"}


@pytest_lsp.fixture(config=SERVER, params=sorted(CLIENTS))
async def client(lsp_client: LanguageClient, request):
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities(request.param), process_id=None)
    )
    lsp_client.negotiated = result.capabilities.position_encoding
    lsp_client.expected = CLIENTS[request.param]
    yield
    await lsp_client.shutdown_session()


def _slice(text: str, rng: types.Range, encoding: str) -> str:
    """The characters a range covers, counting its positions in ``encoding`` units."""
    line = text.splitlines()[rng.start.line]
    assert rng.end.line == rng.start.line

    def index(character: int) -> int:
        return next(i for i in range(len(line) + 1) if units(line[:i], encoding) >= character)

    start, end = index(rng.start.character), index(rng.end.character)
    assert units(line[:start], encoding) == rng.start.character  # never mid-character
    assert units(line[:end], encoding) == rng.end.character
    return line[start:end]


async def _diagnostics(client: LanguageClient, uri: str, text: str, version: int = 1) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=version, text=text)
        )
    )
    while True:
        params = await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)


@pytest.mark.asyncio
async def test_ranges_edits_and_fix_all_in_the_negotiated_encoding(client: LanguageClient, tmp_path):
    encoding = client.expected
    assert client.negotiated == encoding
    # Chinese text (3 bytes, 1 UTF-16 unit, 1 code point a character) and a supplementary-plane
    # character in a cell (4 bytes, 2 UTF-16 units, 1 code point) before an empty cell on its line.
    text = _text()
    uri = _report(tmp_path, text)
    diags = await _diagnostics(client, uri, text)
    label = next(d for d in diags if d.code == "GK203" and "不子公开" in d.message)
    assert _slice(text, label.range, encoding) == "（三）不子公开"
    cell = next(d for d in diags if d.code == "GK205" and SUPPLEMENTARY in d.message)
    assert _slice(text, cell.range, encoding) == SUPPLEMENTARY
    empty = next(d for d in diags if d.code == "GK205" and "为空" in d.message)
    line = text.splitlines()[empty.range.start.line]
    (exp,) = [d for d in check_text(text, "r.txt", Settings(select=("GK205",))) if "为空" in d.message]
    assert SUPPLEMENTARY in line[: exp.location.column - 1]
    assert empty.range.start.character == units(line[: exp.location.column - 1], encoding)
    for d in diags:  # every range starts and ends on a character boundary
        if d.range.start.line == d.range.end.line:
            _slice(text, d.range, encoding)
    # The quick fix replaces exactly the label.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=label.range,
            context=types.CodeActionContext(diagnostics=[label], only=[types.CodeActionKind.QuickFix]),
        )
    )
    quick = next(a for a in actions if "（三）不予公开" in a.title)
    assert apply_lsp_edits(text, quick.edit.changes[uri], encoding) == text.replace("（三）不子公开", "（三）不予公开")
    # Fix all yields exactly the text `gikcheck --fix` writes.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=label.range,
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
        )
    )
    (fix_all,) = actions
    path = tmp_path / "report.txt"
    expected = fix_text(text, str(path), Resolver().for_path(path)).text
    assert expected != text
    assert apply_lsp_edits(text, fix_all.edit.changes[uri], encoding) == expected


@pytest.mark.asyncio
async def test_incremental_change_positions_in_the_negotiated_encoding(client: LanguageClient, tmp_path):
    encoding = client.expected
    text = _text().replace("（三）不子公开 |", f"（三）不子公开{SUPPLEMENTARY} |")
    uri = _report(tmp_path, text)
    await _diagnostics(client, uri, text)
    # Replace 子 by 予 with a range counted in the client's units, as the editor sends it.
    line_no = next(i for i, line in enumerate(text.splitlines()) if "不子公开" in line)
    line = text.splitlines()[line_no]
    col = units(line[: line.index("子")], encoding)
    # And one removing the supplementary character after it, so the label reads right again.
    sup = units(line[: line.index(SUPPLEMENTARY)], encoding)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line_no, character=col),
                        end=types.Position(line=line_no, character=col + units("子", encoding)),
                    ),
                    text="予",
                ),
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line_no, character=sup),
                        end=types.Position(line=line_no, character=sup + units(SUPPLEMENTARY, encoding)),
                    ),
                    text="",
                ),
            ],
        )
    )
    while True:
        params = await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
        if params.uri == uri and params.version == 2:
            break
    # Both edits landed on the right characters: the label is now exactly the template's.
    assert not any("不子公开" in d.message or "不予公开" in d.message for d in params.diagnostics)
    assert any("补正启" in d.message for d in params.diagnostics)
