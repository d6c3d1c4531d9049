"""Human output after ruff's ``full`` format: drawn with rich on a terminal, plain elsewhere.

For each finding: code and name, ``--> path:line:col``, the source line
with the span marked by a caret line that accounts for display width
(a CJK character takes two cells), the related places (a grouped finding's
places on one line, ``= 另见: 54:22, 55:23 …``, capped), ``help:``; then a summary per severity.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

from .. import TYPE_CHECKING
from ..diagnostics import Location
from ._common import also_line

if TYPE_CHECKING:
    from typing import IO, Any

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
MAX_LINE = 120


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)


def _excerpt(line: str, start: int, end: int) -> tuple[str, int, int]:
    """Cut a long line around [start, end) (0-based code points)."""
    if len(line) <= MAX_LINE:
        return line, start, end
    lo = max(0, start - 30)
    hi = min(len(line), max(end, start + 1) + 30, lo + MAX_LINE)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(line) else ""
    return prefix + line[lo:hi] + suffix, start - lo + len(prefix), min(end, hi) - lo + len(prefix)


def source_lines(res: Any) -> dict[int, str]:
    """The lines this result's findings point at (1-based), from its text or the lines kept for it."""
    if res.lines is not None:
        return res.lines
    if not res.text:
        return {}
    from ..document import split_lines

    return dict(enumerate(split_lines(res.text), 1))


# What rich strips from text it prints (bell, backspace, vertical tab, form feed, CR):
# the plain path drops the same, so both paths print the same characters.
_CONTROL = dict.fromkeys((7, 8, 11, 12, 13))

_START = Location(1, 1, 1, 1)  # a finding made without a place (the engine gives every one a place)

Segment = tuple[str, str]  # (text, rich style; "" for none)


def _wants_rich(stream: IO[str], options: dict[str, Any]) -> bool:
    """Styles only reach a terminal (or a forced one): elsewhere skip importing rich (~15 ms)."""
    if options.get("color") is not None:
        return bool(options["color"])
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def _lines(results: Iterable[Any], options: dict[str, Any]) -> Iterator[list[Segment]]:
    """The output, line by line, as styled segments (one pass over ``results``, which may
    hold a file twice: its cross-document findings come last in a streamed run)."""
    counts: Counter[str] = Counter()
    paths: set[str] = set()
    files_with: set[str] = set()
    for res in results:
        lines = source_lines(res)
        paths.add(res.path)
        if res.diagnostics:
            files_with.add(res.path)
        for d in res.diagnostics:
            sev = str(d.severity)
            counts[sev] += 1
            loc = d.location or _START
            yield [
                (f"{d.code} ", _STYLE[sev]),
                (f"[{d.name}] " if d.name else "", "dim"),
                (f"{_LABEL[sev]}: ", _STYLE[sev]),
                (d.message, "bold"),
            ]
            origin = [(" ", ""), (f"({d.data['origin']})", "dim")] if d.data.get("origin") else []
            yield [("  ", ""), ("-->", "blue"), (f" {d.path}:{loc.line}:{loc.column}", ""), *origin]
            if loc.line in lines:
                # A tab is one code point but many cells: show it as one space so the caret lines up.
                line = lines[loc.line].rstrip("\r").replace("\t", " ")
                end_col = loc.end_column if loc.end_line == loc.line else len(line) + 1
                text, s, e = _excerpt(line, loc.column - 1, max(end_col - 1, loc.column))
                gutter = str(loc.line)
                pad = " " * len(gutter)
                yield [("  ", ""), (f"{pad} |", "blue")]
                yield [("  " + gutter + " | ", "blue"), (text, "")]
                caret = " " * _width(text[:s]) + "^" * max(1, _width(text[s:e]))
                yield [("  " + pad + " | ", "blue"), (caret, _STYLE[sev])]
            if d.grouped:  # one pattern, many places: the places on one line (json lists them all)
                yield [("  ", ""), ("=", "blue"), (f" 另见：{also_line(d)}", "dim")]
            else:
                for r in d.related:
                    where = f"{r.location.line}:{r.location.column}" if r.location else ""
                    yield [("  ", ""), ("=", "blue"), (f" 相关：{r.message} ", ""), (f"({where})", "dim")]
            if d.help:
                yield [("  ", ""), ("=", "blue"), (" ", ""), ("help", "bold"), (f": {d.help}", "")]
            yield []
    if options.get("quiet"):
        return
    n_files = len(paths)
    if options.get("baselined"):  # --write-baseline: every finding was just stored, none is "absent"
        yield [
            ("✔", "green"),
            (f" 检查了 {n_files} 个文件，已把 {options['baselined']} 个问题写入基线文件，此后只报告新问题。", ""),
        ]
        return
    if not sum(counts.values()):
        yield [("✔", "green"), (f" 检查了 {n_files} 个文件，没有发现问题。", "")]
        return
    parts = [f"{counts[k]} 个{_LABEL[k]}" for k in ("error", "warning", "info") if counts[k]]
    yield [
        (f"共发现 {sum(counts.values())} 个问题（{'、'.join(parts)}），涉及 {len(files_with)}/{n_files} 个文件。", "")
    ]


def render(results: Iterable[Any], stream: IO[str], options: dict[str, Any]) -> None:
    if not _wants_rich(stream, options):
        for segments in _lines(results, options):
            stream.write("".join(t for t, _ in segments).translate(_CONTROL) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=stream,
        highlight=False,
        soft_wrap=True,
        no_color=options.get("no_color", False),
        force_terminal=options.get("color"),
    )
    for segments in _lines(results, options):
        console.print(Text.assemble(*((t, style or "") for t, style in segments)))
