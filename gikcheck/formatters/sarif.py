"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; the driver lists every registered rule with its summary and
explanation (the text of ``gikcheck explain``). Columns are declared as
Unicode code points (``columnKind: unicodeCodePoints``), the unit of every
gikcheck position. Relative paths are given against ``%SRCROOT%`` so that
code scanning matches findings across runs; ``partialFingerprints`` carry a
position-free key (code + anchor) so that a finding keeps its identity when
lines move. Safe and unsafe fixes become SARIF ``fixes``. A grouped finding (one pattern,
many places) lists every place in ``relatedLocations``, with their number in
``properties.count``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from .. import TYPE_CHECKING, __version__
from ..diagnostics import Diagnostic, Location
from ..fixes import FIXABLE_SUFFIXES
from ._common import line_index, location

if TYPE_CHECKING:
    from typing import IO, Any

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_location(path: str) -> dict[str, Any]:
    """A SARIF artifactLocation: relative paths against %SRCROOT%, others as absolute URIs."""
    if path.lower().startswith(("http://", "https://")):
        return {"uri": path}
    if path == "-":
        return {"uri": "stdin"}
    p = Path(path)
    if p.is_absolute():
        try:
            rel = os.path.relpath(p, Path.cwd())
        except ValueError:  # another drive on Windows
            return {"uri": p.as_uri()}
        if rel.startswith(".."):
            return {"uri": p.as_uri()}
        path = rel
    posix = path.replace(os.sep, "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(posix, safe="/"), "uriBaseId": "%SRCROOT%"}


def region(loc: Location) -> dict[str, int]:
    return {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line, "endColumn": loc.end_column}


def _fingerprint(path: str, d: Diagnostic, nth: int) -> str:
    key = "\x1f".join((path.replace(os.sep, "/"), d.code, d.anchor or d.message, str(nth)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _rules() -> tuple[list[dict[str, Any]], dict[str, int]]:
    from ..registry import all_rules

    out: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule in all_rules():
        summary = rule.summary()
        explanation = rule.explanation() or summary
        index[rule.code] = len(out)
        out.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": summary},
                "fullDescription": {"text": explanation},
                "help": {"text": explanation, "markdown": explanation},
                "defaultConfiguration": {"level": LEVEL[str(rule.default_severity)]},
                "properties": {"tags": [rule.name], "templates": list(rule.templates), "fixable": bool(rule.fixable)},
            }
        )
    return out, index


def _result(d: Diagnostic, index: dict[str, int], lines: Any, nth: int) -> dict[str, Any]:
    art = artifact_location(d.path)
    out: dict[str, Any] = {
        "ruleId": d.code,
        "level": LEVEL[str(d.severity)],
        "message": {"text": d.message + (f"\n帮助：{d.help}" if d.help else "")},
        "locations": [{"physicalLocation": {"artifactLocation": art, "region": region(location(d))}}],
        "partialFingerprints": {"gikcheck/v1": _fingerprint(d.path, d, nth)},
    }
    if d.code in index:
        out["ruleIndex"] = index[d.code]
    related = [
        {
            "id": i + 1,
            "message": {"text": r.message},
            "physicalLocation": {"artifactLocation": art, "region": region(r.location)},
        }
        for i, r in enumerate(d.related)
        if r.location is not None
    ]
    if related:
        out["relatedLocations"] = related
    if d.anchor:
        out["properties"] = {"anchor": d.anchor}
    if d.grouped:  # one pattern, many places: every place is a related location
        out.setdefault("properties", {})["count"] = d.occurrences
    # Fixes are offsets into the report's text: they only make sense for the text inputs --fix changes.
    if d.fix and d.fix.edits and lines is not None and d.path.lower().endswith(FIXABLE_SUFFIXES):
        out["fixes"] = [
            {
                "description": {"text": d.fix.message},
                "artifactChanges": [
                    {
                        "artifactLocation": art,
                        "replacements": [
                            {
                                "deletedRegion": region(lines.location(e.span)),
                                "insertedContent": {"text": e.replacement},
                            }
                            for e in d.fix.edits
                        ],
                    }
                ],
            }
        ]
        out.setdefault("properties", {})["fixApplicability"] = d.fix.applicability
    return out


# Where the tool is documented (SARIF toolComponent.informationUri): the package's page.
INFORMATION_URI = "https://pypi.org/project/gikcheck/"


def build(results: Sequence[Any]) -> dict[str, Any]:
    rules, index = _rules()
    sarif_results: list[dict[str, Any]] = []
    for res in results:
        lines = line_index(res.text) if res.text is not None else None
        seen: Counter[tuple[str, str]] = Counter()
        for d in res.diagnostics:
            key = (d.code, d.anchor or d.message)
            seen[key] += 1
            sarif_results.append(_result(d, index, lines, seen[key]))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "gikcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
        "invocations": [
            {
                "executionSuccessful": any(r.readable for r in results),
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": d.message},
                        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(r.path)}}],
                    }
                    for r in results
                    if not r.readable
                    for d in r.diagnostics
                    if d.code == "GK001"
                ],
            }
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(results: Sequence[Any], stream: IO[str], options: dict[str, Any]) -> None:
    json.dump(build(results), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
