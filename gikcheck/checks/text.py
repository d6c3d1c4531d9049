"""GK5xx: text quality and template residue.

Every pattern and word list comes from rules/text.toml
(``report.knowledge.extra["text"]``). Most matching runs on the shadow text
(width-folded, simplified) and maps back to the source; the punctuation and
"?" checks look at the source, because there the width is the point.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from typing import Any, Iterable, Iterator

import regex

from ..diagnostics import Diagnostic, Edit, Fix, Severity, Span
from ..normalize import (converter, fold_ideographs, has_traditional, markup_spans, simplified_chars,
                         to_simplified)
from ..patterns import TIMEOUT, PackPattern, finditer, literals, pack_pattern
from ..parsing.furniture import furniture_lines
from ..plugins import hookimpl
from ..reflow import prose_view
from ..rule import Rule, RuleContext
from ..prose.han import han_paragraphs
from ..memo import once

# Per rule and document: beyond this many findings the rest are summed up in one.
CAP = 20

_HAN = regex.compile(r"\p{Han}")
_NON_HAN = regex.compile(r"[^\p{Han}]+")

def _data(report: Any, section: str, default: Any = None) -> Any:
    return report.knowledge.extra.get("text", {}).get(section, {} if default is None else default)


def _quote(s: str, n: int = 20) -> str:
    s = s.replace("\n", " ").strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def _unwrapped(s: str) -> str:
    """Source text as a message shows it: without the line breaks of a wrapped layout."""
    return s.replace("\r", "").replace("\n", "") if "\n" in s else s


def _capped(ctx: RuleContext, diags: Iterable[Diagnostic], what: str, cap: int = CAP) -> Iterator[Diagnostic]:
    """At most ``cap`` findings, then one that counts the rest."""
    if ctx.rule.group_by:  # the engine merges them into one finding per pattern, every place kept
        yield from diags
        return
    it = iter(diags)
    for _, d in zip(range(cap), it):
        yield d
    first = next(it, None)
    if first is not None:
        rest = 1 + sum(1 for _ in it)
        yield ctx.diagnostic(first.span, f"另有 {rest} 处{what}未逐一列出", anchor=f"{ctx.rule.code}:more")


class Placeholder(Rule):
    """模板空白未填写（年月日、XX、××、○○、＿＿＿、【】）

    **检查什么** 套用模板或往年报告时留下的空白：没有数字的「年月日」、年份位置只有「年」
    （「年，区继续按照……」「其中年主动公开」）、「XX」「××」「○○」「X月X日」、下划线「＿＿＿」、空的「【】」。

    **依据** 年度报告内容应当真实、完整（国办公开办函〔2021〕30号：「发布内容不准确不全面」属问责情形）。

    **错误示例** 本年报中所列数据的统计期限自年月日起至年12月31日止。

    **正确示例** 本年报中所列数据的统计期限自2022年1月1日起至2022年12月31日止。
    """

    code = "GK501"
    name = "placeholder"
    examples_in = "2021 para:六、"
    group_by = "section"
    group_key = "anchor"
    default_severity = Severity.ERROR

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        yield from _capped(ctx, self._find(report, ctx), "模板空白")

    def _find(self, report, ctx) -> Iterator[Diagnostic]:
        view = prose_view(report)   # 「2024\n年」 wrapped by a layout is a filled year
        text = view.text
        hits: list[tuple[int, int, str]] = []
        for entry in _data(report, "placeholder", []):
            for m in finditer(entry["pattern"], text):
                if m.end() > m.start():
                    hits.append((m.start(), m.end(), entry.get("what", "")))
        last_end = -1
        for s, e, what in sorted(hits):
            if s < last_end:
                continue  # one blank, one finding (年月日 also matches the blank-year pattern)
            last_end = e
            span = Span(*view.span_to_source(s, e))
            shown = report.doc.slice(span)
            line_ctx = _quote(report.doc.text[max(0, span.start - 6): span.end + 6])
            if what == "年份空缺":
                msg = f"年份空缺：「{line_ctx}」中的「年」前没有年份"
                help_ = "填写具体年份，如「2022年」"
            else:
                msg = f"模板空白未填写：「{shown.strip()}」（「{line_ctx}」）"
                help_ = "填写实际内容，或删除模板中的占位符"
            yield ctx.diagnostic(span, msg, help=help_, anchor=f"placeholder:{what}")


class WebResidue(Rule):
    """报告中混入了网页内容（打印本页、关闭窗口、字号、阅读次数、验证码、举报、范文网站说明）

    **检查什么** 从网页复制报告时带进来的页面元素：「打印本页」「关闭窗口」「字号：大 中 小」「发布时间：」
    「阅读次数：」「验证码」「举报类型」、范文网站的「范文」「本站为你精心整理」、网站页脚（主办/承办、
    网站标识码、ICP备案号）。相邻几行（如一段网页页脚）的残留合并为一个问题，列出每一行。

    **依据** 年度报告应是机关正式公布的文本；网页残留内容说明报告是从其他网站复制的，需要清理。

    **错误示例** 发布时间：2019-02-20 00:00 阅读次数：字号：打印

    **正确示例** 删除网页元素，只保留报告正文。
    """

    code = "GK502"
    name = "web-residue"
    examples_in = "2021 para:六、"
    group_by = "block"
    default_severity = Severity.WARNING

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        data = _data(report, "web_residue")
        text = report.doc.shadow.text
        pats: list[PackPattern] = []
        lit = literals(tuple(data.get("phrases", ())))
        if lit is not None:
            pats.append(lit)
        pats.extend(pack_pattern(p) for p in data.get("patterns", ()))
        by_line: dict[int, list[tuple[int, int]]] = {}
        for pat in pats:
            for m in finditer(pat, text):
                s, e = m.start(), m.end()
                # Patterns anchored on a preceding blank include it; report the words only.
                while s < e and text[s].isspace():
                    s += 1
                if e > s:
                    by_line.setdefault(report.doc.line_of(report.doc.shadow.to_source(s)), []).append((s, e))
        diags = []
        for line in sorted(by_line):
            spans: list[tuple[int, int]] = []
            # Merged in source offsets: a space the shadow dropped (「09:30　阅读次数」) still separates.
            for s, e in sorted(report.doc.shadow.span_to_source(s, e) for s, e in by_line[line]):
                if spans and s <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], max(e, spans[-1][1]))  # overlapping matches are one residue
                else:
                    spans.append((s, e))
            words = list(dict.fromkeys(report.doc.text[s:e].strip() for s, e in spans))
            first = Span(spans[0][0], spans[-1][1])
            diags.append(ctx.diagnostic(
                first, f"网页残留内容：{'、'.join('「' + _quote(w, 16) + '」' for w in words)}",
                help="删除从网页复制时带入的页面元素（打印、关闭、字号、阅读次数、页脚等）",
                anchor=f"web-residue:{words[0]}",
            ))
        yield from _capped(ctx, diags, "网页残留内容")


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
        data = _data(report, "garbled")
        src, shadow = report.doc.text, report.doc.shadow.text
        hits: list[tuple[Span, str]] = []          # (span, kind)
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
                if asks is not None and m.start() and _HAN.match(src, m.start() - 1) and len(m.group()) == 1:
                    # A real question (是否公开?) in text whose marks were folded to half-width.
                    s0 = max(src.rfind(c, 0, m.start()) for c in "。\n!?！？")
                    if asks.compiled.search(src, s0 + 1, m.start()):
                        continue
                hits.append((Span(m.start(), m.end()), "代替空格或字符的问号"))
        if data.get("pinyin"):
            hits.extend((report.doc.source_span(m.start(), m.end()), "拼音残留") for m in finditer(data["pinyin"], shadow))
        by_line: dict[int, list[tuple[Span, str]]] = {}
        for span, kind in sorted(hits, key=lambda h: h[0].start):
            by_line.setdefault(report.doc.line_of(span.start), []).append((span, kind))
        diags = []
        for line, items in sorted(by_line.items()):
            groups: dict[str, list[Span]] = {}
            for span, kind in items:
                groups.setdefault(kind, []).append(span)
            parts = []
            for kind, spans in groups.items():
                lo = max(report.doc.line_starts[line - 1], spans[0].start - 2)
                sample = _quote(report.doc.text[lo: spans[0].end + 1], 14)
                parts.append(f"{kind}{f' {len(spans)} 处' if len(spans) > 1 else ''}(「{sample}」)")
            diags.append(ctx.diagnostic(
                items[0][0], f"乱码：{'、'.join(parts)}",
                help="用正确的编码重新导出或复制报告，删除乱码、拼音和代替空格的问号",
                related=[(k, sp) for sp, k in items[1:6]], anchor=f"garbled:{items[0][1]}",
            ))
        yield from _capped(ctx, diags, "乱码", 10)


# Character → "exists only in simplified script"; bounded by the CJK repertoire, filled as texts come.
_SIMPLIFIED_ONLY: dict[str, bool] = {}


def _simplified_only(chars: Iterable[str]) -> set[str]:
    """Of ``chars``, those that exist only in simplified script (s2t changes them, t2s keeps them)."""
    chars = list(chars)
    new = [c for c in chars if c not in _SIMPLIFIED_ONLY]
    if new:
        # One conversion call for all new characters; newlines keep OpenCC from forming phrases.
        joined = "\n".join(new)
        s2t = simplified_chars()  # what s2t changes, as a table: its converter takes ~30 ms to load
        if s2t is not None:
            changed = [c in s2t for c in new]
        else:
            conv = converter("s2t")
            if conv is None:
                return set()
            trad = conv.convert(joined).split("\n")
            if len(trad) != len(new):
                return set()
            changed = [t != c for c, t in zip(new, trad)]
        back = to_simplified(joined).split("\n")
        if len(back) != len(new):
            return set()
        for c, s2t_changes, b in zip(new, changed, back):
            _SIMPLIFIED_ONLY[c] = s2t_changes and b == c
    return {c for c in chars if _SIMPLIFIED_ONLY[c]}


class MixedScript(Rule):
    """繁体字和简体字混用

    **检查什么** 同一份报告中既有繁体字又有简体字（只有简体才有的字）。全文用繁体或全文用简体都不报告；
    少数文字属于另一种字体时报告一次，指出第一处并列出这些字。「干」「范」「于」等繁简同形的字不计。

    **依据** 《国家通用语言文字法》：公文使用规范汉字；同一文本应统一字体。

    **错误示例** 八丹乡人民政府2019年度政府信息公開年度工作報告

    **正确示例** 八丹乡人民政府2019年度政府信息公开年度工作报告
    """

    code = "GK504"
    name = "mixed-script"
    examples_in = "2021 line:青山镇人民政府2022年"
    default_severity = Severity.WARNING

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        data = _data(report, "script")
        src, shadow = report.doc.text, report.doc.shadow.text
        if not has_traditional(src):
            return  # no traditional character at all: nothing can be mixed
        try:
            han_src = _NON_HAN.sub("", src, timeout=TIMEOUT)
        except TimeoutError:
            return
        if not han_src:
            return
        minimum = int(data.get("min_minority", 2))
        try:
            han_simp = _NON_HAN.sub("", shadow, timeout=TIMEOUT)
        except TimeoutError:
            return
        # Wholly simplified (the common case): t2s changed nothing, no mixing is possible,
        # and the s2t converter need not even be loaded.
        if han_simp == han_src or len(han_simp) != len(han_src):
            return
        # Traditional characters: those the (phrase-aware) t2s conversion changed.
        # (A Kangxi radical or compatibility ideograph the shadow folded is a PDF font's, not a script.)
        trad = Counter(a for a, b in zip(han_src, han_simp) if a != b and fold_ideographs(a) == a)
        n_trad = sum(trad.values())
        if n_trad < minimum:
            return
        counts = Counter(han_src)
        ambiguous = str(data.get("ambiguous", ""))
        simp = Counter({c: counts[c] for c in _simplified_only(counts) if c not in ambiguous})
        n_simp = sum(simp.values())
        if n_simp < minimum:
            return  # wholly traditional (the common case for old reports)
        if n_trad < n_simp:
            minority, name, major, n_min, n_maj = trad, "繁体字", "简体字", n_trad, n_simp
        else:
            minority, name, major, n_min, n_maj = simp, "简体字", "繁体字", n_simp, n_trad
        chars = "".join(c for c, _ in minority.most_common(12))
        pat = regex.compile("[" + regex.escape(chars) + "]")
        spans = [Span(m.start(), m.end()) for _, m in zip(range(6), finditer(pat, src))]
        if not spans:
            return
        yield ctx.diagnostic(
            spans[0],
            f"繁简混用：全文以{major}为主（{n_maj} 处），但有 {n_min} 处{name}，如「{'」「'.join(chars[:8])}」",
            help="把夹杂的繁体字改为规范简体字" if name == "繁体字" else "统一字体：把夹杂的简体字改为繁体字，或全文改用规范简体字",
            related=[(f"{name}「{src[s.start:s.end]}」", s) for s in spans[1:]], anchor="mixed-script",
        )


class MisspeltTerm(Rule):
    """固定用语写错（《中华人民共和国政府信息公开条例》、不予公开、依申请公开、行政复议……）

    **检查什么** 报告中的固定用语与规定写法不一致，如「不子公开」（不予公开）、「依申清公开」（依申请公开）、
    「行政覆议」（行政复议）、《中华人民共和国信息公开条例》（应为《中华人民共和国政府信息公开条例》）。
    错误写法表在 rules/text.toml 中，可扩充。

    **依据** 《中华人民共和国政府信息公开条例》及年度报告格式中的规范用语。

    **错误示例** 全年依申清公开答复3件。

    **正确示例** 全年依申请公开答复3件。
    """

    code = "GK505"
    name = "misspelt-term"
    examples_in = "2021 para:六、"
    group_by = "section"
    group_key = "anchor"
    default_severity = Severity.ERROR
    fixable = True

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        entries = _data(report, "terms", [])
        view = prose_view(report)   # a term broken by a layout's line wrap is still the term
        text = view.text
        wrong = {e["wrong"]: e["right"] for e in entries if "wrong" in e}
        hits: list[tuple[int, int, str]] = []
        lit = literals(tuple(wrong))
        if lit is not None:
            hits.extend((m.start(), m.end(), wrong[m.group()]) for m in finditer(lit, text))
        for e in entries:
            if "pattern" in e:
                hits.extend((m.start(), m.end(), e["right"]) for m in finditer(e["pattern"], text))
        diags = []
        last = -1
        for s, e, right in sorted(hits):
            if s < last:
                continue  # a literal and a pattern found the same slip
            last = e
            span = Span(*view.span_to_source(s, e))
            shown = report.doc.slice(span)
            # Only a simplified source can take the simplified correct form as is.
            fix = Fix(f"改为「{right}」", (Edit(span, right),)) if shown == text[s:e] else None
            diags.append(ctx.diagnostic(span, f"「{shown}」写法有误，应为「{right}」", help=f"改为「{right}」",
                                        fix=fix, anchor=f"misspelt-term:{right}"))
        yield from _capped(ctx, diags, "用语错误")


class Punctuation(Rule):
    """标点错误：重复标点、括号引号不配对、中文句子中的半角标点

    **检查什么** 重复的标点（「、、」「，，」「。。」）；同一段落中（）、()、《》、“”、【】不配对（PDF 等版面折行的各行、
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
        data = _data(report, "punctuation")
        cap = int(data.get("cap", 10))
        yield from _capped(ctx, self._doubled(report, ctx, data), "重复标点", cap)
        yield from _capped(ctx, self._unbalanced(report, ctx, data), "括号或引号不配对", cap)
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
            yield ctx.diagnostic(span, f"重复的标点「{m.group()}」（「{_quote(report.doc.text[max(0, m.start() - 6): m.end() + 6])}」）",
                                 help=f"保留一个「{keep}」", fix=Fix(f"改为「{keep}」", (Edit(span, keep),), how),
                                 anchor=f"punctuation:doubled:{m.group()}")

    def _unbalanced(self, report, ctx, data) -> Iterator[Diagnostic]:
        doc = report.doc
        # Pairs are matched over a paragraph as the prose view joins it, not over a line a
        # layout wrapped: 「《中华人民共和国政府\n信息公开条例》」 is one pair.
        view = prose_view(report)
        shadow = view.text
        ordinal = pack_pattern(data["ordinal_close"]) if data.get("ordinal_close") else None
        pairs = [(o, c) for o, c in self._PAIRS if o in shadow or c in shadow]  # no line has the others
        done = -1   # the end of the last paragraph counted
        for marked in self._MARKED_LINE.finditer(shadow):
            start = marked.start()
            if start < done:
                continue
            end = _paragraph_end(shadow, start)
            done = end
            if end > start and shadow[end - 1] == "\r":
                end -= 1
            line = shadow[start:end]
            if doc.line_of(view.to_source(start)) in _table_lines(report):
                continue  # a table's cells: a label wrapped in its cell is the table reader's
            if ordinal is not None and (")" in line):
                line = ordinal.compiled.sub(lambda m: m.group()[:-1] + " ", line)
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
                where = "本段" if doc.line_of(view.to_source(start)) != doc.line_of(view.to_source(max(start, end - 1))) else "本行"
                yield ctx.diagnostic(
                    Span(pos, pos + 1),
                    f"{where}「{o}」{n_o} 个、「{c}」{n_c} 个，不配对",
                    help=f"补上缺少的「{c if n_o > n_c else o}」或删除多余的标点", anchor=f"punctuation:pair:{o}{c}",
                )

    def _half_width(self, report, ctx, data, cap: int) -> Iterator[Diagnostic]:
        if not data.get("half"):
            return
        doc = report.doc
        half = list(finditer(data["half"], doc.text))
        if not half:
            return  # the common case: what follows is needed only to sort out these marks
        table_lines = _table_lines(report)
        ordinal_paren = data.get("ordinal_paren", r"[（(][一二三四五六七八九十\d]{1,3}[）)]")
        ordinals = {m.start() for m in finditer(ordinal_paren, doc.text)}

        markup = markup_spans(doc.text)

        def prose(ms: Iterable[regex.Match]) -> list[regex.Match]:
            return [m for m in ms if m.start() not in ordinals and doc.line_of(m.start()) not in table_lines
                    and not (markup and _inside(markup, m.start()))]

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
            yield ctx.diagnostic(Span(first.start(), first.start() + 1),
                                 f"全文正文的{marks}一律使用半角（{n} 处），中文正文应使用全角标点",
                                 help="把中文句子中的 , ; : ( ) 改为 ，；：（）", anchor="punctuation:half-width")
        slips = sorted((m for k, ms in by_mark.items() if k not in consistent for m in ms), key=lambda m: m.start())
        diags = (ctx.diagnostic(
            Span(m.start(), m.start() + 1),
            f"中文句子中使用了半角{_MARK_NAMES[m.group()[0]]}「{m.group()[0]}」（「{_quote(doc.text[max(0, m.start() - 6): m.start() + 7])}」）",
            help=f"改为全角「{_FULL_OF[m.group()[0]]}」", anchor=f"punctuation:half:{m.group()[0]}",
            fix=None if m.group()[0] == "(" else Fix(f"改为全角「{_FULL_OF[m.group()[0]]}」",
                                                     (Edit(Span(m.start(), m.start() + 1), _FULL_OF[m.group()[0]]),)),
        ) for m in slips)
        yield from _capped(ctx, diags, "半角标点", cap)


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
    data = text.encode("utf-16-le")
    flags = (int.from_bytes(data[0::2].translate(tables[0]), "little")
             & int.from_bytes(data[1::2].translate(tables[1]), "little"))
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
        nxt = view_text.find("\n", end + 1)
        following = view_text[end + 1: len(view_text) if nxt == -1 else nxt]
        if not last or last in _SENTENCE_END or not following.strip():
            return end
        end = nxt
    return len(view_text) if end == -1 else end


_MARK_NAMES = {",": "逗号", ";": "分号", ":": "冒号", "(": "括号"}
_FULL_OF = {",": "，", ";": "；", ":": "：", "(": "（"}
_HALF_OF = {v: k for k, v in _FULL_OF.items()}


# What [repeated] ``phrase`` repeats: characters of these blocks (CJK unified ideographs).
_PHRASE_CHARS = "\u3400-\u9fff\uf900-\ufaff"


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of ``spans`` (sorted, disjoint)."""
    i = bisect.bisect_right(spans, (offset, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _table_lines(report) -> frozenset[int]:
    """Lines that draw a table (the line splitter's rows and the table regions): prose rules
    leave them to the table rules."""
    return once(report, _build_table_lines)


def _build_table_lines(report) -> frozenset[int]:
    lines = {row.line for t in report.blocks.tables for row in t.rows}
    for a, b in report.blocks.regions:
        lines.update(range(a, b + 1))
    return frozenset(lines)


def _is_label(report, unit: str) -> bool:
    """Whether ``unit`` is (the text of) one of the template's table labels."""
    return len(unit) >= 4 and unit in once(report, _label_text)


def _label_text(report) -> str:
    """The template's table labels, NUL-separated, for substring tests."""
    return "\x00".join(k for spec in report.template.tables.values()
                        for x in (*spec.rows, *spec.columns, *(r for b in spec.blocks for r in b.rows))
                        for k in x.keys)


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
    here, there = ("\x00".join(runs).encode("utf-16-le"), "\x01".join(runs).encode("utf-16-le"))
    chars = list(itertools.accumulate(map(len, runs)))
    for length in range(min(longest, len(runs[0]) // 2), shortest - 1, -1):
        # The runs at least 2L long, a prefix found by bisection (there may be hundreds), and
        # their bytes with a separator each.
        count = bisect.bisect_right(runs, -2 * length, key=lambda r: -len(r))
        end = 2 * (chars[count - 1] + count)
        shift = 2 * length
        diff = int.from_bytes(here[:end], "little") ^ int.from_bytes(there[shift:end + shift], "little")
        zeros = diff.to_bytes(end, "little")
        found = zeros.find(bytes(shift))
        while found > 0 and found & 1:   # zeros across characters: look on for whole ones
            found = zeros.find(bytes(shift), found + 1)
        if found != -1:
            return True
    return False


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
        yield from _capped(ctx, diags, "重复文字")

    def _phrases(self, report, ctx) -> Iterator[Diagnostic]:
        view = prose_view(report)
        text = view.text
        data = _data(report, "repeated")
        pattern = data.get("phrase")
        pinyin = _data(report, "garbled").get("pinyin")
        engine = data.get("phrase_engine", "regex")
        annotated = pack_pattern(pinyin) if data.get("phrase_annotated") and pinyin else None
        if annotated is not None and annotated.may_match(text) and annotated.compiled.search(text, timeout=TIMEOUT):
            pattern, engine = data["phrase_annotated"], "regex"
        if not pattern:
            return
        lengths = data.get("phrase_lengths")
        if pattern == data.get("phrase") and lengths and not _may_repeat(text, *lengths):
            return  # the common case, told without the pattern's tries at every position
        # The pack may mark a pattern it knows to be linear for the faster stdlib engine.
        matches = re.finditer(pattern, text) if engine == "re" else finditer(pattern, text)
        tables = _table_lines(report)
        for m in matches:
            unit = _NON_HAN.sub("", m.group(1))
            if len(set(unit)) == 1:
                continue  # 哈哈哈哈 is no copy-paste slip
            span = Span(*view.span_to_source(m.start(1) + len(unit), m.end()))
            if report.doc.line_of(span.start) in tables and not _is_label(report, unit):
                continue  # cells' labels run together by a converter; a doubled label (三、本年度办理结果
                          # 本年度办理结果) is a slip all the same
            shown = _unwrapped(report.doc.slice(Span(*view.span_to_source(m.start(), m.end()))))
            yield ctx.diagnostic(
                span, f"短语重复：「{shown}」中「{unit}」连续出现两次",
                help="删除重复的部分", fix=Fix("删除重复的短语", (Edit(span, ""),), "unsafe"),
                anchor=f"repeated-text:{unit}",
            )

    def _paragraphs(self, report, ctx) -> Iterator[Diagnostic]:
        doc = report.doc
        seen: dict[str, Span] = {}
        minimum = int(_data(report, "repeated").get("min_paragraph", 20))
        keyed = zip(han_paragraphs(report), report.blocks.paragraphs)
        furniture = furniture_lines(doc)   # a running header repeats on every page by design
        for key, p in sorted(keyed, key=lambda kp: kp[1].span.start):
            if len(key) < minimum or (furniture and p.line in furniture):
                continue
            if key in seen:
                yield ctx.diagnostic(
                    p.span, f"段落重复出现：「{_quote(doc.slice(p.span))}」", help="删除重复的段落",
                    related=[("第一次出现", seen[key])], anchor=f"repeated-text:paragraph:{key[:12]}",
                )
            else:
                seen[key] = p.span


class VagueFigure(Rule):
    """统计数字不确切（1000余条、多件、若干）

    **检查什么** 统计数据应写确切数字，不宜写「1000余条」「30余条」「多件」「若干项」「上百条」等约数。

    **依据** 年度报告格式要求如实、准确填报统计数据（国办公开办函〔2021〕30号：「数据精确」）。

    **错误示例** 其他类型公开1000余条。

    **正确示例** 其他类型公开1036条。
    """

    code = "GK508"
    name = "vague-figure"
    examples_in = "2021 para:六、"
    default_severity = Severity.INFO

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        view = prose_view(report)
        text = view.text
        hits: list[tuple[int, int]] = []
        for p in _data(report, "vague").get("patterns", ()):
            hits.extend((m.start(), m.end()) for m in finditer(p, text))
        last = -1
        diags = []
        for s, e in sorted(hits):
            if s < last:
                continue
            last = e
            span = Span(*view.span_to_source(s, e))
            shown = _unwrapped(report.doc.slice(span))
            diags.append(ctx.diagnostic(span, f"统计数字不确切：「{shown}」",
                                        help="写明确切的数字", anchor=f"vague-figure:{shown}"))
        yield from _capped(ctx, diags, "约数")


class GenericSection(Rule):
    """必备部分没有任何具体内容（数字、日期、名称、文件名）

    **检查什么** 格式要求的部分只有套话，没有任何具体事实：没有数字或日期、没有《文件名》、
    没有带引号的名称。写明没有发生相关情况（「未收到」「没有发生」）也是具体事实。
    很短的部分由 GK105 检查。

    **依据** 国办公开办函〔2021〕30号：年度报告内容「不能遗漏，也不宜泛化」。

    **错误示例** 我镇政府信息公开工作还存在一些不足,公开的及时性和规范性有待提高。今后我镇将进一步加强学习,不断提升工作水平。(「五、存在的主要问题及改进情况」的全部内容)

    **正确示例** 2022年政策解读形式单一,2023年将每季度发布图解 2 期以上。
    """

    code = "GK509"
    name = "generic-section"
    examples_in = "2021 line:2022年，我镇政府信息公开工作存在"
    default_severity = Severity.INFO

    def check(self, report, ctx: RuleContext) -> Iterable[Diagnostic]:
        data = _data(report, "generic")
        # Compiled when first needed: most sections state a fact the first pattern (a digit) finds.
        facts = [pack_pattern(p) for p in data.get("facts", ())]
        none = pack_pattern(data["none"]) if data.get("none") else None
        min_chars = int(data.get("min_chars", 30))
        shadow = report.doc.shadow.text
        for m in report.sections:
            if not m.spec.required:
                continue
            s0, s1 = report.doc.shadow_offset(m.heading.title_span.end), report.doc.shadow_offset(m.end)
            body = shadow[s0:s1]
            # Most sections state some fact: look for one before counting characters.
            if any(p.may_match(body) and p.compiled.search(body, timeout=TIMEOUT) for p in facts):
                continue
            if len(_HAN.findall(body, timeout=TIMEOUT)) < min_chars:
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
    return [Placeholder, WebResidue, GarbledText, MixedScript, MisspeltTerm, Punctuation, RepeatedText,
            VagueFigure, GenericSection]
