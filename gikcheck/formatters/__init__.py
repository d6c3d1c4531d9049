"""Built-in output formatters, registered through the ``gikcheck`` entry point.

Each format's module is imported only when that format is used, so that
the start of every run does not pay for all of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .. import TYPE_CHECKING
from ..catalog import BUILTIN_FORMATS as _BUILTIN
from ..plugins import hookimpl

if TYPE_CHECKING:
    from typing import Any

# What a formatter is handed, declared on the formatter function (a plugin's too):
#   ``needs``: of each report's source, "text" (the whole text, the default), "lines" (only
#       the lines its findings point at, in ``result.lines``) or "none";
#   ``streams``: a true value hands it the results as they are checked (an iterable, one
#       pass; a file's cross-document findings may come as a second result at the end).
NEEDS = ("text", "lines", "none")


def needs(render: Callable[..., Any]) -> str:
    """What of the source ``render`` shows; a formatter that does not say is given the whole text."""
    need = getattr(render, "needs", "text")
    return need if need in NEEDS else "text"


def streams(render: Callable[..., Any]) -> bool:
    return bool(getattr(render, "streams", False))


def _lazy(module: str, func: str, need: str, streaming: bool) -> Callable[..., Any]:
    def render(results, stream, options) -> None:
        fn = getattr(importlib.import_module(f"{__name__}.{module}"), func)
        return fn(results, stream, options)

    render.__qualname__ = f"{module}.{func}"
    render.needs = need  # type: ignore[attr-defined]
    render.streams = streaming  # type: ignore[attr-defined]
    return render


@hookimpl
def gikcheck_formatters() -> dict[str, Callable[..., Any]]:
    return {name: _lazy(*spec) for name, spec in _BUILTIN.items()}
