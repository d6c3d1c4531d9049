"""GK4xx (years and dates): each rule on defective and clean reports, exact codes at exact lines.

Defective reports are made from tests/fixtures/text/clean.txt (a department's
2022 report, signed 2023-01-16) or tests/fixtures/dates/*.txt by one edit.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import edit, findings, fixture, line_of, settings

from gikcheck.engine import check_text

CLEAN = fixture("text/clean.txt")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def messages(text: str, code: str, **kw) -> list[str]:
    return [d.message for d in check_text(text, "fixture.txt", settings(select=[code], **kw))]


@pytest.mark.parametrize("name", ["clean-2008.txt", "clean-2019.txt", "clean-2021.txt"])
def test_clean_examples_have_no_date_findings(name):
    assert findings((EXAMPLES / name).read_text(encoding="utf-8"), "GK4") == []


def test_clean_fixture_has_no_date_findings():
    assert findings(CLEAN, "GK4") == []


# --- GK401 report-year -----------------------------------------------------------


def test_gk401_year_unknown():
    text = fixture("dates/no-year.txt")
    assert findings(text, "GK401") == [("GK401", 1)]


def test_gk401_title_and_body_disagree():
    text = edit(CLEAN, "本报告根据", "现将2021年度政府信息公开工作情况报告如下。本报告根据")
    assert findings(text, "GK401") == [("GK401", line_of(text, "现将2021年度"))]
    assert "2021" in messages(text, "GK401")[0] and "2022" in messages(text, "GK401")[0]


def test_gk401_title_and_period_disagree():
    text = edit(CLEAN, "统计期限为2022年1月1日至2022年12月31日", "统计期限为2021年1月1日至2021年12月31日")
    assert findings(text, "GK4") == [("GK401", line_of(text, "统计期限为2021"))]


def test_gk401_repeated_title_is_no_contradiction():
    text = edit(CLEAN, "本报告根据", "青山县交通运输局2022年度政府信息公开工作年度报告\n\n本报告根据")
    assert findings(text, "GK401") == []


# --- GK402 year-mismatch ---------------------------------------------------------


def test_gk402_plans_dated_in_the_report_year_inline():
    text = edit(CLEAN, "2023年，我局将每季度", "下一步，2022年我局将每季度")
    assert findings(text, "GK402") == [("GK402", line_of(text, "下一步，2022年"))]


def test_gk402_plans_section_dated_in_the_report_year():
    text = fixture("dates/plans-2018.txt")
    assert findings(text, "GK402") == [("GK402", line_of(text, "2018年，我镇将"))]
    msg = messages(text, "GK402")[0]
    assert "下步打算" in msg and "2019" in msg


def test_gk402_plans_for_next_year_are_fine():
    ok = edit(fixture("dates/plans-2018.txt"), "2018年，我镇将", "2019年，我镇将")
    assert findings(ok, "GK402") == []


def test_gk402_as_of_another_year_end():
    text = edit(
        CLEAN, "全年主动公开政府信息124条。", "全年主动公开政府信息124条。截至2021年底，累计公开政府信息1200条。"
    )
    assert findings(text, "GK402") == [("GK402", line_of(text, "截至2021年底"))]
    same = edit(
        CLEAN, "全年主动公开政府信息124条。", "全年主动公开政府信息124条。截至2022年底，累计公开政府信息1200条。"
    )
    assert findings(same, "GK402") == []


def test_gk402_period_contradicts_configured_year():
    assert findings(CLEAN, "GK402", report_year=2021) == [("GK402", line_of(CLEAN, "统计期限为"))]


# --- GK403 late-publication ------------------------------------------------------


def test_gk403_department_after_january_31():
    text = edit(CLEAN, "2023年1月16日", "2023年4月2日")
    assert findings(text, "GK403") == [("GK403", line_of(text, "2023年4月2日"))]
    msg = messages(text, "GK403")[0]
    assert "2023年4月2日" in msg and "县级以上人民政府部门" in msg and "2023年1月31日" in msg and "第四十九条" in msg


def test_gk403_township_default_and_config_override():
    text = fixture("dates/township.txt")
    assert findings(text, "GK403") == []  # signed 2023-03-15, township default 03-31
    assert findings(text, "GK403", deadlines={"township": "02-20"}) == [("GK403", line_of(text, "2023年3月15日"))]
    assert "2023年2月20日" in messages(text, "GK403", deadlines={"township": "02-20"})[0]


def test_gk403_publication_date():
    text = edit(CLEAN, "本报告根据", "发布时间：2023-02-10 09:00\n\n本报告根据")
    assert findings(text, "GK403") == [("GK403", line_of(text, "2023-02-10"))]


def test_gk403_2008_template_deadline_is_march_31():
    old = (EXAMPLES / "clean-2008.txt").read_text(encoding="utf-8")
    assert findings(old, "GK403") == []
    late = edit(old, "2016年3月10日", "2016年4月1日")
    assert findings(late, "GK403") == [("GK403", line_of(late, "2016年4月1日"))]


def test_gk403_a_date_inside_a_sentence_is_no_signature():
    text = edit(CLEAN, "青山县交通运输局\n2023年1月16日", "本报告于2023年4月2日修订。")
    assert findings(text, "GK403") == []


# --- GK404 invalid-date ----------------------------------------------------------


def test_gk404_impossible_dates():
    text = edit(CLEAN, "均在法定期限内答复。", "均在法定期限内答复，最晚一件于2022年2月30日答复。")
    text = edit(text, "更新栏目12个", "于13月更新栏目12个")
    assert findings(text, "GK404") == [("GK404", line_of(text, "2022年2月30日")), ("GK404", line_of(text, "于13月"))]


def test_gk404_future_date_but_not_a_planned_one():
    text = edit(CLEAN, "2023年1月16日", "2099年1月16日")
    assert findings(text, "GK404") == [("GK404", line_of(text, "2099年1月16日"))]
    planned = edit(CLEAN, "并于2023年6月30日前完成", "并于2099年6月30日前完成")
    assert findings(planned, "GK404") == []


def test_gk404_leap_day():
    ok = edit(CLEAN, "均在法定期限内答复。", "均在法定期限内答复，其中1件于2020年2月29日收到。")
    assert findings(ok, "GK404") == []
    bad = edit(CLEAN, "均在法定期限内答复。", "均在法定期限内答复，其中1件于2022年2月29日收到。")
    assert findings(bad, "GK404") == [("GK404", line_of(bad, "2022年2月29日"))]


# --- GK405 statistics-period -----------------------------------------------------


def test_gk405_period_left_blank():
    text = edit(CLEAN, "统计期限为2022年1月1日至2022年12月31日", "统计期限自年月日起至年12月31日止")
    assert findings(text, "GK405") == [("GK405", line_of(text, "统计期限自"))]


def test_gk405_period_not_a_calendar_year():
    text = edit(CLEAN, "至2022年12月31日", "至2022年11月30日")
    assert findings(text, "GK405") == [("GK405", line_of(text, "至2022年11月30日"))]
    assert "不是一个完整的自然年" in messages(text, "GK405")[0]


# --- the development corpus ------------------------------------------------------


def test_corpus_expectations_for_dates(shared_corpus):
    _expect(shared_corpus, "GK4")


def _expect(corpus: Path, prefix: str) -> None:
    with (corpus / "expect.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#") and r[1].startswith(prefix)]
    assert rows
    failures, cache = [], {}
    for name, code, expect, *_ in rows:
        if name not in cache:
            text = (corpus / name).read_text(encoding="utf-8")
            cache[name] = {d.code for d in check_text(text, name, settings(select=[prefix]))}
        if (code in cache[name]) != (expect == "yes"):
            failures.append(f"{name} {code} expected {expect}")
    assert failures == []


def test_gk401_a_mention_of_last_years_report_is_no_self_reference():
    text = edit(
        CLEAN,
        "2022年，我局政策解读形式较为单一。",
        "对照2021年度政府信息公开工作年度报告所列问题，2022年，我局政策解读形式较为单一。",
    )
    assert findings(text, "GK401") == []


def test_gk403_unknown_level_gets_the_latest_deadline():
    text = (
        "2022年政府信息公开工作年度报告\n\n本报告中所列数据的统计期限为2022年1月1日至2022年12月31日。\n\n"
        "一、总体情况\n\n2022年，主动公开政府信息86条。\n\n2023年3月20日\n"
    )
    assert findings(text, "GK403") == []
    late = edit(text, "2023年3月20日", "2023年4月2日")
    assert findings(late, "GK403") == [("GK403", line_of(late, "2023年4月2日"))]
    assert "层级不明" in messages(late, "GK403")[0]


def test_gk402_building_on_the_report_year_is_no_plan_for_it():
    ok = edit(fixture("dates/plans-2018.txt"), "2018年，我镇将", "在2018年工作的基础上，2019年我镇将")
    assert findings(ok, "GK402") == []
