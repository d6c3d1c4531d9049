"""Hostile or broken input: a clear GK001 (or exit 2) with a one-line reason, bounded time
and memory, no traceback, the other files still checked, and the input never modified."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import traced_peak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_readers import report, to_docx, to_html, to_pdf, to_txt

from gikcheck.engine import check_document, lint_bytes, lint_path, read_bytes
from gikcheck.readers.structured import SourceCell, expand_grid
from gikcheck.reading import MAX_UNZIPPED_BYTES, ReadError

GOOD = to_txt(report()).encode("utf-8")


def _zip(entries: dict[str, bytes], level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _rewrite(docx: bytes, name: str, data: bytes) -> bytes:
    """A copy of a .docx with one part replaced."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    return _zip({i.filename: data if i.filename == name else src.read(i.filename) for i in src.infolist()})


# "Billion laughs": nested XML entities in the body.
_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "'
    + "政府信息公开".encode() * 10
    + b'">'
    + b"".join(b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(9))
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
)


def _deep_tables(depth: int) -> bytes:
    return (
        b"<html><body><p>\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80</p>"
        + b"<table><tr><td>" * depth
        + b"x"
        + b"</td></tr></table>" * depth
        + b"</body></html>"
    )


# name -> (bytes, a word the reason must contain)
@functools.cache
def bad_inputs() -> dict[str, tuple[bytes, str]]:
    docx = to_docx(report())
    ratio_bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (60 * 1024 * 1024)})
    # Many entries each within the ratio, together far over the cap.
    total_bomb = _zip(
        {"[Content_Types].xml": b"<Types/>", **{f"word/media/{i}.bin": os.urandom(64) * 50_000 for i in range(20)}},
        level=1,
    )
    return {
        "empty.txt": (b"", "为空"),
        "empty.docx": (b"", "为空"),
        "empty.html": (b"  \n", "为空"),
        "empty.pdf": (b"", "为空"),
        "junk.bin.txt": (os.urandom(4096).replace(b"PK", b"pk").replace(b"%PDF", b"%pdf"), "二进制"),
        "junk.docx": (b"\x00\x01junk" * 500, "不是 .docx"),
        "junk.pdf": (b"%PDF-1.7\n" + os.urandom(3000), "PDF"),
        "junk.html": (b"<html><body>" + bytes(range(128, 256)) * 20 + b"</body></html>", "编码"),
        "truncated.docx": (docx[: len(docx) // 2], "不完整"),
        "truncated-renamed.txt": (docx[: len(docx) // 3], "ZIP"),
        "truncated.pdf": (to_pdf(report())[:2000], "PDF"),
        "zip-bomb.docx": (ratio_bomb, "压缩炸弹"),
        "zip-bomb-total.docx": (total_bomb, "压缩炸弹"),
        "not-word.docx": (_zip({"hello.txt": b"hi"}), "不是 Word"),
        "xml-bomb.docx": (_rewrite(docx, "word/document.xml", _LAUGHS), "XML"),
        "broken-xml.docx": (_rewrite(docx, "word/document.xml", b"<w:document <<<"), "XML"),
        "old-word.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, ".doc"),
        "bad-utf8.html": (
            '<html><head><meta charset="utf-8"></head><body><p>政府信息公开</p>'.encode()
            + b"\xff\xfe\x80\xc3("
            + b"</body></html>",
            "UTF-8",
        ),
        "deep-tables.html": (_deep_tables(50_000), "嵌套"),
        "no-chinese.html": (b"<html><body><p>hello</p><table><tr><td>1</td></tr></table></body></html>", "中文"),
    }


@pytest.mark.parametrize("name", list(bad_inputs()))
def test_bad_input_gets_gk001_with_a_one_line_reason(name):
    data, word = bad_inputs()[name]
    start = time.monotonic()
    res = lint_bytes(data, name)
    assert time.monotonic() - start < 10
    assert not res.readable
    [d] = res.diagnostics
    assert d.code == "GK001" and word in d.message, d.message
    assert "\n" not in d.message and "Traceback" not in d.message


def test_zip_bomb_is_refused_from_the_central_directory(monkeypatch):
    data, _ = bad_inputs()["zip-bomb.docx"]
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *a, **kw):
        opened.append(str(name))
        return real_open(self, name, *a, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    res, peak = traced_peak(lint_bytes, data, "bomb.docx")
    assert "压缩炸弹" in res.diagnostics[0].message
    assert opened == []  # nothing was decompressed
    assert peak < 20 * 1024 * 1024


def test_unzipped_size_cap_is_the_documented_one():
    assert MAX_UNZIPPED_BYTES == 50 * 1024 * 1024


def test_huge_sparse_file_is_refused_by_size_without_reading(tmp_path):
    for name in ("big.txt", "big.pdf", "big.docx", "big.html"):
        p = tmp_path / name
        with open(p, "wb") as f:
            f.truncate(200 * 1024 * 1024)  # sparse: no 200 MB written
        start = time.monotonic()
        res, peak = traced_peak(lint_path, p)
        assert time.monotonic() - start < 5 and peak < 10 * 1024 * 1024
        [d] = res.diagnostics
        assert d.code == "GK001" and "过大" in d.message


def test_readers_are_bounded_themselves():
    from gikcheck.readers.docx import DOCX_READER
    from gikcheck.readers.html import HTML_READER
    from gikcheck.readers.pdf import PDF_READER

    big = b"<html><body>" + b"x" * (21 * 1024 * 1024)
    for reader, data in ((HTML_READER, big), (PDF_READER, b"%PDF-1.4" + big), (DOCX_READER, b"PK\x03\x04" + big)):
        with pytest.raises(ReadError, match="过大"):
            reader.read(data, "big")


def test_html_table_spans_are_clipped():
    page = (
        '<html><body><p>政府信息公开工作年度报告</p><table><tr><td colspan="99999999">甲</td></tr>'
        '<tr><td rowspan="99999999">乙</td><td>1</td></tr></table></body></html>'
    )
    res = lint_bytes(page.encode(), "spans.html")
    assert res.readable
    line = res.text.splitlines()[2]
    assert line.count("\t") == 999  # colspan clipped to the HTML limit of 1000
    with pytest.raises(ReadError, match="表格"):
        expand_grid([[SourceCell("x", colspan=1000)] for _ in range(300)])


def test_nonexistent_path_alone_exits_2(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "gikcheck", str(tmp_path / "nope.docx")], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "不存在" in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_unreadable_file_in_a_directory(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_bytes(GOOD)
    locked = tmp_path / "locked.docx"
    locked.write_bytes(to_docx(report()))
    locked.chmod(0)
    try:
        if os.geteuid() != 0:  # root reads whatever the mode says
            [d] = lint_path(locked).diagnostics
            assert d.code == "GK001" and "权限" in d.message
        # Simulated for every user: reading raises PermissionError.
        import gikcheck.engine

        real = gikcheck.engine.read_file

        def deny(path, *args):
            if Path(path).name == "locked.docx":
                raise PermissionError(13, "Permission denied")
            return real(path, *args)

        monkeypatch.setattr(gikcheck.engine, "read_file", deny)
        [d] = lint_path(locked).diagnostics
        assert d.code == "GK001" and "权限" in d.message
        # A run over the directory: the locked file is reported, the other one checked.
        from gikcheck.config import Settings
        from gikcheck.engine import iter_files
        from gikcheck.runner import lint_files

        items = [(p, shown, Settings()) for p, shown in iter_files([str(tmp_path)])]
        results = {Path(r.path).name: r for r in lint_files(items)}
        assert set(results) == {"good.txt", "locked.docx"}
        assert results["good.txt"].readable and results["good.txt"].diagnostics == []
        assert [d.code for d in results["locked.docx"].diagnostics] == ["GK001"]
    finally:
        locked.chmod(0o644)


def test_a_run_over_bad_and_good_files(tmp_path):
    """The CLI over a directory of hostile files: one GK001 line each, the good ones checked, nothing changed."""
    inputs = {name: data for name, (data, _) in bad_inputs().items()}
    inputs.update({"good.txt": GOOD, "good.docx": to_docx(report()), "good.html": to_html(report()).encode()})
    for name, data in inputs.items():
        (tmp_path / name).write_bytes(data)
    before = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    start = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "gikcheck",
            "--format",
            "concise",
            "--no-color",
            str(tmp_path),
            str(tmp_path / "missing.pdf"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert time.monotonic() - start < 120
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stdout.splitlines()
    for name in [n for n in inputs if not n.startswith("good")] + ["missing.pdf"]:
        mine = [ln for ln in lines if ln.startswith(str(tmp_path / name) + ":")]
        assert len(mine) == 1 and mine[0].endswith("[GK001]"), (name, mine)
    for name in ("good.txt", "good.docx", "good.html"):
        assert not any(ln.startswith(str(tmp_path / name) + ":") for ln in lines), name
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before


# --- property-based: arbitrary page and table shapes ------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(list("政府信息公开年度报告一二三（）、.0123456789 \t\n|<>&;\"'=") + ["\u3000", "\xa0"]),
    max_size=12,
)
_SPAN = st.one_of(
    st.none(),
    st.integers(min_value=-2, max_value=7).map(str),
    st.sampled_from(["", "x", "2;", " 3 ", "0", "99999", "1e3", "-1"]),
)
_TAGS = st.sampled_from(
    [
        "td",
        "th",
        "p",
        "br",
        "div",
        "span",
        "table",
        "tr",
        "tbody",
        "thead",
        "caption",
        "script",
        "style",
        "nav",
        "b",
        "li",
    ]
)


@st.composite
def _cell(draw) -> str:
    tag = draw(st.sampled_from(["td", "th"]))
    attrs = ""
    for name in ("colspan", "rowspan"):
        v = draw(_SPAN)
        if v is not None:
            attrs += f' {name}="{v}"'
    inner = draw(_TEXT)
    if draw(st.booleans()):
        inner = f"<{draw(_TAGS)}>{inner}</{draw(_TAGS)}>"
    close = draw(st.sampled_from([f"</{tag}>", ""]))  # unclosed cells are common
    return f"<{tag}{attrs}>{inner}{close}"


@st.composite
def _page(draw) -> str:
    parts = ["<html><body><p>政府信息公开工作年度报告</p>"]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["table", "text", "tag", "nested"]))
        if kind == "text":
            parts.append(draw(_TEXT))
        elif kind == "tag":
            parts.append(f"<{draw(_TAGS)}>{draw(_TEXT)}")
        else:
            rows = draw(st.lists(st.lists(_cell(), max_size=5), max_size=6))
            body = "".join("<tr>" + "".join(r) + draw(st.sampled_from(["</tr>", ""])) for r in rows)
            if kind == "nested":
                body = f"<tr><td>{draw(_TEXT)}<table>{body}</table></td></tr>" + body
            parts.append(f"<table>{body}" + draw(st.sampled_from(["</table>", ""])))
    return "".join(parts)


def _assert_spans_inside(doc) -> None:
    diags, _ = check_document(doc)
    n = len(doc.text)
    for d in diags:
        assert 0 <= d.span.start <= d.span.end <= n, d
        # (A rule that raises becomes GK002 — a rule's bug, found by tests/test_robustness.py;
        # here the readers are under test: what they produce must be consistent.)
        loc = doc.location(d.span)
        assert 1 <= loc.line <= loc.end_line <= doc.line_count
        origin = doc.origin(d.span.start)
        assert origin is None or isinstance(origin, str)
    assert doc.origins is None or len(doc.origins) >= doc.line_count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page(), st.sampled_from(["utf-8", "gbk", "utf-16"]))
def test_arbitrary_html_pages_never_raise(page, encoding):
    data = page.encode(encoding, "replace")
    try:
        doc = read_bytes(data, "fuzz.html")
    except ReadError as e:
        assert e.reason and "\n" not in e.reason
        return
    _assert_spans_inside(doc)
    for line in doc.text.splitlines():
        assert "|" not in line or "\t" not in line  # a cell's pipe never makes a pipe row


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(-3, 8), st.integers(-3, 8)), max_size=6), max_size=8))
def test_arbitrary_grids_expand_to_rectangles(shape):
    rows = [[SourceCell("x", cs, rs, i + 1) for i, (cs, rs) in enumerate(row)] for row in shape]
    grid = expand_grid(rows)
    assert len(grid) == len(rows)
    assert len({len(r) for r in grid}) <= 1
    # Every source cell's text appears exactly once.
    assert sum(1 for r in grid for t, _ in r if t == "x") == sum(len(r) for r in rows)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.tuples(_TEXT, st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4), min_size=1, max_size=5
    )
)
def test_arbitrary_docx_tables_never_raise(shape):
    import docx

    d = docx.Document()
    d.add_paragraph("政府信息公开工作年度报告")
    width = max(len(r) for r in shape) * 3
    t = d.add_table(rows=len(shape), cols=width)
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(shape):
        c = 0
        for text, cs, rs in row:
            while (r, c) in taken:
                c += 1
            cs, rs = min(cs, width - c), min(rs, len(shape) - r)
            if cs < 1:
                break
            if any((r + i, c + j) in taken for i in range(rs) for j in range(cs)):
                cs = rs = 1  # would overlap an earlier merge: Word allows only rectangles
            cell = t.cell(r, c)
            if cs > 1 or rs > 1:
                cell = cell.merge(t.cell(r + rs - 1, c + cs - 1))
            cell.text = text.replace("\x00", "")
            taken.update((r + i, c + j) for i in range(rs) for j in range(cs))
            c += cs
    buf = io.BytesIO()
    d.save(buf)
    try:
        doc = read_bytes(buf.getvalue(), "fuzz.docx")
    except ReadError as e:
        assert e.reason and "\n" not in e.reason
        return
    _assert_spans_inside(doc)


def test_pdf_limits_on_pages_and_time(monkeypatch):
    import gikcheck.readers.pdf as pdf

    data = to_pdf(report())  # three pages
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 1)
    [d] = lint_bytes(data, "r.pdf").diagnostics
    assert d.code == "GK001" and "页" in d.message and "上限" in d.message
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 300)
    monkeypatch.setattr(pdf, "MAX_PDF_SECONDS", -1.0)
    [d] = lint_bytes(data, "r.pdf").diagnostics
    assert d.code == "GK001" and "秒" in d.message


def test_extracted_text_is_capped(monkeypatch):
    import gikcheck.readers.structured as readers

    monkeypatch.setattr(readers, "MAX_EXTRACTED_CHARS", 1000)
    for name, data in (("r.docx", to_docx(report())), ("r.html", to_html(report()).encode())):
        [d] = lint_bytes(data, name).diagnostics
        assert d.code == "GK001" and "万字" in d.message
