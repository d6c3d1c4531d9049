"""The rule registry: codes and names are a contract (shared/spec/rules.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gikcheck.registry import all_rules, rule_by_code, selected
from gikcheck.rule import Rule

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "rules.md"


def test_codes_unique_and_documented():
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert r.summary() and "检查什么" in r.explanation(), r.code


def test_codes_names_severities_match_the_catalogue():
    if not SPEC.is_file():
        pytest.skip("../shared/spec is not available")
    catalogue = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(
            r"^\| (GK\d{3}) \| ([a-z-]+) \| (error|warning|info) \|", SPEC.read_text(encoding="utf-8"), re.M
        )
    }
    for r in all_rules():
        assert r.code in catalogue, r.code
        assert (r.name, str(r.default_severity)) == catalogue[r.code], r.code


def test_core_rules_are_all_registered():
    codes = {r.code for r in all_rules()}
    expected = {
        "GK001",
        "GK002",
        "GK003",
        *(f"GK10{i}" for i in range(1, 8)),
        *(f"GK20{i}" for i in range(1, 7)),
        "GK301",
        "GK302",
        "GK303",
        "GK304",
    }
    assert expected <= codes


def test_selection_by_prefix_name_and_all():
    assert {r.code for r in selected(["GK30"], [])} >= {"GK301", "GK302", "GK303", "GK304"}
    assert [r.code for r in selected(["application-balance"], [])] == ["GK301"]
    assert len(selected(["ALL"], ["GK1"])) == len(all_rules()) - len(
        [r for r in all_rules() if r.code.startswith("GK1")]
    )
    assert rule_by_code("gk301").name == "application-balance"


def test_a_rule_needs_code_name_and_docstring():
    with pytest.raises(TypeError):

        class NoDoc(Rule):
            code = "GK999"
            name = "no-doc"

    with pytest.raises(TypeError):

        class BadName(Rule):
            """说明"""

            code = "GK998"
            name = "Bad_Name"


def test_third_party_plugin_registers_rules():
    """A plugin registers a rule exactly as the built-ins do."""
    from conftest import registered

    from gikcheck.diagnostics import Span
    from gikcheck.engine import check_text

    class NoSmiley(Rule):
        """报告中不应出现表情符号

        **检查什么** 示例插件规则。
        """

        code = "XY001"
        name = "no-smiley"

        def check(self, report, ctx):
            i = report.doc.text.find("☺")
            if i >= 0:
                yield ctx.diagnostic(Span(i, i + 1), "报告中出现了表情符号")

    with registered(NoSmiley):
        diags = check_text("青山镇2022年政府信息公开工作年度报告\n一、总体情况 ☺\n")
    assert any(d.code == "XY001" and d.location.line == 2 for d in diags)


def test_entry_point_scan_agrees_with_importlib_metadata():
    from importlib.metadata import entry_points

    from gikcheck.plugins import entry_points_of

    assert entry_points_of("gikcheck") == sorted((e.name, e.value) for e in entry_points(group="gikcheck"))
    assert any(v == "gikcheck.checks.arithmetic" for _, v in entry_points_of("gikcheck"))
