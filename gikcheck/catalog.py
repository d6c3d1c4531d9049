"""What is installed and built in, readable without importing it.

``--help`` lists the output formats and the rule families: with no third-party plugin installed
these are the built-in ones below, known without importing pluggy or the
formatters (gikcheck.formatters registers them from this table).
"""

from __future__ import annotations

import sys

# The rule families: a code's first digit, and what the family checks (the summary's columns).
FAMILIES = {
    "GK0": "读取",
    "GK1": "结构",
    "GK2": "表格",
    "GK3": "数据",
    "GK4": "日期",
    "GK5": "文字",
}


# format name -> (module, function, needs, streams)
BUILTIN_FORMATS = {
    "full": ("full", "render", "lines", True),
    "concise": ("concise", "render", "none", True),
    "json": ("json_format", "render", "none", False),
    "jsonl": ("jsonl", "render", "none", True),
    "sarif": ("sarif", "render", "text", False),
    "github": ("github", "render", "none", False),
    "junit": ("junit", "render", "none", False),
    "html": ("html", "render", "text", False),
    "summary": ("summary", "render", "none", False),
    "summary-csv": ("summary", "render_csv", "none", False),
}


class PluginError(Exception):
    """A built-in module cannot be loaded: the installation is broken (a usage error, exit 2)."""


def entry_points_of(group: str) -> list[tuple[str, str]]:
    """(name, "module:attr") of the installed entry points of ``group``.

    Reads the ``entry_points.txt`` of each distribution on ``sys.path``
    directly: ``importlib.metadata`` would cost every run ~20 ms of imports
    (the email package among them) for the same few lines. Falls back to it
    when anything looks unusual.
    """
    import os

    found: dict[str, str] = {}
    try:
        for entry in sys.path:
            if not entry or not os.path.isdir(entry):
                continue
            for dist in os.listdir(entry):
                if not dist.endswith((".dist-info", ".egg-info")):
                    continue
                path = os.path.join(entry, dist, "entry_points.txt")
                try:  # bytes, decoded at once: a text-mode file per distribution costs a cold run ~0.5 ms
                    with open(path, "rb") as fh:
                        text = fh.read().decode("utf-8")
                except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                    continue  # no such file (what os.path.isfile says)
                if group not in text:
                    continue  # (most distributions: other groups only)
                section = None
                # The lines as a text-mode file reads them (universal newlines).
                for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                    line = raw.strip()
                    if not line or line[0] in "#;":
                        continue
                    if line.startswith("[") and line.endswith("]"):
                        section = line[1:-1].strip()
                    elif section == group and "=" in line:
                        k, v = line.split("=", 1)
                        found.setdefault(k.strip(), v.strip())  # the first on sys.path wins
    except (OSError, UnicodeDecodeError):
        from importlib.metadata import entry_points

        return [(ep.name, ep.value) for ep in entry_points(group=group)]
    return sorted(found.items())


def only_builtin_plugins(group: str = "gikcheck") -> bool:
    """True when every installed entry point of ``group`` is one of gikcheck's own modules."""
    return all(value.strip().startswith(f"{group}.") for _, value in entry_points_of(group))
