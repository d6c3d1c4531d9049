"""The rule base class. A rule's docstring is its documentation.

The first docstring line is the one-line summary (Chinese); the rest is
the explanation ``gikcheck explain CODE`` prints, under fixed headings
(检查什么 / 依据 / 错误示例 / 正确示例), as ruff's rule docs are.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable, Sequence

from . import TYPE_CHECKING
from .diagnostics import Diagnostic, Fix, Location, Related, Severity, Span
from .packcheck import is_feature

if TYPE_CHECKING:
    from typing import Any, ClassVar

    from .parsing.report import Report
    from .templates import Template

# What a rule code and a rule name look like (GK301, application-balance).
CODE_RE = re.compile(r"^[A-Z]{2,6}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
GROUP_SCOPES = (None, "table", "section", "block", "document")
GROUP_KEYS = ("rule", "anchor", "pattern")


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.ERROR
    # What a template must declare for this rule to apply (Template.provides: "ordered", "tables",
    # "government-items", "outdated-labels", "table:<key>/<id>,…"); () for every template.
    requires: ClassVar[tuple[str, ...]] = ()
    # For plugins: template ids (or ids they extend) this rule is limited to; () for any.
    templates: ClassVar[tuple[str, ...]] = ()
    # "document": check() is called per report; "run": check_run() once per run.
    scope: ClassVar[str] = "document"
    fixable: ClassVar[bool] = False
    # Emitted by the engine itself (GK001, GK002) rather than by check().
    engine: ClassVar[bool] = False
    # One pattern, one finding (gikcheck/grouping.py). ``group_by``: where repeated findings of
    # this rule become one: None (never), "table", "section", "block" (a run of adjacent lines)
    # or "document". ``group_key``: which of them are one pattern: "rule" (all), "anchor" (those
    # with one anchor) or "pattern" (those with one ``pattern`` datum, e.g. GK205's blank cells).
    group_by: ClassVar[str | None] = None
    group_key: ClassVar[str] = "rule"
    # One defect, one finding: codes whose findings on this rule's span say less than this
    # rule's finding and are dropped when both are found (e.g. GK203 over GK505 on a label).
    supersedes: ClassVar[tuple[str, ...]] = ()
    # Where tests/test_rule_examples.py puts this rule's 错误示例 / 正确示例 to run them:
    # "<template> <how>[:<anchor>]", e.g. "2021 para:六、" (a paragraph before section 六 of
    # examples/clean-2021.txt); "" only for the few rules exempt there.
    examples_in: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if _is_abstract(cls) or cls.__dict__.get("abstract", False):
            return
        if not CODE_RE.match(getattr(cls, "code", "")):
            raise TypeError(f"{cls.__name__}: rule code must look like GK123")
        if not NAME_RE.match(getattr(cls, "name", "")):
            raise TypeError(f"{cls.__name__}: rule name must be kebab-case")
        if not (cls.__doc__ or "").strip():
            raise TypeError(f"{cls.__name__}: a rule needs a docstring (its documentation)")
        if not all(is_feature(f) for f in cls.requires):
            raise TypeError(f"{cls.__name__}: requires names an unknown template feature: {cls.requires}")
        if cls.group_by not in GROUP_SCOPES or cls.group_key not in GROUP_KEYS:
            raise TypeError(f"{cls.__name__}: group_by must be one of {GROUP_SCOPES}, group_key one of {GROUP_KEYS}")

    @classmethod
    def applies_to(cls, template: Template) -> bool:
        """Asked of what the template declares, never of its id: a pack extending 2021 is checked as 2021 is."""
        return (not cls.templates or any(template.is_a(t) for t in cls.templates)) and all(
            template.provides(f) for f in cls.requires
        )

    @classmethod
    def template_ids(cls) -> list[str]:
        """The loaded built-in templates this rule applies to (for `gikcheck rules`)."""
        from .templates import load_knowledge

        return [t.id for t in load_knowledge().templates.values() if t.builtin and cls.applies_to(t)]

    @classmethod
    def summary(cls) -> str:
        return cleandoc(cls.__doc__ or "").splitlines()[0].strip()

    @classmethod
    def explanation(cls) -> str:
        lines = cleandoc(cls.__doc__ or "").splitlines()[1:]
        return "\n".join(lines).strip()

    def check(self, report: Report, ctx: RuleContext) -> Iterable[Diagnostic]:
        return ()

    @classmethod
    def group_message(cls, where: str, members: list[Diagnostic]) -> str:
        """The message of the finding that stands for ``members`` (two or more) found in ``where``
        (「表三」「「二、主动公开政府信息情况」部分」「第 80—86 行」「全文」). Rules may say it better."""
        return f"{members[0].message}（{where}共有 {len(members)} 处同类问题，见相关位置）"

    @classmethod
    def place_label(cls, member: Diagnostic) -> str:
        """How one place of a grouped finding is named among its related locations."""
        return member.message

    # Run-scope rules (scope = "run") compare reports of one run. They work in
    # two steps so that documents can be parsed in worker processes:
    # summarize() runs per report and returns picklable data (with any
    # Locations the findings will need); check_run() sees all summaries.
    # ``ctx.settings`` is the report's configuration (e.g. its [agencies] table).
    # ``items`` is a sequence of (path, summary): in a long run one read from disk as
    # asked for (gikcheck/spill.py), where a summary is read back with spill.loaded().
    def summarize(self, report: Report, ctx: RuleContext) -> Any:
        return None

    def check_run(self, items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterable[Diagnostic]:
        return ()


class RuleContext:
    """What a rule needs besides the report: a way to build its diagnostics."""

    def __init__(self, rule: type[Rule], report: Report, settings: Any = None) -> None:
        self.rule = rule
        self.report = report
        self.settings = settings

    def diagnostic(
        self,
        span: Span,
        message: str,
        *,
        help: str | None = None,
        related: Iterable[tuple[str, Span]] = (),
        anchor: str = "",
        fix: Fix | None = None,
        severity: Severity | None = None,
        **data: Any,
    ) -> Diagnostic:
        doc = self.report.doc
        return Diagnostic(
            code=self.rule.code,
            name=self.rule.name,
            message=message,
            span=span,
            severity=severity or self.rule.default_severity,
            path=doc.path,
            location=doc.location(span),
            help=help,
            related=tuple(Related(m, s, doc.location(s)) for m, s in related),
            anchor=anchor,
            fix=fix,
            data=dict(data),
        )


class RunContext:
    """Builds the diagnostics of a run-scope rule; locations come from the summaries."""

    def __init__(self, rule: type[Rule]) -> None:
        self.rule = rule

    def diagnostic(
        self,
        path: str,
        span: Span,
        location: Location,
        message: str,
        *,
        help: str | None = None,
        related: Iterable[tuple[str, str, Location]] = (),
        anchor: str = "",
        severity: Severity | None = None,
        **data: Any,
    ) -> Diagnostic:
        """``related``: (message, path, location) triples, possibly in other files."""
        rel = tuple(Related(f"{m}({p})" if p != path else m, Span(0, 0), loc) for m, p, loc in related)
        return Diagnostic(
            code=self.rule.code,
            name=self.rule.name,
            message=message,
            span=span,
            severity=severity or self.rule.default_severity,
            path=path,
            location=location,
            help=help,
            related=rel,
            anchor=anchor,
            data=dict(data),
        )


# What ``inspect.isabstract`` and ``inspect.cleandoc`` do, without importing inspect (with ast,
# dis and tokenize: ~5 ms of every cold run, for two small functions).


def _is_abstract(cls: type) -> bool:
    """inspect.isabstract, also right inside __init_subclass__ (before ABCMeta has finished)."""
    if cls.__flags__ & (1 << 20):  # Py_TPFLAGS_IS_ABSTRACT
        return True
    if not isinstance(cls, abc.ABCMeta) or hasattr(cls, "__abstractmethods__"):
        return False
    if any(getattr(v, "__isabstractmethod__", False) for v in cls.__dict__.values()):
        return True
    return any(
        getattr(getattr(cls, name, None), "__isabstractmethod__", False)
        for base in cls.__bases__
        for name in getattr(base, "__abstractmethods__", ())
    )


def cleandoc(doc: str) -> str:
    """inspect.cleandoc: the docstring without the indentation its lines after the first share."""
    lines = doc.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.lstrip()]
    margin = min(indents, default=0)
    lines = [lines[0].lstrip()] + [line[margin:] for line in lines[1:]]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)
