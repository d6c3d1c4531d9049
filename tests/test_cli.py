"""The command line: formats, selection, exit codes, stdin, subcommands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gikcheck.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CLEAN = EXAMPLES / "clean-2021.txt"
ARITH = EXAMPLES / "defective-arithmetic.txt"
STRUCT = EXAMPLES / "defective-structure.txt"


def run(args, capsys, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        import io

        class _In:
            buffer = io.BytesIO(stdin)

        monkeypatch.setattr(sys, "stdin", _In())
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_exit_0(capsys):
    code, out, _ = run([CLEAN, "--isolated"], capsys)
    assert code == 0 and "没有发现问题" in out


@pytest.mark.parametrize("fmt", ["full", "concise", "json"])
def test_exit_code_does_not_depend_on_format(fmt, capsys):
    code, out, _ = run([ARITH, "--isolated", "--format", fmt], capsys)
    assert code == 1 and out


def test_concise_is_gcc_style(capsys):
    _, out, _ = run([ARITH, "--isolated", "--format", "concise", "--select", "GK3"], capsys)
    first = out.splitlines()[0]
    assert first.startswith(f"{ARITH}:53:52: error: ") and first.endswith("[GK302]")


def test_concise_prints_info_as_note(capsys):
    _, out, _ = run([STRUCT, "--isolated", "--format", "concise", "--select", "GK104"], capsys)
    assert ": note: " in out and "[GK104]" in out


def test_json_fields_and_positions(capsys):
    _, out, _ = run([ARITH, "--isolated", "--format", "json", "--select", "GK301"], capsys)
    items = json.loads(out)
    assert {d["code"] for d in items} == {"GK301"}
    d = items[0]
    for key in ("path", "code", "name", "severity", "message", "line", "column", "end_line", "end_column"):
        assert key in d
    text = ARITH.read_text(encoding="utf-8").splitlines()[d["line"] - 1]
    # Columns count code points, 1-based: the span is the 自然人 cell of （七）总计.
    assert text[d["column"] - 1 : d["end_column"] - 1] == "4"
    assert d["related"] and d["name"] == "application-balance"


def test_full_format_marks_the_span(capsys):
    _, out, _ = run([ARITH, "--isolated", "--select", "GK304", "--no-color"], capsys)
    assert "GK304" in out and "-->" in out and "^" in out and "1 个错误" in out


def test_fail_on_and_exit_zero(capsys):
    # defective-structure has warnings and errors; only GK103 (warning) selected:
    args = [STRUCT, "--isolated", "--select", "GK103", "--format", "concise"]
    assert run(args, capsys)[0] == 0
    assert run(args + ["--fail-on", "warning"], capsys)[0] == 1
    assert run([ARITH, "--isolated", "--exit-zero"], capsys)[0] == 0


def test_select_ignore_prefix_and_name(capsys):
    _, out, _ = run(
        [ARITH, "--isolated", "--format", "concise", "--select", "GK3", "--ignore", "outcome-total"], capsys
    )
    assert "GK303" not in out and "GK301" in out and "GK304" in out
    # More specific select beats a broader ignore (ruff's rule).
    _, out, _ = run([ARITH, "--isolated", "--format", "concise", "--select", "GK303", "--ignore", "GK3"], capsys)
    assert "GK303" in out and "GK301" not in out


def test_unknown_selector_is_usage_error(capsys):
    code, _, err = run([CLEAN, "--isolated", "--select", "GK999"], capsys)
    assert code == 2 and "GK999" in err


def test_unknown_format_is_usage_error(capsys):
    code, _, err = run([CLEAN, "--format", "yaml"], capsys)
    assert code == 2 and "yaml" in err


def test_no_paths_checks_the_current_directory(capsys, tmp_path, monkeypatch):
    # As ruff: no path is the current directory (this used to be a usage error).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_bytes(ARITH.read_bytes())
    code, out, _ = run(["--isolated", "--format", "concise"], capsys)
    assert code == 1 and out.startswith("r.txt:")


def test_missing_file_gk001_exit_2(capsys, tmp_path):
    code, out, _ = run([tmp_path / "nope.txt", "--isolated", "--format", "concise"], capsys)
    assert code == 2 and "GK001" in out and "文件不存在" in out


def test_one_unreadable_file_others_checked(capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00")
    code, out, _ = run([bad, CLEAN, "--isolated", "--format", "concise"], capsys)
    assert code == 1 and "GK001" in out and "二进制" in out


def test_files_found_in_a_directory_are_named_as_pathlib_writes_them(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "r.txt").write_bytes(ARITH.read_bytes())
    (tmp_path / "sub" / "deeper" / "r2.txt").write_bytes(ARITH.read_bytes())
    for given in ("./sub//", "sub", "./sub/./"):
        code, out, _ = run([given, "--isolated", "--format", "json"], capsys)
        assert code == 1 and {d["path"] for d in json.loads(out)} == {"sub/r.txt", "sub/deeper/r2.txt"}, given
    code, out, _ = run([tmp_path / "sub", "--isolated", "--format", "json"], capsys)
    assert {d["path"] for d in json.loads(out)} == {f"{tmp_path}/sub/r.txt", f"{tmp_path}/sub/deeper/r2.txt"}


def test_directory_is_walked(capsys):
    code, out, _ = run([EXAMPLES, "--isolated", "--format", "json"], capsys)
    paths = {Path(d["path"]).name for d in json.loads(out)}
    assert code == 1 and {"defective-arithmetic.txt", "defective-tables.txt", "defective-structure.txt"} <= paths
    assert not any(p.startswith("clean-") for p in paths)


def test_stdin(capsys, monkeypatch):
    data = ARITH.read_bytes()
    code, out, _ = run(
        ["-", "--isolated", "--format", "concise", "--stdin-filename", "report.txt", "--select", "GK304"],
        capsys,
        stdin=data,
        monkeypatch=monkeypatch,
    )
    assert code == 1 and out.startswith("report.txt:72:")


def test_statistics(capsys):
    _, out, _ = run([ARITH, "--isolated", "--format", "concise", "--statistics"], capsys)
    assert "GK303" in out.split("\n\n")[-1] and "outcome-total" in out


def test_rules_and_explain(capsys):
    code, out, _ = run(["rules", "--format", "json"], capsys)
    rules = json.loads(out)
    assert code == 0 and any(r["code"] == "GK301" and r["name"] == "application-balance" for r in rules)
    code, out, _ = run(["explain", "GK301"], capsys)
    assert code == 0 and "勾稽关系" in out and "错误示例" in out
    code, _, err = run(["explain", "GK999"], capsys)
    assert code == 2 and "GK999" in err


def test_console_script_runs_without_traceback(tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_bytes(b"")
    p = subprocess.run([sys.executable, "-m", "gikcheck", str(bad), "--isolated"], capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr + p.stdout and "文件为空" in p.stdout


def test_full_format_caret_under_a_tab_separated_cell(capsys, tmp_path):
    import re as _re

    text = ARITH.read_text(encoding="utf-8")
    tabbed = "\n".join(_re.sub(r" ?\| ?", "\t", ln) for ln in text.splitlines()) + "\n"
    p = tmp_path / "t.txt"
    p.write_text(tabbed, encoding="utf-8")
    run([p, "--isolated", "--select", "GK304", "--no-color"], capsys)
    _, out, _ = run([p, "--isolated", "--select", "GK304", "--no-color"], capsys)
    lines = out.splitlines()
    src = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("72 |"))
    caret_col = lines[src + 1].index("^")
    assert lines[src][caret_col] == "2"  # the 行政复议 total cell


def test_collector_paused_during_start_up_only_in_a_process_of_its_own(tmp_path):
    """The command line (argv None: a process of its own) pauses the collector while it loads
    modules, rules and packs, then freezes what they built and resumes; a library call to main()
    leaves the caller's collector as it found it."""
    import gc

    report = EXAMPLES / "defective-arithmetic.txt"
    code = (
        "import gc, sys\n"
        "from gikcheck.cli import main\n"
        f"sys.argv = ['gikcheck', {str(report)!r}, '--quiet']\n"
        "rc = main()\n"
        "print(rc, gc.isenabled(), gc.get_freeze_count() > 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.stdout.splitlines()[-1].split() == ["1", "True", "True"], proc.stdout + proc.stderr
    frozen = gc.get_freeze_count()
    assert main([str(report), "--quiet"]) == 1
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_one_report_is_checked_with_the_collector_paused_several_with_it_running(tmp_path):
    """The command line checks a single report with the collector still paused (it makes next to
    no cyclic garbage); a run of several reports resumes it before the first is read."""
    one = str(EXAMPLES / "defective-arithmetic.txt")
    two = str(EXAMPLES / "clean-2021.txt")
    code = (
        "import gc, sys\n"
        "import gikcheck.engine as engine\n"
        "seen = []\n"
        "check = engine.check_document\n"
        "def spy(*a, **k):\n"
        "    seen.append(gc.isenabled())\n"
        "    return check(*a, **k)\n"
        "engine.check_document = spy\n"
        "from gikcheck.cli import main\n"
        "sys.argv = ['gikcheck', '--quiet', '-j', '1', *sys.argv[1:]]\n"
        "rc = main()\n"
        "print(seen, gc.isenabled())"
    )
    for paths, during in (([one], "[False]"), ([one, two], "[True, True]")):
        proc = subprocess.run(
            [sys.executable, "-c", code, *paths], capture_output=True, text=True, timeout=120, cwd=tmp_path
        )
        assert proc.stdout.splitlines()[-1] == f"{during} True", proc.stdout + proc.stderr


_END_PROCESS = (
    "import atexit, sys\n"
    "atexit.register(print, 'atexit ran')\n"
    "{before}"
    "sys.argv = ['gikcheck', {report!r}, '--quiet']\n"
    "from gikcheck.cli import entry\n"
    "try:\n"
    "    entry()\n"
    "except SystemExit as e:\n"
    "    print('ordinary exit', e.code)\n"
)


def test_the_command_ends_without_tearing_the_interpreter_down(tmp_path):
    """entry() (the gikcheck command, python -m gikcheck) runs the atexit callbacks, flushes the
    output and ends the process there with main()'s code: no SystemExit, no teardown."""
    report = str(EXAMPLES / "defective-arithmetic.txt")
    code = _END_PROCESS.format(before="", report=report)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("GK302") and lines[-1] == "atexit ran", proc.stdout + proc.stderr
    assert not any(ln.startswith("ordinary exit") for ln in lines)


def test_a_traced_or_threaded_run_ends_as_usual(tmp_path):
    """Under a tracer (coverage) or with another thread alive, entry() exits as sys.exit does."""
    report = str(EXAMPLES / "defective-arithmetic.txt")
    for before in (
        "sys.settrace(lambda *a: None)\n",
        "import threading, time\nthreading.Thread(target=time.sleep, args=(0.5,)).start()\n",
    ):
        code = _END_PROCESS.format(before=before, report=report)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr  # the script caught the SystemExit
        assert proc.stdout.splitlines()[-2:] == ["ordinary exit 1", "atexit ran"], before + proc.stdout + proc.stderr


def test_output_format_is_another_name_for_format(capsys):
    """ruff's --output-format works as --format does."""
    report = str(EXAMPLES / "defective-arithmetic.txt")
    assert main(["--format", "concise", report]) == 1
    concise = capsys.readouterr().out
    assert main(["--output-format", "concise", report]) == 1
    assert capsys.readouterr().out == concise
    assert concise.count(": error: ") >= 1
