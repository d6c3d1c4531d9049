"""JSON Lines: one finding per line, the same object as in ``json``."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .. import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import IO, Any


def render(results: Iterable[Any], stream: IO[str], options: dict[str, Any]) -> None:
    for res in results:
        for d in res.diagnostics:
            stream.write(json.dumps(d.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n")
