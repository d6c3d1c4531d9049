"""--fix and --diff: safe fixes only, atomic writes, encoding and line endings kept."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from gikcheck.cli import main
from gikcheck.config import Settings
from gikcheck.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from gikcheck.fileio import write_atomic
from gikcheck.fixes import apply_edits, fix_file, fix_text, select_fixes

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TABLES = EXAMPLES / "defective-tables.txt"
ARITH = EXAMPLES / "defective-arithmetic.txt"
TYPO_1 = "（三）不子公开 | 1.属于国家秘密"
TYPO_2 = "3.补正启申请内容仍不明确"


def _d(start: int, end: int, replacement: str, applicability: str = "safe", code: str = "GK203") -> Diagnostic:
    span = Span(start, end)
    return Diagnostic(
        code=code,
        message="m",
        span=span,
        severity=Severity.WARNING,
        fix=Fix("改", (Edit(span, replacement),), applicability),
    )


def test_select_skips_overlaps_unsafe_and_display_only():
    diags = [
        _d(10, 17, "AAAAAAA"),
        _d(13, 17, "BBBB", code="GK505"),
        _d(30, 31, "C", "unsafe"),
        _d(40, 41, "D", "display-only"),
        _d(2, 3, "E"),
    ]
    edits, fixed, skipped = select_fixes(diags)
    assert [e.span.start for e in edits] == [10, 2]  # from the end backwards
    assert [d.code for d in skipped] == ["GK505"]
    assert len(fixed) == 2


def test_identical_edits_from_two_rules_are_shared():
    edits, fixed, skipped = select_fixes([_d(1, 2, "x"), _d(1, 2, "x", code="GK505")])
    assert len(edits) == 1 and len(fixed) == 2 and not skipped


def test_two_insertions_at_one_place_conflict():
    _, fixed, skipped = select_fixes([_d(5, 5, "a"), _d(5, 5, "b")])
    assert len(fixed) == 1 and len(skipped) == 1


def test_apply_edits_backwards_and_keeps_crlf():
    assert apply_edits("0123456789", [Edit(Span(1, 2), "一"), Edit(Span(5, 8), "")]) == "0一23489"
    assert apply_edits("甲\r\n乙", [Edit(Span(0, 1), "丙\n丁")]) == "丙\r\n丁\r\n乙"


def test_fix_text_fixes_label_typos_and_never_arithmetic():
    text = TABLES.read_text(encoding="utf-8")
    result = fix_text(text, "r.txt", Settings())
    assert TYPO_1 not in result.text and "（三）不予公开 | 1.属于国家秘密" in result.text
    assert TYPO_2 not in result.text and "3.补正后申请内容仍不明确" in result.text
    # Only the two labels changed: same length, same lines elsewhere.
    changed = [(a, b) for a, b in zip(text.splitlines(), result.text.splitlines()) if a != b]
    assert len(changed) == 2 and len(text) == len(result.text)
    arith = ARITH.read_text(encoding="utf-8")
    assert fix_text(arith, "a.txt", Settings(select=("GK3",))).text == arith


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b""),
        ("utf-8-sig", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("gb18030", b""),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_fix_keeps_encoding_and_line_endings(tmp_path, encoding, bom, newline):
    text = TABLES.read_text(encoding="utf-8").replace("\n", newline)
    path = tmp_path / "report.txt"
    path.write_bytes(bom + text.encode(encoding))
    result = fix_file(path, Settings())
    assert result.changed and result.applied >= 2
    assert result.data.startswith(bom if encoding != "utf-8-sig" else codecs.BOM_UTF8)
    expected = text.replace(TYPO_1, "（三）不予公开 | 1.属于国家秘密").replace(TYPO_2, "3.补正后申请内容仍不明确")
    assert result.data == bom + expected.encode(encoding)


def test_fix_cli_writes_atomically_and_rechecks(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_bytes(TABLES.read_bytes())
    os.chmod(path, 0o640)
    code = main([str(path), "--isolated", "--fix", "--format", "concise", "--select", "GK203,GK505"])
    captured = capsys.readouterr()
    assert (
        "已自动修复 2 个问题（涉及 1 个文件）" in captured.err and captured.out == "没有发现问题。\n"
    )  # concise's count line
    fixed = path.read_text(encoding="utf-8")
    assert TYPO_1 not in fixed and TYPO_2 not in fixed
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]  # no temporary file left behind
    assert code == 0  # nothing left at or above `error`
    assert main([str(path), "--isolated", "--format", "concise", "--select", "GK203,GK505"]) == 0
    assert capsys.readouterr().out == "没有发现问题。\n"


def test_diff_previews_without_writing(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_bytes(TABLES.read_bytes())
    code = main([str(path), "--isolated", "--diff"])
    captured = capsys.readouterr()
    assert code == 1 and path.read_bytes() == TABLES.read_bytes()
    assert f"--- {path}\n+++ {path}\n" in captured.out
    assert "-（三）不子公开 | 1.属于国家秘密" in captured.out and "+（三）不予公开 | 1.属于国家秘密" in captured.out
    assert "可自动修复 2 个问题" in captured.err
    clean = tmp_path / "clean.txt"
    clean.write_bytes((EXAMPLES / "clean-2021.txt").read_bytes())
    assert main([str(clean), "--isolated", "--diff", "--select", "GK2"]) == 0
    assert capsys.readouterr().out == ""


def test_fix_leaves_non_text_inputs_alone(tmp_path, capsys):
    docx = tmp_path / "report.docx"
    docx.write_bytes(b"PK\x03\x04not really a zip")
    before = docx.read_bytes()
    main([str(docx), "--isolated", "--fix", "--format", "concise"])
    capsys.readouterr()
    assert docx.read_bytes() == before


def test_write_atomic_replaces_content(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"old")
    write_atomic(path, "新".encode("gb18030"))
    assert path.read_bytes() == "新".encode("gb18030")
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_html_renamed_txt_is_not_edited_as_text(tmp_path):
    from gikcheck.config import Settings
    from gikcheck.fixes import FixError, fix_file

    page = tmp_path / "page.txt"
    data = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>（三）不子公开</p></body></html>".encode()
    page.write_bytes(data)
    with pytest.raises(FixError, match="html"):
        fix_file(page, Settings())
    assert page.read_bytes() == data
