"""Phrase rules declared as data (gikcheck/phrases.py): the built-in ones of rules/phrases.toml,
and a user's pack that declares a new one, end to end from a directory with a gikcheck.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import line_of
from test_rule_examples import check_examples

from gikcheck import registry
from gikcheck.cli import main
from gikcheck.diagnostics import Severity
from gikcheck.phrases import PhraseRule

ROOT = Path(__file__).resolve().parents[1]
CLEAN = (ROOT / "examples" / "clean-2021.txt").read_text(encoding="utf-8")

PACK = '''
[[phrase-rule]]
code = "GK901"
name = "house-term"
kind = "substitution"
severity = "warning"
summary = "本单位用语：写「政务公开」，不写「政务公示」"
explanation = """
**检查什么** 本单位的年度报告统一写「政务公开」。

**依据** 本单位公文用语规范。

**错误示例** 全年开展政务公示培训2次。

**正确示例** 全年开展政务公开培训2次。
"""
examples_in = "2021 para:六、"
message = "「{found}」不合本单位用语，应为「{right}」"
help = "改为「{right}」"

[phrase-rule.swap]
"政务公示" = "政务公开"

[[phrase-rule]]
code = "GK902"
name = "no-slogan"
summary = "年度报告不用口号"
explanation = """
**检查什么** 口号式的表述。

**错误示例** 撸起袖子加油干。

**正确示例** 全年开展培训2次。
"""
message = "口号：「{found}」（「{context}」）"
phrases = ["撸起袖子加油干"]
patterns = [{ pattern = '加油干\\s*！', what = "感叹" }]
'''

BAD_LINE = "全年开展政务公示培训2次，撸起袖子加油干。"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A directory with a gikcheck.toml naming house.toml, and a report with one of each slip."""
    (tmp_path / "gikcheck.toml").write_text('rule-packs = ["house.toml"]\n', encoding="utf-8")
    (tmp_path / "house.toml").write_text(PACK, encoding="utf-8")
    report = CLEAN.replace("\n六、", f"\n{BAD_LINE}\n\n六、", 1)
    (tmp_path / "report.txt").write_text(report, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    registry.reset()  # the pack's rules are this test's only


def run(args, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_builtin_phrase_rules_are_declared_in_phrases_toml():
    rules = {r.code: r for r in registry.all_rules() if issubclass(r, PhraseRule)}
    assert {
        c: (r.name, r.kind, r.default_severity, r.fixable, r.group_by, Path(r.source).name) for c, r in rules.items()
    } == {
        "GK501": ("placeholder", "existence", Severity.ERROR, False, "section", "phrases.toml"),
        "GK502": ("web-residue", "existence", Severity.WARNING, False, "block", "phrases.toml"),
        "GK505": ("misspelt-term", "substitution", Severity.ERROR, True, "section", "phrases.toml"),
        "GK508": ("vague-figure", "existence", Severity.INFO, False, None, "phrases.toml"),
    }
    assert rules["GK505"].explanation().startswith("**检查什么** 报告中的固定用语与规定写法不一致")


def test_user_pack_declares_a_phrase_rule_end_to_end(project, capsys):
    report = (project / "report.txt").read_text(encoding="utf-8")
    line = line_of(report, BAD_LINE)
    code, out, err = run(["report.txt", "--format", "json"], capsys)
    assert (code, err) == (0, "")  # warnings only: below the default fail-on
    found = [(d["code"], d["line"], d["column"], d["message"]) for d in json.loads(out) if d["code"].startswith("GK9")]
    assert found == [
        ("GK901", line, 5, "「政务公示」不合本单位用语，应为「政务公开」"),
        (
            "GK902",
            line,
            14,
            "口号：「撸起袖子加油干」（「示培训2次，撸起袖子加油干。  六、其」）",
        ),  # 6 characters either side
    ]
    # The rules are listed and explained like the built-in ones, from the pack's data.
    code, out, _ = run(["rules", "--format", "json"], capsys)
    listed = {r["code"]: r for r in json.loads(out)}
    assert listed["GK901"] == {
        "code": "GK901",
        "name": "house-term",
        "severity": "warning",
        "summary": "本单位用语：写「政务公开」，不写「政务公示」",
        "templates": ["2008", "2019", "2021"],
        "fixable": True,
    }
    code, out, _ = run(["explain", "GK901"], capsys)
    assert code == 0 and "**错误示例** 全年开展政务公示培训2次。" in out and "可自动修复" in out
    # The substitution's fix puts the right form in.
    code, _, _ = run(["report.txt", "--fix", "--select", "GK901"], capsys)
    assert BAD_LINE.replace("政务公示", "政务公开") in (project / "report.txt").read_text(encoding="utf-8")


def test_user_pack_rule_applies_only_where_its_configuration_does(project, capsys):
    code, out, _ = run(["report.txt", "--isolated", "--format", "json"], capsys)
    assert code == 0 and [d for d in json.loads(out) if d["code"].startswith("GK9")] == []


def test_user_pack_rule_runs_its_examples(project):
    check_examples(registry.rule_by_code("GK901") or _declared("GK901"), rule_packs=[str(project / "house.toml")])


def _declared(code: str):
    from gikcheck.phrases import declare_pack_rules

    declare_pack_rules([str(Path.cwd() / "house.toml")])
    return registry.rule_by_code(code)


BROKEN = [
    ('code = "GK901"', 'code = "GK505"', "GK505", "代码已被"),
    ('code = "GK901"', 'code = "gk1"', "`code`", "GK901"),
    ('name = "house-term"', 'name = "House Term"', "`name`", "小写字母"),
    ('severity = "warning"', 'severity = "fatal"', "`severity`", "error、warning 或 info"),
    ('kind = "substitution"', 'kind = "occurrence"', "`kind`", "existence 或 substitution"),
    (
        'message = "「{found}」不合本单位用语，应为「{right}」"',
        'mesage = "x"',
        "`mesage`",
        "不是 substitution 规则的键",
    ),
    ('message = "口号：「{found}」（「{context}」）"', 'message = "口号：{where}"', "`message`", "{where}"),
    ("加油干\\s*！", "加油干(\\s*！", "`patterns[1].pattern`", "不是合法的正则表达式"),
    ('phrases = ["撸起袖子加油干"]', 'phrases = "撸起袖子加油干"', "`phrases`", "类型不对"),
    ('"政务公示" = "政务公开"', '"政务公示" = ""', "`swap`", "不能为空"),
]


@pytest.mark.parametrize("old,new,key,why", BROKEN, ids=[b[2] for b in BROKEN])
def test_malformed_phrase_rules_exit_2_naming_file_and_key(project, capsys, old, new, key, why):
    assert old in PACK
    (project / "house.toml").write_text(PACK.replace(old, new, 1), encoding="utf-8")
    for args in (["report.txt"], ["rules"], ["explain", "GK902"]):
        code, out, err = run(args, capsys)
        assert code == 2 and out == "" and "Traceback" not in err, (args, err)
        assert "配置错误" in err and str(project / "house.toml") in err and key in err and why in err, err


def test_an_edited_pack_is_read_again(project, capsys):
    # As in an editor session: the pack changes while the process lives on.
    run(["report.txt"], capsys)
    (project / "house.toml").write_text(
        PACK.split('[[phrase-rule]]\ncode = "GK902"')[0].replace("不合本单位用语", "不合用语"), encoding="utf-8"
    )
    _code, out, _ = run(["report.txt", "--format", "json"], capsys)
    assert [(d["code"], d["message"]) for d in json.loads(out) if d["code"].startswith("GK9")] == [
        ("GK901", "「政务公示」不合用语，应为「政务公开」")
    ]


def test_a_plugin_pack_declares_phrase_rules_for_every_report(tmp_path):
    # A plugin's packs (gikcheck_rule_packs) apply wherever the plugin is installed, config or not.
    from gikcheck import plugins
    from gikcheck.engine import check_text

    pack = tmp_path / "plugin.toml"
    pack.write_text(PACK.split('[[phrase-rule]]\ncode = "GK902"')[0].replace('"GK901"', '"XY002"'), encoding="utf-8")

    class Plugin:
        @plugins.hookimpl
        def gikcheck_rule_packs(self):
            return [str(pack)]

    pm = plugins.get_plugin_manager()
    plugin = Plugin()
    pm.register(plugin)
    registry.reset()
    try:
        text = CLEAN.replace("\n六、", f"\n{BAD_LINE}\n\n六、", 1)
        diags = check_text(text, "fixture.txt")
        assert [(d.code, d.location.line) for d in diags if d.code == "XY002"] == [("XY002", line_of(text, BAD_LINE))]
        assert registry.rule_by_code("house-term").code == "XY002"
    finally:
        pm.unregister(plugin)
        registry.reset()
    assert registry.rule_by_code("XY002") is None


def test_every_shipped_pattern_compiles() -> None:
    """Patterns of the packs in rules/ are compiled on first need, not when the pack is read
    (gikcheck/phrases.py trusts them): this is where a broken one is caught."""
    import regex

    shipped = [c for c in registry.all_rules() if issubclass(c, PhraseRule) and c.pack is None]
    assert {c.code for c in shipped} >= {"GK501", "GK502", "GK505", "GK508"}
    for cls in shipped:
        assert cls.searches, cls.code
        for pattern, _ in cls.searches:
            assert isinstance(pattern.compiled, regex.Pattern), (cls.code, pattern.source)


def test_a_broken_pattern_in_a_user_pack_is_refused_when_read(tmp_path: Path) -> None:
    from gikcheck.packfiles import PackError
    from gikcheck.phrases import rules_in

    pack = tmp_path / "broken.toml"
    pack.write_text(
        PACK.replace('name = "house-term"', 'name = "house-term"\npatterns = [{ pattern = "政务(公示", right = "x" }]'),
        encoding="utf-8",
    )
    with pytest.raises(PackError, match="不是合法的正则表达式"):
        rules_in(pack, pack=str(pack))
