"""Snapshot what the PDF reader makes of every PDF, to show a change to the reader changes nothing.

For each PDF (default: every PDF under tests/ and ../shared/corpus/real/) and
for 120 mutated copies of them (bytes flipped, cut, repeated: broken input must
keep failing the same way), the snapshot holds: each page's characters and
ruling lines as PDFium gives them to the reader, the Document (text and line
origins) or the reader's error message (the same when the file was opened
ahead, its pages parsed in another thread: a difference is recorded), and the
``gikcheck --format json`` output of the unmutated files.

    python tools/pdf_snapshot.py save DIR      # before a change
    python tools/pdf_snapshot.py compare DIR   # after it: exit 1 and the first differences when any file differs
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MUTATIONS = 8  # per PDF: 15 PDFs, 120 mutated copies


def _files() -> list[Path]:
    return sorted((ROOT / "tests").rglob("*.pdf")) + sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.pdf"))


def _mutate(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    kind = rnd.randrange(4)
    at = rnd.randrange(len(out))
    if kind == 0:  # flip a few bytes in one place
        for i in range(at, min(at + rnd.randrange(1, 16), len(out))):
            out[i] = rnd.randrange(256)
    elif kind == 1:  # cut the file short
        del out[at:]
    elif kind == 2:  # repeat a chunk
        n = rnd.randrange(1, 4096)
        out[at:at] = out[at : at + n]
    else:  # drop a chunk
        del out[at : at + rnd.randrange(1, 4096)]
    return bytes(out)


def _raw(data: bytes) -> Any:
    """Each page's size, object and image counts, characters and edges as PDFium gives them to the reader."""
    import gikcheck.readers.pdf as pdf
    from gikcheck.readers import pdfium
    from gikcheck.readers.pdfbudget import check_streams

    try:
        objects = check_streams(data, pdf.MAX_PDF_INFLATED, pdf.MAX_PAGE_OPERATIONS, time.monotonic() + 30)
        descents = pdfium.font_descents([data, *objects])
        pages = []
        with pdfium.LOCK, pdfium.PdfDocument(data, descents) as doc:
            for i in range(min(doc.page_count(), pdf.MAX_PDF_PAGES)):
                try:
                    p = doc.page(i, pdf.MAX_PAGE_OBJECTS, pdf.MAX_PAGE_CHARS)
                except pdfium.TooMany as e:
                    pages.append(["too many", e.kind, e.count])
                    continue
                except pdfium.OpenError as e:
                    pages.append(["open error", e.code])
                    continue
                pages.append(
                    {
                        "size": [p.width, p.height, p.objects, p.images],
                        # [text, x0, x1, top, bottom, upright], [x0, x1, top, bottom, orientation]
                        "chars": [list(c) for c in p.chars],
                        "edges": [[*e[1:], e[0]] for e in p.edges],
                    }
                )
        return pages
    except Exception as e:  # a ReadError or OpenError: its message
        return f"{type(e).__name__}: {e}"


def _document(data: bytes, name: str) -> Any:
    """The reader's Document (or error), the same whether or not the file was opened ahead (open_ahead,
    pages parsed in another thread): a difference is recorded, so it shows as a change."""
    plain = _read(data, name)
    try:
        from gikcheck.readers.pdfopen import open_ahead
    except ImportError:  # a version without it
        return plain
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "ahead.pdf"
        file.write_bytes(data)
        open_ahead(str(file))
        ahead = _read(data, name)
    if ahead != plain:
        return {"opened ahead, differs": [plain, ahead]}
    return plain


def _read(data: bytes, name: str) -> Any:
    from gikcheck.readers.pdf import PDF_READER

    try:
        doc = PDF_READER.read(data, name)
    except Exception as e:
        return f"{type(e).__name__}: {e}"
    origins = [None if o is None else [o.kind, o.number, o.row, list(o.cells), o.page] for o in doc.origins or [None]]
    return {"text": doc.text, "origins": origins}


def _cli(path: Path) -> str:
    with tempfile.TemporaryDirectory() as cwd:
        run = subprocess.run(
            [sys.executable, "-m", "gikcheck", "--format", "json", str(path.resolve())],
            cwd=cwd,
            capture_output=True,
            text=True,
        )
    return f"exit {run.returncode}\n{run.stdout}{run.stderr}"


def snapshot() -> dict[str, Any]:
    out: dict[str, Any] = {}
    rnd = random.Random(13)
    for path in _files():
        name = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name)
        data = path.read_bytes()
        out[name] = {"raw": _raw(data), "document": _document(data, name), "cli": _cli(path)}
        for k in range(MUTATIONS):
            bad = _mutate(data, rnd)
            out[f"{name}#{k}"] = {"raw": _raw(bad), "document": _document(bad, name)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("save", "compare"))
    ap.add_argument("folder", type=Path)
    args = ap.parse_args(argv)
    now = json.loads(json.dumps(snapshot()))  # floats through repr: exact
    store = args.folder / "pdf-snapshot.json"
    if args.mode == "save":
        args.folder.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"saved {len(now)} files to {store}")
        return 0
    before = json.loads(store.read_text(encoding="utf-8"))
    differing = 0
    for name in sorted(set(before) | set(now)):
        a, b = before.get(name), now.get(name)
        if a == b:
            continue
        differing += 1
        parts = [k for k in ("raw", "document", "cli") if (a or {}).get(k) != (b or {}).get(k)]
        print(f"DIFF  {name}: {', '.join(parts)}")
        for k in parts[:1]:
            print("   before:", json.dumps((a or {}).get(k), ensure_ascii=False)[:300])
            print("   now:   ", json.dumps((b or {}).get(k), ensure_ascii=False)[:300])
    print(f"{len(now) - differing} of {len(now)} files the same")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
