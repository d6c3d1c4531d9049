"""``gikcheck lsp``: a language server (pygls 2.x) over stdio.

Publishes diagnostics for .txt / .md / .html reports when a document is
opened or saved, and after each change once typing pauses (debounced).
Each diagnostic carries the rule code, severity, message and range;
ranges are converted from gikcheck's code-point columns to the UTF-16 code
units LSP counts. Safe fixes are offered as quick fixes, and all of them at
once as ``source.fixAll.gikcheck``. Hovering over a finding shows the
rule's explanation (``gikcheck explain``). Configuration is found as on the
command line: the closest ``gikcheck.toml`` / ``pyproject.toml`` upward
from the document, read again at each check so that edits to it apply.

This module imports pygls; the CLI imports it only for ``gikcheck lsp``.
"""
from __future__ import annotations

import asyncio
import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__
from .diagnostics import Diagnostic, Location, Severity, Span

DEBOUNCE_SECONDS = 0.3
SUFFIXES = (".txt", ".md", ".markdown", ".text", ".html", ".htm")
LANGUAGES = ("plaintext", "markdown", "html")
FIX_ALL_KIND = "source.fixAll.gikcheck"
SOURCE = "gikcheck"
CONFIG_NAMES = ("gikcheck.toml", ".gikcheck.toml", "pyproject.toml")

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class SourceMap:
    """Code-point offsets / 1-based (line, code-point column) of a text → LSP positions (UTF-16)."""

    def __init__(self, text: str) -> None:
        from .document import Document

        self.text = text
        self.starts = Document(text).line_starts  # the same line index the checks use

    def _line_text(self, line: int) -> str:
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end]

    def position(self, line: int, column: int) -> types.Position:
        """1-based line and code-point column → 0-based LSP position in UTF-16 units."""
        line0 = min(max(line - 1, 0), len(self.starts) - 1)
        text = self._line_text(line0)
        prefix = text[:max(column - 1, 0)]
        return types.Position(line=line0, character=len(prefix.encode("utf-16-le")) // 2)

    def offset_position(self, offset: int) -> types.Position:
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.starts, offset)
        return self.position(line, offset - self.starts[line - 1] + 1)

    def span_range(self, span: Span) -> types.Range:
        return types.Range(start=self.offset_position(span.start), end=self.offset_position(span.end))


@dataclass
class Checked:
    """The last check of one document: its version and its findings with their LSP form."""

    version: int | None
    items: list[tuple[types.Diagnostic, Diagnostic]] = field(default_factory=list)
    exact: bool = True   # the checked text is the editor's text (so fixes can be offered)
    source: SourceMap | None = None
    bom: int = 0         # 1 when the editor's text starts with a BOM the reader dropped


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def check_source(text: str, path: str | None) -> tuple[list[Diagnostic], str | None]:
    """Check the editor's text of a document; returns (findings, the text positions refer to).

    Raises ConfigError / PackError for a broken configuration.
    """
    from .config import Resolver
    from .engine import lint_bytes

    settings = Resolver().for_path(Path(path) if path else None)
    # "replace" keeps one character per character, so offsets stay valid even for a lone surrogate.
    # One document is never compared with others: no cross-document summaries, no run.
    result = lint_bytes(text.encode("utf-8", errors="replace"), path or "untitled.txt", settings, summarize=False)
    return result.diagnostics, result.text


class GikcheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("gikcheck", __version__)
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.last_config_error: str | None = None

    # --- checking --------------------------------------------------------------------------------

    def wants(self, doc: Any) -> bool:
        path = doc.path or ""
        return path.lower().endswith(SUFFIXES) or (doc.language_id or "") in LANGUAGES

    def check(self, uri: str) -> Checked | None:
        from .config import ConfigError
        from .templates import PackError

        doc = self.workspace.get_text_document(uri)
        if not self.wants(doc):
            return None
        text = doc.source
        if not text.strip():
            checked = Checked(doc.version)
            self.checked[uri] = checked
            return checked
        path = to_fs_path(uri) if uri.startswith("file:") else None
        try:
            diags, checked_text = check_source(text, path)
        except (ConfigError, PackError) as e:
            message = f"gikcheck 配置错误: {e}"
            if message != self.last_config_error:
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
                self.last_config_error = message
            checked = Checked(doc.version)
            self.checked[uri] = checked
            return checked
        self.last_config_error = None
        checked = self._convert(uri, doc.version, text, diags, checked_text)
        self.checked[uri] = checked
        return checked

    def _convert(self, uri: str, version: int | None, text: str, diags: Sequence[Diagnostic],
                 checked_text: str | None) -> Checked:
        source = SourceMap(text)
        bom = 1 if text.startswith("\ufeff") and checked_text == text[1:] else 0
        exact = checked_text is None or checked_text == text or bom == 1
        mapper = None if exact else _NthOccurrence(checked_text or "", text)
        items: list[tuple[types.Diagnostic, Diagnostic]] = []

        def loc_range(loc: Location) -> types.Range:
            # A BOM the reader dropped shifts the columns of the first line by one.
            return types.Range(start=source.position(loc.line, loc.column + (bom if loc.line == 1 else 0)),
                               end=source.position(loc.end_line, loc.end_column + (bom if loc.end_line == 1 else 0)))

        for d in diags:
            if mapper is not None:
                rng = mapper.range(d.span, source)
            elif d.location is not None:
                rng = loc_range(d.location)
            else:
                rng = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
            related = [
                types.DiagnosticRelatedInformation(location=types.Location(uri=uri, range=loc_range(r.location)),
                                                   message=r.message)
                for r in d.related if r.location is not None and mapper is None
            ]
            message = d.message + (f"\n帮助: {d.help}" if d.help else "")
            lsp_diag = types.Diagnostic(
                range=rng, message=message, severity=_SEVERITY[Severity(d.severity)], code=d.code, source=SOURCE,
                related_information=related or None,
                data={"name": d.name, "anchor": d.anchor,
                      "fixable": bool(exact and d.fix and d.fix.applicability == "safe")},
            )
            items.append((lsp_diag, d))
        return Checked(version, items, exact, source, bom)

    def publish(self, uri: str) -> None:
        checked = self.check(uri)
        if checked is None:
            return
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=checked.version, diagnostics=[lsp for lsp, _ in checked.items]))

    def schedule(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(DEBOUNCE_SECONDS, self._debounced, uri)

    def _debounced(self, uri: str) -> None:
        self.pending.pop(uri, None)
        if uri in self.workspace.text_documents:
            self.publish(uri)

    def current(self, uri: str) -> Checked | None:
        doc = self.workspace.get_text_document(uri)
        checked = self.checked.get(uri)
        if checked is None or checked.version != doc.version:
            checked = self.check(uri)
        return checked

    # --- fixes -----------------------------------------------------------------------------------

    def edits_for(self, checked: Checked, diags: Sequence[Diagnostic]) -> list[types.TextEdit]:
        assert checked.source is not None
        shift = checked.bom
        return [types.TextEdit(range=checked.source.span_range(Span(e.span.start + shift, e.span.end + shift)),
                               new_text=e.replacement)
                for d in diags if d.fix for e in d.fix.edits]

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        from .fixes import select_fixes

        uri = params.text_document.uri
        checked = self.current(uri)
        if checked is None or not checked.exact:
            return []
        only = params.context.only
        actions: list[types.CodeAction] = []

        def wanted(kind: str) -> bool:
            return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)

        if wanted(types.CodeActionKind.QuickFix):
            for lsp_diag, d in checked.items:
                if not (d.fix and d.fix.applicability == "safe" and d.fix.edits):
                    continue
                if not _overlaps(lsp_diag.range, params.range):
                    continue
                actions.append(types.CodeAction(
                    title=f"{d.fix.message}({d.code})", kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp_diag], is_preferred=True,
                    edit=types.WorkspaceEdit(changes={uri: self.edits_for(checked, [d])})))
        if wanted(FIX_ALL_KIND):
            _, fixed, _ = select_fixes([d for _, d in checked.items])
            if fixed:
                # select_fixes shares identical edits; recompute them without duplicates.
                seen = set()
                unique = []
                for d in fixed:
                    assert d.fix is not None
                    for e in d.fix.edits:
                        if e not in seen:
                            seen.add(e)
                            unique.append(e)
                shift = checked.bom
                assert checked.source is not None
                edits = [types.TextEdit(range=checked.source.span_range(Span(e.span.start + shift, e.span.end + shift)),
                                        new_text=e.replacement) for e in unique]
                actions.append(types.CodeAction(
                    title=f"gikcheck: 修复全部可安全修复的问题({len(fixed)} 处)", kind=FIX_ALL_KIND,
                    edit=types.WorkspaceEdit(changes={uri: edits})))
        return actions

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        from .registry import rule_by_code

        checked = self.current(params.text_document.uri)
        if checked is None:
            return None
        pos = types.Range(start=params.position, end=params.position)
        parts = []
        for lsp_diag, d in checked.items:
            if _overlaps(lsp_diag.range, pos):
                rule = rule_by_code(d.code)
                if rule is not None and all(d.code not in p for p in parts):
                    parts.append(f"**{rule.code}** `{rule.name}`: {rule.summary()}\n\n{rule.explanation()}")
        if not parts:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


class _NthOccurrence:
    """Map spans of extracted text (a web page's text) back to the page source, best effort.

    A span's text is looked up in the source: the n-th occurrence in the
    extracted text maps to the n-th occurrence in the source. An empty span
    (a blank table cell) or one whose text cannot be found falls back to the
    start of its line's first cell found the same way, and failing that to
    the start of the document.
    """

    def __init__(self, extracted: str, source: str) -> None:
        self.extracted = extracted
        self.source = source

    def _find(self, needle: str, at: int) -> int:
        """Source offset of the occurrence of ``needle`` that corresponds to the one at ``at``, or -1."""
        if not needle.strip():
            return -1
        nth = self.extracted.count(needle, 0, at)
        found = -1
        for _ in range(nth + 1):
            found = self.source.find(needle, found + 1)
            if found == -1:
                return -1
        return found

    def range(self, span: Span, source_map: SourceMap) -> types.Range:
        needle = self.extracted[span.start:span.end]
        if "\n" not in needle:
            found = self._find(needle, span.start)
            if found != -1:
                return source_map.span_range(Span(found, found + len(needle)))
        line_start = self.extracted.rfind("\n", 0, span.start) + 1
        line_end = self.extracted.find("\n", line_start)
        line = self.extracted[line_start:line_end if line_end != -1 else len(self.extracted)]
        first = line.split("\t")[0].strip()[:12]
        if first:
            found = self._find(first, line_start + line.find(first))
            if found != -1:
                return source_map.span_range(Span(found, found))
        return source_map.span_range(Span(0, 0))


def build_server() -> GikcheckServer:
    server = GikcheckServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GikcheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: GikcheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GikcheckServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_NAMES:
            # The configuration changed: check every open report again.
            for open_uri in list(ls.workspace.text_documents):
                if open_uri != uri:
                    ls.publish(open_uri)
            return
        handle = ls.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        ls.publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GikcheckServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        handle = ls.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        ls.checked.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False))
    def code_action(ls: GikcheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: GikcheckServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    return server


def serve() -> None:
    """Run the server over stdin/stdout until the client shuts it down."""
    build_server().start_io()
