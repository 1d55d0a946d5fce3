"""Output files: Windows-safe names, no silent overwrite, never a half-written file."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from core.errors import OutputExists, OutputFailed

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
    if not dot or not stem or len(ext) > 8 or not ext.isalnum():
        stem, ext = name, ""
    stem = stem.strip().rstrip(". ")
    if len(stem) > max_len:
        stem = stem[:max_len].rstrip(". ")
    if not stem:
        stem = fallback
    if stem.split(".")[0].upper() in _RESERVED:
        stem += "_"
    return f"{stem}.{ext}" if ext else stem


def check_writable(path: Path, force: bool = False) -> None:
    """Refuse to overwrite an existing file unless ``force``; say what to do."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputExists(
            f"文件已存在：{path}",
            "请换一个文件名，或确认覆盖（命令行加 --force）。",
        )
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputFailed(
                f"无法创建文件夹：{path.parent}（{exc.strerror}）", "请换一个保存位置。"
            ) from exc


@contextlib.contextmanager
def atomic_path(path: Path, force: bool = True) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only on success.

    If the body raises (error or cancel) the temporary file is removed and ``path`` is
    untouched, so no half-written file is ever left behind.
    """
    path = Path(path)
    check_writable(path, force=force)
    fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are ordinary files
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise OutputFailed(
                f"无法写入 {path.name}：文件可能正在被 Excel/WPS 或其他程序打开。",
                "请先关闭该文件，然后重试。",
            ) from exc
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
