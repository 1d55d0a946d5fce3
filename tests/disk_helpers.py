"""Full disks for tests: a real small tmpfs where it can be mounted, and a simulated one
(``os.write`` past a budget raises ENOSPC) that runs everywhere."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

_Usage = namedtuple("_Usage", "total used free")


def snapshot(folder: Path) -> dict[str, int]:
    """Every file and folder under ``folder`` (hidden ones too) with its size (-1: folder)."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            out[os.path.relpath(os.path.join(root, name), folder)] = -1
        for name in files:
            path = os.path.join(root, name)
            out[os.path.relpath(path, folder)] = os.path.getsize(path)
    return out


class Budget:
    """``free`` bytes left on the "disk" of ``folder``: a write past them raises ENOSPC
    (a short write first, as a real full disk does), and the disk reports that much free.

    Only files opened for writing under ``folder`` count; SQLite and Qt write with their
    own calls, not ``os.write``.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path, free: int,
                 report_free: bool = True) -> None:  # fmt: skip
        self.folder = str(Path(folder).resolve())
        self.free = free
        self.fds: set[int] = set()
        self.refused = 0
        real_open, real_write, real_close = os.open, os.write, os.close
        real_usage = shutil.disk_usage

        def fake_open(path, flags, mode=0o777, *, dir_fd=None):
            fd = real_open(path, flags, mode, dir_fd=dir_fd)
            writing = flags & (os.O_WRONLY | os.O_RDWR)
            if writing and self._mine(path):
                self.fds.add(fd)
            return fd

        def fake_write(fd, data):
            if fd not in self.fds:
                return real_write(fd, data)
            if self.free <= 0:
                self.refused += 1
                raise OSError(errno.ENOSPC, "No space left on device")
            view = memoryview(data).cast("B")[: self.free]
            n = real_write(fd, view)
            self.free -= n
            return n

        def fake_close(fd):
            self.fds.discard(fd)
            return real_close(fd)

        def fake_usage(path):
            usage = real_usage(path)
            if report_free and self._mine(path):
                return _Usage(usage.total, usage.used, max(self.free, 0))
            return usage

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "write", fake_write)
        monkeypatch.setattr(os, "close", fake_close)
        monkeypatch.setattr(shutil, "disk_usage", fake_usage)

    def _mine(self, path) -> bool:
        try:
            full = str(Path(os.fsdecode(path)).absolute())
        except (TypeError, ValueError):
            return False
        return full == self.folder or full.startswith(self.folder + os.sep)


def mount_tmpfs(where: Path, size: str) -> Path:
    """A real file system of ``size`` at ``where`` (skips where that is impossible)."""
    if sys.platform != "linux":
        pytest.skip("a small tmpfs can only be mounted on Linux")
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (not available here, e.g. CI)")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here (no privileges?): {done.stderr.strip()}")
    return where


def unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)
