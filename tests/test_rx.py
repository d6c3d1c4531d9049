"""gikcheck/rx.py: compiled patterns kept between runs give the very patterns a compile gives.

Each run is a fresh interpreter with its own cache directory: the store is read when the
module is imported, as a cold run reads it.
"""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from gikcheck import rx

# Patterns with what the kept form must reproduce: groups and names, lookbehind, \p{Han},
# flags, a reverse search, alternations, a character class with CJK ranges.
REGEX_PATTERNS = [
    (r"(?<=\p{Han})[,;](?P<tail>[ \u3000]?\S)", rx.MULTILINE),
    (r"^(?:一|二|三|四)、\s*(?P<title>[^\n]{2,30})$", rx.MULTILINE),
    (r"(?r)[\d.]+\s*$", 0),
    (r"本站为您精心整理|扫一扫在手机|【关闭】", 0),
    (r"[㐀-鿿豈-\ufaff]{4,}", rx.DOTALL),
    (r"(\d{4})\s*年\s*(\d{1,2})\s*月", rx.IGNORECASE),
]
RE_PATTERNS = [(r"[一-龥]{2,}(\d+)", 0), (r"(?P<a>表[一二三四])\s+(?P<b>\S+)", 8)]
TEXT = (
    "二〇二三年，本机关公开信息１２件；表三 予以公开,共 1,234 件。\n"
    "四、存在的主要问题\n2023年12月31日 扫一扫在手机 中国人民共和国"
)

PROBE = """
import json, re, sys
from gikcheck import rx
patterns = json.loads(sys.argv[1])
out = {"regex_before": "regex" in sys.modules, "found": [], "re": []}
B = rb"/Length\\s+(\\d+)"  # bytes patterns too (the PDF pre-scan's)
out["bytes_primed"] = (bytes, B, 0) in re._cache
out["bytes_found"] = re.compile(B).search(b"<< /Length 12 >>").group(1).decode()
for p, f in patterns["regex"]:
    c = rx.compile(p, f)
    out["found"].append([
        [m.span(), m.groups(), m.groupdict()] for m in c.finditer(sys.argv[2])
    ] + [c.groups, sorted(c.groupindex.items()), int(c.flags), c.sub("X", sys.argv[2])])
out["regex_after"] = "regex" in sys.modules
for p, f in patterns["re"]:
    out["re"].append([(str, p, f) in re._cache, [m.span() for m in re.finditer(p, sys.argv[2], f)]])
print(json.dumps(out, ensure_ascii=False))
"""


def _probe(cache: Path, **env: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps({"regex": REGEX_PATTERNS, "re": RE_PATTERNS}), TEXT],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GIKCHECK_CACHE_DIR": str(cache), **env},
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _expected() -> list:
    out = []
    for p, f in REGEX_PATTERNS:
        c = regex.compile(p, f)
        out.append(
            [[list(m.span()), list(m.groups()), m.groupdict()] for m in c.finditer(TEXT)]
            + [c.groups, [list(kv) for kv in sorted(c.groupindex.items())], int(c.flags), c.sub("X", TEXT)]
        )
    return out


def test_flags_are_the_regex_modules() -> None:
    for name in ("IGNORECASE", "LOCALE", "MULTILINE", "DOTALL", "UNICODE", "VERBOSE", "ASCII"):
        assert getattr(rx, name) == int(getattr(regex, name)), name


def test_escape_is_regex_escape() -> None:
    for text in ("a.b*c", "表(一)[二]{三}", "x y\tz\u3000全角", "-#&~|^$\\?+", "", "中文"):
        assert rx.escape(text) == regex.escape(text)
        assert regex.fullmatch(rx.escape(text), text)


def test_a_second_run_builds_the_same_patterns_without_the_regex_package(tmp_path) -> None:
    first = _probe(tmp_path)
    assert list(tmp_path.glob("rx-*.marshal")), "the first run keeps what it compiled"
    second = _probe(tmp_path)
    assert first["found"] == second["found"] == _expected()
    assert first["regex_after"] is True  # compiled by the package, recorded
    assert (first["bytes_primed"], second["bytes_primed"]) == (False, True)
    assert first["bytes_found"] == second["bytes_found"] == "12"
    assert second["regex_before"] is False and second["regex_after"] is False  # built by the C module alone
    # re: the kept patterns wait in re's own cache, compiled, and match as re.compile's do.
    assert [hit for hit, _ in second["re"]] == [True, True]
    assert [spans for _, spans in second["re"]] == [spans for _, spans in first["re"]]
    assert [spans for _, spans in first["re"]] == [
        [list(m.span()) for m in regex.finditer(p, TEXT, f)] for p, f in RE_PATTERNS
    ]


def test_a_damaged_store_only_means_compiling_again(tmp_path) -> None:
    _probe(tmp_path)
    (store,) = tmp_path.glob("rx-*.marshal")
    wrong_shapes = [
        {"re": {("a",): (1,)}, "regex": {}, "analyses": None},
        {"re": {}, "regex": {("x", 0): [1]}, "analyses": ("stamp", [1])},
        {"re": {(1, 2): (1,)}, "regex": {}, "analyses": 5},
    ]
    for damaged in [b"not a marshal stream", *(marshal.dumps(d) for d in wrong_shapes)]:
        store.write_bytes(damaged)
        again = _probe(tmp_path)
        assert again["found"] == _expected() and again["regex_after"] is True
        assert marshal.loads(store.read_bytes())["regex"], "rewritten whole"


def test_code_is_kept_as_words_and_a_cut_one_is_compiled_again(tmp_path) -> None:
    """The code lists are kept as the bytes of 32-bit words (marshal reads them at once); a kept
    code whose bytes are not whole words is not built from: the pattern is compiled as usual."""
    _probe(tmp_path)
    (store,) = tmp_path.glob("rx-*.marshal")
    data = marshal.loads(store.read_bytes())
    assert data["regex"] and all(type(args[1]) is bytes for args in data["regex"].values())
    assert all(type(args[1]) is bytes for args in data["re"].values())
    for kept in (data["re"], data["regex"]):
        for key, args in kept.items():
            kept[key] = (args[0], args[1][:-1], *args[2:])
    store.write_bytes(marshal.dumps(data))
    again = _probe(tmp_path)
    assert again["found"] == _expected() and again["regex_after"] is True
    assert again["bytes_found"] == "12" and [spans for _, spans in again["re"]] == [
        [list(m.span()) for m in regex.finditer(p, TEXT, f)] for p, f in RE_PATTERNS
    ]


def test_a_store_of_other_patterns_code_is_not_trusted_for_re(tmp_path) -> None:
    """An entry whose code is not what re makes for the pattern is never kept: the code is
    recomputed and compared with re.compile's before it is stored."""
    from gikcheck.rx import _re_arguments, _re_steps

    steps = _re_steps()
    if steps is None:
        pytest.skip("no re internals on this interpreter")
    for p, f in RE_PATTERNS:
        args = _re_arguments(p, f, steps)
        assert steps[0].compile(p, *args) == __import__("re").compile(p, f)


def test_off_with_the_pack_cache(tmp_path) -> None:
    out = _probe(tmp_path, GIKCHECK_NO_CACHE="1")
    assert out["found"] == _expected()
    assert not list(tmp_path.glob("rx-*"))


def test_analyses_are_kept_only_for_the_analysing_code(tmp_path, monkeypatch) -> None:
    """A kept analysis made by another version of the analysing function's file is not used."""
    calls: list[str] = []

    def analyse(pattern: str, multiline: bool) -> tuple:
        calls.append(pattern)
        return ("fresh", pattern)

    monkeypatch.setattr(rx, "_analyses", {})
    monkeypatch.setattr(rx, "_analyses_stamp", None)
    monkeypatch.setattr(rx, "_analyses_stored", ("another file:1:2", {("analyse", "年", True): ("stale", "年")}))
    assert rx.analysis("年", True, analyse) == ("fresh", "年")
    assert calls == ["年"]
    monkeypatch.setattr(rx, "_analyses", {})
    monkeypatch.setattr(rx, "_analyses_stamp", None)
    stamp = rx._stamp(analyse.__code__.co_filename)
    monkeypatch.setattr(rx, "_analyses_stored", (stamp, {("analyse", "月", True): ("kept",)}))
    assert rx.analysis("月", True, analyse) == ("kept",)
    assert calls == ["年"]


def test_a_report_gets_the_same_findings_from_kept_patterns(tmp_path) -> None:
    """The whole check: a first run (compiling, keeping), a second (from the store) and one with
    the cache off give the same JSON findings."""
    samples = [str(p) for p in sorted((Path(__file__).parent.parent / "examples").glob("*.txt"))]
    cache = tmp_path / "cache"

    def run(**env: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "gikcheck", *samples, "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env={**os.environ, "GIKCHECK_CACHE_DIR": str(cache), **env},
        )
        assert proc.returncode in (0, 1), proc.stderr
        return proc.stdout

    first, second, off = run(), run(), run(GIKCHECK_NO_CACHE="1")
    assert first == second == off
    assert json.loads(first), "the defective examples have findings to compare"
