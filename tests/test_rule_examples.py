"""Every rule's 错误示例 / 正确示例 is a test, as pycodestyle runs its Okay/E lines.

A rule's docstring (``gikcheck explain CODE``) shows a bad and a good example. An example is a
fragment (a sentence, a table row, a heading), so the rule says on its class where the fragment
goes (``Rule.examples_in``): ``"<template> <how>[:<anchor>]"``, the clean example report of that
template (examples/clean-<template>.txt) being the context:

- ``para:<anchor>``  each part is a new paragraph just before the line starting with <anchor>;
- ``line:<anchor>``  the example replaces the line starting with <anchor>;
- ``swap``           the good example's parts are in the clean report; the bad example's parts
                     take their places (in order; all places are found first, so parts may trade);
- ``rows[:<anchor>]`` each part is a table row and replaces the row with the same first cell,
                     or (a row the template lacks) is inserted before the line starting with <anchor>.

An example's parts are separated by 「;」; a trailing note in parentheses and quotes around an
example are not part of it. In the bad report every part (``para``, ``rows``: each part alone) must produce
the rule's code; in the good report it must not appear. Other rules may fire: only the rule's own
code is asserted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import codes

from gikcheck.registry import all_rules
from gikcheck.rule import Rule

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Rules whose examples describe more than a fragment of one report can show; the only exemptions.
EXEMPT = {
    "GK001": "the input is not a readable report at all (a renamed .docx, a wrong encoding)",
    "GK002": "an internal error of a rule, which a report cannot be written to cause",
    "GK003": "needs a report without any year or template feature, unlike every clean example",
    "GK201": "its bad example is a section without its table: taking a table out is no fragment "
    "(tests/test_rules_core.py::test_gk201_missing_table)",
    "GK308": "compares two years' reports of one agency (tests/test_crossdoc.py)",
    "GK309": "compares two years' reports of one agency (tests/test_crossdoc.py)",
    "GK510": "compares whole reports with each other (tests/test_crossdoc.py)",
}

_SPEC = re.compile(r"^(2008|2019|2021) (para|line|swap|rows)(?::(.+))?$")
_HEADING = re.compile(r"^\*\*(错误示例|正确示例)\*\*\s*", re.M)
_NOTE = re.compile(r"[(（][^()（）]*[)）]。?$")
_QUOTES = {"“": "”", '"': '"', "「": "」"}


def example(rule: type[Rule], which: str) -> str:
    """The text under **which** in the rule's explanation, its lines joined."""
    text = rule.explanation()
    parts = _HEADING.split(text)
    for i in range(1, len(parts) - 1, 2):
        if parts[i] == which:
            body = parts[i + 1].split("\n\n", 1)[0]
            return "".join(line.strip() for line in body.splitlines())
    raise AssertionError(f"{rule.code}: no **{which}** in its docstring")


def _split(text: str) -> list[str]:
    """``text`` split at 「;」 outside brackets and 「」 (a note may hold a 「;」 of its own)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "(（「") - (ch in ")）」")
        if ch in ";；" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return parts + [text[start:]]


def fragments(text: str) -> list[str]:
    """The literal parts of an example: split on 「;」, without a trailing note or enclosing quotes."""
    out = []
    for part in _split(text):
        part = part.strip()
        if part.endswith(("。", ")", "）")) and _NOTE.search(part) and not _NOTE.fullmatch(part):
            part = _NOTE.sub("", part).strip()
        if len(part) > 1 and part[-1] == _QUOTES.get(part[0]):
            part = part[1:-1]
        elif len(part) > 2 and part[-1] == "。" and part[-2] == _QUOTES.get(part[0]):
            part = part[1:-2]
        if part:
            out.append(part)
    return out


def _line_index(lines: list[str], anchor: str) -> int:
    hits = [i for i, line in enumerate(lines) if line.startswith(anchor)]
    assert hits, f"no line starts with {anchor!r}"
    return hits[0]


def place(text: str, how: str, anchor: str | None, parts: list[str], good: list[str]) -> str:
    """``text`` with the example ``parts`` put where ``how`` says (``good``: the good parts, for swap)."""
    lines = text.split("\n")
    if how == "para":
        i = _line_index(lines, anchor or "")
        lines[i:i] = [p for part in parts for p in (part, "")]
    elif how == "line":
        lines[_line_index(lines, anchor or "")] = "".join(parts)
    elif how == "rows":
        for part in parts:
            label = part.split("|")[0].strip()
            i = next((i for i, line in enumerate(lines) if line.split("|")[0].strip() == label), None)
            if i is not None:
                lines[i] = part
            else:
                assert anchor, f"no table row {label!r} to replace, and no anchor to insert it before"
                lines.insert(_line_index(lines, anchor), part)
    elif how == "swap":
        assert len(parts) == len(good), "a swap example needs as many bad parts as good ones"
        spots = []
        for old in good:
            assert old in text, f"the good example {old!r} is not in the clean report"
            spots.append(text.index(old))
        for at, old, new in sorted(zip(spots, good, parts), reverse=True):
            text = text[:at] + new + text[at + len(old) :]
        return text
    return "\n".join(lines)


def _cases() -> list:
    return [pytest.param(r, id=r.code) for r in all_rules()]


def test_exempt_list_names_rules_without_a_context() -> None:
    known = {r.code: r for r in all_rules()}
    for code in EXEMPT:
        assert code in known, f"{code} is exempt but not a rule"
        assert not known[code].examples_in, f"{code} is exempt and declares examples_in"


@pytest.mark.parametrize("rule", _cases())
def test_examples(rule: type[Rule]) -> None:
    if rule.code in EXEMPT:
        pytest.skip(EXEMPT[rule.code])
    check_examples(rule)


def check_examples(rule: type[Rule], **settings) -> None:
    """The bad example gives ``rule``'s code, the good one does not (``settings``: e.g. the
    ``rule_packs`` that declare it)."""
    m = _SPEC.match(rule.examples_in)
    assert m, (
        f"{rule.code}: set examples_in (see tests/test_rule_examples.py) so that its "
        f"错误示例/正确示例 are tested, got {rule.examples_in!r}"
    )
    template, how, anchor = m.groups()
    clean = (EXAMPLES / f"clean-{template}.txt").read_text(encoding="utf-8")
    assert rule.code not in codes(clean, rule.code, **settings)
    bad, good = fragments(example(rule, "错误示例")), fragments(example(rule, "正确示例"))
    assert bad and good
    good_text = place(clean, how, anchor, good, good)
    assert rule.code not in codes(good_text, rule.code, **settings), f"{rule.code} fires on its good example {good}"
    # Parts that stand alone are tried one by one; swapped or joined parts only together.
    batches = [[p] for p in bad] if how in ("para", "rows") else [bad]
    for batch in batches:
        bad_text = place(clean, how, anchor, batch, good)
        assert rule.code in codes(bad_text, rule.code, **settings), f"{rule.code} is silent on its bad example {batch}"


def test_phrase_rules_declared_as_data_have_their_examples_run() -> None:
    # The rules of rules/phrases.toml take their examples from the pack's `explanation`.
    from gikcheck.phrases import PhraseRule

    declared = {r.code: r for r in all_rules() if issubclass(r, PhraseRule)}
    assert set(declared) == {"GK501", "GK502", "GK505", "GK508"}
    for rule in declared.values():
        assert rule.code not in EXEMPT and _SPEC.match(rule.examples_in), rule.code
        assert fragments(example(rule, "错误示例")) and fragments(example(rule, "正确示例"))


def test_fragments() -> None:
    assert fragments('"共70条,其中A 2条。"(2+29+15=46)') == ["共70条,其中A 2条。"]
    assert fragments("（三）不子公开;3.补正启申请内容仍不明确") == ["（三）不子公开", "3.补正启申请内容仍不明确"]
    assert fragments("八丹鄉(xiāng)人民政府") == ["八丹鄉(xiāng)人民政府"]
    assert fragments("无(「一、概述」的内容;其他可只写「无」)") == ["无"]
