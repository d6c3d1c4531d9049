"""Compare the PDF reader on PDFium with the pdfplumber reader it replaced, file by file.

The old reader (gikcheck/readers/pdf.py and pdfbudget.py as of BASE, the last
commit that read PDFs with pdfplumber) is taken from git history into a
temporary package and run beside the current one on every PDF given (default:
every PDF under tests/ and ../shared/corpus/real/). For each file it prints
whether the Document's text, its lines' origins (page, table, row, cell) and
the linter's findings are the same, and shows the first differing lines.

    pip install pdfplumber   # only this tool needs it
    python tools/compare_pdf_backends.py [--base COMMIT] [FILE.pdf ...]

Exit status 1 when any file differs.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "417d886"  # main before the PDFium reader


def _old_reader(base: str, folder: Path):
    """The pdfplumber reader of ``base``, as gikcheck.readers._plumber_pdf (its imports resolve in gikcheck)."""
    import gikcheck.readers as readers

    for name, target in (("pdf.py", "_plumber_pdf.py"), ("pdfbudget.py", "_plumber_budget.py")):
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{base}:gikcheck/readers/{name}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        text = text.replace("from .pdfbudget import", "from ._plumber_budget import")
        (folder / target).write_text(text, encoding="utf-8")
    readers.__path__.append(str(folder))  # type: ignore[attr-defined]
    spec = importlib.util.find_spec("gikcheck.readers._plumber_pdf")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.PDF_READER


def _findings(doc) -> list[tuple]:
    from gikcheck.engine import check_document

    diags, _ = check_document(doc)
    return sorted((d.code, d.location.line, d.location.column, d.message) for d in diags)


def _shape(doc) -> list[str]:
    return [
        f"{line}\t{o.kind if o else ''}:{o.page if o else ''}:{getattr(o, 'table', '')}:{getattr(o, 'row', '')}"
        for line, o in zip(doc.text.split("\n"), doc.origins or [None] * len(doc.text.split("\n")))
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default=BASE)
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args(argv)
    files = args.files or sorted((ROOT / "tests").rglob("*.pdf")) + sorted(
        (ROOT.parent / "shared" / "corpus" / "real").glob("*.pdf")
    )
    from gikcheck.readers.pdf import PDF_READER as new

    differing = 0
    with tempfile.TemporaryDirectory() as tmp:
        old = _old_reader(args.base, Path(tmp))
        for path in files:
            data = path.read_bytes()
            results = []
            for reader in (old, new):
                start = time.perf_counter()
                try:
                    doc = reader.read(data, str(path))
                except Exception as e:  # a ReadError: compare the messages
                    results.append((None, f"{type(e).__name__}: {e}", time.perf_counter() - start))
                    continue
                results.append((doc, None, time.perf_counter() - start))
            (d_old, e_old, t_old), (d_new, e_new, t_new) = results
            name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            timing = f"{t_old * 1000:.0f} ms → {t_new * 1000:.0f} ms"
            if d_old is None or d_new is None:
                same = e_old == e_new
                print(f"{'same' if same else 'DIFF'}  {name}  (error: {e_old!r} / {e_new!r}; {timing})")
                differing += not same
                continue
            text_same = d_old.text == d_new.text
            shape_same = _shape(d_old) == _shape(d_new)
            f_old, f_new = _findings(d_old), _findings(d_new)
            findings_same = f_old == f_new
            verdict = "same" if text_same and shape_same else ("FINDINGS-SAME" if findings_same else "DIFF")
            print(f"{verdict}  {name}  (text {text_same}, origins {shape_same}, findings {findings_same}; {timing})")
            if not (text_same and shape_same):
                diff = difflib.unified_diff(_shape(d_old), _shape(d_new), "pdfplumber", "pdfium", n=1, lineterm="")
                for line in list(diff)[:40]:
                    print("    " + line)
            if not findings_same:
                for line in difflib.unified_diff([str(f) for f in f_old], [str(f) for f in f_new], n=0, lineterm=""):
                    print("    findings " + line)
            differing += not findings_same
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
