"""Many files: the process pool gives the same results in the same order; run-scope rules see all reports."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from conftest import registered

from gikcheck.cli import main
from gikcheck.runner import POOL_THRESHOLD

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_parallel_equals_sequential(tmp_path, capsys):
    names = sorted(p.name for p in EXAMPLES.glob("*.txt"))
    for i in range(POOL_THRESHOLD + 2):
        src = EXAMPLES / names[i % len(names)]
        shutil.copy(src, tmp_path / f"{i:03d}-{src.name}")
    outs = []
    for jobs in ("1", "2"):
        code = main([str(tmp_path), "--isolated", "--format", "json", "-j", jobs])
        outs.append((code, capsys.readouterr().out))
    assert outs[0] == outs[1] and outs[0][0] == 1
    assert len(json.loads(outs[0][1])) > 0


def test_bad_jobs_value(capsys):
    assert main([str(EXAMPLES / "clean-2021.txt"), "-j", "0"]) == 2


def test_run_scope_rule_sees_every_report(tmp_path, capsys):
    from gikcheck.diagnostics import Span
    from gikcheck.rule import Rule

    class SameYear(Rule):
        """同一次检查中的报告年度相同

        **检查什么** 测试用的跨文档规则。
        """

        code = "XY900"
        name = "same-year-test"
        scope = "run"

        def summarize(self, report):
            return (report.meta.year, report.doc.location(report.meta.title_span or Span(0, 0)))

        def check_run(self, items, ctx):
            years = {y for _, (y, _) in items}
            if len(years) > 1:
                for path, (year, loc) in items:
                    yield ctx.diagnostic(path, Span(0, 0), loc, f"本次检查的报告年度不一致:{year}")

    with registered(SameYear):
        code = main(
            [
                str(EXAMPLES / "clean-2021.txt"),
                str(EXAMPLES / "clean-2019.txt"),
                "--isolated",
                "--format",
                "json",
                "--select",
                "XY900",
            ]
        )
    items = json.loads(capsys.readouterr().out)
    assert code == 1 and sorted((Path(d["path"]).name, d["line"]) for d in items) == [
        ("clean-2019.txt", 1),
        ("clean-2021.txt", 1),
    ]


def test_cross_document_data_only_when_reports_can_be_compared():
    from gikcheck.config import Settings
    from gikcheck.runner import lint_files

    one = [(EXAMPLES / "clean-2021.txt", "a.txt", Settings())]
    two = one + [(EXAMPLES / "clean-2019.txt", "b.txt", Settings())]
    assert [r.summaries for r in lint_files(one)] == [{}]
    assert all({"GK308", "GK510"} <= set(r.summaries) for r in lint_files(two))
    assert all(set(r.summaries) >= {"GK510"} for r in lint_files(one, summarize=True))


def test_output_streams_as_reports_are_checked(tmp_path, capsys, monkeypatch):
    """concise/full/jsonl write a report's findings before the next report is checked."""
    import gikcheck.runner as runner

    for i, name in enumerate(("defective-tables.txt", "defective-arithmetic.txt")):
        shutil.copy(EXAMPLES / name, tmp_path / f"{i}.txt")
    real = runner.lint_path

    def announcing(path, *args, **kwargs):
        print(f"<checking {os.path.basename(path)}>")  # a name as the command line gave it, not a Path
        return real(path, *args, **kwargs)

    monkeypatch.setattr(runner, "lint_path", announcing)
    main([str(tmp_path), "--format", "concise", "--isolated"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "<checking 0.txt>"
    second = lines.index("<checking 1.txt>")
    assert second > 1 and all("0.txt:" in line for line in lines[1:second])
    # concise ends with its count line (as ruff's "Found N errors.").
    assert lines[-1].startswith("共发现 ")
    assert lines[second + 1 : -1] and all("1.txt:" in line for line in lines[second + 1 : -1])


def test_streamed_cross_document_findings_come_last(tmp_path, capsys):
    """The streamed output holds what the collected one does; cross-document findings at the end."""
    crossdoc = tmp_path / "reports"
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "crossdoc" / "inconsistent", crossdoc)
    shutil.copy(EXAMPLES / "defective-tables.txt", crossdoc / "zz-defective.txt")
    code = main([str(crossdoc), "--format", "jsonl", "--isolated"])
    streamed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main([str(crossdoc), "--format", "json", "--isolated"]) == code == 1
    collected = json.loads(capsys.readouterr().out)
    key = lambda d: (d["path"], d["line"], d["column"], d["code"], d["message"])  # noqa: E731
    assert sorted(map(key, streamed)) == sorted(map(key, collected))
    codes = [d["code"] for d in streamed]
    first_cross = min(i for i, c in enumerate(codes) if c in ("GK308", "GK309", "GK510"))
    assert first_cross > 0 and all(c in ("GK308", "GK309", "GK510") for c in codes[first_cross:])
    main([str(crossdoc), "--isolated", "--format", "full", "--no-color"])
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary.endswith("涉及 3/4 个文件。")


def test_a_formatter_declares_what_of_the_source_it_is_handed(tmp_path, capsys):
    """``needs`` and ``streams`` on the formatter function, a plugin's as a built-in's."""
    from gikcheck import plugins

    for i, name in enumerate(("defective-tables.txt", "defective-arithmetic.txt")):
        shutil.copy(EXAMPLES / name, tmp_path / f"{i}.txt")
    seen: dict[str, list] = {}

    def formatter(name: str, **declared):
        def render(results, stream, options):
            seen[name] = [(type(results).__name__ == "list", r.text is not None, r.lines is not None) for r in results]

        render.__dict__.update(declared)
        return render

    class Plugin:
        @plugins.hookimpl
        def gikcheck_formatters(self):
            return {
                "t-default": formatter("t-default"),
                "t-none": formatter("t-none", needs="none"),
                "t-lines": formatter("t-lines", needs="lines", streams=True),
            }

    pm = plugins.get_plugin_manager()
    plugin = Plugin()
    pm.register(plugin)
    try:
        for name in ("t-default", "t-none", "t-lines"):
            main([str(tmp_path), "--format", name, "--isolated", "-q"])
    finally:
        pm.unregister(plugin)
    capsys.readouterr()
    # (handed a list, kept the text, kept the finding lines), per report
    assert seen["t-default"] == [(True, True, False)] * 2
    assert seen["t-none"] == [(True, False, False)] * 2
    assert seen["t-lines"] == [(False, False, True)] * 2


def test_built_in_formatters_declare_their_needs():
    from gikcheck.formatters import gikcheck_formatters, needs, streams

    formats = gikcheck_formatters()
    assert {n for n, f in formats.items() if streams(f)} == {"full", "concise", "jsonl"}
    assert {n: needs(f) for n, f in formats.items() if needs(f) != "none"} == {
        "full": "lines",
        "sarif": "text",
        "html": "text",
    }


def test_streamed_run_keeps_nothing_of_clean_reports():
    """Over many reports the main process keeps only what the exit code and cross-document rules need."""
    from gikcheck.diagnostics import Severity
    from gikcheck.engine import FileResult, engine_diagnostic
    from gikcheck.streaming import StreamedRun

    def clean(name: str) -> FileResult:
        return FileResult(name)

    unreadable = FileResult(
        "gone.txt", [engine_diagnostic("GK001", None, "gone.txt", "无法检查此文件: 不存在")], None, False
    )
    run = StreamedRun()
    out = list(run.results([], [unreadable, clean("a.txt"), clean("b.txt"), clean("c.txt")]))
    assert [r.path for r in out] == ["gone.txt", "a.txt", "b.txt", "c.txt"]  # no cross-document second pass
    # The unreadable file's outcome (it has a finding) and one readable one; the other clean reports leave none.
    assert [(o.path, o.readable) for o in run.outcomes] == [("gone.txt", False), ("a.txt", True)]
    assert run.outcomes[0].worst == Severity.ERROR

    only_unreadable = StreamedRun()
    list(only_unreadable.results([], [FileResult("x.txt", [], None, False), FileResult("y.txt", [], None, False)]))
    assert [o.readable for o in only_unreadable.outcomes] == [False]  # still "nothing readable" for exit 2
