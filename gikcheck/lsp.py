"""``gikcheck lsp``: a language server (pygls 2.x) over stdio.

Publishes diagnostics for .txt / .md / .html reports when a document is
opened, changed or saved. A change is checked at once (a check of a report
takes some 25 ms) in a worker thread, so hover and code actions answer
meanwhile; changes that arrive while a check runs coalesce into one check
of the latest text, and a result for a text already edited is dropped.
Each diagnostic carries the rule code, severity, message and range;
ranges are converted from gikcheck's code-point columns to the position
encoding negotiated with the client (utf-8, utf-16 or utf-32). Safe fixes are offered as quick fixes, and all of them at
once as ``source.fixAll.gikcheck``. Hovering over a finding shows the
rule's explanation (``gikcheck explain``). Configuration is found as on the
command line: the closest ``gikcheck.toml`` / ``pyproject.toml`` upward
from the document, read again at each check so that edits to it apply.

This module imports pygls; the CLI imports it only for ``gikcheck lsp``.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import TYPE_CHECKING, __version__
from .config import CONFIG_FILES
from .diagnostics import Diagnostic, Location, Severity, Span
from .reading import TEXT_SUFFIXES

if TYPE_CHECKING:
    from typing import Any

SUFFIXES = TEXT_SUFFIXES + (".html", ".htm")
LANGUAGES = ("plaintext", "markdown", "html")
FIX_ALL_KIND = "source.fixAll.gikcheck"
SOURCE = "gikcheck"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


# Position encodings the server speaks, and how many units a piece of text takes in each.
ENCODINGS = ("utf-8", "utf-16", "utf-32")


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the code units of an LSP position encoding."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


class SourceMap:
    """Code-point offsets / 1-based (line, code-point column) of a text → LSP positions.

    Positions count the units of the negotiated encoding: bytes (utf-8), UTF-16
    code units (utf-16, the LSP default) or code points (utf-32).
    """

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        from .document import Document

        self.text = text
        self.encoding = encoding if encoding in ENCODINGS else "utf-16"
        self.starts = Document(text).line_starts  # the same line index the checks use

    def _line_text(self, line: int) -> str:
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end]

    def position(self, line: int, column: int) -> types.Position:
        """1-based line and code-point column → 0-based LSP position in the negotiated units."""
        line0 = min(max(line - 1, 0), len(self.starts) - 1)
        text = self._line_text(line0)
        prefix = text[: max(column - 1, 0)]
        return types.Position(line=line0, character=units(prefix, self.encoding))

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
    exact: bool = True  # the checked text is the editor's text (so fixes can be offered)
    source: SourceMap | None = None
    bom: int = 0  # 1 when the editor's text starts with a BOM the reader dropped


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


def _check_and_convert(
    uri: str, version: int | None, text: str, path: str | None, encoding: str
) -> tuple[Checked, str | None]:
    """Worker-thread side of a check: (the check in LSP form, a configuration error message or None)."""
    from .config import ConfigError
    from .templates import PackError

    try:
        diags, checked_text = check_source(text, path)
    except (ConfigError, PackError) as e:
        return Checked(version), f"gikcheck 配置错误：{e}"
    except Exception as e:  # never an error popup: the failure is a GK002 diagnostic in the document
        diags, checked_text = [_failure(e, path)], text
    return convert(uri, version, text, diags, checked_text, encoding), None


def _failure(error: Exception, path: str | None) -> Diagnostic:
    """A GK002 finding at the start of the document for a check that failed as a whole."""
    from .engine import engine_diagnostic

    return engine_diagnostic(
        "GK002",
        None,
        path or "untitled.txt",
        f"检查本文档时出错：{type(error).__name__}: {error}。请把此报告提交给 gikcheck 开发者",
    )


def convert(
    uri: str,
    version: int | None,
    text: str,
    diags: Sequence[Diagnostic],
    checked_text: str | None,
    encoding: str = "utf-16",
) -> Checked:
    """Findings on ``checked_text`` → LSP diagnostics on the editor's ``text``, in ``encoding`` units."""
    source = SourceMap(text, encoding)
    bom = 1 if text.startswith("\ufeff") and checked_text == text[1:] else 0
    exact = checked_text is None or checked_text == text or bom == 1
    mapper = None if exact else _NthOccurrence(checked_text or "", text)
    items: list[tuple[types.Diagnostic, Diagnostic]] = []

    def loc_range(loc: Location) -> types.Range:
        # A BOM the reader dropped shifts the columns of the first line by one.
        return types.Range(
            start=source.position(loc.line, loc.column + (bom if loc.line == 1 else 0)),
            end=source.position(loc.end_line, loc.end_column + (bom if loc.end_line == 1 else 0)),
        )

    for d in diags:
        if mapper is not None:
            rng = mapper.range(d.span, source)
        elif d.location is not None:
            rng = loc_range(d.location)
        else:
            rng = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri, range=loc_range(r.location)), message=r.message
            )
            for r in d.related
            if r.location is not None and mapper is None
        ]
        message = d.message + (f"\n帮助：{d.help}" if d.help else "")
        lsp_diag = types.Diagnostic(
            range=rng,
            message=message,
            severity=_SEVERITY[Severity(d.severity)],
            code=d.code,
            source=SOURCE,
            related_information=related or None,
            data={
                "name": d.name,
                "anchor": d.anchor,
                "fixable": bool(exact and d.fix and d.fix.applicability == "safe"),
            },
        )
        items.append((lsp_diag, d))
    return Checked(version, items, exact, source, bom)


def fix_all_edits(source: SourceMap, bom: int, path: str | None) -> tuple[list[types.TextEdit], int]:
    """The edits that turn the editor's text into what `gikcheck --fix` makes of it, and the fix count.

    The fixed text comes from the same multi-pass fixer as the command line; the edits are
    its line-level difference from the editor's text, each trimmed to the characters that change.
    """
    import difflib

    from .config import Resolver
    from .fixes import fix_text

    old = source.text[bom:]
    settings = Resolver().for_path(Path(path) if path else None)
    result = fix_text(old, path or "untitled.txt", settings)
    if result.text == old:
        return [], 0
    a = old.splitlines(keepends=True)
    b = result.text.splitlines(keepends=True)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    edits: list[types.TextEdit] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start, end, new = starts[i1], starts[i2], "".join(b[j1:j2])
        # Trim what the old and new block share at either end: the edit covers only what changes.
        while start < end and new and old[start] == new[0]:
            start, new = start + 1, new[1:]
        while start < end and new and old[end - 1] == new[-1]:
            end, new = end - 1, new[:-1]
        edits.append(types.TextEdit(range=source.span_range(Span(start + bom, end + bom)), new_text=new))
    return edits, result.applied


class GikcheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("gikcheck", __version__)
        self.checked: dict[str, Checked] = {}
        self.running: dict[str, asyncio.Task[None]] = {}  # the check loop of each document
        self.dirty: set[str] = set()  # changed since its running check began
        # One worker: checks never run concurrently with each other (the engine's caches are
        # shared), but they run beside the event loop, which keeps answering requests.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gikcheck-check")
        self.last_config_error: str | None = None

    def _convert(
        self, uri: str, version: int | None, text: str, diags: Sequence[Diagnostic], checked_text: str | None
    ) -> Checked:
        """Findings → LSP diagnostics in the negotiated encoding (see ``convert``)."""
        return convert(uri, version, text, diags, checked_text, self.encoding)

    @property
    def encoding(self) -> str:
        """The position encoding negotiated at initialization (utf-16 before it)."""
        try:
            return str(self.workspace.position_encoding or "utf-16")
        except RuntimeError:  # no workspace yet
            return "utf-16"

    # --- checking --------------------------------------------------------------------------------

    def wants(self, doc: Any) -> bool:
        path = doc.path or ""
        return path.lower().endswith(SUFFIXES) or (doc.language_id or "") in LANGUAGES

    async def check(self, uri: str) -> Checked | None:
        """Check the document's current text in the worker thread; remember and return the result."""
        doc = self.workspace.get_text_document(uri)
        if not self.wants(doc):
            return None
        text, version = doc.source, doc.version
        if not text.strip():
            checked = Checked(version)
        else:
            path = to_fs_path(uri) if uri.startswith("file:") else None
            loop = asyncio.get_running_loop()
            checked, config_error = await loop.run_in_executor(
                self.executor, _check_and_convert, uri, version, text, path, self.encoding
            )
            self._config_error(config_error)
        if uri in self.workspace.text_documents:  # not closed meanwhile
            self.checked[uri] = checked
        return checked

    def _config_error(self, message: str | None) -> None:
        """Show a broken configuration once (not at every keystroke), as a message, not a crash."""
        if message is not None and message != self.last_config_error:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
        self.last_config_error = message

    def schedule(self, uri: str) -> None:
        """Check ``uri`` now, or right after its running check (changes meanwhile coalesce)."""
        self.dirty.add(uri)
        if uri not in self.running:
            self.running[uri] = asyncio.ensure_future(self._check_loop(uri))

    async def _check_loop(self, uri: str) -> None:
        try:
            while uri in self.dirty:
                self.dirty.discard(uri)
                if uri not in self.workspace.text_documents:
                    return
                checked = await self.check(uri)
                # A result for a text edited meanwhile is dropped: the loop checks the latest text.
                if checked is not None and uri not in self.dirty and uri in self.workspace.text_documents:
                    self.text_document_publish_diagnostics(
                        types.PublishDiagnosticsParams(
                            uri=uri, version=checked.version, diagnostics=[lsp for lsp, _ in checked.items]
                        )
                    )
        finally:
            self.running.pop(uri, None)

    def cancel(self, uri: str) -> None:
        self.dirty.discard(uri)
        task = self.running.pop(uri, None)
        if task is not None:
            task.cancel()

    async def current(self, uri: str) -> Checked | None:
        """The check of the document's current version, waiting for (or running) it if need be."""
        doc = self.workspace.get_text_document(uri)
        checked = self.checked.get(uri)
        if checked is None or checked.version != doc.version:
            checked = await self.check(uri)
        return checked

    # --- fixes -----------------------------------------------------------------------------------

    def edits_for(self, checked: Checked, diags: Sequence[Diagnostic]) -> list[types.TextEdit]:
        assert checked.source is not None
        shift = checked.bom
        return [
            types.TextEdit(
                range=checked.source.span_range(Span(e.span.start + shift, e.span.end + shift)), new_text=e.replacement
            )
            for d in diags
            if d.fix
            for e in d.fix.edits
        ]

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        checked = await self.current(uri)
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
                actions.append(
                    types.CodeAction(
                        title=f"{d.fix.message}({d.code})",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[lsp_diag],
                        is_preferred=True,
                        edit=types.WorkspaceEdit(changes={uri: self.edits_for(checked, [d])}),
                    )
                )
        if wanted(FIX_ALL_KIND) and any(d.fix and d.fix.applicability == "safe" for _, d in checked.items):
            # Exactly what `gikcheck --fix` writes (every pass), sent as the edits that turn the text into it.
            assert checked.source is not None
            path = to_fs_path(uri) if uri.startswith("file:") else None
            loop = asyncio.get_running_loop()
            edits, applied = await loop.run_in_executor(self.executor, fix_all_edits, checked.source, checked.bom, path)
            if edits:
                actions.append(
                    types.CodeAction(
                        title=f"gikcheck：修复全部可安全修复的问题（{applied} 处）",
                        kind=FIX_ALL_KIND,
                        edit=types.WorkspaceEdit(changes={uri: edits}),
                    )
                )
        return actions

    async def hover(self, params: types.HoverParams) -> types.Hover | None:
        from .registry import rule_by_code

        # The last check answers at once, even while a newer one runs: hover need not wait for it.
        checked = self.checked.get(params.text_document.uri) or await self.current(params.text_document.uri)
        if checked is None:
            return None
        pos = types.Range(start=params.position, end=params.position)
        parts: list[str] = []
        for lsp_diag, d in checked.items:
            if _overlaps(lsp_diag.range, pos):
                rule = rule_by_code(d.code)
                if rule is not None and all(d.code not in p for p in parts):
                    parts.append(f"**{rule.code}** `{rule.name}`: {rule.summary()}\n\n{rule.explanation()}")
        if not parts:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts))
        )


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
        needle = self.extracted[span.start : span.end]
        if "\n" not in needle:
            found = self._find(needle, span.start)
            if found != -1:
                return source_map.span_range(Span(found, found + len(needle)))
        line_start = self.extracted.rfind("\n", 0, span.start) + 1
        line_end = self.extracted.find("\n", line_start)
        line = self.extracted[line_start : line_end if line_end != -1 else len(self.extracted)]
        first = line.split("\t")[0].strip()[:12]
        if first:
            found = self._find(first, line_start + line.find(first))
            if found != -1:
                return source_map.span_range(Span(found, found))
        return source_map.span_range(Span(0, 0))


def build_server() -> GikcheckServer:
    server = GikcheckServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: GikcheckServer, params: types.InitializedParams) -> None:
        # Import the rules and templates now, in the worker, so that the first check is as quick as the rest.
        ls.executor.submit(check_source, "政府信息公开工作年度报告\n", None)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GikcheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GikcheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GikcheckServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_FILES:
            # The configuration changed: check every open report again.
            for open_uri in list(ls.workspace.text_documents):
                if open_uri != uri:
                    ls.schedule(open_uri)
            return
        ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GikcheckServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        ls.checked.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False
        ),
    )
    async def code_action(ls: GikcheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return await ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: GikcheckServer, params: types.HoverParams) -> types.Hover | None:
        return await ls.hover(params)

    return server


def serve() -> None:
    """Run the server over stdin/stdout until the client shuts it down."""
    build_server().start_io()
