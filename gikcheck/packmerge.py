"""How a template pack lays itself over the template it ``extends``.

* Tables of values (``[template]``, ``[government_items]``, ``[deadlines]``) merge key by key.
* ``[tables.<key>]`` merge table by table; ``remove = true`` drops an inherited table,
  ``replace = true`` puts the new one in its place as written.
* Keyed lists merge entry by entry: ``sections`` by ``key``; a table's ``columns``,
  ``optional_columns``, ``rows`` and ``blocks`` by ``id`` (a block's ``columns`` and ``rows`` too).
  An entry whose key is inherited is merged into the inherited entry field by field and keeps
  its place; ``replace = true`` puts it in place of the inherited entry as written;
  ``remove = true`` (with only the key) drops the inherited entry. A new entry goes after the
  entry written before it in the same list, or at the end; ``insert_before = "<key>"`` or
  ``insert_after = "<key>"`` places it (or moves an inherited one).
* Any other list (``titles``, ``aliases``, ``markers``, ``identities`` …) replaces the inherited one.

A mistake (removing what is not inherited, placing after what does not exist) is a PackError
naming the file and the key.
"""

from __future__ import annotations

from . import TYPE_CHECKING
from .packcheck import DIRECTIVES, KEYED, fail

if TYPE_CHECKING:
    from typing import Any

_TABLE_DIRECTIVES = ("remove", "replace")


def merge_pack(base: dict[str, Any], over: dict[str, Any], source: str) -> dict[str, Any]:
    """``over`` (one pack file, from ``source``) laid over the resolved ``base``; ``extends`` is left out."""
    out = dict(base)
    for key, value in over.items():
        if key == "extends":
            continue
        if key == "sections":
            out[key] = _merge_list(base.get(key, []), value, source, key)
        elif key == "tables":
            out[key] = _merge_tables(base.get(key, {}), value, source)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_values(out[key], value)
        else:
            out[key] = value
    return out


def merge_values(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Plain tables of values: key by key, nested tables too; lists replace."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_values(out[key], value)
        else:
            out[key] = value
    return out


def _merge_tables(base: dict[str, Any], over: dict[str, Any], source: str) -> dict[str, Any]:
    out = dict(base)
    for name, table in over.items():
        where = f"tables.{name}"
        body = {k: v for k, v in table.items() if k not in _TABLE_DIRECTIVES}
        if table.get("remove"):
            if name not in out:
                raise fail(source, f"{where}.remove", "无法执行：继承的模板没有这张表", "检查表键的拼写，或删去这张表")
            del out[name]
        elif table.get("replace"):
            if name not in out:
                raise fail(source, f"{where}.replace", "无法执行：继承的模板没有这张表", "新增的表不用写 replace")
            out[name] = _merge_entry({}, body, source, where)
        else:
            out[name] = _merge_entry(out.get(name, {}), body, source, where)
    return out


def _merge_entry(base: dict[str, Any], over: dict[str, Any], source: str, where: str) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if key in KEYED and key != "sections" and isinstance(value, list):
            out[key] = _merge_list(base.get(key, []), value, source, f"{where}.{key}")
        else:
            out[key] = value
    return out


def _merge_list(
    base: list[dict[str, Any]], over: list[dict[str, Any]], source: str, where: str
) -> list[dict[str, Any]]:
    key_name = KEYED[where.rsplit(".", 1)[-1]]
    result = [dict(e) for e in base]

    def find(key: Any) -> int | None:
        return next((i for i, e in enumerate(result) if e.get(key_name) == key), None)

    prev = None
    for n, entry in enumerate(over):
        key = entry[key_name]
        here = f'{where}[{n}]（{key_name} = "{key}"）'
        body = {k: v for k, v in entry.items() if k not in DIRECTIVES}
        at = find(key)
        if entry.get("remove"):
            if at is None:
                raise fail(
                    source, here, "写了 remove = true，但继承的模板没有这一项", f"检查 {key_name} 的拼写，或删去这一项"
                )
            del result[at]
            continue
        if entry.get("replace") and at is None:
            raise fail(
                source,
                here,
                "写了 replace = true，但继承的模板没有这一项",
                f"检查 {key_name} 的拼写；新增的项不用写 replace",
            )
        is_new = at is None
        if at is None:
            result.append(_merge_entry({}, body, source, here))
            at = len(result) - 1
        else:
            result[at] = _merge_entry({} if entry.get("replace") else result[at], body, source, here)
        anchor = entry.get("insert_before") or entry.get("insert_after")
        if anchor or (is_new and prev is not None):
            item = result.pop(at)
            if anchor:
                j = find(anchor)
                if j is None:
                    which = "insert_before" if entry.get("insert_before") else "insert_after"
                    raise fail(
                        source, f"{here}.{which}", f'指向的 "{anchor}" 不在列表中', f"改为本列表中某一项的 {key_name}"
                    )
                j += 1 if entry.get("insert_after") else 0
            else:
                j = (find(prev) or 0) + 1  # a new entry follows the one written before it
            result.insert(j, item)
        prev = key
    return result
