"""Plain data classes without the import-time cost of ``dataclasses``.

``@dataclass`` compiles every generated method with ``exec`` when the class
is created (≈ 0.6 ms a class on Python 3.11); with some fifty of them on the
import path that was a quarter of gikcheck's start-up. A ``Record`` names
its fields in ``__slots__`` and writes its ``__init__``; equality, hashing
and ``repr`` come from here, by field order.
"""

from __future__ import annotations

from . import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


class Record:
    """Fields are the names in ``__slots__`` (a ``"__dict__"`` slot, for cached properties, is not one)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = tuple(n for n in cls.__dict__.get("__slots__", ()) if n != "__dict__")

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._fields}
