"""Validation of template packs: every key known, every value of its type, every reference resolved.

A pack is data a user writes, so a mistake in it is a usage error (exit 2) whose
message names the file, the key and the fix — never a KeyError from deep inside
the loader. ``check_raw`` looks at one file as written; ``check_resolved`` at a
template once its ``extends`` chain is merged (a derived pack may leave out what
it inherits, so required keys and references are checked only then).
"""

from __future__ import annotations

import re

from . import TYPE_CHECKING, rx
from .packfiles import PackError

if TYPE_CHECKING:
    from typing import Any

# What a rule may require of a template (Rule.requires, Template.provides), besides
# "table:<key>[/<id>,<id>…]" (table ``key`` with these rows or columns, ``block.id`` in a block table).
FEATURES = ("ordered", "tables", "government-items", "outdated-labels")
_TABLE_FEATURE = re.compile(r"^table:[\w-]+(?:/[\w.-]+(?:,[\w.-]+)*)?$")


def is_feature(name: str) -> bool:
    return name in FEATURES or bool(_TABLE_FEATURE.match(name))


# Directives a derived pack writes on an entry of a keyed list (packmerge.py).
DIRECTIVES = {"remove": "bool", "replace": "bool", "insert_before": "str", "insert_after": "str"}
LEVELS = ("department", "government", "township")
_MD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_CODE = re.compile(r"^[A-Z]{2,6}\d{3}$")

_COLUMN: dict[str, Any] = {
    "id": "str",
    "label": "str",
    "type": ("count", "signed_int", "amount", "decimal"),
    "group": "str",
    "aliases": "strs",
}
_ROW: dict[str, Any] = {
    "id": "str",
    "label": "str",
    "parent": "str",
    "group": "bool",
    "short": "str",
    "aliases": "strs",
    "legacy_labels": "strs",
}
_BLOCK: dict[str, Any] = {"id": "str", "heading": "str", "columns": [_COLUMN], "rows": [_ROW]}
_IDENTITY: dict[str, Any] = {
    "code": "str",
    "each": ("column", "row"),
    "lhs": "strs",
    "rhs": "strs",
    "rhs_name": "str",
    "scope": "str",
    "kind": ("sum", "group-subtotal"),
    "groups": "strs",
    "optional": "bool",
}
_TABLE: dict[str, Any] = {
    "title": "str",
    "name": "str",
    "section": "str",
    "kind": ("grid", "blocks"),
    "detect": "strs",
    "columns": [_COLUMN],
    "optional_columns": [{**_COLUMN, "before": "str"}],
    "rows": [_ROW],
    "blocks": [_BLOCK],
    "identities": [_IDENTITY],
    "header_labels": "strs",
    "outdated": "strs",
    "outdated_rows": "strs",
    "single_row": "bool",
    "note": "str",
    "row_label_column": "str",
    "remove": "bool",
    "replace": "bool",
}
_SECTION: dict[str, Any] = {
    "key": "str",
    "canonical": "str",
    "ordinal": "int",
    "required": "bool",
    "titles": "strs",
    "aliases": "strs",
    "keywords": "regex",
    "allow_none": "bool",
    "table": "str",
    "article": "str",
}
SCHEMA: dict[str, Any] = {
    "extends": "str",
    "template": {
        "id": "str",
        "name": "str",
        "basis": "str",
        "ordered": "bool",
        "markers": "strs",
        "sections_basis": "str",
    },
    "government_items": {"required": "bool", "title": "str", "article": "str", "keywords": "regexes"},
    "deadlines": {"department": "md", "government": "md", "township": "md", "basis": "str", "defaults": "levels"},
    "sections": [_SECTION],
    "tables": ("tables", _TABLE),
}
# Keyed lists: which field names their entries (packmerge.py merges them by it).
KEYED = {"sections": "key", "columns": "id", "optional_columns": "id", "rows": "id", "blocks": "id"}

_KIND_NAMES = {
    "str": "字符串",
    "bool": "true 或 false",
    "int": "整数",
    "strs": '字符串列表，例如 ["甲", "乙"]',
    "regex": "正则表达式字符串",
    "regexes": "正则表达式字符串的列表",
    "md": '"MM-DD" 形式的日期，例如 "03-31"',
    "levels": f"机关层级的列表（{'、'.join(LEVELS)}）",
}


def fail(source: str, where: str, problem: str, fix: str) -> PackError:
    """The error for ``where`` in ``source``: what is wrong, then how to put it right."""
    return PackError(f"规则包 {source}：`{where}` {problem}；{fix}")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _check_value(kind: Any, value: Any, source: str, where: str, derived: bool, patterns: bool) -> None:
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            raise fail(source, where, f"应为表（[{where}]），而不是 {_show(value)}", f"写成 [{where}] 表")
        _check_table(kind, value, source, where, derived, patterns)
    elif isinstance(kind, list):
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise fail(source, where, "应为表的数组", f"每一项写成 [[{where}]] 或 {{ … }}")
        key = KEYED.get(where.rsplit(".", 1)[-1].split("[")[0])
        seen: set[str] = set()
        for i, item in enumerate(value):
            here = f"{where}[{i}]"
            _check_table(kind[0], item, source, here, derived, patterns, keyed_by=key)
            if key is not None:
                if key not in item:
                    raise fail(source, here, f"缺少 `{key}`", f"每一项都要有唯一的 {key}，继承与合并按它进行")
                if item[key] in seen:
                    raise fail(source, here, f'的 {key} = "{item[key]}" 在同一列表中重复', f"改用唯一的 {key}")
                seen.add(item[key])
    elif isinstance(kind, tuple) and kind and kind[0] == "tables":
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise fail(source, where, "应为以表键为名的表，例如 [tables.active]", "每张表写成 [tables.<键>]")
        for name, table in value.items():
            _check_table(kind[1], table, source, f"{where}.{name}", derived, patterns)
            if not derived and (table.get("remove") or table.get("replace")):
                raise fail(
                    source,
                    f"{where}.{name}",
                    "用了 remove/replace，但本规则包没有 extends",
                    "remove 和 replace 只用于修改继承来的表；删去它们，或加上 extends",
                )
    elif isinstance(kind, tuple):
        if value not in kind:
            raise fail(source, where, f"应为 {'、'.join(kind)} 之一，而不是 {_show(value)}", f"改为 {kind[0]} 等可用值")
    else:
        _check_scalar(kind, value, source, where, patterns)


def _check_scalar(kind: str, value: Any, source: str, where: str, patterns: bool = False) -> None:
    ok = {
        "str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "strs": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "regex": isinstance(value, str),
        "regexes": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "md": isinstance(value, str) and bool(_MD.match(value)),
        "levels": isinstance(value, list) and all(v in LEVELS for v in value),
    }[kind]
    if not ok:
        raise fail(source, where, f"应为{_KIND_NAMES[kind]}，而不是 {_show(value)}", f"把值改为{_KIND_NAMES[kind]}")
    for pattern in ([value] if kind == "regex" else value if kind == "regexes" else []) if patterns else ():
        try:
            rx.compile(pattern)
        except rx.error as e:
            raise fail(
                source, where, f"不是合法的正则表达式：{_show(pattern)}（{e}）", "检查括号是否成对、特殊字符是否转义"
            ) from None


def _check_table(
    schema: dict[str, Any],
    data: dict[str, Any],
    source: str,
    where: str,
    derived: bool,
    patterns: bool,
    keyed_by: str | None = None,
) -> None:
    allowed = dict(schema)
    if keyed_by is not None:
        allowed.update(DIRECTIVES)
    for key, value in data.items():
        here = f"{where}.{key}" if where else key
        if key not in allowed:
            import difflib  # only for a pack with an unknown key

            close = difflib.get_close_matches(key, list(allowed), n=1)
            hint = f"是否应为 `{close[0]}`？" if close else ""
            raise fail(
                source,
                here,
                "不是规则包可用的键",
                f"{hint}可用的键：{'、'.join(allowed)}（见 README「Writing a template pack」）",
            )
        if key in DIRECTIVES and keyed_by is not None:
            _check_scalar(DIRECTIVES[key], value, source, here)
            if not derived:
                raise fail(
                    source,
                    here,
                    "只用于修改继承来的项，但本规则包没有 extends",
                    '删去这个键，或加上 extends = "<模板 id>"',
                )
            continue
        _check_value(schema[key], value, source, here, derived, patterns)
    if keyed_by is not None and data.get("remove"):
        extra = set(data) - {keyed_by, "remove"}
        if extra:
            raise fail(
                source,
                where,
                f"写了 remove = true，又写了 {'、'.join(sorted(extra))}",
                f"删除一项时只写 {keyed_by} 和 remove = true",
            )
    if keyed_by is not None and data.get("insert_before") and data.get("insert_after"):
        raise fail(source, where, "同时写了 insert_before 和 insert_after", "只保留其中一个")


def check_raw(data: dict[str, Any], source: str, patterns: bool = True) -> None:
    """One template pack file as written. ``patterns``: compile its regexes too (a user's pack; the
    built-in ones are compiled by the test suite, which spares every start-up some 30 ms)."""
    derived = "extends" in data
    _check_table(SCHEMA, data, source, "", derived, patterns)
    meta = data.get("template")
    if not isinstance(meta, dict) or not meta.get("id"):
        raise fail(
            source,
            "template.id",
            "缺失",
            '在 [template] 下写明模板 id，例如 id = "2021-gd"；命令行 --template 和配置 template 用它选用本模板',
        )


def check_resolved(data: dict[str, Any], source: str) -> None:
    """A template once its ``extends`` chain is merged: required keys present, references resolved."""
    tables = data.get("tables", {})
    for i, s in enumerate(data.get("sections", [])):
        where = f'sections[{i}]（key = "{s["key"]}"）'
        if not s.get("canonical"):
            raise fail(
                source,
                where,
                "缺少 canonical",
                '写明这一部分在格式中的规范标题，例如 canonical = "政务公开平台建设情况"',
            )
        if s.get("table") and s["table"] not in tables:
            raise fail(
                source,
                f"{where}.table",
                f'指向的表 "{s["table"]}" 不存在',
                f"改为 {'、'.join(tables) or '（无表）'} 之一，或删去 table",
            )
    keys = {s["key"] for s in data.get("sections", [])}
    for name, t in tables.items():
        where = f"tables.{name}"
        for req in ("title", "name"):
            if not t.get(req):
                raise fail(source, f"{where}.{req}", "缺失", '每张表都要有 title（如 "表二"）和 name（表名）')
        if t.get("section") and t["section"] not in keys:
            raise fail(
                source,
                f"{where}.section",
                f'指向的部分 "{t["section"]}" 不存在',
                f"改为 {'、'.join(sorted(keys))} 之一",
            )
        if t.get("kind", "grid") == "blocks" and not t.get("blocks"):
            raise fail(
                source,
                f"{where}.blocks",
                '缺失（kind = "blocks" 的表由若干块组成）',
                '写出 blocks，或把 kind 改为 "grid"',
            )
        for list_name in ("columns", "optional_columns"):
            for j, c in enumerate(t.get(list_name, [])):
                if "label" not in c:
                    raise fail(
                        source, f'{where}.{list_name}[{j}]（id = "{c["id"]}"）', "缺少 label", "写明表头中的列名"
                    )
        row_ids = {r["id"] for r in t.get("rows", [])}
        for j, r in enumerate(t.get("rows", [])):
            here = f'{where}.rows[{j}]（id = "{r["id"]}"）'
            if "label" not in r:
                raise fail(source, here, "缺少 label", "写明表中的行名")
            if r.get("parent") and r["parent"] not in row_ids:
                raise fail(source, f"{here}.parent", f'指向的行 "{r["parent"]}" 不存在', "改为本表中某一行的 id")
        for j, b in enumerate(t.get("blocks", [])):
            here = f'{where}.blocks[{j}]（id = "{b["id"]}"）'
            for req in ("heading", "columns", "rows"):
                if not b.get(req):
                    raise fail(source, f"{here}.{req}", "缺失", "每一块都要有 heading、columns 和 rows")
            for kind_name in ("columns", "rows"):
                for k, item in enumerate(b[kind_name]):
                    if "label" not in item:
                        raise fail(source, f"{here}.{kind_name}[{k}]", "缺少 label", "写明表中的名称")
        for j, ident in enumerate(t.get("identities", [])):
            if not _CODE.match(str(ident.get("code", ""))):
                raise fail(
                    source,
                    f"{where}.identities[{j}].code",
                    f'应为规则代码（如 "GK303"），而不是 {_show(ident.get("code"))}',
                    "写明这一勾稽关系不成立时报告的规则代码",
                )
