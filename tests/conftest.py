"""Shared test helpers: check a fixture report and get (code, line) pairs; register a rule for a
while; measure the memory a call takes; read expectation tables; render a page in Chromium."""

from __future__ import annotations

import atexit
import contextlib
import csv
import os
import shutil
import subprocess
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The parsed-pack cache (gikcheck/datacache.py) of the test run, its subprocesses included, goes to
# a directory of its own: tests neither read a developer's ~/.cache/gikcheck nor leave entries there.
if "GIKCHECK_CACHE_DIR" not in os.environ:
    os.environ["GIKCHECK_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="gikcheck-test-cache-")
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

from gikcheck.config import Settings, apply
from gikcheck.engine import check_text

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed (/usr/bin/chromium)")


def settings(**kw) -> Settings:
    """Settings from kebab-case keys, as a config file would give them."""
    return apply(Settings(), {k.replace("_", "-"): v for k, v in kw.items()}, "test")


def selecting(select=None, **kw) -> dict[str, Any]:
    """``kw`` with ``select`` (a code, a prefix or several of them) as the list a config file gives."""
    if select is not None:
        kw["select"] = [select] if isinstance(select, str) else list(select)
    return kw


def findings(text: str, select=None, **kw) -> list[tuple[str, int]]:
    """(code, line) of every finding, sorted; ``select`` limits the rules."""
    diags = check_text(text, "fixture.txt", settings(**selecting(select, **kw)))
    return sorted((d.code, d.location.line) for d in diags)


def places(text: str, select=None, **kw) -> list[tuple[str, int]]:
    """(code, line) of every place found, sorted: a grouped finding (one pattern, many places)
    counts each of its places, as ``--statistics`` does."""
    diags = check_text(text, "fixture.txt", settings(**selecting(select, **kw)))
    return sorted((d.code, r.location.line) for d in diags for r in (d.places() or (d,)))


def codes(text: str, select=None, **kw) -> set[str]:
    return {c for c, _ in findings(text, select, **kw)}


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the first ``old`` replaced (which must be there)."""
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first ``needle`` in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not (corpus / "expect.tsv").is_file():
        pytest.skip("../shared/corpus is not available")
    return corpus


def tsv_rows(path: Path) -> list[list[str]]:
    """The rows of a tab-separated expectations file, without blank and ``#`` comment lines."""
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]


@contextlib.contextmanager
def registered(*rules: type) -> Iterator[None]:
    """``rules`` registered as a third-party plugin's, for the ``with`` block only."""
    from gikcheck import plugins, registry

    class Plugin:
        @plugins.hookimpl
        def gikcheck_rules(self):
            return list(rules)

    pm = plugins.get_plugin_manager()
    plugin = Plugin()
    pm.register(plugin)
    registry.reset()
    try:
        yield
    finally:
        pm.unregister(plugin)
        registry.reset()


def traced_peak(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """``fn(*args)`` and the peak of the memory Python allocated meanwhile (tracemalloc), in bytes."""
    tracemalloc.start()
    try:
        result = fn(*args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def chromium_dom(page: Path, tmp_path: Path) -> str:
    """The DOM headless Chromium holds once ``page`` has loaded and run its scripts."""
    proc = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def pdf_file(objs: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1; object 1 the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)
