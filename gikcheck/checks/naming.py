"""How table rows, columns and cells are named in messages."""

from __future__ import annotations

from ..parsing.tables import MappedTable


def row_title(mt: MappedTable, row_key: str, short: bool = False) -> str:
    spec = mt.spec
    if "." in row_key:  # a 表二 block row: "art20_1.rules"
        block_id, rid = row_key.split(".", 1)
        block = next((b for b in spec.blocks if b.id == block_id), None)
        row = next((r for r in block.rows if r.id == rid), None) if block else None
        return f"{block.heading}「{row.label if row else rid}」" if block else rid
    row = spec.row(row_key)
    if row is None:
        return row_key
    if short and row.short:
        return row.short
    label = row.aliases[0] if row.aliases and short else row.label
    parent = spec.row(row.parent) if row.parent else None
    if parent is not None and parent.group and parent.id != "results":
        ordinal = parent.label.split("）")[0] + "）" if "）" in parent.label else ""
        return f"{ordinal}{label}"
    return label


def col_title(mt: MappedTable, col_id: str, row_key: str = "") -> str:
    col = mt.spec.column(col_id)
    if col is None and "." in row_key:
        block = next((b for b in mt.spec.blocks if b.id == row_key.split(".", 1)[0]), None)
        col = next((c for c in block.columns if c.id == col_id), None) if block else None
    if col is None:
        return col_id
    if col.group and not col.group.startswith("legal"):
        return f"{col.group}·{col.label}"
    return col.label


def cell_name(mt: MappedTable, row_key: str, col_id: str) -> str:
    if mt.spec.single_row:
        return f"「{col_title(mt, col_id, row_key)}」"
    if "." in row_key:
        return f"{row_title(mt, row_key)}行「{col_title(mt, col_id, row_key)}」列"
    return f"「{row_title(mt, row_key)}」行「{col_title(mt, col_id, row_key)}」列"
