"""gikcheck/opencc_conv.py: OpenCC's C++ module used without the package's wrapper converts
exactly as ``opencc.OpenCC`` does, and a traditional-script report then loads neither the
wrapper nor ``typing``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

opencc = pytest.importorskip("opencc")

TEXTS = [
    "八丹鄉人民政府2019年度政府信息公開年度工作報告",
    "鄉(xiāng)政務公開促村務公開，增強政府工作透明度；",
    "本機關共收到政府信息公開申請12件，其中自然人10件、法人或其他組織2件。",
    "乾隆年間的著作與干涉、乾燥、著名、沈陽、發髮、後后、裡裏",
    "",
    "ASCII only, 123",
]


@pytest.mark.parametrize("config", ["t2s", "s2t"])
def test_same_conversion_as_the_package(config):
    from gikcheck.opencc_conv import Converter, _native_module, _package_dir

    folder = _package_dir()
    assert folder is not None
    native = _native_module(folder)
    path = str(Path(folder) / "clib" / "share" / "opencc" / f"{config}.json")
    direct = Converter(native._OpenCC(path, True, None), path)
    reference = opencc.OpenCC(config)
    for text in TEXTS + [reference.convert(t) for t in TEXTS]:
        assert direct.convert(text) == reference.convert(text), text


def test_a_traditional_report_loads_neither_the_wrapper_nor_typing(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("\n".join(TEXTS), encoding="utf-8")
    code = (
        "import sys\n"
        "from gikcheck.normalize import converter, to_simplified\n"
        f"out = to_simplified({TEXTS[0]!r})\n"
        "print(type(converter('t2s')).__name__, 'opencc' in sys.modules, 'typing' in sys.modules, out)"
    )
    for _ in range(2):  # the first run may parse rules/script.toml (tomllib imports typing) and keep it
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    kind, wrapper, typing_loaded, out = proc.stdout.split()
    assert (kind, wrapper, typing_loaded) == ("Converter", "False", "False")
    assert out == opencc.OpenCC("t2s").convert(TEXTS[0])


def test_the_package_is_used_when_it_is_already_there():
    """With the package imported (a caller's, or a plugin's), its own class serves."""
    from gikcheck.opencc_conv import load

    assert "opencc" in sys.modules
    assert load("t2s") is None
