"""Parsed rule packs kept between runs, as Python keeps compiled modules in ``__pycache__``.

Parsing the TOML of rules/ costs a cold run 10–30 ms (phrases.toml, 2019.toml and the
script table are the big ones), more than checking a report does. The parsed data is
stored with ``marshal`` under the user's cache directory, keyed by a hash of the file's
bytes, of gikcheck's version and of the Python version, so an edited pack, an upgrade or
another interpreter never reads a stale entry. Anything that goes wrong with the cache
(no home directory, a read-only disk, a damaged entry, data marshal cannot hold) only
means the file is parsed again: the cache never changes an answer.

Where: ``$GIKCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/gikcheck`` (``~/.cache/gikcheck``;
``%LOCALAPPDATA%\\gikcheck`` on Windows). ``GIKCHECK_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable

from . import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

try:  # hashlib would load OpenSSL (~4 ms) for one digest
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - interpreters without the builtin module
    from hashlib import blake2b

FORMAT = b"gikcheck-datacache-1"


def cache_dir() -> str | None:
    """The directory entries go to, or None when caching is off.

    A string, not a Path: pathlib (with urllib.parse, ≈ 0.5 ms) is no part of a plain run."""
    env = os.environ
    if env.get("GIKCHECK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = env.get("GIKCHECK_CACHE_DIR")
    if explicit:
        return explicit
    base = env.get("LOCALAPPDATA") if sys.platform == "win32" else env.get("XDG_CACHE_HOME")
    if base:
        return os.path.join(base, "gikcheck")
    try:
        home = os.path.expanduser("~")
    except (RuntimeError, KeyError):  # pragma: no cover - no home directory to speak of
        return None
    if home.startswith("~"):  # no home directory to speak of (Path.home() raises then)
        return None
    return os.path.join(home, ".cache", "gikcheck")


def digest(data: bytes) -> str:
    """A short hex digest of ``data`` for a cache entry's name."""
    return blake2b(data, digest_size=16).hexdigest()


def _key(data: bytes) -> str:
    from . import __version__

    return digest(b"".join((FORMAT, __version__.encode(), sys.version.encode(), data)))


def parsed(data: bytes, parse: Callable[[bytes], Any]) -> Any:
    """``parse(data)``, from the cache when the same bytes were parsed before."""
    where = cache_dir()
    if where is None:
        return parse(data)
    path = os.path.join(where, f"{_key(data)}.marshal")
    try:
        with open(path, "rb") as fh:
            return marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        pass  # not there yet, or damaged: parse again
    value = parse(data)
    try:
        blob = marshal.dumps(value)
    except ValueError:  # e.g. TOML dates: not worth a slower format
        return value
    try:
        os.makedirs(where, exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)  # atomic: a concurrent run reads the old entry or the new one
    except OSError:
        pass
    return value
