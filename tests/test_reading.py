"""Reading: encodings, BOMs, line endings, and input that is not a report."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from gikcheck.engine import lint_bytes, lint_path
from gikcheck.reading import ReadError, decode

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TEXT = (EXAMPLES / "defective-arithmetic.txt").read_text(encoding="utf-8")


def summary(result):
    return sorted((d.code, d.location.line, d.location.column) for d in result.diagnostics)


REFERENCE = summary(lint_bytes(TEXT.encode("utf-8"), "r.txt"))


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("utf-16", TEXT.encode("utf-16")),  # Word's "Unicode text": BOM + UTF-16LE
        ("utf-16-be", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
        ("gb18030", TEXT.encode("gb18030")),
        ("gbk", TEXT.encode("gbk")),
    ],
)
def test_encodings_give_the_same_findings(encoding, data):
    assert summary(lint_bytes(data, "r.txt")) == REFERENCE


def test_crlf_gives_the_same_lines_and_columns():
    data = TEXT.replace("\n", "\r\n").encode("utf-8")
    assert summary(lint_bytes(data, "r.txt")) == REFERENCE


def test_gbk_is_detected():
    assert decode("政府信息公开".encode("gbk"))[1] == "gb18030"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "文件为空"),
        (b"   \n\n", "文件为空"),
        (b"PK\x03\x04" + b"\x00" * 100, "ZIP"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" * 10, "二进制"),
        (b"hello world, no Chinese here\n", "没有中文"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "UTF-8"),
    ],
)
def test_unreadable_inputs_get_gk001_with_reason(data, reason):
    res = lint_bytes(data, "x.txt")
    assert not res.readable
    [d] = res.diagnostics
    assert d.code == "GK001" and reason in d.message and (d.location.line, d.location.column) == (1, 1)


def test_undecodable_bytes():
    with pytest.raises(ReadError, match="编码"):
        decode(b"\x81\x20\x81\x20" * 10)


def test_too_large_file_is_refused_without_reading(tmp_path, monkeypatch):
    import gikcheck.engine as engine

    big = tmp_path / "big.txt"
    big.write_bytes("政府信息公开".encode() * 10)
    monkeypatch.setattr(engine, "MAX_TEXT_BYTES", 10)
    res = lint_path(big)
    assert res.diagnostics[0].code == "GK001" and "过大" in res.diagnostics[0].message


def test_input_file_is_never_modified(tmp_path):
    p = tmp_path / "r.txt"
    data = TEXT.encode("gb18030")
    p.write_bytes(data)
    mtime = p.stat().st_mtime_ns
    lint_path(p)
    assert p.read_bytes() == data and p.stat().st_mtime_ns == mtime


def test_traditional_script_report_maps_spans_to_original():
    from gikcheck.normalize import to_simplified

    trad = TEXT.replace("收到和处理政府信息公开申请情况", "收到和處理政府信息公開申請情況").replace("总计", "總計")
    assert to_simplified("總計") == "总计"
    # Mixed script is a finding of its own (GK504); the point here is where the others land.
    res = lint_bytes(trad.encode("utf-8"), "r.txt")
    assert [x for x in summary(res) if x[0] != "GK504"] == REFERENCE


@pytest.mark.parametrize(
    "text, ok",
    [
        ("x" * 30000 + "政府", False),  # only the first 20,000 characters are looked at
        ("x" * 19999 + "政", True),
        ("é" * 100 + "丁", True),
        ("，。、" * 10, False),  # Chinese punctuation alone is no Chinese text
        ("\u9fff", True),
        ("\u4dff\ua000", False),
    ],
)
def test_looks_like_report_needs_chinese_early(text, ok):
    from gikcheck.reading import looks_like_report

    assert (looks_like_report(text) is None) == ok


def test_control_bytes_make_binary():
    from gikcheck.reading import sniff

    assert sniff(b"abc" * 100 + b"\x01" * 9).kind == "binary"
    assert sniff(b"abc" * 100 + b"\x01" * 8 + b"\t\r\n\x0c\x1b" * 50).kind == "text"
