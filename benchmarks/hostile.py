"""Each hostile input class of issue 11 through the command line: wall time, CPU time, peak RSS, exit code.

    python benchmarks/hostile.py            # all classes (about a minute)
    python benchmarks/hostile.py pdf docx   # only the classes whose name contains one of these

The files are built here, in a temporary directory (nothing hostile is
committed). Each run is one ``gikcheck`` process; its CPU time comes from
``os.wait4``, its peak RSS from its own VmHWM (and its pool workers'). The
download deadline is lowered to 5 s for the slow servers (the default is
60 s: the wait is wall time, not CPU).
Linux only (FIFOs, /dev/zero, wait4, /proc).
"""

from __future__ import annotations

import http.server
import io
import os
import random
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

# The child reports its own peak (VmHWM starts afresh at exec, unlike ru_maxrss, which a
# child inherits from this process) and that of its pool workers, at exit.
RUN = """
import atexit, os, resource, sys
def peak():
    kb = next(int(ln.split()[1]) for ln in open("/proc/self/status") if ln.startswith("VmHWM:"))
    kb = max(kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    with open(os.environ["HOSTILE_RSS"], "w") as f:
        f.write(str(kb))
atexit.register(peak)
import gikcheck.readers.url as u
u.DOWNLOAD_SECONDS = 5.0
from gikcheck.cli import main
sys.exit(main(sys.argv[1:]))
"""

# The library API: ``check_text()`` over a file's text, the first finding printed as the CLI would.
RUN_API = RUN.replace(
    """from gikcheck.cli import main
sys.exit(main(sys.argv[1:]))""",
    """from gikcheck import check_text
diags = check_text(open(sys.argv[-1], encoding="utf-8").read())
for d in diags[:1]:
    print(f"check_text:{d.location.line}:{d.location.column}: {d.severity.name.lower()}: {d.message} [{d.code}]")
sys.exit(2 if any(d.code == "GK001" for d in diags) else 1 if diags else 0)""",
)


def run(args: list[str], stdin: str | None = None) -> tuple[float, float, int, int, str]:
    """(wall s, CPU s, peak RSS MB, exit code, first line of output) of one gikcheck run.

    ``args`` of ``["check_text()", FILE]``: the library's ``check_text`` over the file's text.
    """
    with tempfile.NamedTemporaryFile(delete=False) as rss_file:
        pass  # only its name: the child writes its peak RSS there
    start = time.monotonic()
    script = RUN_API if args[:1] == ["check_text()"] else RUN
    with open(stdin or os.devnull, "rb") as inp:
        proc = subprocess.Popen(
            [sys.executable, "-c", script, "--format", "concise", *args],
            stdin=inp,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HOSTILE_RSS": rss_file.name},
        )
        out = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - start
    with open(rss_file.name) as f:
        peak_kb = int(f.read() or 0)
    os.unlink(rss_file.name)
    text = out.decode("utf-8", "replace")
    first = next((ln for ln in text.splitlines() if "GK" in ln or "Traceback" in ln), text.strip()[:80])
    if "Traceback" in text:
        first = "TRACEBACK: " + first
    return wall, usage.ru_utime + usage.ru_stime, peak_kb // 1024, proc.returncode, first


# --- building the inputs ---------------------------------------------------------------------


def deflated(parts, raw: bool = False) -> bytes:
    """zlib-wrapped deflate (a PDF's FlateDecode), or raw deflate (a ZIP entry)."""
    c = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return b"".join(c.compress(p) for p in parts) + c.flush()


def pdf(stream: bytes) -> bytes:
    from test_hostile import _pdf

    return _pdf(stream)


def lying_docx(real: int) -> bytes:
    """word/document.xml declared as 500,000 bytes, inflating to ``real`` (CRC of the prefix)."""
    declared = 500_000
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    block = b" " * (1 << 20)
    comp = deflated([head, *([block] * (real >> 20))], raw=True)
    crc = zlib.crc32((head + block)[:declared])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_STORED
        z.writestr(info, b"x")  # a placeholder, replaced below
    data = buf.getvalue()
    # Rebuild by hand: local header, data, central directory, all saying 500,000 bytes.
    name = b"word/document.xml"
    out = bytearray()
    first = data[: data.find(b"PK\x03\x04", 4)]  # the [Content_Types].xml local entry
    out += first
    local_at = len(out)
    out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(comp), declared, len(name), 0)
    out += name + comp
    cd_at = len(out)
    zf = zipfile.ZipFile(io.BytesIO(data))
    ct = zf.getinfo("[Content_Types].xml")
    ct_name = ct.filename.encode()
    out += (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            ct.compress_type,
            0,
            0,
            ct.CRC,
            ct.compress_size,
            ct.file_size,
            len(ct_name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + ct_name
    )
    out += (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(comp),
            declared,
            len(name),
            0,
            0,
            0,
            0,
            0,
            local_at,
        )
        + name
    )
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 2, 2, len(out) - cd_at, cd_at, 0)
    return bytes(out)


class Trickle(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        try:
            if self.path == "/headers":
                for b in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 10_000:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(0.5)
            elif self.path == "/body":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(100_000):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            elif self.path == "/short":
                from test_readers import DEFECTIVE, report, to_txt

                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(to_txt(report(**DEFECTIVE)).encode()[:3000])
                self.close_connection = True
        except OSError:
            pass

    def log_message(self, *args) -> None:
        pass


def cases(tmp: Path, server: str) -> list[tuple[str, Callable[[], tuple[list[str], str | None]]]]:
    from test_readers import DEFECTIVE, report, to_txt

    text = to_txt(report(**DEFECTIVE))

    def file(name: str, data: bytes | str) -> str:
        p = tmp / name
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return str(p)

    def cell(value: str) -> str:
        return text.replace("行政规范性文件 | 1 | 0 | 3", f"行政规范性文件 | {value} | 0 | 3")

    def fifo() -> tuple[list[str], None]:
        p = tmp / "fifo.txt"
        os.mkfifo(p)
        return [str(p)], None

    def fifo_in_dir() -> tuple[list[str], None]:
        d = tmp / "with-fifo"
        d.mkdir()
        (d / "good.txt").write_text(text, encoding="utf-8")
        os.mkfifo(d / "pipe.txt")
        return [str(d)], None

    def symlink() -> tuple[list[str], None]:
        p = tmp / "zero.txt"
        p.symlink_to("/dev/zero")
        return [str(p)], None

    def batch() -> tuple[list[str], None]:
        d = tmp / "batch"
        d.mkdir()
        for i in range(40):
            (d / f"r{i:02d}.txt").write_text(text, encoding="utf-8")
        (d / "zz-digits.txt").write_text(cell("9" * 5000), encoding="utf-8")
        (d / "zz-separators.txt").write_text("青山镇年度报告\n\n|---|---|\n|---|---|\n", encoding="utf-8")
        return ["-j", "2", str(d)], None

    def read_only() -> tuple[list[str], None]:
        p = Path(file("read-only.txt", text.replace("政府信息公开条例", "政府信息公开条列", 1)))
        p.chmod(0o444)
        return ["--fix", str(p)], None

    big = b"BT /F1 12 Tf 72 720 Td "

    def grid() -> bytes:
        lines = [b"BT /F1 12 Tf 72 720 Td (A) Tj ET 0.1 w "]
        for i in range(171):
            y, x = 20 + i * 800 / 170, 20 + i * 550 / 170
            lines.append(b"20 %.2f m 570 %.2f l S %.2f 20 m %.2f 820 l S " % (y, y, x, x))
        return b"".join(lines)

    # --- 8: memory. A text over the limits is refused as soon as its size is known; one just
    # under them is checked; markup of more tags than any report is refused before it is parsed.
    from gikcheck.reading import MAX_REPORT_CHARS, MAX_REPORT_LINES

    def repeated(chars: int) -> str:
        return (text * (chars // len(text) + 1))[:chars]

    def tiny_paragraphs_docx() -> bytes:
        rnd = random.Random(1)
        words = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就年"
        paragraphs = "".join(
            f"<w:p><w:r><w:t>{rnd.choice(words)}{rnd.randrange(100)}</w:t></w:r></w:p>" for _ in range(800_000)
        ).encode()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", b"<Types/>")
            z.writestr(
                "word/document.xml",
                b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
                b'openxmlformats.org/wordprocessingml/2006/main"><w:body>' + paragraphs + b"</w:body></w:document>",
            )
        return buf.getvalue()

    def table_html() -> str:
        rows = "".join(
            "<tr>" + "".join(f"<td>{(r * 7 + c) % 100}</td>" for c in range(999)) + "</tr>" for r in range(1000)
        )
        return f"<html><head><meta charset='utf-8'></head><body><p>{text[:200]}</p><table>{rows}</table></body></html>"

    head = text[:3000]
    return [
        ("1 FIFO", fifo),
        ("1 FIFO in a directory", fifo_in_dir),
        ("1 /dev/zero", lambda: (["/dev/zero"], None)),
        ("1 *.txt symlink to /dev/zero", symlink),
        ("1 stdin from /dev/zero", lambda: (["-"], "/dev/zero")),
        (
            "2 PDF page, 200,000 text operators",
            lambda: ([file("glyphs.pdf", pdf(deflated([big, b"(AB) Tj 0.01 0 Td " * 200_000, b"ET"])))], None),
        ),
        ("2 PDF page, 1,000,000 operators", lambda: ([file("ops.pdf", pdf(deflated([b"q Q " * 1_000_000])))], None)),
        (
            "2 PDF stream inflating to 2 GB",
            lambda: ([file("inflate.pdf", pdf(deflated([b"BT ", *([b" " * (1 << 20)] * 2048), b" ET"])))], None),
        ),
        ("2 PDF page ruled into a 170 x 170 grid", lambda: ([file("grid.pdf", pdf(deflated([grid()])))], None)),
        ("3 .docx declaring 500 KB, inflating to 1 GB", lambda: ([file("bomb.docx", lying_docx(1 << 30))], None)),
        ("4 URL, headers one byte / 0.5 s", lambda: ([server + "/headers"], None)),
        ("4 URL, body one byte / 0.5 s", lambda: ([server + "/body"], None)),
        ("4 URL, body shorter than Content-Length", lambda: ([server + "/short"], None)),
        ("5 cell of 5,000 digits", lambda: ([file("digits.txt", cell("9" * 5000))], None)),
        ("5 cell '9'*400 + '.0'", lambda: ([file("float.txt", cell("9" * 400 + ".0"))], None)),
        (
            "5 table of separator lines only",
            lambda: ([file("seps.txt", "青山镇年度报告\n\n|---|---|\n|---|---|\n")], None),
        ),
        (
            "5 8,000 aligned table lines",
            lambda: ([file("aligned.txt", text + "\n" + "行政许可      12      3      4\n" * 8000)], None),
        ),
        ("6 -j 2 over 40 reports + 2 of item 5", batch),
        ("7 --fix on a read-only (0444) file", read_only),
        (
            "8 text of 19 MB (reports repeated)",
            lambda: ([file("19mb.txt", repeated(19 << 20).encode()[: 19 << 20].decode("utf-8", "ignore"))], None),
        ),
        ("8 stdin of 14 M characters", lambda: (["-"], file("14m.txt", repeated(14_000_000)))),
        ("8 check_text() of 14 M characters", lambda: (["check_text()", str(tmp / "14m.txt")], None)),
        (
            f"8 text at the limit: {MAX_REPORT_CHARS:,} characters",
            lambda: ([file("limit.txt", repeated(MAX_REPORT_CHARS))], None),
        ),
        (
            f"8 text at the limit: {MAX_REPORT_LINES:,} lines",
            lambda: (
                [
                    file(
                        "lines.txt",
                        head + "\n".join(f"第{i}行" for i in range(MAX_REPORT_LINES - head.count("\n") - 1)),
                    )
                ],
                None,
            ),
        ),
        ("8 .docx of 800,000 tiny paragraphs", lambda: ([file("paragraphs.docx", tiny_paragraphs_docx())], None)),
        ("8 HTML table of 1000 x 999 cells", lambda: ([file("table.html", table_html())], None)),
    ]


def main(argv: list[str]) -> int:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(f"{'class':<46} {'wall s':>7} {'CPU s':>6} {'RSS MB':>7} {'exit':>4}  first finding")
    with tempfile.TemporaryDirectory() as d:
        for name, build in cases(Path(d), server):
            if argv and not any(a.lower() in name.lower() for a in argv):
                continue
            args, stdin = build()
            wall, cpu, rss, code, first = run(args, stdin)
            first = first.replace(d + os.sep, "").replace(server, "URL")
            print(f"{name:<46} {wall:>7.1f} {cpu:>6.1f} {rss:>7} {code:>4}  {first[:110]}", flush=True)
    httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
