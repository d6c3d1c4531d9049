"""Command-line conventions as ruff has them: colour, version, paths, output file, counts,
statistics, stdin fixes, baselines, help in Chinese, subcommands beside paths of the same name."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ARITH = EXAMPLES / "defective-arithmetic.txt"
TABLES = EXAMPLES / "defective-tables.txt"
DOCX = ROOT / "tests" / "fixtures" / "layouts" / "county-bureau-2022-gk203" / "docx.docx"
ESC = "\x1b["


def gik(*args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path | None = None):
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "gikcheck", *args], input=stdin, capture_output=True, env=environ, cwd=cwd
    )


def on_terminal(*args: str, env: dict | None = None) -> str:
    """Run gikcheck with its standard output on a pseudo-terminal; returns what it wrote."""
    import pty

    master, slave = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "gikcheck", *args], stdout=slave, stderr=subprocess.DEVNULL, env=environ
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_follows_no_color_and_the_color_option():
    args = (str(ARITH), "--isolated", "--select", "GK304")
    assert ESC in on_terminal(*args)  # auto: a terminal gets styles
    assert ESC not in on_terminal(*args, env={"NO_COLOR": "1"})  # https://no-color.org
    assert ESC not in on_terminal(*args, "--no-color")  # not even bold or dim
    assert ESC not in on_terminal(*args, "--color", "never")
    assert ESC in on_terminal(*args, "--color", "always", env={"NO_COLOR": "1"})  # the option wins
    piped = gik(*args).stdout.decode()
    assert ESC not in piped and ESC in gik(*args, "--color", "always").stdout.decode()


def test_version_short_and_long():
    from gikcheck import __version__

    for flag in ("-V", "--version"):
        proc = gik(flag)
        assert proc.returncode == 0 and proc.stdout.decode().strip() == f"gikcheck {__version__}"


def test_no_path_checks_the_current_directory(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(ARITH, tmp_path / "sub" / "r.txt")
    proc = gik("--isolated", "--format", "concise", "--select", "GK304", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines()[0].startswith(os.path.join("sub", "r.txt") + ":")


def test_output_file(tmp_path):
    out = tmp_path / "out.json"
    proc = gik(str(ARITH), "--isolated", "--format", "json", "--output-file", str(out))
    assert proc.returncode == 1 and proc.stdout == b""
    assert {d["code"] for d in json.loads(out.read_text(encoding="utf-8"))} >= {"GK304"}


def test_concise_ends_with_a_count_line():
    lines = gik(str(ARITH), "--isolated", "--format", "concise").stdout.decode().splitlines()
    findings = [line for line in lines if line.startswith(str(ARITH))]
    assert findings and lines[-1] == f"共发现 {len(findings)} 个问题。"
    clean = gik(str(EXAMPLES / "clean-2021.txt"), "--isolated", "--format", "concise").stdout.decode()
    assert clean == "没有发现问题。\n"
    quiet = gik(str(ARITH), "--isolated", "--format", "concise", "-q").stdout.decode().splitlines()
    assert quiet == findings


def test_statistics_prints_only_the_statistics():
    out = gik(str(ARITH), "--isolated", "--statistics").stdout.decode()
    assert "-->" not in out and "GK303" in out and "outcome-total" in out
    lines = out.splitlines()
    assert all(line.split()[0].isdigit() for line in lines[:-1]) and lines[-1].startswith("共 ")
    as_json = json.loads(gik(str(ARITH), "--isolated", "--statistics", "--format", "json").stdout)
    assert {"code", "name", "count", "fixable"} <= set(as_json[0])


def _cli_fixed(tmp_path: Path) -> str:
    copy = tmp_path / "r.txt"
    shutil.copy(TABLES, copy)
    gik(str(copy), "--isolated", "--fix")
    return copy.read_text(encoding="utf-8")


def test_fix_and_diff_on_standard_input(tmp_path):
    data = TABLES.read_bytes()
    fixed = _cli_fixed(tmp_path)
    assert fixed != TABLES.read_text(encoding="utf-8")
    proc = gik("--isolated", "--fix", "-", stdin=data)
    assert proc.stdout.decode("utf-8") == fixed  # the fixed text, as --fix writes the file
    assert "已自动修复 2 个问题" in proc.stderr.decode()
    proc = gik("--isolated", "--diff", "-", stdin=data)
    diff = proc.stdout.decode()
    assert proc.returncode == 1 and "-（三）不子公开" in diff and "+（三）不予公开" in diff
    assert "没有可自动修复" not in proc.stderr.decode()
    # Nothing to fix: no diff, exit 0.
    proc = gik("--isolated", "--diff", "-", stdin=fixed.encode("utf-8"))
    assert proc.returncode == 0 and proc.stdout == b""


def test_diff_on_a_word_file_says_word_files_are_not_fixed():
    proc = gik(str(DOCX), "--isolated", "--diff")
    err = proc.stderr.decode()
    assert "Word 文件不自动修复" in err and "没有可自动修复的问题" not in err
    assert proc.stdout == b""


def test_write_baseline_reports_what_it_stored(tmp_path):
    base = tmp_path / "b.json"
    proc = gik(str(ARITH), "--isolated", "--write-baseline", str(base))
    stored = sum(e["count"] for e in json.loads(base.read_text(encoding="utf-8"))["entries"])
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert stored > 0 and proc.returncode == 0
    assert f"已把 {stored} 个问题写入基线文件" in out and f"已把 {stored} 个问题写入基线文件" in err
    assert "没有发现问题" not in out


def test_rules_are_not_cut_to_80_columns_when_piped():
    from gikcheck.registry import all_rules

    out = gik("rules").stdout.decode()
    longest = max(all_rules(), key=lambda r: len(r.summary()))
    assert longest.summary() in out  # whole, on one line
    assert max(len(line) for line in out.splitlines()) > 80


def test_help_is_chinese_and_lists_every_format_and_subcommand():
    from gikcheck.cli import SUBCOMMANDS, _format_names

    text = gik("--help", env={"COLUMNS": "200"}).stdout.decode()
    for english in ("show this help", "usage:", "options:", "positional arguments", "show program"):
        assert english not in text
    assert "用法：" in text and "显示本帮助并退出" in text
    for name in _format_names():
        assert name in text
    for name in ("check", "rules", "explain", "review", "lsp"):
        assert name in SUBCOMMANDS and f"  {name} " in text
    err = gik("-j", "x").stderr.decode()
    assert "'x' 不是有效的整数" in err and "invalid" not in err
    err = gik("--fail-on", "warn").stderr.decode()
    assert "无效的选项值 'warn'" in err and "invalid choice" not in err


def test_fail_on_warn_in_the_configuration_gets_a_chinese_message(tmp_path):
    (tmp_path / "gikcheck.toml").write_text('fail-on = "warn"\n', encoding="utf-8")
    shutil.copy(ARITH, tmp_path / "r.txt")
    proc = gik("r.txt", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert "`fail-on`" in err and "应为 error、warning 或 info 之一" in err and "unknown" not in err


@pytest.mark.parametrize("name", ["rules", "explain", "lsp", "review"])
def test_subcommands_do_not_collide_with_a_path_of_the_same_name(tmp_path, name):
    shutil.copy(ARITH, tmp_path / name)  # a report file named like the subcommand
    if name == "rules":
        proc = gik("rules", "--format", "json", cwd=tmp_path)
        assert proc.returncode == 0 and json.loads(proc.stdout)[0]["code"].startswith("GK")
    elif name == "explain":
        proc = gik("explain", "GK301", cwd=tmp_path)
        assert proc.returncode == 0 and "GK301" in proc.stdout.decode()
    else:
        proc = gik(name, "--help", cwd=tmp_path)
        assert proc.returncode == 0 and f"gikcheck {name}" in proc.stdout.decode()
    assert f"./{name}" in proc.stderr.decode()  # a hint how to check the file instead
    options = ["--isolated", "--format", "concise", "--select", "GK304"]
    for spelling in ([f"./{name}", *options], ["check", name, *options], [*options, "--", name]):
        proc = gik(*spelling, cwd=tmp_path)
        assert proc.returncode == 1 and "[GK304]" in proc.stdout.decode(), spelling


def test_subcommands_are_argparse_subparsers_with_check_the_default():
    from gikcheck.cli import SUBCOMMANDS, build_parser

    root = build_parser()
    assert set(root.commands) == set(SUBCOMMANDS)
    assert root.parse_args(["explain", "GK301"]).code == "GK301"
    assert root.parse_args(["rules", "--format", "json"]).format == "json"
    args = root.parse_args(["check", "--select", "GK3", "--", "rules"])
    assert args.command == "check" and args.paths == ["rules"] and args.select == "GK3"


def test_an_unknown_option_is_reported_with_its_subcommands_usage():
    err = gik("rules", "--bogus").stderr.decode()
    assert "用法：gikcheck rules" in err and "无法识别的参数：--bogus" in err
    err = gik("--bogus", "x.txt").stderr.decode()
    assert "用法：gikcheck [" in err and "无法识别的参数：--bogus" in err
    proc = gik("explain")
    assert proc.returncode == 2 and "缺少必需的参数：code" in proc.stderr.decode()


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_load_no_rule(flag):
    code = (
        "import sys; from gikcheck.cli import main\n"
        f"try:\n    main([{flag!r}])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('gikcheck.checks', 'gikcheck.engine', "
        "'gikcheck.config', 'gikcheck.parsing', 'gikcheck.formatters', 'gikcheck.registry', 'pluggy'))), "
        "file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr.strip() == "[]"
    assert ("full, concise" in proc.stdout) == (flag == "--help")


def test_help_lists_the_formats_the_plugins_provide():
    from gikcheck.cli import _format_names
    from gikcheck.plugins import formatter_names, purge_plugin_manager

    purge_plugin_manager()
    assert _format_names() == formatter_names()
    assert "summary-csv" in _format_names()
