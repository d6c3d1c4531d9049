"""GK509: a required section that states no concrete fact.

What counts as a fact is [generic] in rules/text.toml.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import Diagnostic, Severity
from ..patterns import TIMEOUT, pack_pattern
from ..plugins import hookimpl
from ..rule import Rule, RuleContext
from ..textutil import HAN, text_data


class GenericSection(Rule):
    """必备部分没有任何具体内容（数字、日期、名称、文件名）

    **检查什么** 格式要求的部分只有套话，没有任何具体事实：没有数字或日期、没有《文件名》、
    没有带引号的名称。写明没有发生相关情况（「未收到」「没有发生」）也是具体事实，
    部分中的统计表也是（PDF 转出的文字可能把表格的数字印在下一部分的标题之后）。
    很短的部分由 GK105 检查。

    **依据** 国办公开办函〔2021〕30号：年度报告内容「不能遗漏，也不宜泛化」。

    **错误示例** 我镇政府信息公开工作还存在一些不足,公开的及时性和规范性有待提高。
    今后我镇将进一步加强学习,不断提升工作水平。
    (「五、存在的主要问题及改进情况」的全部内容)

    **正确示例** 2022年政策解读形式单一,2023年将每季度发布图解 2 期以上。
    """

    code = "GK509"
    name = "generic-section"
    examples_in = "2021 line:2022年，我镇政府信息公开工作存在"
    default_severity = Severity.INFO

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        data = text_data(report, "generic")
        # Compiled when first needed: most sections state a fact the first pattern (a digit) finds.
        facts = [pack_pattern(p) for p in data.get("facts", ())]
        none = pack_pattern(data["none"]) if data.get("none") else None
        min_chars = int(data.get("min_chars", 30))
        shadow = report.doc.shadow.text
        tables = [t.span.start for t in report.tables]
        for m in report.sections:
            if not m.spec.required:
                continue
            if any(m.heading.title_span.end <= start < m.end for start in tables):
                continue  # its table states the facts (its figures may be printed past the next heading)
            s0, s1 = report.doc.shadow_offset(m.heading.title_span.end), report.doc.shadow_offset(m.end)
            body = shadow[s0:s1]
            # Most sections state some fact: look for one before counting characters.
            if any(p.may_match(body) and p.compiled.search(body, timeout=TIMEOUT) for p in facts):
                continue
            if len(HAN.findall(body, timeout=TIMEOUT)) < min_chars:
                continue
            if none is not None and none.may_match(body) and none.compiled.search(body, timeout=TIMEOUT):
                continue
            yield ctx.diagnostic(
                m.heading.span,
                f"「{m.heading.title}」部分没有任何具体事实（数字、日期、文件名或名称），内容泛化",
                help="写明本部分的具体情况：数量、时间、文件名称、采取的具体措施",
                anchor=f"generic-section:{m.spec.key}",
            )


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [GenericSection]
