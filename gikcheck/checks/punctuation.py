"""GK506: punctuation — doubled marks, unbalanced pairs, half-width marks in Chinese prose.

Runs on the source text (width is the point here); patterns are [punctuation] in rules/text.toml.
"""

from __future__ import annotations

import functools
import re
from codecs import utf_16_le_encode  # the codec's C function: no codec lookup (≈ 0.4 ms cold)
from collections import Counter
from collections.abc import Iterable, Iterator

from .. import TYPE_CHECKING
from ..diagnostics import Diagnostic, Edit, Fix, Severity, Span
from ..normalize import markup_spans
from ..patterns import finditer, pack_pattern
from ..plugins import hookimpl
from ..reflow import prose_view
from ..rule import Rule, RuleContext
from ..textutil import capped, inside, quote, table_lines, text_data

if TYPE_CHECKING:
    import regex


class Punctuation(Rule):
    """标点错误：重复标点、括号引号不配对、中文句子中的半角标点

    **检查什么** 重复的标点（「、、」「，，」「。。」）；
    同一段落中（）、()、《》、“”、【】不配对（PDF 等版面折行的各行、
    页码和页眉两侧的文字合为一段）；
    中文正文中的半角逗号、分号、冒号、括号：全文正文一律使用半角时只报告一次，
    以全角为主的正文中夹用半角时，同一部分中同一种问题合并为一个问题，列出每一处。表格行和「（一）」式序号不检查半角标点。

    **依据** GB/T 15834—2011《标点符号用法》。

    **错误示例** 充分利用广播、公开栏、、宣传资料等渠道。

    **正确示例** 充分利用广播、公开栏、宣传资料等渠道。
    """

    code = "GK506"
    name = "punctuation"
    examples_in = "2021 para:六、"
    group_by = "section"
    group_key = "anchor"
    default_severity = Severity.WARNING
    fixable = True

    _PAIRS = (("(", ")"), ("《", "》"), ("“", "”"), ("【", "】"))
    # From a line start to the first mark of a pair: only such lines can be unbalanced.
    _MARKED_LINE = re.compile("^[^\n{0}]*[{0}]".format(re.escape("".join(o + c for o, c in _PAIRS))), re.M)

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        data = text_data(report, "punctuation")
        cap = int(data.get("cap", 10))
        yield from capped(ctx, self._doubled(report, ctx, data), "重复标点", cap)
        yield from capped(ctx, self._unbalanced(report, ctx, data), "括号或引号不配对", cap)
        yield from self._half_width(report, ctx, data, cap)

    def _doubled(self, report, ctx, data) -> Iterator[Diagnostic]:
        if not data.get("doubled"):
            return
        marks = data.get("doubled_marks")
        if marks and not _adjacent(report.doc.text, marks):
            return  # the common case, told without the pattern's tries at every position
        for m in finditer(data["doubled"], report.doc.text):
            span = Span(m.start(), m.end())
            keep = m.group()[0]
            # 、、 → 、 is certain; which of ，。 was meant is not.
            how = "safe" if len(set(m.group())) == 1 else "unsafe"
            yield ctx.diagnostic(
                span,
                f"重复的标点「{m.group()}」（「{quote(report.doc.text[max(0, m.start() - 6) : m.end() + 6])}」）",
                help=f"保留一个「{keep}」",
                fix=Fix(f"改为「{keep}」", (Edit(span, keep),), how),
                anchor=f"punctuation:doubled:{m.group()}",
            )

    def _unbalanced(self, report, ctx, data) -> Iterator[Diagnostic]:
        doc = report.doc
        # Pairs are matched over a paragraph as the prose view joins it, not over a line a
        # layout wrapped: 「《中华人民共和国政府\n信息公开条例》」 is one pair.
        view = prose_view(report)
        shadow = view.text
        ordinal = pack_pattern(data["ordinal_close"]) if data.get("ordinal_close") else None
        pairs = [(o, c) for o, c in self._PAIRS if o in shadow or c in shadow]  # no line has the others
        done = -1  # the end of the last paragraph counted
        for marked in self._MARKED_LINE.finditer(shadow):
            start = marked.start()
            if start < done:
                continue
            end = _paragraph_end(shadow, start)
            done = end
            if end > start and shadow[end - 1] == "\r":
                end -= 1
            line = shadow[start:end]
            if ordinal is not None and (")" in line):
                line = ordinal.compiled.sub(lambda m: m.group()[:-1] + " ", line)
            for o, c in pairs:
                if line.count(o) != line.count(c):
                    break
            else:
                continue  # most paragraphs: nothing to report, and no need to ask where they are
            if doc.line_of(view.to_source(start)) in table_lines(report):
                continue  # a table's cells: a label wrapped in its cell is the table reader's
            for o, c in pairs:
                n_o, n_c = line.count(o), line.count(c)
                if n_o == n_c:
                    continue
                # Point at the first unmatched mark.
                depth, at = 0, -1
                for i, ch in enumerate(line):
                    if ch == o:
                        depth += 1
                        at = i if depth == 1 else at
                    elif ch == c:
                        if depth == 0:
                            at = i
                            break
                        depth -= 1
                pos = view.to_source(start + max(at, 0))
                # A paragraph the layout wrapped over several lines is named as such.
                where = (
                    "本段"
                    if doc.line_of(view.to_source(start)) != doc.line_of(view.to_source(max(start, end - 1)))
                    else "本行"
                )
                yield ctx.diagnostic(
                    Span(pos, pos + 1),
                    f"{where}「{o}」{n_o} 个、「{c}」{n_c} 个，不配对",
                    help=f"补上缺少的「{c if n_o > n_c else o}」或删除多余的标点",
                    anchor=f"punctuation:pair:{o}{c}",
                )

    def _half_width(self, report, ctx, data, cap: int) -> Iterator[Diagnostic]:
        if not data.get("half"):
            return
        doc = report.doc
        half = list(finditer(data["half"], doc.text))
        if not half:
            return  # the common case: what follows is needed only to sort out these marks
        tables = table_lines(report)
        ordinal_paren = data.get("ordinal_paren", r"[（(][一二三四五六七八九十\d]{1,3}[）)]")
        ordinals = {m.start() for m in finditer(ordinal_paren, doc.text)}

        markup = markup_spans(doc.text)

        def prose(ms: Iterable[regex.Match]) -> list[regex.Match]:
            return [
                m
                for m in ms
                if m.start() not in ordinals
                and doc.line_of(m.start()) not in tables
                and not (markup and inside(markup, m.start()))
            ]

        half = prose(half)
        if not half:
            return
        full_marks = prose(finditer(data.get("full", "[，；：（]"), doc.text))
        full = Counter(_HALF_OF.get(m.group(), m.group()) for m in full_marks)
        by_mark: dict[str, list[regex.Match]] = {}
        for m in half:
            by_mark.setdefault(m.group()[0], []).append(m)
        share = float(data.get("consistent_share", 0.8))
        # Each mark is judged on its own: prose written with half-width commas throughout is one
        # consistent convention; a half-width comma among full-width ones is a slip.
        consistent = {k for k, ms in by_mark.items() if len(ms) / (len(ms) + full[k]) >= share}
        if consistent and data.get("report_consistent", False):
            first = min((by_mark[k][0] for k in consistent), key=lambda m: m.start())
            n = sum(len(by_mark[k]) for k in consistent)
            marks = "、".join(f"{_MARK_NAMES[k]}「{k}」" for k in _MARK_NAMES if k in consistent)
            yield ctx.diagnostic(
                Span(first.start(), first.start() + 1),
                f"全文正文的{marks}一律使用半角（{n} 处），中文正文应使用全角标点",
                help="把中文句子中的 , ; : ( ) 改为 ，；：（）",
                anchor="punctuation:half-width",
            )
        slips = sorted((m for k, ms in by_mark.items() if k not in consistent for m in ms), key=lambda m: m.start())
        diags = (
            ctx.diagnostic(
                Span(m.start(), m.start() + 1),
                f"中文句子中使用了半角{_MARK_NAMES[m.group()[0]]}「{m.group()[0]}」"
                f"（「{quote(doc.text[max(0, m.start() - 6) : m.start() + 7])}」）",
                help=f"改为全角「{_FULL_OF[m.group()[0]]}」",
                anchor=f"punctuation:half:{m.group()[0]}",
                fix=None
                if m.group()[0] == "("
                else Fix(
                    f"改为全角「{_FULL_OF[m.group()[0]]}」",
                    (Edit(Span(m.start(), m.start() + 1), _FULL_OF[m.group()[0]]),),
                ),
            )
            for m in slips
        )
        yield from capped(ctx, diags, "半角标点", cap)


@functools.lru_cache(maxsize=8)
def _byte_tables(chars: str) -> tuple[bytes, bytes] | None:
    """Translate tables marking the low and the high UTF-16 bytes of ``chars``; None beyond the BMP."""
    low, high = bytearray(256), bytearray(256)
    for c in chars:
        if ord(c) > 0xFFFF:
            return None
        low[ord(c) & 0xFF] = high[ord(c) >> 8] = 1
    return bytes(low), bytes(high)


def _adjacent(text: str, chars: str) -> bool:
    """False when no two characters of ``chars`` stand side by side in ``text``; True says nothing.

    A character is flagged when both its UTF-16 bytes are those of some character of ``chars``
    (a few others are flagged too): two translates and one AND of big integers instead of a
    pattern tried at every position.
    """
    tables = _byte_tables(chars)
    if tables is None:
        return True
    data = utf_16_le_encode(text)[0]  # text.encode("utf-16-le")
    flags = int.from_bytes(data[0::2].translate(tables[0]), "little") & int.from_bytes(
        data[1::2].translate(tables[1]), "little"
    )
    return bool(flags & flags >> 8)


# What ends a sentence on the shadow, and how many lines a sentence that is not ended may run on:
# short lines the prose view left apart (a cell's text broken by a converter) are counted together.
_SENTENCE_END = frozenset("。!?;:.")
_RUN_ON = 6


def _paragraph_end(view_text: str, start: int) -> int:
    """The end of the paragraph of the view opening at ``start``: its line, and the lines after it
    while a line ends without sentence punctuation and no blank line comes between."""
    end = view_text.find("\n", start)
    for _ in range(_RUN_ON):
        if end == -1:
            return len(view_text)
        last = view_text[start:end].rstrip().rstrip("”’」』)》】\"'")[-1:]
        if not last or last in _SENTENCE_END:
            return end  # (most paragraphs: the line after it is not needed)
        nxt = view_text.find("\n", end + 1)
        following = view_text[end + 1 : len(view_text) if nxt == -1 else nxt]
        if not following.strip():
            return end
        end = nxt
    return len(view_text) if end == -1 else end


_MARK_NAMES = {",": "逗号", ";": "分号", ":": "冒号", "(": "括号"}
_FULL_OF = {",": "，", ";": "；", ":": "：", "(": "（"}
_HALF_OF = {v: k for k, v in _FULL_OF.items()}


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [Punctuation]
