"""Render each layout fixture report into every form a user meets, with the real tools.

Each master tests/fixtures/layouts/<report>/html.html (see make_masters.py there) becomes
<report>/<form>.<ext> for every form in FORMS. Only real programs make the forms:
LibreOffice, Chromium, w3m, lynx, pandoc 2 (Debian) and pandoc 3 (the pypandoc_binary
wheel), poppler's pdftotext. The rendered files are committed: CI reads them and needs none
of the tools. Re-run after changing a master:

    python tools/render_layouts.py [REPORT ...]
    python tools/render_layouts.py --twins [TWIN ...]   # the twins of tests/test_layout_limits.py
    python tools/render_layouts.py --narrow              # tests/fixtures/narrow-review (LibreOffice PDF forms)

Tools: apt-get install w3m lynx pandoc poppler-utils chromium libreoffice-writer-nogui
libreoffice-calc-nogui fonts-noto-cjk; pip install pypandoc_binary (for pandoc 3).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
MASTER = "html.html"


@dataclass(frozen=True)
class Form:
    name: str
    ext: str
    program: str  # what makes it, for the README table and the report
    make: Callable[[Renderer, Path], bytes]

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.ext}"


def _pandoc3() -> str:
    try:
        import pypandoc  # type: ignore[import-not-found]  # the pypandoc_binary wheel ships pandoc 3.x

        return pypandoc.get_pandoc_path()
    except Exception:
        return "pandoc3-not-installed"


class Renderer:
    """Runs the tools in one scratch directory; soffice gets its own HOME and profile."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.home = scratch / "home"
        self.home.mkdir(exist_ok=True)
        self.env = dict(os.environ, HOME=str(self.home), LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="UTC")
        self.profile = f"-env:UserInstallation=file://{scratch / 'lo-profile'}"

    def run(self, args: list[str], cwd: Path | None = None, stdin: bytes | None = None) -> bytes:
        res = subprocess.run(args, cwd=cwd or self.scratch, env=self.env, input=stdin, capture_output=True, timeout=300)
        if res.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({res.returncode}): {res.stderr.decode(errors='replace')[-2000:]}")
        return res.stdout

    def soffice(self, src: Path, target: str, infilter: str | None = None) -> Path:
        """soffice --convert-to TARGET; returns the file it wrote."""
        out = self.scratch / "lo-out"
        shutil.rmtree(out, ignore_errors=True)
        args = ["soffice", self.profile, "--headless", "--norestore"]
        if infilter:
            args.append(f"--infilter={infilter}")
        self.run(args + ["--convert-to", target, "--outdir", str(out), str(src)])
        made = [p for p in out.iterdir()]
        if len(made) != 1:
            raise RuntimeError(f"soffice made {made} for {src} -> {target}")
        return made[0]

    def chromium(self, args: list[str]) -> bytes:
        return self.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={self.scratch / 'chromium-profile'}",
                *args,
            ]
        )


# --- the forms ------------------------------------------------------------------------------


def make_docx(r: Renderer, master: Path) -> bytes:
    # Open the page in Writer proper (not Writer/Web), save as Word 2007-365.
    return r.soffice(master, "docx:MS Word 2007 XML", infilter="HTML (StarWriter)").read_bytes()


_INNERTEXT_SCRIPT = (
    '<script>(function(){var t=document.body.innerText;document.body.innerHTML="";'
    'var p=document.createElement("pre");p.id="innertext";p.textContent=t;document.body.appendChild(p);})();</script>'
)


def make_innertext(r: Renderer, master: Path) -> bytes:
    """Chromium's document.body.innerText of the laid-out page (what Ctrl+A, Ctrl+C gives)."""
    page = r.scratch / "innertext.html"
    src = master.read_text(encoding="utf-8")
    page.write_text(src.replace("</body>", _INNERTEXT_SCRIPT + "</body>"), encoding="utf-8")
    dom = r.chromium(["--dump-dom", page.as_uri()]).decode("utf-8")
    m = re.search(r'<pre id="innertext">(.*?)</pre>', dom, re.S)
    if not m:
        raise RuntimeError("chromium: no innerText in the dumped DOM")
    return html.unescape(m.group(1)).encode("utf-8")


def make_innertext_plain_cells(r: Renderer, master: Path) -> bytes:
    """innerText of the same page with the cells' Word wrappers removed (<td>text</td>, as many CMS
    editors publish it): rows come out tab-separated, a <br> splits a header cell, empty cells stay
    as empty tab fields."""
    src = master.read_text(encoding="utf-8")

    def unwrap(m: re.Match) -> str:
        inner = re.sub(r"</?p\b[^>]*>|</?span\b[^>]*>|<o:p>|</o:p>", "", m.group(2))
        return m.group(1) + inner.replace("&nbsp;", "") + m.group(3)

    plain = re.sub(r"(<t[dh]\b[^>]*>)(.*?)(</t[dh]>)", unwrap, src, flags=re.S)
    copy = r.scratch / "plain-cells.html"
    copy.write_text(plain, encoding="utf-8")
    return make_innertext(r, copy)


def make_w3m(cols: int) -> Callable[[Renderer, Path], bytes]:
    def make(r: Renderer, master: Path) -> bytes:
        return r.run(["w3m", "-dump", "-cols", str(cols), "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", str(master)])

    return make


def make_lynx(r: Renderer, master: Path) -> bytes:
    return r.run(
        ["lynx", "-dump", "-nolist", "-width=200", "-assume_charset=utf-8", "-display_charset=utf-8", str(master)]
    )


def make_pandoc(binary: Callable[[], str], to: str) -> Callable[[Renderer, Path], bytes]:
    def make(r: Renderer, master: Path) -> bytes:
        return r.run([binary(), "-f", "html", "-t", to, "--wrap=none", str(master)])

    return make


def make_pandoc2_from_docx(r: Renderer, master: Path) -> bytes:
    """pandoc 2 prints merged-cell HTML tables as "[TABLE]"; from the .docx it writes simple tables."""
    docx = r.scratch / "report.docx"
    docx.write_bytes(make_docx(r, master))
    return r.run(["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(docx)])


def make_writer_txt(r: Renderer, master: Path) -> bytes:
    """LibreOffice Writer, File > Save As > Text (.txt), of the page opened in Writer."""
    return r.soffice(master, "txt:Text (encoded):UTF8,LF,,,", infilter="HTML (StarWriter)").read_bytes()


def make_calc_tsv(r: Renderer, master: Path) -> bytes:
    """LibreOffice Calc opens the page (every table on one sheet) and saves CSV with a tab separator."""
    return r.soffice(master, "csv:Text - txt - csv (StarCalc):9,34,76,1", infilter="HTML (StarCalc)").read_bytes()


def make_lo_pdf(r: Renderer, master: Path) -> bytes:
    """LibreOffice Writer's PDF export of the .docx (as a user exports the Word file)."""
    docx = r.scratch / "report.docx"
    docx.write_bytes(make_docx(r, master))
    return r.soffice(docx, "pdf:writer_pdf_Export").read_bytes()


def make_chromium_pdf(r: Renderer, master: Path, address: str | None = None) -> bytes:
    """Print to PDF with Chromium's default header and footer (date and title above each page, the
    address and "n/N" below), as a user printing from the browser gets them: a running header and
    a page number fall between the rows of a table that crosses a page. A twin is printed from its
    original's address (the footer names the page)."""
    page = r.scratch / f"{address or master.parent.name}.html"  # a stable address for the footer
    shutil.copyfile(master, page)
    out = r.scratch / "chromium.pdf"
    out.unlink(missing_ok=True)
    r.chromium([f"--print-to-pdf={out}", page.as_uri()])
    return out.read_bytes()


def make_pdftotext(pdf_form: str, layout: bool) -> Callable[[Renderer, Path], bytes]:
    def make(r: Renderer, master: Path) -> bytes:
        pdf = master.parent / f"{pdf_form}.pdf"
        args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
        return r.run(args)

    return make


FORMS: list[Form] = [
    Form("docx", "docx", "LibreOffice Writer: HTML (StarWriter) → MS Word 2007 XML", make_docx),
    Form("innertext", "txt", "Chromium headless: document.body.innerText", make_innertext),
    Form(
        "innertext-plain-cells",
        "txt",
        "Chromium headless: innerText of the page with <td>text</td> cells",
        make_innertext_plain_cells,
    ),
    Form("w3m-80", "txt", "w3m -dump -cols 80", make_w3m(80)),
    Form("w3m-200", "txt", "w3m -dump -cols 200", make_w3m(200)),
    Form("lynx", "txt", "lynx -dump -width=200", make_lynx),
    Form("pandoc2-plain", "txt", "pandoc 2 (Debian) -f docx -t plain, of docx.docx", make_pandoc2_from_docx),
    Form("pandoc3-plain", "txt", "pandoc 3 (pypandoc_binary) -t plain", make_pandoc(_pandoc3, "plain")),
    Form("pandoc3-gfm", "md", "pandoc 3 (pypandoc_binary) -t gfm", make_pandoc(_pandoc3, "gfm")),
    Form("writer-txt", "txt", "LibreOffice Writer: save as Text (UTF-8)", make_writer_txt),
    Form("calc-tsv", "tsv", "LibreOffice Calc: open HTML, save CSV with tab separator", make_calc_tsv),
    Form("lo-pdf", "pdf", "LibreOffice Writer: .docx → PDF (writer_pdf_Export)", make_lo_pdf),
    Form("chromium-pdf", "pdf", "Chromium headless --print-to-pdf (default header/footer)", make_chromium_pdf),
    Form("lo-pdftotext-layout", "txt", "pdftotext -layout of lo-pdf.pdf", make_pdftotext("lo-pdf", True)),
    Form("lo-pdftotext", "txt", "pdftotext of lo-pdf.pdf", make_pdftotext("lo-pdf", False)),
    Form(
        "chromium-pdftotext-layout",
        "txt",
        "pdftotext -layout of chromium-pdf.pdf",
        make_pdftotext("chromium-pdf", True),
    ),
    Form("chromium-pdftotext", "txt", "pdftotext of chromium-pdf.pdf", make_pdftotext("chromium-pdf", False)),
]


def reports() -> list[Path]:
    return sorted(p.parent for p in LAYOUTS.glob(f"*/{MASTER}"))


TWINS = LAYOUTS / "twins"


def twins() -> dict[str, dict]:
    return tomllib.loads((TWINS / "twins.toml").read_text(encoding="utf-8"))


def render_twin(twin_dir: Path, spec: dict, r: Renderer) -> list[Path]:
    """Render a twin (see make_masters.py) as its original was, into its .docx and the forms it is
    about (spec["forms"]: the same text; spec["differs"]: another text), PDF text forms only; the
    PDFs themselves stay in the scratch directory."""
    master = twin_dir / MASTER
    work = r.scratch / "twin"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    shutil.copyfile(master, work / MASTER)
    wanted = {"docx", *spec["forms"], *spec.get("differs", [])}
    if any(f.startswith("lo-") for f in wanted):
        (work / "lo-pdf.pdf").write_bytes(make_lo_pdf(r, master))
    if any(f.startswith("chromium-") for f in wanted):
        (work / "chromium-pdf.pdf").write_bytes(make_chromium_pdf(r, master, address=spec["original"]))
    made = []
    for form in FORMS:
        if form.name not in wanted:
            continue
        data = form.make(r, work / MASTER)
        out = twin_dir / form.filename
        out.write_bytes(data)
        made.append(out)
        print(f"{out.relative_to(ROOT)}\t{len(data)} bytes\t{form.program}")
    return made


def render(report_dir: Path, r: Renderer) -> list[Path]:
    master = report_dir / MASTER
    made = []
    for form in FORMS:
        data = form.make(r, master)
        out = report_dir / form.filename
        out.write_bytes(data)
        made.append(out)
        print(f"{out.relative_to(ROOT)}\t{len(data)} bytes\t{form.program}")
    return made


def versions() -> dict[str, str]:
    """The version of each tool, for the record."""

    def first_line(args: list[str]) -> str:
        try:
            res = subprocess.run(args, capture_output=True, text=True, timeout=60)
            return (res.stdout or res.stderr).strip().splitlines()[0]
        except Exception as e:
            return f"unavailable ({e})"

    return {
        "soffice": first_line(["soffice", "--version"]),
        "chromium": first_line(["chromium", "--version"]),
        "w3m": first_line(["w3m", "-version"]),
        "lynx": first_line(["lynx", "-version"]),
        "pandoc2": first_line(["pandoc", "--version"]),
        "pandoc3": first_line([_pandoc3(), "--version"]),
        "pdftotext": first_line(["pdftotext", "-v"]),
    }


NARROW = ROOT / "tests" / "fixtures" / "narrow-review"


def main_narrow() -> int:
    """Reports with a table's columns narrowed (make_masters.py NARROW_VARIANTS): the PDF of the
    program each names and that PDF's text with and without -layout, the forms
    tests/test_narrow_review.py reads. LibreOffice's PDF is kept; Chromium's (~600 KB) only where
    the variant's maker says "chromium-pdf"."""
    sys.path.insert(0, str(LAYOUTS))
    from make_masters import NARROW_ADDRESS, NARROW_VARIANTS  # type: ignore[import-not-found]

    def work(r: Renderer) -> None:
        for name, (*_, kept) in NARROW_VARIANTS.items():
            maker = kept.removesuffix("-pdf")
            d = NARROW / name
            work_dir = r.scratch / name
            work_dir.mkdir()
            shutil.copyfile(d / MASTER, work_dir / MASTER)
            for form in FORMS:
                if not form.name.startswith(f"{maker}-pdf"):
                    continue
                if form.name == "chromium-pdf":  # printed from a portal's long address
                    data = make_chromium_pdf(r, work_dir / MASTER, address=name + NARROW_ADDRESS)
                else:
                    data = form.make(r, work_dir / MASTER)
                (work_dir / form.filename).write_bytes(data)
                if form.ext == "pdf" and maker != "lo" and kept != "chromium-pdf":
                    continue
                (d / form.filename).write_bytes(data)
                print(f"{(d / form.filename).relative_to(ROOT)}\t{len(data)} bytes\t{form.program}")

    with_renderer(work)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--twins"]:
        return main_twins(set(argv[1:]))
    if argv[:1] == ["--narrow"]:
        return main_narrow()
    wanted = set(argv)
    todo = [d for d in reports() if not wanted or d.name in wanted]
    if not todo:
        print("no reports to render", file=sys.stderr)
        return 1

    def work(r: Renderer) -> None:
        for d in todo:
            render(d, r)

    with_renderer(work)
    return 0


def with_renderer(work: Callable[[Renderer], None]) -> None:
    """Print the tools' versions, then ``work(renderer)`` in a fresh scratch directory."""
    for tool, v in versions().items():
        print(f"# {tool}: {v}")
    # A fixed scratch directory: Chromium prints the page's address in its PDF footer.
    scratch = Path(tempfile.gettempdir()) / "render-layouts"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        work(Renderer(scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main_twins(wanted: set[str]) -> int:
    todo = {name: spec for name, spec in twins().items() if not wanted or name in wanted}
    if not todo:
        print("no twins to render", file=sys.stderr)
        return 1

    def work(r: Renderer) -> None:
        for name, spec in todo.items():
            render_twin(TWINS / name, spec, r)

    with_renderer(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
