"""GK5xx (text quality and template residue): each rule on defective and clean reports, exact codes at exact lines.

Defective reports are made from tests/fixtures/text/clean.txt (full-width
punctuation, pipe tables, 1. lists, （一） headings) by one edit, or are the
fixtures in tests/fixtures/text/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, findings, fixture, line_of, places, settings

from gikcheck.engine import check_text
from gikcheck.normalize import converter

CLEAN = fixture("text/clean.txt")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def diags(text: str, code: str, **kw):
    return check_text(text, "fixture.txt", settings(select=[code], **kw))


@pytest.mark.parametrize("name", ["clean-2008.txt", "clean-2019.txt", "clean-2021.txt"])
def test_clean_examples_have_no_text_findings(name):
    assert findings((EXAMPLES / name).read_text(encoding="utf-8"), "GK5") == []


def test_clean_fixture_has_no_text_findings():
    assert findings(CLEAN, "GK5") == []


# --- GK501 placeholder -----------------------------------------------------------


def test_gk501_placeholders():
    text = fixture("text/placeholders.txt")
    expected = [
        ("GK501", line_of(text, needle))
        for needle in ("自年月日起", "年，区继续", "XX镇", "××科", "○○村", "＿＿＿", "【】", "X月X日", "其中年主动")
    ]
    # Blanks of one kind in one section are one finding listing every place (one pattern, one finding).
    assert places(text, "GK501") == sorted(expected)
    assert len(findings(text, "GK501")) < len(expected)


def test_gk501_chinese_numeral_years_are_no_blanks():
    text = edit(CLEAN, "2023年1月16日", "二〇二三年一月十六日")
    text = edit(text, "本年度未收取", "全年、本年度、上年度均未收取")
    assert findings(text, "GK501") == []


# --- GK502 web-residue -----------------------------------------------------------


def test_gk502_web_residue():
    text = fixture("text/web-page.txt")
    # The page header (two lines) and the footer (two lines, a blank between) are one finding each.
    assert findings(text, "GK502") == [("GK502", line_of(text, "发布时间")), ("GK502", line_of(text, "打印本页"))]
    assert places(text, "GK502") == [
        ("GK502", line_of(text, "发布时间")),
        ("GK502", line_of(text, "字号")),
        ("GK502", line_of(text, "打印本页")),
        ("GK502", line_of(text, "主办：")),
    ]
    first = diags(text, "GK502")[0].message
    assert "发布时间" in first and "阅读次数" in first and "第 3—4 行共有 2 处" in first


def test_gk502_table_labels_and_regulations_are_no_residue():
    # 信访举报投诉类申请 is a table label, 规范文件 contains 范文 by accident.
    text = edit(
        CLEAN,
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n"
        "1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
    )
    text = edit(text, "审查拟公开信息124条。", "审查拟公开信息124条，清理规范文件3件。")
    assert findings(text, "GK502") == []


# --- GK503 garbled-text ----------------------------------------------------------


def test_gk503_garbled_text():
    text = fixture("text/garbled.txt")
    assert findings(text, "GK503") == [
        ("GK503", line_of(text, needle)) for needle in ("乡(xiāng)", "锟斤拷", "\ufffd", "明顯?,F將", "? ? ?", "å¹´")
    ]


def test_gk503_full_width_question_mark_is_fine():
    text = edit(CLEAN, "全年收到政府信息公开申请5件", "全年收到政府信息公开申请5件（是否含结转？含）")
    assert findings(text, "GK503") == []


def test_gk503_capped_per_document():
    text = CLEAN + "".join(f"第{i}行乡(xiāng)镇\n" for i in range(40))
    got = diags(text, "GK503")
    assert len(got) == 11 and "另有 30 处" in got[-1].message


# --- GK504 mixed-script ----------------------------------------------------------


def test_gk504_mixed_script():
    text = edit(CLEAN, "全年收到政府信息公开申请5件", "全年收到政府信息公開申請5件")
    assert findings(text, "GK504") == [("GK504", line_of(text, "公開申請"))]
    assert "繁体字" in diags(text, "GK504")[0].message


def test_gk504_wholly_traditional_report_is_fine():
    traditional = converter("s2t").convert(CLEAN)
    assert traditional != CLEAN
    assert findings(traditional, "GK504") == []


def test_gk504_differing_marks_each_character_that_changed():
    from gikcheck.checks.script import _differing

    a = "政府信息公開申請𠀀龜中"
    b = "政府信息公开申请𠀀龟中"
    assert _differing(a, b) == bytes(x != y for x, y in zip(a, b))
    assert list(_differing(a, b)) == [0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0]
    assert _differing(a, a) == bytes(len(a))
    # A difference in any byte of a character's UTF-32 (𠀀 U+20000 against 丠 U+4E20, 䀀 U+4000).
    assert list(_differing("𠀀丠䀀", "丠𠀀丠")) == [1, 1, 1]
    assert _differing("", "") == b""


# --- GK505 misspelt-term ---------------------------------------------------------


def test_gk505_misspelt_terms():
    text = edit(CLEAN, "本年度未发生因政府信息公开引起的行政复议", "本年度未发生因政府信息公开引起的行政覆议")
    text = edit(text, "本报告根据《中华人民共和国政府信息公开条例》", "本报告根据《中华人民共和国信息公开条例》")
    text = edit(text, "均在法定期限内答复。", "均在法定期限内答复，其中不子公开1件。")
    assert findings(text, "GK505") == sorted(
        [
            ("GK505", line_of(text, "行政覆议")),
            ("GK505", line_of(text, "《中华人民共和国信息公开条例》")),
            ("GK505", line_of(text, "不子公开")),
        ]
    )
    fixes = [d.fix.edits[0].replacement for d in diags(text, "GK505")]
    assert sorted(fixes) == sorted(["行政复议", "《中华人民共和国政府信息公开条例》", "不予公开"])


def test_gk505_traditional_wrong_form_is_found():
    text = edit(CLEAN, "均在法定期限内答复。", "均在法定期限内答复，其中不子公開1件。")
    assert findings(text, "GK505") == [("GK505", line_of(text, "不子公開"))]


# --- GK506 punctuation -----------------------------------------------------------


def test_gk506_doubled_and_unbalanced():
    text = edit(CLEAN, "主动公开、依申请公开", "主动公开、、依申请公开")
    text = edit(text, "“政府信息公开”专栏", "“政府信息公开专栏")
    text = edit(text, "（以下简称《条例》）", "（以下简称《条例》")
    assert findings(text, "GK506") == sorted(
        [
            ("GK506", line_of(text, "、、")),
            ("GK506", line_of(text, "“政府信息公开专栏")),
            ("GK506", line_of(text, "（以下简称《条例》编制")),
        ]
    )


def test_gk506_half_width_comma_in_full_width_prose():
    text = edit(CLEAN, "均在法定期限内答复", "均在法定期限内,答复")
    assert findings(text, "GK506") == [("GK506", line_of(text, "期限内,答复"))]


def test_gk506_consistent_half_width_prose_is_reported_once():
    half = CLEAN.replace("，", ",")
    assert findings(half, "GK506") == [("GK506", line_of(half, "2022年,我局"))]
    assert "逗号" in diags(half, "GK506")[0].message


def test_gk506_half_width_findings_are_one_finding_per_section():
    # Was capped at 10 findings and a count of the rest; now one finding lists all 13 places.
    text = edit(CLEAN, "本年度未收取信息处理费。", "本年度未收取信息处理费" + "，".join("项" for _ in range(40)) + "。")
    text = edit(text, "本年度未收取信息处理费", "本年度未收取信息处理费" + ",".join("条" for _ in range(14)))
    got = diags(text, "GK506")
    assert len(got) == 1 and got[0].occurrences == 13 and len(got[0].related) == 13
    assert "共有 13 处同类问题" in got[0].message
    assert len(got[0].fix.edits) == 13 and got[0].fix.applicability == "safe"


# --- GK507 repeated-text ---------------------------------------------------------


def test_gk507_repeated_phrase_and_paragraph():
    text = edit(
        CLEAN,
        "二、上年结转政府信息公开申请数量 |",
        "三、本年度办理结果本年度办理结果 | 0\n二、上年结转政府信息公开申请数量 |",
    )
    para = "（二）依申请公开。全年收到政府信息公开申请5件，均在法定期限内答复。"
    text = edit(text, "本年度未收取信息处理费。", "本年度未收取信息处理费。\n\n" + para)
    assert findings(text, "GK507") == [
        ("GK507", line_of(text, "本年度办理结果本年度")),
        ("GK507", text.count("\n", 0, text.rindex(para)) + 1),
    ]


# --- GK508 vague-figure ----------------------------------------------------------


def test_gk508_vague_figures():
    text = edit(CLEAN, "全年主动公开政府信息124条", "全年主动公开政府信息1000余条")
    text = edit(text, "全年收到政府信息公开申请5件", "全年收到政府信息公开申请多件")
    assert findings(text, "GK508") == [("GK508", line_of(text, "1000余条")), ("GK508", line_of(text, "申请多件"))]


def test_gk508_many_rules_in_a_title_are_fine():
    text = edit(CLEAN, "修订《青山县交通运输局政府信息公开保密审查办法》", "落实《关于全面推进政务公开工作的若干意见》")
    assert findings(text, "GK508") == []


# --- GK509 generic-section -------------------------------------------------------


def test_gk509_generic_section():
    generic = (
        "我局政府信息公开工作还存在一些不足，公开的及时性和规范性有待提高。今后我局将进一步加强学习，不断提升工作水平。"
    )
    start = CLEAN.index("2022年，我局政策解读形式较为单一。")
    end = CLEAN.index("\n", start)
    text = CLEAN[:start] + generic + CLEAN[end:]
    assert findings(text, "GK509") == [("GK509", line_of(text, "五、存在的主要问题"))]


def test_gk509_a_section_saying_none_is_concrete():
    text = edit(
        CLEAN,
        "本年度未发生因政府信息公开引起的行政复议、行政诉讼。",
        "本单位在本年度内没有发生因政府信息公开工作被申请行政复议或者被提起行政诉讼的情形，也没有相关的案件需要说明。",
    )
    assert findings(text, "GK509") == []


# --- the development corpus and speed --------------------------------------------


def test_corpus_expectations_for_text(shared_corpus):
    from test_rules_dates import _expect

    _expect(shared_corpus, "GK5")


def test_hostile_input_does_not_hang():
    # Long runs that invite backtracking in the repeat and placeholder patterns.
    text = CLEAN + ("年" * 5000) + "\n" + ("本年度办理" * 3000) + "\n" + ("?" * 5000) + "\n"
    assert all(d.code != "GK002" for d in check_text(text, "fixture.txt", settings(select=["GK5"])))


# --- pattern prefilters and anchors (gikcheck.patterns, gikcheck.prefilter) -------


def _pack_patterns() -> list[str]:
    """Every pattern of the text, phrase and date packs, and the ones the date rules build from them."""
    import tomllib

    found: list[str] = []

    def walk(x):
        if isinstance(x, str):
            found.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    rules = Path(__file__).resolve().parents[1] / "rules"
    dates = tomllib.loads((rules / "dates.toml").read_text(encoding="utf-8"))
    walk(tomllib.loads((rules / "text.toml").read_text(encoding="utf-8")))
    for rule in tomllib.loads((rules / "phrases.toml").read_text(encoding="utf-8"))["phrase-rule"]:
        walk([p.get("pattern") if isinstance(p, dict) else p for p in rule.get("patterns", ())])
        walk([*rule.get("phrases", ()), *rule.get("swap", {})])
    walk(dates)
    plans = dates["plans"]
    found += [
        rf"(?<!\d)2022\s*年(?!{plans['retrospective']})[^。;\n\d]{{0,20}}?(?:{plans['intent']})",
        rf"(?:{plans['anchors']})[^。;\n]{{0,40}}?(?=2022\s*年)",
    ]
    return found


SYNTHETIC = [
    r"a{,2}b",
    r"(?:ab)+c",
    r"a(?=bc)",
    r"(?<=x)y",
    r"x(?:y|)z",
    r"(?P<n>ab)c",
    r"(?>ab|a)c",
    r"a++b",
    r"^\s*ab",
    r"^[^\n]{0,5}?cd",
    r"\s*7",
    r"\d*7",
    r"(?:12|1)2",
    r"^(?:x|y)z|w\d+q",
    r".{0,3}ab",
    r"(?:ab|a)b",
    r"b(?:a|ab)",
    r"[a-c]{2}d?e",
    r"a(?:b|c\d)*?d",
]


def test_prefilter_and_anchors_find_what_a_scan_finds():
    import random

    import regex

    from gikcheck import patterns

    rnd = random.Random(7)
    for source in _pack_patterns() + SYNTHETIC:
        try:
            compiled = regex.compile(source, regex.MULTILINE)
        except regex.error:
            continue  # a word of a word list, not a pattern
        pattern = patterns.pack_pattern(source)
        alphabet = [c for c in source if not c.isascii() or c.isalnum() or c in " ,.;:?-_"]
        alphabet += list("0123456789 \n\t,.;:?-()（）ab年月日报告政府信息公开。")
        for _ in range(25):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(256, 1200)))
            text = text if rnd.random() < 0.8 else CLEAN[: rnd.randrange(len(CLEAN))] + text
            pos = rnd.randrange(len(text) // 3)
            end = rnd.choice([len(text), rnd.randrange(len(text) // 2, len(text) + 1)])
            got = [(m.span(), m.groups()) for m in patterns.finditer(pattern, text, pos, end)]
            assert got == [(m.span(), m.groups()) for m in compiled.finditer(text, pos, end)], (source, text)
            first = patterns.search(pattern, text, pos)
            want = compiled.search(text, pos)
            assert (first and first.span()) == (want and want.span()), source


def test_prefilter_needs_and_plans():
    from gikcheck.prefilter import analyse, holds, prepare

    need, plan = analyse(r"(?<![\d.])(\d{1,2})\s*月")
    assert need == "月" and plan == ((False, ("月",), r"(?r)(?:\s)*(?:(?:\d)(?:\s)*){0,2}"),)
    need, _ = analyse(r"《(?:政府)?信息公开条例》")
    assert holds(prepare(need), "见《信息公开条例》") and not holds(prepare(need), "见《条例》" * 100)
    # A pattern led by a literal in every branch is searched as fast by the engine itself: no plan.
    assert analyse("本(?:报告|年报)是")[1] is None
    # What the analysis does not model gives no prefilter, so the pattern always runs.
    for source in (
        r"(?i)abc",
        r"(a)\1",
        r"(?:ab){e<=1}",
        r"[[:alpha:]]",
        r"[a--b]",
        r"\p{Hann}x",
        r"a{3,2}",
        r"(?P<1>a)",
        r"\N{DIGIT ONE}",
    ):
        assert analyse(source) == (None, None), source


def test_a_pattern_that_cannot_match_is_not_compiled(monkeypatch):
    from gikcheck import patterns

    compiled: list[str] = []
    real = patterns.compile_pattern.__wrapped__
    monkeypatch.setattr(patterns, "compile_pattern", lambda p, f=0: compiled.append(p) or real(p, f))
    source = "锟斤拷[甲乙]{2}测试"
    assert list(patterns.finditer(source, CLEAN)) == [] and compiled == []
    assert [m.group() for m in patterns.finditer(source, CLEAN + "锟斤拷甲乙测试")] == ["锟斤拷甲乙测试"]
    assert compiled == [source]


def test_gk506_unbalanced_marks_in_a_crlf_report():
    lf = edit(CLEAN, "“政府信息公开”专栏", "“政府信息公开专栏")
    where = [(d.location.line, d.location.column) for d in diags(lf, "GK506")]
    assert where and [(d.location.line, d.location.column) for d in diags(lf.replace("\n", "\r\n"), "GK506")] == where


# --- false positives seen in real reports -----------------------------------------


def test_half_width_question_after_a_question_word_is_no_debris():
    text = edit(CLEAN, "全年收到政府信息公开申请5件", "群众关心如何申请?我局全年收到政府信息公开申请5件")
    assert findings(text, "GK503") == []


def test_website_sponsors_in_prose_are_no_footer():
    text = edit(CLEAN, "更新栏目12个", "门户网站由县政府办公室主办、县信息中心承办,更新栏目12个")
    assert findings(text, "GK502") == []


def test_rule_docs_have_the_four_headings():
    from gikcheck.registry import all_rules

    rules = [r for r in all_rules() if r.code[:3] in ("GK4", "GK5") and r.code != "GK510"]
    assert len(rules) == 14
    for rule in rules:
        assert rule.summary()
        for heading in ("**检查什么**", "**依据**", "**错误示例**", "**正确示例**"):
            assert heading in rule.explanation(), (rule.code, heading)


# --- cheaper tests before patterns --------------------------------------------------


def test_han_class_is_regex_han():
    import re

    import regex

    from gikcheck.prose.han import HAN_CLASS

    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert re.findall(f"[{HAN_CLASS}]", chars) == regex.findall(r"\p{Han}", chars)


def _random_texts(alphabet: str, repeat_from: str, n: int = 4000):
    import random

    rnd = random.Random(5)
    for _ in range(n):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 90)))
        if rnd.random() < 0.3:
            phrase = "".join(rnd.choice(repeat_from) for _ in range(rnd.randint(2, 33)))
            at = rnd.randint(0, len(text))
            text = text[:at] + phrase + phrase + text[at:]
        yield text


def test_repeat_pretest_never_misses_what_the_phrase_pattern_finds():
    import re

    from gikcheck.checks.repeated import _may_repeat
    from gikcheck.engine import knowledge_for

    data = knowledge_for(settings()).extra["text"]["repeated"]
    phrase, (shortest, longest) = re.compile(data["phrase"]), data["phrase_lengths"]
    assert (shortest, longest) == (2, 30)
    found = 0
    for text in _random_texts("本年度办理结果公开政府一丁,。a1 𠀀\u4dc0\u0100", "本年度办理结果一丁"):
        if phrase.search(text):
            found += 1
            assert _may_repeat(text, shortest, longest), text
    assert found > 500
    assert not _may_repeat("本年度办理结果,本年度办理结果", shortest, longest)


def test_annotated_phrase_pattern_finds_on_re_what_it_finds_on_regex():
    """[repeated] phrase_annotated runs on `re` (\\p{Han} spelled out): the same matches as `regex`."""
    import re

    import regex

    from gikcheck.checks.repeated import _for_re
    from gikcheck.engine import knowledge_for

    data = knowledge_for(settings()).extra["text"]["repeated"]
    assert data["phrase_annotated_engine"] == "re"
    on_regex, on_re = regex.compile(data["phrase_annotated"]), re.compile(_for_re(data["phrase_annotated"]))
    found = 0
    for text in _random_texts("结果公开〇(jié)xa,。 𠀀", "结果〇(jié)𠀀"):
        want = [(m.span(), m.group(1)) for m in on_regex.finditer(text)]
        assert [(m.span(), m.group(1)) for m in on_re.finditer(text)] == want, text
        found += bool(want)
    assert found > 100
    for text in ("本年度辦理結(jié)果本年度辦理結(jié)果", "二〇〇〇年,鄉(xiāng)鎮鄉(xiāng)鎮", "二〇〇〇〇年"):
        want = [(m.span(), m.group(1)) for m in on_regex.finditer(text)]
        assert want and [(m.span(), m.group(1)) for m in on_re.finditer(text)] == want


def test_adjacent_marks_pretest_never_misses_a_doubled_mark():
    import regex

    from gikcheck.checks.punctuation import _adjacent
    from gikcheck.engine import knowledge_for

    data = knowledge_for(settings()).extra["text"]["punctuation"]
    doubled, marks = regex.compile(data["doubled"]), data["doubled_marks"]
    found = 0
    for text in _random_texts("公开、，。；：,;！!「 \u3101\uff01", "、，。;,"):
        if doubled.search(text):
            found += 1
            assert _adjacent(text, marks), text
    assert found > 500
    assert not _adjacent("公开、政府,信息;办理。", marks)


def test_script_tables_are_what_opencc_converts_one_by_one():
    """rules/script.toml's tables (tools/gen_traditional.py) stand in for loading OpenCC: they must
    hold exactly the characters t2s and s2t change, each taken alone."""
    import opencc
    import regex

    from gikcheck.normalize import simplified_chars, traditional_chars

    han = regex.compile(r"\p{Han}")
    chars = [chr(cp) for cp in range(0x2E80, 0x32000) if han.match(chr(cp))]
    t2s_ranges = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
    for config, table, ranges in (
        ("t2s", traditional_chars(), t2s_ranges),
        ("s2t", simplified_chars(), ((0, 0x10FFFF),)),
    ):
        some = [c for c in chars if any(a <= ord(c) <= b for a, b in ranges)]
        out = opencc.OpenCC(config).convert("\n".join(some)).split("\n")
        assert len(out) == len(some)
        assert {c for c, o in zip(some, out) if o != c} == table & set(some), config
