"""Reading the TOML files of rules/ (and of users' packs): located, parsed once per version, errors in Chinese.

Its own module so that text normalisation (the script table) and the template
loader both read packs without importing each other.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from . import TYPE_CHECKING, datacache

if TYPE_CHECKING:
    from typing import Any


class PackError(Exception):
    """A rule pack is missing or malformed (a usage error, exit 2)."""


def packs_dir() -> Path:
    """rules/ ships inside the wheel as gikcheck/_packs; in a checkout it is ../rules."""
    here = Path(__file__).resolve().parent
    for cand in (here / "_packs", here.parent / "rules"):
        if (cand / "common.toml").is_file():
            return cand
    raise PackError(f"找不到模板数据目录 rules/(查找了 {here / '_packs'} 和 {here.parent / 'rules'})")


def load_toml(path: Path) -> dict[str, Any]:
    """A pack's data, parsed once per version of the file (the packs and the script table
    are read at start-up by more than one module). Callers must not change it."""
    try:
        st = path.stat()
    except OSError as e:
        raise PackError(f"无法读取规则包 {path}: {e.strerror or e}") from None
    return _parse_toml(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=64)
def _parse_toml(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise PackError(f"无法读取规则包 {path}: {e.strerror or e}") from None
    return datacache.parsed(data, functools.partial(_toml, path))


def _toml(path: str, data: bytes) -> dict[str, Any]:
    # Imported here: a run whose packs all come from the cache (gikcheck/datacache.py) needs no parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise PackError(f"规则包 {path} 不是 UTF-8 编码的文本（第 {e.start} 字节）") from None
    except tomllib.TOMLDecodeError as e:
        raise PackError(f"规则包 {path} 不是合法的 TOML: {e}") from None
