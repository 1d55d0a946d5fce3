"""Why a write failed, in Chinese: the folder, the reason, and for a full disk the space
that is needed and the space that is left.

Writers in the program (openpyxl, matplotlib, python-docx, SQLite, Qt) fail in their own
ways: an ``OSError`` with ENOSPC, a ``zlib.error`` raised while the PDF backend cleans up
after the real ``OSError``, an SQLite "database or disk is full". ``os_error_in`` finds
the system error behind any of them (following ``__cause__``/``__context__``), and
``write_failed`` turns it into the one ``OutputFailed`` the user sees.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable
from pathlib import Path

from core.base.errors import OutputFailed

SAVE_ELSEWHERE = "请换一个保存位置（例如桌面或“文档”文件夹），然后重试。"
FREE_UP = ("请清理这个磁盘（例如清空回收站、删除不用的大文件）后重试，或换一个空间足够的保存位置"
           "（例如另一个磁盘）。没有留下不完整的文件。")  # fmt: skip
BLOCK = 4096  # a file takes whole clusters (NTFS and ext4: 4 KB)
_SQLITE_FULL = 13
_WIN_DISK_FULL = {39, 112}  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
_WIN_QUOTA = {1295}  # ERROR_DISK_QUOTA_EXCEEDED
DISK_FULL = frozenset({errno.ENOSPC})
QUOTA = frozenset({getattr(errno, "EDQUOT", -1)} - {-1})
DEVICE_GONE = frozenset({errno.EIO, errno.ENXIO, errno.ENODEV, getattr(errno, "ESTALE", -1)})

Need = int | Callable[[int], int] | None


def os_error_in(exc: BaseException | None) -> OSError | None:
    """The system error behind ``exc`` (itself, its cause or its context), if any.

    SQLite's "database or disk is full" counts as ENOSPC.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError):
            return exc
        if getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL or (
            type(exc).__name__ == "OperationalError" and "disk is full" in str(exc)
        ):
            return OSError(errno.ENOSPC, "database or disk is full")
        exc = exc.__cause__ or exc.__context__
    return None


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in DISK_FULL or getattr(exc, "winerror", None) in _WIN_DISK_FULL


def is_quota(exc: OSError) -> bool:
    return exc.errno in QUOTA or getattr(exc, "winerror", None) in _WIN_QUOTA


def fmt_size(size: int) -> str:
    """1536 → "1.5 KB", 23_000_000 → "21.9 MB" (binary units, as Windows Explorer shows)."""
    if size < 1024:
        return f"{size} 字节"
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    return f"{size} 字节"


def on_disk(size: int) -> int:
    """The space a file of ``size`` bytes takes (whole clusters)."""
    return -(-max(size, 1) // BLOCK) * BLOCK


def existing_folder(path: Path) -> Path | None:
    """``path`` or its nearest ancestor that exists (where the disk can be asked)."""
    p = Path(path)
    for candidate in (p, *p.parents):
        try:
            if candidate.is_dir():
                return candidate
        except OSError:
            continue
    return None


def free_space(path: Path) -> int | None:
    """Bytes free for this user on the disk of ``path`` (None if the system cannot say)."""
    folder = existing_folder(path)
    if folder is None:
        return None
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def reason(exc: OSError) -> str:
    """Why a folder or file cannot be written, in Chinese."""
    if is_disk_full(exc):
        return "磁盘空间不足"
    if is_quota(exc):
        return "超出了这个磁盘给你的配额"
    if exc.errno == errno.EFBIG:
        return "文件太大，这个磁盘（例如 FAT32 格式的 U 盘）不能保存这么大的文件"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return "没有在这里保存文件的权限"
    if isinstance(exc, NotADirectoryError | FileExistsError) or exc.errno == errno.ENOTDIR:
        return "路径中有一个同名的文件，不是文件夹"
    if exc.errno == errno.EROFS:
        return "这个位置是只读的"
    if exc.errno == errno.ENAMETOOLONG:
        return "路径或文件名太长"
    if exc.errno == errno.ENOENT:
        return "文件夹不存在，或存储设备已被拔出"
    if exc.errno in DEVICE_GONE:
        return "存储设备出错或已被拔出"
    if exc.errno == errno.EINVAL:
        return "文件名或路径不被这个磁盘接受"
    return f"系统错误 {exc.errno}" if exc.errno else "系统错误"


def folder_failed(folder: Path, exc: OSError) -> OutputFailed:
    """The error for a folder where nothing can be saved: which folder, why, what to do."""
    if is_disk_full(exc) or is_quota(exc):
        return disk_full(folder, None, quota=is_quota(exc))
    return OutputFailed(f"无法在文件夹“{folder}”中保存文件（{reason(exc)}）。", SAVE_ELSEWHERE)


def disk_full(folder: Path, need: int | None, what: str = "文件", quota: bool = False,
              at_least: bool = False) -> OutputFailed:  # fmt: skip
    """Not enough space in ``folder`` for ``what``: how much is needed, how much is left."""
    free = free_space(folder)
    amounts = []
    if need:
        amounts.append(f"{'至少' if at_least else '大约'}需要 {fmt_size(need)}")
    if free is not None and not quota:
        amounts.append(f"这个磁盘只剩 {fmt_size(free)}")
    short = "超出了磁盘配额" if quota else "磁盘空间不足"
    detail = f"（{'，'.join(amounts)}）" if amounts else ""
    hint = (
        FREE_UP
        if not quota
        else "请删除这个位置中不用的文件，或换一个保存位置后重试。没有留下不完整的文件。"
    )
    return OutputFailed(f"{short}：无法在文件夹“{folder}”中保存{what}{detail}。", hint)


def write_failed(target: Path, exc: OSError, need: int | None = None, what: str = "",
                 at_least: bool = False) -> OutputFailed:  # fmt: skip
    """The one message for a failed write of ``target`` (a file; ``what`` says what it is)."""
    target = Path(target)
    what = what or f"“{target.name}”"
    if is_disk_full(exc) or is_quota(exc):
        return disk_full(target.parent, need, what, quota=is_quota(exc), at_least=at_least)
    hint = SAVE_ELSEWHERE
    if exc.errno in DEVICE_GONE or exc.errno == errno.ENOENT:
        hint = ("请检查存储设备（例如 U 盘、网络文件夹）是否还连着，然后重试；"
                "或换一个保存位置（例如桌面或“文档”文件夹）。")  # fmt: skip
    return OutputFailed(f"无法在文件夹“{target.parent}”中保存{what}（{reason(exc)}）。", hint)


__all__ = [
    "DISK_FULL", "SAVE_ELSEWHERE", "disk_full", "existing_folder", "fmt_size", "folder_failed",
    "free_space", "is_disk_full", "on_disk", "os_error_in", "reason", "write_failed",
]  # fmt: skip
