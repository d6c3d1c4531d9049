"""Configuration: discovery, validation, precedence (CLI over file)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gikcheck.cli import main
from gikcheck.config import ConfigError, Resolver, Settings, apply, find_config
from gikcheck.diagnostics import Severity

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def project(tmp_path):
    find_config.cache_clear()
    sub = tmp_path / "reports" / "2022"
    sub.mkdir(parents=True)
    shutil.copy(EXAMPLES / "defective-arithmetic.txt", sub / "r.txt")
    yield tmp_path, sub / "r.txt"
    find_config.cache_clear()


def codes_of(args, capsys):
    code = main([str(a) for a in args] + ["--format", "json"])
    return code, {d["code"] for d in json.loads(capsys.readouterr().out)}


def test_gikcheck_toml_found_upward(project, capsys):
    root, report = project
    (root / "gikcheck.toml").write_text('ignore = ["GK303"]\n', encoding="utf-8")
    _code, found = codes_of([report], capsys)
    assert "GK303" not in found and "GK301" in found


def test_pyproject_tool_table(project, capsys):
    root, report = project
    (root / "pyproject.toml").write_text('[tool.gikcheck]\nselect = ["GK304"]\n', encoding="utf-8")
    assert codes_of([report], capsys)[1] == {"GK304"}


def test_another_projects_pyproject_is_not_read(project, capsys):
    """A pyproject.toml that does not name gikcheck cannot configure it: it is passed over
    unparsed, even when it is broken, and a closer one that configures gikcheck still counts."""
    root, report = project
    (root / "pyproject.toml").write_text('[tool.other\nx = "unclosed\n', encoding="utf-8")
    code, found = codes_of([report], capsys)
    assert code == 1 and {"GK301", "GK303"} <= found
    (report.parent / "pyproject.toml").write_text('[tool."gikcheck"]\nselect = ["GK304"]\n', encoding="utf-8")
    find_config.cache_clear()
    assert codes_of([report], capsys)[1] == {"GK304"}
    (report.parent / "pyproject.toml").write_text('[tool.gikcheck\nselect = ["GK304"]\n', encoding="utf-8")
    find_config.cache_clear()
    assert main([str(report)]) == 2 and "不是合法的 TOML" in capsys.readouterr().err


def test_closest_config_wins(project, capsys):
    root, report = project
    (root / "gikcheck.toml").write_text('select = ["GK304"]\n', encoding="utf-8")
    (report.parent / "gikcheck.toml").write_text('select = ["GK301"]\n', encoding="utf-8")
    assert codes_of([report], capsys)[1] == {"GK301"}


def test_cli_overrides_config(project, capsys):
    root, report = project
    (root / "gikcheck.toml").write_text('select = ["GK304"]\nfail-on = "error"\n', encoding="utf-8")
    assert codes_of([report, "--select", "GK302"], capsys)[1] == {"GK302"}


def test_severity_override_and_fail_on(project, capsys):
    root, report = project
    (root / "gikcheck.toml").write_text('select = ["GK304"]\n[severity]\nGK3 = "warning"\n', encoding="utf-8")
    code, found = codes_of([report], capsys)
    assert found == {"GK304"} and code == 0  # a warning does not fail at fail-on = error
    (root / "gikcheck.toml").write_text(
        'select = ["GK304"]\nfail-on = "warning"\n[severity]\nGK3 = "warning"\n', encoding="utf-8"
    )
    find_config.cache_clear()
    assert codes_of([report], capsys)[0] == 1


def test_per_file_ignores(project, capsys):
    root, report = project
    (root / "gikcheck.toml").write_text('[per-file-ignores]\n"reports/2022/*.txt" = ["GK3"]\n', encoding="utf-8")
    assert not any(c.startswith("GK3") for c in codes_of([report], capsys)[1])


def test_template_and_year_settings(project, capsys):
    root, report = project
    (root / "gikcheck.toml").write_text('template = "2008"\nselect = ["GK2", "GK3"]\n', encoding="utf-8")
    # On the 2008 template there are no tables to check.
    assert codes_of([report], capsys)[1] == set()


@pytest.mark.parametrize(
    "content, needle",
    [
        ('selct = ["GK1"]\n', "select"),  # typo: suggests the right key
        ('select = "GK1" = 2\n', "TOML"),  # not TOML
        ('select = ["GK999"]\n', "GK999"),
        ('fail-on = "fatal"\n', "fail-on"),
        ('template = "2030"\n', "template"),
        ('report-year = "abc"\n', "report-year"),
        ('deadlines = { township = "2-30x" }\n', "deadlines"),
        ('rule-packs = ["missing.toml"]\n', "missing.toml"),
        ("[agencies]\nfile = {}\n", "agencies"),
        ('[agencies.files]\n"a/*.txt" = 3\n', "agencies.files"),
        ('[agencies.files]\n"a.txt" = { agency = "甲", year = 21 }\n', "year"),
        ('[agencies.aliases]\n"甲局" = 1\n', "agencies.aliases"),
    ],
)
def test_malformed_config_exit_2(project, capsys, content, needle):
    root, report = project
    (root / "gikcheck.toml").write_text(content, encoding="utf-8")
    code = main([str(report)])
    err = capsys.readouterr().err
    assert code == 2 and needle in err and "Traceback" not in err


def test_isolated_ignores_config(project, capsys):
    root, report = project
    (root / "gikcheck.toml").write_text('select = ["GK304"]\n', encoding="utf-8")
    assert "GK301" in codes_of([report, "--isolated"], capsys)[1]


def test_apply_validates_types():
    s = apply(Settings(), {"select": ["GK1"], "severity": {"GK101": "warning"}, "report-year": 2022}, "t")
    assert s.select == ("GK1",) and s.severity_map == {"GK101": Severity.WARNING} and s.report_year == 2022
    with pytest.raises(ConfigError):
        apply(Settings(), {"severity": ["GK101"]}, "t")


def test_agencies_table(tmp_path):
    data = {
        "agencies": {
            "files": {
                "jt/*.txt": "青山县交通运输局",
                "2021/b.txt": {"agency": "白水镇人民政府", "year": 2021},
                "old/c.txt": {"year": 2020},
            },
            "aliases": {"青山县交通局": "青山县交通运输局"},
        }
    }
    s = apply(Settings(), data, "t", tmp_path)
    assert s.agency_files == (
        ("jt/*.txt", "青山县交通运输局", None),
        ("2021/b.txt", "白水镇人民政府", 2021),
        ("old/c.txt", "", 2020),
    )
    assert s.agency_aliases == (("青山县交通局", "青山县交通运输局"),)
    assert s.agency_base == str(tmp_path.resolve())
    import pickle

    assert pickle.loads(pickle.dumps(s)) == s and hash(s) == hash(pickle.loads(pickle.dumps(s)))


def test_user_rule_pack_extends_builtin(project, capsys):
    root, report = project
    # A province refining the 2021 format in place (same id) with a seventh required section:
    # the six inherited sections stay required, so a report without its third one gets two GK101.
    (root / "province.toml").write_text(
        'extends = "2021"\n[template]\nid = "2021"\nname = "2021 格式(本省要求)"\n'
        '[[sections]]\nkey = "innovation"\nordinal = 7\ncanonical = "年度工作创新情况"\n',
        encoding="utf-8",
    )
    (root / "gikcheck.toml").write_text('rule-packs = ["province.toml"]\nselect = ["GK101"]\n', encoding="utf-8")
    code = main([str(report), "--format", "json"])
    items = json.loads(capsys.readouterr().out)
    assert code == 1 and [d["code"] for d in items] == ["GK101"] and "年度工作创新情况" in items[0]["message"]
    text = report.read_text(encoding="utf-8")
    start, end = text.index("三、收到和处理政府信息公开申请情况"), text.index("四、政府信息公开行政复议、行政诉讼情况")
    report.write_text(text[:start] + text[end:], encoding="utf-8")
    code = main([str(report), "--format", "json"])
    messages = sorted(d["message"] for d in json.loads(capsys.readouterr().out))
    assert code == 1 and len(messages) == 2
    assert messages == [
        "缺少《条例》第五十条及年度报告格式要求的「七、年度工作创新情况」部分",
        "缺少《条例》第五十条及年度报告格式要求的「三、收到和处理政府信息公开申请情况」部分",
    ]


def test_resolver_caches_per_config(project):
    root, report = project
    (root / "gikcheck.toml").write_text('select = ["GK1"]\n', encoding="utf-8")
    r = Resolver()
    assert r.for_path(report) is r.for_path(report)


def test_inline_config_override(project, capsys):
    root, report = project
    (root / "gikcheck.toml").write_text('select = ["GK304"]\n', encoding="utf-8")
    code, found = codes_of([report, "--config", 'severity.GK304 = "info"'], capsys)
    assert found == {"GK304"} and code == 0
    assert codes_of([report, "--config", 'select = ["GK301"]'], capsys)[1] == {"GK301"}
    assert main([str(report), "--config", "select = [GK301"]) == 2
    assert main([str(report), "--config", "missing.toml"]) == 2
