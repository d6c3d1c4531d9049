"""The phrase rules declared as data in the built-in packs (rules/phrases.toml) and in the
packs plugins provide: GK501 placeholder, GK502 web-residue, GK505 misspelt-term,
GK508 vague-figure. The engine that builds them is gikcheck/phrases.py; a user's pack
declares its own through ``rule-packs`` (see README, "Writing a phrase rule")."""

from __future__ import annotations

from ..phrases import rules_in
from ..plugins import hookimpl, hooks
from ..rule import Rule
from ..templates import pack_files


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    paths = pack_files()
    for batch in hooks().gikcheck_rule_packs():
        paths.extend(str(p) for p in batch or ())
    return [rule for path in paths for rule in rules_in(path)]
