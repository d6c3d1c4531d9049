"""Writing files safely: the user's file is replaced whole or not at all, and stays the same file.

A fix replaces the file by renaming a complete new copy over it (``os.replace``):
a crash leaves either the old or the new content, never half of each. The
new copy gets the old file's mode, owner and group. Where a rename would
change what the file *is* — it has other hard links (they would keep the old
content), or its owner or group cannot be given to the new copy (a file of
another user) — the new content is written into the file itself instead,
after a copy of the old content has been written and verified next to it,
so that a failed write can be undone.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the content of ``path`` with ``data``, keeping its mode, owner, group and hard links."""
    target = path.resolve()
    try:
        st: os.stat_result | None = target.stat()
    except OSError:
        st = None
    if st is not None and st.st_nlink > 1:
        _write_in_place(target, data)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gikcheck-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if not _same_owner(tmp, st):
                os.unlink(tmp)
                _write_in_place(target, data)
                return
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _same_owner(tmp: str, st: os.stat_result) -> bool:
    """Give ``tmp`` the owner and group of ``st``; False when that is not allowed."""
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return True
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except (OSError, AttributeError):
        return False
    return True


def _write_in_place(target: Path, data: bytes) -> None:
    """Overwrite ``target`` itself, after a verified copy of its old content; undo on failure."""
    with open(target, "rb") as f:
        old = f.read()
    fd, backup = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".gikcheck-orig", dir=target.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(old)
        f.flush()
        os.fsync(f.fileno())
    with open(backup, "rb") as f:
        if f.read() != old:
            os.unlink(backup)
            raise OSError(5, "备份副本校验失败,未修改文件")
    try:
        _overwrite(target, data)
        with open(target, "rb") as f:
            if f.read() != data:
                raise OSError(5, "写入后校验失败")
    except BaseException:
        try:
            _overwrite(target, old)
        except OSError:  # the verified copy stays, so that the user can restore the file
            raise OSError(5, f"写入失败,原内容保存在 {backup}") from None
        os.unlink(backup)
        raise
    os.unlink(backup)


def _overwrite(target: Path, data: bytes) -> None:
    with open(target, "r+b") as f:
        f.write(data)
        f.truncate()
        f.flush()
        os.fsync(f.fileno())
