"""Reading the TOML files of rules/ (and of users' packs): located, parsed once per version, errors in Chinese.

Its own module so that text normalisation (the script table) and the template
loader both read packs without importing each other.
"""

from __future__ import annotations

import functools
import os
import sys

from . import TYPE_CHECKING, datacache

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


class PackError(Exception):
    """A rule pack is missing or malformed (a usage error, exit 2)."""


def packs_dir() -> Path:
    """rules/ ships inside the wheel as gikcheck/_packs; in a checkout it is ../rules."""
    from pathlib import Path

    return Path(packs_folder())


# Strings and os.path in what a run calls (packs_folder, pack_files, load_toml): pathlib, with
# urllib.parse and ipaddress, would cost every cold run ≈ 0.5 ms.


@functools.lru_cache(maxsize=1)
def packs_folder() -> str:
    """``str(packs_dir())``."""
    here = os.path.dirname(os.path.realpath(__file__))
    shipped, checkout = os.path.join(here, "_packs"), os.path.join(os.path.dirname(here), "rules")
    for cand in (shipped, checkout):
        if os.path.isfile(os.path.join(cand, "common.toml")):
            return cand
    raise PackError(f"找不到模板数据目录 rules/(查找了 {shipped} 和 {checkout})")


def pack_files() -> list[str]:
    """The built-in packs, as ``[str(p) for p in sorted(packs_dir().glob("*.toml"))]`` lists them."""
    folder = packs_folder()
    if os.sep != "/":  # pragma: no cover - Windows: pathlib's order and case rules
        return [str(p) for p in sorted(packs_dir().glob("*.toml"))]
    return [os.path.join(folder, name) for name in sorted(os.listdir(folder)) if name.endswith(".toml")]


def load_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A pack's data, parsed once per version of the file (the packs and the script table
    are read at start-up by more than one module). Callers must not change it."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise PackError(f"无法读取规则包 {path}: {e.strerror or e}") from None
    return _parse_toml(os.fspath(path), st.st_mtime_ns, st.st_size)


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
