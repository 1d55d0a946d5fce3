"""Build the one-folder program 价值金字塔营销助手/ with PyInstaller and report its size.

    python packaging/build.py                 # dist/价值金字塔营销助手/
    python packaging/build.py --zip           # also dist/价值金字塔营销助手-0.1.0-windows.zip
    python packaging/build.py --dist D:\\out   # somewhere else

Needs the build tools: pip install -e ".[build]". Works the same on Windows and Linux;
the checks of the built program are in tests/test_bundle.py (JINZITA_BUNDLE=<folder>).
Output to a pipe or file is UTF-8 on every Windows language (an English Windows would
otherwise write code page 1252 and fail on the first Chinese character); a console shows
Chinese either way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from spec_helpers import APP_NAME, ROOT, version

SPEC = ROOT / "packaging" / "jinzita.spec"


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files under ``folder`` (symbolic links, Linux only, not counted)."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def largest_parts(folder: Path, count: int = 8) -> list[tuple[str, int]]:
    """The biggest entries of ``_internal`` (where the size goes)."""
    inner = folder / "_internal"
    sizes = []
    for entry in inner.iterdir() if inner.is_dir() else []:
        if entry.is_symlink():
            continue
        size = folder_size(entry)[0] if entry.is_dir() else entry.stat().st_size
        sizes.append((entry.name, size))
    return sorted(sizes, key=lambda item: -item[1])[:count]


def utf8_output() -> None:
    """stdout/stderr: UTF-8 when they are a pipe or a file, never an encoding error."""
    for stream in (sys.stdout, sys.stderr):
        try:
            console = stream.isatty()
        except (AttributeError, ValueError, OSError):
            console = False
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="replace", **({} if console else {"encoding": "utf-8"}))


def build(dist: Path, work: Path, clean: bool) -> Path:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]  # fmt: skip
    if clean:
        command.insert(4, "--clean")
    # PyInstaller writes to the same pipe: in UTF-8 too, whatever the Windows language
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    return dist / APP_NAME


def print_summary(app: Path, seconds: float, archive: Path | None = None) -> None:
    size, files = folder_size(app)
    print(f"\n已打包：{app}（{size / 2**20:.0f} MB，{files} 个文件，用时 {seconds:.0f} 秒）")
    for name, part in largest_parts(app):
        print(f"  {part / 2**20:7.1f} MB  _internal/{name}")
    if archive is not None:
        print(f"压缩包：{archive}（{archive.stat().st_size / 2**20:.0f} MB）")


def make_zip(app: Path) -> Path:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    base = app.parent / f"{APP_NAME}-{version()}-{system}"
    return Path(shutil.make_archive(str(base), "zip", root_dir=app.parent, base_dir=app.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="打包价值金字塔营销助手（一个文件夹，复制即用）")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="输出位置（默认 dist/）")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="中间文件位置（默认 build/pyinstaller）")  # fmt: skip
    parser.add_argument("--clean", action="store_true", help="不用上次的中间结果，从头打包")
    parser.add_argument("--zip", action="store_true", help="另外压缩成一个 .zip 便于分发")
    utf8_output()  # before --help, which is Chinese too
    args = parser.parse_args(argv)
    started = time.perf_counter()
    app = build(args.dist.resolve(), args.work.resolve(), args.clean)
    seconds = time.perf_counter() - started
    print_summary(app, seconds, make_zip(app) if args.zip else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
