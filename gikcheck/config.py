"""Configuration: ``gikcheck.toml`` or ``[tool.gikcheck]`` in ``pyproject.toml``.

Found upward from the checked file; the closest file wins (no merging, as
in ruff). Command-line flags override the file. A malformed file is a
``ConfigError`` (exit code 2) with a message that names the file and key.
"""

from __future__ import annotations

import functools
import os
import sys

from . import TYPE_CHECKING
from .diagnostics import Severity
from .records import Record

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# pathlib (with urllib.parse and ipaddress, ≈ 0.5 ms of a cold run) is imported only where a
# configuration file was found or given: finding none takes os.path alone.

CONFIG_NAMES = ("gikcheck.toml", ".gikcheck.toml")
PYPROJECT = "pyproject.toml"  # gikcheck's configuration under [tool.gikcheck]
CONFIG_FILES = CONFIG_NAMES + (PYPROJECT,)  # every file name that can hold gikcheck's configuration
LEVELS = ("auto", "department", "government", "township")


class ConfigError(Exception):
    """The configuration cannot be used; the message is for the user."""


class Settings(Record):
    """The effective configuration for one file: immutable, hashable, picklable."""

    __slots__ = (
        "select",
        "extend_select",
        "ignore",
        "severity",
        "per_file_ignores",
        "template",
        "agency_level",
        "report_year",
        "rule_packs",
        "fail_on",
        "deadlines",
        "agency_files",
        "agency_aliases",
        "agency_base",
        "config_path",
    )
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    severity: tuple[tuple[str, Severity], ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    template: str
    agency_level: str
    report_year: int | None
    rule_packs: tuple[str, ...]
    fail_on: Severity
    deadlines: tuple[tuple[str, str], ...]
    agency_files: tuple[tuple[str, str, int | None], ...]
    agency_aliases: tuple[tuple[str, str], ...]
    agency_base: str | None
    config_path: str | None

    def __init__(
        self,
        select: tuple[str, ...] = ("ALL",),
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        severity: tuple[tuple[str, Severity], ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        template: str = "auto",
        agency_level: str = "auto",
        report_year: int | None = None,
        rule_packs: tuple[str, ...] = (),
        fail_on: Severity = Severity.ERROR,
        deadlines: tuple[tuple[str, str], ...] = (),
        agency_files: tuple[tuple[str, str, int | None], ...] = (),
        agency_aliases: tuple[tuple[str, str], ...] = (),
        agency_base: str | None = None,
        config_path: str | None = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "select", select)
        set_(self, "extend_select", extend_select)
        set_(self, "ignore", ignore)
        set_(self, "severity", severity)
        set_(self, "per_file_ignores", per_file_ignores)
        set_(self, "template", template)
        set_(self, "agency_level", agency_level)
        set_(self, "report_year", report_year)
        set_(self, "rule_packs", rule_packs)
        set_(self, "fail_on", fail_on)
        set_(self, "deadlines", deadlines)
        # [agencies]: (glob, agency, year) per file group, globs relative to agency_base;
        # and other names of one agency. What the cross-document rules group reports by.
        set_(self, "agency_files", agency_files)
        set_(self, "agency_aliases", agency_aliases)
        set_(self, "agency_base", agency_base)
        set_(self, "config_path", config_path)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Settings is immutable; use replace() ({name})")

    def __reduce__(self) -> tuple:
        return (Settings, self._values())

    def replace(self, **changes: Any) -> Settings:
        return Settings(**(self.as_dict() | changes))

    @property
    def severity_map(self) -> dict[str, Severity]:
        return dict(self.severity)


KEYS = (
    "select",
    "extend-select",
    "ignore",
    "severity",
    "per-file-ignores",
    "template",
    "agency-level",
    "report-year",
    "rule-packs",
    "fail-on",
    "deadlines",
    "agencies",
)


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where}: `{key}` 应为字符串列表,例如 ["GK3", "GK101"]')
    return tuple(v.strip() for v in value if v.strip())


def _agencies(value: Any, where: str, base_dir: Path | None) -> dict[str, Any]:
    """``[agencies]``: ``files`` (glob → agency, or {agency, year}) and ``aliases`` (name → agency)."""
    example = '例如 [agencies.files] "jiaotong/*.txt" = "青山县交通运输局"'
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `agencies` 应为表,{example}")
    unknown = set(value) - {"files", "aliases"}
    if unknown:
        raise ConfigError(f"{where}: `agencies` 只能包含 files 和 aliases,而不是 {sorted(unknown)[0]!r}")
    files = value.get("files", {})
    aliases = value.get("aliases", {})
    if not isinstance(files, dict):
        raise ConfigError(f"{where}: `agencies.files` 应为表,{example}")
    if not isinstance(aliases, dict) or not all(isinstance(v, str) and v.strip() for v in aliases.values()):
        raise ConfigError(f'{where}: `agencies.aliases` 应为表,例如 "青山县交通局" = "青山县交通运输局"')
    entries: list[tuple[str, str, int | None]] = []
    for glob, target in files.items():
        year = None
        if isinstance(target, dict):
            extra = set(target) - {"agency", "year"}
            if extra:
                raise ConfigError(
                    f'{where}: `agencies.files."{glob}"` 只能包含 agency 和 year,而不是 {sorted(extra)[0]!r}'
                )
            year = target.get("year")
            if year is not None and not (isinstance(year, int) and 2000 <= year <= 2100):
                raise ConfigError(f'{where}: `agencies.files."{glob}".year` 应为四位年份,而不是 {year!r}')
            target = target.get("agency", "")
        if not isinstance(target, str) or not (target.strip() or year):
            raise ConfigError(f'{where}: `agencies.files."{glob}"` 应为机关名称,或 {{ agency = "…", year = 2021 }}')
        entries.append((glob, target.strip(), year))
    return {
        "agency_files": tuple(entries),
        "agency_aliases": tuple((k, v.strip()) for k, v in aliases.items()),
        "agency_base": str(base_dir.resolve()) if base_dir is not None else None,
    }


def apply(settings: Settings, data: dict[str, Any], where: str, base_dir: Path | None = None) -> Settings:
    """Validate ``data`` (kebab-case keys) and lay it over ``settings``."""
    from .registry import SelectorError, validate_selectors

    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            import difflib  # only to suggest a fix for a typo

            near = difflib.get_close_matches(key, KEYS, n=1)
            hint = f",是否想写 `{near[0]}`?" if near else ""
            raise ConfigError(f"{where}: 未知的配置项 `{key}`{hint}")
        try:
            if key in ("select", "extend-select", "ignore"):
                sel = _str_list(value, key, where)
                validate_selectors(sel)
                changes[key.replace("-", "_")] = sel
            elif key == "severity":
                if not isinstance(value, dict):
                    raise ConfigError(f'{where}: `severity` 应为表,例如 {{ GK102 = "error" }}')
                validate_selectors(value.keys())
                changes["severity"] = tuple((k, Severity.parse(v)) for k, v in value.items())
            elif key == "per-file-ignores":
                if not isinstance(value, dict):
                    raise ConfigError(f'{where}: `per-file-ignores` 应为表,例如 {{ "old/*.txt" = ["GK2"] }}')
                pfi = []
                for glob, sels in value.items():
                    s = _str_list(sels, f"per-file-ignores.{glob}", where)
                    validate_selectors(s)
                    pfi.append((glob, s))
                changes["per_file_ignores"] = tuple(pfi)
            elif key == "template":
                if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
                    raise ConfigError(f'{where}: `template` 应为 auto 或模板 id(如 "2021"),而不是 {value!r}')
                changes["template"] = str(value).strip()
            elif key == "agency-level":
                if value not in LEVELS:
                    raise ConfigError(f"{where}: `agency-level` 应为 {'、'.join(LEVELS)} 之一,而不是 {value!r}")
                changes["agency_level"] = value
            elif key == "report-year":
                if value in (None, "auto"):
                    changes["report_year"] = None
                else:
                    year = int(value) if isinstance(value, (int, str)) and str(value).isdigit() else None
                    if year is None or not 2000 <= year <= 2100:
                        raise ConfigError(f"{where}: `report-year` 应为四位年份,而不是 {value!r}")
                    changes["report_year"] = year
            elif key == "rule-packs":
                from pathlib import Path

                packs = _str_list(value, key, where)
                resolved = []
                for p in packs:
                    path = Path(p)
                    if not path.is_absolute() and base_dir is not None:
                        path = base_dir / path
                    if not path.is_file():
                        raise ConfigError(f"{where}: `rule-packs` 中的 {p} 不存在")
                    resolved.append(str(path.resolve()))
                changes["rule_packs"] = tuple(resolved)
            elif key == "fail-on":
                changes["fail_on"] = Severity.parse(value)
            elif key == "deadlines":
                if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                    raise ConfigError(f'{where}: `deadlines` 应为表,例如 {{ township = "02-20" }}')
                for lvl, md in value.items():
                    if lvl not in LEVELS[1:]:
                        raise ConfigError(
                            f"{where}: `deadlines` 的键应为 department、government 或 township,而不是 {lvl!r}"
                        )
                    parts = md.split("-")
                    if (
                        len(parts) != 2
                        or not all(p.isdigit() for p in parts)
                        or not (1 <= int(parts[0]) <= 12 and 1 <= int(parts[1]) <= 31)
                    ):
                        raise ConfigError(f'{where}: `deadlines.{lvl}` 应为 "MM-DD" 形式,而不是 {md!r}')
                changes["deadlines"] = tuple(value.items())
            elif key == "agencies":
                changes.update(_agencies(value, where, base_dir))
        except SelectorError as e:
            raise ConfigError(f"{where}: {e}") from None
        except ValueError as e:
            raise ConfigError(f"{where}: `{key}`: {e}") from None
    result = settings.replace(**changes)
    if "rule_packs" in changes or ("template" in changes and result.template != "auto"):
        _check_packs(result, where)
    return result


def _check_packs(settings: Settings, where: str) -> None:
    """Load the packs now, so that a bad one is a usage error before any file is read (PackError names
    it); any template they define is a valid ``template``: the built-in ones and those in rule-packs."""
    from .templates import knowledge_for

    known = knowledge_for(settings).templates
    if settings.template != "auto" and settings.template not in known:
        raise ConfigError(
            f"{where}: `template` 应为 auto 或已加载的模板 {'、'.join(known)} 之一,而不是 "
            f"{settings.template!r};新的格式写成规则包,在 rule-packs 中列出(见 README「Writing a template pack」)"
        )


def _read(path: Path) -> dict[str, Any] | None:
    """The gikcheck table of a config file, or None when it has none."""
    # Imported here: most runs find no configuration file, and the parser costs ~5 ms to import.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: 不是合法的 TOML: {e}") from None
    except OSError as e:
        raise ConfigError(f"{path}: 无法读取: {e.strerror or e}") from None
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        return tool.get("gikcheck") if isinstance(tool, dict) else None
    return data


@functools.lru_cache(maxsize=256)
def find_config(directory: str | os.PathLike[str]) -> Path | None:
    """The closest config file at or above ``directory``."""
    d = os.fspath(directory)
    while True:
        for name in CONFIG_NAMES:
            p = os.path.join(d, name)
            if os.path.isfile(p):
                return _as_path(p)
        pp = os.path.join(d, PYPROJECT)
        if os.path.isfile(pp) and _mentions_gikcheck(pp):
            try:
                if _read(_as_path(pp)) is not None:
                    return _as_path(pp)
            except ConfigError:
                return _as_path(pp)  # report the malformed file when it is loaded
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def _as_path(p: str | os.PathLike[str]) -> Path:
    from pathlib import Path

    return Path(p)


def _mentions_gikcheck(path: str) -> bool:
    """Whether a pyproject.toml can hold a [tool.gikcheck] table: one that does not name
    gikcheck is another project's business, and not parsed (~5 ms to import the parser)."""
    try:
        with open(path, "rb") as fh:
            return b"gikcheck" in fh.read()
    except OSError:
        return True  # let _read report it


def load_file(path: str | os.PathLike[str], base: Settings = Settings()) -> Settings:
    path = _as_path(path)
    data = _read(path)
    if data is None:
        return base.replace(config_path=str(path))
    if not isinstance(data, dict):  # pragma: no cover - TOML top level is a table
        raise ConfigError(f"{path}: 配置应为表")
    return apply(base, data, str(path), path.parent).replace(config_path=str(path))


class Resolver:
    """Settings for each checked file: its closest config, then CLI overrides."""

    def __init__(
        self,
        overrides: dict[str, Any] | None = None,
        config_file: str | os.PathLike[str] | None = None,
        isolated: bool = False,
    ) -> None:
        self.overrides = {} if overrides is None else overrides
        self.config_file = config_file  # --config: one file for every input
        self.isolated = isolated
        self._cache: dict[str, Settings] = {}

    def for_path(self, path: str | os.PathLike[str] | None) -> Settings:
        cfg: str | os.PathLike[str] | None
        if self.isolated:
            cfg = None
        elif self.config_file is not None:
            cfg = self.config_file
        else:
            # As Path(path).parent.resolve(): the folder, made absolute, its links followed.
            folder = os.path.dirname(os.path.join(os.getcwd(), path)) if path is not None else os.getcwd()
            cfg = find_config(os.path.realpath(folder))
        key = str(cfg)
        if key not in self._cache:
            base = load_file(cfg) if cfg is not None else Settings()
            self._cache[key] = (
                apply(base, self.overrides, "命令行参数", _as_path(os.getcwd())) if self.overrides else base
            )
        return self._cache[key]
