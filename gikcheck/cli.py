"""The command line: ``gikcheck [check] PATH...``, ``gikcheck rules``, ``gikcheck explain CODE``,
``gikcheck review REPORT -o OUT.docx``, ``gikcheck lsp``.

Conventions as ruff has them: no path checks the current directory; ``-`` reads
standard input (also for ``--fix`` / ``--diff``, which then write to standard
output); ``NO_COLOR`` and ``--color auto|always|never``; ``-V``/``--version``;
``--output-file``; ``--statistics`` prints only the statistics. Each subcommand
is an argparse subparser (``build_parser``); ``check`` is the default, used when
the first argument names no subcommand. A subcommand's name is always the
subcommand: a file called ``rules`` is checked as ``./rules`` (or ``gikcheck
check rules`` / ``gikcheck -- rules``). ``--version`` and ``--help`` load no rule.

Exit codes: 0 nothing at or above ``fail-on``; 1 findings at or above it;
2 usage or configuration error, or nothing could be read. The exit code
does not depend on ``--format``.
"""

from __future__ import annotations

from . import rx  # noqa: F401 (first: the kept compiled patterns, before argparse's gettext compiles its own, ≈ 0.5 ms)

# isort: split
import argparse
import gc
import os
import sys
from collections.abc import Sequence

from . import TYPE_CHECKING, __version__
from .argparse_zh import 整数

if TYPE_CHECKING:
    from collections import Counter
    from pathlib import Path
    from typing import Any, NoReturn

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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


class _EpilogFormatter(_Formatter):
    """Keeps the epilog's lines (the list of subcommands) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: object) -> None:
        from .argparse_zh import install

        install()  # argparse's own strings in Chinese, as ours are
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(**kwargs)  # type: ignore[arg-type]
        # Help texts computed only when help is shown (the list of formats loads the plugins).
        self.late_help: dict[str, object] = {}

    def format_help(self) -> str:
        for action in self._actions:
            if action.dest in self.late_help:
                action.help = self.late_help[action.dest]()  # type: ignore[operator]
        return super().format_help()

    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with one line, no traceback
        self.print_usage(sys.stderr)
        print(f"gikcheck: 错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


SUBCOMMANDS = {
    "check": "检查报告（默认，可省略）：gikcheck [check] 报告或目录…",
    "rules": "列出全部规则：gikcheck rules [--format table|json]",
    "explain": "解释一条规则：gikcheck explain GK301",
    "review": "写带批注的 Word 审阅副本：gikcheck review 报告 -o 审阅.docx",
    "lsp": "启动语言服务器（供编辑器使用）：gikcheck lsp",
}


def _format_names() -> list[str]:
    # With only the built-in plugins installed and no manager built yet (tests build their
    # own), the names come from a static table: help does not import pluggy or the formatters.
    plugins = sys.modules.get("gikcheck.plugins")
    if plugins is None or getattr(plugins, "_manager", None) is None:
        from .catalog import BUILTIN_FORMATS, only_builtin_plugins

        if only_builtin_plugins():
            return list(BUILTIN_FORMATS)
    from .plugins import formatter_names

    return formatter_names()


class _Root(_Parser):
    """``gikcheck SUBCOMMAND ...``; the subcommand's own parser reports what it does not know."""

    commands: dict[str, _Parser]  # subcommand -> its parser, set by build_parser

    def parse_args(self, args=None, namespace=None):
        from .argparse_zh import ZH

        ns, extras = self.parse_known_args(args, namespace)
        msg = "unrecognized arguments: %s"  # argparse's own message, in Chinese as argparse_zh says it
        if extras:
            self.commands[ns.command].error(ZH.get(msg, msg) % " ".join(extras))
        return ns


def build_parser(command: str | None = None) -> _Root:
    """The command line: one subparser per subcommand; ``check`` is the default (see ``_main``).

    With ``command``, only that subcommand's parser: a run knows its subcommand from its first
    argument, and building the others' would cost every cold check a few hundred microseconds."""
    root = _Root(prog="gikcheck", add_help=False)
    subs = root.add_subparsers(dest="command", required=True, parser_class=_Parser)
    adders = {"check": _add_check, "rules": _add_rules, "explain": _add_explain, "review": _add_review, "lsp": _add_lsp}
    root.commands = {name: add(subs) for name, add in adders.items() if command in (None, name)}
    return root


def _add_check(subs) -> _Parser:
    from .catalog import FAMILIES

    epilog = "子命令：\n" + "\n".join(f"  {name:<8} {text}" for name, text in SUBCOMMANDS.items())
    p = subs.add_parser(
        "check",
        prog="gikcheck",
        help=SUBCOMMANDS["check"],
        formatter_class=_EpilogFormatter,
        description="政府信息公开工作年度报告检查工具（linter）。",
        epilog=epilog + "\n\n与子命令同名的文件或目录，写作 ./rules、gikcheck check rules 或 gikcheck -- rules。",
    )
    p.set_defaults(run=_cmd_check)
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="要检查的文件或目录（目录递归；不给出时检查当前目录）；`-` 表示标准输入",
    )
    # --output-format is ruff's name for it (since ruff 0.1), --format sqlfluff's and Vale's: both work.
    p.add_argument(
        "--format", "--output-format", dest="format", default=None, metavar="FORMAT", help="输出格式（默认 full）"
    )
    p.late_help["format"] = lambda: f"输出格式（默认 full）：{', '.join(_format_names())}"
    p.add_argument("--select", help="只启用这些规则（逗号分隔：代码、前缀如 GK3、规则名或 ALL）")
    p.add_argument("--extend-select", help="在配置的基础上再启用这些规则")
    p.add_argument("--ignore", help="停用这些规则")
    p.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="达到该严重级别的问题使退出码为 1（默认 error）"
    )
    p.add_argument("--template", metavar="ID", help="报告格式：auto（默认，按年度判断）或已加载模板的 id，如 2021")
    p.add_argument("--agency-level", choices=("auto", "department", "government", "township"), help="机关层级")
    p.add_argument("--report-year", help="报告年度（默认从报告中识别）")
    p.add_argument(
        "--rule-pack", action="append", dest="rule_packs", metavar="FILE", help="额外的 TOML 规则包（可重复）"
    )
    p.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="FILE|KEY=VALUE",
        help="使用此配置文件(不再向上查找);或以 TOML 写一个配置项,如 --config 'severity.GK3=\"warning\"'(可重复)",
    )
    p.add_argument("--isolated", action="store_true", help="忽略所有配置文件")
    p.add_argument("--stdin-filename", metavar="NAME", help="从标准输入读取时显示的文件名（也用于查找配置）")
    p.add_argument(
        "-j",
        "--jobs",
        type=整数,
        default=None,
        metavar="N",
        help="并行检查的进程数（默认为 CPU 核数；文件很少时在本进程内检查）",
    )
    p.add_argument(
        "--statistics",
        action="store_true",
        help="只输出按规则统计的问题数量（不列出各个问题；合并报告的问题按其位置数计，"
        "如一张表的 125 个空白单元格计 125）；--format json 时为 JSON",
    )
    p.add_argument(
        "--sort",
        choices=("total", "path", "agency", "year", *FAMILIES),
        help="summary/summary-csv 的排序: total(问题总数,默认)、path、agency、year 或某一类规则的问题数",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="只输出问题，不输出汇总")
    p.add_argument("--exit-zero", action="store_true", help="有问题也以 0 退出（不可读的输入除外）")
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=None,
        help="何时使用颜色：auto（默认，输出到终端时；设置了环境变量 NO_COLOR 时不用）、always、never",
    )
    p.add_argument("--no-color", action="store_true", help="不使用颜色（同 --color never）")
    p.add_argument("-o", "--output-file", metavar="FILE", help="把结果写入此文件（UTF-8），而不是标准输出")
    p.add_argument("--baseline", metavar="FILE", help="基线文件：其中记录的已知问题不再报告，只报告新问题")
    p.add_argument(
        "--write-baseline", metavar="FILE", help="把本次发现的全部问题写入基线文件（此后用 --baseline FILE）"
    )
    p.add_argument(
        "--fix",
        action="store_true",
        help="自动修复可安全修复的问题（只改 .txt、.md 文件，保留编码和换行符；"
        "Word、网页、PDF 文件不修改）；`--fix -` 把修复后的标准输入写到标准输出",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="只显示 --fix 将做的修改（统一 diff 格式），不写入文件；`--diff -` 针对标准输入",
    )
    p.add_argument("-V", "--version", action="version", version=f"gikcheck {__version__}", help="显示版本号并退出")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from .catalog import PluginError  # not .plugins: --version and --help do without pluggy

    args = list(sys.argv[1:] if argv is None else argv)
    # Start-up (modules, rules, rule packs) builds some 10^5 objects that live as long as the run;
    # the collector would walk them over and over for nothing (≈ 7 % of a cold run). It resumes,
    # with them frozen out of its way, once they are built (_started). Only in a process of our
    # own: a caller's collector is the caller's.
    global _paused
    if argv is None and gc.isenabled():
        gc.disable()
        _paused = True
    try:
        return _main(args)
    except PluginError as e:  # a broken installation: said once, exit 2, no traceback
        print(f"gikcheck: 错误：{e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    finally:
        _started()


_paused = False


def entry() -> NoReturn:
    """The ``gikcheck`` command and ``python -m gikcheck``: ``main()``, then the end of the process."""
    end_process(main())


def end_process(code: int) -> NoReturn:
    """Exit with ``code`` without tearing the interpreter down, as mypy's ``hard_exit`` does.

    A normal exit frees the run's objects one by one and collects once more (≈ 3 ms of a
    cold run, for a process about to vanish). What an exit must still do is done here:
    the ``atexit`` callbacks run (the kept compiled patterns are saved by one) and the
    standard streams are flushed. Only when nothing else wants the teardown: a tracer or
    profiler (coverage, cProfile write their results after the program), ``python -i``,
    or another thread still running get the ordinary exit.
    """
    threading = sys.modules.get("threading")
    if (
        sys.gettrace() is not None
        or sys.getprofile() is not None
        or sys.flags.inspect
        or (threading is not None and threading.active_count() > 1)
    ):
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (gikcheck … | head): as main() answers one
            pass
    os._exit(code)


def _started() -> None:
    """Start-up is over: what it built is frozen (never collected, never walked again), collection resumes."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def _main(argv: list[str]) -> int:
    # `check` is the default subcommand: anything else first is a path or an option of it. A
    # subcommand's name is always the subcommand, whatever files the current directory holds
    # (a path of the same name is written ./rules, or after `check` or `--`).
    if not argv or argv[0] not in SUBCOMMANDS:
        argv = ["check", *argv]
    elif argv[0] != "check" and os.path.isfile(argv[0]):
        print(
            f"gikcheck: 提示：当前目录下有名为 {argv[0]} 的文件或目录；这里执行的是子命令 {argv[0]}，"
            f"要检查该文件请写 gikcheck ./{argv[0]}",
            file=sys.stderr,
        )
    args = build_parser(argv[0]).parse_args(argv)
    if args.run is not _cmd_check:  # check resumes collection itself, once its rules and packs are loaded
        _started()
    return args.run(args)


def _csv(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.replace(" ", ",").split(",") if v.strip()]


def _cmd_check(args: argparse.Namespace) -> int:
    if not args.paths:
        args.paths = ["."]  # as ruff: no path checks the current directory
    if args.output_file:
        try:
            out = open(args.output_file, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
        except OSError as e:
            print(f"gikcheck: 错误：无法写入 {args.output_file}：{e.strerror or e}", file=sys.stderr)
            return EXIT_USAGE
        with out:
            return _run_check(args, out)
    return _run_check(args, sys.stdout)


def color_choice(args: argparse.Namespace) -> bool | None:
    """True (always), False (never) or None (auto: styles on a terminal only)."""
    choice = args.color or ("never" if args.no_color else None)
    if choice is None and os.environ.get("NO_COLOR"):  # https://no-color.org: any non-empty value
        choice = "never"
    return {"always": True, "never": False}.get(choice or "auto")


def _run_check(args: argparse.Namespace, stdout) -> int:
    if len(args.paths) == 1 and args.paths[0].lower().endswith(".pdf") and not (args.fix or args.diff):
        # One PDF: PDFium parses its pages in another thread while the engine and the rules load.
        from .readers.pdfopen import drop_ahead, open_ahead

        open_ahead(args.paths[0])
        try:
            return _check_paths(args, stdout)
        finally:
            drop_ahead()  # not taken up (a plugin's reader, an excluded file): nothing left running
    return _check_paths(args, stdout)


def _check_paths(args: argparse.Namespace, stdout) -> int:
    # Paths stay strings here: pathlib (with urllib.parse and ipaddress, ≈ 0.5 ms) is no part of
    # a plain run; the options that write or read files of their own import it.
    from .config import ConfigError, Resolver
    from .engine import FileResult, Url, finish_run, iter_files, knowledge_for, lint_stream
    from .formatters import needs, streams
    from .plugins import hooks, warn_load_errors
    from .runner import FileList, default_jobs, lint_files
    from .templates import PackError

    hook = hooks()
    warn_load_errors()
    formatters: dict = {}
    for batch in hook.gikcheck_formatters():
        formatters.update(batch or {})
    fmt = args.format or "full"
    if fmt not in formatters:
        print(f"gikcheck: 错误：未知的输出格式 {fmt!r}（可用：{', '.join(sorted(formatters))}）", file=sys.stderr)
        return EXIT_USAGE

    config_file: str | None = None
    inline: dict[str, Any] = {}
    for item in args.config:
        if os.path.isfile(item):
            config_file = item
        elif "=" in item:
            parsed = _inline_toml(item)
            if parsed is None:
                print(
                    f'gikcheck: 错误：--config {item!r} 不是合法的 TOML 配置项（例如 fail-on = "warning"）',
                    file=sys.stderr,
                )
                return EXIT_USAGE
            for k, v in parsed.items():
                if isinstance(v, dict) and isinstance(inline.get(k), dict):
                    inline[k].update(v)
                else:
                    inline[k] = v
        else:
            print(f"gikcheck: 错误：配置文件 {item} 不存在", file=sys.stderr)
            return EXIT_USAGE
    overrides: dict = dict(inline)
    for key, value in (
        ("select", _csv(args.select)),
        ("extend-select", _csv(args.extend_select)),
        ("ignore", _csv(args.ignore)),
        ("fail-on", args.fail_on),
        ("template", args.template),
        ("agency-level", args.agency_level),
        ("report-year", args.report_year),
        ("rule-packs", args.rule_packs),
    ):
        if value is not None:
            overrides[key] = value
    resolver = Resolver(overrides=overrides, config_file=config_file, isolated=args.isolated)

    results: list[FileResult] = []
    try:
        # Validate the command line once even before any file is read.
        resolver.for_path(None)
        files = FileList()  # compact: a national year is 200 000 of them
        stdin = None
        for path, shown in iter_files(args.paths):
            if path is None:
                stdin = args.stdin_filename or "-"
            else:
                settings = resolver.for_path(None if isinstance(path, Url) else path)
                # Names as strings: at national scale this list is the largest thing the main process holds.
                files.append((path, shown, settings))  # a Url stays a Url
        # A broken rule pack is a usage error (exit 2) before any file is read, not a finding per file.
        for settings in {id(s): s for s in [resolver.for_path(None), *(f[2] for f in files)]}.values():
            knowledge_for(settings)
        # Only then can reports be compared.
        several = len(files) + (stdin is not None) > 1
        if several:
            _started()
        # One report leaves the collector paused to the end (main()): checking one makes next to no
        # cyclic garbage (a few hundred objects, none at all in a text report of the 500,000-character
        # limit), and its collections would be ≈ 2 % of the run.
        if stdin is not None:
            settings = resolver.for_path(stdin if args.stdin_filename else None)
            if (args.diff or args.fix) and not files:
                # As ruff: the fixed text (--fix) or the diff (--diff) of standard input on standard output.
                from .reading import ReadError, read_stream

                try:
                    data = read_stream(sys.stdin.buffer)
                except ReadError as e:
                    print(f"gikcheck: 标准输入无法读取：{e.reason}", file=sys.stderr)
                    return 2
                return _fix_stdin(data, stdin, settings, args, stdout, resolver)
            results.append(lint_stream(sys.stdin.buffer, stdin, settings, summarize=several).detach())
        if args.jobs is not None and args.jobs < 1:
            print("gikcheck: 错误：-j/--jobs 应为正整数", file=sys.stderr)
            return EXIT_USAGE
        baseline = _load_baseline(args.baseline) if args.baseline else None
        if args.diff or args.fix:
            changed = _apply_fixes(files, write=not args.diff, stdin=stdin is not None, stdout=stdout)
            if args.diff:
                return EXIT_FINDINGS if changed else EXIT_OK
        render = formatters[fmt]
        keep = needs(render)  # of each source, only what the format shows
        if not files and not results:
            from .engine import reader_suffixes

            kinds = "、".join(reader_suffixes())
            print(f"gikcheck: 错误：给出的目录中没有可检查的报告文件（{kinds}）", file=sys.stderr)
            return EXIT_USAGE
        color = color_choice(args)
        options = {"quiet": args.quiet, "no_color": color is False, "color": color, "sort": args.sort}
        pending = lint_files(files, args.jobs or default_jobs(), keep=keep, summarize=several)
        if args.statistics:
            # Only the statistics (as ruff): the findings are counted, not listed.
            def render(results, stream, options):
                for _ in results:
                    pass

        if streams(render) and not args.write_baseline:
            # Each report's findings are written as soon as it is checked (see streaming.py).
            from .streaming import StreamedRun

            run = StreamedRun(baseline)
            render(run.results(results, pending), stdout, options)
            codes, outcomes = run.codes, run.outcomes
            applied = run.baseline_outcome()
        else:
            results.extend(pending)
            finish_run(results)
            applied = None
            if args.write_baseline:
                # The new baseline accepts everything found now; it replaces --baseline for this run.
                from pathlib import Path

                written = _write_baseline(Path(args.write_baseline), results, args.quiet)
                if written is None:
                    return EXIT_USAGE
                written.apply(results)
                # The human formats say what was stored, not that nothing was found.
                options["baselined"] = sum(written.entries.values())
            elif baseline is not None:
                applied = baseline.apply(results)
            render(results, stdout, options)
            from .diagnostics import count_places
            from .streaming import outcome

            codes = count_places(d for r in results for d in r.diagnostics)  # places, as ruff counts
            outcomes = [outcome(r) for r in results]
    except (ConfigError, PackError) as e:
        print(f"gikcheck: 配置错误：{e}", file=sys.stderr)
        return EXIT_USAGE
    except _UsageError as e:
        print(f"gikcheck: 错误：{e}", file=sys.stderr)
        return EXIT_USAGE
    if applied is not None:
        _report_baseline(args.baseline, *applied, args.quiet)
    if args.statistics:
        _print_statistics(codes, stdout, as_json=fmt in ("json", "jsonl"))
    return exit_code(outcomes, resolver, args.exit_zero)


class _UsageError(Exception):
    """A usage error found while running (exit 2); the message is for the user."""


def _load_baseline(name: str):
    from pathlib import Path

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
        print(f"gikcheck: 错误：无法写入基线文件 {path}: {e.strerror or e}", file=sys.stderr)
        return None
    if not quiet:
        n = sum(baseline.entries.values())
        print(f"gikcheck: 已把 {n} 个问题写入基线文件 {path}（以后用 --baseline {path} 只报告新问题）", file=sys.stderr)
    return baseline


def _report_baseline(name: str, suppressed: int, stale: list, quiet: bool) -> None:
    if quiet:
        return
    if suppressed:
        print(f"gikcheck: 按基线 {name} 略去了 {suppressed} 个已知问题", file=sys.stderr)
    if stale:
        n = sum(e.count for e in stale)
        print(
            f"gikcheck: 提示：基线 {name} 中有 {n} 个已知问题不再出现（已修复?），"
            f"可用 --write-baseline {name} 更新基线:",
            file=sys.stderr,
        )
        for e in stale:
            times = f"(×{e.count})" if e.count > 1 else ""
            print(f"  {e.path}: {e.code} {e.anchor}{times}", file=sys.stderr)


def _apply_fixes(files, write: bool, stdin: bool, stdout=None) -> bool:
    """--fix / --diff over the text files of the run; True when something was (or would be) changed."""
    from pathlib import Path

    from .engine import Url
    from .fileio import write_atomic
    from .fixes import FIXABLE_SUFFIXES, FixError, fix_file

    stdout = stdout or sys.stdout
    if stdin:
        print("gikcheck: 提示：与文件一起给出的标准输入不做自动修复（单独用 `--fix -` 或 `--diff -`）", file=sys.stderr)
    applied = n_files = skipped = 0
    not_text: list[str] = []
    for name, shown, settings in files:
        if isinstance(name, Url) or not str(name).lower().endswith(FIXABLE_SUFFIXES):
            not_text.append(shown)
            continue
        path = Path(name)  # the run's list holds names (see _check_paths)
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
            stdout.write(result.diff())
    for shown in not_text[:20]:
        kind = "Word 文件" if shown.lower().endswith((".docx", ".doc", ".wps")) else "网页、PDF 等非文本文件"
        print(
            f"gikcheck: 提示：{shown}：{kind}不自动修复（只修复 .txt、.md 文本文件），请按检查结果在原文件中修改",
            file=sys.stderr,
        )
    if len(not_text) > 20:
        print(f"gikcheck: 提示：另有 {len(not_text) - 20} 个非文本文件不自动修复", file=sys.stderr)
    if write:
        if applied:
            print(f"gikcheck: 已自动修复 {applied} 个问题（涉及 {n_files} 个文件）", file=sys.stderr)
    elif applied:
        print(f"gikcheck: 可自动修复 {applied} 个问题（涉及 {n_files} 个文件）；用 --fix 写入", file=sys.stderr)
    elif len(not_text) < len(files):
        print("gikcheck: 文本文件中没有可自动修复的问题", file=sys.stderr)
    if skipped:
        print(f"gikcheck: 提示：{skipped} 处修复与其他修复重叠，未自动应用", file=sys.stderr)
    return applied > 0


def _fix_stdin(data: bytes, shown: str, settings, args: argparse.Namespace, stdout, resolver) -> int:
    """`--fix -` writes the fixed text, `--diff -` the diff, of standard input to standard output.

    Exit code: --diff 1 when something would change; --fix as a check of the fixed text.
    """
    from .engine import lint_bytes
    from .fixes import fix_text, unified_diff
    from .reading import ReadError, decode
    from .streaming import outcome

    try:
        text, _encoding = decode(data)
    except ReadError as e:
        print(f"gikcheck: 错误：标准输入：{e.reason}", file=sys.stderr)
        return EXIT_USAGE
    result = fix_text(text, shown, settings)
    if args.diff:
        stdout.write(unified_diff(shown, text, result.text))
        if result.applied:
            print(f"gikcheck: 可自动修复 {result.applied} 个问题", file=sys.stderr)
        else:
            print("gikcheck: 没有可自动修复的问题", file=sys.stderr)
        return EXIT_FINDINGS if result.text != text else EXIT_OK
    from .fixes import encode_as

    try:
        fixed = encode_as(result.text, _encoding, data)
    except (UnicodeEncodeError, LookupError):
        fixed = result.text.encode("utf-8")
    stdout.flush()
    if hasattr(stdout, "buffer"):  # the bytes as they came in: same encoding, BOM and line endings
        stdout.buffer.write(fixed)
        stdout.buffer.flush()
    else:
        stdout.write(result.text)
    left = lint_bytes(result.text.encode("utf-8"), shown, settings, summarize=False)
    remaining = len(left.diagnostics)
    print(
        f"gikcheck: 已自动修复 {result.applied} 个问题；仍有 {remaining} 个问题"
        f"{'（不修复标准输入即可用 gikcheck - 查看）' if remaining else ''}",
        file=sys.stderr,
    )
    return exit_code([outcome(left)], resolver, args.exit_zero)


def _add_lsp(subs) -> _Parser:
    p = subs.add_parser(
        "lsp",
        prog="gikcheck lsp",
        help=SUBCOMMANDS["lsp"],
        description="启动语言服务器（LSP，经标准输入输出通信），供编辑器显示检查结果",
    )
    p.set_defaults(run=_cmd_lsp)
    return p


def _cmd_lsp(args: argparse.Namespace) -> int:
    try:
        from .lsp import serve
    except ImportError as e:  # pygls is an optional extra
        print(f"gikcheck: 错误：语言服务器需要 pygls（pip install 'gikcheck[lsp]'）：{e}", file=sys.stderr)
        return EXIT_USAGE
    serve()
    return EXIT_OK


def _add_review(subs) -> _Parser:
    p = subs.add_parser(
        "review",
        prog="gikcheck review",
        help=SUBCOMMANDS["review"],
        description="写一份带批注的 Word 审阅副本：每个问题一条批注（作者「gikcheck」），"
        "标在问题所指的文字上。Word 报告复制后加批注；文本、网页、PDF 报告转为新的 .docx。原文件不变。",
    )
    p.add_argument("report", metavar="REPORT", help="要审阅的报告（.docx、.txt、.md、.html、.pdf）")
    p.add_argument(
        "-o", "--output", metavar="OUT.docx", help="审阅副本的文件名（默认：报告名加「-审阅.docx」，与报告同目录）"
    )
    p.add_argument("--select", help="只启用这些规则（逗号分隔）")
    p.add_argument("--ignore", help="停用这些规则")
    p.add_argument("--config", metavar="FILE", help="使用此配置文件（不再向上查找）")
    p.add_argument("--isolated", action="store_true", help="忽略所有配置文件")
    p.set_defaults(run=_cmd_review)
    return p


def _cmd_review(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .config import ConfigError, Resolver
    from .review import ReviewError, review
    from .templates import PackError

    report = Path(args.report)
    if not report.is_file():
        print(f"gikcheck: 错误：报告 {report} 不存在或不是文件", file=sys.stderr)
        return EXIT_USAGE
    output = Path(args.output) if args.output else report.with_name(f"{report.stem}-审阅.docx")
    overrides = {k: v for k, v in (("select", _csv(args.select)), ("ignore", _csv(args.ignore))) if v is not None}
    try:
        settings = Resolver(
            overrides=overrides, config_file=Path(args.config) if args.config else None, isolated=args.isolated
        ).for_path(report)
        done = review(report, output, settings)
    except (ConfigError, PackError) as e:
        print(f"gikcheck: 配置错误：{e}", file=sys.stderr)
        return EXIT_USAGE
    except ReviewError as e:
        print(f"gikcheck: 错误：{e}", file=sys.stderr)
        return EXIT_USAGE
    what = "Word 副本" if done.source_kind == "docx" else "新的 Word 文档（报告的文字）"
    print(f"gikcheck: 已写入{what} {done.output}：{done.comments} 条批注（{done.findings} 个问题）", file=sys.stderr)
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
        if o.worst is not None and o.worst >= resolver.for_path(o.path if o.path != "-" else None).fail_on:
            return EXIT_FINDINGS
    return EXIT_OK


def _print_statistics(counts: Counter, stream, as_json: bool = False) -> None:
    from .registry import rule_by_code

    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if as_json:
        import json

        json.dump(
            [
                {
                    "code": code,
                    "name": getattr(rule_by_code(code), "name", ""),
                    "count": n,
                    "fixable": bool(getattr(rule_by_code(code), "fixable", False)),
                }
                for code, n in ordered
            ],
            stream,
            ensure_ascii=False,
            indent=2,
        )
        stream.write("\n")
        return
    for code, n in ordered:
        rule = rule_by_code(code)
        stream.write(f"{n:>6}  {code}  {rule.name if rule else ''}  {rule.summary() if rule else ''}\n")
    total = sum(counts.values())
    stream.write(f"共 {total} 个问题。\n" if total else "没有发现问题。\n")


def _declare_configured_rules() -> bool:
    """Make the phrase rules declared by the packs of the current directory's configuration known
    to ``rules`` and ``explain``; False (the message printed) when the configuration is broken."""
    from .config import ConfigError, Resolver
    from .engine import knowledge_for
    from .templates import PackError

    try:
        knowledge_for(Resolver().for_path(None))
    except (ConfigError, PackError) as e:
        print(f"gikcheck: 配置错误：{e}", file=sys.stderr)
        return False
    return True


def _add_rules(subs) -> _Parser:
    p = subs.add_parser("rules", prog="gikcheck rules", help=SUBCOMMANDS["rules"], description="列出全部规则")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=_cmd_rules)
    return p


def _cmd_rules(args: argparse.Namespace) -> int:
    from .registry import all_rules

    if not _declare_configured_rules():
        return EXIT_USAGE
    rules = all_rules()
    if args.format == "json":
        import json

        json.dump(
            [
                {
                    "code": r.code,
                    "name": r.name,
                    "severity": str(r.default_severity),
                    "summary": r.summary(),
                    "templates": r.template_ids(),
                    "fixable": r.fixable,
                }
                for r in rules
            ],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(title="gikcheck 规则", show_lines=False)
    for col in ("代码", "名称", "默认级别", "适用格式", "说明"):
        table.add_column(col)
    for r in rules:
        table.add_row(r.code, r.name, str(r.default_severity), ",".join(r.template_ids()), r.summary())
    # On a terminal the table fits it; piped, it is not cut to rich's default 80 columns.
    tty = sys.stdout.isatty()
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() else None if tty else 1000
    Console(soft_wrap=False, width=width, no_color=bool(os.environ.get("NO_COLOR"))).print(table)
    return EXIT_OK


def _add_explain(subs) -> _Parser:
    p = subs.add_parser("explain", prog="gikcheck explain", help=SUBCOMMANDS["explain"], description="解释一条规则")
    p.add_argument("code", help="规则代码或名称,例如 GK301 或 application-balance")
    p.set_defaults(run=_cmd_explain)
    return p


def _cmd_explain(args: argparse.Namespace) -> int:
    from .registry import rule_by_code

    if not _declare_configured_rules():
        return EXIT_USAGE
    rule = rule_by_code(args.code)
    if rule is None:
        print(f"gikcheck: 错误：没有规则 {args.code!r}（`gikcheck rules` 列出全部规则）", file=sys.stderr)
        return EXIT_USAGE
    import io

    buf = io.StringIO()
    buf.write(f"{rule.code} ({rule.name})\n")
    buf.write(
        f"默认级别：{rule.default_severity}  适用格式：{', '.join(rule.template_ids())}"
        f"{'  可自动修复' if rule.fixable else ''}\n\n"
    )
    buf.write(rule.summary() + "\n\n" + rule.explanation() + "\n")
    sys.stdout.write(buf.getvalue())
    return EXIT_OK
