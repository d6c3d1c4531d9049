"""Running the rules: read → parse → rules → filter.

``check_text`` and ``check_path`` are the library API: pure functions that
return plain, picklable ``Diagnostic`` objects.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping

from . import TYPE_CHECKING
from .config import Settings
from .diagnostics import Diagnostic, Severity, Span
from .document import Document, split_lines
from .identity import identity
from .memo import by_owner
from .parsing.report import ParseOptions, Report, parse
from .plugins import hooks
from .reading import (
    MAX_TEXT_BYTES,
    TEXT_SUFFIXES,
    ReadError,
    check_report_size,
    looks_like_report,
    read_file,
    read_stream,
)
from .registry import all_rules, is_enabled
from .rule import Rule, RuleContext
from .templates import Knowledge, Template
from .templates import knowledge_for as _knowledge_for

if TYPE_CHECKING:
    from typing import BinaryIO


class FileResult:
    """The outcome for one input: its findings and what the output and run-scope rules need.

    ``agency``, ``year`` and ``template`` say whose report it is, for which year, in which
    format (see identity.py): what formatters show of a report without asking any rule.
    """

    __slots__ = (
        "path",
        "diagnostics",
        "text",
        "readable",
        "report",
        "summaries",
        "settings",
        "lines",
        "agency",
        "year",
        "template",
    )

    def __init__(
        self,
        path: str,
        diagnostics: list[Diagnostic] | None = None,
        text: str | None = None,
        readable: bool = True,
        report: Report | None = None,
        summaries: Mapping[str, object] | None = None,
        settings: Settings | None = None,
        lines: dict[int, str] | None = None,
        agency: str = "",
        year: int | None = None,
        template: str | None = None,
    ) -> None:
        self.path = path
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.text = text  # the decoded source, for formatters that show it
        self.readable = readable
        self.report = report  # dropped before a result crosses a process boundary
        # What run-scope (cross-document) rules need of this report, by rule code; picklable.
        # A Mapping: a long run leaves them on disk (spill.Spilled).
        self.summaries: Mapping[str, object] = {} if summaries is None else summaries
        self.settings = settings
        # Only the source lines the findings point at, when the whole text was let go (see runner).
        self.lines = lines
        self.agency = agency  # "" when neither the report nor the configuration names it
        self.year = year
        self.template = template  # the template id the report was checked against; None if unread

    def detach(self) -> FileResult:
        """The picklable part: no parse tree."""
        self.report = None
        return self

    def for_run(self) -> FileResult:
        """What the end of a run needs of this result: no findings, no text, no parse tree."""
        return FileResult(
            self.path,
            [],
            None,
            self.readable,
            None,
            self.summaries,
            self.settings,
            agency=self.agency,
            year=self.year,
            template=self.template,
        )

    def keep_lines_only(self) -> None:
        """Let the text go, keeping the lines the findings point at (all ``full`` output shows)."""
        if self.text is not None:
            wanted = {d.location.line for d in self.diagnostics if d.location}
            if wanted:
                all_lines = split_lines(self.text)
                self.lines = {n: all_lines[n - 1] for n in wanted if 1 <= n <= len(all_lines)}
            else:
                self.lines = {}
            self.text = None


def knowledge_for(settings: Settings) -> Knowledge:
    """The run's templates; the phrase rules a user's pack declares join the registry."""
    knowledge = _knowledge_for(settings)
    if settings.rule_packs:
        from .phrases import declare_pack_rules

        declare_pack_rules(settings.rule_packs)
    return knowledge


def _enabled_rules(settings: Settings, path: str) -> tuple[type[Rule], ...]:
    ignore = tuple(settings.ignore)
    if settings.per_file_ignores:
        import fnmatch  # (only with per-file ignores: most runs have none)
    for glob, sels in settings.per_file_ignores:
        p = path.replace(os.sep, "/")
        if fnmatch.fnmatch(p, glob) or fnmatch.fnmatch(os.path.basename(p), glob) or fnmatch.fnmatch(p, "*/" + glob):
            ignore += tuple(sels)
    return _selection(all_rules(), tuple(settings.select) + tuple(settings.extend_select), ignore)


@functools.lru_cache(maxsize=64)
def _selection(
    rules: tuple[type[Rule], ...], select: tuple[str, ...], ignore: tuple[str, ...]
) -> tuple[type[Rule], ...]:
    # The same for every report of a run: worked out once (the registry is part of the key).
    return tuple(r for r in rules if is_enabled(r, select, ignore))


_APPLICABLE: dict = {}


def _applicable(rules: tuple[type[Rule], ...], template: Template, scope: str) -> tuple[type[Rule], ...]:
    """The rules of ``scope`` that apply to ``template`` (not the engine's own): the same for every
    report of a template in a run, so worked out once (keyed by the template's identity)."""
    return by_owner(
        _APPLICABLE,
        (rules, scope),
        template,
        lambda: tuple(r for r in rules if not r.engine and r.scope == scope and r.applies_to(template)),
        64,
    )


def engine_diagnostic(
    code: str, doc: Document | None, path: str, message: str, span: Span = Span(0, 0), settings: Settings | None = None
) -> Diagnostic:
    from .registry import rule_by_code

    rule = rule_by_code(code)
    sev = rule.default_severity if rule else Severity.ERROR
    if settings is not None:
        sev = settings.severity_map.get(code, sev)
    loc = doc.location(span) if doc is not None else None
    if loc is None:
        from .diagnostics import Location

        loc = Location(1, 1, 1, 1)
    return Diagnostic(
        code=code, name=rule.name if rule else "", message=message, span=span, severity=sev, path=path, location=loc
    )


def check_document(doc: Document, settings: Settings = Settings()) -> tuple[list[Diagnostic], Report]:
    knowledge = knowledge_for(settings)
    report = parse(doc, knowledge, ParseOptions(settings.template, settings.agency_level, settings.report_year))
    rules = _enabled_rules(settings, doc.path)
    severity = _severity_overrides(settings, rules)
    out: list[Diagnostic] = []
    for rule in _applicable(rules, report.template, "document"):
        ctx = RuleContext(rule, report, settings)
        try:
            found = list(rule().check(report, ctx))
        except Exception as e:  # one broken rule must not hide the others' findings
            if any(r.code == "GK002" for r in rules):
                import traceback  # only when a rule crashes

                tb = traceback.extract_tb(e.__traceback__)[-1]
                out.append(
                    engine_diagnostic(
                        "GK002",
                        doc,
                        doc.path,
                        f"规则 {rule.code}({rule.name})运行出错: {type(e).__name__}: {e}"
                        f"(位于 {os.path.basename(tb.filename)}:{tb.lineno});"
                        "其他规则照常运行。请把此报告提交给 gikcheck 开发者",
                        settings=settings,
                    )
                )
            continue
        for d in found:
            if d.code in severity:
                d.severity = severity[d.code]
            out.append(d)
    if doc.origins:  # Word/HTML/PDF: where each finding is in the original file ("表 2 第 6 行第 9 格")
        for d in out:
            where = doc.origin(d.span.start)
            if where:
                d.data.setdefault("origin", where)
    return _one_per_defect(_dedupe(sorted(out, key=Diagnostic.sort_key)), report), report


def _one_per_defect(diags: list[Diagnostic], report: Report) -> list[Diagnostic]:
    """One defect, one finding: superseded findings dropped, repeated ones merged (see grouping.py)."""
    from .grouping import group, supersede

    if not diags:
        return diags
    rules = {r.code: r for r in all_rules()}
    return group(supersede(diags, rules.get), report, rules.get)


def _severity_overrides(settings: Settings, rules: Iterable[type[Rule]]) -> dict[str, Severity]:
    """Per-code severities from selectors (a prefix applies to all its rules; the most specific wins)."""
    from .registry import specificity

    out: dict[str, Severity] = {}
    for rule in rules:
        best = 0
        for sel, sev in settings.severity:
            s = specificity(sel, rule)
            if s > best:
                best, out[rule.code] = s, sev
    return out


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for d in diags:
        key = (d.code, d.span.start, d.span.end, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def readers() -> list:
    out: list = []
    for batch in hooks().gikcheck_readers():
        out.extend(batch or ())
    return out


def reader_suffixes() -> tuple[str, ...]:
    return tuple(sorted({s for r in readers() for s in r.suffixes}))


def read_bytes(data: bytes, path: str) -> Document:
    """Decode bytes into a Document, or raise ReadError with the reason.

    The reader is chosen by content first, then by suffix; text is the fallback.
    """
    doc = _choose_and_read(readers(), data, path)
    check_report_size(doc.text)  # built-in readers stop sooner; a plugin's may not
    return doc


def _choose_and_read(available: list, data: bytes, path: str) -> Document:
    from .readers import TEXT_READER

    for r in available:
        if r is not TEXT_READER and r.sniff(data):
            return r.read(data, path)
    lower = path.lower()
    for r in available:
        if r is not TEXT_READER and lower.endswith(tuple(r.suffixes)):
            return r.read(data, path)
    return TEXT_READER.read(data, path)


def lint_bytes(
    data: bytes, path: str, settings: Settings = Settings(), summarize: bool = True, name: str | None = None
) -> FileResult:
    """Check one input. ``summarize``: also prepare what the cross-document rules need
    of it (pointless in a run of one report, and GK510's sketch is not free).
    ``name``: the file name that chooses the reader when it is not ``path`` (a URL's "page.html").

    Never raises for the input's sake: what cannot be read is GK001, and any
    failure while reading, parsing or checking it is GK002 for this input
    alone (the other files of a run are checked as usual).
    """
    try:
        return _lint_bytes(data, path, settings, summarize, name)
    except Exception as e:  # MemoryError and RecursionError included
        return crashed(path, e, settings)


def _lint_bytes(data: bytes, path: str, settings: Settings, summarize: bool, name: str | None) -> FileResult:
    try:
        doc = read_bytes(data, name or path)
    except ReadError as e:
        return _unreadable(path, e.reason, settings)
    doc.path = path
    diags, report = check_document(doc, settings)
    who = identity(report, settings)
    result = FileResult(
        path,
        diags,
        doc.text,
        True,
        report,
        settings=settings,
        agency=who.agency,
        year=who.year,
        template=report.template.id,
    )
    summaries: dict[str, object] = {}
    result.summaries = summaries
    for rule in _applicable(_enabled_rules(settings, path), report.template, "run") if summarize else ():
        try:
            summaries[rule.code] = rule().summarize(report, RuleContext(rule, report, settings))
        except Exception as e:  # as for document rules: GK002, the others go on
            result.diagnostics.append(
                engine_diagnostic(
                    "GK002",
                    doc,
                    path,
                    f"规则 {rule.code}({rule.name})汇总本报告时出错: {type(e).__name__}: {e}",
                    settings=settings,
                )
            )
    return result


def lint_stream(stream: BinaryIO, path: str, settings: Settings = Settings(), summarize: bool = True) -> FileResult:
    """Check a report read from ``stream`` (standard input), at most ``MAX_TEXT_BYTES`` of it."""
    try:
        data = read_stream(stream)
    except ReadError as e:
        return _unreadable(path, e.reason, settings)
    except OSError as e:
        return _unreadable(path, f"读取失败: {e.strerror or type(e).__name__}", settings)
    return lint_bytes(data, path, settings, summarize)


def crashed(path: str, error: BaseException, settings: Settings) -> FileResult:
    """GK002 for an input whose reading, parsing or checking failed; whatever the selection."""
    import traceback  # only when something broke

    frames = traceback.extract_tb(error.__traceback__)
    where = f"(位于 {os.path.basename(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
    detail = " ".join(str(error).split())[:160]
    what = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    if isinstance(error, MemoryError):
        what = "内存不足(MemoryError)"
    message = f"检查此文件时出错: {what}{where};此文件未能检查,其他文件照常检查。请把此报告提交给 gikcheck 开发者"
    return FileResult(path, [engine_diagnostic("GK002", None, path, message, settings=settings)], None, False)


def finish_run(results: list[FileResult]) -> None:
    """Run the cross-document rules over the reports of one run; attach their findings."""
    from .rule import RunContext

    by_path = {r.path: r for r in results}
    run_rules = [r for r in all_rules() if r.scope == "run"]
    for rule in run_rules:
        items = [(r.path, r.summaries[rule.code]) for r in results if rule.code in r.summaries]
        if not items:
            continue
        ctx = RunContext(rule)
        try:
            found = list(rule().check_run(items, ctx))
        except Exception as e:
            first = by_path[items[0][0]]
            first.diagnostics.append(
                engine_diagnostic(
                    "GK002",
                    None,
                    first.path,
                    f"规则 {rule.code}({rule.name})运行出错: {type(e).__name__}: {e}",
                    settings=first.settings,
                )
            )
            continue
        for d in found:
            target = by_path.get(d.path)
            if target is None:
                continue
            severity = run_severity(target.settings, rule)
            if severity is not None:
                d.severity = severity
            target.diagnostics.append(d)
    for r in results:
        r.diagnostics.sort(key=Diagnostic.sort_key)


def run_severity(settings: Settings | None, rule: type[Rule]) -> Severity | None:
    """The severity a report's settings give a run-scope rule's findings on it; None: the rule's own."""
    return _severity_overrides(settings or Settings(), [rule]).get(rule.code)


def _unreadable(path: str, reason: str, settings: Settings) -> FileResult:
    # GK001 is reported whatever the selection: an unreadable input is never silent.
    return FileResult(
        path, [engine_diagnostic("GK001", None, path, f"无法检查此文件: {reason}", settings=settings)], None, False
    )


def lint_path(
    path: str | os.PathLike[str], settings: Settings = Settings(), display: str | None = None, summarize: bool = True
) -> FileResult:
    shown = display or str(path)
    try:
        data = read_file(path, MAX_TEXT_BYTES)
    except ReadError as e:
        return _unreadable(shown, e.reason, settings)
    except IsADirectoryError:
        if not os.access(path, os.R_OK | os.X_OK):
            return _unreadable(shown, "无法读取此目录(没有权限),其中的报告未检查", settings)
        return _unreadable(shown, "这是目录,不是文件", settings)
    except FileNotFoundError:
        return _unreadable(shown, "文件不存在", settings)
    except PermissionError:
        return _unreadable(shown, "没有读取权限", settings)
    except OSError as e:
        return _unreadable(shown, f"读取失败: {e.strerror or type(e).__name__}", settings)
    except Exception as e:  # never a traceback for one file
        return crashed(shown, e, settings)
    return lint_bytes(data, shown, settings, summarize)


def check_text(text: str, path: str = "<string>", settings: Settings | None = None) -> list[Diagnostic]:
    """Check a report given as text; returns its diagnostics."""
    settings = settings or Settings()
    try:
        check_report_size(text)  # the limit of every other entry point, with the same reason
    except ReadError as e:
        return _unreadable(path, e.reason, settings).diagnostics
    try:
        reason = looks_like_report(text) if text.strip() else "文件为空"
        if reason:
            return _unreadable(path, reason, settings).diagnostics
        return check_document(Document(text, path=path), settings)[0]
    except Exception as e:  # as for files: GK002, never a traceback
        return crashed(path, e, settings).diagnostics


def check_path(path: str | os.PathLike[str], settings: Settings | None = None) -> list[Diagnostic]:
    """Check a report file; returns its diagnostics (GK001 when it cannot be read)."""
    if settings is None:
        from .config import Resolver

        settings = Resolver().for_path(path)
    from pathlib import Path  # str(Path(path)) is the name diagnostics give

    return lint_path(path, settings, str(Path(path)), summarize=False).diagnostics  # one report: nothing to compare


class Url(str):
    """An http(s) address given on the command line, fetched instead of opened."""


def is_url(p: str) -> bool:
    return p.lower().startswith(("http://", "https://"))


def lint_url(url: str, settings: Settings = Settings(), summarize: bool = True) -> FileResult:
    """Fetch ``url`` and check it as ``lint_path`` checks a file: the same reading, rules and summaries."""
    try:
        from .readers.url import fetch
    except ImportError:
        return _unreadable(url, "此版本不支持读取网址", settings)
    try:
        data, name = fetch(url)
    except ReadError as e:
        return _unreadable(url, e.reason, settings)
    except Exception as e:
        return crashed(url, e, settings)
    return lint_bytes(data, url, settings, summarize, name)


def iter_files(paths: Iterable[str]) -> Iterable[tuple[str | None, str]]:
    """Expand the command line's paths: files as given, directories recursively (a Url stays a Url).

    Paths as strings, not pathlib's (with urllib.parse, ≈ 0.5 ms of a cold run)."""
    for p in paths:
        if p == "-":
            yield None, "-"
            continue
        if is_url(p):
            yield Url(p), p
            continue
        if os.path.isdir(p):
            found = []
            suffixes = reader_suffixes() or TEXT_SUFFIXES
            unreadable: list[OSError] = []
            for root, dirs, files in os.walk(_path_str(p), onerror=unreadable.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f.lower().endswith(suffixes) and not f.startswith("."):
                        found.append(_joined(root, f))
            yield from ((f, f) for f in found)
            # A subdirectory that cannot be listed is reported, not skipped silently.
            yield from ((e.filename, str(e.filename)) for e in unreadable if e.filename)
        else:
            yield p, p


def _path_str(path: str) -> str:
    """``str(Path(path))``: how a path is shown, as pathlib writes it (no empty or ``.`` parts)."""
    if os.sep != "/":  # pragma: no cover - Windows: pathlib's rules of drives and separators
        from pathlib import Path

        return str(Path(path))
    root = "//" if path.startswith("//") and not path.startswith("///") else "/" if path.startswith("/") else ""
    return root + "/".join(part for part in path.split("/") if part and part != ".") or "."


def _joined(folder: str, name: str) -> str:
    """``str(Path(folder) / name)``: the name a file found in a folder is shown by."""
    return _path_str(f"{folder}/{name}")
