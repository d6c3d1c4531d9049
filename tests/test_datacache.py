"""The parsed-pack cache (gikcheck/datacache.py): same data as parsing, never a stale or broken entry."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gikcheck import datacache
from gikcheck.packfiles import PackError, _parse_toml, load_toml

PACK = 'id = "x"\n[[section]]\nkey = "a"\ntitles = ["一、总体情况"]\n'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("GIKCHECK_CACHE_DIR", str(where))
    monkeypatch.delenv("GIKCHECK_NO_CACHE", raising=False)
    _parse_toml.cache_clear()  # the in-process memo would hide the disk cache
    return where


def _entries(where: Path) -> list[Path]:
    return sorted(where.glob("*.marshal")) if where.exists() else []


def test_second_read_comes_from_the_cache_and_equals_the_parse(cache: Path, tmp_path: Path) -> None:
    pack = tmp_path / "p.toml"
    pack.write_text(PACK, encoding="utf-8")
    first = load_toml(pack)
    assert len(_entries(cache)) == 1
    _parse_toml.cache_clear()
    calls = []
    again = datacache.parsed(pack.read_bytes(), lambda b: calls.append(b) or {})
    assert calls == [] and again == first == {"id": "x", "section": [{"key": "a", "titles": ["一、总体情况"]}]}


def test_an_edited_pack_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    pack = tmp_path / "p.toml"
    pack.write_text(PACK, encoding="utf-8")
    assert load_toml(pack)["id"] == "x"
    pack.write_text(PACK.replace('"x"', '"y"'), encoding="utf-8")
    os.utime(pack, ns=(1, 1))  # whatever the clock says, the bytes decide
    _parse_toml.cache_clear()
    assert load_toml(pack)["id"] == "y"
    assert len(_entries(cache)) == 2


def test_a_damaged_entry_is_parsed_again_and_replaced(cache: Path, tmp_path: Path) -> None:
    pack = tmp_path / "p.toml"
    pack.write_text(PACK, encoding="utf-8")
    load_toml(pack)
    (entry,) = _entries(cache)
    entry.write_bytes(b"\x00garbage")
    _parse_toml.cache_clear()
    assert load_toml(pack)["id"] == "x"
    assert entry.read_bytes() != b"\x00garbage"


def test_off_and_unwritable_caches_change_nothing(cache: Path, tmp_path: Path, monkeypatch) -> None:
    pack = tmp_path / "p.toml"
    pack.write_text(PACK, encoding="utf-8")
    monkeypatch.setenv("GIKCHECK_NO_CACHE", "1")
    assert load_toml(pack)["id"] == "x" and _entries(cache) == []
    monkeypatch.delenv("GIKCHECK_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("GIKCHECK_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    _parse_toml.cache_clear()
    assert load_toml(pack)["id"] == "x"


def test_data_marshal_cannot_hold_is_parsed_each_time(cache: Path, tmp_path: Path) -> None:
    pack = tmp_path / "p.toml"
    pack.write_text("since = 2019-05-15\n" + PACK, encoding="utf-8")
    assert str(load_toml(pack)["since"]) == "2019-05-15"
    assert _entries(cache) == []


def test_errors_are_the_parsers(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x\n', encoding="utf-8")
    with pytest.raises(PackError, match="不是合法的 TOML"):
        load_toml(bad)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'id = "\xff"\n')
    with pytest.raises(PackError, match="UTF-8"):
        load_toml(latin)
    assert _entries(cache) == []
