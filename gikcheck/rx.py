"""Regular expressions compiled once per installation, not once per run.

A cold run compiles about 80 ``re`` patterns and 40 ``regex`` patterns (≈ 40 ms) and
imports the ``regex`` package, whose pattern parser is 15 ms of Python, before it has
checked a line: more than checking a report costs. Both engines compile in two steps: a
parser written in Python turns the pattern into a list of integer opcodes, and a C
function builds the pattern object from that list. The list depends only on the
pattern, its flags and the engine, so it is kept in the cache directory (see
``datacache``), one file per Python build, ``regex`` build and gikcheck version, and the
next run hands it straight to the C function.

- ``re``: importing this module puts the kept patterns into ``re``'s own cache, so every
  ``re.compile`` / ``re.search`` of them — in gikcheck or in the standard library —
  finds them compiled. Their code is computed with ``re``'s own parser and code
  generator and kept only when the object built from it equals the one ``re.compile``
  made (pattern objects compare flags, pattern and code).
- ``regex``: gikcheck compiles through ``compile()`` here. The arguments ``regex`` hands
  its C function are recorded as it compiles; a kept pattern is built by the C module,
  loaded without the package, so a run whose patterns are all kept never imports it.
- the prefilters' analyses of the patterns (``analysis()``, see ``prefilter``), kept only
  for the ``prefilter.py`` that made them.

This leans on how the two engines work inside (``re._cache``, ``_sre.compile``,
``regex._regex.compile``), so every step is checked and anything unexpected — another
Python, a newer ``regex``, a damaged file, a read-only disk — only means the patterns
are compiled as usual: the cache never changes an answer. ``GIKCHECK_NO_CACHE=1``
turns it off with the pack cache.
"""

from __future__ import annotations

import _thread  # not threading (≈ 1 ms of a cold run): a lock, a thread-local and an id are all this needs
import atexit
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable

from . import TYPE_CHECKING, datacache

if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

    import regex

# The regex module's flags (tests/test_rx.py checks them against it): importing it to read
# them would cost what this module saves.
IGNORECASE = 2
LOCALE = 4
MULTILINE = 8
DOTALL = 16
UNICODE = 32
VERBOSE = 64
ASCII = 128

FORMAT = b"gikcheck-rx-3"
_MAX_ENTRIES = 2048  # per engine: a configuration with thousands of patterns keeps the first ones

_MISSING = object()
# Code lists are kept as the bytes of an array of 32-bit words: marshal reads a list of ints an
# int at a time (≈ 0.5 ms of a cold run for the store), and bytes at once; ``tolist`` makes the list.
_U32 = next((code for code in "IL" if array(code).itemsize == 4), None)
_ext_found: Any = _MISSING  # where the regex package's C module is: looked for once per process
_METACHARS = frozenset("()[]{}?*+|^$\\.-#&~")

_lock = _thread.allocate_lock()
_local = _thread._local()
_loaded = False
_path: str | None = None
_re_kept: dict[tuple[str | bytes, int], tuple] = {}  # (pattern, flags) -> re's arguments to _sre.compile
_regex_kept: dict[tuple[str, int], tuple] = {}  # (pattern, flags) -> regex's arguments to _regex.compile
_regex_new: dict[tuple[str, int], tuple] = {}
_analyses: dict[tuple[str, str, bool], Any] = {}  # (analysing function, pattern, multiline) -> analysis
_analyses_new: dict[tuple[str, str, bool], Any] = {}
_analyses_stored: tuple | None = None  # (stamp, {key: analysis}) as loaded, taken up on first use
_analyses_stamp: str | None = None
_re_refused: set[tuple[str | bytes, int]] = set()  # re patterns whose code could not be checked: not tried again
_compiled: dict[tuple[str, int], Any] = {}
_re_seen = -1  # how many patterns re's cache held at the last save()
_writes = 0
# A process writes the store a few times at most: patterns made from what a report says would
# otherwise have a long run rewrite it again and again (they are not worth keeping anyway).
_MAX_WRITES = 8


def escape(text: str) -> str:
    """``regex.escape(text)``: special characters and white space escaped."""
    return "".join("\\" + c if c in _METACHARS or c.isspace() else c for c in text)


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, built from the kept code when this pattern was compiled before."""
    key = (pattern, flags)
    p = _compiled.get(key)
    if p is not None:
        return p
    _load()
    args = _regex_kept.get(key)
    if args is not None:
        p = _build_regex(pattern, args)
    if p is None:
        p = _compile_regex(pattern, flags)
    if len(_compiled) >= _MAX_ENTRIES:  # bounded, as regex's own cache is: a long run stays flat
        _compiled.clear()
    _compiled[key] = p
    return p


def analysis(pattern: str, multiline: bool, analyse: Callable[[str, bool], T]) -> T:
    """``analyse(pattern, multiline)``, kept between runs like the compiled patterns.

    An analysis depends on gikcheck's code, not only on its version: the kept ones are
    taken only while the analysing functions' source file is the one that made them (one
    file: the first function asked for gives the stamp).
    """
    global _analyses_stored, _analyses_stamp
    key = (analyse.__name__, pattern, multiline)
    got = _analyses.get(key, _MISSING)
    if got is not _MISSING:
        return got
    if _analyses_stamp is None:
        _analyses_stamp = _stamp(analyse.__code__.co_filename)
        stored, _analyses_stored = _analyses_stored, None
        if stored and stored[0] == _analyses_stamp:
            _analyses.update(stored[1])
            got = _analyses.get(key, _MISSING)
            if got is not _MISSING:
                return got
    got = analyse(pattern, multiline)
    _analyses[key] = got
    if _path is not None and len(_analyses) < _MAX_ENTRIES and _marshals(got):
        with _lock:
            _analyses_new[key] = got
    return got


def __getattr__(name: str) -> Any:
    # regex.error, regex.Pattern …: rarely needed, and they are worth the package's import then.
    if name in ("error", "Pattern", "Match"):
        import regex

        return getattr(regex, name)
    raise AttributeError(name)


# --- the store ---------------------------------------------------------------------------------


def _key() -> str:
    """What the kept code depends on: this Python, the regex build, gikcheck's version."""
    from . import __version__

    parts = [FORMAT, __version__.encode(), sys.version.encode(), sys.implementation.cache_tag.encode()]
    parts.append(sys.byteorder.encode())  # the code words' bytes are in this machine's order
    ext = _regex_ext_path()
    if ext is not None:
        try:
            st = os.stat(ext)
            parts.append(f"{ext}:{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            parts.append(b"no-regex")
    return datacache.digest(b"\0".join(parts))


def _load() -> None:
    global _loaded, _path
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        _loaded = True
        where = datacache.cache_dir()
        if where is None:
            return
        _path = os.path.join(where, f"rx-{_key()}.marshal")
        global _analyses_stored
        data = _read(_path)
        _re_kept.update(data["re"])
        _regex_kept.update(data["regex"])
        _analyses_stored = data["analyses"]
        _prime_re()
        atexit.register(save)


def save() -> None:
    """Keep what this process compiled and the store lacks (cheap when nothing is new)."""
    global _re_seen, _writes
    if _path is None:
        return
    cache = _re_cache()
    seen = len(cache) if cache is not None else 0
    if (seen == _re_seen and not _regex_new and not _analyses_new) or _writes >= _MAX_WRITES:
        return
    _re_seen = seen
    new_re = _new_re_patterns()
    with _lock:
        new_regex, new_analyses = dict(_regex_new), dict(_analyses_new)
        _regex_new.clear()
        _analyses_new.clear()
    if not new_re and not new_regex and not new_analyses:
        return
    _re_kept.update(new_re)
    _regex_kept.update(new_regex)
    data = _read(_path)  # another run may have kept others meanwhile: keep theirs too
    stored = data["analyses"]
    analyses = dict(stored[1]) if stored and stored[0] == _analyses_stamp else {}
    for kept, new in ((data["re"], new_re), (data["regex"], new_regex), (analyses, new_analyses)):
        for k, v in new.items():
            if len(kept) < _MAX_ENTRIES:
                kept.setdefault(k, v)
    data["analyses"] = (_analyses_stamp, analyses) if _analyses_stamp else stored
    try:
        blob = marshal.dumps(_shared(data, {}))
        os.makedirs(os.path.dirname(_path), exist_ok=True)
        tmp = f"{_path}.{os.getpid()}.{_thread.get_ident()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, _path)  # atomic: a concurrent run reads the old store or the new one
        _writes += 1
    except (OSError, ValueError):
        pass


def _shared(value: Any, strings: dict[str, str]) -> Any:
    """``value`` with equal strings made one object, which marshal then writes once and a run
    reads once (the analyses repeat the same characters hundreds of times): ~1/4 faster to load."""
    kind = type(value)
    if kind is str:
        return strings.setdefault(value, value)
    if kind is tuple:
        return tuple(_shared(v, strings) for v in value)
    if kind is dict:
        return {_shared(k, strings): _shared(v, strings) for k, v in value.items()}
    return value


def _read(path: str) -> dict[str, Any]:
    """The store at ``path``; an empty one when it is missing, damaged or not of this shape."""
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())
        re_kept, regex_kept, analyses = data["re"], data["regex"], data.get("analyses")
        if (
            _entries_ok(re_kept, (str, bytes))
            and _entries_ok(regex_kept, (str,))
            and (analyses is None or (type(analyses) is tuple and len(analyses) == 2 and type(analyses[1]) is dict))
        ):
            return {"re": dict(re_kept), "regex": dict(regex_kept), "analyses": analyses}
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    return {"re": {}, "regex": {}, "analyses": None}


def _entries_ok(kept: Any, kinds: tuple[type, ...]) -> bool:
    """{(pattern, flags): arguments}, as this module writes it."""
    return type(kept) is dict and all(
        type(k) is tuple and len(k) == 2 and type(k[0]) in kinds and type(k[1]) is int and type(v) is tuple
        for k, v in kept.items()
    )


def _marshals(value: Any) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


def _stamp(filename: str) -> str:
    """The source file's size and time: what the analyses it made depend on."""
    try:
        st = os.stat(filename)
    except OSError:
        return filename
    return f"{filename}:{st.st_size}:{st.st_mtime_ns}"


# --- re ----------------------------------------------------------------------------------------


def _re_steps() -> tuple[Any, Any, Any] | None:
    try:
        import _sre  # type: ignore[import-not-found]

        if sys.version_info >= (3, 11):
            from re import _compiler, _parser
        else:  # pragma: no cover - Python 3.10
            import sre_compile as _compiler
            import sre_parse as _parser
        _compiler._code  # type: ignore[attr-defined]  # noqa: B018 (fails here, not later, where it is missing)
        return _sre, _compiler, _parser
    except (ImportError, AttributeError):  # pragma: no cover - another implementation
        return None


def _re_cache() -> dict | None:
    cache = getattr(re, "_cache", None)
    return cache if isinstance(cache, dict) else None


def _prime_re() -> None:
    steps, cache = _re_steps(), _re_cache()
    if steps is None or cache is None:
        return
    room = getattr(re, "_MAXCACHE", 512) - len(cache)
    for (pattern, flags), args in _re_kept.items():
        if room <= 0:
            break
        key = (type(pattern), pattern, flags)  # str or bytes, as re keys its cache
        if key in cache:
            continue
        try:
            cache[key] = steps[0].compile(pattern, args[0], _unpacked(args[1]), *args[2:])
        except Exception:
            continue
        room -= 1


def _re_arguments(pattern: str | bytes, flags: int, steps: tuple[Any, Any, Any]) -> tuple:
    """The arguments ``re.compile`` hands ``_sre.compile`` after the pattern."""
    _sre, compiler, parser = steps
    p = parser.parse(pattern, flags)
    code = compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup: list[str | None] = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    # Plain ints: the opcodes are int subclasses, which marshal does not keep.
    return (int(flags | p.state.flags), [int(c) for c in code], p.state.groups - 1, groupindex, tuple(indexgroup))


def _new_re_patterns() -> dict[tuple[str | bytes, int], tuple]:
    steps, cache = _re_steps(), _re_cache()
    if steps is None or cache is None:
        return {}
    new: dict[tuple[str | bytes, int], tuple] = {}
    for key, compiled in list(cache.items()):
        if not (isinstance(key, tuple) and len(key) == 3 and key[0] in (str, bytes) and type(key[1]) is key[0]):
            continue
        _, pattern, flags = key
        flags = int(flags)
        if (pattern, flags) in _re_kept or (pattern, flags) in _re_refused or len(_re_kept) + len(new) >= _MAX_ENTRIES:
            continue
        try:
            args = _re_arguments(pattern, flags, steps)
            if steps[0].compile(pattern, *args) != compiled:  # equal flags, pattern and code
                raise ValueError(pattern)
            args = (args[0], _packed(args[1]), *args[2:])
            marshal.dumps(args)
        except Exception:
            _re_refused.add((pattern, flags))
            continue
        new[(pattern, flags)] = args
    return new


def _packed(code: list[int]) -> bytes | list[int]:
    """A code list as it is kept: the bytes of 32-bit words; the list itself when a word does not fit."""
    if _U32 is not None:
        try:
            return array(_U32, code).tobytes()
        except (OverflowError, TypeError, ValueError):
            pass
    return code


def _unpacked(code: Any) -> list[int]:
    """The code list a kept one stands for (raises on a damaged one: the caller compiles instead)."""
    if type(code) is bytes:
        return array(_U32 or "I", code).tolist()
    if type(code) is list:
        return code
    raise TypeError("code")


# --- regex -------------------------------------------------------------------------------------


def _regex_ext_path() -> str | None:
    """Where the regex package's C module is, found without importing the package."""
    global _ext_found
    mod = sys.modules.get("regex._regex")
    if mod is not None:
        return getattr(mod, "__file__", None)
    if _ext_found is _MISSING:  # asked by the store's key and again to load it: sys.path looked through once
        _ext_found = _find_regex_ext()
    return _ext_found


def _find_regex_ext() -> str | None:
    import _imp

    suffixes = _imp.extension_suffixes()
    # As the import system's path finder looks for a package in each sys.path folder, without
    # importlib.util (≈ 1 ms of a cold run, with contextlib): the first folder holding regex
    # as a package decides; one holding a module of that name means there is no C module to take.
    for entry in sys.path:
        if not isinstance(entry, str):
            continue
        base = entry or os.getcwd()
        if not os.path.isdir(base):
            if os.path.exists(base):
                break  # a zip file: zipimport's, left to importlib below
            continue  # a folder that is not there (python3X.zip often is not) holds nothing
        folder = os.path.join(base, "regex")
        if os.path.isdir(folder):
            if any(os.path.isfile(os.path.join(folder, "__init__" + s)) for s in (*suffixes, ".py", ".pyc")):
                for suffix in suffixes:
                    path = os.path.join(folder, "_regex" + suffix)
                    if os.path.isfile(path):
                        return path
                return None
            break  # a namespace package: importlib's rules
        if any(os.path.isfile(os.path.join(base, "regex" + s)) for s in (*suffixes, ".py", ".pyc")):
            return None
    return _regex_ext_path_by_importlib(suffixes)


def _regex_ext_path_by_importlib(suffixes: list[str]) -> str | None:
    try:
        from importlib.util import find_spec

        spec = find_spec("regex")
    except (ImportError, ValueError):
        return None
    for folder in (spec and spec.submodule_search_locations) or ():
        for suffix in suffixes:
            path = os.path.join(folder, "_regex" + suffix)
            if os.path.isfile(path):
                return path
    return None


def _regex_ext() -> Any:
    """The regex package's C module; loaded alone when the package is not imported yet."""
    mod = sys.modules.get("regex._regex")
    if mod is not None:
        return mod
    with _lock:
        mod = sys.modules.get("regex._regex")
        if mod is not None:
            return mod
        path = _regex_ext_path()
        if path is None:
            raise ImportError("regex._regex")
        mod = load_extension("regex._regex", path)
        # The package, when imported later, finds it here and uses this very module.
        sys.modules["regex._regex"] = mod
        return mod


def load_extension(name: str, path: str) -> Any:
    """The C extension module at ``path``, loaded under ``name`` as importlib.util's
    ``module_from_spec`` and ``exec_module`` load it, without importing importlib.util (and
    contextlib). The caller puts it in sys.modules, where the package will find it."""
    from importlib.machinery import ExtensionFileLoader, ModuleSpec

    loader = ExtensionFileLoader(name, path)
    spec = ModuleSpec(name, loader, origin=path)
    spec.has_location = True
    mod = loader.create_module(spec)
    mod.__spec__, mod.__loader__, mod.__file__ = spec, loader, path
    mod.__package__ = name.rpartition(".")[0]
    loader.exec_module(mod)
    return mod


def _build_regex(pattern: str, args: tuple) -> Any:
    try:
        return _regex_ext().compile(pattern, args[0], _unpacked(args[1]), *args[2:])
    except Exception:
        return None


class _Recorder:
    """Stands for ``regex._regex`` inside ``regex._main``: passes everything on, and notes the
    arguments of a ``compile`` this module asked for (per thread, so other compiles are left alone)."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def compile(self, *args: Any) -> Any:
        compiled = self._real.compile(*args)
        if getattr(_local, "recording", False):
            _local.args = args
        return compiled


def _compile_regex(pattern: str, flags: int) -> Any:
    import regex
    import regex._main as main

    with _lock:
        if not isinstance(main.__dict__.get("_regex"), _Recorder):
            main._regex = _Recorder(main._regex)  # type: ignore[assignment,attr-defined]
    _local.recording, _local.args = True, None
    try:
        compiled = regex.compile(pattern, flags, cache_pattern=False)
    finally:
        _local.recording = False
    args, _local.args = _local.args, None
    if args is not None and _path is not None and _keepable(pattern, compiled, args):
        with _lock:
            if len(_regex_kept) + len(_regex_new) < _MAX_ENTRIES:
                _regex_new[(pattern, flags)] = (int(args[1]), _packed(args[2]), *args[3:])
    return compiled


def _keepable(pattern: str, compiled: Any, args: tuple) -> bool:
    """A pattern whose recorded build stands alone: no named lists, no locale, data marshal keeps."""
    if args[0] is not pattern or compiled.flags & LOCALE or compiled.named_lists:
        return False
    try:
        return _marshals((int(args[1]), _packed(args[2]), *args[3:]))
    except TypeError:
        return False


# Importing this module loads the store: modules import it before they compile their patterns.
_load()
