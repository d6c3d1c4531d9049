"""Built-in output formatters, registered through the ``gikcheck`` entry point."""
from __future__ import annotations

from typing import Any, Callable

from ..plugins import hookimpl


@hookimpl
def gikcheck_formatters() -> dict[str, Callable[..., Any]]:
    from . import concise, full, github, html, json_format, jsonl, junit, sarif
    from . import summary

    return {
        "summary": summary.render,
        "summary-csv": summary.render_csv,
        "full": full.render,
        "concise": concise.render,
        "json": json_format.render,
        "jsonl": jsonl.render,
        "sarif": sarif.render,
        "github": github.render,
        "junit": junit.render,
        "html": html.render,
    }
