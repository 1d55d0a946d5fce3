"""Names every system accepts: the one place for the rules of file and folder names.

The users are on Windows, and files travel (USB sticks, shared folders, e-mail), so the
rules are Windows' rules, checked the same on every system:

- no ``\\ / : * ? " < > |`` and no control characters;
- no trailing space or dot (Windows drops them: the file would get another name);
- not a device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, also with an extension);
- at most 255 bytes in UTF-8 (about 85 Chinese characters): Linux and macOS count
  bytes, Windows counts characters, so 255 bytes is accepted by all of them;
- on Windows, a whole path of at most 259 characters (programs without long-path
  support cannot open a longer one).

``safe_filename`` makes a name follow them (for names the program builds from data);
``check_path`` refuses, with a Chinese message, a path the user gave that breaks them.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from core.base.errors import OutputFailed

FORBIDDEN_CHARS = '\\/:*?"<>|'
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
RESERVED = frozenset({
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"COM{i}" for i in (*range(1, 10), "¹", "²", "³")),
    *(f"LPT{i}" for i in (*range(1, 10), "¹", "²", "³")),
})  # fmt: skip
NAME_MAX_BYTES = 255
WINDOWS_PATH_MAX = 259  # MAX_PATH (260) less the terminating NUL
POSIX_PATH_MAX = 4095


def is_reserved(name: str) -> bool:
    """True for a Windows device name, with or without an extension ("con.txt", "NUL ")."""
    return name.split(".")[0].rstrip(" ").upper() in RESERVED


def _cut_to_bytes(text: str, limit: int) -> str:
    while len(text.encode("utf-8")) > limit:
        text = text[:-1]
    return text


def safe_filename(name: str, max_len: int = 80, fallback: str = "未命名") -> str:
    """A file name (without folder) that Windows accepts and that keeps Chinese text.

    Forbidden characters become "_", trailing dots/spaces go, reserved device names get
    a "_" suffix, and the stem is cut to ``max_len`` characters and to what fits in
    255 bytes (extension kept).
    """
    name = _FORBIDDEN.sub("_", str(name)).strip()
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 8 or not ext.isalnum():
        stem, ext = name, ""  # no extension (an empty stem with one gets the fallback name)
    stem = stem.strip().rstrip(". ")
    if len(stem) > max_len:
        stem = stem[:max_len].rstrip(". ")
    room = NAME_MAX_BYTES - 1 - len(ext.encode("utf-8")) - 1  # the dot, a "_" suffix
    if len(stem.encode("utf-8")) > room:
        stem = _cut_to_bytes(stem, room).rstrip(". ")
    if not stem:
        stem = fallback
    if is_reserved(stem):
        stem += "_"
    return f"{stem}.{ext}" if ext else stem


def _shown(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else f"{name[:limit]}…"


def name_problem(name: str) -> tuple[str, str] | None:
    """Why a file or folder name would be refused, and what to do; None if it is fine."""
    if name in ("", ".", ".."):
        return None
    bad = sorted(set(_FORBIDDEN.findall(name)))
    if bad:
        shown = " ".join("控制字符" if ord(c) < 32 else c for c in dict.fromkeys(bad))
        return (f"含有 Windows 不允许的字符 {shown}",
                f"请去掉这些字符（{' '.join(FORBIDDEN_CHARS)}）后重试。")  # fmt: skip
    if name != name.rstrip(". "):
        return ("以空格或句点结尾（Windows 会去掉它们，文件会变成另一个名字）",
                "请去掉名称末尾的空格或句点后重试。")  # fmt: skip
    if is_reserved(name):
        return (f"是 Windows 保留的设备名（{name.split('.')[0].strip().upper()}）",
                "请换一个名称，例如在后面加上“_1”。")  # fmt: skip
    size = len(name.encode("utf-8"))
    if size > NAME_MAX_BYTES:
        return (f"太长（{len(name)} 个字、{size} 个字节，系统最多允许 {NAME_MAX_BYTES} 个字节，"
                "约 85 个汉字）", "请用短一些的名称（不超过 80 个汉字）后重试。")  # fmt: skip
    return None


def _exists(path: Path) -> bool:
    if is_reserved(path.name):  # Windows "finds" NUL, CON … everywhere: they are devices
        return False
    try:
        os.stat(path)
    except (OSError, ValueError):  # missing, or a name the system cannot even look up
        return False
    return True


def new_parts(path: Path) -> list[Path]:
    """The parts of ``path`` that do not exist yet (the file, missing folders), outermost last."""
    out: list[Path] = []
    p = Path(path)
    while not _exists(p):
        out.append(p)
        if p.parent == p:
            break
        p = p.parent
    return out


def check_path(path: str | Path, windows: bool | None = None, folder: bool = False) -> None:
    """Refuse (OutputFailed, in Chinese) a path the file system would refuse.

    Only the parts that would be created are judged: a folder that exists was accepted.
    ``windows`` (default: running on Windows) adds the 259-character limit of a whole path;
    ``folder``: ``path`` is a folder (for the wording).
    """
    path = Path(path)
    windows = sys.platform == "win32" if windows is None else windows
    for part in new_parts(path):
        found = name_problem(part.name)
        if found is not None:
            reason, hint = found
            what = "文件名" if part == path and not folder else "文件夹名"
            if str(path) == part.name:
                raise OutputFailed(f"无法保存“{_shown(part.name)}”：这个{what}{reason}。", hint)
            raise OutputFailed(f"无法保存到“{_shown(str(path), 60)}”：其中的{what}"
                               f"“{_shown(part.name)}”{reason}。", hint)  # fmt: skip
    try:
        full = str(path.absolute())
    except OSError:
        full = str(path)
    if windows and len(full) > WINDOWS_PATH_MAX:
        raise OutputFailed(
            f"无法保存到“{_shown(full, 80)}”：路径太长（{len(full)} 个字符，"
            f"Windows 最多 {WINDOWS_PATH_MAX} 个）。",
            "请保存到层级浅一些的文件夹（例如桌面），或用短一些的文件名。",
        )
    if not windows and len(full.encode("utf-8", "surrogateescape")) > POSIX_PATH_MAX:
        raise OutputFailed(f"无法保存到“{_shown(full, 80)}”：路径太长。",
                           "请保存到层级浅一些的文件夹，或用短一些的文件名。")  # fmt: skip


__all__ = ["check_path", "is_reserved", "name_problem", "new_parts", "safe_filename"]
