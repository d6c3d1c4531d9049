"""Rewrite the rule table in README.md from the registered rules (their metadata is the source).

Run: python tools/gen_rules_table.py   (tests/test_docs.py checks the table is current)
"""

from __future__ import annotations

import sys
from pathlib import Path

START, END = "<!-- rules-table-start -->", "<!-- rules-table-end -->"
README = Path(__file__).resolve().parents[1] / "README.md"


def where(rule: type) -> str:
    """Where a rule is defined: its Python module, or the pack that declares it as data."""
    source = getattr(rule, "source", "")
    if source:
        return f"`rules/{Path(source).name}`"
    path = rule.__module__.replace(".", "/")
    return f"`{path}/__init__.py`" if hasattr(sys.modules[rule.__module__], "__path__") else f"`{path}.py`"


def table() -> str:
    from gikcheck.registry import all_rules

    rows = ["| code | name | default | checks | defined in |", "|---|---|---|---|---|"]
    rows += [f"| {r.code} | {r.name} | {r.default_severity} | {r.summary()} | {where(r)} |" for r in all_rules()]
    return "\n".join(rows) + "\n"


def render(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in sys.argv:
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
