"""JSON: one array of findings; lines and columns are 1-based, columns in code points."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .. import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import IO, Any


def render(results: Sequence[Any], stream: IO[str], options: dict[str, Any]) -> None:
    items = [d.to_dict() for res in results for d in res.diagnostics]
    json.dump(items, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
