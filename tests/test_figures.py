"""The prose figure extractor: numbers, units, spans, clauses, subjects."""

from __future__ import annotations

import pytest

from gikcheck.diagnostics import Span
from gikcheck.prose import ProseText, cn_to_number, extract_figures, prose_config
from gikcheck.prose.analysis import breakdowns, shares
from gikcheck.prose.subjects import segment, subject_label, subject_map


def _fig(text: str, i: int = 0):
    return extract_figures(text)[i]


@pytest.mark.parametrize(
    "numeral, value",
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("两千零五", 2005),
        ("一千二百三十四", 1234),
        ("三万五千", 35000),
        ("二〇二二", 2022),
        ("一亿", 100_000_000),
    ],
)
def test_chinese_numerals(numeral, value):
    assert cn_to_number(numeral) == value


def test_chinese_numeral_rejects_other_text():
    with pytest.raises(ValueError):
        cn_to_number("十甲")


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("共收到政府信息公开申请12件", 12, "件"),
        ("主动公开政府信息共70条。", 70, "条"),
        ("收到申请十二件", 12, "件"),
        ("收到申请两件", 2, "件"),
        ("公开信息一百零五条", 105, "条"),
        ("公开信息1.2万条", 12000, "条"),
        ("公开信息三万条", 30000, "条"),
        ("公开信息1,742条", 1742, "条"),
        ("收费3万元", 3, "万元"),
        ("收费1200元", 1200, "元"),
        ("举办培训3次", 3, "次"),
        ("发生行政复议2起", 2, "起"),
    ],
)
def test_number_and_unit(text, value, unit):
    f = _fig(text)
    assert (f.value, f.unit) == (value, unit)
    assert not f.approx


@pytest.mark.parametrize(
    "text",
    [
        "发布信息1000余条",
        "发布信息30多条",
        "发布信息约30条",
        "发布信息30条左右",
        "发布信息近百条",
        "发布信息上百条",
        "发布信息数十条",
    ],
)
def test_approximate_figures(text):
    f = _fig(text)
    assert f.approx


def test_exact_figures_are_not_approximate():
    assert not any(f.approx for f in extract_figures("其中线上培训3次,线下培训4次,共7次。"))


def test_percentages_keep_their_decimals():
    text = "机构职能类信息309条,占17.7%;其他类信息651条,占37.40%。办结率百分之九十。"
    figs = extract_figures(text)
    pcts = [f for f in figs if f.is_percent]
    assert [(f.value, f.decimals) for f in pcts] == [(17.7, 1), (37.4, 2), (90, 0)]
    assert pcts[1].shown() == "37.40%"


def test_ordinals_dates_and_list_commas_are_not_figures():
    text = "第二十条第（一）项规定,2013年12月31日前,第3次会议。分别为3，5件"
    figs = extract_figures(text)
    # Only "5件" is a figure: 第3次 is an ordinal, "3，5" is a list (a full-width comma is no digit group).
    assert [(f.value, f.unit) for f in figs] == [(5, "件")]


def test_spans_point_at_the_figure_in_the_original_text():
    text = "2013年我辦事處主動公開政府信息共70條。概況信息２條;工作動態信息二十九條,占１７．７％。"
    figs = extract_figures(text)
    assert [text[f.span.start : f.span.end] for f in figs] == ["70條", "２條", "二十九條", "１７．７％"]
    assert [f.value for f in figs] == [70, 2, 29, 17.7]


def test_spans_survive_nfc_composition():
    # A decomposed character before the figure shortens the shadow; the span must still be exact.
    text = "Cafe\u0301 公开信息12条"
    f = _fig(text)
    assert text[f.span.start : f.span.end] == "12条"


def test_excluded_regions_have_no_figures():
    text = "收到申请3件。\n表 | 5件 |\n"
    start = text.index("表")
    figs = extract_figures(text, exclude=[Span(start, len(text))])
    assert [f.value for f in figs] == [3]


def test_clause_lead_stops_at_the_previous_figure():
    pt = ProseText("其中,計劃總結類12條、政策法規類9條,民政、社保、就業類8條。")
    assert [pt.lead(f) for f in pt.figures] == ["计划总结类", "政策法规类", "民政、社保、就业类"]


def test_subject_labels_use_the_small_dictionary():
    cfg = prose_config()
    assert subject_label("2013年我办事处主动公开政府信息共", cfg) == "主动公开政府信息"
    assert subject_label("其中部门动态类信息", cfg) == "部门动态类信息"
    assert subject_label("全区各级各部门累计共受理政府信息公开申请", cfg) == "受理政府信息公开申请"
    assert "政府信息公开申请" in segment("受理政府信息公开申请", cfg)


def test_subjects_map_prose_to_table_cells():
    pt = ProseText(
        "本年度共收到政府信息公开申请12件,上年结转2件,另有3件结转下年度办理。行政复议1件,行政诉讼2件。"
        "其中网上申请5件。本年度制发行政规范性文件4件,废止1件。"
    )
    sm = subject_map(pt.config)
    ids = [(f.value, (sm.match(pt, f) or None) and sm.match(pt, f).id) for f in pt.figures]
    assert ids == [
        (12, "applications.new"),
        (2, "applications.carried_in"),
        (3, "applications.carried_out.after"),
        (1, "review"),
        (2, "litigation"),
        (5, None),
        (4, "normative.issued"),
        (1, "normative.repealed"),
    ]


def test_none_statements():
    pt = ProseText(
        "本年度未收到政府信息公开申请。未发生政府信息公开行政复议、行政诉讼。无正当理由大量反复申请。尚未审结1件。"
    )
    found = [[s.id for s in subs] for subs, _, _ in subject_map(pt.config).none_statements(pt)]
    assert found == [["applications.new"], ["review", "litigation"]]


def test_breakdown_cumulative_subset_is_not_a_complete_list():
    pt = ProseText("截至年底,累计主动公开政府信息7034条,其中年主动公开政府信息1742条,全文电子化率达100%。")
    (bd,) = breakdowns(pt)
    assert bd.cumulative and not bd.exhaustive and bd.exceed_at is None


def test_breakdown_in_the_next_sentence():
    pt = ProseText("主動公開政府信息共70條。概況信息2條;工作動態信息29條,規劃總結信息1條,辦事指南信息23條,其他15條。")
    (bd,) = breakdowns(pt)
    assert bd.total.value == 70 and [p.value for p in bd.parts] == [2, 29, 1, 23, 15] and bd.balanced


def test_share_base_from_the_listed_counts():
    pt = ProseText(
        "在主动公开的政府信息中,机构职能类信息309条,占17.7%;政策法规类信息112条,占6.4%;"
        "科教文体卫生类信息215条,占12.4%;其他类信息1106条,占63.5%。"
    )
    got = [(s.count.value, s.base, s.fits()) for s in shares(pt)]
    assert got == [(309, 1742, True), (112, 1742, True), (215, 1742, False), (1106, 1742, True)]


@pytest.mark.parametrize(
    "text, parts, exhaustive",
    [
        # A new statement (办结) ends the list; it is not one more part.
        ("全年收到申请25件,其中网上申请20件,办结24件。", [20], False),
        # Parts in several units (条, 篇) cannot add up in one.
        ("主动公开政府信息1234条,其中政策文件56条、政策解读23篇、工作动态890条。", [56], False),
        # 等 / 主要有: the list does not claim to be complete.
        ("主动公开政府信息共70条,其中概况信息2条,工作动态信息29条等。", [2, 29], False),
        ("主动公开政府信息共70条,主要有概况信息2条、工作动态信息29条。", [2, 29], False),
        # 其中, nothing after: complete.
        ("全年收到申请25件,其中网上申请20件,当面申请3件,均已办结。", [20, 3], True),
    ],
)
def test_breakdown_completeness(text, parts, exhaustive):
    (bd,) = breakdowns(ProseText(text))
    assert [p.value for p in bd.parts] == parts
    assert bd.exhaustive is exhaustive


def test_nested_breakdown_ends_the_outer_list():
    pt = ProseText("主动公开信息共500条,其中政府网站发布300条,其中政策文件100条、工作动态200条;政务微博发布200条。")
    got = {bd.total.value: ([p.value for p in bd.parts], bd.balanced) for bd in breakdowns(pt)}
    assert got == {500: ([300], False), 300: ([100, 200], True)}


def test_labels_load_no_segmenter_library():
    import subprocess
    import sys

    code = (
        "import sys; from gikcheck.prose import prose_config; from gikcheck.prose.subjects import subject_label; "
        "print(subject_label('其中部门动态类信息', prose_config()), 'jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["部门动态类信息", "False"]


def _fixture_lines() -> list[str]:
    from pathlib import Path

    lines = []
    for path in sorted((Path(__file__).parent / "fixtures").rglob("*.txt")):
        try:
            lines.extend(path.read_text(encoding="utf-8").splitlines())
        except UnicodeDecodeError:
            continue
    return lines


def test_segmenter_cuts_as_jieba_does(tmp_path):
    """prose/segment.py is jieba's precise mode without HMM: the same words on every fixture line."""
    jieba = pytest.importorskip("jieba")
    from gikcheck.prose.segment import segmenter

    terms = tuple(prose_config()["dictionary"]["terms"])
    dictionary = tmp_path / "terms.txt"
    dictionary.write_text("".join(f"{t} {1000 + 10 * len(t)}\n" for t in terms), encoding="utf-8")
    tok = jieba.Tokenizer(dictionary=str(dictionary))
    tok.tmp_dir = str(tmp_path)
    lines = _fixture_lines() + ["abc 12 3 ab-c%#政府信息公开", "\r\n x\r\ny", "ⅠⅡ１２３ａｂ主动公开", ""]
    assert len(lines) > 1000
    ours = segmenter(terms)
    differ = [line for line in lines if ours.cut(line) != list(tok.cut(line, HMM=False))]
    assert differ == []


@pytest.mark.parametrize(
    "text",
    [
        "无锡市行政复议委员会办公室位于市民中心。",
        "二零二二年政府信息公开申请均已办结。",
        "无行政复议被纠正的情况。",
        "未出现逾期答复申请的情况。",
        "因没有现成信息需要另行制作而无法提供的申请2件。",
        "与上年相比,本年度未收到申请。",
    ],
)
def test_not_statements_of_none(text):
    pt = ProseText(text)
    assert list(subject_map(pt.config).none_statements(pt)) == []


def test_hostile_input_stays_quiet():
    # Long runs without sentence marks, giant numbers, numerals glued together: no exception, no figures.
    for text in ("1" * 50_000 + "件", "一" * 20_000 + "件", "1," * 20_000 + "件"):
        pt = ProseText(text)
        assert pt.figures == [] and breakdowns(pt) == [] and shares(pt) == []
    pt = ProseText("机构职能类信息309条占17.7%" * 2000)
    assert len(pt.figures) == 4000 and all(s.base is None or s.fits() for s in shares(pt))


def test_long_texts_give_the_same_figures(monkeypatch):
    # Texts beyond _UNTIMED are read by `regex` with a time limit, shorter ones by the stdlib engine.
    from gikcheck.prose import figures

    text = (
        "2013年我辦事處主動公開政府信息共70條。概況信息２條;工作動態信息二十九條,占１７．７％。"
        "收费3万元,公开信息1.2万条、1,742条,发布信息1000余条、约30条、近百条。第3次会议,统一项目,分别为3，5件。"
        "办结率百分之九十,百分之12.5。"
    )

    def seen() -> list[tuple]:
        return [
            (f.value, f.unit, f.src_start, f.src_end, f.start, f.end, f.number, f.approx, f.decimals)
            for f in extract_figures(text)
        ]

    short = seen()
    monkeypatch.setattr(figures, "_UNTIMED", 0)
    assert seen() == short and len(short) == 13


def test_analysis_results_pickle():
    import pickle

    pt = ProseText("主动公开政府信息共70条,其中概况信息2条,工作动态信息29条。机构职能类信息309条,占17.7%。")
    (bd,) = breakdowns(pt)
    copy = pickle.loads(pickle.dumps((pt, bd, shares(pt))))
    assert [f.span for f in copy[0].figures] == [f.span for f in pt.figures]
    assert [p.value for p in copy[1].parts] == [2, 29] and copy[0].lead(copy[0].figures[1]) == "其中概况信息"


# --- the fast paths of the extractor and the analyses (they must agree with the plain definitions) ---


def test_mark_positions_are_those_of_a_character_class():
    import re

    text = "共收到申请12件,其中:网上申请5件(含传真);办结7件。\n行政复议1件!行政诉讼无?"
    pt = ProseText(text)
    st = pt.config["structure"]
    clause = re.compile(f"[{re.escape(st['sentence_marks'] + st['clause_marks'])}]")
    sentence = re.compile(f"[{re.escape(st['sentence_marks'])}]")
    clauses, sentences = [m.start() for m in clause.finditer(pt.text)], [m.start() for m in sentence.finditer(pt.text)]
    assert pt.clauses.offsets() == clauses and pt.sentences.offsets() == sentences
    for pos in range(len(text) + 1):
        assert pt.clause_start(pos) == max([i + 1 for i in clauses if i < pos], default=0)
        assert pt.clause_end(pos) == min([i for i in clauses if i >= pos], default=len(text))
        assert pt.sentence_end(pos, pos + 5) == min([i for i in sentences if i >= pos] + [len(text), pos + 5])
        assert pt.sentence_start(pos, pos - 5) == max([i + 1 for i in sentences if i < pos] + [0, pos - 5])
    assert pt.line_start(text.index("行政复议")) == text.index("\n") + 1


@pytest.mark.parametrize("text", ["", "没有标点的一段话", "a,b" * 400 + "," + "c" * 700 + "。" + "d" * 600])
def test_marks_far_away_and_none_at_all(text):
    # Beyond a short reach the offsets are bisected: the answers are the same.
    from gikcheck.prose.marks import Marks

    marks = Marks(text, ",。")
    found = [i for i, c in enumerate(text) if c in ",。"]
    assert marks.offsets() == found
    for pos in list(range(0, len(text) + 1, 37)) + [len(text)]:
        assert marks.end(pos) == min([i for i in found if i >= pos], default=len(text))
        assert marks.start(pos) == max([i + 1 for i in found if i < pos], default=0)
        assert marks.start(pos, pos - 500) == max([i + 1 for i in found if i < pos] + [0, pos - 500])
        assert marks.end(pos, pos + 500) == min([i for i in found if i >= pos] + [len(text), pos + 500])


def test_per_figure_lists_follow_the_figures():
    pt = ProseText("主动公开政府信息共70条,其中概况信息2条、工作动态信息29条;在网站发布信息12条。")
    assert pt.starts == [f.start for f in pt.figures]
    assert (
        pt.leads
        == [pt.lead(f) for f in pt.figures]
        == ["主动公开政府信息共", "其中概况信息", "工作动态信息", "在网站发布信息"]
    )
    assert [pt.text[s : f.start] for s, f in zip(pt.clause_starts, pt.figures)] == [
        pt.clause_lead(f) for f in pt.figures
    ]
    # A figure of another text with the same offsets is answered from the text itself.
    other = ProseText("主动公开政府信息共70条,其中概况信息2条、工作动态信息29条;在网站发布信息12条。").figures[2]
    assert pt.lead(other) == "工作动态信息" and pt.clause_lead(other) == "其中概况信息2条、工作动态信息"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第3条", []),
        ("每5件", []),
        ("约30条", [True]),
        ("近百条", [True]),
        ("上百条", [True]),
        ("数十件", [True]),
        ("统一项目", []),
        ("进一步", []),
        ("收到20件左右", [True]),
        ("收到20件", [False]),
        ("收到十件", [False]),
    ],
)
def test_the_words_before_a_number(text, expected):
    assert [f.approx for f in extract_figures(text)] == expected


def test_spans_and_tables_with_an_offset_map():
    # A decomposed character makes the shadow shorter than the source: spans and the table test go through the map.
    text = "Cafe\u0301 收到申请3件。\n表 | 5件 |\n其后办结2件。"
    start, end = text.index("表"), text.index("其后")
    figs = extract_figures(text, exclude=[Span(start, end)])
    assert [(f.value, text[f.span.start : f.span.end]) for f in figs] == [(3, "3件"), (2, "2件")]


def test_stated_is_match_for_every_figure():
    pt = ProseText(
        "本年度共收到政府信息公开申请12件,上年结转2件,另有3件结转下年度办理,8件已办结。行政复议1件,"
        "行政诉讼2件。受理了5件政府信息公开申请,全年收到政府信息公开申请14件(含上年结转2件)。本年度制发行政规范性文件4件,废止1件。"
    )
    sm = subject_map(pt.config)
    units = pt.count_units
    expected = [(f, sm.match(pt, f)) for f in pt.figures if f.unit in units and sm.match(pt, f) is not None]
    assert [(f.value, s.id) for f, s in sm.stated(pt, units)] == [(f.value, s.id) for f, s in expected]
    assert [s.id for _, s in expected] == [
        "applications.new",
        "applications.carried_in",
        "applications.carried_out.after",
        "review",
        "litigation",
        "applications.new.after",
        "applications.new_and_carried",
        "applications.carried_in",
        "normative.issued",
        "normative.repealed",
    ]


@pytest.mark.parametrize(
    "text, intro",
    [
        ("主动公开政府信息共70条,其中概况信息2条、工作动态信息68条。", "exhaustive"),
        ("主动公开政府信息共70条,包括概况信息2条、工作动态信息29条。", "partial"),
        ("主动公开政府信息共70条,分别为概况信息2条、工作动态信息68条。", "exhaustive"),
    ],
)
def test_the_clause_after_a_total_introduces_its_parts(text, intro):
    (bd,) = breakdowns(ProseText(text))
    assert bd.intro == intro
