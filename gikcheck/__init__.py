"""gikcheck: the linter for 政府信息公开工作年度报告.

Library API::

    from gikcheck import check_text, check_path
    for d in check_path("report.txt"):
        print(d.code, d.location.line, d.message)
"""

from __future__ import annotations

__version__ = "0.1.0"

# For `if TYPE_CHECKING:` blocks (mypy reads any name TYPE_CHECKING as true): importing `typing`
# only for it would cost a cold run ~3 ms; annotations are strings (`from __future__ import annotations`).
TYPE_CHECKING = False
__all__ = ["__version__", "check_path", "check_text"]


def __getattr__(name: str):
    # Keep `import gikcheck` (and so the CLI's start) cheap: load the engine on use.
    if name in ("check_text", "check_path"):
        from . import rx  # noqa: F401 (first: the kept compiled patterns, before the engine's modules compile theirs)

        # isort: split
        from . import engine

        return getattr(engine, name)
    raise AttributeError(name)
