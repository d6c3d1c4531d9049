"""Template packs as data: new ids, `extends` merging keyed lists, validation, rules by declared features."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gikcheck.cli import main
from gikcheck.config import find_config
from gikcheck.registry import all_rules
from gikcheck.rule import Rule
from gikcheck.templates import PackError, load_knowledge

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PROVINCE = EXAMPLES / "packs" / "2021-province.toml"
CLEAN_2021 = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
SIGNATURE = "青山镇人民政府\n2023年1月16日"
SEVENTH = (
    "七、政务公开平台建设情况\n\n2022年，我镇在政府网站设置政务公开专区，更新栏目12个，政务新媒体发布信息86条。\n\n"
)


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    find_config.cache_clear()
    yield
    find_config.cache_clear()


def lint(path: Path, *args: str, capsys) -> tuple[int, list[dict]]:
    code = main([str(path), "--isolated", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def province(path: Path, capsys) -> tuple[int, list[dict]]:
    return lint(path, "--rule-pack", str(PROVINCE), "--template", "2021-province", capsys=capsys)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- the provincial example, end to end ------------------------------------------------------


def test_province_pack_report_with_seventh_section_is_clean(tmp_path, capsys):
    text = CLEAN_2021.replace(SIGNATURE, SEVENTH + SIGNATURE)
    assert province(write(tmp_path, "r.txt", text), capsys) == (0, [])


def test_province_pack_requires_the_added_section(tmp_path, capsys):
    code, items = province(write(tmp_path, "r.txt", CLEAN_2021), capsys)
    assert code == 1
    assert [(d["code"], d["line"]) for d in items] == [("GK101", 1)]
    assert items[0]["message"] == "缺少国家年度报告格式和本省补充规定要求的「七、政务公开平台建设情况」部分"
    # The same report is clean on the national format: the section is the pack's, not 2021's.
    assert lint(write(tmp_path, "r.txt", CLEAN_2021), capsys=capsys) == (0, [])


def test_province_pack_keeps_inherited_sections_required(tmp_path, capsys):
    text = CLEAN_2021.replace(SIGNATURE, SEVENTH + SIGNATURE)
    start, end = text.index("五、存在的主要问题及改进情况"), text.index("六、其他需要报告的事项")
    text = text[:start] + text[end:]
    _, items = province(write(tmp_path, "r.txt", text), capsys)
    missing = [(d["code"], d["line"], d["message"]) for d in items if d["code"] == "GK101"]
    assert missing == [
        (
            "GK101",
            line_of(text, "六、其他需要报告的事项"),
            "缺少国家年度报告格式和本省补充规定要求的「五、存在的主要问题及改进情况」部分",
        )
    ]


def test_province_pack_sections_are_the_six_plus_one():
    t = load_knowledge((str(PROVINCE),)).templates["2021-province"]
    assert [(s.key, s.ordinal, s.required) for s in t.sections] == [
        ("overview", 1, True),
        ("proactive", 2, True),
        ("applications", 3, True),
        ("review_litigation", 4, True),
        ("problems", 5, True),
        ("other", 6, True),
        ("platforms", 7, True),
    ]
    assert t.lineage == ("2021-province", "2021", "2019") and t.is_a("2021") and not t.builtin
    assert t.tables == load_knowledge().templates["2021"].tables
    assert t.markers == ()  # never inherited: the pack is chosen by name, not instead of 2021


def test_rules_apply_to_a_derived_pack_as_to_its_base(tmp_path, capsys):
    """Every rule that checks a 2021 report checks the province's too: the same findings, plus GK101."""
    report = EXAMPLES / "defective-arithmetic.txt"
    _, national = lint(report, "--template", "2021", capsys=capsys)
    _, derived = province(report, capsys)
    key = [(d["code"], d["line"], d["message"]) for d in national]
    assert len(key) > 3
    extra = [d for d in derived if (d["code"], d["line"], d["message"]) not in key]
    assert [(d["code"], "政务公开平台建设情况" in d["message"]) for d in extra] == [("GK101", True)]
    assert len(derived) == len(national) + 1


def test_province_pack_selected_from_config(tmp_path, capsys):
    (tmp_path / "gikcheck.toml").write_text(
        f'rule-packs = ["{PROVINCE.as_posix()}"]\ntemplate = "2021-province"\nselect = ["GK101"]\n', encoding="utf-8"
    )
    report = write(tmp_path, "r.txt", CLEAN_2021)
    code = main([str(report), "--format", "json"])
    items = json.loads(capsys.readouterr().out)
    assert code == 1 and [d["code"] for d in items] == ["GK101"] and "政务公开平台建设情况" in items[0]["message"]


def test_unknown_template_lists_the_loaded_ones(tmp_path, capsys):
    report = write(tmp_path, "r.txt", CLEAN_2021)
    assert main([str(report), "--isolated", "--template", "2021-province"]) == 2
    err = capsys.readouterr().err
    assert "`template`" in err and "2008、2019、2021" in err and "Traceback" not in err


# --- what rules ask of a template ---------------------------------------------------------------


def test_features_of_the_builtin_templates():
    t = load_knowledge().templates
    assert [tid for tid in t if t[tid].provides("tables")] == ["2019", "2021"]
    assert [tid for tid in t if t[tid].provides("ordered")] == ["2019", "2021"]
    assert [tid for tid in t if t[tid].provides("government-items")] == ["2019", "2021"]
    assert [tid for tid in t if t[tid].provides("outdated-labels")] == ["2021"]
    assert [tid for tid in t if t[tid].provides("table:active/art20_1.in_force")] == ["2021"]
    assert [tid for tid in t if t[tid].provides("table:applications/carried_in,carried_out")] == ["2019", "2021"]
    assert not t["2021"].provides("table:applications/no_such_row")
    with pytest.raises(ValueError):
        t["2021"].provides("colour")


def test_rule_requirements_name_known_features():
    tpl = load_knowledge().templates["2021"]
    assert all(isinstance(tpl.provides(f), bool) for rule in all_rules() for f in rule.requires)
    with pytest.raises(TypeError, match="unknown template feature"):

        class Misspelt(Rule):
            """示例"""

            code = "XY001"
            name = "misspelt"
            requires = ("table",)


def test_builtin_packs_pass_full_validation():
    """Start-up does not validate the built-in packs (it costs a cold run ~5 ms): here they are
    validated in full, their regexes compiled."""
    from gikcheck.packcheck import check_raw
    from gikcheck.packfiles import load_toml as _load_toml
    from gikcheck.packfiles import packs_dir

    packs = [p for p in sorted(packs_dir().glob("*.toml")) if "template" in _load_toml(p)]
    assert [p.stem for p in packs] == ["2008", "2019", "2021"]
    for p in packs:
        check_raw(_load_toml(p), str(p), patterns=True)


def test_deadlines_come_from_the_packs():
    t = load_knowledge().templates
    assert t["2008"].deadlines == {"department": "03-31", "government": "03-31", "township": "03-31"}
    assert t["2021"].deadlines == {"department": "01-31", "government": "03-31", "township": "03-31"}
    assert (t["2021"].deadline_basis, t["2021"].deadline_defaults) == ("《条例》第四十九条", ("township",))
    assert t["2008"].deadline_defaults == ()


# --- how extends merges ----------------------------------------------------------------------


def _pack(tmp_path: Path, body: str, name: str = "p.toml") -> str:
    return str(write(tmp_path, name, body))


def test_new_entries_follow_the_entry_written_before_them(tmp_path):
    p = _pack(
        tmp_path,
        'extends = "2021"\n[template]\nid = "x"\n'
        "[tables.applications]\nrows = [\n"
        '  { id = "r2" },\n'
        '  { id = "r2_1", label = "1.其中：涉密部分", parent = "r2" },\n'
        '  { id = "r7", short = "总计" },\n]\n'
        '[[sections]]\nkey = "audit"\ncanonical = "审计情况"\ninsert_before = "other"\n',
    )
    t = load_knowledge((p,)).templates["x"]
    rows = [r.id for r in t.tables["applications"].rows]
    base = [r.id for r in load_knowledge().templates["2021"].tables["applications"].rows]
    assert rows == base[: base.index("r2") + 1] + ["r2_1"] + base[base.index("r2") + 1 :]
    assert t.tables["applications"].row("r7").short == "总计"
    assert t.tables["applications"].row("r7").label == "（七）总计"  # merged field by field
    assert [s.key for s in t.sections][-2:] == ["audit", "other"]


def test_replace_and_remove(tmp_path):
    p = _pack(
        tmp_path,
        'extends = "2021"\n[template]\nid = "x"\n'
        '[[sections]]\nkey = "overview"\nreplace = true\ncanonical = "概况"\n'
        '[[sections]]\nkey = "other"\nremove = true\n'
        '[[sections]]\nkey = "review_litigation"\ntable = ""\n'
        "[tables.review]\nremove = true\n"
        '[tables.active]\nblocks = [{ id = "art20_8", remove = true }]\n',
    )
    t = load_knowledge((p,)).templates["x"]
    overview = t.section("overview")
    assert (overview.canonical, overview.titles, overview.aliases, overview.ordinal) == ("概况", ("概况",), (), 0)
    assert t.section("other") is None and "review" not in t.tables
    assert [b.id for b in t.tables["active"].blocks] == ["art20_1", "art20_5", "art20_6"]
    assert load_knowledge().templates["2021"].section("other") is not None  # the base is untouched


def test_same_id_refines_in_place(tmp_path):
    p = _pack(
        tmp_path,
        'extends = "2021"\n[template]\nid = "2021"\n'
        '[[sections]]\nkey = "innovation"\nordinal = 7\ncanonical = "年度工作创新情况"\n',
    )
    t = load_knowledge((p,)).templates["2021"]
    assert [s.key for s in t.sections] == [
        "overview",
        "proactive",
        "applications",
        "review_litigation",
        "problems",
        "other",
        "innovation",
    ]
    assert t.markers == load_knowledge().templates["2021"].markers and t.lineage == ("2021", "2019")


def test_pack_extends_another_user_pack(tmp_path):
    a = _pack(
        tmp_path,
        'extends = "2021-province"\n[template]\nid = "2021-city"\n'
        '[[sections]]\nkey = "platforms"\ncanonical = "政务公开平台和专区建设情况"\n',
        "city.toml",
    )
    t = load_knowledge((str(PROVINCE), a)).templates["2021-city"]
    assert t.lineage == ("2021-city", "2021-province", "2021", "2019")
    assert t.section("platforms").canonical == "政务公开平台和专区建设情况" and t.section("platforms").required


# --- validation: the file, the key, the fix; exit 2 ----------------------------------------------


@pytest.mark.parametrize(
    "body, needles",
    [
        (
            'extends = "2021"\n[template]\nid = "x"\n[[sections]]\nkey = "a"\ncanonical = "甲"\ntitel = ["甲"]\n',
            ["`sections[0].titel`", "是否应为 `titles`"],
        ),
        (
            'extends = "2021"\n[template]\nid = "x"\n[[sections]]\nkey = "a"\ncanonical = "甲"\nordinal = "七"\n',
            ["`sections[0].ordinal`", "整数"],
        ),
        (
            'extends = "2021"\n[template]\nid = "x"\n[[sections]]\nkey = "a"\ncanonical = "甲"\nkeywords = "(平台"\n',
            ["`sections[0].keywords`", "正则表达式"],
        ),
        (
            'extends = "2021"\n[template]\nid = "x"\n[[sections]]\nkey = "platform"\nremove = true\n',
            ['key = "platform"', "remove = true", "继承的模板没有这一项"],
        ),
        (
            'extends = "2021"\n[template]\nid = "x"\n'
            '[[sections]]\nkey = "a"\ncanonical = "甲"\ninsert_after = "others"\n',
            ["insert_after", '"others"'],
        ),
        (
            'extends = "2021"\n[template]\nid = "x"\n[[sections]]\nkey = "a"\nordinal = 7\n',
            ['key = "a"', "缺少 canonical"],
        ),
        (
            'extends = "2021"\n[template]\nid = "x"\n[[sections]]\nkey = "a"\ncanonical = "甲"\ntable = "platform"\n',
            ["table", '"platform"', "不存在"],
        ),
        (
            'extends = "2021"\n[template]\nid = "x"\n'
            '[tables.applications]\nrows = [{ id = "r9", label = "九", parent = "r8" }]\n',
            ["parent", '"r8"'],
        ),
        ('extends = "2022"\n[template]\nid = "x"\n', ["`extends`", '"2022"', "2008、2019、2021"]),
        ('extends = "2021"\n[template]\nname = "无 id"\n', ["`template.id`", "id = "]),
        ('[template]\nid = "2021"\n', ["`template.id`", 'extends = "2021"']),
        ('[[sections]]\nkey = "a"\ncanonical = "甲"\n', ["`template.id`", "缺失"]),
        ('[template]\nid = "x"\n[[sections]]\nkey = "a"\ncanonical = "甲"\nremove = true\n', ["remove", "extends"]),
        ('extends = "2021"\n[template]\nid = "x"\n[deadlines]\ntownship = "2-30"\n', ["`deadlines.township`", "MM-DD"]),
        ('extends = "2021"\n[template]\nid = "x"\n[tables.active]\nkind = "grids"\n', ["`tables.active.kind`", "grid"]),
        (
            'extends = "2021"\n[template]\nid = "x"\n'
            '[[sections]]\nkey = "a"\ncanonical = "甲"\n[[sections]]\nkey = "a"\n',
            ["sections[1]", "重复"],
        ),
    ],
)
def test_bad_pack_exit_2(tmp_path, capsys, body, needles):
    pack = _pack(tmp_path, body, "province.toml")
    report = write(tmp_path, "r.txt", CLEAN_2021)
    assert main([str(report), "--isolated", "--rule-pack", pack]) == 2
    err = capsys.readouterr().err
    assert "province.toml" in err and "Traceback" not in err
    for needle in needles:
        assert needle in err, (needle, err)


def test_extends_cycle(tmp_path):
    a = _pack(tmp_path, 'extends = "b"\n[template]\nid = "a"\n', "a.toml")
    b = _pack(tmp_path, 'extends = "a"\n[template]\nid = "b"\n', "b.toml")
    with pytest.raises(PackError, match="循环"):
        load_knowledge((a, b))
