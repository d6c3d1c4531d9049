"""Cross-document rules: GK308 carryover, GK309 stock, GK510 copied report."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from gikcheck.checks.crossdoc import fingerprint
from gikcheck.cli import main
from gikcheck.config import Settings
from gikcheck.engine import finish_run, lint_path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "crossdoc"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CROSS = "GK308,GK309,GK510"


def run(paths: list[Path], capsys, select: str = CROSS) -> list[dict]:
    main([*map(str, paths), "--isolated", "--format", "json", "--select", select, "--exit-zero"])
    return json.loads(capsys.readouterr().out)


def found(items: list[dict]) -> list[tuple[str, str, int]]:
    return sorted((Path(d["path"]).name, d["code"], d["line"]) for d in items)


def test_consistent_years_have_no_findings(capsys):
    assert run([FIXTURES / "consistent"], capsys) == []


def test_inconsistent_years(capsys):
    items = run([FIXTURES / "inconsistent"], capsys)
    assert found(items) == [
        ("baishui-2022.txt", "GK510", 1),
        ("qingshan-2022.txt", "GK308", 42),  # 自然人
        ("qingshan-2022.txt", "GK308", 42),  # 总计
        ("qingshan-2022.txt", "GK309", 24),
        ("qingshan-2022.txt", "GK510", 1),
    ]
    by_code = {}
    for d in items:
        by_code.setdefault((Path(d["path"]).name, d["code"]), []).append(d)
    carry = sorted(d["message"] for d in by_code[("qingshan-2022.txt", "GK308")])
    assert carry[1] == (
        "本年度（2022年）表三「二、上年结转」自然人列为 0，与上一年度报告（2021年，qingshan-2021.txt）"
        "「四、结转下年度继续办理」的 2 不一致"
    )
    assert "总计列为 0" in carry[0] and "的 2 不一致" in carry[0]
    d308 = by_code[("qingshan-2022.txt", "GK308")][0]
    assert d308["severity"] == "error"
    rel = d308["related"][0]
    assert "qingshan-2021.txt" in rel["message"] and rel["line"] == 65  # last year's 四、结转下年度继续办理 row
    (stock,) = by_code[("qingshan-2022.txt", "GK309")]
    assert stock["severity"] == "warning"
    assert stock["message"] == (
        "本年度（2022年）表二「行政规范性文件」现行有效件数为 3，但上一年度报告（2021年，qingshan-2021.txt）"
        "的现行有效件数 5 + 本年制发件数 1 − 本年废止件数 0 = 6"
    )
    (copied,) = by_code[("qingshan-2022.txt", "GK510")]
    assert copied["severity"] == "warning"
    assert "上一年度报告（2021年，qingshan-2021.txt）高度雷同" in copied["message"] and "%" in copied["message"]
    (sibling,) = by_code[("baishui-2022.txt", "GK510")]
    assert "2022年度「青山镇人民政府」的报告（qingshan-2022.txt）" in sibling["message"]
    assert "约 100%" in sibling["message"]


def test_a_report_alone_is_not_compared(capsys):
    assert run([FIXTURES / "inconsistent" / "qingshan-2022.txt"], capsys) == []


def test_mapping_file_names_agency_year_and_aliases(capsys):
    # report-a's title names no agency (the mapping file does); report-b's uses another name (an alias).
    items = run([FIXTURES / "mapped"], capsys)
    assert found(items) == [("report-b.txt", "GK308", 42), ("report-b.txt", "GK308", 42)]
    assert any("其他列为 1" in d["message"] and "report-a.txt" in d["message"] for d in items)


def test_mapping_is_needed(tmp_path, capsys):
    for name in ("report-a.txt", "report-b.txt"):
        shutil.copy(FIXTURES / "mapped" / name, tmp_path / name)
    assert run([tmp_path], capsys) == []


@pytest.mark.parametrize(
    "config_name, table", [("gikcheck.toml", "agencies"), ("pyproject.toml", "tool.gikcheck.agencies")]
)
def test_agencies_table_in_the_configuration(tmp_path, capsys, config_name, table):
    # The same mapping as the fixture's gikcheck-agencies.toml, as a table of the configuration.
    sub = tmp_path / "reports"
    sub.mkdir()
    for name in ("report-a.txt", "report-b.txt"):
        shutil.copy(FIXTURES / "mapped" / name, sub / name)
    (tmp_path / config_name).write_text(
        f'[{table}.files]\n"reports/report-a.txt" = {{ agency = "青山镇人民政府", year = 2021 }}\n'
        f'[{table}.aliases]\n"青山镇政府" = "青山镇人民政府"\n',
        encoding="utf-8",
    )
    for jobs in ("1", "2"):
        main([str(sub), "--format", "json", "--select", CROSS, "--exit-zero", "-j", jobs])
        items = json.loads(capsys.readouterr().out)
        assert found(items) == [("report-b.txt", "GK308", 42), ("report-b.txt", "GK308", 42)]


def test_two_reports_for_one_agency_and_year_are_not_compared(tmp_path, capsys):
    # Two agencies of one name (or one report twice): which is last year's cannot be told.
    for name in ("qingshan-2021.txt", "qingshan-2022.txt"):
        shutil.copy(FIXTURES / "inconsistent" / name, tmp_path / name)
    shutil.copy(FIXTURES / "inconsistent" / "qingshan-2021.txt", tmp_path / "other-qingshan-2021.txt")
    assert run([tmp_path], capsys, select="GK308,GK309") == []


def _agency_2021(text: str) -> str:
    return (
        text.replace("青山镇人民政府", "青山县交通运输局")
        .replace("青山镇", "青山县交通运输局")
        .replace("2023年1月16日", "2022年1月20日")
        .replace("2022年", "2021年")
        .replace("2023年", "2022年")
    )


def test_carryover_across_template_change(tmp_path, capsys):
    # 2020 (2019 format) → 2021 (2021 format): table three keeps its rows and columns.
    shutil.copy(EXAMPLES / "clean-2019.txt", tmp_path / "jt-2020.txt")
    (tmp_path / "jt-2021.txt").write_text(
        _agency_2021((EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")), encoding="utf-8"
    )
    items = run([tmp_path], capsys)
    assert found(items) == [("jt-2021.txt", "GK308", 42), ("jt-2021.txt", "GK308", 42)]
    assert all("jt-2020.txt" in d["message"] and "的 1 不一致" in d["message"] for d in items)
    # GK309 needs last year's 现行有效件数, which the 2019 format does not have: nothing reported.
    assert not any(d["code"] == "GK309" for d in items)


def test_severity_config_applies_to_cross_document_rules(capsys):
    main(
        [
            str(FIXTURES / "inconsistent"),
            "--isolated",
            "--format",
            "json",
            "--select",
            "GK308",
            "--config",
            'severity.GK308="warning"',
            "--exit-zero",
        ]
    )
    items = json.loads(capsys.readouterr().out)
    assert items and all(d["severity"] == "warning" for d in items)


def test_summaries_are_picklable():
    settings = Settings()
    result = lint_path(FIXTURES / "inconsistent" / "qingshan-2021.txt", settings).detach()
    assert {"GK308", "GK309", "GK510"} <= set(result.summaries)
    back = pickle.loads(pickle.dumps(result))
    assert back.summaries == result.summaries


def test_same_results_through_the_process_pool(tmp_path, capsys):
    from gikcheck.runner import POOL_THRESHOLD

    for i in range(POOL_THRESHOLD // 3 + 1):
        d = tmp_path / f"set{i:02d}"
        shutil.copytree(FIXTURES / "inconsistent", d)
    outs = []
    for jobs in ("1", "2"):
        main([str(tmp_path), "--isolated", "--format", "json", "--select", CROSS, "-j", jobs, "--exit-zero"])
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]
    assert len(json.loads(outs[0])) > 0


def test_finish_run_in_library_use():
    settings = Settings(select=("GK308",))
    results = [lint_path(p, settings).detach() for p in sorted((FIXTURES / "inconsistent").glob("*.txt"))]
    finish_run(results)
    assert [(Path(r.path).name, [d.code for d in r.diagnostics]) for r in results] == [
        ("baishui-2022.txt", []),
        ("qingshan-2021.txt", []),
        ("qingshan-2022.txt", ["GK308", "GK308"]),
    ]


# --- the similarity measure -------------------------------------------------------


def test_similarity_estimates():
    a = (
        "本机关全年围绕政务公开重点工作认真组织落实各项任务" * 3
        + "并建立信息发布协调机制和保密审查制度确保公开内容准确"
    )
    b = a.replace("保密审查制度", "专人负责制度")
    c = "乡村振兴项目资金使用情况在村务公开栏按月公示群众可随时查阅监督举报电话同时公布"
    sa, sb, sc = (fingerprint.sketch(x)[0] for x in (a, b, c))
    assert fingerprint.similarity(sa, sa) == 1.0
    assert 0.6 < fingerprint.similarity(sa, sb) < 1.0
    assert fingerprint.similarity(sa, sc) == 0.0
    assert fingerprint.similarity(sa, ()) == 0.0


def test_fixed_wording_is_excluded():
    from gikcheck.engine import knowledge_for

    fixed = fingerprint.template_hashes(knowledge_for(Settings()))
    text = "本报告中所列数据的统计期限为年月日至年月日本年新收政府信息公开申请数量结转下年度继续办理"
    # Only the shingles across the joins of the three fixed phrases are left.
    assert fingerprint.sketch(text)[1] > 30
    assert fingerprint.sketch(text, fixed)[1] <= 2 * (fingerprint.SHINGLE - 1)


def test_window_crcs_are_zlib_crc32_of_each_shingle():
    import random
    import zlib

    rnd = random.Random(3)
    width = 2 * fingerprint.SHINGLE
    for n in (1, 5, 300, 4000):
        han = "".join(rnd.choice("本机关全年围绕政务公开重点工作𠀀𠀁〇") for _ in range(n + fingerprint.SHINGLE - 1))
        data = han.encode("utf-16-le")
        want = [zlib.crc32(data[2 * i : 2 * i + width]) for i in range(n)]
        assert list(fingerprint._window_crcs(data, n)) == want
        # With a bound: every CRC under it, in order, and few others.
        below = 1 << 29
        kept = list(fingerprint._window_crcs(data, n, below))
        assert [h for h in kept if h < below] == [h for h in want if h < below]
        assert len(kept) <= len(want)


@pytest.mark.parametrize(
    "agency,names",
    [
        ("青山县交通运输局", ["青山县交通运输局", "青山县"]),
        ("青山镇人民政府", ["青山镇人民政府", "青山镇"]),
        ("", []),
    ],
)
def test_agency_names_removed_from_prose(agency, names):
    assert fingerprint.agency_names(agency) == names


def test_rules_are_documented():
    from gikcheck.registry import rule_by_code

    for code in ("GK308", "GK309", "GK510"):
        rule = rule_by_code(code)
        assert rule is not None and rule.scope == "run"
        text = rule.explanation()
        for heading in ("**检查什么**", "**依据**", "**错误示例**", "**正确示例**"):
            assert heading in text


def test_sketch_keeps_the_smallest_value_of_each_bin():
    import random

    from gikcheck.engine import knowledge_for

    rnd = random.Random(11)
    fixed = fingerprint.template_hashes(knowledge_for(Settings()))
    for n in (40, 900, 6000):
        han = "".join(rnd.choice("本机关全年围绕政务公开重点工作报告年度申请") for _ in range(n))
        hs = fingerprint._hashes(han) - fixed
        cutoff = min(1 << 32, ((8 * fingerprint.SKETCH) << 32) // (n - fingerprint.SHINGLE + 1))
        limit = -(-cutoff // fingerprint.SKETCH) * fingerprint.SKETCH
        kept = [h for h in hs if h < limit]
        want = [-1] * fingerprint.SKETCH
        for h in kept:
            b, v = h & (fingerprint.SKETCH - 1), h // fingerprint.SKETCH
            want[b] = v if want[b] < 0 else min(want[b], v)
        sk, count = fingerprint.sketch(han, fixed)
        assert list(sk) == want
        assert count == len(kept) * (1 << 32) // cutoff
