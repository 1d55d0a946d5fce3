"""Output files: Windows-safe names, no silent overwrite, never a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from core.base.errors import OutputExists, OutputFailed

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}  # fmt: skip


def safe_filename(name: str, max_len: int = 80, fallback: str = "未命名") -> str:
    """A file name (without folder) that Windows accepts and that keeps Chinese text.

    Forbidden characters become "_", trailing dots/spaces go, reserved device names get
    a "_" suffix, and the stem is cut to ``max_len`` characters (extension kept).
    """
    name = _FORBIDDEN.sub("_", str(name)).strip()
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 8 or not ext.isalnum():
        stem, ext = name, ""  # no extension (an empty stem with one gets the fallback name)
    stem = stem.strip().rstrip(". ")
    if len(stem) > max_len:
        stem = stem[:max_len].rstrip(". ")
    if not stem:
        stem = fallback
    if stem.split(".")[0].upper() in _RESERVED:
        stem += "_"
    return f"{stem}.{ext}" if ext else stem


SAVE_ELSEWHERE = "请换一个保存位置（例如桌面或“文档”文件夹），然后重试。"


def _reason(exc: OSError) -> str:
    """Why a folder or file cannot be written, in Chinese."""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return "没有在这里保存文件的权限"
    if isinstance(exc, NotADirectoryError | FileExistsError) or exc.errno == errno.ENOTDIR:
        return "路径中有一个同名的文件，不是文件夹"
    if exc.errno == errno.EROFS:
        return "这个位置是只读的"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "磁盘空间不足"
    if exc.errno == errno.ENAMETOOLONG:
        return "路径或文件名太长"
    if exc.errno == errno.ENOENT:
        return "文件夹不存在"
    return f"系统错误 {exc.errno}" if exc.errno else "系统错误"


def folder_failed(folder: Path, exc: OSError) -> OutputFailed:
    """The error for a folder where nothing can be saved: which folder, why, what to do."""
    return OutputFailed(f"无法在文件夹“{folder}”中保存文件（{_reason(exc)}）。", SAVE_ELSEWHERE)


def check_folder(folder: Path) -> None:
    """Make sure files can be saved in ``folder`` (created if missing), or raise OutputFailed."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputFailed(f"无法保存到“{folder}”：这是一个文件，不是文件夹。", SAVE_ELSEWHERE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".~", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise folder_failed(folder, exc) from exc


def check_writable(path: Path, force: bool = False) -> None:
    """Refuse to overwrite an existing file unless ``force``; say what to do.

    A path that is a folder, or whose folder cannot be created, is refused too.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputFailed(
            f"“{path}”是一个文件夹，不能作为输出文件。",
            f"请在后面加上文件名，例如 {path / ('输出' + (path.suffix or '.xlsx'))}。",
        )
    if path.exists() and not force:
        raise OutputExists(
            f"文件已存在：{path}",
            "请换一个文件名，或确认覆盖（命令行加 --force）。",
        )
    parent = path.parent
    if parent.exists() and not parent.is_dir():
        raise OutputFailed(
            f"无法保存到“{path}”：“{parent}”是一个文件，不是文件夹。", SAVE_ELSEWHERE
        )
    if not parent.exists():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise folder_failed(parent, exc) from exc


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


@contextlib.contextmanager
def atomic_path(path: Path, force: bool = True) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only on success.

    If the body raises (error or cancel) the temporary file is removed and ``path`` is
    untouched, so no half-written file is ever left behind.
    """
    path = Path(path)
    check_writable(path, force=force)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
    except OSError as exc:  # a read-only folder, a path through a file, a full disk
        raise folder_failed(path.parent, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
        except OSError as exc:
            if exc.errno in _DISK_FULL:
                raise folder_failed(path.parent, exc) from exc
            raise
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are ordinary files
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise OutputFailed(
                f"无法写入 {path.name}：文件可能正在被 Excel/WPS 或其他程序打开。",
                "请先关闭该文件，然后重试。",
            ) from exc
        except OSError as exc:
            raise folder_failed(path.parent, exc) from exc
    finally:
        if tmp.exists():
            with contextlib.suppress(OSError):
                tmp.unlink()


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_bytes(path: Path, data: bytes, force: bool = True) -> None:
    with atomic_path(Path(path), force=force) as tmp:
        tmp.write_bytes(data)
