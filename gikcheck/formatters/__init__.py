"""Built-in output formatters, registered through the ``gikcheck`` entry point.

Each format's module is imported only when that format is used, so that
the start of every run does not pay for all of them.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

from ..plugins import hookimpl

# format name -> (module, function)
_BUILTIN = {
    "full": ("full", "render"),
    "concise": ("concise", "render"),
    "json": ("json_format", "render"),
    "jsonl": ("jsonl", "render"),
    "sarif": ("sarif", "render"),
    "github": ("github", "render"),
    "junit": ("junit", "render"),
    "html": ("html", "render"),
    "summary": ("summary", "render"),
    "summary-csv": ("summary", "render_csv"),
}


# Formats that write result by result: the CLI hands them results as they are checked (an
# iterable, one pass; a file's cross-document findings may come as a second result at the end).
# A plugin's formatter says the same by a true ``streams`` attribute.
STREAMING = frozenset({"full", "concise", "jsonl"})


def _lazy(name: str, module: str, func: str) -> Callable[..., Any]:
    def render(results, stream, options) -> None:
        fn = getattr(importlib.import_module(f"{__name__}.{module}"), func)
        return fn(results, stream, options)

    render.__qualname__ = f"{module}.{func}"
    render.streams = name in STREAMING  # type: ignore[attr-defined]
    return render


@hookimpl
def gikcheck_formatters() -> dict[str, Callable[..., Any]]:
    return {name: _lazy(name, module, func) for name, (module, func) in _BUILTIN.items()}
