"""The Han characters of a report's paragraphs, shared by the prose rules (GK507) and the
cross-document fingerprint (GK510)."""

from __future__ import annotations

import re

from .. import TYPE_CHECKING
from ..memo import once

if TYPE_CHECKING:
    from typing import Any

# \p{Han} as the installed `regex` knows it, spelled out for the stdlib `re`, which finds the runs
# of a class about twice as fast (tests/test_rules_text.py keeps the two equal).
HAN_CLASS = (
    "\u2e80-\u2e99\u2e9b-\u2ef3\u2f00-\u2fd5\u3005\u3007\u3021-\u3029\u3038-\u303b"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufa6d\ufa70-\ufad9\U00016fe2-\U00016fe3"
    "\U00016ff0-\U00016ff6\U00020000-\U0002a6df\U0002a700-\U0002b81e\U0002b820-\U0002cead"
    "\U0002ceb0-\U0002ebe0\U0002ebf0-\U0002ee5d\U0002f800-\U0002fa1d\U00030000-\U0003134a"
    "\U00031350-\U00033479"
)
# `re`, though it takes ~1 ms to compile each (it maps the CJK blocks bit by bit): the map then
# finds the runs of every report's text twice as fast as `regex` does.
_HAN_RUNS = re.compile(f"[{HAN_CLASS}]+")
_HAN_RUNS_OR_NUL = re.compile(f"[{HAN_CLASS}\x00]+")


def han_paragraphs(report: Any) -> list[str]:
    """The Han characters of each of ``report.blocks.paragraphs`` in the shadow text, once per report."""
    return once(report, _build_han_paragraphs)


def _build_han_paragraphs(report: Any) -> list[str]:
    doc = report.doc
    shadow = doc.shadow.text
    if doc.shadow.origin is None:
        parts = [shadow[p.span.start : p.span.end] for p in report.blocks.paragraphs]
    else:
        parts = [
            shadow[doc.shadow_offset(p.span.start) : doc.shadow_offset(p.span.end)] for p in report.blocks.paragraphs
        ]
    if "\x00" in shadow:
        found = ["".join(_HAN_RUNS.findall(x)) for x in parts]
    else:
        # One scan of all paragraphs, NUL-separated, instead of a call per paragraph.
        found = "".join(_HAN_RUNS_OR_NUL.findall("\x00".join(parts))).split("\x00")
    return found
