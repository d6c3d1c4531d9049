"""GK504: traditional and simplified characters mixed in one report.

Which characters are ambiguous, and how few are no mixing, is [script] in rules/text.toml.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import compress

from ..diagnostics import Diagnostic, Severity, Span
from ..normalize import converter, fold_ideographs, has_traditional, simplified_chars, to_simplified
from ..plugins import hookimpl
from ..rule import Rule, RuleContext
from ..textutil import NON_HAN, text_data

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


_NONZERO = bytes([0] + [1] * 255)  # a translate table: 1 for every byte but 0


def _differing(a: str, b: str) -> bytes:
    """Per character of ``a``, 1 where ``b`` (as long, no surrogates) differs, else 0.

    What ``a[i] != b[i]`` says for every i, in a few passes in C instead of a loop: the XOR of
    the two texts' UTF-32 is nonzero in the 4 bytes of a character that differs.
    """
    n = len(a)
    x = int.from_bytes(a.encode("utf-32-le"), "little") ^ int.from_bytes(b.encode("utf-32-le"), "little")
    m = int.from_bytes(x.to_bytes(4 * n, "little").translate(_NONZERO), "little")
    # Byte 4i of the OR of m shifted by 0–3 bytes: whether any byte of character i is nonzero.
    return (m | m >> 8 | m >> 16 | m >> 24).to_bytes(4 * n, "little")[0::4]


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
        data = text_data(report, "script")
        src, shadow = report.doc.text, report.doc.shadow.text
        if not has_traditional(src):
            return  # no traditional character at all: nothing can be mixed
        # No time limit: one character class, linear in the text, and a limit costs the `regex`
        # engine a clock reading per match (4× the whole substitution on a report).
        han_src = NON_HAN.sub("", src)
        if not han_src:
            return
        minimum = int(data.get("min_minority", 2))
        han_simp = NON_HAN.sub("", shadow)
        # Wholly simplified (the common case): t2s changed nothing, no mixing is possible,
        # and the s2t converter need not even be loaded.
        if han_simp == han_src or len(han_simp) != len(han_src):
            return
        # Traditional characters: those the (phrase-aware) t2s conversion changed.
        # (A Kangxi radical or compatibility ideograph the shadow folded is a PDF font's, not a script.)
        changed = Counter(compress(han_src, _differing(han_src, han_simp)))
        kinds = "".join(changed)
        trad = Counter({a: changed[a] for a, f in zip(kinds, fold_ideographs(kinds)) if a == f})  # one to one
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
        spans = [Span(i, i + 1) for i in _first_places(src, chars, 6)]
        if not spans:
            return
        yield ctx.diagnostic(
            spans[0],
            f"繁简混用：全文以{major}为主（{n_maj} 处），但有 {n_min} 处{name}，如「{'」「'.join(chars[:8])}」",
            help="把夹杂的繁体字改为规范简体字"
            if name == "繁体字"
            else "统一字体：把夹杂的简体字改为繁体字，或全文改用规范简体字",
            related=[(f"{name}「{src[s.start : s.end]}」", s) for s in spans[1:]],
            anchor="mixed-script",
        )


def _first_places(text: str, chars: str, n: int) -> list[int]:
    """The first ``n`` offsets in ``text`` of any of ``chars`` (no pattern compiled per report):
    each of them is among its own character's first ``n``."""
    found: list[int] = []
    for c in chars:
        i = text.find(c)
        for _ in range(n):
            if i == -1:
                break
            found.append(i)
            i = text.find(c, i + 1)
    return sorted(found)[:n]


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [MixedScript]
