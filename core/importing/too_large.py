"""The memory guard: a sheet too big for this computer is a Chinese message, never a crash.

Two kinds of "too big" reach the readers. A claim (a sheet that says it spans a million
rows by sixteen thousand columns, a repeated cell that stands for billions) is checked
before anything is allocated for it; an allocation that still fails (``MemoryError``) is
caught where a sheet is read. Both become ``SheetTooLarge``, an ``ImportFailed``: the
command line exits 1 with the message, the window shows it, and the process lives on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from core.base.errors import ImportFailed

# Cells of a sheet read by rows (far-apart cells, .ods). Each costs ~24 bytes while read
# and 8 in the grid, and the cleaning after it several times that: 20 million cells (a
# 1,000,000 × 20 list) is about what a county laptop can hold next to the window.
MAX_GRID_CELLS = 20_000_000


class SheetTooLarge(ImportFailed):
    """The sheet (or what it claims to hold) does not fit in this computer's memory."""


def too_large(path: Path, detail: str = "") -> SheetTooLarge:
    what = f"（{detail}）" if detail else ""
    return SheetTooLarge(
        f"表格太大，这台电脑的内存放不下：{Path(path).name}{what}。",
        "请在 Excel/WPS 中打开它，删掉客户清单以外的行和列（按 Ctrl+End 可以找到最远的单元格），"
        "或只复制客户清单到一个新文件，保存后再导入。",
    )


def check_cells(path: Path, rows: int, cols: int) -> None:
    """Refuse a grid of ``rows`` × ``cols`` cells before it is allocated."""
    if rows * cols > MAX_GRID_CELLS:
        raise too_large(path, f"{rows:,} 行 × {cols:,} 列")


def check_count(path: Path, cells: int) -> None:
    """Refuse a sheet while it is read, once it holds more cells than a grid may."""
    if cells > MAX_GRID_CELLS:
        raise too_large(path, f"超过 {MAX_GRID_CELLS:,} 个单元格")


@contextlib.contextmanager
def memory_guard(path: Path) -> Iterator[None]:
    """Turn a failed allocation while reading ``path`` into ``SheetTooLarge``."""
    try:
        yield
    except MemoryError:
        raise too_large(path) from None
