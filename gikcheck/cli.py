"""The command line: ``gikcheck PATH...``, ``gikcheck rules``, ``gikcheck explain CODE``.

Exit codes: 0 nothing at or above ``fail-on``; 1 findings at or above it;
2 usage or configuration error, or nothing could be read. The exit code
does not depend on ``--format``.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# Formats that never show the source text: results need not keep it.
TEXTLESS_FORMATS = frozenset({"concise", "json", "jsonl", "github", "junit", "summary", "summary-csv"})


class _Formatter(argparse.HelpFormatter):
    # argparse builds a formatter for every add_argument and imports shutil (with bz2
    # and lzma, ~4 ms) to size it; os alone knows the terminal's width.
    def __init__(self, prog: str) -> None:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() else 0
        if not width:
            try:
                width = os.get_terminal_size().columns
            except OSError:
                width = 0
        super().__init__(prog, width=(width or 80) - 2)


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(formatter_class=_Formatter, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # usage errors exit 2 with one line, no traceback
        self.print_usage(sys.stderr)
        print(f"gikcheck: 错误: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _check_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gikcheck", description="政府信息公开工作年度报告检查工具(linter)。"
                "子命令: `gikcheck rules` 列出规则, `gikcheck explain GK301` 解释规则, `gikcheck lsp` 启动语言服务器(供编辑器使用)。")
    p.add_argument("paths", nargs="*", metavar="PATH", help="要检查的文件或目录(目录递归);`-` 表示标准输入")
    p.add_argument("--format", default=None, help="输出格式: full(默认)、concise、json,以及插件提供的格式")
    p.add_argument("--select", help="只启用这些规则(逗号分隔: 代码、前缀如 GK3、规则名或 ALL)")
    p.add_argument("--extend-select", help="在配置的基础上再启用这些规则")
    p.add_argument("--ignore", help="停用这些规则")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), help="达到该严重级别的问题使退出码为 1(默认 error)")
    p.add_argument("--template", choices=("auto", "2008", "2019", "2021"), help="报告格式(默认按年度自动判断)")
    p.add_argument("--agency-level", choices=("auto", "department", "government", "township"), help="机关层级")
    p.add_argument("--report-year", help="报告年度(默认从报告中识别)")
    p.add_argument("--rule-pack", action="append", dest="rule_packs", metavar="FILE", help="额外的 TOML 规则包(可重复)")
    p.add_argument("--config", action="append", default=[], metavar="FILE|KEY=VALUE",
                   help="使用此配置文件(不再向上查找);或以 TOML 写一个配置项,如 --config 'severity.GK3=\"warning\"'(可重复)")
    p.add_argument("--isolated", action="store_true", help="忽略所有配置文件")
    p.add_argument("--stdin-filename", metavar="NAME", help="从标准输入读取时显示的文件名(也用于查找配置)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="并行检查的进程数(默认为 CPU 核数;文件很少时在本进程内检查)")
    p.add_argument("--statistics", action="store_true",
                   help="按规则统计问题数量(合并报告的问题按其位置数计,如一张表的 125 个空白单元格计 125)")
    p.add_argument("--sort", choices=("total", "path", "agency", "year", "GK0", "GK1", "GK2", "GK3", "GK4", "GK5"),
                   help="summary/summary-csv 的排序: total(问题总数,默认)、path、agency、year 或某一类规则的问题数")
    p.add_argument("-q", "--quiet", action="store_true", help="只输出问题,不输出汇总")
    p.add_argument("--exit-zero", action="store_true", help="有问题也以 0 退出(不可读的输入除外)")
    p.add_argument("--no-color", action="store_true", help="不使用颜色")
    p.add_argument("--baseline", metavar="FILE", help="基线文件:其中记录的已知问题不再报告,只报告新问题")
    p.add_argument("--write-baseline", metavar="FILE", help="把本次发现的全部问题写入基线文件(此后用 --baseline FILE)")
    p.add_argument("--fix", action="store_true", help="自动修复可安全修复的问题(只改 .txt、.md 文件,保留编码和换行符)")
    p.add_argument("--diff", action="store_true", help="只显示 --fix 将做的修改(统一 diff 格式),不写入文件")
    p.add_argument("--version", action="version", version=f"gikcheck {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _main(argv: list[str]) -> int:
    if argv and argv[0] == "lsp" and not Path("lsp").is_file():
        return _cmd_lsp(argv[1:])
    if argv and argv[0] == "rules" and not Path("rules").is_file():
        return _cmd_rules(argv[1:])
    if argv and argv[0] == "explain" and not Path("explain").is_file():
        return _cmd_explain(argv[1:])
    return _cmd_check(argv)


def _csv(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.replace(" ", ",").split(",") if v.strip()]


def _cmd_check(argv: list[str]) -> int:
    from .config import ConfigError, Resolver
    from .engine import FileResult, finish_run, iter_files, lint_stream
    from .runner import default_jobs, lint_files
    from .plugins import get_plugin_manager, warn_load_errors
    from .templates import PackError

    args = _check_parser().parse_args(argv)
    if not args.paths:
        print("gikcheck: 错误: 没有给出要检查的文件(用法: gikcheck 报告.txt;`gikcheck --help` 查看帮助)", file=sys.stderr)
        return EXIT_USAGE
    pm = get_plugin_manager()
    warn_load_errors()
    formatters: dict = {}
    for batch in pm.hook.gikcheck_formatters():
        formatters.update(batch or {})
    fmt = args.format or "full"
    if fmt not in formatters:
        print(f"gikcheck: 错误: 未知的输出格式 {fmt!r}(可用: {', '.join(sorted(formatters))})", file=sys.stderr)
        return EXIT_USAGE

    config_file, inline = None, {}
    for item in args.config:
        if Path(item).is_file():
            config_file = Path(item)
        elif "=" in item:
            parsed = _inline_toml(item)
            if parsed is None:
                print(f"gikcheck: 错误: --config {item!r} 不是合法的 TOML 配置项(例如 fail-on = \"warning\")", file=sys.stderr)
                return EXIT_USAGE
            for k, v in parsed.items():
                if isinstance(v, dict) and isinstance(inline.get(k), dict):
                    inline[k].update(v)
                else:
                    inline[k] = v
        else:
            print(f"gikcheck: 错误: 配置文件 {item} 不存在", file=sys.stderr)
            return EXIT_USAGE
    overrides: dict = dict(inline)
    for key, value in (("select", _csv(args.select)), ("extend-select", _csv(args.extend_select)),
                       ("ignore", _csv(args.ignore)), ("fail-on", args.fail_on), ("template", args.template),
                       ("agency-level", args.agency_level), ("report-year", args.report_year),
                       ("rule-packs", args.rule_packs)):
        if value is not None:
            overrides[key] = value
    resolver = Resolver(overrides=overrides, config_file=config_file, isolated=args.isolated)

    results: list[FileResult] = []
    try:
        # Validate the command line once even before any file is read.
        resolver.for_path(None)
        files = []
        stdin = None
        for path, shown in iter_files(args.paths):
            if path is None:
                stdin = args.stdin_filename or "-"
            else:
                files.append((path, shown, resolver.for_path(None if isinstance(path, str) else path)))
        # Only then can reports be compared; the summary shows each report's agency and year,
        # which come with the cross-document summaries.
        several = len(files) + (stdin is not None) > 1 or fmt.startswith("summary")
        if stdin is not None:
            settings = resolver.for_path(Path(stdin) if args.stdin_filename else None)
            results.append(lint_stream(sys.stdin.buffer, stdin, settings, summarize=several).detach())
        if args.jobs is not None and args.jobs < 1:
            print("gikcheck: 错误: -j/--jobs 应为正整数", file=sys.stderr)
            return EXIT_USAGE
        baseline = _load_baseline(args.baseline) if args.baseline else None
        if args.diff or args.fix:
            changed = _apply_fixes(files, write=not args.diff, stdin="-" in args.paths)
            if args.diff:
                return EXIT_FINDINGS if changed else EXIT_OK
        keep = "none" if fmt in TEXTLESS_FORMATS else "lines" if fmt == "full" else "text"
        if not files and not results:
            from .engine import reader_suffixes

            kinds = "、".join(reader_suffixes())
            print(f"gikcheck: 错误: 给出的目录中没有可检查的报告文件({kinds})", file=sys.stderr)
            return EXIT_USAGE
        options = {"quiet": args.quiet, "no_color": args.no_color, "color": None, "sort": args.sort}
        pending = lint_files(files, args.jobs or default_jobs(), keep=keep, summarize=several)
        if getattr(formatters[fmt], "streams", False) and not args.write_baseline:
            # Each report's findings are written as soon as it is checked (see streaming.py).
            from .streaming import StreamedRun

            run = StreamedRun(baseline)
            formatters[fmt](run.results(results, pending), sys.stdout, options)
            codes, outcomes = run.codes, run.outcomes
            applied = run.baseline_outcome()
        else:
            results.extend(pending)
            finish_run(results)
            applied = None
            if args.write_baseline:
                # The new baseline accepts everything found now; it replaces --baseline for this run.
                written = _write_baseline(Path(args.write_baseline), results, args.quiet)
                if written is None:
                    return EXIT_USAGE
                written.apply(results)
            elif baseline is not None:
                applied = baseline.apply(results)
            formatters[fmt](results, sys.stdout, options)
            from .streaming import outcome

            from .diagnostics import count_places

            codes = count_places(d for r in results for d in r.diagnostics)  # places, as ruff counts
            outcomes = [outcome(r) for r in results]
    except (ConfigError, PackError) as e:
        print(f"gikcheck: 配置错误: {e}", file=sys.stderr)
        return EXIT_USAGE
    except _UsageError as e:
        print(f"gikcheck: 错误: {e}", file=sys.stderr)
        return EXIT_USAGE
    if applied is not None:
        _report_baseline(args.baseline, *applied, args.quiet)
    if args.statistics:
        _print_statistics(codes, sys.stdout if fmt in ("full", "concise") else sys.stderr)
    return exit_code(outcomes, resolver, args.exit_zero)


class _UsageError(Exception):
    """A usage error found while running (exit 2); the message is for the user."""


def _load_baseline(name: str):
    from .baseline import Baseline, BaselineError

    try:
        return Baseline.load(Path(name))
    except BaselineError as e:
        raise _UsageError(str(e)) from None


def _write_baseline(path: Path, results, quiet: bool):
    from .baseline import Baseline

    baseline = Baseline.from_results(results, path.resolve().parent)
    try:
        baseline.write(path)
    except OSError as e:
        print(f"gikcheck: 错误: 无法写入基线文件 {path}: {e.strerror or e}", file=sys.stderr)
        return None
    if not quiet:
        n = sum(baseline.entries.values())
        print(f"gikcheck: 已把 {n} 个问题写入基线文件 {path}(以后用 --baseline {path} 只报告新问题)", file=sys.stderr)
    return baseline


def _report_baseline(name: str, suppressed: int, stale: list, quiet: bool) -> None:
    if quiet:
        return
    if suppressed:
        print(f"gikcheck: 按基线 {name} 略去了 {suppressed} 个已知问题", file=sys.stderr)
    if stale:
        n = sum(e.count for e in stale)
        print(f"gikcheck: 提示: 基线 {name} 中有 {n} 个已知问题不再出现(已修复?),"
              f"可用 --write-baseline {name} 更新基线:", file=sys.stderr)
        for e in stale:
            times = f"(×{e.count})" if e.count > 1 else ""
            print(f"  {e.path}: {e.code} {e.anchor}{times}", file=sys.stderr)


def _apply_fixes(files, write: bool, stdin: bool) -> bool:
    """--fix / --diff over the text files of the run; True when something was (or would be) changed."""
    from .engine import Url
    from .fileio import write_atomic
    from .fixes import FIXABLE_SUFFIXES, FixError, fix_file

    if stdin:
        print("gikcheck: 提示: 标准输入不做自动修复", file=sys.stderr)
    applied = n_files = skipped = 0
    for path, shown, settings in files:
        if isinstance(path, Url) or not str(path).lower().endswith(FIXABLE_SUFFIXES):
            continue
        try:
            result = fix_file(path, settings, shown)
        except FixError as e:
            if not e.unreadable:  # an unreadable file is reported as GK001 by the check that follows
                print(f"gikcheck: 提示: {e}", file=sys.stderr)
            continue
        skipped += result.skipped
        if not result.changed:
            continue
        applied += result.applied
        n_files += 1
        if write:
            try:
                write_atomic(path, result.data)
            except OSError as e:
                raise _UsageError(f"无法写入 {shown}: {e.strerror or e}") from None
        else:
            sys.stdout.write(result.diff())
    if write:
        if applied:
            print(f"gikcheck: 已自动修复 {applied} 个问题(涉及 {n_files} 个文件)", file=sys.stderr)
    elif applied:
        print(f"gikcheck: 可自动修复 {applied} 个问题(涉及 {n_files} 个文件);用 --fix 写入", file=sys.stderr)
    else:
        print("gikcheck: 没有可自动修复的问题", file=sys.stderr)
    if skipped:
        print(f"gikcheck: 提示: {skipped} 处修复与其他修复重叠,未自动应用", file=sys.stderr)
    return applied > 0


def _cmd_lsp(argv: list[str]) -> int:
    p = _Parser(prog="gikcheck lsp", description="启动语言服务器(LSP,经标准输入输出通信),供编辑器显示检查结果")
    p.parse_args(argv)
    try:
        from .lsp import serve
    except ImportError as e:  # pygls is an optional extra
        print(f"gikcheck: 错误: 语言服务器需要 pygls(pip install 'gikcheck[lsp]'): {e}", file=sys.stderr)
        return EXIT_USAGE
    serve()
    return EXIT_OK


def _inline_toml(item: str) -> dict | None:
    """``severity.GK3 = "warning"`` → {"severity": {"GK3": "warning"}} (as ruff's --config)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(item)
    except tomllib.TOMLDecodeError:
        return None


def exit_code(outcomes, resolver, exit_zero: bool = False) -> int:
    """0, 1 or 2 from the outcome of each result (see streaming.Outcome)."""
    if all(not o.readable for o in outcomes):
        return EXIT_USAGE
    if exit_zero:
        return EXIT_OK
    for o in outcomes:
        if o.worst is not None and o.worst >= resolver.for_path(Path(o.path) if o.path != "-" else None).fail_on:
            return EXIT_FINDINGS
    return EXIT_OK


def _print_statistics(counts: Counter, stream) -> None:
    from .registry import rule_by_code

    if not counts:
        return
    stream.write("\n")
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = rule_by_code(code)
        stream.write(f"{n:>6}  {code}  {rule.name if rule else ''}  {rule.summary() if rule else ''}\n")


def _cmd_rules(argv: list[str]) -> int:
    from .registry import all_rules

    p = _Parser(prog="gikcheck rules", description="列出全部规则")
    p.add_argument("--format", choices=("table", "json"), default="table")
    args = p.parse_args(argv)
    rules = all_rules()
    if args.format == "json":
        import json

        json.dump([{"code": r.code, "name": r.name, "severity": str(r.default_severity), "summary": r.summary(),
                    "templates": list(r.templates), "fixable": r.fixable} for r in rules],
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(title="gikcheck 规则", show_lines=False)
    for col in ("代码", "名称", "默认级别", "适用格式", "说明"):
        table.add_column(col)
    for r in rules:
        table.add_row(r.code, r.name, str(r.default_severity), ",".join(r.templates), r.summary())
    Console(soft_wrap=False).print(table)
    return EXIT_OK


def _cmd_explain(argv: list[str]) -> int:
    from .registry import rule_by_code

    p = _Parser(prog="gikcheck explain", description="解释一条规则")
    p.add_argument("code", help="规则代码或名称,例如 GK301 或 application-balance")
    args = p.parse_args(argv)
    rule = rule_by_code(args.code)
    if rule is None:
        print(f"gikcheck: 错误: 没有规则 {args.code!r}(`gikcheck rules` 列出全部规则)", file=sys.stderr)
        return EXIT_USAGE
    buf = io.StringIO()
    buf.write(f"{rule.code} ({rule.name})\n")
    buf.write(f"默认级别: {rule.default_severity}  适用格式: {', '.join(rule.templates)}"
              f"{'  可自动修复' if rule.fixable else ''}\n\n")
    buf.write(rule.summary() + "\n\n" + rule.explanation() + "\n")
    sys.stdout.write(buf.getvalue())
    return EXIT_OK
