"""GK503: garbled text — encoding debris, mojibake, stray "?" and pinyin.

Patterns come from [garbled] in rules/text.toml; the replacement character, the Latin-1 debris and
the "?" are looked for in the source text, the markers and pinyin on the shadow.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import Diagnostic, Severity, Span
from ..patterns import finditer, literals, pack_pattern
from ..plugins import hookimpl
from ..rule import Rule, RuleContext
from ..textutil import HAN, capped, quote, text_data


class GarbledText(Rule):
    """乱码：U+FFFD、锟斤拷、烫烫烫、拉丁字母乱码、代替空格的「?」、拼音残留

    **检查什么** 编码转换出错留下的痕迹：替换字符 U+FFFD（�）、「锟斤拷」「烫烫烫」、UTF-8 按 Latin-1
    解读产生的「å¹´」「Ã©」类乱码、GBK 转换时代替空格或字符的半角「?」（出现在汉字之间、行首、
    空格之后，如「明顯?,F將」「? ? ? ?2019年」），以及带注音网页复制来的拼音「乡（xiāng）」。每行报告一次。

    **依据** 年度报告应当可读、准确；乱码使读者无法理解相关内容。

    **错误示例** 八丹鄉（xiāng）人民政府；? ? ? ? 2019年，我鄉（xiāng）按照……

    **正确示例** 八丹乡人民政府；2019年，我乡按照……
    """

    code = "GK503"
    name = "garbled-text"
    examples_in = "2021 para:六、"
    default_severity = Severity.ERROR

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        data = text_data(report, "garbled")
        src, shadow = report.doc.text, report.doc.shadow.text
        hits: list[tuple[Span, str]] = []  # (span, kind)
        for m in finditer(r"\ufffd+", src):
            hits.append((Span(m.start(), m.end()), "替换字符"))
        lit = literals(tuple(data.get("markers", ())))
        if lit is not None:
            hits.extend((report.doc.source_span(m.start(), m.end()), "乱码字符") for m in finditer(lit, shadow))
        if data.get("latin1"):
            hits.extend((Span(m.start(), m.end()), "拉丁字母乱码") for m in finditer(data["latin1"], src))
        if data.get("question"):
            asks = pack_pattern(data["question_words"]) if data.get("question_words") else None
            for m in finditer(data["question"], src):
                if asks is not None and m.start() and HAN.match(src, m.start() - 1) and len(m.group()) == 1:
                    # A real question (是否公开?) in text whose marks were folded to half-width.
                    s0 = max(src.rfind(c, 0, m.start()) for c in "。\n!?！？")
                    if asks.compiled.search(src, s0 + 1, m.start()):
                        continue
                hits.append((Span(m.start(), m.end()), "代替空格或字符的问号"))
        if data.get("pinyin"):
            hits.extend(
                (report.doc.source_span(m.start(), m.end()), "拼音残留") for m in finditer(data["pinyin"], shadow)
            )
        by_line: dict[int, list[tuple[Span, str]]] = {}
        for span, kind in sorted(hits, key=lambda h: h[0].start):
            by_line.setdefault(report.doc.line_of(span.start), []).append((span, kind))
        yield from capped(
            ctx,
            (self._finding(report, ctx, line, items) for line, items in sorted(by_line.items())),
            "乱码",
            10,
            len(by_line),
        )

    @staticmethod
    def _finding(report, ctx: RuleContext, line: int, items: list[tuple[Span, str]]) -> Diagnostic:
        groups: dict[str, list[Span]] = {}
        for span, kind in items:
            groups.setdefault(kind, []).append(span)
        parts = []
        for kind, spans in groups.items():
            lo = max(report.doc.line_starts[line - 1], spans[0].start - 2)
            sample = quote(report.doc.text[lo : spans[0].end + 1], 14)
            parts.append(f"{kind}{f' {len(spans)} 处' if len(spans) > 1 else ''}(「{sample}」)")
        return ctx.diagnostic(
            items[0][0],
            f"乱码：{'、'.join(parts)}",
            help="用正确的编码重新导出或复制报告，删除乱码、拼音和代替空格的问号",
            related=[(k, sp) for sp, k in items[1:6]],
            anchor=f"garbled:{items[0][1]}",
        )


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [GarbledText]
