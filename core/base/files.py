"""Output files: names every system accepts, no silent overwrite, never a half-written file
and never a false success.

- ``check_writable`` / ``check_folder`` say before the slow work that a file or folder
  cannot be saved (a name the system refuses, an existing file, no permission, a path
  through a file). They create nothing.
- ``atomic_path`` writes a file under a temporary name next to the target, checks it
  (complete for its format, flushed to the disk with fsync) and only then moves it into
  place. On any failure the temporary file and the folders it made are removed, the
  target is untouched, and the error is one Chinese ``OutputFailed`` that names the
  target's folder and, for a full disk, the space needed.
- ``write_file`` and ``open_output`` write through ``os.write``, which raises on every
  error (a short write is retried, a full disk is an ``OSError``): nothing is swallowed.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from core.base.errors import OutputExists, OutputFailed, UserError
from core.base.paths import check_path, new_parts, safe_filename
from core.base.progress import Cancelled
from core.base.write_errors import (
    SAVE_ELSEWHERE,
    Need,
    folder_failed,
    free_space,
    on_disk,
    os_error_in,
    write_failed,
)

WRITE_BLOCK = 1 << 20
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


# --------------------------------------------------------------------------- checks
def _probe(folder: Path) -> None:
    """Create and remove a file in ``folder``: can files be saved there? (OSError if not)."""
    fd, name = tempfile.mkstemp(prefix=".~", dir=folder)
    try:
        os.close(fd)
    finally:
        os.unlink(name)


def _nearest_existing(path: Path) -> Path:
    missing = new_parts(path)
    return missing[-1].parent if missing else path


def check_folder(folder: Path) -> None:
    """Make sure files can be saved in ``folder`` (it may not exist yet), or raise
    OutputFailed. Nothing is created."""
    folder = Path(folder)
    check_path(folder, folder=True)
    if folder.exists() and not folder.is_dir():
        raise OutputFailed(f"无法保存到“{folder}”：这是一个文件，不是文件夹。", SAVE_ELSEWHERE)
    base = _nearest_existing(folder)
    if not base.is_dir():
        raise OutputFailed(f"无法保存到“{folder}”：“{base}”是一个文件，不是文件夹。",
                           SAVE_ELSEWHERE)  # fmt: skip
    try:
        _probe(base)
    except OSError as exc:
        raise folder_failed(folder, exc) from exc


def check_writable(path: Path, force: bool = False) -> None:
    """Refuse to overwrite an existing file unless ``force``; say what to do.

    A name the system refuses, a path that is a folder or runs through a file, and a
    folder where nothing can be saved are refused too. Nothing is created.
    """
    path = Path(path)
    check_path(path)
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
    base = _nearest_existing(path.parent)
    if not base.is_dir():
        raise OutputFailed(f"无法保存到“{path}”：“{base}”是一个文件，不是文件夹。",
                           SAVE_ELSEWHERE)  # fmt: skip
    try:
        _probe(base)
    except OSError as exc:
        raise folder_failed(path.parent, exc) from exc


# --------------------------------------------------------------------------- folders
def make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; the ones created (to remove on failure)."""
    made = list(reversed(new_parts(Path(folder))))
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        remove_empty(made)
        raise folder_failed(Path(folder), exc) from exc
    return made


def remove_empty(folders: list[Path]) -> None:
    """Remove these folders, deepest first, where they are empty (best effort)."""
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


# --------------------------------------------------------------------------- writing
def write_file(path: str | Path, data: bytes | bytearray | memoryview, sync: bool = False) -> int:
    """Write ``data`` to ``path`` until every byte is written (``sync``: and on the disk).

    Any error (full disk, device gone, close failing on a network share) is raised.
    """
    fd = os.open(path, _FLAGS, 0o644)
    try:
        view = memoryview(data).cast("B")
        while view:
            n = os.write(fd, view[:WRITE_BLOCK])
            if n <= 0:
                raise OSError(errno.EIO, "写入失败", str(path))
            view = view[n:]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    return len(data)


class _RawOutput(io.RawIOBase):
    """A file written with ``os.write`` (errors raised), for ``open_output``."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.name = str(path)
        self._fd = os.open(path, _FLAGS, 0o644)

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def write(self, b) -> int:  # type: ignore[override]
        return os.write(self._fd, b)

    def seek(self, pos: int, whence: int = os.SEEK_SET) -> int:
        return os.lseek(self._fd, pos, whence)

    def tell(self) -> int:
        return os.lseek(self._fd, 0, os.SEEK_CUR)

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self._fd)
            finally:
                super().close()


def open_output(path: str | Path) -> io.BufferedWriter:
    """A buffered binary file for streaming writers (zip); every error is raised, and
    ``close()`` raises if the last bytes cannot be written."""
    return io.BufferedWriter(_RawOutput(path), buffer_size=WRITE_BLOCK)


def fsync_path(path: str | Path) -> None:
    """Flush a closed file's data to the disk (raises if the device reports an error)."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no folder handles for this."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_ZIP_END = b"PK\x05\x06"


def looks_complete(path: Path, suffix: str | None = None) -> bool:
    """Does the file end the way its format ends? (A writer that lost bytes without saying so
    — a full disk under Qt's PDF writer — leaves a file without its ending.)"""
    suffix = (suffix or path.suffix).lower()
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(16)
            fh.seek(max(0, size - (1 << 16) - 22))
            tail = fh.read()
    except OSError:
        return False
    if suffix == ".pdf":
        return head.startswith(b"%PDF") and b"%%EOF" in tail[-1024:]
    if suffix in (".xlsx", ".xlsm", ".docx", ".zip"):
        return head.startswith(b"PK") and _ZIP_END in tail
    if suffix == ".png":
        return tail.endswith(b"IEND\xaeB`\x82")
    if suffix == ".svg":
        return b"</svg>" in tail[-256:]
    if suffix == ".jzt":
        return head == b"SQLite format 3\x00" and size % 512 == 0
    return True


def incomplete_error(path: Path) -> OSError:
    """The system error to report for a file that came out cut short."""
    free = free_space(path)
    if free is not None and free < 4 * WRITE_BLOCK:
        return OSError(errno.ENOSPC, "No space left on device", str(path))
    return OSError(errno.EIO, "文件没有完整写入", str(path))


def _size(path: Path | None) -> int:
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


def _needed(need: Need, written: int) -> tuple[int | None, bool]:
    """(bytes needed, whether that is only a lower bound)."""
    if callable(need):
        return on_disk(need(written)), False
    if need:
        return on_disk(int(need)), False
    return (on_disk(written), True) if written else (None, False)


def _rename_tmp(err: UserError, tmp: Path, path: Path) -> None:
    """The user never sees our temporary name: name the target instead."""
    if tmp.name in err.message:
        err.message = err.message.replace(tmp.name, path.name)
        err.args = (f"{err.message}\n{err.hint}" if err.hint else err.message,)


def translate(exc: BaseException, path: Path, need: Need = None, written: int = 0,
              what: str = "") -> BaseException:  # fmt: skip
    """The error to show for ``exc`` raised while writing ``path`` (``exc`` itself when it
    is already a user's error or not about the disk)."""
    if isinstance(exc, OutputFailed | OutputExists | Cancelled) or not isinstance(exc, Exception):
        return exc
    found = os_error_in(exc)
    if found is None:
        return exc
    amount, at_least = _needed(need, written)
    return write_failed(path, found, amount, what=what, at_least=at_least)


def _second_name(path: Path, tmp: Path) -> Path:
    """Keep the current ``path`` under a hidden second name until the new file is recorded:
    a hard link (no copy, and ``path`` never disappears), or a copy where the disk has no
    hard links (FAT32 USB sticks)."""
    backup = path.with_name(f".~旧_{tmp.name.lstrip('.~')}")
    try:
        os.link(path, backup)
    except OSError:
        try:
            shutil.copy2(path, backup)
        except OSError as exc:
            _remove(backup)
            raise write_failed(path, exc) from exc
    return backup


def _place(tmp: Path, path: Path, then: Callable[[], object] | None) -> None:
    """Move the finished ``tmp`` to ``path``; with ``then``, run it afterwards and undo the
    move (the previous file restored) if it fails."""
    backup = _second_name(path, tmp) if then is not None and path.exists() else None
    try:
        os.replace(tmp, path)
    except PermissionError as exc:
        _remove(backup)
        raise OutputFailed(
            f"无法写入 {path.name}：文件可能正在被 Excel/WPS 或其他程序打开。",
            "请先关闭该文件，然后重试。",
        ) from exc
    except OSError as exc:
        _remove(backup)
        raise write_failed(path, exc) from exc
    with contextlib.suppress(OSError):
        os.chmod(path, 0o644)  # mkstemp creates 0600; outputs are ordinary files
    fsync_folder(path.parent)
    if then is None:
        return
    try:
        then()
    except BaseException:
        with contextlib.suppress(OSError):
            if backup is not None:
                os.replace(backup, path)
            else:
                path.unlink()
        raise
    finally:
        _remove(backup)


@contextlib.contextmanager
def atomic_path(path: Path, force: bool = True, need: Need = None,
                then: Callable[[], object] | None = None,
                verify: bool = True) -> Iterator[Path]:  # fmt: skip
    """Yield a temporary path next to ``path``; move it into place only on success.

    On success the file is checked (not cut short for its format) and synced to the disk
    before it replaces ``path``. If the body raises (error or cancel) the temporary file
    and any folder made for it are removed and ``path`` is untouched; a write error
    becomes one OutputFailed naming ``path``'s folder. ``need``: the size of the file (or
    a function of the bytes written when it failed) for the "space needed" of a full
    disk. ``then``: run after the file is in place (record it somewhere); if it raises,
    the new file is removed and the previous one restored. ``verify=False``: the body
    wrote known bytes with ``write_file`` (which checks them), skip the format check.
    """
    path = Path(path)
    check_writable(path, force=force)
    made = make_folders(path.parent)
    tmp: Path | None = None
    try:
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
            os.close(fd)
            tmp = Path(tmp_name)
            yield tmp
            if verify and not looks_complete(tmp, path.suffix):
                raise incomplete_error(tmp)
            fsync_path(tmp)
        except BaseException as exc:
            written = _size(tmp)
            _remove(tmp)
            remove_empty(made)
            if isinstance(exc, UserError) and tmp is not None:
                _rename_tmp(exc, tmp, path)
            error = translate(exc, path, need, written)
            if error is exc:
                raise
            raise error from exc
        _place(tmp, path, then)
    except BaseException:
        _remove(tmp)
        remove_empty(made)
        raise


def _remove(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


def atomic_write_text(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    with atomic_path(Path(path), need=len(data), verify=False) as tmp:
        write_file(tmp, data)


def atomic_write_bytes(path: Path, data: bytes, force: bool = True,
                       then: Callable[[], object] | None = None) -> None:  # fmt: skip
    with atomic_path(Path(path), force=force, need=len(data), then=then, verify=False) as tmp:
        write_file(tmp, data)


__all__ = [
    "atomic_path", "atomic_write_bytes", "atomic_write_text", "check_folder", "check_writable",
    "folder_failed", "fsync_path", "looks_complete", "make_folders", "open_output",
    "remove_empty", "safe_filename", "translate", "write_file",
]  # fmt: skip
