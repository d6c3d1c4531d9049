"""Cross-document rules: reports of one run compared with each other.

GK308 and GK309 compare a report with last year's report of the same
agency; GK510 looks for near-duplicate reports (last year's of the same
agency, or a sibling agency's of the same year). They are run-scope rules:
``summarize()`` runs once per report (possibly in a worker process) and
returns small picklable data; ``check_run()`` sees all the summaries.

The package: ``keys`` groups reports by agency and year (and holds the compact
positions the summaries carry), ``fingerprint`` makes the similarity sketches,
``years`` holds the rules across years (GK308 carry-over, GK309 stock) and
``copied`` the copied-report rule (GK510). Rule modules import only the
first two, never each other.

This module declares and registers the rules; what they do is in ``years`` and
``copied``, imported when a rule first summarizes a report. A run of one report
summarizes none (there is nothing to compare it with): it registers the rules
without importing the four modules (≈ 2 ms of a cold run, with zlib and struct).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ... import TYPE_CHECKING
from ...diagnostics import Severity
from ...plugins import hookimpl
from ...rule import Rule, RuleContext, RunContext

if TYPE_CHECKING:
    from typing import Any

    from ...diagnostics import Diagnostic


class CarryoverAcrossYears(Rule):
    """本年度「上年结转」申请数与上一年度报告的「结转下年度继续办理」不一致

    **检查什么** 同一次检查中有同一机关上一年度的报告时，逐列比较本年度表三
    「二、上年结转政府信息公开申请数量」与上一年度表三「四、结转下年度继续办理」
    （自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计）。
    上一年度结转到下一年度办理的申请，就是下一年度的「上年结转」，两者应当相等。
    报告按机关和年度归组：机关名称取自标题（或落款），年度取自标题、统计期限或配置；
    标题未写明机关、机关改名时，可在配置的 ``[agencies]`` 表（或 ``gikcheck-agencies.toml``）中指定文件所属机关。
    同名机关（如各地的城关镇）或同一报告重复出现时，无法判断哪一份是上一年度的，
    不作比较；可用上述文件给同名机关写上不同的名称。

    **依据** 《中华人民共和国政府信息公开工作年度报告格式》表三的定义：
    「四、结转下年度继续办理」是本年度未办结、转入下一年度的申请，
    即下一年度的「二、上年结转政府信息公开申请数量」。

    **错误示例** 2021 年度报告表三「四、结转下年度继续办理」自然人列为 2,
    2022 年度报告表三「二、上年结转政府信息公开申请数量」自然人列为 1。

    **正确示例** 2022 年度报告的「上年结转」逐列照抄 2021 年度报告的「结转下年度继续办理」：
    自然人列均为 2。确有更正的，在报告中说明更正原因并更正上一年度报告。
    """

    code = "GK308"
    name = "carryover-across-years"
    scope = "run"
    requires = ("table:applications/carried_in,carried_out",)

    def summarize(self, report: Any, ctx: RuleContext) -> Any:
        from .years import carryover_summary

        return carryover_summary(report, ctx)

    def check_run(self, items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
        from .years import check_carryover

        return check_carryover(items, ctx)


class StockAcrossYears(Rule):
    """表二现行有效件数与上一年度的现行有效件数、本年制发件数和废止件数对不上

    **检查什么** 同一次检查中有同一机关上一年度（2021 年格式）的报告时，对表二
    「第二十条第（一）项」的「规章」和「行政规范性文件」两行检查：
    本年度现行有效件数 = 上一年度现行有效件数 + 本年制发件数 − 本年废止件数。
    这是经验规则（级别为警告）：文件被修改、到期自动失效而未经废止、
    或统计口径调整时，等式可以不成立，此时应在报告中说明。

    **依据** 《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）
    表二的三列「本年制发件数」「本年废止件数」「现行有效件数」的含义。

    **错误示例** 2021 年度行政规范性文件现行有效 10 件；2022 年度制发 2 件、废止 1 件，
    现行有效却填 15 件（应为 10 + 2 − 1 = 11）。

    **正确示例** 2022 年度现行有效 11 件；或填 15 件并说明另有 4 件是以前年度漏统的文件。
    """

    code = "GK309"
    name = "stock-across-years"
    scope = "run"
    requires = ("table:active/art20_1.in_force",)
    default_severity = Severity.WARNING

    def summarize(self, report: Any, ctx: RuleContext) -> Any:
        from .years import stock_summary

        return stock_summary(report, ctx)

    def check_run(self, items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
        from .years import check_stock

        return check_stock(items, ctx)


class CopiedReport(Rule):
    """报告与上一年度的报告或同级机关的报告高度雷同

    **检查什么** 在同一次检查的报告中，比较本报告与同一机关上一年度的报告、
    以及同一年度其他机关的报告。只比较报告自己的文字：去掉标题、表格、
    各部分标题、落款、数字、机关名称，以及年度报告格式规定的固定文字
    （规则包中的各部分标题、表格行列标签、编制依据等套话）。
    相似度按 5 个汉字一组的文字片段（shingle）计算 Jaccard 相似度，
    用 128 格的单次置换 MinHash 草图估计（同一年度的报告先用局部敏感哈希
    分桶找出候选，不必两两比较，上万份报告也只需约一秒）；估计值达到 80% 即报告，
    并写明相似度和相似的文件。只改数字和机关名称、照抄上一年度或其他机关报告的，
    会被发现。

    为什么不用 jieba 分词：实测用规则包词条做的小词典初始化 jieba 需要约 80 毫秒
    （其中导入 jieba 本身约 85 毫秒），切分一篇 20 KB 的报告需要 10–14 毫秒，
    且小词典下大部分文字被切成单字，分词质量并不比字片段好；
    而 5 字片段加 CRC32 哈希每篇不到 1 毫秒，对照抄的判断同样可靠。
    因此本规则用字片段，不加载 jieba。

    **依据** 《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）
    要求部分的（四）「明确责任」：出现「不按时发布、发布内容不准确不全面或者内容雷同、敷衍塞责」
    等问题并造成不良后果的，依《中华人民共和国政府信息公开条例》第四十七条追究责任。
    照抄往年或其他机关的报告，就是其中的「内容雷同」。（该格式「一、报告内容」所说
    「不能遗漏，也不宜泛化」，讲的是报告内容按条例第五十条确定，与照抄无关。）

    **错误示例** 2022 年度报告的「总体情况」「存在的主要问题及改进情况」与 2021 年度报告
    逐字相同，只改了年份和数字。

    **正确示例** 按本年度实际工作撰写各部分，写明本年度的具体做法、数据和改进措施。
    """

    code = "GK510"
    name = "copied-report"
    scope = "run"
    default_severity = Severity.WARNING

    def summarize(self, report: Any, ctx: RuleContext) -> Any:
        from .copied import summarize

        return summarize(report, ctx)

    def check_run(self, items: Sequence[tuple[str, Any]], ctx: RunContext) -> Iterator[Diagnostic]:
        from .copied import check_run

        return check_run(items, ctx)


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [CarryoverAcrossYears, StockAcrossYears, CopiedReport]
