"""One defect, one finding: what the engine does with the rules' findings before output.

Two steps, both declared by the rules rather than coded here case by case (as ruff's
rule redirects and sqlfluff's rule metadata are declarations):

* ``supersede``: a rule's ``supersedes`` lists codes whose finding on the same place
  says less (GK203, a misspelt table label, over GK505, a misspelt term, on that label).
  Such findings are dropped when both are found.
* ``group``: a rule's ``group_by`` says where its repeated findings are one pattern (a
  table, a section, a run of adjacent lines, the document) and ``group_key`` which of them
  (all of them, those with one anchor, those with one ``pattern`` datum). Two or more
  such findings become one: its span is the first place's, its related locations list
  every place (the first included, each with its own anchor, so that baselines accept
  places one by one), its message is the rule's ``group_message`` and its fix applies
  every place's edits. ``Diagnostic.occurrences`` keeps the count of places, which
  ``--statistics`` reports.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from . import TYPE_CHECKING
from .diagnostics import Diagnostic, Fix, Related, Span

if TYPE_CHECKING:
    from .parsing.report import Report
    from .rule import Rule


def _overlap(a: Span, b: Span) -> bool:
    if a.start == a.end or b.start == b.end:
        return a.start <= b.start <= a.end or b.start <= a.start <= b.end
    return a.start < b.end and b.start < a.end


def supersede(diags: list[Diagnostic], rule_of: Callable[[str], type[Rule] | None]) -> list[Diagnostic]:
    """Drop the findings another finding on the same place supersedes."""
    winners = [
        (d.span, set(rule.supersedes)) for d in diags if (rule := rule_of(d.code)) is not None and rule.supersedes
    ]
    if not winners:
        return diags
    return [d for d in diags if not any(d.code in codes and _overlap(span, d.span) for span, codes in winners)]


class _Scopes:
    """Where a finding is, as the grouping scopes see it: (key for the anchor, name for messages)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.sections = sorted(report.sections, key=lambda m: m.start)
        self.starts = [m.start for m in self.sections]

    def table(self, d: Diagnostic) -> tuple[str, str] | None:
        pos = d.span.start
        for mt in self.report.tables:
            if mt.span.start <= pos <= mt.span.end:
                return f"table:{mt.spec.key}", mt.spec.title
        return None

    def section(self, d: Diagnostic) -> tuple[str, str]:
        i = bisect.bisect_right(self.starts, d.span.start) - 1
        if i < 0:
            return "section:", "标题和导语部分"
        m = self.sections[i]
        if d.span.start < m.end:
            return f"section:{m.spec.key}", f"「{m.heading.title}」部分"
        # Under a heading the template does not name: between two of its sections.
        return f"section:after:{m.spec.key}", f"「{m.heading.title}」部分之后"


# A line between two findings of a block that does not end it: blank, or short and not a sentence
# (a page footer's 「主办:……」「地址:……」 lines between the flagged ones).
_SHORT_LINE = 40
_SENTENCE_END = ("。", "!", "！", "?", "？", ";", "；")


def _joins_block(text: str) -> bool:
    t = text.strip()
    return not t or (len(t) <= _SHORT_LINE and not t.endswith(_SENTENCE_END))


def _block_runs(members: list[Diagnostic], report: Report) -> list[list[Diagnostic]]:
    """Runs of findings on adjacent lines; blank lines and short non-sentence lines between them
    (the rest of a page header or footer) do not break a run, a line of prose does."""
    doc = report.doc
    runs: list[list[Diagnostic]] = []
    last_line = -1
    for d in members:
        line = d.location.line if d.location else doc.line_of(d.span.start)
        if runs and all(_joins_block(doc.line_text(n)) for n in range(last_line + 1, line)):
            runs[-1].append(d)
        else:
            runs.append([d])
        last_line = max(last_line, line)
    return runs


def _pattern(rule: type[Rule], d: Diagnostic) -> str:
    if rule.group_key == "anchor":
        return d.anchor or d.message
    if rule.group_key == "pattern":
        return str(d.data.get("pattern", ""))
    return ""


def group(diags: list[Diagnostic], report: Report, rule_of: Callable[[str], type[Rule] | None]) -> list[Diagnostic]:
    """Merge the repeated findings of each grouping rule; ``diags`` is in text order, and so is the result."""
    scopes: _Scopes | None = None
    buckets: dict[tuple, list[Diagnostic]] = {}
    order: list[tuple | Diagnostic] = []
    for d in diags:
        rule = rule_of(d.code)
        if rule is None or rule.group_by is None:
            order.append(d)
            continue
        scopes = scopes or _Scopes(report)
        if rule.group_by == "table":
            where = scopes.table(d)
        elif rule.group_by == "section":
            where = scopes.section(d)
        else:  # block runs are cut below; document is one scope
            where = ("document", "全文")
        if where is None:
            order.append(d)
            continue
        applicability = d.fix.applicability if d.fix else ""
        key = (d.code, d.path, where, _pattern(rule, d), applicability)
        if key not in buckets:
            buckets[key] = []
            order.append(key)
        buckets[key].append(d)
    out: list[Diagnostic] = []
    for item in order:
        if isinstance(item, Diagnostic):
            out.append(item)
            continue
        members = buckets[item]
        rule = rule_of(item[0])
        assert rule is not None
        (scope_key, where), pattern = item[2], item[3]
        if rule.group_by == "block":
            for run in _block_runs(members, report):
                first, last = run[0].location, run[-1].location
                lines = (
                    (f"第 {first.line} 行" if first.line == last.line else f"第 {first.line}—{last.line} 行")
                    if first and last
                    else "同一处"
                )
                out.append(merge(rule, run, lines, f"block:{run[0].anchor or run[0].message}"))
        else:
            anchor = scope_key + (f":{pattern}" if pattern else "")
            out.append(merge(rule, members, where, anchor))
    return out


def merge(rule: type[Rule], members: list[Diagnostic], where: str, anchor: str) -> Diagnostic:
    """One finding for ``members`` (a lone member is returned as it is)."""
    if len(members) == 1:
        return members[0]
    first = members[0]
    places = tuple(Related(rule.place_label(m), m.span, m.location, m.anchor or m.message) for m in members)
    fix = None
    edits = tuple(e for m in members if m.fix for e in m.fix.edits)
    if edits:
        fixes = [m.fix for m in members if m.fix]
        messages = {f.message for f in fixes}
        fix = Fix(fixes[0].message if len(messages) == 1 else f"修改 {len(fixes)} 处", edits, fixes[0].applicability)
    data = {k: v for k, v in first.data.items() if k == "origin"}
    return Diagnostic(
        code=first.code,
        name=first.name,
        message=rule.group_message(where, members),
        span=first.span,
        severity=max(m.severity for m in members),
        path=first.path,
        location=first.location,
        help=first.help,
        related=places,
        fix=fix,
        anchor=anchor,
        data=data,
        occurrences=sum(m.occurrences for m in members),
    )
