"""The pluggy host: hook specifications and the plugin manager.

Built-in rules, readers and formatters register through the ``gikcheck``
entry-point group exactly as a third-party plugin does, so the built-ins
are the example a plugin author copies. A third-party plugin that fails
to load is reported on stderr and the run goes on (as sqlfluff does); a
built-in module that is missing or fails to load is an error (``PluginError``,
exit 2): its rules must never be silently absent.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

import pluggy

from .catalog import PluginError, entry_points_of

PROJECT = "gikcheck"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

# The built-in plugins: registered through the package's entry points when they are
# installed, and registered here whatever the entry points say (a source checkout, or
# an install whose entry points predate a module). tests/test_architecture.py checks
# that this list is pyproject.toml's.
BUILTIN_MODULES = (
    "gikcheck.checks.run",
    "gikcheck.checks.structure",
    "gikcheck.checks.tables",
    "gikcheck.checks.arithmetic",
    "gikcheck.checks.prose",
    "gikcheck.checks.dates",
    "gikcheck.checks.phrases",
    "gikcheck.checks.garbled",
    "gikcheck.checks.script",
    "gikcheck.checks.punctuation",
    "gikcheck.checks.repeated",
    "gikcheck.checks.generic",
    "gikcheck.checks.crossdoc",
    "gikcheck.formatters",
    "gikcheck.readers",
)


class HookSpecs:
    @hookspec
    def gikcheck_rules(self) -> list[type]:
        """Return rule classes (subclasses of gikcheck.rule.Rule)."""

    @hookspec
    def gikcheck_formatters(self) -> dict[str, Callable[..., Any]]:
        """Return output formatters by name: ``fn(results, stream, options) -> None``."""

    @hookspec
    def gikcheck_readers(self) -> list[Any]:
        """Return readers (see gikcheck.readers.Reader): bytes of one input → a Document."""

    @hookspec
    def gikcheck_rule_packs(self) -> list[str]:
        """Return paths of extra TOML rule packs (templates, term lists)."""


def _load(value: str) -> Any:
    module, _, attr = value.partition(":")
    obj = importlib.import_module(module.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


_manager: pluggy.PluginManager | None = None
load_errors: list[str] = []


def get_plugin_manager() -> pluggy.PluginManager:
    global _manager
    if _manager is not None:
        return _manager
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(HookSpecs)
    errors: list[str] = []
    for name, value in entry_points_of(PROJECT):
        builtin = value.strip().startswith(f"{PROJECT}.")
        try:
            plugin = _load(value)
        except Exception as e:  # a broken third-party plugin must not break the run
            if builtin:
                raise PluginError(_broken(value.partition(":")[0].strip(), e)) from None
            errors.append(f"无法加载插件 {name}({value}): {type(e).__name__}: {e}")
            continue
        if pm.is_registered(plugin):
            continue
        pm.register(plugin, name=name)
    for mod in BUILTIN_MODULES:
        try:
            module = importlib.import_module(mod)
        except Exception as e:
            raise PluginError(_broken(mod, e)) from None
        if not pm.is_registered(module):
            pm.register(module, name=mod)
    load_errors[:] = errors
    _manager = pm
    return pm


def _broken(module: str, error: BaseException) -> str:
    return (
        f"gikcheck 自带的模块 {module} 无法加载（{type(error).__name__}: {error}），"
        "其中的规则、格式或读取器都不可用；安装不完整，请重新安装 gikcheck"
    )


def formatter_names() -> list[str]:
    """The output formats' names, for ``--help``.

    Built from the plugins' formatter hooks without importing the built-in rule
    and reader modules (which provide no formats) when the full manager is not
    built yet: help is shown at the cost of the formatters alone.
    """
    pm = _manager
    if pm is None:
        pm = pluggy.PluginManager(PROJECT)
        pm.add_hookspecs(HookSpecs)
        no_formats = set(BUILTIN_MODULES) - {"gikcheck.formatters"}
        for name, value in [*entry_points_of(PROJECT), ("gikcheck_formatters", "gikcheck.formatters")]:
            if value.partition(":")[0].strip() in no_formats:
                continue
            try:
                plugin = _load(value)
            except Exception:  # reported when the plugins are loaded for a run
                continue
            if not pm.is_registered(plugin):
                pm.register(plugin, name=name)
    names: dict[str, object] = {}
    for batch in pm.hook.gikcheck_formatters():
        names.update(batch or {})
    return list(names)


def purge_plugin_manager() -> None:
    """Forget the manager (tests register plugins of their own)."""
    global _manager
    _manager = None
    load_errors.clear()


def warn_load_errors() -> None:
    for msg in load_errors:
        print(f"gikcheck: 警告: {msg}", file=sys.stderr)
