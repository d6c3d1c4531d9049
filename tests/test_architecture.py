"""The package's shape: no import cycles, no private names imported across modules.

Read from the source with ``ast`` (nothing is imported): an import made inside a
function to dodge a cycle still counts in the second test, since it hides the same tangle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gikcheck"


def _modules() -> dict[str, Path]:
    out = {}
    for f in sorted(PACKAGE.rglob("*.py")):
        parts = list(f.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


def _target(module: str, path: Path, node: ast.ImportFrom) -> str | None:
    """The absolute module a ``from … import`` names."""
    if not node.level:
        return node.module
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(tree: ast.Module, deferred: bool) -> list[ast.Import | ast.ImportFrom]:
    if deferred:
        return [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    out: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:  # module level, including `if sys.version_info …:` and `try:` blocks
        for n in ast.walk(node) if isinstance(node, (ast.If, ast.Try)) else (node,):
            if isinstance(n, (ast.Import, ast.ImportFrom)):
                out.append(n)
    return out


def import_graph(deferred: bool) -> dict[str, set[str]]:
    """Module → the gikcheck modules importing it runs (a package's ``__init__`` included)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        deps: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")), deferred):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
                continue
            target = _target(module, path, node)
            for a in node.names:
                sub = f"{target}.{a.name}"
                deps.add(sub if sub in modules else target or "")
        # Importing a.b.c runs a and a.b first; a module's own packages are already running.
        own = {module.rsplit(".", k)[0] for k in range(1, module.count(".") + 1)} | {module}
        ran = set()
        for d in deps:
            parts = d.split(".")
            ran.update(".".join(parts[:k]) for k in range(1, len(parts) + 1))
        graph[module] = {d for d in ran if d in modules and d not in own}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


@pytest.mark.parametrize("deferred", [False, True], ids=["module-level", "deferred-too"])
def test_no_import_cycle(deferred):
    assert cycles(import_graph(deferred)) == []


def test_the_cycle_finder_finds_cycles():
    # The test above can fail: a → b → c → a and a package whose __init__ imports back.
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"x": {"y"}, "y": set()}) == []


def test_no_private_name_is_imported_from_another_module():
    modules = _modules()
    found = []
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            target = _target(module, path, node) or ""
            if not target.startswith("gikcheck"):
                continue
            for a in node.names:
                # A private module of one's package (formatters/_common.py) is not a private name.
                if a.name.startswith("_") and not a.name.startswith("__") and f"{target}.{a.name}" not in modules:
                    found.append(f"{module}:{node.lineno} imports {a.name} from {target}")
    assert found == []


# --- the built-in plugins ---------------------------------------------------------------


def test_built_in_plugins_are_the_entry_points_of_pyproject():
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    from gikcheck.plugins import BUILTIN_MODULES

    data = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    declared = data["project"]["entry-points"]["gikcheck"]
    assert sorted(declared.values()) == sorted(BUILTIN_MODULES)
    assert all(name == "gikcheck_" + value.rsplit(".", 1)[-1] for name, value in declared.items())
    assert all(m in _modules() for m in BUILTIN_MODULES)


@pytest.fixture
def fresh_plugins():
    from gikcheck import plugins, registry

    plugins.purge_plugin_manager()
    registry.reset()
    yield plugins
    plugins.purge_plugin_manager()
    registry.reset()


@pytest.mark.parametrize("how", ["listed", "entry point"])
def test_a_missing_built_in_module_is_an_error(fresh_plugins, monkeypatch, capsys, how):
    from gikcheck.cli import main
    from gikcheck.engine import check_text

    missing = "gikcheck.checks.gone"
    if how == "listed":
        monkeypatch.setattr(fresh_plugins, "BUILTIN_MODULES", fresh_plugins.BUILTIN_MODULES + (missing,))
    else:
        real = fresh_plugins.entry_points_of(fresh_plugins.PROJECT)
        monkeypatch.setattr(fresh_plugins, "entry_points_of", lambda group: real + [("gikcheck_gone", missing)])
    example = PACKAGE.parent / "examples" / "clean-2021.txt"
    for argv in ([str(example)], ["rules"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"gikcheck 自带的模块 {missing} 无法加载" in err and "重新安装" in err and "Traceback" not in err
    with pytest.raises(fresh_plugins.PluginError):
        check_text("青山镇2022年政府信息公开工作年度报告\n")


def test_a_broken_third_party_plugin_is_a_warning(fresh_plugins, monkeypatch, capsys):
    from gikcheck.cli import main

    real = fresh_plugins.entry_points_of(fresh_plugins.PROJECT)
    monkeypatch.setattr(fresh_plugins, "entry_points_of", lambda group: real + [("other", "other_pkg.gone")])
    assert main([str(PACKAGE.parent / "examples" / "clean-2021.txt"), "--isolated"]) == 0
    assert "无法加载插件 other(other_pkg.gone)" in capsys.readouterr().err


@pytest.mark.parametrize(
    "literal, home",
    [
        (".markdown", "gikcheck.reading"),  # the text suffixes
        (".gikcheck.toml", "gikcheck.config"),  # the configuration file names
        ("pyproject.toml", "gikcheck.config"),
        ("GK5", "gikcheck.catalog"),  # the rule families
    ],
)
def test_one_definition_each(literal, home):
    where = sorted(
        module
        for module, path in _modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value == literal
    )
    assert where == [home]


def test_built_in_hooks_without_pluggy_answer_as_pluggy_does(fresh_plugins):
    """plugins.hooks() calls the built-in modules directly when no third-party plugin is
    installed: every hook returns what pluggy's manager returns, in the same order."""
    direct = fresh_plugins.hooks()
    assert type(direct).__name__ == "_BuiltinHooks"
    pm = fresh_plugins.get_plugin_manager()
    for hook in fresh_plugins.HOOKS:
        ours, theirs = getattr(direct, hook)(), getattr(pm.hook, hook)()
        if hook == "gikcheck_formatters":  # each call wraps the renderers anew: compare names
            ours, theirs = [list(b) for b in ours], [list(b) for b in theirs]
        assert ours == theirs, hook
    assert fresh_plugins.hooks() is pm.hook  # once built, the manager answers


def test_hookimpl_marks_as_pluggy_does():
    import pluggy

    from gikcheck.plugins import PROJECT, hookimpl

    ours, theirs = hookimpl, pluggy.HookimplMarker(PROJECT)
    for kw in ({}, {"tryfirst": True}, {"specname": "gikcheck_rules", "optionalhook": True}):

        def f():
            pass

        def g():
            pass

        (ours(**kw) if kw else ours)(f)
        (theirs(**kw) if kw else theirs)(g)
        assert f.gikcheck_impl == g.gikcheck_impl


@pytest.mark.parametrize(
    "doc", ["", "\n", "  a\n   b\n  c\n\n", "x\n\tq\n  z", "\n\n  a\n  b", "一\n\n    **检查什么** 乙\n      丙\n"]
)
def test_cleandoc_is_inspects(doc):
    import inspect

    from gikcheck.rule import cleandoc

    assert cleandoc(doc) == inspect.cleandoc(doc)


def test_rule_docs_read_as_inspect_reads_them():
    import inspect

    from gikcheck import registry
    from gikcheck.rule import cleandoc

    for rule in registry.all_rules():
        assert cleandoc(rule.__doc__ or "") == inspect.cleandoc(rule.__doc__ or ""), rule.code
