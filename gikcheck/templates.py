"""Template packs: the regulation's knowledge, loaded from TOML in rules/.

A pack describes one report format (sections with accepted titles, tables
with rows, columns, cell types and identities, outdated markers). A pack may
``extends`` another (packmerge.py says how); rules ask a template what it
declares (``Template.provides``), never which id it has. Users add packs with
the ``rule-packs`` setting; packcheck.py validates them.
"""

from __future__ import annotations

import functools
import os

from . import TYPE_CHECKING
from .normalize import CN_DIGITS, label_key
from .packcheck import check_raw, check_resolved, is_feature
from .packfiles import PackError, load_toml, pack_files, packs_dir, packs_folder
from .packmerge import merge_pack, merge_values
from .records import Record

if TYPE_CHECKING:
    from typing import Any

__all__ = ["Knowledge", "PackError", "Template", "load_knowledge", "packs_dir"]


class ColumnSpec(Record):
    __slots__ = ("id", "label", "type", "group", "aliases", "before", "__dict__")

    def __init__(
        self, id: str, label: str, type: str = "count", group: str = "", aliases: tuple[str, ...] = (), before: str = ""
    ) -> None:
        self.id = id
        self.label = label
        self.type = type  # count | signed_int | amount | decimal
        self.group = group
        self.aliases = aliases
        self.before = before  # an optional column: the column it stands before when present

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        return (label_key(self.label),) + tuple(label_key(a) for a in self.aliases)


class RowSpec(Record):
    __slots__ = ("id", "label", "parent", "group", "short", "aliases", "legacy_labels", "__dict__")

    def __init__(
        self,
        id: str,
        label: str,
        parent: str = "",
        group: bool = False,
        short: str = "",
        aliases: tuple[str, ...] = (),
        legacy_labels: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.label = label
        self.parent = parent
        self.group = group
        self.short = short
        self.aliases = aliases
        self.legacy_labels = legacy_labels  # an older template's label: read as this row, reported (GK203)

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        return (label_key(self.label),) + tuple(label_key(a) for a in self.aliases)

    @functools.cached_property
    def legacy_keys(self) -> tuple[str, ...]:
        return tuple(label_key(a) for a in self.legacy_labels)

    @property
    def display(self) -> str:
        return self.short or self.label


class BlockSpec(Record):
    __slots__ = ("id", "heading", "columns", "rows")

    def __init__(self, id: str, heading: str, columns: tuple[ColumnSpec, ...], rows: tuple[RowSpec, ...]) -> None:
        self.id = id
        self.heading = heading
        self.columns = columns
        self.rows = rows


class Identity(Record):
    __slots__ = ("code", "each", "lhs", "rhs", "rhs_name", "scope", "kind", "groups", "optional")

    def __init__(
        self,
        code: str,
        each: str,
        lhs: tuple[str, ...] = (),
        rhs: tuple[str, ...] = (),
        rhs_name: str = "",
        scope: str = "",
        kind: str = "sum",
        groups: tuple[str, ...] = (),
        optional: bool = False,
    ) -> None:
        self.code = code
        self.each = each  # "column" | "row"
        self.lhs = lhs
        self.rhs = rhs
        self.rhs_name = rhs_name
        self.scope = scope
        self.kind = kind  # sum | group-subtotal
        self.groups = groups
        self.optional = optional


class TableSpec(Record):
    __slots__ = (
        "key",
        "title",
        "name",
        "section",
        "kind",
        "detect",
        "columns",
        "optional_columns",
        "rows",
        "blocks",
        "identities",
        "header_labels",
        "outdated",
        "outdated_rows",
        "single_row",
        "note",
        "row_label_column",
        "__dict__",
    )

    def __init__(
        self,
        key: str,
        title: str,
        name: str,
        section: str,
        kind: str,
        detect: tuple[str, ...] = (),
        columns: tuple[ColumnSpec, ...] = (),
        optional_columns: tuple[ColumnSpec, ...] = (),
        rows: tuple[RowSpec, ...] = (),
        blocks: tuple[BlockSpec, ...] = (),
        identities: tuple[Identity, ...] = (),
        header_labels: tuple[str, ...] = (),
        outdated: tuple[str, ...] = (),
        outdated_rows: tuple[str, ...] = (),
        single_row: bool = False,
        note: str = "",
        row_label_column: str = "",
    ) -> None:
        self.key = key
        self.title = title
        self.name = name
        self.section = section
        self.kind = kind  # "grid" | "blocks"
        self.detect = detect
        self.columns = columns
        self.optional_columns = optional_columns
        self.rows = rows
        self.blocks = blocks
        self.identities = identities
        self.header_labels = header_labels
        self.outdated = outdated
        self.outdated_rows = outdated_rows
        self.single_row = single_row
        self.note = note
        self.row_label_column = row_label_column

    @property
    def display(self) -> str:
        return f"{self.title}({self.name})"

    @functools.cached_property
    def _rows_by_id(self) -> dict[str, RowSpec]:
        return {r.id: r for r in reversed(self.rows)}  # reversed: the first of a duplicated id wins

    @functools.cached_property
    def _columns_by_id(self) -> dict[str, ColumnSpec]:
        return {c.id: c for c in reversed(self.columns + self.optional_columns)}

    def row(self, row_id: str) -> RowSpec | None:
        return self._rows_by_id.get(row_id)

    def column(self, col_id: str) -> ColumnSpec | None:
        return self._columns_by_id.get(col_id)

    def expand(self, ids: tuple[str, ...]) -> list[str]:
        """Expand ``r3_*`` style row ids against the table's rows."""
        out: list[str] = []
        for i in ids:
            if i.endswith("*"):
                out.extend(r.id for r in self.rows if r.id.startswith(i[:-1]) and not r.group)
            else:
                out.append(i)
        return out


class SectionSpec(Record):
    __slots__ = (
        "key",
        "canonical",
        "ordinal",
        "required",
        "titles",
        "aliases",
        "keywords",
        "allow_none",
        "table",
        "article",
    )

    def __init__(
        self,
        key: str,
        canonical: str,
        ordinal: int = 0,
        required: bool = True,
        titles: tuple[str, ...] = (),
        aliases: tuple[str, ...] = (),
        keywords: str = "",
        allow_none: bool = False,
        table: str = "",
        article: str = "",
    ) -> None:
        self.key = key
        self.canonical = canonical
        self.ordinal = ordinal
        self.required = required
        self.titles = titles
        self.aliases = aliases
        self.keywords = keywords
        self.allow_none = allow_none
        self.table = table
        self.article = article

    @property
    def display(self) -> str:
        if self.ordinal:
            cn = next(k for k, v in CN_DIGITS.items() if v == self.ordinal)
            return f"{cn}、{self.canonical}"
        return self.canonical


class Template(Record):
    """One report format. Rules ask it what it declares (``provides``), never which id it has."""

    __slots__ = (
        "id",
        "name",
        "basis",
        "ordered",
        "markers",
        "sections",
        "tables",
        "government_items",
        "source",
        "lineage",
        "builtin",
        "sections_basis",
        "deadlines",
        "deadline_basis",
        "deadline_defaults",
    )
    __hash__ = None  # type: ignore[assignment]  # holds dicts

    def __init__(
        self,
        id: str,
        name: str,
        basis: str,
        ordered: bool,
        markers: tuple[str, ...],
        sections: tuple[SectionSpec, ...],
        tables: dict[str, TableSpec],
        government_items: dict[str, Any],
        source: str = "",
        lineage: tuple[str, ...] = (),
        builtin: bool = False,
        sections_basis: str = "",
        deadlines: dict[str, str] | None = None,
        deadline_basis: str = "",
        deadline_defaults: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.name = name
        self.basis = basis
        self.ordered = ordered  # sections in a prescribed order under prescribed titles
        self.markers = markers
        self.sections = sections
        self.tables = tables
        self.government_items = government_items
        self.source = source
        self.lineage = lineage or (id,)  # this id, then the ids it extends, nearest first
        self.builtin = builtin  # shipped in rules/ (not a user's pack)
        self.sections_basis = sections_basis
        self.deadlines = {} if deadlines is None else deadlines  # agency level -> "MM-DD" of the next year
        self.deadline_basis = deadline_basis
        self.deadline_defaults = deadline_defaults  # levels whose date is a default, not the Regulation's

    def section(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)

    def is_a(self, template_id: str) -> bool:
        """This template is ``template_id`` or extends it (directly or not)."""
        return template_id in self.lineage

    def has_table(self, key: str, *ids: str) -> bool:
        """The template has table ``key`` with these rows or columns (``block.id`` inside a block table)."""
        spec = self.tables.get(key)
        if spec is None:
            return False
        known = {r.id for r in spec.rows} | {c.id for c in spec.columns + spec.optional_columns}
        for b in spec.blocks:
            known.update(f"{b.id}.{x.id}" for x in b.rows + b.columns)
        return all(i in known for i in ids)

    def provides(self, feature: str) -> bool:
        """What a rule may require of a template (``Rule.requires``):

        ``ordered`` — sections in a prescribed order under prescribed titles;
        ``tables`` — the format has statistical tables;
        ``government-items`` — people's governments report extra items (Art. 50(四));
        ``outdated-labels`` — some table names labels of an older format;
        ``table:<key>[/<id>,<id>…]`` — table ``key`` with these rows or columns.
        """
        if not is_feature(feature):
            raise ValueError(f"unknown template feature {feature!r}")
        if feature.startswith("table:"):
            key, _, ids = feature[len("table:") :].partition("/")
            return self.has_table(key, *(i for i in ids.split(",") if i))
        if feature == "ordered":
            return self.ordered
        if feature == "tables":
            return bool(self.tables)
        if feature == "government-items":
            return bool(self.government_items.get("required"))
        # "outdated-labels"
        return any(t.outdated or t.outdated_rows for t in self.tables.values())


def _cols(items: list[dict[str, Any]]) -> tuple[ColumnSpec, ...]:
    return tuple(
        ColumnSpec(
            id=c["id"],
            label=c["label"],
            type=c.get("type", "count"),
            group=c.get("group", ""),
            aliases=tuple(c.get("aliases", ())),
            before=c.get("before", ""),
        )
        for c in items
    )


def _rows(items: list[dict[str, Any]]) -> tuple[RowSpec, ...]:
    return tuple(
        RowSpec(
            id=r["id"],
            label=r["label"],
            parent=r.get("parent", ""),
            group=bool(r.get("group", False)),
            short=r.get("short", ""),
            aliases=tuple(r.get("aliases", ())),
            legacy_labels=tuple(r.get("legacy_labels", ())),
        )
        for r in items
    )


_LEVELS = ("department", "government", "township")


def _build(data: dict[str, Any], lineage: tuple[str, ...], source: str, builtin: bool) -> Template:
    try:
        meta = data["template"]
        sections = tuple(
            SectionSpec(
                key=s["key"],
                canonical=s["canonical"],
                ordinal=int(s.get("ordinal", 0)),
                required=bool(s.get("required", True)),
                titles=tuple(s.get("titles", [s["canonical"]])),
                aliases=tuple(s.get("aliases", ())),
                keywords=s.get("keywords", ""),
                allow_none=bool(s.get("allow_none", False)),
                table=s.get("table", ""),
                article=s.get("article", ""),
            )
            for s in data.get("sections", [])
        )
        tables: dict[str, TableSpec] = {}
        for key, t in data.get("tables", {}).items():
            tables[key] = TableSpec(
                key=key,
                title=t["title"],
                name=t["name"],
                section=t.get("section", ""),
                kind=t.get("kind", "grid"),
                detect=tuple(t.get("detect", ())),
                columns=_cols(t.get("columns", [])),
                optional_columns=_cols(t.get("optional_columns", [])),
                rows=_rows(t.get("rows", [])),
                blocks=tuple(
                    BlockSpec(id=b["id"], heading=b["heading"], columns=_cols(b["columns"]), rows=_rows(b["rows"]))
                    for b in t.get("blocks", [])
                ),
                identities=tuple(
                    Identity(
                        code=i["code"],
                        each=i.get("each", "column"),
                        lhs=tuple(i.get("lhs", ())),
                        rhs=tuple(i.get("rhs", ())),
                        rhs_name=i.get("rhs_name", ""),
                        scope=i.get("scope", ""),
                        kind=i.get("kind", "sum"),
                        groups=tuple(i.get("groups", ())),
                        optional=bool(i.get("optional", False)),
                    )
                    for i in t.get("identities", [])
                ),
                header_labels=tuple(t.get("header_labels", ())),
                outdated=tuple(t.get("outdated", ())),
                outdated_rows=tuple(t.get("outdated_rows", ())),
                single_row=bool(t.get("single_row", False)),
                note=t.get("note", ""),
                row_label_column=t.get("row_label_column", ""),
            )
        deadlines = data.get("deadlines", {})
        return Template(
            id=str(meta["id"]),
            name=meta.get("name", str(meta["id"])),
            basis=meta.get("basis", ""),
            ordered=bool(meta.get("ordered", False)),
            markers=tuple(meta.get("markers", ())),
            sections=sections,
            tables=tables,
            government_items=dict(data.get("government_items", {})),
            source=source,
            lineage=lineage,
            builtin=builtin,
            sections_basis=meta.get("sections_basis", ""),
            deadlines={k: v for k, v in deadlines.items() if k in _LEVELS},
            deadline_basis=deadlines.get("basis", ""),
            deadline_defaults=tuple(deadlines.get("defaults", ())),
        )
    except (KeyError, TypeError, ValueError) as e:  # check_raw / check_resolved let nothing through: a bug
        raise PackError(f"规则包 {source} 结构不正确：缺少或错误的键 {e}") from None


class Knowledge:
    """All templates plus the shared data (selection, agency levels, deadlines)."""

    def __init__(
        self, templates: dict[str, Template], common: dict[str, Any], extra: dict[str, dict[str, Any]] | None = None
    ) -> None:
        self.templates = templates
        self.common = common
        self.extra = {} if extra is None else extra  # other TOML data files by stem

    def template_for_year(self, year: int) -> Template | None:
        for entry in self.common.get("selection", {}).get("by_year", []):
            if entry["from"] <= year <= entry["to"]:
                return self.templates.get(str(entry["template"]))
        return None

    @property
    def newest(self) -> Template:
        return self.templates[str(self.common.get("selection", {}).get("newest", max(self.templates)))]

    @functools.cached_property
    def all_row_label_keys(self) -> frozenset[str]:
        keys: set[str] = set()
        for t in self.templates.values():
            for table in t.tables.values():
                for r in table.rows:
                    if r.label:
                        keys.update(r.keys)
                for b in table.blocks:
                    for r in b.rows:
                        keys.update(r.keys + r.legacy_keys)
        return frozenset(keys)

    @functools.cached_property
    def all_section_titles(self) -> tuple[str, ...]:
        titles: set[str] = set()
        for t in self.templates.values():
            for s in t.sections:
                titles.update(label_key(x) for x in s.titles + s.aliases)
        # Longest first so that the most specific title wins.
        return tuple(sorted(titles, key=len, reverse=True))


_PACK_KEYS = frozenset(("template", "extends", "sections", "tables", "government_items", "deadlines"))


def load_knowledge(extra_packs: tuple[str, ...] = ()) -> Knowledge:
    return _load_knowledge_cached(tuple(str(p) for p in extra_packs))


@functools.lru_cache(maxsize=8)
def _load_knowledge_cached(extra_packs: tuple[str, ...]) -> Knowledge:
    base = packs_folder()
    raw: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    builtin: set[str] = set()
    extra: dict[str, dict[str, Any]] = {}
    common: dict[str, Any] = {}
    if extra_packs:  # as pathlib writes them (only a configuration's packs: none on a plain run)
        from pathlib import Path

        extra_packs = tuple(str(Path(p)) for p in extra_packs)
    for path in pack_files() + list(extra_packs):
        data = load_toml(path)
        folder, stem = os.path.dirname(path), os.path.splitext(os.path.basename(path))[0]
        # A template pack has [template] (check_raw asks for its id); any of its other keys says the
        # file was meant as one. Other files are data for the rules (dates.toml, a user's term list …).
        if not set(data) & _PACK_KEYS:
            if stem == "common":
                common = merge_values(common, data)
            else:
                extra[stem] = merge_values(extra.get(stem, {}), data)
            continue
        source = path
        if folder != base:  # the shipped packs are validated by the test suite (tests/test_packs.py)
            check_raw(data, source, patterns=True)
        tid = str(data["template"]["id"])
        if tid in raw:
            if str(data.get("extends", "")) != tid:
                raise PackError(
                    f'规则包 {source}：`template.id` = "{tid}" 已由 {sources[tid]} 定义；'
                    f'要在它上面增改，写 extends = "{tid}"；要另立一种格式，换一个新的 id'
                )
            # A user pack refining a template of the same id in place (a province's rules for all its reports).
            base_data = raw[tid]
            data = merge_pack(base_data, data, source)  # keeps the base's own extends, if any
        elif base == folder:
            builtin.add(tid)
        raw[tid] = data
        sources[tid] = source
    resolved: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}

    def resolve(tid: str, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], tuple[str, ...]]:
        if tid in resolved:
            return resolved[tid]
        if tid in seen:
            raise PackError(
                f"规则包 {sources[tid]}：`extends` 形成循环：{' → '.join(seen + (tid,))}；去掉其中一个 extends"
            )
        data = raw[tid]
        parent = data.get("extends")
        lineage: tuple[str, ...] = (tid,)
        if parent:
            if str(parent) not in raw:
                raise PackError(
                    f'规则包 {sources[tid]}：`extends` = "{parent}" 指向的模板不存在；'
                    f"改为已加载的模板 {'、'.join(raw)} 之一，或在 rule-packs 中加入定义它的规则包"
                )
            parent_data, parent_lineage = resolve(str(parent), seen + (tid,))
            merged = merge_pack(parent_data, data, sources[tid])
            # Markers tell a format from the one it extends: they are never inherited.
            merged["template"] = {**merged["template"], "markers": data["template"].get("markers", [])}
            data, lineage = merged, (tid,) + parent_lineage
        check_resolved(data, sources[tid])
        resolved[tid] = (data, lineage)
        return resolved[tid]

    templates = {tid: _build(*resolve(tid), sources[tid], tid in builtin) for tid in raw}
    if not templates:
        raise PackError(f"{base} 中没有任何模板规则包")
    return Knowledge(templates=templates, common=common, extra=extra)


def knowledge_for(settings: Any) -> Knowledge:
    """The templates a run uses: the built-in packs, the plugins' and the settings' ``rule_packs``."""
    from .plugins import hooks

    extra: list[str] = []
    for batch in hooks().gikcheck_rule_packs():
        extra.extend(batch or ())
    return load_knowledge(tuple(extra) + tuple(settings.rule_packs))
