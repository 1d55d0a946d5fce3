"""价值金字塔营销助手 — start the window, or run a headless command.

python main.py                 打开图形界面
python main.py --help          列出命令行命令
python main.py inspect X.xlsx  检查一个客户清单
python main.py X.xlsx          打开图形界面并打开这个客户清单
"""

from __future__ import annotations

import multiprocessing
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if getattr(sys, "frozen", False):
        _keep_matplotlib_cache()
    if argv and not _file_to_open(argv):
        from ui.cli.main import run_cli

        return run_cli(argv)
    from ui.app import run_gui

    return run_gui(argv[0] if argv else None)


def _keep_matplotlib_cache() -> None:
    """PyInstaller points matplotlib at a new temporary folder on every start, so it would
    scan all the system's fonts again each time (seconds on Windows): use the data folder."""
    import os

    from core.base import data_dir

    os.environ["MPLCONFIGDIR"] = str(data_dir() / "matplotlib")


def _file_to_open(argv: list[str]) -> bool:
    """A single file name (a list dropped on the program's icon, "打开方式"): open it."""
    from pathlib import Path

    from ui.cli.main import COMMANDS

    return len(argv) == 1 and argv[0] not in COMMANDS and Path(argv[0]).is_file()


if __name__ == "__main__":
    multiprocessing.freeze_support()  # letter workers in a frozen Windows build
    sys.exit(main())
