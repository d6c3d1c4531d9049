"""Baselines: accept the known findings of a set of reports, fail only on new ones.

A baseline is a JSON file written by ``--write-baseline FILE`` and read by
``--baseline FILE``. Each entry is keyed by the report's path (relative to
the baseline file's directory, so the file can be committed next to the
reports), the rule code and the finding's stable anchor (section / table /
row / column keys; the message when a rule gives no anchor), with the number
of findings accepted under that key. Positions are not part of the key, so
editing a report elsewhere does not invalidate its baseline.

Findings that are not (or no longer) covered are kept; entries that match
nothing any more are *stale* and reported, so that the baseline can be
tightened. Entries for files that were not checked in this run are neither
applied nor reported stale (pre-commit passes only the changed files).
GK001 (unreadable input) and GK002 (internal error) are never baselined.

A grouped finding (one pattern, many places: a table's blank cells) is accepted place by
place, each under the anchor of the finding it stands for (the cell), so that a baseline
written before findings were grouped still applies. It is suppressed when every place is
accepted; when a new place appears, the finding is reported with all its places.

"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import TYPE_CHECKING
from .diagnostics import Diagnostic
from .fileio import write_atomic

if TYPE_CHECKING:
    from typing import Any

VERSION = 1
NEVER_BASELINED = frozenset({"GK001", "GK002"})


class BaselineError(Exception):
    """The baseline file cannot be read; the message is for the user (Chinese)."""


Key = tuple[str, str, str]  # (path, code, anchor)


@dataclass(frozen=True)
class StaleEntry:
    path: str
    code: str
    anchor: str
    count: int  # how many accepted findings no longer occur


def _is_path(p: str) -> bool:
    return p not in ("-", "") and not p.lower().startswith(("http://", "https://")) and not p.startswith("<")


def normalise_path(path: str, base_dir: Path) -> str:
    """The path as stored in a baseline: relative to the baseline's directory, with ``/``."""
    if not _is_path(path):
        return path
    try:
        rel = os.path.relpath(Path(path).resolve(), base_dir.resolve())
    except ValueError:  # another drive (Windows)
        rel = str(Path(path).resolve())
    return rel.replace(os.sep, "/")


def diagnostic_key(d: Diagnostic, base_dir: Path) -> Key:
    return (normalise_path(d.path, base_dir), d.code, d.anchor or d.message)


def diagnostic_keys(d: Diagnostic, base_dir: Path) -> list[Key]:
    """The keys a finding is accepted under: one per place of a grouped finding (each place keeps
    the anchor of the finding it stands for, e.g. one blank cell), else its own key."""
    if not d.grouped:
        return [diagnostic_key(d, base_dir)]
    path = normalise_path(d.path, base_dir)
    return [(path, d.code, r.anchor or r.message) for r in d.places()]


@dataclass
class Baseline:
    entries: Counter  # Counter[Key]
    base_dir: Path

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BaselineError(f"基线文件 {path} 不存在(可先用 --write-baseline {path} 生成)") from None
        except OSError as e:
            raise BaselineError(f"无法读取基线文件 {path}: {e.strerror or e}") from None
        except UnicodeDecodeError:
            raise BaselineError(f"基线文件 {path} 不是 UTF-8 编码的 JSON") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            raise BaselineError(f"基线文件 {path} 不是合法的 JSON（第 {e.lineno} 行：{e.msg}）") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise BaselineError(f'基线文件 {path} 的格式不对：应为含有 "entries" 列表的 JSON 对象')
        if data.get("version") != VERSION:
            raise BaselineError(f"基线文件 {path} 的版本 {data.get('version')!r} 不受支持（应为 {VERSION}）")
        entries: Counter = Counter()
        for i, ent in enumerate(data["entries"], 1):
            if not (
                isinstance(ent, dict)
                and all(isinstance(ent.get(k), str) for k in ("path", "code", "anchor"))
                and isinstance(ent.get("count", 1), int)
                and ent.get("count", 1) > 0
            ):
                raise BaselineError(
                    f"基线文件 {path} 的第 {i} 条记录格式不对(需要字符串 path、code、anchor 和正整数 count)"
                )
            entries[(ent["path"], ent["code"], ent["anchor"])] += ent.get("count", 1)
        return cls(entries, path.resolve().parent)

    @classmethod
    def from_results(cls, results: Iterable[Any], base_dir: Path) -> Baseline:
        entries: Counter = Counter()
        for r in results:
            for d in r.diagnostics:
                if d.code not in NEVER_BASELINED:
                    entries.update(diagnostic_keys(d, base_dir))
        return cls(entries, base_dir.resolve())

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "tool": "gikcheck",
            "entries": [
                {"path": p, "code": c, "anchor": a, "count": n} for (p, c, a), n in sorted(self.entries.items())
            ],
        }

    def write(self, path: Path) -> None:
        """Write atomically (temp file in the same directory, then rename)."""
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"
        write_atomic(path, text.encode("utf-8"))

    def apply(self, results: Sequence[Any]) -> tuple[int, list[StaleEntry]]:
        """Drop the accepted findings from ``results`` (in place).

        Returns the number of findings suppressed and the stale entries of
        the files that were checked.
        """
        applying = self.applying()
        for r in results:
            applying.feed(r)
        return applying.outcome()

    def applying(self) -> Applying:
        """Apply the baseline result by result, as a streamed run produces them."""
        return Applying(self)


class Applying:
    """The state of a baseline being applied: what it still accepts, which files were checked."""

    def __init__(self, baseline: Baseline) -> None:
        self.base_dir = baseline.base_dir
        self.remaining = Counter(baseline.entries)
        self.checked: set[str] = set()
        self.suppressed = 0

    def feed(self, r: Any) -> None:
        """Drop the accepted findings of one result (in place)."""
        self.checked.add(normalise_path(r.path, self.base_dir))
        kept = []
        for d in r.diagnostics:
            if d.code in NEVER_BASELINED:
                kept.append(d)
                continue
            keys = diagnostic_keys(d, self.base_dir)
            need = Counter(keys)
            accepted = {k: min(n, self.remaining[k]) for k, n in need.items()}
            for k, n in accepted.items():
                self.remaining[k] -= n  # the accepted places are still there: not stale
            if accepted == need:
                self.suppressed += len(keys)
            else:
                kept.append(d)  # a place not accepted: the pattern is reported, all its places shown
        r.diagnostics = kept

    def outcome(self) -> tuple[int, list[StaleEntry]]:
        """(findings suppressed, stale entries of the files that were checked)."""
        stale = [
            StaleEntry(p, c, a, n) for (p, c, a), n in sorted(self.remaining.items()) if n > 0 and p in self.checked
        ]
        return self.suppressed, stale
