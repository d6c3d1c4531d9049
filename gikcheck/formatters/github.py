"""GitHub Actions workflow commands, one annotation per finding.

``::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message``
(``notice`` for info), each file inside ``::group::`` / ``::endgroup::``.
Data is escaped as ``@actions/core`` does (``%``, CR, LF; property values
also ``:`` and ``,``). A grouped finding (one pattern, many places) is one annotation at
its first place, its other places listed in the message (``另见: 54:22, 55:23 …``).
GitHub shows only ten annotations of each kind per step, so when
``$GITHUB_STEP_SUMMARY`` is set a Markdown summary table of every finding is
appended to it as well.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence

from .. import TYPE_CHECKING
from ._common import also_line, location

if TYPE_CHECKING:
    from typing import IO, Any

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
SUMMARY_LIMIT = 1000 * 1024  # GitHub caps a step summary at 1 MiB


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Any) -> str:
    loc = location(d)
    props = [f"file={escape_property(d.path)}", f"line={loc.line}", f"endLine={loc.end_line}"]
    if loc.line == loc.end_line:  # GitHub honours columns only on a single line
        props += [f"col={loc.column}", f"endColumn={max(loc.end_column, loc.column)}"]
    title = f"{d.code} {d.name}" if d.name else d.code
    props.append(f"title={escape_property(title)}")
    message = d.message + (f"\n另见：{also_line(d)}" if d.grouped else "") + (f"\n帮助：{d.help}" if d.help else "")
    return f"::{LEVEL[str(d.severity)]} {','.join(props)}::{escape_data(message)}"


def _md(s: str) -> str:
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def summary_markdown(results: Sequence[Any]) -> str:
    counts: Counter[str] = Counter(str(d.severity) for r in results for d in r.diagnostics)
    files_with = sum(1 for r in results if r.diagnostics)
    out = ["## gikcheck 检查结果", ""]
    total = sum(counts.values())
    if not total:
        out.append(f"检查了 {len(results)} 个文件，没有发现问题。")
        return "\n".join(out) + "\n"
    parts = "、".join(f"{counts[k]} 个{_LABEL[k]}" for k in ("error", "warning", "info") if counts[k])
    out += [
        f"共发现 {total} 个问题（{parts}），涉及 {files_with}/{len(results)} 个文件。",
        "",
        "| 文件 | 错误 | 警告 | 提示 |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        c = Counter(str(d.severity) for d in r.diagnostics)
        out.append(f"| {_md(r.path)} | {c['error']} | {c['warning']} | {c['info']} |")
    out += ["", "| 文件 | 位置 | 代码 | 级别 | 说明 |", "|---|---|---|---|---|"]
    size = sum(len(s.encode("utf-8")) + 1 for s in out)
    shown = 0
    for r in results:
        for d in r.diagnostics:
            loc = location(d)
            row = (
                f"| {_md(d.path)} | {loc.line}:{loc.column} | {d.code} | {_LABEL[str(d.severity)]} | {_md(d.message)} |"
            )
            size += len(row.encode("utf-8")) + 1
            if size > SUMMARY_LIMIT - 200:
                out += ["", f"（另有 {total - shown} 个问题未列出：超出 GitHub 步骤摘要的大小上限）"]
                return "\n".join(out) + "\n"
            out.append(row)
            shown += 1
    return "\n".join(out) + "\n"


def render(results: Sequence[Any], stream: IO[str], options: dict[str, Any]) -> None:
    for res in results:
        if not res.diagnostics:
            continue
        stream.write(f"::group::{escape_data(res.path)}\n")
        for d in res.diagnostics:
            stream.write(annotation(d) + "\n")
        stream.write("::endgroup::\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as f:
                f.write(summary_markdown(results))
        except OSError as e:
            import sys

            print(f"gikcheck: 无法写入 GITHUB_STEP_SUMMARY({summary}): {e.strerror or e}", file=sys.stderr)
