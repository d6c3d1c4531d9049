"""`gikcheck review`: a Word copy with one comment (批注) per finding, anchored on the text it names."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from gikcheck.config import Settings  # noqa: E402
from gikcheck.engine import check_path  # noqa: E402
from gikcheck.review import AUTHOR, ReviewError, review  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
GK203_DOCX = LAYOUTS / "county-bureau-2022-gk203" / "docx.docx"
GK302_DOCX = LAYOUTS / "county-bureau-2019-gk302" / "docx.docx"
TABLES = ROOT / "examples" / "defective-tables.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def anchored(path: Path) -> dict[int, str]:
    """Comment id → the document text between its commentRangeStart and commentRangeEnd."""
    document = docx.Document(str(path))
    open_ids: dict[int, list[str]] = {}
    done: dict[int, str] = {}
    for el in document.element.body.iter():
        if el.tag == W + "commentRangeStart":
            open_ids[int(el.get(W + "id"))] = []
        elif el.tag == W + "commentRangeEnd":
            cid = int(el.get(W + "id"))
            done[cid] = "".join(open_ids.pop(cid, []))
        elif el.tag == W + "t":
            for parts in open_ids.values():
                parts.append(el.text or "")
    return done


def comments(path: Path) -> list:
    return list(docx.Document(str(path)).comments)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_word_copy_has_one_comment_per_finding_on_the_label(tmp_path):
    before = _digest(GK203_DOCX)
    out = tmp_path / "out.docx"
    done = review(GK203_DOCX, out, Settings())
    assert _digest(GK203_DOCX) == before  # the input is never changed
    findings = check_path(GK203_DOCX, Settings())
    assert [d.code for d in findings] == ["GK203"]
    (comment,) = comments(out)
    assert done.comments == 1 and done.source_kind == "docx"
    assert comment.author == AUTHOR == "gikcheck"
    assert comment.text.startswith("GK203（label-mismatch）：表三的行标签「（三）不子公开」有错别字")
    assert "帮助：改为「（三）不予公开」" in comment.text
    assert anchored(out)[comment.comment_id] == "（三）不子公开"
    # The copy is the same report: checking it finds the same.
    assert [d.message for d in check_path(out, Settings())] == [d.message for d in findings]


def test_word_copy_anchors_arithmetic_findings_on_their_cells(tmp_path):
    out = tmp_path / "out.docx"
    review(GK302_DOCX, out, Settings())
    findings = check_path(GK302_DOCX, Settings())
    got = comments(out)
    assert sorted(c.text.split("（")[0] for c in got) == sorted(d.code for d in findings) == ["GK302", "GK303"]
    texts = anchored(out)
    gk302 = next(c for c in got if c.text.startswith("GK302"))
    assert texts[gk302.comment_id] == "15"  # the total the message names: 总计(15)


def test_text_report_becomes_a_new_word_document_with_the_same_comments(tmp_path):
    out = tmp_path / "out.docx"
    done = review(TABLES, out, Settings())
    findings = check_path(TABLES, Settings())
    got = comments(out)
    assert done.source_kind == "text"
    assert [c.text.split("（")[0] for c in got] == [d.code for d in sorted(findings, key=lambda d: d.sort_key())]
    assert all(c.author == "gikcheck" for c in got)
    texts = anchored(out)
    labels = {texts[c.comment_id] for c in got if c.text.startswith("GK203")}
    assert labels == {"（三）不子公开", "3.补正启申请内容仍不明确"}
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "政府信息公开" in body


@pytest.mark.parametrize("name", ["html.html", "lo-pdf.pdf"])
def test_html_and_pdf_become_word_documents_with_one_comment_per_finding(tmp_path, name):
    source = LAYOUTS / "county-bureau-2022-gk203" / name
    if name.endswith(".pdf"):
        pytest.importorskip("pypdfium2_raw")
    else:
        pytest.importorskip("lxml")
    out = tmp_path / "out.docx"
    review(source, out, Settings())
    findings = check_path(source, Settings())
    got = comments(out)
    assert len(got) == len(findings) >= 1
    assert sorted(c.text.split("（")[0] for c in got) == sorted(d.code for d in findings)
    gk203 = next(c for c in got if c.text.startswith("GK203"))
    assert anchored(out)[gk203.comment_id] == "（三）不子公开"


def test_review_refuses_to_overwrite_its_input(tmp_path):
    copy = tmp_path / "r.docx"
    shutil.copy(GK203_DOCX, copy)
    before = _digest(copy)
    with pytest.raises(ReviewError, match="不能覆盖原报告"):
        review(copy, copy, Settings())
    assert _digest(copy) == before


def test_cli_review_writes_the_copy(tmp_path):
    out = tmp_path / "审阅.docx"
    proc = subprocess.run(
        [sys.executable, "-m", "gikcheck", "review", str(GK203_DOCX), "-o", str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 条批注" in proc.stderr
    assert len(comments(out)) == 1


def test_libreoffice_opens_the_review_copy(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)")
    outs = []
    for source in (GK203_DOCX, TABLES):
        out = tmp_path / f"{source.parent.name}-{source.stem}.docx"
        review(source, out, Settings())
        outs.append(out)
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *map(str, outs),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    for out in outs:
        pdf = tmp_path / "pdf" / (out.stem + ".pdf")
        assert pdf.exists(), proc.stdout + proc.stderr
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
