"""GK1xx: structure — sections, their order, numbering, titles."""

from __future__ import annotations

import re

from ..diagnostics import Severity, Span
from ..document import Heading
from ..normalize import compact_key, label_key
from ..patterns import search
from ..plugins import hookimpl
from ..reflow import prose_view
from ..rule import Rule

_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n < 1:
        return str(n)  # "0、" is not a Chinese ordinal; show it as written
    if n <= 10:
        return _CN[n - 1]
    if n < 20:
        return "十" + _CN[n - 11]
    return (_CN[n // 10 - 1] + "十" + (_CN[n % 10 - 1] if n % 10 else "")) if n < 100 else str(n)


def _ordinal_text(style: str, n: int) -> str:
    return {
        "cn": f"{_cn(n)}、",
        "paren-cn": f"（{_cn(n)}）",
        "num-dot": f"{n}.",
        "num-comma": f"{n}、",
        "paren-num": f"({n})",
    }.get(style, str(n))


def _basis(report) -> str:
    return report.template.sections_basis or "年度报告格式"


class MissingSection(Rule):
    """缺少《条例》或年度报告格式要求的部分

    **检查什么** 报告是否包含适用格式要求的全部内容。2019 年格式和 2021 年格式要求六个部分：
    一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；
    四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。
    2008 年版（2008—2018 年度报告）按 2007 年《条例》第三十二条，必须报告主动公开、依申请公开、
    收费及减免、行政复议和行政诉讼、存在的主要问题及改进情况；标题不限，按关键词识别。

    **依据** 《中华人民共和国政府信息公开条例》第五十条（2007 年版第三十二条）；
    国办公开办函〔2021〕30号："年度报告内容……不能遗漏，也不宜泛化"。

    **错误示例** 三、其他工作情况(2022 年度报告把「三、收到和处理政府信息公开申请情况」写成了别的内容)

    **正确示例** 三、收到和处理政府信息公开申请情况
    """

    code = "GK101"
    name = "missing-section"
    examples_in = "2021 swap"

    def check(self, report, ctx):
        found = sorted(report.sections, key=lambda m: m.start)
        for spec in report.missing_sections:
            # Point where the section belongs: the next present section in template order.
            later = [m for m in found if m.spec.ordinal > spec.ordinal] if spec.ordinal else []
            anchor_span = (
                later[0].heading.span
                if later
                else (report.meta.title_span or (found[-1].heading.span if found else Span(0, 0)))
            )
            article = f"({spec.article})" if spec.article else ""
            yield ctx.diagnostic(
                anchor_span,
                f"缺少{_basis(report)}要求的「{spec.display}」部分{article}",
                help=f"补充「{spec.display}」；没有相关情况时写明「本年度无」而不要省略",
                anchor=f"section:{spec.key}",
            )


class SectionOrder(Rule):
    """各部分的顺序与格式不一致

    **检查什么** 2019 年和 2021 年格式规定了六个部分的顺序；报告中的部分应按一至六的顺序出现。

    **依据** 国办公开办函〔2019〕60号、〔2021〕30号附件的年度报告格式。

    **错误示例** 五、存在的主要问题及改进情况;四、政府信息公开行政复议、行政诉讼情况(第五部分写在第四部分之前)

    **正确示例** 四、政府信息公开行政复议、行政诉讼情况;五、存在的主要问题及改进情况
    """

    code = "GK102"
    name = "section-order"
    examples_in = "2021 swap"
    default_severity = Severity.WARNING
    requires = ("ordered",)

    def check(self, report, ctx):
        best = 0
        prev = None
        for m in sorted(report.sections, key=lambda m: m.start):
            if not m.spec.ordinal:
                continue
            if m.spec.ordinal < best and prev is not None:
                yield ctx.diagnostic(
                    m.heading.span,
                    f"「{m.spec.display}」出现在「{prev.spec.display}」之后，顺序与年度报告格式不一致",
                    help="按格式顺序排列：一、总体情况 至 六、其他需要报告的事项",
                    anchor=f"section:{m.spec.key}",
                )
            elif m.spec.ordinal > best:
                best, prev = m.spec.ordinal, m


class SectionNumbering(Rule):
    """标题序号跳号、重复或同级混用不同样式

    **检查什么** 同一层级的标题序号应连续递增：一、二、三……；（一）（二）……；1. 2. 3.。
    检查跳号（一、二、四）、重复或倒退（1、2、2；八、之后又出现一、），以及同一层级混用「1.」和「1、」。
    上一级标题出现后，下一级重新编号；列表前的引导句（以冒号结尾）之后的数字列表也可重新编号。

    **依据** 公文标题层次的通行规范（《党政机关公文格式》GB/T 9704）。

    **错误示例** （六）平台建设(「总体情况」的小标题成了（一）（二）（三）（六）（五）:跳号又倒退)

    **正确示例** （四）平台建设
    """

    code = "GK103"
    name = "section-numbering"
    examples_in = "2021 swap"
    default_severity = Severity.WARNING

    def check(self, report, ctx):
        headings = sorted(report.blocks.headings, key=lambda h: h.span.start)
        paragraphs = sorted(report.blocks.paragraphs, key=lambda p: p.span.start)
        doc = report.doc
        last: dict[int, Heading] = {}
        p_idx = 0
        for h in headings:
            # A list introduction ("改进措施:") between items starts a new list.
            while p_idx < len(paragraphs) and paragraphs[p_idx].span.start < h.span.start:
                text = doc.slice(paragraphs[p_idx].span).strip()
                if text.endswith((":", "：")) and paragraphs[p_idx].line != h.line:
                    for lvl in [lv for lv in last if lv >= 3]:
                        del last[lvl]
                p_idx += 1
            level = h.level
            for lvl in [lv for lv in last if lv > level]:
                del last[lvl]
            prev = last.get(level)
            here = _ordinal_text(h.style, h.number)
            if prev is None:
                if h.number > 1 and level <= 2:
                    yield ctx.diagnostic(
                        h.span,
                        f"标题序号从「{here}」开始，缺少「{_ordinal_text(h.style, 1)}」",
                        anchor=f"numbering:{here}",
                    )
            else:
                p_here = _ordinal_text(prev.style, prev.number)
                if prev.style != h.style and {prev.style, h.style} <= {"num-dot", "num-comma"}:
                    yield ctx.diagnostic(
                        h.span,
                        f"同一层级混用了序号样式：「{p_here}」与「{here}」",
                        help=f"统一使用「{_ordinal_text(prev.style, h.number)}」样式",
                        anchor=f"numbering:{here}",
                    )
                elif h.number == prev.number:
                    yield ctx.diagnostic(
                        h.span, f"标题序号重复：「{p_here}」之后又是「{here}」", anchor=f"numbering:{here}"
                    )
                elif h.number < prev.number:
                    yield ctx.diagnostic(
                        h.span,
                        f"标题序号倒退：「{p_here}」之后出现「{here}」（同一层级重新编号）",
                        help="检查是否应为下一级标题（如「（一）」）或续接上一级的编号",
                        anchor=f"numbering:{here}",
                    )
                elif h.number > prev.number + 1:
                    skipped = "、".join(
                        _ordinal_text(h.style, n).rstrip("、") for n in range(prev.number + 1, h.number)
                    )
                    yield ctx.diagnostic(
                        h.span,
                        f"标题序号跳号：「{p_here}」之后是「{here}」，缺少 {skipped}",
                        anchor=f"numbering:{here}",
                    )
            last[level] = h


class NonstandardTitle(Rule):
    """部分的标题与格式规定的标题不同

    **检查什么** 2019 年和 2021 年格式规定了六个部分的标题。报告用了别的标题（如「基本情况」
    代替「总体情况」）时，提示改用格式标题。识别为同一部分的依据是已知的别名或关键词。

    **依据** 国办公开办函〔2019〕60号、〔2021〕30号附件的年度报告格式。

    **错误示例** 一、基本情况

    **正确示例** 一、总体情况
    """

    code = "GK104"
    name = "nonstandard-title"
    examples_in = "2021 line:一、"
    default_severity = Severity.INFO
    requires = ("ordered",)
    fixable = False

    def check(self, report, ctx):
        for m in report.sections:
            if m.how == "title":
                continue
            yield ctx.diagnostic(
                m.heading.title_span,
                f"标题「{m.heading.title}」不是年度报告格式的标题，应为「{m.spec.canonical}」",
                help=f"改为「{m.spec.display}」",
                anchor=f"section:{m.spec.key}",
            )


_FILLER_CHARS = r"\s|?？。.,，:：;；、\-—_"
_FILLER = re.compile(f"[{_FILLER_CHARS}]+")
_NONE = ("无", "暂无", "没有", "无其他需要报告的事项", "本年度无", "无此类情况")
# More content than the longest of _NONE: neither empty nor a bare 无 (found without copying the body).
_AMPLE = re.compile(f"(?:[{_FILLER_CHARS}]*[^{_FILLER_CHARS}]){{{max(map(len, _NONE)) + 1}}}")


class EmptySection(Rule):
    """部分只有标题，没有内容

    **检查什么** 标题之后、下一个同级标题之前没有任何正文或表格（本部分的表格被转换程序印在
    下一个标题之后的，如 PDF 的纯文本，也算本部分的内容）。对「依申请公开」「收费」
    「复议诉讼」「其他需要报告的事项」等允许没有情况的部分，单写一个「无」算作内容；
    其他部分只写「无」也算空。

    **依据** 《条例》第五十条：年度报告应当包括的内容不能遗漏。

    **错误示例** 无(2015 年度报告「一、概述」下只写了「无」)

    **正确示例** 2015年,我局调整了政府信息公开工作领导小组,配备兼职工作人员2名。
    (「一、概述」的内容;允许没有情况的部分,如「四、政府信息公开的收费及减免情况」,可只写「无」)
    """

    code = "GK105"
    name = "empty-section"
    examples_in = "2008 line:2015年，我局调整了"
    default_severity = Severity.WARNING

    def check(self, report, ctx):
        doc = report.doc
        # A section's table is its content wherever a converter printed it (plain pdftotext may
        # print the next heading before it: 二、…, 三、…, then 表二).
        tabled = {mt.spec.section for mt in report.tables}
        for m in report.sections:
            if m.heading.level > 2:
                continue  # a numbered list item carries its content in its own sentence
            if m.spec.key in tabled:
                continue
            if _AMPLE.match(doc.text, m.heading.title_span.end, m.end):
                continue
            content = _FILLER.sub("", doc.text[m.heading.title_span.end : m.end])
            if content and not (content in _NONE and not m.spec.allow_none):
                continue
            what = "只写了「无」" if content else "没有任何内容"
            yield ctx.diagnostic(
                m.heading.span,
                f"「{m.heading.title}」部分{what}",
                help="写明本部分的具体情况；没有相关情况时写明「本年度未发生……」"
                if content
                else "补写本部分内容，或删除多余的标题",
                anchor=f"section:{m.spec.key}",
            )


class GovernmentReportItems(Rule):
    """人民政府的年度报告缺少工作考核、社会评议和责任追究结果情况

    **检查什么** 各级人民政府（含乡镇人民政府；不含政府办公厅（室）等工作部门和街道办事处）2019 年及以后的年度报告，
    应报告政府信息公开工作考核、社会评议和责任追究结果情况；2021 年格式要求写在
    「总体情况」的「监督保障」部分。检查全文是否提到考核、评议和责任追究三方面。

    **依据** 《条例》第五十条第（四）项、第四十六条；国办公开办函〔2021〕30号。

    **错误示例** （五）监督保障。镇政府明确了政府信息公开工作机构和人员。
    (乡镇人民政府的报告没有提及考核、评议和责任追究)

    **正确示例** （五）监督保障。本年度开展政府信息公开工作考核 1 次,社会评议 1 次,未发生责任追究情况。
    """

    code = "GK106"
    name = "government-report-items"
    examples_in = "2021 line:（五）监督保障"
    requires = ("government-items",)

    def check(self, report, ctx):
        items = report.template.government_items
        # People's governments only (townships included; not their departments, not a 街道办事处).
        if not items.get("required") or not report.meta.people_government:
            return
        # Line breaks are folded away in the compact text already; page numbers and running
        # headers between the two halves of a word (考 / - 3 - / 核) are left out by the prose view.
        view = prose_view(report)
        text = report.compact if view.text is report.doc.shadow.text else compact_key(view.text)
        absent = [k for k in items.get("keywords", []) if not search(k, text)]
        if not absent:
            return
        names = "、".join(k.split("|")[0] for k in absent)
        overview = report.section("overview")
        span = overview.heading.span if overview else (report.meta.title_span or Span(0, 0))
        yield ctx.diagnostic(
            span,
            f"人民政府的年度报告应报告「{items.get('title')}」（{items.get('article', '')}），全文未提及：{names}",
            help="在「总体情况」的「监督保障」部分写明工作考核、社会评议和责任追究结果情况",
            anchor="government-items",
        )


_TITLE_WORDS = re.compile(r"政府信息公开(?:工作年度|年度工作)报告")
_TITLE_NO_WORK = re.compile(r"政府信息公开年度报告")


class ReportTitle(Rule):
    """报告标题缺失，或缺少机关名称、年度、「政府信息公开工作年度报告」字样

    **检查什么** 报告开头应有标题，写明机关名称、报告年度和「政府信息公开工作年度报告」。
    「政府信息公开年度工作报告」视为包含该字样；「政府信息公开年度报告」缺少「工作」二字。

    **依据** 《条例》第四十九条、第五十条；年度报告格式的名称。

    **错误示例** 区府办信息公开报告

    **正确示例** ××市××区人民政府办公室2022年政府信息公开工作年度报告
    """

    code = "GK107"
    name = "report-title"
    examples_in = "2021 line:青山镇人民政府2022年"
    default_severity = Severity.WARNING

    def check(self, report, ctx):
        meta = report.meta
        if not meta.title:
            first = next((ln for ln in range(1, report.doc.line_count + 1) if report.doc.line_text(ln).strip()), 1)
            yield ctx.diagnostic(
                report.doc.line_span(first),
                "报告没有标题（应为「机关名称 + 年度 + 政府信息公开工作年度报告」）",
                help="在报告开头加上标题，例如「××镇人民政府2022年政府信息公开工作年度报告」",
                anchor="title",
            )
            return
        lacks = []
        if not meta.agency:
            lacks.append("机关名称")
        if not meta.title_year:
            lacks.append("报告年度")
        key = label_key(meta.title)
        if not _TITLE_WORDS.search(key):
            lacks.append(
                "「工作」二字（应为「政府信息公开工作年度报告」）"
                if _TITLE_NO_WORK.search(key)
                else "「政府信息公开工作年度报告」字样"
            )
        if lacks:
            yield ctx.diagnostic(
                meta.title_span,
                f"报告标题「{meta.title}」缺少{'、'.join(lacks)}",
                help="标题应为「机关名称 + 年度 + 政府信息公开工作年度报告」",
                anchor="title",
            )


@hookimpl
def gikcheck_rules():
    return [
        MissingSection,
        SectionOrder,
        SectionNumbering,
        NonstandardTitle,
        EmptySection,
        GovernmentReportItems,
        ReportTitle,
    ]
