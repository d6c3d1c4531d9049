"""The parser: headings, tables, metadata, template choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from gikcheck.diagnostics import Location, Span
from gikcheck.document import Document
from gikcheck.normalize import label_key, make_shadow
from gikcheck.parsing.blocks import cn_number, split_blocks
from gikcheck.parsing.labels import match_label, split_ordinal
from gikcheck.parsing.meta import classify_level
from gikcheck.parsing.report import ParseOptions, parse
from gikcheck.templates import load_knowledge

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
KN = load_knowledge()


def parsed(text: str, **kw):
    return parse(Document(text), KN, ParseOptions(**kw))


def test_label_key_folds_width_script_punctuation_and_pinyin():
    assert label_key("（三）不予公開") == label_key("(三)不予公开")
    assert label_key("? 信息內(nèi)容??") == "信息内容"
    assert label_key("本年收费金额（单位：万元）") == label_key("本年收费金额(单位:万元)")


def test_shadow_keeps_offsets_when_nfc_composes():
    src = "e\u0301政府信息公開"
    sh = make_shadow(src)
    assert sh.text == "é政府信息公开"
    s, e = sh.span_to_source(1, 3)
    assert src[s:e] == "政府"


@pytest.mark.parametrize("s, n", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("7", 7)])
def test_cn_number(s, n):
    assert cn_number(s) == n


def test_split_ordinal():
    assert split_ordinal("三,本年度办理结果") == ("三", "本年度办理结果")
    assert split_ordinal("12.没有现成信息") == ("12", "没有现成信息")
    assert split_ordinal("(一)予以公开") == ("一", "予以公开")


def test_label_match_qualities():
    rows = KN.templates["2021"].tables["applications"].rows
    assert match_label("（三）不予公開", rows).quality == "exact"
    assert match_label("(三)不子公开", rows).quality == "typo"
    assert match_label("12.没有现成信息需要另行制作", rows).quality == "renumbered"
    assert match_label("三本年度办理结果本年度办理结果", rows).quality == "doubled"
    assert match_label("8、属于行政查询事项", rows).quality == "exact"  # punctuation after the ordinal
    assert match_label("完全无关的文字", rows) is None


def test_headings_levels_and_titles():
    text = "一、总体情况\n（一）主动公开。全年公开86条。\n1.网站公开\n2、公开栏\n(1)栏目\n"
    blocks = split_blocks(Document(text))
    assert [(h.style, h.number, h.title) for h in blocks.headings] == [
        ("cn", 1, "总体情况"),
        ("paren-cn", 1, "主动公开"),
        ("num-dot", 1, "网站公开"),
        ("num-comma", 2, "公开栏"),
        ("paren-num", 1, "栏目"),
    ]


def test_inline_headings_in_flattened_page():
    text = (
        "谷来镇2022年度政府信息公开年度报告 一、基本情况 2022年,我镇…… 二、主动公开政府信息情况 "
        "五、存在的主要问题和改进情况 一年来……\n"
    )
    r = parsed(text)
    assert [s.spec.key for s in r.sections] == ["overview", "proactive", "problems"]


def test_numbers_in_text_are_not_headings():
    blocks = split_blocks(Document("2.5万元用于公开栏建设。\n2022年,我镇……\n"))
    assert blocks.headings == []


@pytest.mark.parametrize(
    "name, level",
    [
        ("青山镇人民政府", "township"),
        ("八丹乡人民政府", "township"),
        ("城关街道办事处", "township"),
        ("青山县交通运输局", "department"),
        ("青山县人民政府办公室", "department"),
        ("区府办", "department"),
        ("青山县人民政府", "government"),
        ("青山市", "government"),
        ("城乡建设局", "department"),
    ],
)
def test_agency_level(name, level):
    assert classify_level(name, KN.common["agency"]) == level


def test_metadata_of_clean_example():
    r = parsed((EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8"))
    m = r.meta
    assert (m.agency, m.year, m.year_source, m.level) == ("青山镇人民政府", 2022, "title", "township")
    assert (m.signature_date.year, m.signature_date.month, m.signature_date.day) == (2023, 1, 16)
    start, end, _ = m.period
    assert (start.year, start.month, start.day, end.year, end.month, end.day) == (2022, 1, 1, 2022, 12, 31)


@pytest.mark.parametrize(
    "text, template, reason",
    [
        ("青山镇2015年政府信息公开工作年度报告\n", "2008", "year"),
        ("青山镇2020年政府信息公开工作年度报告\n", "2019", "year"),
        ("青山镇2023年政府信息公开工作年度报告\n", "2021", "year"),
        ("青山镇政府信息公开工作年度报告\n信息内容 | 本年制发件数 | 本年废止件数\n", "2021", "markers"),
        ("青山镇政府信息公开工作年度报告\n四、政府信息公开的收费及减免情况\n", "2008", "markers"),
        ("青山镇政府信息公开工作年度报告\n", "2021", "fallback"),
    ],
)
def test_template_selection(text, template, reason):
    r = parsed(text)
    assert (r.template.id, r.template_reason) == (template, reason)


def test_template_from_config_wins():
    r = parsed("青山镇2023年政府信息公开工作年度报告\n", template="2019")
    assert (r.template.id, r.template_reason) == ("2019", "config")


def test_applications_table_cells_keep_their_spans():
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    r = parsed(text)
    t = r.table("applications")
    cell = t.cells[("new", "total")]
    assert cell.value == 3 and text[cell.cell.span.start : cell.cell.span.end] == "3"
    assert t.value("r4_1", "natural") == 1
    assert len(t.row_order) == 25 and len(t.columns) == 7  # data rows: groups carry no figures


def test_traditional_report_tables_map():
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    trad = (
        text.replace("收到和处理政府信息公开申请情况", "收到和處理政府信息公開申請情況")
        .replace("本年新收", "本年新收")
        .replace("总计", "總計")
    )
    r = parsed(trad)
    assert r.table("applications").value("r7", "total") == 3


def test_signature_date_before_page_padding():
    text = (
        "青山镇2022年政府信息公开工作年度报告\n正文。\n"
        + "内容。" * 400
        + "\n青山镇人民政府 2023年1月13日 | |||||||\n打印本页 关闭窗口 | ||||\n"
        + "网站标识码 主办单位 " * 100
        + "\n"
    )
    sig = parsed(text).meta.signature_date
    assert (sig.year, sig.month, sig.day) == (2023, 1, 13)


def test_period_end_without_year():
    _, end, _ = parsed("青山镇2022年政府信息公开工作年度报告\n本报告统计期限为2022年1月1日至12月31日。\n").meta.period
    assert (end.year, end.month, end.day) == (2022, 12, 31)


def test_traditional_agency_level():
    assert classify_level("八丹鄉(xiāng)人民政府", KN.common["agency"]) == "township"


def test_many_open_parentheses_stay_linear():
    # Pinyin debris is folded by a bounded pattern, 鄉(xiāng); an unbounded look-ahead once scanned
    # the rest of this line from each "(" (quadratic). What the parse gives: the title and its year,
    # the run of "(" one plain paragraph, and every "(" kept, none taken for debris.
    text = "青山镇2022年政府信息公开工作年度报告\n" + "(" * 50000 + "\n"
    report = parsed(text)
    assert report.meta.year == 2022 and report.meta.title == "青山镇2022年政府信息公开工作年度报告"
    assert report.blocks.headings == [] and report.tables == []
    assert [(p.span.start, p.span.end) for p in report.blocks.paragraphs] == [(0, 20), (21, 50021)]
    assert report.doc.shadow.text.count("(") == 50000
    assert label_key("鄉(" * 50000 + "(xiāng)") == "乡(" * 50000  # the debris goes, every "(" stays


def test_shadow_and_compact_key_fold_as_translate_would():
    # The shadow and the compact key replace character by character; they must equal one translate pass.
    from gikcheck.normalize import _DROP, _PUNCT_FOLD, _WIDTH_TABLE, compact_key

    # (The ideographic space stands between letters and digits: between a digit and a Han character
    # the shadow drops it, as a PDF puts it there.)
    src = "（一）ＡＢＣ　１２３政府，信息：公开；“年报”【附】—／？?\u200b\ufeff 、．\n"
    shadow = make_shadow(src)
    assert shadow.text == src.translate(_WIDTH_TABLE) and shadow.origin is None
    assert compact_key(shadow.text) == shadow.text.translate(_DROP).translate(str.maketrans(_PUNCT_FOLD))


def test_line_index_with_crlf_and_without_final_newline():
    doc = Document("甲乙\r\n\r\n丙\n丁戊")
    assert list(doc.line_starts) == [0, 4, 6, 8] and list(doc.line_ends) == [2, 4, 7, 10]
    assert [doc.line_text(n) for n in range(1, 5)] == ["甲乙", "", "丙", "丁戊"]
    assert doc.line_span(2) == Span(4, 4)
    assert doc.location(Span(6, 8)) == Location(3, 1, 3, 2)  # an end after the newline stays on its line
    assert doc.position(-3) == (1, 1) and doc.position(99) == (4, 3)


def test_cells_made_by_the_splitter_pickle_and_compare():
    import pickle

    text = "项目 | 数量 | 金额\n（一）收费 | 3 | 1.5\n（二）减免 | 0 | 0\n"
    table = split_blocks(Document(text)).tables[0]
    cell = table.rows[1].cells[1]
    assert (cell.text, cell.empty, text[cell.span.start : cell.span.end]) == ("3", False, "3")
    assert pickle.loads(pickle.dumps(table)) == table


def test_parse_results_pickle():
    import pickle

    r = parsed((EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8"))
    for part in (r.blocks, r.meta, r.sections, r.tables):
        assert pickle.loads(pickle.dumps(part)) == part


def test_has_traditional_agrees_with_the_character_class():
    """has_traditional answers as the set of traditional characters does: for every character of
    the BMP and the CJK extensions alone, and for texts long and short holding one or none."""
    import re

    from gikcheck import normalize

    chars = normalize.traditional_chars()
    assert len(chars) > 4000
    every = [chr(cp) for cp in (*range(0xD800), *range(0xE000, 0x10000), *range(0x20000, 0x2A6E0))]
    assert [c for c in every if normalize.has_traditional(c) != (c in chars)] == []
    ref = re.compile("[" + re.escape("".join(sorted(chars))) + "]")
    base = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    assert len(base) > 64 and not normalize.has_traditional(base)
    # Traditional characters GB2312 can encode (what the former GB2312 fast path had to look up apart).
    in_gb2312 = sorted("".join(sorted(chars)).encode("gb2312", "ignore").decode("gb2312"))
    probes = in_gb2312[:8] + ["報", "國", "發"]
    samples = ["报告", "報告", "abc", ""]
    for c in probes:
        samples += [c, base[:500] + c + base[500:], base + c + "😀"]
    samples.append(base + "😀")  # not GB2312, no traditional character
    samples += [base + "😀𠀀" * 50 + "報", base + "😀𠀀" * 50]
    for s in samples:
        assert normalize.has_traditional(s) == (ref.search(s) is not None), s[-3:]


def test_shadow_folds_every_full_width_form_in_any_order():
    # The width fold finds the characters present and replaces each throughout; it must equal translate.
    from gikcheck.normalize import _WIDTH_TABLE

    forms = "".join(chr(c) for c in _WIDTH_TABLE)
    for src in (forms, forms[::-1] + "政府" + forms, "（一）概述\n（二）主动公开：１２件", "没有全角字符"):
        assert make_shadow(src).text == src.translate(_WIDTH_TABLE)


def test_repeated_table_lines_get_cells_at_their_own_offsets():
    # Splits are cached by line: the same lines elsewhere, in another document, must map to their own offsets.
    rows = "| 项目 | 数量 |\n|---|---|\n| 收费 | 3 |\n| 减免 | 0 |\n"
    for text in (
        rows,
        "前言。\n\n" + rows,
        "前言。\n\n" + rows + "\n" + rows.replace("|", "\t").replace("\t---\t---\t", ""),
    ):
        for table in split_blocks(Document(text)).tables:
            for row in table.rows:
                assert row.key == text[row.span.start : row.span.end]
                for cell in row.cells:
                    assert text[cell.span.start : cell.span.end] == cell.text
                    assert cell.empty == (not cell.text.strip(" \t\u3000\u00a0?？"))


def test_row_key_is_no_field():
    from gikcheck.document import Cell, Row

    cells = [Cell("收费", Span(0, 2))]
    assert Row(cells, Span(0, 2), 1, "收费") == Row(cells, Span(0, 2), 1)
    assert "key" not in repr(Row(cells, Span(0, 2), 1, "收费"))


@pytest.mark.parametrize(
    "line, heading",
    [
        ("2020年，本机关主动公开信息。", None),
        ("12345热线办理情况良好。", None),
        ("1.概述", "概述"),
        ("  （二）主动公开情况", "主动公开情况"),
        ("3、依申请公开", "依申请公开"),
        ("(4)收费情况", "收费情况"),
        ("1.5万元的收费", None),
    ],
)
def test_heading_prefilter_keeps_what_the_patterns_find(line, heading):
    blocks = split_blocks(Document("正文。\n" + line + "\n"))
    assert [h.title for h in blocks.headings] == ([heading] if heading else [])


def test_inline_headings_found_only_on_lines_that_hold_a_numeral_comma():
    titles = (label_key("主动公开政府信息情况"),)
    long_text = "本机关全年工作稳步推进，各项制度不断完善，公开质量持续提高，群众满意度进一步提升。"
    text = long_text * 2 + "\n" + long_text + "二、主动公开政府信息情况 本年新制作规章。" + long_text + "\n"
    blocks = split_blocks(Document(text), inline_titles=titles)
    assert [(h.title, h.line, h.inline) for h in blocks.headings] == [("主动公开政府信息情况", 2, True)]


def test_table_row_answers_are_the_same_from_the_cache():
    # Parsing the same report twice answers from the row and label caches the second time.
    text = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
    first, second = parsed(text), parsed(text)
    assert first.tables == second.tables and first.sections == second.sections and first.meta == second.meta
