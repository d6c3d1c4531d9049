"""The PDF reader's own parts: PDFium's characters and ruling lines, the grid → cells step,
characters → words → lines, and the stream pre-scan that bounds what PDFium is given.

The reader as a whole (text, tables across pages, page numbers, limits) is tested in
test_readers.py, test_layouts.py, test_bad_input.py and test_hostile.py;
tools/compare_pdf_backends.py compares it with the pdfplumber reader it replaced.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from conftest import pdf_file

from gikcheck.readers import pdfgrid, pdftext
from gikcheck.readers.pdfbudget import PdfLimit, check_streams
from gikcheck.readers.pdfium import PdfDocument, TooMany, font_descents
from gikcheck.reading import ReadError

pytest.importorskip("pypdfium2_raw")

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def _one_page(content: bytes) -> bytes:
    """A one-page PDF (A4) drawing ``content``, with Helvetica as /F1."""
    from test_hostile import _pdf

    return _pdf(content, flate=False)


def _edge(x0: float, top: float, x1: float, bottom: float) -> pdfgrid.Edge:
    return ("h" if top == bottom else "v", x0, x1, top, bottom)


# --- PDFium: ruling lines as pdfminer classifies paths ----------------------------------------


def test_rectangles_lines_and_diagonals_become_pdfplumbers_edges():
    content = (
        b"100 700 200 50 re S\n"  # a rectangle: four edges
        b"100 600 m 300 600 l S\n"  # a horizontal line
        b"50 500 m 80 400 l S\n"  # a diagonal line: pdfplumber takes it for a vertical edge of its box
        b"10 10 m 20 10 l 20 20 l 15 30 l h S\n"  # a polygon: only its axis-parallel sides
    )
    with PdfDocument(_one_page(content)) as doc:
        page = doc.page(0, 1000, 1000)
    edges = sorted((round(x0), round(top), round(x1), round(bottom), o) for o, x0, x1, top, bottom in page.edges)
    assert edges == sorted(
        [
            (100, 92, 300, 92, "h"),
            (100, 142, 300, 142, "h"),
            (100, 92, 100, 142, "v"),
            (300, 92, 300, 142, "v"),
            (100, 242, 300, 242, "h"),
            (50, 342, 80, 442, "v"),
            (10, 832, 20, 832, "h"),
            (20, 822, 20, 832, "v"),
        ]
    )
    assert page.height == 842 and page.chars == []


def test_characters_have_pdfminers_boxes():
    content = b"BT /F1 20 Tf 72 700 Td (Ab) Tj ET"
    with PdfDocument(_one_page(content), {b"Helvetica": -0.2}) as doc:
        [a, b] = doc.page(0, 1000, 1000).chars
    text, x0, x1, top, bottom, upright = a
    assert (text, b[pdftext.TEXT]) == ("A", "b") and upright
    # The baseline at 700, the descent 0.2 × 20 below it, one font size high; from the page's top.
    assert bottom == pytest.approx(842 - 696) and top == pytest.approx(842 - 716)
    assert x0 == pytest.approx(72) and x1 == pytest.approx(b[pdftext.X0])  # the advance width across


def _forms_page() -> bytes:
    """A page of 6 text objects, a rectangle and form A drawn twice; A: 3 text objects and form B; B: a
    rectangle and 2 text objects. Drawn: 23 objects, 16 of them text (one character each), 12 edges."""
    resources = (
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
        b" /XObject << /A 5 0 R /B 6 0 R >> >>"
    )

    def text(count: int, y: int) -> bytes:
        return b"".join(b"BT /F1 10 Tf %d %d Td (x) Tj ET\n" % (20 + 30 * k, y) for k in range(count))

    page = text(3, 800) + b"/A Do\n" + text(2, 700) + b"20 600 100 50 re S\n" + b"q 1 0 0 1 0 -300 cm /A Do Q\n"
    page += text(1, 100)
    streams = [
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page), page),
        *(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] %s /Length %d >>\nstream\n%s\nendstream"
            % (resources, len(body), body)
            for body in (text(2, 650) + b"/B Do\n" + text(1, 630), b"200 400 100 50 re S\n" + text(2, 380))
        ),
    ]
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + resources + b" /Contents 4 0 R >>",
            *streams,
        ]
    )


def test_the_objects_of_forms_count_towards_the_page_limits_where_they_are_drawn():
    with PdfDocument(_forms_page()) as doc:
        page = doc.page(0, 23, 16)
        assert (page.objects, len(page.chars), len(page.edges)) == (23, 16, 12)
        # Each limit passed by one; then both, the one passed first in drawing order is said.
        for objects, chars, kind, count in ((23, 15, "chars", 16), (22, 16, "objects", 23), (19, 10, "objects", 20)):
            with pytest.raises(TooMany) as e:
                doc.page(0, objects, chars)
            assert (e.value.kind, e.value.count) == (kind, count)
        with pytest.raises(TooMany) as e:  # the 10th text object comes before A is drawn again
            doc.page(0, 19, 9)
        assert (e.value.kind, e.value.count) == ("chars", 10)


def test_font_descents_are_read_from_the_descriptors():
    data = b"<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Ascent 859 /Descent -141 >>\nendobj\n"
    data += b"<< /Type /FontDescriptor /FontName /BAAAAA+DejaVuSans /Ascent 0 /Descent 0 >>\nendobj\n"
    data += b"<< /FontName /Odd /Descent 212 >>"  # positive, as PScript5 writes it: made negative
    assert font_descents([data]) == {b"ABCDEF+SimSun": -0.141, b"BAAAAA+DejaVuSans": 0.0, b"Odd": -0.212}


# --- the grid → cells → tables step --------------------------------------------------------------


def _grid(xs: list[float], ys: list[float]) -> list[pdfgrid.Edge]:
    return [_edge(xs[0], y, xs[-1], y) for y in ys] + [_edge(x, ys[0], x, ys[-1]) for x in xs]


def test_a_ruled_grid_is_one_table_of_its_cells():
    [table] = pdfgrid.tables_from_edges(pdfgrid.table_edges(_grid([10, 50, 90], [100, 120, 140])))
    assert sorted(table) == [(10, 100, 50, 120), (10, 120, 50, 140), (50, 100, 90, 120), (50, 120, 90, 140)]
    assert pdfgrid.rows(table) == [[(10, 100, 50, 120), (50, 100, 90, 120)], [(10, 120, 50, 140), (50, 120, 90, 140)]]


def test_lines_a_little_apart_are_snapped_and_joined():
    # Word draws each cell's borders: pieces of a line, 0.5 pt off, with gaps of 2 pt.
    edges = [_edge(10, 100, 49, 100), _edge(51, 100.5, 90, 100.5), _edge(10, 140, 90, 140)]
    edges += [_edge(10, 100, 10, 140), _edge(50.4, 100, 50.4, 140), _edge(90, 100, 90, 140)]
    [table] = pdfgrid.tables_from_edges(pdfgrid.table_edges(edges))
    assert len(table) == 2 and pdfgrid.bbox(table) == pytest.approx((10, 100.25, 90, 140))


def test_a_merged_cell_leaves_a_gap_in_its_row():
    edges = _grid([10, 50, 90], [100, 120, 140])
    edges = [e for e in edges if not (e[0] == "v" and e[pdftext.X0] == 50)] + [_edge(50, 120, 50, 140)]
    [table] = pdfgrid.tables_from_edges(pdfgrid.table_edges(edges))
    assert pdfgrid.rows(table) == [[(10, 100, 90, 120), None], [(10, 120, 50, 140), (50, 120, 90, 140)]]


def test_a_single_box_or_short_strokes_are_no_table():
    assert pdfgrid.tables_from_edges(pdfgrid.table_edges(_grid([10, 90], [100, 140]))) == []
    assert pdfgrid.table_edges([_edge(10, 100, 12, 100), _edge(10, 100, 10, 100.5)]) == []


def test_crossings_are_counted_without_being_found_when_there_are_too_many():
    edges = _grid([float(x) for x in range(0, 600, 3)], [float(y) for y in range(0, 800, 4)])
    start = time.monotonic()
    assert pdfgrid.count_crossings(edges, 3000) > 3000
    assert time.monotonic() - start < 5  # h × v alone tells (200 × 200 lines)


# --- characters → words → lines --------------------------------------------------------------------


def _char(text: str, x0: float, top: float, width: float = 10, size: float = 10) -> pdftext.Char:
    return (text, x0, x0 + width, top, top + size, True)


def test_words_split_at_blanks_and_gaps_wider_than_3_pt():
    chars = [_char("A", 0, 0), _char("B", 10, 0.5), _char(" ", 20, 0), _char("C", 25, 0), _char("D", 38.5, 0)]
    chars += [_char("E", 49, 0)]
    assert [t for t, _ in pdftext.words(chars)] == ["AB", "C", "DE"]


def test_lines_are_clustered_by_top_and_read_left_to_right():
    chars = [_char("乙", 20, 100.5), _char("甲", 10, 100), _char("丙", 10, 130), _char("丁", 20, 131)]
    lines = pdftext.text_lines(chars)
    assert lines == [("甲乙", 10, 30, 100, 110.5), ("丙丁", 10, 30, 130, 141)]  # text, x0, x1, top, bottom


def test_cell_text_keeps_its_lines():
    chars = [_char("一", 10, 100), _char("二", 20, 100), _char("三", 10, 115)]
    assert pdftext.cell_text(chars) == "一二\n三"
    assert pdftext.cell_text([]) == ""


def test_a_figure_wrapped_in_its_cell_is_one_figure():
    digits = [_char("1", 10, 100), _char("9", 15, 100), _char("1", 20, 100), _char("1", 10, 115)]
    assert pdftext.cell_text(digits) == "1911"
    assert pdftext.cell_text([*digits[:3], _char("元", 10, 115)]) == "191\n元"


def test_a_cells_one_line_is_read_as_words_and_their_lines_would_read_it():
    # cell_text reads a cell whose tops lie within the tolerance without clustering: the same text.
    import random

    def slow(chars: list[pdftext.Char]) -> str:
        found = pdftext.words(chars)
        lines = pdftext.cluster_objects(found, lambda w: min(c[pdftext.TOP] for c in w[1]), pdftext.Y_TOLERANCE)
        return "\n".join(" ".join(t for t, _ in line) for line in lines)

    rnd = random.Random(7)
    for _ in range(2000):
        chars = [
            (
                rnd.choice("一二三 ﬁx"),
                x0 := rnd.uniform(0, 60),
                x0 + rnd.choice((4, 10)),
                rnd.choice((100.0, 101.5, 103.0, 103.1, 110.0, float("nan"), float("inf"))),
                120.0,
                rnd.random() < 0.9,
            )
            for _ in range(rnd.randrange(2, 8))
        ]
        assert pdftext.cell_text(chars) == slow(chars)


def test_a_cells_text_is_joined_as_join_lines_joins_it():
    import random

    from gikcheck.readers.pdf import _cell_line
    from gikcheck.readers.structured import join_lines

    rnd = random.Random(5)
    alphabet = ["一", "二", "1", "a", " ", "  ", "\u00a0", "\u3000", "|", *"\n\t\r\u2028\x85\v\f"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 6)))
        assert _cell_line(text) == join_lines(text), repr(text)


def test_ligatures_are_spelled_out():
    assert [t for t, _ in pdftext.words([_char("ﬁ", 0, 0), _char("x", 10, 0)])] == ["fix"]


# --- the stream pre-scan ------------------------------------------------------------------------------


def _stream_object(number: int, body: bytes, dictionary: bytes = b"") -> bytes:
    packed = zlib.compress(body, 9)
    return b"%d 0 obj\n<< /Filter /FlateDecode %s/Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        number,
        dictionary,
        len(packed),
        packed,
    )


def test_a_bomb_split_over_many_streams_is_counted_over_the_file():
    data = b"%PDF-1.4\n" + b"".join(_stream_object(i, b" " * (8 << 20), b"/Length1 1 ") for i in range(1, 15))
    with pytest.raises(PdfLimit, match="解压后超过 100 MB"):
        check_streams(data, 100 << 20, 1_500_000, time.monotonic() + 30)
    # Images are not decoded to read text: not inflated either.
    images = b"%PDF-1.4\n" + b"".join(_stream_object(i, b" " * (8 << 20), b"/Subtype /Image ") for i in range(1, 15))
    assert check_streams(images, 100 << 20, 1_500_000, time.monotonic() + 30) == []


def test_operators_are_counted_in_content_streams_only():
    ops = b"0 0 m 1 1 l S\n" * 20_000  # 140,000 operators and operands
    font = _stream_object(1, ops, b"/Length1 1000 ")  # bytes of a font program, not drawing operators
    assert check_streams(b"%PDF-1.4\n" + font, 100 << 20, 100_000, time.monotonic() + 30) == []
    with pytest.raises(PdfLimit, match="绘制指令超过 100000 条"):
        check_streams(b"%PDF-1.4\n" + _stream_object(2, ops), 100 << 20, 100_000, time.monotonic() + 30)


def test_without_forms_a_stream_too_short_to_pass_the_limit_is_left_uncounted_and_the_next_byte_counts():
    # n operations take at least 2n - 1 bytes: 2 × limit bytes hold at most `limit` of them (the longest
    # stream left uncounted), 2 × limit + 1 bytes may hold one more (counted, and too many).
    limit = 1000
    at_most = b"x\n" * limit
    one_more = at_most + b"x"
    for body, fails in ((at_most, False), (one_more, True)):
        packed = _stream_object(1, body)  # inflated in one piece
        plain = b"1 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(body), body.removesuffix(b"\n"))
        for data in (packed, plain):
            if fails:
                with pytest.raises(PdfLimit, match="绘制指令超过 1000 条"):
                    check_streams(b"%PDF-1.4\n" + data, 100 << 20, limit, time.monotonic() + 30)
            else:
                assert check_streams(b"%PDF-1.4\n" + data, 100 << 20, limit, time.monotonic() + 30) == []


def test_object_streams_are_handed_back_and_broken_streams_left_to_pdfium():
    objects = b"<< /Type /FontDescriptor /FontName /X+Y /Descent -200 >>"
    data = b"%PDF-1.5\n" + _stream_object(1, objects, b"/Type /ObjStm /N 1 /First 0 ")
    data += b"2 0 obj\n<< /Filter /FlateDecode /Length 5 >>\nstream\nxxxxx\nendstream\nendobj\n"
    assert check_streams(data, 100 << 20, 1_500_000, time.monotonic() + 30) == [objects]
    assert font_descents([data, objects]) == {b"X+Y": -0.2}


def test_the_scan_stops_at_the_deadline():
    data = b"%PDF-1.4\n" + _stream_object(1, b" " * (1 << 20))
    with pytest.raises(PdfLimit, match="超时"):
        check_streams(data, 100 << 20, 1_500_000, time.monotonic() - 1)


# --- the reader on the rendered layouts -----------------------------------------------------------


def test_a_layout_report_reads_its_tables_with_their_pages():
    from gikcheck.readers.pdf import PDF_READER

    doc = PDF_READER.read((LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf").read_bytes(), "r.pdf")
    pages: dict[int, set[int]] = {}
    for o in doc.origins:
        if o is not None and o.kind == "row":
            pages.setdefault(o.number, set()).add(o.page)
    # 表二 and 表三 each run over a page break and stay one table; 表四 is on the last page.
    assert pages == {1: {1, 2}, 2: {2, 3}, 3: {4}}
    row = next(line for line in doc.text.split("\n") if line.startswith("一、本年新收政府信息公开申请数量"))
    assert row.split("\t")[1:] == ["", "", "93", "13", "0", "1", "3", "1", "111"]
    assert not any(line.strip() in {"1", "2", "3", "4"} for line in doc.text.split("\n"))  # no page numbers


def test_broken_pdfs_are_read_errors_not_crashes():
    from gikcheck.readers.pdf import PDF_READER

    good = (LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf").read_bytes()
    for data in (b"%PDF-1.4\n" + b"\0" * 100, good[: len(good) // 3]):
        with pytest.raises(ReadError, match="PDF"):
            PDF_READER.read(data, "bad.pdf")


def _nested_forms(repeats: int, rectangles: int) -> bytes:
    """A page drawing form A, which draws form B ``repeats`` times, which draws form C as often:
    C is ``rectangles`` filled rectangles. A few hundred bytes; PDFium parses C repeats² times."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /A 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length 5 >>\nstream\n/A Do\nendstream",
    ]
    forms = ((b"B", b"/B Do " * repeats), (b"C", b"/C Do " * repeats), (None, b"0 0 1 1 re f\n" * rectangles))
    for name, body in forms:
        packed = zlib.compress(body)
        resources = b"/Resources << /XObject << /%s %d 0 R >> >> " % (name, len(objs) + 2) if name else b""
        objs.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] %s/Filter /FlateDecode /Length %d >>\nstream\n"
            % (resources, len(packed))
            + packed
            + b"\nendstream"
        )
    return pdf_file(objs)


def test_forms_drawing_forms_are_counted_as_drawn():
    # 100 × 100 × 10,000 rectangles: PDFium would parse 100 million objects (it ran out of 3 GB).
    data = _nested_forms(100, 10_000)
    assert len(data) < 2000
    with pytest.raises(PdfLimit, match="含嵌套的表单对象"):
        check_streams(data, 100 << 20, 1_500_000, time.monotonic() + 30)
    assert check_streams(_nested_forms(3, 100), 100 << 20, 1_500_000, time.monotonic() + 30) == []


def test_reading_a_pdf_imports_neither_the_ctypes_package_nor_threading_nor_importlib_util(tmp_path):
    # ≈ 2.5 ms of a cold run together: PDFium is loaded with ctypes' C module (CPython on POSIX), locked
    # with _thread, found through sys.meta_path. The report is read and checked.
    pdf = LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf"
    code = (
        "import sys; from gikcheck.cli import main\n"
        f"rc = main([{str(pdf)!r}, '--quiet'])\n"
        "print(rc, sorted(m for m in ('ctypes', 'threading', 'importlib.util', 'gikcheck.readers.pdfium')"
        " if m in sys.modules))"
    )
    for _ in range(2):  # the first run may parse the packs and fill the cache
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
        )  # not the checkout, whose pyproject.toml is a configuration file to read
    rc, modules = proc.stdout.strip().splitlines()[-1].split(" ", 1)
    assert rc == "0", proc.stdout + proc.stderr
    lite = os.name == "posix" and sys.implementation.name == "cpython"
    expected = ["gikcheck.readers.pdfium"] if lite else ["ctypes", "gikcheck.readers.pdfium"]
    assert modules == repr(expected), proc.stdout + proc.stderr


# --- a PDF opened ahead: its pages parsed in another thread while the rules load --------------------


def _pages_of(data: bytes, prefetch: tuple[int, int, int, float] | None = None) -> list:
    from gikcheck.readers import pdfium

    with PdfDocument(data) as doc:
        if prefetch is not None:
            doc.prefetch(*prefetch)
        with pdfium.LOCK:
            return [
                (p.width, p.height, p.objects, p.chars, p.edges)
                for p in (doc.page(i, 100_000, 20_000) for i in range(doc.page_count()))
            ]


def test_a_pdf_opened_ahead_reads_as_one_read_as_it_comes(tmp_path):
    from gikcheck.readers import pdf, pdfopen

    path = LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf"
    data = path.read_bytes()
    plain = pdf.PDF_READER.read(data, "r.pdf")
    pdfopen.open_ahead(str(path))
    [(_, doc)] = pdfopen._ahead
    doc._wait()
    assert sorted(doc._loaded) == list(range(doc.page_count())) == [0, 1, 2, 3]  # every page parsed ahead
    ahead = pdf.PDF_READER.read(data, "r.pdf")
    assert pdfopen._ahead == []  # taken up
    assert doc.handle is None  # and closed by the reader
    assert (ahead.text, ahead.origins) == (plain.text, plain.origins)


@pytest.mark.parametrize(
    "path",
    [
        *sorted((Path(__file__).parent / "fixtures").rglob("*.pdf")),
        Path(__file__).parents[2] / "shared/corpus/real/huaian-gov-2024.pdf",
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_pdf_reads_the_same_opened_ahead(path):
    from gikcheck.readers import pdf, pdfopen

    if not path.exists():
        pytest.skip("../shared is not here")
    data = path.read_bytes()
    plain = pdf.PDF_READER.read(data, "r.pdf")
    pdfopen.open_ahead(str(path))
    ahead = pdf.PDF_READER.read(data, "r.pdf")
    assert pdfopen._ahead == []
    assert (ahead.text, ahead.origins) == (plain.text, plain.origins)


def test_pages_loaded_ahead_are_the_pages_loaded_one_by_one():
    data = (LAYOUTS / "county-gov-2022-clean" / "chromium-pdf.pdf").read_bytes()
    far = time.monotonic() + 60
    plain = _pages_of(data)
    assert len(plain) > 2
    assert _pages_of(data, (100, 100_000, 1_000_000, far)) == plain  # all of them ahead
    assert _pages_of(data, (100, 100_000, 0, far)) == plain  # the budget spent by the first page
    assert _pages_of(data, (100, 100_000, 1_000_000, time.monotonic() - 1)) == plain  # past the deadline
    assert _pages_of(data, (100, 0, 1_000_000, far)) == plain  # no text page made: over max_objects


def test_the_prefetch_stops_at_its_budget_and_its_deadline():
    data = (LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf").read_bytes()
    for budget, deadline, loaded in ((0, 60, [0]), (10**6, 60, [0, 1, 2, 3]), (10**6, -1, [])):
        with PdfDocument(data) as doc:
            doc.prefetch(4, 100_000, budget, time.monotonic() + deadline)
            doc._wait()
            assert sorted(doc._loaded) == loaded
    # closed without reading its pages: what was loaded is closed with the document
    assert doc.handle is None and doc._loaded == {}


def test_a_prefetch_is_not_started_while_holding_the_lock():
    from gikcheck.readers import pdfium

    data = (LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf").read_bytes()
    with PdfDocument(data) as doc, pdfium.LOCK, pytest.raises(RuntimeError, match="LOCK"):
        doc.prefetch(4, 100_000, 10**6, time.monotonic() + 60)


def test_a_read_error_met_ahead_is_the_readers(tmp_path):
    from gikcheck.readers import pdf, pdfopen

    bad = b"%PDF-1.4\n" + b"\0" * 100
    with pytest.raises(ReadError) as plain:
        pdf.PDF_READER.read(bad, "bad.pdf")
    (tmp_path / "bad.pdf").write_bytes(bad)
    pdfopen.open_ahead(str(tmp_path / "bad.pdf"))
    assert [type(got) for _, got in pdfopen._ahead] == [ReadError]
    with pytest.raises(ReadError) as ahead:
        pdf.PDF_READER.read(bad, "bad.pdf")
    assert ahead.value.reason == plain.value.reason
    assert pdfopen._ahead == []


def test_the_time_pages_took_to_load_ahead_counts_towards_the_readers_limit():
    from gikcheck.readers import pdf, pdfopen

    path = LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf"
    pdfopen.open_ahead(str(path))
    [(_, doc)] = pdfopen._ahead
    doc.loading_since -= pdf.MAX_PDF_SECONDS + 1  # as if loading ahead had taken the whole time
    with pytest.raises(ReadError, match="PDF 解析超过"):
        pdf.PDF_READER.read(path.read_bytes(), "r.pdf")
    assert pdfopen._ahead == [] and doc.handle is None


def test_other_bytes_than_those_opened_ahead_are_read_as_they_are(tmp_path):
    from gikcheck.readers import pdf, pdfopen

    first = LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf"
    other = (LAYOUTS / "township-2020-blank" / "lo-pdf.pdf").read_bytes()
    plain = pdf.PDF_READER.read(other, "r.pdf")
    pdfopen.open_ahead(str(first))
    [(_, doc)] = pdfopen._ahead
    got = pdf.PDF_READER.read(other, "r.pdf")
    assert got.text == plain.text
    assert doc.handle is None and pdfopen._ahead == []  # the one opened ahead is closed


def test_a_pdf_with_forms_or_not_a_pdf_is_not_parsed_ahead(tmp_path):
    from gikcheck.readers import pdfopen

    (tmp_path / "forms.pdf").write_bytes(_nested_forms(3, 100))
    pdfopen.open_ahead(str(tmp_path / "forms.pdf"))
    [(_, doc)] = pdfopen._ahead
    assert doc._loading is None and doc._loaded == {}  # opened, its pages left to be read one by one
    pdfopen.drop_ahead()
    assert doc.handle is None and pdfopen._ahead == []
    (tmp_path / "text.pdf").write_text("一、总体情况\n", encoding="utf-8")
    pdfopen.open_ahead(str(tmp_path / "text.pdf"))
    pdfopen.open_ahead(str(tmp_path / "missing.pdf"))
    assert pdfopen._ahead == []


def test_the_command_line_opens_a_single_pdf_ahead_and_leaves_nothing_open(monkeypatch, capsys):
    from gikcheck import cli
    from gikcheck.readers import pdfopen

    opened: list[str] = []
    original = pdfopen.open_ahead
    monkeypatch.setattr(pdfopen, "open_ahead", lambda path: (opened.append(path), original(path))[1])
    report = str(LAYOUTS / "county-gov-2022-clean" / "lo-pdf.pdf")
    assert cli.main([report, "--quiet", "--isolated"]) == 0
    assert pdfopen._ahead == []  # taken up by the reader
    assert cli.main([report, "--format", "no-such-format"]) == 2  # a usage error: never read
    assert pdfopen._ahead == []  # closed all the same
    assert cli.main([report, report, "--quiet", "--isolated"]) == 0  # two: read as they come
    assert cli.main([report, "--quiet", "--isolated", "--diff"]) == 0  # --fix/--diff read it their way
    assert opened == [report, report]
    assert pdfopen._ahead == []
    capsys.readouterr()


def test_a_row_cut_by_a_page_break_is_closed_where_its_cells_edges_end():
    from gikcheck.readers.pdfgrid import close_cut_rows

    # Four columns' vertical edges from 100 down to the page's foot at 700, no rule there.
    verticals = [("v", x, x, 100.0, 700.0) for x in (50.0, 100.0, 150.0, 200.0)]
    rules = [("h", 50.0, 200.0, y, y) for y in (100.0, 300.0)]
    added = [e for e in close_cut_rows(verticals + rules) if e not in verticals + rules]
    assert added == [("h", 50.0, 200.0, 700.0, 700.0)]
    closed = [*rules, ("h", 50.0, 200.0, 700.0, 700.0)]
    assert close_cut_rows(verticals + closed) == verticals + closed  # a table with its foot: as it is
