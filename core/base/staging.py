"""Hidden staging folders for batch output, and the clean-up of those left by dead runs.

A batch (letters, sheets) is written into ``<out>/.~生成中_xxxx`` and moved into place
only when complete. The folder holds a lock file that the running process keeps locked
(``fcntl.flock`` / ``msvcrt.locking``); the operating system drops the lock when the
process ends in any way — finished, crashed, killed, power cut before reboot. So the
next run into the same folder can tell a dead run's staging folder (lock free) from a
live one (lock held) and removes only the dead ones, never one in use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PREFIX = ".~生成中_"
LOCK_NAME = ".lock"
UNLOCKED_GRACE_S = 600  # a folder with no lock file yet is left alone this long


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` exclusively without waiting; False if another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _owner_alive(folder: Path) -> bool:
    """True if a live process holds the folder's lock (or it is too new to judge)."""
    lock = folder / LOCK_NAME
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        try:  # created but not locked yet, or made by an older version
            return time.time() - folder.stat().st_mtime < UNLOCKED_GRACE_S
        except OSError:
            return False
    except OSError:
        return True  # cannot tell: leave it
    try:
        return not _try_lock(fd)
    finally:
        os.close(fd)  # closing releases our probe lock


def remove_stale(parent: Path) -> list[Path]:
    """Remove the staging folders in ``parent`` whose run has died; the removed ones."""
    removed: list[Path] = []
    try:
        candidates = [p for p in Path(parent).iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return removed
    for folder in candidates:
        if folder.is_dir() and not _owner_alive(folder):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    return removed


@contextlib.contextmanager
def staging_dir(parent: Path) -> Iterator[Path]:
    """A locked hidden folder in ``parent`` for one run; removed with its content at the end.

    Dead runs' staging folders in ``parent`` are cleaned up first.
    """
    parent = Path(parent)
    remove_stale(parent)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":
            os.write(fd, b"\0")  # msvcrt locks bytes: give it one
        _try_lock(fd)
        yield folder
    finally:
        os.close(fd)
        _remove_tree(folder)


def _remove_tree(folder: Path, attempts: int = 20) -> None:
    """Remove the folder; on Windows a file a killed worker or a virus scanner still holds
    is released a moment later, so try again for about two seconds."""
    for _ in range(attempts):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.1)
