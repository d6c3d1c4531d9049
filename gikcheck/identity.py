"""Who wrote a report and for which year: its agency and year as the run sees them.

The agency comes from the parsed title (or the signature), the year from the
title, statistics period or configuration. Where a title does not name the
agency, or an agency was renamed, the ``[agencies]`` table of the configuration
says which agency (and year) a file belongs to::

    [agencies.files]       # glob, relative to the configuration's directory
    "jiaotong/*.txt" = "青山县交通运输局"
    "2021/bsz.txt" = { agency = "白水镇人民政府", year = 2021 }

    [agencies.aliases]     # other names → one agency
    "青山县交通局" = "青山县交通运输局"

The same tables, as ``[files]`` and ``[aliases]``, may stand in a file
``gikcheck-agencies.toml`` beside the reports (found upward from the report,
the closest one wins), for files the configuration does not map.

The cross-document rules group reports by it; the engine puts it on each file's
result, for the summary and whoever else shows reports by agency and year.
"""

from __future__ import annotations

import functools
import os
import sys

from . import TYPE_CHECKING
from .memo import once
from .normalize import label_key
from .records import Record

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# os.path, not pathlib (with urllib.parse, ≈ 0.5 ms of a cold run), until a mapping applies.

MAPPING_FILE = "gikcheck-agencies.toml"


class Identity(Record):
    __slots__ = ("agency", "agency_key", "year")

    def __init__(self, agency: str, agency_key: str, year: int | None) -> None:
        self.agency = agency  # as written, or as an alias names it (for messages)
        self.agency_key = agency_key  # folded, aliases resolved (for grouping)
        self.year = year


def identity(report: Any, settings: Any = None) -> Identity:
    """The report's agency and year; worked out once per report."""
    return once(report, _build_identity, settings)


def _build_identity(report: Any, settings: Any) -> Identity:
    agency, year = report.meta.agency or "", report.meta.year
    m_agency, m_year, aliases = mapped(report.doc.path, settings)
    agency = m_agency or agency
    year = m_year or year
    key = label_key(agency)
    if key in aliases:
        agency = aliases[key]
        key = label_key(agency)
    if key == agency:
        key = agency
    return Identity(agency, key, year)


@functools.lru_cache(maxsize=256)
def _mapping_for_dir(directory: str) -> tuple[str, dict[str, Any], dict[str, str]] | None:
    """(mapping file's directory, files table, aliases table) of the closest mapping file."""
    candidate = directory
    while True:
        f = os.path.join(candidate, MAPPING_FILE)
        if os.path.isfile(f):
            if sys.version_info >= (3, 11):  # imported here: most runs have no mapping file
                import tomllib
            else:  # pragma: no cover
                import tomli as tomllib
            try:
                with open(f, encoding="utf-8") as fh:
                    data = tomllib.loads(fh.read())
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return None  # a broken mapping file is ignored; parsed titles still group the reports
            files = data.get("files", {}) if isinstance(data.get("files", {}), dict) else {}
            aliases = data.get("aliases", {}) if isinstance(data.get("aliases", {}), dict) else {}
            return candidate, files, {label_key(str(k)): str(v) for k, v in aliases.items()}
        parent = os.path.dirname(candidate)
        if parent == candidate:
            return None
        candidate = parent


def _as_path(p: str) -> Path:
    from pathlib import Path

    return Path(p)


def _matches(p: Path, base: str, glob: str) -> bool:
    import fnmatch  # (only where the configuration maps files: most runs do not)

    try:
        rel = p.relative_to(base).as_posix()
    except ValueError:
        rel = p.name
    return fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(p.name, glob)


def mapped(path: str, settings: Any = None) -> tuple[str, int | None, dict[str, str]]:
    """(agency, year) the configuration assigns to ``path`` ("" / None when none), and the aliases.

    The ``[agencies]`` table of gikcheck.toml is asked first; a file it does not
    map is looked up in the closest gikcheck-agencies.toml. Aliases of both apply,
    the configuration's winning.
    """
    if not path or path in ("-", "<string>") or "://" in path:
        return "", None, {}
    try:
        resolved = os.path.realpath(path)  # as Path(path).resolve()
    except (OSError, ValueError):
        return "", None, {}
    aliases: dict[str, str] = {}
    found = _mapping_for_dir(os.path.dirname(resolved))
    if found is None and (settings is None or not settings.agency_files):
        if settings is not None:
            aliases.update((label_key(k), v) for k, v in settings.agency_aliases)
        return "", None, aliases
    p = _as_path(resolved)
    if found is not None:
        aliases.update(found[2])
    if settings is not None and (settings.agency_files or settings.agency_aliases):
        aliases.update((label_key(k), v) for k, v in settings.agency_aliases)
        base = settings.agency_base or os.getcwd()
        for glob, agency, year in settings.agency_files:
            if _matches(p, base, glob):
                return agency, year, aliases
    if found is not None:
        base, files, _ = found
        for glob, value in files.items():
            if _matches(p, base, glob):
                if isinstance(value, dict):
                    year = value.get("year")
                    return str(value.get("agency", "")), int(str(year)) if str(year).isdigit() else None, aliases
                return str(value), None, aliases
    return "", None, aliases
