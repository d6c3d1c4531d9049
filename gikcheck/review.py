"""``gikcheck review REPORT -o OUT.docx``: a Word copy of a report with one comment (批注) per finding.

A .docx report is copied and each finding becomes a Word comment by the
author 「gikcheck」, anchored on the text the finding points at: the
sentence or label inside its paragraph, or the table cell. Where that text
cannot be found in the runs (a field, a hyperlink), the comment covers the
whole paragraph or cell. Any other input (text, Markdown, a web page, a PDF)
becomes a new .docx of the text gikcheck read — one paragraph per line,
tab-separated rows as Word tables — with the same comments. The input file
is never written.

Where a finding lies in a Word file comes from the reader's line origins
(``Document.origins``): paragraph n, or table t row r cell c, numbered as the
Word reader numbers them.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import TYPE_CHECKING
from .config import Settings
from .diagnostics import Diagnostic
from .document import Document

if TYPE_CHECKING:
    from typing import Any

AUTHOR = "gikcheck"
INITIALS = "GK"


class ReviewError(Exception):
    """The review copy cannot be made; the message is for the user (Chinese)."""


@dataclass
class Review:
    """What was written: the output path, the findings and the comments made."""

    output: Path
    findings: int
    comments: int
    source_kind: str  # "docx" (a copy of the Word file) or "text" (a new document of the text read)


def comment_text(d: Diagnostic) -> tuple[str, str | None]:
    """The comment's first paragraph (code, name and message) and its help, if any."""
    name = f"（{d.name}）" if d.name else ""
    return f"{d.code}{name}：{d.message}", (f"帮助：{d.help}" if d.help else None)


def review(path: Path, output: Path, settings: Settings = Settings()) -> Review:
    """Check ``path`` and write its review copy to ``output``; the input is only read."""
    from .engine import check_document, read_bytes
    from .reading import ReadError

    if output.suffix.lower() != ".docx":
        raise ReviewError(f"输出文件 {output} 应以 .docx 结尾")
    try:
        if output.exists() and output.resolve() == path.resolve():
            raise ReviewError(f"输出文件 {output} 就是输入文件；审阅副本不能覆盖原报告，请换一个文件名")
    except OSError:
        pass
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReviewError(f"无法读取 {path}：{e.strerror or e}") from None
    try:
        doc = read_bytes(data, str(path))
    except ReadError as e:
        raise ReviewError(f"{path}：{e.reason}") from None
    diags, _report = check_document(doc, settings)
    diags.sort(key=lambda d: d.sort_key())
    try:
        import docx  # python-docx
    except ImportError:
        raise ReviewError("写 Word 文件需要 python-docx 1.2 以上：pip install 'gikcheck[docx]'") from None
    if not hasattr(docx.document.Document, "add_comment"):
        raise ReviewError("写 Word 批注需要 python-docx 1.2 以上：pip install -U 'python-docx>=1.2'")
    if doc.encoding == "docx":
        try:
            word = docx.Document(io.BytesIO(data))
        except Exception:
            raise ReviewError(
                f"{path}：python-docx 无法打开这个 Word 文件（WPS 或转换工具写出的非标准包），"
                "请在 Word 或 WPS 中另存为 .docx 后再试"
            ) from None
        anchors: _Anchors = _WordAnchors(word, doc)
        kind = "docx"
    else:
        word = docx.Document()
        anchors = _TextAnchors(word, doc)
        kind = "text"
    made = 0
    for d in diags:
        runs = anchors.runs(d)
        first, help_text = comment_text(d)
        comment = word.add_comment(runs, text=first, author=AUTHOR, initials=INITIALS)
        if help_text:
            comment.add_paragraph(help_text)
        made += 1
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        word.save(str(output))
    except OSError as e:
        raise ReviewError(f"无法写入 {output}：{e.strerror or e}") from None
    return Review(output, len(diags), made, kind)


# --- anchoring ------------------------------------------------------------------------------------


def _isolate(paragraph: Any, start: int, end: int) -> list[Any]:
    """The runs of ``paragraph`` covering its run text [start, end), split at both ends so they
    cover exactly that text; [] when the range is not in the paragraph's runs.

    Only runs made of one text element are split (a run with tabs or breaks is taken whole).
    """
    runs = list(paragraph.runs)
    pos, covered = 0, []
    for run in runs:
        text = run.text
        r_start, r_end = pos, pos + len(text)
        pos = r_end
        if r_end <= start or r_start >= end or not text:
            continue
        covered.append((run, r_start, r_end))
    if not covered:
        return []
    run, r_start, _ = covered[0]
    if start > r_start and _splittable(run):
        tail = _split(run, start - r_start)
        covered[0] = (tail, start, covered[0][2])
        if len(covered) == 1 or covered[-1][0] is run:
            covered[-1] = covered[0]
    run, r_start, r_end = covered[-1]
    if end < r_end and _splittable(run):
        _split(run, end - r_start)
    return [r for r, _, _ in covered]


def _splittable(run: Any) -> bool:
    from docx.oxml.ns import qn

    children = [c for c in run._r if c.tag != qn("w:rPr")]
    return len(children) == 1 and children[0].tag == qn("w:t")


def _split(run: Any, at: int) -> Any:
    """Cut ``run`` after ``at`` characters; returns the new run holding the rest."""
    from docx.text.run import Run

    text = run.text
    new = copy.deepcopy(run._r)
    run._r.addnext(new)
    run.text = text[:at]
    tail = Run(new, run._parent)
    tail.text = text[at:]
    return tail


def _runs_of(paragraphs: Sequence[Any]) -> list[Any]:
    runs = [r for p in paragraphs for r in p.runs]
    if runs:
        return runs
    # An empty paragraph or cell: an empty run to hang the comment on.
    return [paragraphs[0].add_run("")]


_XML_INVALID = {c: " " for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]}


def _xml_safe(text: str) -> str:
    """Characters XML cannot hold (form feeds from a PDF, lone surrogates) as spaces: offsets stay."""
    text = text.translate(_XML_INVALID)
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = "".join(" " if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


class _Anchors:
    def __init__(self, word: Any, doc: Document) -> None:
        self.word = word
        self.doc = doc

    def runs(self, d: Diagnostic) -> list[Any]:
        """The runs a finding's comment is anchored on: first and last matter."""
        if d.location is None or not self.doc.text:
            return self.fallback()
        start = self._place(d.span.start, d.span.end)
        return start or self.fallback()

    def _place(self, start: int, end: int) -> list[Any]:
        doc = self.doc
        line = doc.line_of(min(max(start, 0), len(doc.text)))
        line_start, line_end = doc.line_starts[line - 1], doc.line_ends[line - 1]
        # The finding on its first line (a finding spanning lines is anchored where it starts).
        s, e = max(start, line_start), max(min(end, line_end), max(start, line_start))
        return self.on_line(line, s - line_start, e - line_start)

    def on_line(self, line: int, start: int, end: int) -> list[Any]:
        raise NotImplementedError

    def fallback(self) -> list[Any]:
        """The document's first paragraph with text (its title): for findings about the whole report."""
        for p in self.word.paragraphs:
            if p.text.strip():
                return _runs_of([p])
        return _runs_of([self.word.paragraphs[0] if self.word.paragraphs else self.word.add_paragraph("")])

    @staticmethod
    def in_text(paragraphs: Sequence[Any], needle: str, nth_hint: int) -> list[Any]:
        """Isolate ``needle`` in the paragraphs' runs (the occurrence nearest the hinted offset)."""
        if not needle.strip():
            return []
        for p in paragraphs:
            text = "".join(r.text for r in p.runs)
            found = [i for i in range(len(text)) if text.startswith(needle, i)]
            if found:
                at = min(found, key=lambda i: abs(i - nth_hint))
                runs = _isolate(p, at, at + len(needle))
                if runs:
                    return runs
        return []


class _WordAnchors(_Anchors):
    """Anchors in a copy of the Word file, through the reader's paragraph / table / row / cell numbers."""

    def __init__(self, word: Any, doc: Document) -> None:
        from .readers.docx import W, children

        super().__init__(word, doc)
        self.paragraphs: list[Any] = []
        self.tables: list[Any] = []
        for el in children(word.element.body):  # numbered exactly as the reader numbers them
            if el.tag == W + "p":
                self.paragraphs.append(el)
            elif el.tag == W + "tbl":
                self.tables.append(el)

    def on_line(self, line: int, start: int, end: int) -> list[Any]:
        from docx.table import Table, _Cell
        from docx.text.paragraph import Paragraph

        from .readers.docx import W, children

        origins = self.doc.origins or []
        origin = origins[line - 1] if line - 1 < len(origins) else None
        text = self.doc.text[self.doc.line_starts[line - 1] : self.doc.line_ends[line - 1]]
        if origin is None:
            return []
        body = self.word._body
        if origin.kind == "paragraph":
            if not 1 <= origin.number <= len(self.paragraphs):
                return []
            p = Paragraph(self.paragraphs[origin.number - 1], body)
            return self.in_text([p], text[start:end], start) or _runs_of([p])
        if not 1 <= origin.number <= len(self.tables):
            return []
        table = Table(self.tables[origin.number - 1], body)
        rows = [tr for tr in children(table._tbl) if tr.tag == W + "tr"]
        if not 1 <= origin.row <= len(rows):
            return []
        cells = [tc for tc in children(rows[origin.row - 1]) if tc.tag == W + "tc"]
        column = text.count("\t", 0, start)
        number = origin.cells[column] if column < len(origin.cells) else 0
        if number == 0 or abs(number) > len(cells):
            number = 1
        cell = _Cell(cells[abs(number) - 1], table)
        cell_start = text.rfind("\t", 0, start) + 1
        return self.in_text(cell.paragraphs, text[start:end], start - cell_start) or _runs_of(cell.paragraphs)


class _TextAnchors(_Anchors):
    """A new Word document of the text read: one paragraph per line, tab-separated rows as tables."""

    def __init__(self, word: Any, doc: Document) -> None:
        super().__init__(word, doc)
        self.lines: dict[int, Any] = {}  # line → paragraph, or list of cells for a row
        lines = doc.text.split("\n")
        table_rows: list[tuple[int, list[str]]] = []

        def flush() -> None:
            if not table_rows:
                return
            width = max(len(cells) for _, cells in table_rows)
            table = word.add_table(rows=len(table_rows), cols=width)
            table.style = "Table Grid"
            for i, (n, cells) in enumerate(table_rows):
                row = table.rows[i].cells
                for j, value in enumerate(cells):
                    row[j].paragraphs[0].add_run(_xml_safe(value))
                self.lines[n] = list(row)
            table_rows.clear()

        for n, raw in enumerate(lines, start=1):
            line = raw.rstrip("\r")
            if "\t" in line:
                table_rows.append((n, line.split("\t")))
                continue
            flush()
            p = word.add_paragraph()
            p.add_run(_xml_safe(line))
            self.lines[n] = p
        flush()

    def on_line(self, line: int, start: int, end: int) -> list[Any]:
        target = self.lines.get(line)
        if target is None:
            return []
        if isinstance(target, list):  # a table row: the cell the finding is in
            text = self.doc.text[self.doc.line_starts[line - 1] : self.doc.line_ends[line - 1]]
            column = min(text.count("\t", 0, start), len(target) - 1)
            cell_start = text.rfind("\t", 0, start) + 1
            paragraph = target[column].paragraphs[0]
            if end > start:
                cell_end = min(end, cell_start + len(paragraph.text))
                runs = _isolate(paragraph, start - cell_start, cell_end - cell_start)
                if runs:
                    return runs
            return _runs_of([paragraph])
        if end > start:
            runs = _isolate(target, start, end)
            if runs:
                return runs
        return _runs_of([target])
