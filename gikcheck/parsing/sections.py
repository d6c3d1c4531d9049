"""Map headings to the template's sections."""

from __future__ import annotations

from ..document import Heading
from ..memo import by_owner
from ..normalize import label_key
from ..patterns import search
from ..records import Record
from ..templates import SectionSpec, Template
from .labels import edit_distance


class SectionMatch(Record):
    __slots__ = ("spec", "heading", "how", "start", "end")
    __hash__ = None  # type: ignore[assignment]  # the parser trims ``end`` at the signature

    def __init__(self, spec: SectionSpec, heading: Heading, how: str, start: int, end: int) -> None:
        self.spec = spec
        self.heading = heading
        self.how = how  # title | alias | typo | keyword
        self.start = start  # source offset of the heading
        self.end = end  # source offset where the section ends


def _title_key(title: str) -> str:
    return label_key(title).rstrip(".。:;,")


def heading_extent(headings: list[Heading], idx: int, text_len: int) -> int:
    """End offset of the section opened by headings[idx] (sorted by offset)."""
    h = headings[idx]
    for nxt in headings[idx + 1 :]:
        # A sibling that restarts the numbering (八、 … 一、) is a mislabelled sub-heading.
        if nxt.level < h.level or (nxt.level == h.level and nxt.number > h.number):
            return nxt.span.start
    return text_len


# Heading titles repeat across reports (the template's own): answers are kept by
# title key, section and ordered.
_MATCHES: dict[tuple, tuple[SectionSpec, str | None]] = {}


def _match(spec: SectionSpec, key: str, ordered: bool) -> str | None:
    return by_owner(_MATCHES, (key, ordered), spec, lambda: _find_match(spec, key, ordered), 8192)


# A section's title and alias keys, kept by section (the template's, not the report's).
_SPEC_KEYS: dict[tuple, tuple[frozenset[str], frozenset[str], tuple[str, ...]]] = {}


def _spec_keys(spec: SectionSpec) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """(title keys, alias keys, title keys in order) of ``spec``."""

    def compute() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
        titles = tuple(label_key(t) for t in spec.titles)
        return frozenset(titles), frozenset(label_key(a) for a in spec.aliases), titles

    return by_owner(_SPEC_KEYS, (), spec, compute)


def _find_match(spec: SectionSpec, key: str, ordered: bool) -> str | None:
    titles, aliases, ordered_titles = _spec_keys(spec)
    if key in titles:
        return "title"
    if key in aliases:
        return "alias"
    if ordered:
        for tk in ordered_titles:
            limit = max(1, len(tk) // 6)
            if edit_distance(key, tk, limit) <= limit:
                return "typo"
    if spec.keywords and search(spec.keywords, key):
        return "keyword"
    return None


def map_sections(
    template: Template, headings: list[Heading], text_len: int
) -> tuple[list[SectionMatch], list[SectionSpec]]:
    """(matched sections in document order, required sections not found)."""
    ordered = sorted(headings, key=lambda h: h.span.start)
    if template.ordered:
        pool = [i for i, h in enumerate(ordered) if h.style == "cn"]
    else:
        # 2008-era reports: contents may sit under any heading level; prefer top level.
        pool = sorted(range(len(ordered)), key=lambda i: (ordered[i].level, ordered[i].span.start))
    claimed: set[int] = set()
    found: list[SectionMatch] = []
    keys = {i: _title_key(ordered[i].title) for i in pool}
    hows: dict[tuple[int, int], str | None] = {}  # (section, heading) -> how; each pass asks again
    for quality in ("title", "alias", "typo", "keyword"):
        for n, spec in enumerate(template.sections):
            if any(m.spec.key == spec.key for m in found):
                continue
            for i in pool:
                if i in claimed:
                    continue
                how = hows.get((n, i), "")
                if how == "":
                    how = hows[(n, i)] = _match(spec, keys[i], template.ordered)
                if how == quality:
                    claimed.add(i)
                    h = ordered[i]
                    found.append(SectionMatch(spec, h, how, h.span.start, heading_extent(ordered, i, text_len)))
                    break
    found.sort(key=lambda m: m.start)
    missing = [s for s in template.sections if s.required and not any(m.spec.key == s.key for m in found)]
    return found, missing
