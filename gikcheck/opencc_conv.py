"""OpenCC converters, built by OpenCC's C++ module without its Python wrapper.

The ``opencc`` package's ``__init__`` imports ``typing`` and ``importlib.util`` and
lists its configuration folder, ~4 ms of a cold run on a traditional-script report,
for a class whose whole work is to find a configuration file and encode the text to
UTF-8. ``load(config)`` does that itself with the package's C++ module, loaded from
where the package keeps it; anything unexpected (another layout, another build's
signatures) returns None and the caller uses the package as usual. The tests compare
the two on every configuration gikcheck uses.
"""

from __future__ import annotations

import os
import sys

from . import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


class Converter:
    """``convert(text)`` as ``opencc.OpenCC(config).convert(text)`` does it."""

    __slots__ = ("_convert", "config")

    def __init__(self, native: Any, config: str) -> None:
        self._convert = native.convert
        self.config = config

    def convert(self, text: str) -> str:
        data = text.encode("utf-8")
        return self._convert(data, len(data))


def _package_dir() -> str | None:
    """The opencc package's folder, found without importing it."""
    for entry in sys.path:
        folder = os.path.join(entry or ".", "opencc")
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            return folder
    return None


def _native_module(folder: str) -> Any:
    mod = sys.modules.get("opencc.clib.opencc_clib")
    if mod is not None:
        return mod
    import _imp

    from .rx import load_extension  # not importlib.util (≈ 1 ms with contextlib)

    for suffix in _imp.extension_suffixes():
        path = os.path.join(folder, "clib", "opencc_clib" + suffix)
        if os.path.isfile(path):
            name = "opencc.clib.opencc_clib"
            mod = load_extension(name, path)
            # The package, when imported later, finds it here and uses this very module.
            sys.modules[name] = mod
            return mod
    return None


def load(config: str) -> Converter | None:
    """A converter for ``config`` (``t2s``, ``s2t`` …), or None: then use ``opencc.OpenCC``."""
    if "opencc" in sys.modules:  # the package is there anyway: nothing to save
        return None
    try:
        folder = _package_dir()
        if folder is None:
            return None
        path = os.path.join(folder, "clib", "share", "opencc", config + ".json")
        if not os.path.isfile(path):
            return None
        native = _native_module(folder)
        if native is None:
            return None
        # As opencc.OpenCC passes it: the configuration, tofu-risk dictionaries included, no zip.
        return Converter(native._OpenCC(path, True, None), path)
    except Exception:  # another build or layout: the package's own class then
        return None
