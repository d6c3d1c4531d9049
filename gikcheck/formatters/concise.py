"""gcc-style one line per finding: ``path:line:col: severity: message [CODE]``.

``info`` is printed as ``note`` so that editors' gcc problem matchers
(VS Code ``$gcc``, vim's errorformat) pick it up.
"""
from __future__ import annotations

from typing import IO, Any, Iterable

_LABEL = {"error": "error", "warning": "warning", "info": "note"}


def render(results: Iterable[Any], stream: IO[str], options: dict[str, Any]) -> None:
    for res in results:
        for d in res.diagnostics:
            loc = d.location
            stream.write(f"{d.path}:{loc.line}:{loc.column}: {_LABEL[str(d.severity)]}: {d.message} [{d.code}]\n")
