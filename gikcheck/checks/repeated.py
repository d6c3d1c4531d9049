"""GK507: repeated text — a phrase immediately repeated, a paragraph that occurs twice.

Patterns and lengths are [repeated] in rules/text.toml.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from codecs import utf_16_le_encode  # the codec's C function: no codec lookup (≈ 0.4 ms cold)
from collections.abc import Iterable, Iterator

from ..diagnostics import Diagnostic, Edit, Fix, Severity, Span
from ..memo import once
from ..parsing.furniture import furniture_lines
from ..patterns import TIMEOUT, finditer, pack_pattern
from ..plugins import hookimpl
from ..prose.han import HAN_CLASS, han_paragraphs
from ..reflow import prose_view
from ..rule import Rule, RuleContext
from ..textutil import NON_HAN, capped, quote, table_lines, text_data, unwrapped

# What [repeated] ``phrase`` repeats: characters of these blocks (CJK unified ideographs).
_PHRASE_CHARS = "\u3400-\u9fff\uf900-\ufaff"


def _is_label(report, unit: str) -> bool:
    """Whether ``unit`` is (the text of) one of the template's table labels."""
    return len(unit) >= 4 and unit in once(report, _label_text)


def _label_words(report, line: str) -> bool:
    """Whether ``line`` is words of the template's table labels only, two at least (cells' lines)."""
    words = line.split()
    labels = once(report, _label_text)
    return len(words) >= 2 and all(w in labels for w in words)


def _label_text(report) -> str:
    """The template's table labels, NUL-separated, for substring tests."""
    return "\x00".join(
        k
        for spec in report.template.tables.values()
        for x in (*spec.rows, *spec.columns, *(r for b in spec.blocks for r in b.rows))
        for k in x.keys
    )


def _may_repeat(text: str, shortest: int, longest: int) -> bool:
    """False when ``text`` holds no phrase of ``shortest``–``longest`` CJK characters immediately
    repeated (what [repeated] ``phrase`` finds); True says nothing.

    A phrase of L characters repeated is a run of at least 2L CJK characters in which L characters
    in a row equal the ones L further on. The runs long enough for the shortest phrase are joined
    longest first, so that the runs long enough for L are a prefix (growing as L falls), separated
    by U+0000 in one copy and U+0001 in the other, so that no separator equals anything. XOR-ing
    the first copy's UTF-16 with the second's shifted by L characters leaves 2L zero bytes in a
    row: a few big-integer operations and one ``find`` per length, over the long runs only,
    instead of the pattern's tries at every position.
    """
    runs = re.findall(f"[{_PHRASE_CHARS}]{{{2 * shortest},}}", text)
    if not runs:
        return False
    runs.sort(key=len, reverse=True)
    here, there = (utf_16_le_encode("\x00".join(runs))[0], utf_16_le_encode("\x01".join(runs))[0])
    chars = list(itertools.accumulate(map(len, runs)))
    for length in range(min(longest, len(runs[0]) // 2), shortest - 1, -1):
        # The runs at least 2L long, a prefix found by bisection (there may be hundreds), and
        # their bytes with a separator each.
        count = bisect.bisect_right(runs, -2 * length, key=lambda r: -len(r))
        end = 2 * (chars[count - 1] + count)
        shift = 2 * length
        diff = int.from_bytes(here[:end], "little") ^ int.from_bytes(there[shift : end + shift], "little")
        zeros = diff.to_bytes(end, "little")
        found = zeros.find(bytes(shift))
        while found > 0 and found & 1:  # zeros across characters: look on for whole ones
            found = zeros.find(bytes(shift), found + 1)
        if found != -1:
            return True
    return False


@functools.lru_cache(maxsize=8)
def _for_re(pattern: str) -> str:
    """A pack pattern for the stdlib ``re``, which has no \\p{Han}: the class spelled out."""
    return pattern.replace(r"\p{Han}", f"[{HAN_CLASS}]")


class RepeatedText(Rule):
    """文字重复：短语紧接着重复，或同一段落出现两次

    **检查什么** 同一短语（4 个汉字以上）紧接着重复出现（「本年度办理结果本年度办理结果」），
    以及 20 字以上的同一段落在报告中出现两次（复制粘贴时重复）。

    **依据** 年度报告应「文字严谨」（怀化市关于 2021 年度报告的通知）。

    **错误示例** 三、本年度办理结果本年度办理结果

    **正确示例** 三、本年度办理结果
    """

    code = "GK507"
    name = "repeated-text"
    examples_in = "2021 swap"
    default_severity = Severity.WARNING

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        diags = list(self._phrases(report, ctx)) + list(self._paragraphs(report, ctx))
        yield from capped(ctx, diags, "重复文字")

    def _phrases(self, report, ctx) -> Iterator[Diagnostic]:
        view = prose_view(report)
        text = view.text
        data = text_data(report, "repeated")
        pattern = data.get("phrase")
        pinyin = text_data(report, "garbled").get("pinyin")
        engine = data.get("phrase_engine", "regex")
        annotated = pack_pattern(pinyin) if data.get("phrase_annotated") and pinyin else None
        if annotated is not None and annotated.may_match(text) and annotated.compiled.search(text, timeout=TIMEOUT):
            pattern, engine = data["phrase_annotated"], data.get("phrase_annotated_engine", "regex")
        if not pattern:
            return
        lengths = data.get("phrase_lengths")
        if pattern == data.get("phrase") and lengths and not _may_repeat(text, *lengths):
            return  # the common case, told without the pattern's tries at every position
        # The pack may mark a pattern it knows to be linear for the faster stdlib engine.
        matches = re.finditer(_for_re(pattern), text) if engine == "re" else finditer(pattern, text)
        tables = table_lines(report)
        for m in matches:
            unit = NON_HAN.sub("", m.group(1))
            if len(set(unit)) == 1:
                continue  # 哈哈哈哈 is no copy-paste slip
            span = Span(*view.span_to_source(m.start(1) + len(unit), m.end()))
            line = report.doc.line_of(span.start)
            if line in tables and not _is_label(report, unit):
                continue  # cells' labels run together by a converter; a doubled label (三、本年度办理结果
                # 本年度办理结果) is a slip all the same
            if _label_words(report, report.doc.line_text(line)):
                continue  # a table's cells printed apart from it (plain pdftotext: 「结果 结果纠 其他 尚未审」)
            shown = unwrapped(report.doc.slice(Span(*view.span_to_source(m.start(), m.end()))))
            yield ctx.diagnostic(
                span,
                f"短语重复：「{shown}」中「{unit}」连续出现两次",
                help="删除重复的部分",
                fix=Fix("删除重复的短语", (Edit(span, ""),), "unsafe"),
                anchor=f"repeated-text:{unit}",
            )

    def _paragraphs(self, report, ctx) -> Iterator[Diagnostic]:
        doc = report.doc
        seen: dict[str, Span] = {}
        minimum = int(text_data(report, "repeated").get("min_paragraph", 20))
        keyed = zip(han_paragraphs(report), report.blocks.paragraphs)
        furniture = furniture_lines(doc)  # a running header repeats on every page by design
        for key, p in sorted(keyed, key=lambda kp: kp[1].span.start):
            if len(key) < minimum or (furniture and p.line in furniture):
                continue
            if key in seen:
                yield ctx.diagnostic(
                    p.span,
                    f"段落重复出现：「{quote(doc.slice(p.span))}」",
                    help="删除重复的段落",
                    related=[("第一次出现", seen[key])],
                    anchor=f"repeated-text:paragraph:{key[:12]}",
                )
            else:
                seen[key] = p.span


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [RepeatedText]
