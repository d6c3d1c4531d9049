"""tools/search_twins.py: the candidates it writes and the text it compares (no rendering here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import search_twins


def test_a_written_candidate_changes_only_its_rows_and_keeps_the_printed_totals() -> None:
    figures = search_twins.TABLE3["township-2020-blank"][0]()
    t = search_twins.written(figures, "r7=0,15,1,0,0,0;r6=0,1,0,0,0,0")
    assert t["r7"] == [0, 15, 1, 0, 0, 0] and t["r6"] == [0, 1, 0, 0, 0, 0]
    assert t["totals"]["r7"] == 16 and t["totals"]["r6"] == 1  # 总计 printed as the original's
    assert t["r1"] == figures["r1"]
    assert figures["r7"] == [15, 1, 0, 0, 0, 0]  # the original is not touched


@pytest.mark.parametrize("spec", ["r7=15,0,1", "r99=0,0,0,0,0,0", "r7=a,0,0,0,0,0"])
def test_a_candidate_that_is_not_six_figures_of_a_row_is_refused(spec: str) -> None:
    figures = search_twins.TABLE3["township-2020-blank"][0]()
    with pytest.raises(ValueError):
        search_twins.written(figures, spec)


def test_the_print_time_is_left_out_in_both_pdftotext_forms() -> None:
    """Chromium's header: the time alone on its line (plain) or before the title (-layout)."""
    text = "\f12/4/26, 5:49 AM      石桥镇人民政府2020年报告\n一、总体情况\n12/4/26, 1:34 PM\n12/4/26 行"
    assert search_twins._comparable(text) == ["一、总体情况", "12/4/26 行"]


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert search_twins.main(["township-2020-blank", "lo-pdftotext-layout"]) == 2
    assert search_twins.main(["township-2020-blank", "lo-pdftotext-layout", "--set", "r7=1"]) == 2
    assert search_twins.main(["township-2020-blank", "lo-pdftotext-layout", "--rows", "r99"]) == 2
    assert "r99" in capsys.readouterr().err
