"""GK0xx: the run itself."""

from __future__ import annotations

from ..diagnostics import Severity, Span
from ..plugins import hookimpl
from ..rule import Rule


class UnreadableInput(Rule):
    """文件无法读取、无法解码，或根本不是报告

    **检查什么** 文件为空、是二进制文件、过大、编码无法识别（不是 UTF-8、带 BOM 的 UTF-16
    或 GB18030/GBK），或内容中没有任何中文。消息会写明原因。

    **依据** 检查工具自身的要求：无法读取的文件不能静默通过。

    **错误示例** 把 .docx 文件改名为 .txt；用错误的编码保存的文本。

    **正确示例** 把报告另存为 UTF-8 或 GBK 编码的 .txt 文件后再检查。
    """

    code = "GK001"
    name = "unreadable-input"
    engine = True


class InternalError(Rule):
    """某条规则运行出错（其他规则照常运行）

    **检查什么** 某条规则在检查这份报告时抛出了异常。这是 gikcheck 的缺陷，不是报告的问题；
    其他规则的结果仍然有效。消息会写明出错的规则和位置。

    **依据** 检查工具自身的要求。

    **处理办法** 请把报告（可去除敏感内容）和消息一并提交给 gikcheck 开发者。
    """

    code = "GK002"
    name = "internal-error"
    engine = True


class UnknownTemplate(Rule):
    """无法判断适用哪种报告格式，已按最新格式检查

    **检查什么** 报告的标题、统计期限和正文都没有给出报告年度，正文中也没有能说明格式的
    特征标签（如 2021 年格式的「本年制发件数」、2019 年格式的「本年新制作数量」），
    因此无法判断适用 2008 年版、2019 年格式还是 2021 年格式，检查按最新格式进行。

    **依据** 国办公开办函〔2019〕60号、国办公开办函〔2021〕30号规定的格式按报告年度适用。

    **处理办法** 在标题中写明年度（如「2022年政府信息公开工作年度报告」），
    或在配置中设置 `template = "2021"` / `report-year = 2022`。
    """

    code = "GK003"
    name = "unknown-template"
    default_severity = Severity.WARNING

    def check(self, report, ctx):
        if report.template_reason != "fallback":
            return
        span = report.meta.title_span or Span(0, 0)
        yield ctx.diagnostic(
            span,
            f"无法判断报告适用的格式（未找到报告年度，也没有格式特征标签），已按 {report.template.name} 检查",
            help="在标题中写明报告年度,或在配置中设置 template / report-year",
            anchor="template",
        )


@hookimpl
def gikcheck_rules():
    return [UnreadableInput, InternalError, UnknownTemplate]
