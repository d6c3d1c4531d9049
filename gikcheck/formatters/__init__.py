"""Built-in output formatters, registered through the ``gikcheck`` entry point."""
from __future__ import annotations

from typing import Any, Callable

from ..plugins import hookimpl


@hookimpl
def gikcheck_formatters() -> dict[str, Callable[..., Any]]:
    from . import concise, full, json_format

    return {"full": full.render, "concise": concise.render, "json": json_format.render}
