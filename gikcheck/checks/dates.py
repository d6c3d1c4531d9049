"""GK4xx: years and dates — report year, contradicting years, deadlines, impossible dates, statistics period.

Patterns come from rules/dates.toml (``report.knowledge.extra["dates"]``);
deadlines from the template pack's ``[deadlines]``, overridden by the
``deadlines`` setting. Matching runs on the prose view (the shadow with layout-wrapped
lines joined, gikcheck.reflow) and maps back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import TYPE_CHECKING, rx
from ..diagnostics import Diagnostic, Severity, Span
from ..parsing.meta import DateRef
from ..patterns import compile_pattern, finditer, pack_pattern
from ..plugins import hookimpl
from ..reflow import prose_view
from ..rule import Rule, RuleContext

if TYPE_CHECKING:
    import datetime as _dt
    from typing import Any

    import regex
else:
    try:  # the C module alone: datetime.py first defines all of it in Python (≈ 1 ms of a cold run)
        import _datetime as _dt
    except ImportError:  # pragma: no cover - an interpreter without it
        import datetime as _dt

_LEVEL_NAMES = {
    "department": "县级以上人民政府部门",
    "government": "县级以上地方人民政府",
    "township": "乡镇人民政府（街道办事处）",
}


def _data(report: Any, section: str) -> dict[str, Any]:
    return report.knowledge.extra.get("dates", {}).get(section, {})


def _fmt(y: int, m: int, d: int) -> str:
    return f"{y}年{m}月{d}日"


class ReportYear(Rule):
    """无法确定报告年度，或标题与正文写的报告年度不一致

    **检查什么** 报告年度应能从标题（如「××县2022年政府信息公开工作年度报告」）、统计期限
    （「统计期限为2022年1月1日至2022年12月31日」）或正文确定。检查两种情况：全文找不到报告年度；
    标题写的年度与统计期限或正文中的自称（「现将2022年度……报告如下」「2022年度政府信息公开工作年度报告」）不一致。

    **依据** 《条例》第四十九条：公布的是「上一年度」的政府信息公开工作年度报告。报告通常在标题
    和「本报告中所列数据的统计期限为……」一句中写明年度；四川 DB51/T 2660—2019 第 2.1 条规定
    统计期限为上一年度的 1月1日至12月31日。

    **错误示例** 统计期限为2021年1月1日至2021年12月31日(标题为「青山镇人民政府2022年政府信息公开工作年度报告」)

    **正确示例** 统计期限为2022年1月1日至2022年12月31日
    """

    code = "GK401"
    name = "report-year"
    examples_in = "2021 swap"
    default_severity = Severity.WARNING

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        meta = report.meta
        title_span = meta.title_span or report.doc.line_span(1)
        if meta.year is None:
            yield ctx.diagnostic(
                title_span,
                "无法确定报告年度：标题、统计期限和正文都没有写明是哪一年的年度报告",
                help="在标题中写明年度，如「××镇人民政府2022年政府信息公开工作年度报告」，并写明统计期限",
                anchor="report-year",
            )
            return
        if not meta.title_year or meta.year_source == "config":
            return
        ty = meta.title_year
        period = meta.period
        if period and period[1] is not None and period[1].year != ty:
            yield ctx.diagnostic(
                period[1].span,
                f"统计期限写的是 {period[1].year} 年，标题写的报告年度是 {ty} 年",
                help=f"统一报告年度：统计期限应为{ty}年1月1日至{ty}年12月31日",
                related=[(f"标题写的是 {ty} 年", title_span)],
                anchor="report-year:period",
            )
        view = prose_view(report)
        text = view.text
        t_lo, t_hi = title_span.start, title_span.end
        seen: set[int] = set()
        for pattern in _data(report, "report_year").get("self_references", []):
            for m in finditer(pattern, text):
                span = view.span(m.start(1), m.end(1))
                y = int(m.group(1))
                # The title itself (or a repeat of it) is no contradiction.
                if y == ty or span.start in seen or t_lo <= span.start < t_hi:
                    continue
                seen.add(span.start)
                yield ctx.diagnostic(
                    span,
                    f"正文称本报告为 {y} 年度报告，标题写的报告年度是 {ty} 年",
                    help=f"统一报告年度为 {ty} 年（或改正标题）",
                    related=[(f"标题写的是 {ty} 年", title_span)],
                    anchor=f"report-year:body:{y}",
                )


class YearMismatch(Rule):
    """正文中的年份与报告年度矛盾

    **检查什么** 正文中与报告年度相矛盾的年份：
    「下一步工作打算」「今后」等部分写的是报告年度本身的打算（2022 年报告的下步打算应是 2023 年）；
    「截至××年底」写的不是报告年度；配置了报告年度时，统计期限写的是另一年。

    **依据** 《条例》第四十九条、第五十条：年度报告报告的是上一年度的工作，改进计划指向下一年度。

    **错误示例** 下一步，2022年我镇将每月检查专栏更新情况(2022 年度报告的改进计划写的是报告年度本身)

    **正确示例** 2023年，我镇将每月检查专栏更新情况
    """

    code = "GK402"
    name = "year-mismatch"
    examples_in = "2021 swap"
    default_severity = Severity.WARNING

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        year = report.meta.year
        if year is None:
            return
        yield from self._plans(report, ctx, year)
        yield from self._as_of(report, ctx, year)
        period = report.meta.period
        if report.meta.year_source == "config" and period and period[1] is not None and period[1].year != year:
            yield ctx.diagnostic(
                period[1].span,
                f"统计期限写的是 {period[1].year} 年，与报告年度 {year} 年不符",
                help=f"统计期限应为{year}年1月1日至{year}年12月31日",
                anchor="year-mismatch:period",
            )

    def _plans(self, report, ctx, year: int) -> Iterator[Diagnostic]:
        plans = _data(report, "plans")
        anchors = plans.get("anchors")
        if not anchors:
            return
        view = prose_view(report)
        text = view.text
        intent = plans.get("intent", "将")
        retro = plans.get("retrospective", "底|末")
        # The intent must follow before any other figure ("2018年的基础上,2019年将" is about 2019).
        dated = rf"(?<!\d){year}\s*年(?!{retro})[^。;\n\d]{{0,20}}?(?:{intent})"
        anchor_re = pack_pattern(anchors)
        found: set[int] = set()

        def emit(m: regex.Match, label: str) -> Diagnostic | None:
            span = view.span(m.start(), m.start() + 4)
            if span.start in found:
                return None
            found.add(span.start)
            return ctx.diagnostic(
                span,
                f"「{label}」写的是 {year} 年的打算，与报告年度 {year} 年相同（今后的打算应为 {year + 1} 年）",
                help=f"改为 {year + 1} 年，或核对报告年度",
                anchor=f"year-mismatch:plan:{label}",
            )

        # Sections under a plan heading, down to the next heading of the same or a higher level
        # (there is none when the text lacks every anchor word).
        headings = report.blocks.headings if anchor_re.may_match(text) else []
        limit = int(plans.get("scope", 3000))
        for i, h in enumerate(headings):
            t0, t1 = view.from_source(h.title_span.start), view.from_source(h.title_span.end)
            m_a = anchor_re.compiled.search(text, t0, t1)
            if not m_a:
                continue
            nxt = next((n.span.start for n in headings[i + 1 :] if n.level <= h.level), None)
            end = min(len(text) if nxt is None else view.from_source(nxt), t1 + limit)
            for m in finditer(dated, text, t1, end):
                d = emit(m, h.title.strip(" 。.:：") or m_a.group())
                if d:
                    yield d
        # Inline: "下一步,2018年我局将……" in running text.
        window = int(plans.get("inline_window", 40))
        inline = rf"(?:{anchors})[^。;\n]{{0,{window}}}?(?={year}\s*年)"
        for m_a in finditer(inline, text):
            for m in finditer(dated, text, m_a.end(), min(len(text), m_a.end() + 40)):
                d = emit(m, (rx.compile(anchors).match(m_a.group()) or m_a).group())
                if d:
                    yield d
                break

    def _as_of(self, report, ctx, year: int) -> Iterator[Diagnostic]:
        pattern = _data(report, "as_of").get("pattern")
        if not pattern:
            return
        view = prose_view(report)
        text = view.text
        for m in finditer(pattern, text):
            y = int(m.group(1))
            if y == year:
                continue
            # A sentence comparing with the report year's own figure is fine.
            s0 = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            s1 = min(i for i in (text.find("。", m.end()), text.find("\n", m.end()), len(text)) if i != -1)
            if compile_pattern(rf"(?:截至|截止)\s*{year}\s*年").search(text, s0, s1):
                continue
            yield ctx.diagnostic(
                view.span(m.start(), m.end()),
                f"「{m.group()}」与报告年度 {year} 年不符（应为截至{year}年底）",
                help=f"年度报告的累计数应截至{year}年12月31日",
                anchor=f"year-mismatch:as-of:{y}",
            )


def deadline_for(report: Any, settings: Any) -> tuple[_dt.date, str, bool] | None:
    """(deadline, level used, from config) for this report, or None when the year is unknown.

    An unknown level gets the latest deadline of all levels, so that nothing is reported wrongly.
    """
    year = report.meta.year
    if year is None:
        return None
    table = report.template.deadlines
    overrides = dict(getattr(settings, "deadlines", ()) or ())
    merged = {**table, **overrides}
    if not merged:
        return None
    level = report.meta.level
    if level not in merged:
        level = max(merged, key=lambda k: merged[k])
    month, day = (int(x) for x in merged[level].split("-"))
    try:
        return _dt.date(year + 1, month, day), level, level in overrides
    except ValueError:
        return None


def _ends_line(report: Any, span: Span) -> bool:
    """A signature date closes its line (a date inside a sentence is no signature)."""
    text = report.doc.text
    nl = text.find("\n", span.end)
    rest = text[span.end : len(text) if nl == -1 else nl]
    return not rest.strip(" \t\r\u3000\u00a0|")


class LatePublication(Rule):
    """署名或发布日期晚于法定公布期限

    **检查什么** 报告落款（署名）日期或网页发布日期是否晚于适用的公布期限。期限在报告年度的次年：
    2008 年版（2008—2018 年度报告）各级行政机关 3月31日；2019 年起县级以上人民政府部门 1月31日，
    县级以上地方人民政府 3月31日；乡镇人民政府、街道办事处《条例》未规定全国统一期限，默认 3月31日。
    可在配置 `deadlines` 中按机关层级改为本地规定的期限。

    **依据** 《条例》第四十九条（2007 年版第三十一条）；国办公开办函〔2021〕30号将「不按时发布」列为问责情形。

    **错误示例** 2023年4月2日(镇人民政府 2022 年度报告的落款日期,默认期限为 2023年3月31日)

    **正确示例** 2023年1月16日
    """

    code = "GK403"
    name = "late-publication"
    examples_in = "2021 line:2023年1月16日"
    default_severity = Severity.WARNING

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        found = deadline_for(report, ctx.settings)
        if found is None:
            return
        deadline, level, configured = found
        meta = report.meta
        basis = report.template.deadline_basis
        if level in report.template.deadline_defaults:
            basis = "《条例》未规定乡镇的全国统一期限，按默认或本地规定"
        if configured:
            basis = "配置 deadlines 设定"
        who = _LEVEL_NAMES.get(level, level) if meta.level else "机关（层级不明，按最宽的期限）"
        # Only the Regulation's own dates are statutory; a township's is a default or a local rule.
        kind = "公布期限" if configured or level in report.template.deadline_defaults else "法定公布期限"
        dl = _fmt(deadline.year, deadline.month, deadline.day)
        for what, ref in (("署名日期", meta.signature_date), ("发布日期", meta.publication_date)):
            if ref is None:
                continue
            if what == "署名日期" and not _ends_line(report, ref.span):
                continue
            date = ref.as_date()
            if date is None or date <= deadline:
                continue
            late = (date - deadline).days
            yield ctx.diagnostic(
                ref.span,
                f"{what} {_fmt(ref.year, ref.month, ref.day)} 晚于{who}的{kind} {dl}({basis})，超期 {late} 天",
                help="按期公布年度报告；如本地规定的期限不同，在配置中设置 deadlines",
                anchor=f"late-publication:{what}",
            )


class InvalidDate(Rule):
    """不存在的日期（2月30日、13月），或晚于检查当天的日期

    **检查什么** 正文中的日期是否真实存在：月份 1—12，日期不超过当月天数（闰年 2月29日）。
    写成「2023年2月30日」「13月」的日期是笔误。晚于检查当天的日期（落款日期写成了未来）也报告；
    「将于……前完成」等计划中的未来日期不报告。

    **依据** 年度报告内容应当真实准确（国办公开办函〔2021〕30号：「发布内容不准确」属问责情形）。

    **错误示例** 2023年2月30日；2022年13月。

    **正确示例** 2023年2月28日；2022年12月。
    """

    code = "GK404"
    name = "invalid-date"
    examples_in = "2021 para:六、"
    default_severity = Severity.ERROR

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        d = _data(report, "dates")
        view = prose_view(report)
        text = view.text
        today = _dt.date.today()
        covered: list[tuple[int, int]] = []
        ref_year = report.meta.year or today.year

        def taken(m: regex.Match) -> bool:
            return any(s < m.end() and m.start() < e for s, e in covered)

        for key in ("full", "iso"):
            pattern = d.get(key)
            if not pattern:
                continue
            for m in finditer(pattern, text):
                covered.append((m.start(), m.end()))
                y, mo, dd = int(m.group(1)), int(m.group(2)), int(m.group(3))
                if key == "iso" and not (1 <= mo <= 12 and 1 <= dd <= 31):
                    continue  # 2019.12.150 is no date at all
                problem = _impossible(y, mo, dd)
                span = view.span(m.start(), m.end())
                if problem:
                    yield ctx.diagnostic(
                        span, f"日期「{m.group()}」不存在：{problem}", anchor=f"invalid-date:{m.group()}"
                    )
                    continue
                date = _dt.date(y, mo, dd)
                if date > today and not self._planned(d, text, m):
                    yield ctx.diagnostic(
                        span,
                        f"日期「{m.group()}」晚于今天（{_fmt(today.year, today.month, today.day)}）",
                        help="核对年份是否写错",
                        anchor=f"invalid-date:future:{m.group()}",
                    )
        if d.get("month_day"):
            for m in finditer(d["month_day"], text):
                if taken(m):
                    continue
                covered.append((m.start(), m.end()))
                mo, dd = int(m.group(1)), int(m.group(2))
                problem = _impossible(ref_year, mo, dd, leap_unknown=True)
                if problem:
                    yield ctx.diagnostic(
                        view.span(m.start(), m.end()),
                        f"日期「{m.group()}」不存在：{problem}",
                        anchor=f"invalid-date:{m.group()}",
                    )
        if d.get("month"):
            for m in finditer(d["month"], text):
                mo = int(m.group(1))
                if 1 <= mo <= 12 or taken(m):
                    continue
                yield ctx.diagnostic(
                    view.span(m.start(), m.end()),
                    f"「{m.group()}」不存在：月份应为 1—12",
                    anchor=f"invalid-date:{m.group()}",
                )

    @staticmethod
    def _planned(d: dict[str, Any], text: str, m: regex.Match) -> bool:
        before = text[max(0, m.start() - 12) : m.start()].rsplit("\n", 1)[-1]
        after = text[m.end() : m.end() + 6]
        return bool(
            (d.get("future_before") and compile_pattern(d["future_before"]).search(before))
            or (d.get("future_after") and compile_pattern(d["future_after"]).search(after))
        )


def _impossible(y: int, mo: int, dd: int, leap_unknown: bool = False) -> str:
    if not 1 <= mo <= 12:
        return "月份应为 1—12"
    if dd < 1:
        return "日期应从 1 日开始"
    if mo == 2 and dd == 29 and leap_unknown:
        return ""
    try:
        _dt.date(y, mo, dd)
    except ValueError:
        days = (
            29
            if mo == 2 and (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
            else (28 if mo == 2 else (30 if mo in (4, 6, 9, 11) else 31))
        )
        return f"{y}年{mo}月只有 {days} 天" if not leap_unknown else f"{mo}月只有 {days} 天"
    return ""


class StatisticsPeriod(Rule):
    """统计期限不是报告年度的自然年，或没有填写

    **检查什么** 「本报告中所列数据的统计期限为……」应为报告年度的 1月1日至 12月31日。
    检查统计期限留空（「自年月日起至年12月31日止」）、不是完整自然年（如 2022年1月1日至2022年11月30日、
    跨年）。统计期限是另一个完整年度时，由 GK401/GK402 报告年度矛盾。

    **依据** 《条例》第四十九条：年度报告报告的是「上一年度」的工作；四川 DB51/T 2660—2019 第 2.1 条
    规定统计期限为上一年度的 1月1日至12月31日。写明统计期限是报告的通行写法；
    报告没有统计期限一句时，本规则不报告。

    **错误示例** 本年报中所列数据的统计期限自年月日起至年12月31日止。

    **正确示例** 本报告中所列数据的统计期限为2022年1月1日至2022年12月31日。
    """

    code = "GK405"
    name = "statistics-period"
    examples_in = "2021 swap"
    default_severity = Severity.WARNING

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        period = report.meta.period
        if not period:
            return
        start, end, span = period
        year = report.meta.year
        if start is not None and end is None:
            # "2022年1月1日至12月31日": the end's year is the start's.
            view = prose_view(report)
            s0, s1 = view.from_source(span.start), view.from_source(span.end)
            m = compile_pattern(r"[至到—~\-]\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日").search(view.text, s0, s1)
            if m:
                end = DateRef(start.year, int(m.group(1)), int(m.group(2)), span)
        y = end.year if end else (start.year if start else year)
        want = f"{y}年1月1日至{y}年12月31日" if y else "报告年度的1月1日至12月31日"
        if start is None or end is None:
            blank = "起止日期" if start is None and end is None else ("起始日期" if start is None else "截止日期")
            yield ctx.diagnostic(
                span,
                f"统计期限的{blank}没有填写完整：「{report.doc.slice(span)}」",
                help=f"写明统计期限，如「{want}」",
                anchor="statistics-period",
            )
            return
        if (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31) and start.year == end.year:
            return  # a whole calendar year; another year than the report's is GK401/GK402
        yield ctx.diagnostic(
            span,
            f"统计期限 {_fmt(start.year, start.month, start.day)} 至 {_fmt(end.year, end.month, end.day)}"
            " 不是一个完整的自然年",
            help=f"统计期限应为{want}",
            anchor="statistics-period",
        )


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [ReportYear, YearMismatch, LatePublication, InvalidDate, StatisticsPeriod]
