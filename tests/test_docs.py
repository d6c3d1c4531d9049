"""The README's rule table is generated from the rules' own metadata and must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_rule_table_is_current():
    spec = importlib.util.spec_from_file_location("gen_rules_table", ROOT / "tools" / "gen_rules_table.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert mod.render(text) == text, "run: python tools/gen_rules_table.py"
