"""Issue 11: bounded on every input. Each hostile file is built small, here, at test time.

Every hostile input ends in seconds with GK001 (exit 2), or with the good
files' findings (exit 1) in a batch; never a hang, a traceback or gigabytes.
"""

from __future__ import annotations

import http.server
import io
import os
import stat
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import pdf_file, traced_peak
from test_readers import DEFECTIVE, report, to_docx, to_txt

from gikcheck.config import Settings
from gikcheck.engine import check_text, lint_bytes, lint_path, lint_url

GOOD = to_txt(report()).encode("utf-8")
BAD = to_txt(report(**DEFECTIVE)).encode("utf-8")  # a report with findings (exit 1)
POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and owners are POSIX")


def cli(*args: str, stdin=None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gikcheck", "--format", "concise", *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def unreadable(proc: subprocess.CompletedProcess, reason: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "[GK001]" in proc.stdout and reason in proc.stdout, proc.stdout


# --- 1. files that are not regular files; every read capped while reading -----------------------


@POSIX
def test_fifo_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)
    start = time.monotonic()
    [d] = lint_path(fifo).diagnostics
    assert d.code == "GK001" and "命名管道" in d.message
    assert time.monotonic() - start < 5


@POSIX
def test_fifo_in_a_directory_does_not_block_the_others(tmp_path):
    (tmp_path / "good.txt").write_bytes(BAD)
    os.mkfifo(tmp_path / "pipe.txt")
    proc = cli(str(tmp_path), timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "pipe.txt" in proc.stdout and "命名管道" in proc.stdout
    assert "good.txt" in proc.stdout and "[GK302]" in proc.stdout


@POSIX
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_devices_and_symlinks_to_them_are_refused(tmp_path):
    unreadable(cli("/dev/zero", timeout=30), "设备文件")
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    unreadable(cli(str(link), timeout=30), "设备文件")


@POSIX
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_stdin_is_capped_while_reading():
    with open("/dev/zero", "rb") as zero:
        start = time.monotonic()
        proc = cli("-", stdin=zero, timeout=60)
    unreadable(proc, "过大")
    assert time.monotonic() - start < 30


def test_a_file_growing_after_stat_is_capped_while_reading(tmp_path, monkeypatch):
    import gikcheck.engine as engine

    p = tmp_path / "r.txt"
    p.write_bytes(GOOD)
    real_stat = os.stat

    def small_stat(path, *a, **k):  # stat() says small; the read must still stop at the cap
        st = real_stat(path, *a, **k)
        if str(path) == str(p):
            return os.stat_result(
                (
                    st.st_mode,
                    st.st_ino,
                    st.st_dev,
                    st.st_nlink,
                    st.st_uid,
                    st.st_gid,
                    10,
                    st.st_atime,
                    st.st_mtime,
                    st.st_ctime,
                )
            )
        return st

    monkeypatch.setattr(os, "stat", small_stat)
    monkeypatch.setattr(engine, "MAX_TEXT_BYTES", 100)
    [d] = lint_path(p).diagnostics
    assert d.code == "GK001" and "过大" in d.message


# --- 2. PDF: limits inside a page ---------------------------------------------------------------


def _pdf(stream: bytes, flate: bool = True) -> bytes:
    """A one-page PDF with ``stream`` as its content (already deflated when ``flate``)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< "
        + (b"/Filter /FlateDecode " if flate else b"")
        + b"/Length %d >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_file(objs)


def _deflated(parts) -> bytes:
    c = zlib.compressobj(9)
    return b"".join(c.compress(p) for p in parts) + c.flush()


def _pdf_read(data: bytes, seconds: float = 20):
    pytest.importorskip("pypdfium2_raw")
    start = time.monotonic()
    res, peak = traced_peak(lint_bytes, data, "hostile.pdf")
    assert time.monotonic() - start < seconds
    return res, peak


def test_pdf_page_with_200000_text_operators():
    data = _pdf(_deflated([b"BT /F1 12 Tf 72 720 Td ", b"(AB) Tj 0.01 0 Td " * 200_000, b"ET"]))
    assert len(data) < 50_000
    res, peak = _pdf_read(data)
    [d] = res.diagnostics
    assert d.code == "GK001" and "第 1 页的字符超过" in d.message
    assert peak < 200 * 1024 * 1024


def test_pdf_page_with_too_many_operators(monkeypatch):
    pytest.importorskip("pypdfium2_raw")
    import gikcheck.readers.pdf as pdf

    # The limit is 1,500,000 (PDFium: ~300,000 objects, 0.5 s); a thirtieth of it shows the same stop.
    monkeypatch.setattr(pdf, "MAX_PAGE_OPERATIONS", 50_000)
    start = time.monotonic()
    [d] = lint_bytes(_pdf(_deflated([b"q Q " * 1_000_000])), "ops.pdf").diagnostics
    assert d.code == "GK001" and "绘制指令超过 50000 条" in d.message
    assert time.monotonic() - start < 20


def test_pdf_content_stream_inflating_to_300_mb():
    block = b" " * (1 << 20)
    data = _pdf(_deflated([b"BT ", *([block] * 300), b" ET"]))
    assert len(data) < 1024 * 1024
    res, peak = _pdf_read(data)
    [d] = res.diagnostics
    assert d.code == "GK001" and "解压后超过" in d.message
    assert peak < 250 * 1024 * 1024


# --- 3. a Word package whose central directory lies ---------------------------------------------


def _lying_docx(real: int, declared: int = 500_000) -> bytes:
    """A .docx whose word/document.xml says ``declared`` bytes but inflates to ``real``."""
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    body = head + b" " * (real - len(head))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", body)
    data = bytearray(buf.getvalue())
    crc = zlib.crc32(body[:declared])  # even the checksum agrees with the declared prefix
    # Patch the sizes and CRC in the local header and in the central directory entry.
    for sig, size_at, crc_at in ((b"PK\x03\x04", 22, 14), (b"PK\x01\x02", 24, 16)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 17] == b"word/document.xml":
                struct.pack_into("<I", data, at + size_at, declared)
                struct.pack_into("<I", data, at + crc_at, crc)
            at += 4
    return bytes(data)


def test_docx_with_a_lying_central_directory_is_not_inflated():
    data = _lying_docx(300 << 20)
    assert len(data) < 1024 * 1024
    start = time.monotonic()
    res, peak = traced_peak(lint_bytes, data, "bomb.docx")
    assert time.monotonic() - start < 20
    [d] = res.diagnostics
    assert d.code == "GK001" and "超过其声明的 500000 字节" in d.message
    assert peak < 100 * 1024 * 1024, f"peak {peak >> 20} MB"


def test_docx_parts_are_inflated_under_the_cap(monkeypatch):
    import gikcheck.reading as reading

    data = to_docx(report())
    assert lint_bytes(data, "r.docx").readable
    monkeypatch.setattr(reading, "MAX_UNZIPPED_BYTES", 20_000)  # the real parts total more than that
    res = lint_bytes(data, "r.docx")
    [d] = res.diagnostics
    assert d.code == "GK001" and "解压后超过" in d.message


# --- 4. URLs: one deadline for the whole download; a short body is incomplete -------------------


class _Trickle(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/headers":  # the status line and headers one byte at a time
            for b in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 200:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
                time.sleep(0.05)
            return
        if self.path == "/body":  # a body of 200 bytes, one every 50 ms
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "200")
            self.end_headers()
            for _ in range(200):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
            return
        if self.path == "/badstatus":  # a status line no HTTP client accepts, with server words in it
            self.wfile.write(b"HTTP/1.1 abc Server says\r\nsecret internals\r\n\r\n")
            self.close_connection = True
            return
        if self.path == "/loop":  # redirects to itself
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/short":  # says 100 000 bytes, sends the start of a report and closes
            body = BAD[:3000]
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            return

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def trickle():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("route", ["/headers", "/body"])
def test_slow_server_meets_one_deadline(trickle, route, monkeypatch):
    import gikcheck.readers.url as url

    monkeypatch.setattr(url, "DOWNLOAD_SECONDS", 1.0)
    start = time.monotonic()
    [d] = lint_url(trickle + route).diagnostics
    assert time.monotonic() - start < 5
    assert d.code == "GK001" and "下载超时" in d.message


@pytest.mark.parametrize("route, words", [("/badstatus", "响应格式错误"), ("/loop", "重定向")])
def test_server_words_stay_out_of_the_reason(trickle, route, words):
    [d] = lint_url(trickle + route).diagnostics
    assert d.code == "GK001" and words in d.message
    assert "\n" not in d.message and "secret" not in d.message and "infinite" not in d.message


def test_body_shorter_than_its_length_is_incomplete(trickle):
    [d] = lint_url(trickle + "/short").diagnostics
    assert d.code == "GK001" and "下载不完整" in d.message


# --- 5. tracebacks on plain text: findings instead ----------------------------------------------


def _with_cell(value: str) -> str:
    text = GOOD.decode()
    old = "行政规范性文件 | 1 | 0 | 3"
    assert old in text
    return text.replace(old, f"行政规范性文件 | {value} | 0 | 3")


@pytest.mark.parametrize("value", ["9" * 5000, "9" * 400 + ".0", "1" * 16])
def test_absurdly_long_numbers_are_a_bad_cell(value):
    text = _with_cell(value)
    diags = check_text(text)
    assert "GK002" not in {d.code for d in diags}
    [d] = [d for d in diags if d.code == "GK205"]
    assert "超过 15 位" in d.message and text[d.span.start : d.span.end] == value


def test_fifteen_digits_are_still_a_number():
    diags = check_text(_with_cell("1" * 15))
    assert not [d for d in diags if d.code in ("GK002", "GK205")]


def test_table_of_markdown_separator_lines_only():
    text = GOOD.decode().replace(
        "三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n\n|---|---|\n|---|---|\n"
    )
    diags = check_text(text)
    assert "GK002" not in {d.code for d in diags}
    assert "GK002" not in {d.code for d in check_text("青山镇年度报告\n\n|---|---|\n|---|---|\n")}


def test_language_server_publishes_findings_for_such_text():
    pytest.importorskip("pygls")
    from gikcheck.lsp import check_source

    for text in (_with_cell("9" * 5000), "青山镇年度报告\n\n|---|---|\n|---|---|\n"):
        diags, checked = check_source(text, None)
        assert checked == text and "GK002" not in {d.code for d in diags}


def test_language_server_gets_gk002_not_an_exception(monkeypatch):
    pytest.importorskip("pygls")
    import gikcheck.engine as engine
    from gikcheck.lsp import check_source

    def broken(*a, **k):
        raise IndexError("list index out of range")

    monkeypatch.setattr(engine, "parse", broken)
    [d], _ = check_source(GOOD.decode(), None)
    assert d.code == "GK002" and "IndexError" in d.message and "\n" not in d.message


# --- 6. one file never sinks a batch ------------------------------------------------------------


def test_failure_in_parsing_is_gk002_for_that_file_only(tmp_path, monkeypatch):
    import gikcheck.engine as engine
    from gikcheck.runner import lint_files

    real = engine.parse

    def parse(doc, *a, **k):
        if doc.path.endswith("bad.txt"):
            raise ValueError("boom")
        return real(doc, *a, **k)

    monkeypatch.setattr(engine, "parse", parse)
    for name, data in (("a.txt", BAD), ("bad.txt", GOOD), ("c.txt", BAD)):
        (tmp_path / name).write_bytes(data)
    items = [(tmp_path / n, n, Settings()) for n in ("a.txt", "bad.txt", "c.txt")]
    results = {r.path: r for r in lint_files(items)}
    [d] = results["bad.txt"].diagnostics
    assert d.code == "GK002" and "ValueError: boom" in d.message
    assert "GK302" in {d.code for d in results["a.txt"].diagnostics}
    assert "GK302" in {d.code for d in results["c.txt"].diagnostics}
    # The library API too: a diagnostic, not an exception.
    [d] = check_text(GOOD.decode(), "bad.txt")
    assert d.code == "GK002"


def test_batch_in_a_process_pool_survives_a_bad_file(tmp_path):
    from gikcheck.runner import POOL_THRESHOLD

    for i in range(POOL_THRESHOLD + 8):
        (tmp_path / f"r{i:02d}.txt").write_bytes(BAD)
    (tmp_path / "zz-digits.txt").write_text(_with_cell("9" * 5000), encoding="utf-8")
    (tmp_path / "zz-seps.txt").write_text("青山镇年度报告\n\n|---|---|\n|---|---|\n", encoding="utf-8")
    proc = cli("-j", "2", str(tmp_path), timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for i in range(POOL_THRESHOLD + 8):
        assert f"r{i:02d}.txt" in proc.stdout
    assert "zz-digits.txt" in proc.stdout and "超过 15 位" in proc.stdout


def test_check_text_has_the_cli_size_limit(monkeypatch):
    import gikcheck.reading as reading

    monkeypatch.setattr(reading, "MAX_REPORT_CHARS", 1000)
    [d] = check_text(GOOD.decode())
    assert d.code == "GK001" and "过长" in d.message


# --- 8. memory bounded by the input: one text limit for every entry point ------------------------


def _every_entry_point(extra: list[str]) -> list[tuple[str, list]]:
    """The report with ``extra`` paragraphs after it, checked as text, file bytes, Word and web page."""
    from test_readers import to_html

    text = GOOD.decode() + "\n".join(extra)
    return [
        ("check_text", check_text(text)),
        ("utf-8", lint_bytes(text.encode(), "r.txt").diagnostics),
        ("gb18030", lint_bytes(text.encode("gb18030"), "r.txt").diagnostics),
        ("docx", lint_bytes(_docx_with(extra), "r.docx").diagnostics),
        ("html", lint_bytes(to_html([*report(), *extra]).encode(), "r.html").diagnostics),
    ]


def _docx_with(extra: list[str]) -> bytes:
    """The report's .docx with ``extra`` paragraphs written into its XML (python-docx adds 50,000 in minutes)."""
    src = zipfile.ZipFile(io.BytesIO(to_docx(report())))
    paragraphs = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in extra).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                at = body.rindex(b"<w:sectPr")
                body = body[:at] + paragraphs + body[at:]
            z.writestr(info.filename, body)
    return out.getvalue()


def test_every_entry_point_refuses_text_over_the_limit_alike():
    from gikcheck.reading import MAX_REPORT_CHARS

    # One paragraph just over the limit, of varied characters (a .docx of it is not a zip bomb).
    long = "".join(chr(0x4E00 + i * 7919 % 20000) for i in range(MAX_REPORT_CHARS + 1))
    for name, diags in _every_entry_point([long]):
        assert [d.code for d in diags] == ["GK001"], name
        assert "文本过长" in diags[0].message and "超过报告的上限 50 万字" in diags[0].message, (name, diags[0].message)


def test_every_entry_point_refuses_too_many_lines_alike():
    from gikcheck.reading import MAX_REPORT_LINES

    lines = [f"{chr(0x4E00 + i % 20000)}{i}" for i in range(MAX_REPORT_LINES)]  # few characters, many lines
    for name, diags in _every_entry_point(lines):
        assert [d.code for d in diags] == ["GK001"], name
        assert "文本过长" in diags[0].message and "超过报告的上限 5 万行" in diags[0].message, (name, diags[0].message)


def test_text_at_the_limit_is_checked(monkeypatch):
    import gikcheck.reading as reading

    monkeypatch.setattr(reading, "MAX_REPORT_CHARS", len(BAD.decode()))
    assert "GK001" not in {d.code for d in check_text(BAD.decode())}
    assert "GK001" not in {d.code for d in lint_bytes(BAD, "r.txt").diagnostics}
    monkeypatch.setattr(reading, "MAX_REPORT_CHARS", len(BAD.decode()) - 1)
    assert [d.code for d in check_text(BAD.decode())] == ["GK001"]


def test_offset_maps_are_compact_arrays():
    """A map holds an offset per character or line: 8 bytes each, not a tuple's or a list's 36–40."""
    from array import array

    from gikcheck.document import Document
    from gikcheck.engine import knowledge_for
    from gikcheck.normalize import make_shadow
    from gikcheck.parsing.report import parse
    from gikcheck.reflow import prose_view

    composed = make_shadow("政府信息公开工作年度报告\n共 3119 件,e\u0301")  # spaces dropped, é composed
    assert composed.text.endswith("共3119件,é")
    wrapped = Path(__file__).parent / "fixtures" / "reflow" / "qinghe-2024.txt"  # pdftotext: lines wrapped
    doc = Document(wrapped.read_text(encoding="utf-8"))
    view = prose_view(parse(doc, knowledge_for(Settings())))
    for name, offsets in (
        ("shadow", composed.origin),
        ("line_starts", doc.line_starts),
        ("line_ends", doc.line_ends),
        ("prose view", view.origin),
    ):
        assert isinstance(offsets, array) and offsets.typecode == "q", name
    assert composed.span_to_source(13, 19) == (13, 21)  # 「共3119件」 back to 「共 3119 件」


def test_markup_of_too_many_tags_is_refused_before_it_is_parsed(monkeypatch):
    import docx
    import lxml.etree
    from test_readers import to_html

    import gikcheck.reading as reading

    inputs = (("r.docx", to_docx(report()), "Word 文档"), ("r.html", to_html(report()).encode(), "网页"))
    parsed = []
    monkeypatch.setattr(reading, "MAX_MARKUP_TAGS", 1000)  # the test report has ~2,000 (HTML), ~12,000 (Word)
    monkeypatch.setattr(lxml.etree, "fromstring", lambda *a, **k: parsed.append(1))
    monkeypatch.setattr(docx, "Document", lambda *a, **k: parsed.append(1))
    for name, data, what in inputs:
        [d] = lint_bytes(data, name).diagnostics
        assert d.code == "GK001" and f"{what}" in d.message and "的标记超过" in d.message, d.message
    assert not parsed


def test_a_real_report_is_far_below_the_markup_limit():
    import zipfile

    from test_readers import to_html

    from gikcheck.reading import MAX_MARKUP_TAGS

    z = zipfile.ZipFile(io.BytesIO(to_docx(report())))
    assert 10 * sum(z.read(n).count(b"<") for n in z.namelist() if n.endswith((".xml", ".rels"))) < MAX_MARKUP_TAGS
    assert 10 * to_html(report()).count("<") < MAX_MARKUP_TAGS


# --- 7. --fix keeps the file what it is ---------------------------------------------------------

FIXABLE = GOOD.decode().replace("中华人民共和国政府信息公开条例", "中华人民共和国政府信息公开条列", 1).encode()


def _fix(path: Path) -> subprocess.CompletedProcess:
    return cli("--fix", str(path), timeout=120)


def test_fix_keeps_the_mode(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(FIXABLE)
    p.chmod(0o640)
    _fix(p)
    assert p.read_bytes() != FIXABLE, "nothing was fixed"
    assert stat.S_IMODE(p.stat().st_mode) == 0o640


def test_fix_refuses_a_read_only_file(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(FIXABLE)
    p.chmod(0o444)
    try:
        proc = _fix(p)
        assert p.read_bytes() == FIXABLE
        assert "只读" in proc.stderr and "Traceback" not in proc.stderr
        assert proc.returncode == 1  # the findings are still reported
    finally:
        p.chmod(0o644)


@POSIX
def test_fix_keeps_hard_links(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(FIXABLE)
    other = tmp_path / "copy.txt"
    os.link(p, other)
    inode = p.stat().st_ino
    _fix(p)
    assert p.stat().st_ino == inode and other.read_bytes() == p.read_bytes() != FIXABLE
    assert sorted(x.name for x in tmp_path.iterdir()) == ["copy.txt", "r.txt"]  # no copy left behind


@POSIX
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file to another user")
def test_fix_keeps_owner_and_group(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(FIXABLE)
    os.chown(p, 65534, 65534)
    p.chmod(0o664)
    _fix(p)
    st = p.stat()
    assert p.read_bytes() != FIXABLE
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o664)


def test_fix_writes_in_place_when_the_owner_cannot_be_kept(tmp_path, monkeypatch):
    from gikcheck import fileio

    p = tmp_path / "r.txt"
    p.write_bytes(b"old")
    inode = p.stat().st_ino
    monkeypatch.setattr(fileio, "_same_owner", lambda tmp, st: False)
    fileio.write_atomic(p, b"new content")
    assert p.read_bytes() == b"new content" and p.stat().st_ino == inode
    assert [x.name for x in tmp_path.iterdir()] == ["r.txt"]


def test_failed_in_place_write_restores_the_old_content(tmp_path, monkeypatch):
    from gikcheck import fileio

    p = tmp_path / "r.txt"
    p.write_bytes(b"old content")
    real = fileio._overwrite
    calls = []

    def overwrite(target, data):
        calls.append(data)
        if len(calls) == 1:
            with open(target, "r+b") as f:  # half written, then the disk fails
                f.write(data[:3])
            raise OSError(28, "No space left on device")
        real(target, data)

    monkeypatch.setattr(fileio, "_overwrite", overwrite)
    with pytest.raises(OSError):
        fileio._write_in_place(p, b"new content, longer")
    assert p.read_bytes() == b"old content"
    assert [x.name for x in tmp_path.iterdir()] == ["r.txt"]


PLUGIN = '''
import os
from gikcheck.plugins import hookimpl


class Killer:
    """Stands for a worker killed by the system (out of memory) or a crash in a C library."""

    name = "killer"
    suffixes = (".kill",)

    def sniff(self, data):
        return data.startswith(b"KILL-THE-WORKER")

    def read(self, data, path):
        os._exit(9)


@hookimpl
def gikcheck_readers():
    return [Killer()]
'''


def test_batch_survives_a_worker_that_dies(tmp_path):
    """A file that kills its worker process costs that file (GK002), not the batch."""
    from gikcheck.runner import POOL_THRESHOLD

    site = tmp_path / "site"
    (site / "killer_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "killer_plugin-1.0.dist-info" / "entry_points.txt").write_text("[gikcheck]\nkiller = killer_plugin\n")
    (site / "killer_plugin.py").write_text(PLUGIN)
    reports = tmp_path / "reports"
    reports.mkdir()
    for i in range(POOL_THRESHOLD + 8):
        (reports / f"r{i:02d}.txt").write_bytes(BAD)
    (reports / "r10-kill.txt").write_bytes(b"KILL-THE-WORKER\n" + GOOD)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "gikcheck", "--format", "concise", "-j", "2", str(reports)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for i in range(POOL_THRESHOLD + 8):
        assert f"r{i:02d}.txt" in proc.stdout
    [line] = [ln for ln in proc.stdout.splitlines() if "r10-kill.txt" in ln]
    assert "[GK002]" in line and "进程意外退出" in line


def test_pdf_page_ruled_into_a_dense_grid():
    """170 × 170 ruling lines in a few kilobytes: pdfplumber's table finder took 25 s on it."""
    lines = [b"BT /F1 12 Tf 72 720 Td (A) Tj ET 0.1 w "]
    for i in range(171):
        y, x = 20 + i * 800 / 170, 20 + i * 550 / 170
        lines.append(b"20 %.2f m 570 %.2f l S %.2f 20 m %.2f 820 l S " % (y, y, x, x))
    res, _ = _pdf_read(_pdf(_deflated(lines)), seconds=10)
    [d] = res.diagnostics
    assert d.code == "GK001" and "表格线过多" in d.message


@pytest.mark.parametrize(
    "line", ["行政许可      12      3      4", "一、本年新收政府信息公开申请数量\t" + "\t".join(["1"] * 8)]
)
def test_long_runs_of_table_lines_are_read_in_bounded_time(line):
    """8000 aligned or tab-separated lines: the template-guided table reader was quadratic (minutes)."""
    text = GOOD.decode() + "\n" + "\n".join([line] * 8000) + "\n"
    start = time.monotonic()
    diags = check_text(text)
    assert time.monotonic() - start < 20
    assert "GK002" not in {d.code for d in diags}


# --- issue 11 items 9 and 10: lines shown, one-line Chinese reasons ---------------------------------


def test_full_output_shows_the_finding_line_despite_other_line_breaks(tmp_path):
    from gikcheck.cli import main as cli_main

    src = Path(__file__).resolve().parents[1] / "examples" / "defective-tables.txt"
    # U+2028, U+0085 and a form feed are no line breaks for positions: the line shown must not shift.
    text = src.read_text(encoding="utf-8").replace("一、总体情况", "一、总体情况\u2028\u0085\f", 1)
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.txt"
    cli_main([str(path), "--isolated", "--output-file", str(out)])
    shown = out.read_text(encoding="utf-8")
    line = text[: text.index("（三）不子公开")].count("\n") + 1
    assert f"{line} | （三）不子公开 | 1.属于国家秘密" in shown


def test_an_encrypted_pdf_says_so(tmp_path):
    pytest.importorskip("pypdfium2_raw")
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(100, 750, "2022")
    c.save()
    from gikcheck import check_path

    (d,) = check_path(path)
    assert d.code == "GK001" and "已加密" in d.message and "Exception" not in d.message
