"""gcc-style one line per finding: ``path:line:col: severity: message [CODE]``, then a count
line (as ruff's ``Found 3 errors.``) unless ``--quiet``.

``info`` is printed as ``note`` so that editors' gcc problem matchers
(VS Code ``$gcc``, vim's errorformat) pick it up.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import IO, Any

_LABEL = {"error": "error", "warning": "warning", "info": "note"}


def render(results: Iterable[Any], stream: IO[str], options: dict[str, Any]) -> None:
    found = files = 0
    for res in results:
        files += 1  # noqa: SIM113 (a stream of results: counted as they come)
        for d in res.diagnostics:
            found += 1
            loc = d.location
            stream.write(f"{d.path}:{loc.line}:{loc.column}: {_LABEL[str(d.severity)]}: {d.message} [{d.code}]\n")
    if options.get("quiet"):
        return
    stream.write(count_line(found, options))


def count_line(found: int, options: dict[str, Any]) -> str:
    if options.get("baselined"):
        return f"已把 {options['baselined']} 个问题写入基线文件，此后只报告新问题。\n"
    return f"共发现 {found} 个问题。\n" if found else "没有发现问题。\n"
