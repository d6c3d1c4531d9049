"""The pluggy host: hook specifications and the plugin manager.

Built-in rules, readers and formatters register through the ``gikcheck``
entry-point group exactly as a third-party plugin does, so the built-ins
are the example a plugin author copies. A plugin that fails to load is
reported on stderr and the run goes on (as sqlfluff does).
"""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable

import pluggy

PROJECT = "gikcheck"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

# Modules registered when the package's entry points are not installed
# (running from a source checkout); must match pyproject.toml.
BUILTIN_MODULES = (
    "gikcheck.checks.run",
    "gikcheck.checks.structure",
    "gikcheck.checks.tables",
    "gikcheck.checks.arithmetic",
    "gikcheck.checks.prose",
    "gikcheck.checks.dates",
    "gikcheck.checks.text",
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


_manager: pluggy.PluginManager | None = None
load_errors: list[str] = []


def get_plugin_manager() -> pluggy.PluginManager:
    global _manager
    if _manager is not None:
        return _manager
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(HookSpecs)
    loaded_builtin = False
    try:
        from importlib.metadata import entry_points

        eps = entry_points(group=PROJECT)
    except Exception:  # pragma: no cover - broken metadata
        eps = []
    for ep in eps:
        try:
            plugin = ep.load()
        except Exception as e:  # a broken plugin must not break the run
            load_errors.append(f"无法加载插件 {ep.name}({ep.value}): {type(e).__name__}: {e}")
            continue
        if pm.is_registered(plugin):
            continue
        pm.register(plugin, name=ep.name)
        loaded_builtin = loaded_builtin or ep.value.startswith("gikcheck.")
    if not loaded_builtin:
        for mod in BUILTIN_MODULES:
            module = importlib.import_module(mod)
            if not pm.is_registered(module):
                pm.register(module, name=mod)
    _manager = pm
    return pm


def purge_plugin_manager() -> None:
    """Forget the manager (tests register plugins of their own)."""
    global _manager
    _manager = None
    load_errors.clear()


def warn_load_errors() -> None:
    for msg in load_errors:
        print(f"gikcheck: 警告: {msg}", file=sys.stderr)
