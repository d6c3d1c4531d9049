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

from . import TYPE_CHECKING
from .catalog import PluginError, entry_points_of

if TYPE_CHECKING:
    from typing import Any

PROJECT = "gikcheck"
HOOKS = ("gikcheck_rules", "gikcheck_formatters", "gikcheck_readers", "gikcheck_rule_packs")


class HookimplMarker:
    """``pluggy.HookimplMarker("gikcheck")``, without importing pluggy (~10 ms of a cold run).

    Marks a function exactly as pluggy's marker does, with a ``gikcheck_impl`` dict of the
    same options, which is what pluggy reads when it registers a plugin: ``@hookimpl`` and
    ``@hookimpl(tryfirst=True)`` mean what they mean in pluggy."""

    def __init__(self, project_name: str) -> None:
        self.project_name = project_name

    def __call__(
        self,
        function: Callable[..., Any] | None = None,
        hookwrapper: bool = False,
        optionalhook: bool = False,
        tryfirst: bool = False,
        trylast: bool = False,
        specname: str | None = None,
        wrapper: bool = False,
    ) -> Any:
        opts = {
            "wrapper": wrapper,
            "hookwrapper": hookwrapper,
            "optionalhook": optionalhook,
            "tryfirst": tryfirst,
            "trylast": trylast,
            "specname": specname,
        }

        def mark(func: Callable[..., Any]) -> Callable[..., Any]:
            setattr(func, self.project_name + "_impl", dict(opts))
            return func

        return mark if function is None else mark(function)


hookimpl = HookimplMarker(PROJECT)

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


def _hookspecs() -> type:
    import pluggy

    hookspec = pluggy.HookspecMarker(PROJECT)

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

    return HookSpecs


def _load(value: str) -> Any:
    module, _, attr = value.partition(":")
    obj = importlib.import_module(module.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


_manager: Any = None  # pluggy.PluginManager, once built
_builtins: Any = None  # _BuiltinHooks, once built
load_errors: list[str] = []


def get_plugin_manager() -> Any:
    """The pluggy.PluginManager with every built-in and installed plugin registered."""
    global _manager
    if _manager is not None:
        return _manager
    import pluggy

    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(_hookspecs())
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


def hooks() -> Any:
    """The hooks, called as ``hooks().gikcheck_rules()``: a list of the implementations' results.

    pluggy's when its manager is built (a plugin registered at run time) or a third-party
    plugin is installed. Otherwise the built-in modules are called directly, in the order
    pluggy calls them (the last registered first): the same results without importing
    pluggy, which would cost a cold run of one report ~10 ms.
    """
    global _builtins
    if _manager is not None:
        return _manager.hook
    if _builtins is None:
        entries = entry_points_of(PROJECT)
        if any(not value.strip().startswith(f"{PROJECT}.") for _, value in entries):
            return get_plugin_manager().hook
        built = _BuiltinHooks.of(entries)
        if built is None:  # a built-in asks for pluggy's ordering options
            return get_plugin_manager().hook
        _builtins = built
    return _builtins


class _BuiltinHooks:
    """Calls the built-in modules' hook implementations as pluggy's manager would."""

    def __init__(self, impls: dict[str, list[Callable[[], Any]]]) -> None:
        self._impls = impls

    @classmethod
    def of(cls, entries: list[tuple[str, str]]) -> _BuiltinHooks | None:
        modules: list[Any] = []
        names = [value for _, value in entries] + list(BUILTIN_MODULES)
        for value in names:
            try:
                plugin = _load(value)
            except Exception as e:
                raise PluginError(_broken(value.partition(":")[0].strip(), e)) from None
            if not any(plugin is m for m in modules):
                modules.append(plugin)
        impls: dict[str, list[Callable[[], Any]]] = {h: [] for h in HOOKS}
        for module in reversed(modules):  # pluggy calls the last registered first
            for attr in dir(module):
                func = getattr(module, attr, None)
                opts = getattr(func, PROJECT + "_impl", None)
                if not callable(func) or not isinstance(opts, dict):
                    continue
                if any(opts.get(k) for k in ("wrapper", "hookwrapper", "tryfirst", "trylast")):
                    return None
                hook = opts.get("specname") or attr
                if hook not in impls:
                    raise PluginError(f"gikcheck 自带的模块 {module.__name__} 实现了未知的钩子 {hook}")
                impls[hook].append(func)
        return cls(impls)

    def __getattr__(self, hook: str) -> Callable[[], list[Any]]:
        impls = self.__dict__["_impls"].get(hook)
        if impls is None:
            raise AttributeError(hook)
        return lambda: [r for r in (f() for f in impls) if r is not None]


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
        import pluggy

        pm = pluggy.PluginManager(PROJECT)
        pm.add_hookspecs(_hookspecs())
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
    global _manager, _builtins
    _manager = None
    _builtins = None
    load_errors.clear()


def warn_load_errors() -> None:
    for msg in load_errors:
        print(f"gikcheck: 警告: {msg}", file=sys.stderr)
