"""A grid built from the cells a sheet really holds, however far apart they are.

A sheet read by rows (``xlsx_rows``, ``ods_rows``) hands its non-empty cells here one at a
time. The grid keeps the rows and columns that hold something, plus short runs of empty
ones between them (so a blank row inside the list is still counted as a blank row, and an
empty column keeps its place); a long empty stretch (rows 321 to 1,048,575 before a stray
value) is left out, and the grid remembers each kept row's Excel row number and each kept
column's letter. Memory follows the cells, not the sheet's extent.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import numpy as np

from core.importing.grid import Grid, fill_merged
from core.importing.too_large import check_cells

# empty rows/columns kept between used ones, as the sheet has them; longer runs are cut
ROW_GAP = 1000
COL_GAP = 64


class SparseCells:
    """Non-empty cells of one sheet (0-based row and column), in any order."""

    def __init__(self) -> None:
        self._rows = array("q")
        self._cols = array("q")
        self._values: list = []
        self.merged: list[tuple[int, int, int, int]] = []

    def __len__(self) -> int:
        return len(self._values)

    def add(self, row: int, col: int, value: object) -> None:
        self._rows.append(row)
        self._cols.append(col)
        self._values.append(value)

    def to_grid(self, name: str, path: Path) -> Grid:
        """The compacted grid (refused with ``SheetTooLarge`` if even that is too big)."""
        if not self._values:
            return Grid(name=name, columns=[], first_row=1)
        r = np.frombuffer(self._rows, dtype=np.int64)
        c = np.frombuffer(self._cols, dtype=np.int64)
        kept_rows = _kept(np.unique(r), ROW_GAP)
        kept_cols = _kept(np.unique(c), COL_GAP)
        check_cells(path, len(kept_rows), len(kept_cols))
        values = np.empty(len(self._values), dtype=object)
        values[:] = self._values
        block = np.full((len(kept_rows), len(kept_cols)), "", dtype=object, order="F")
        block[np.searchsorted(kept_rows, r), np.searchsorted(kept_cols, c)] = values
        del values
        self._rows, self._cols, self._values = array("q"), array("q"), []
        dense_rows = kept_rows[-1] == len(kept_rows) - 1  # every row from Excel row 1 on
        dense_cols = kept_cols[-1] == len(kept_cols) - 1
        grid = Grid(
            name=name,
            columns=[block[:, j] for j in range(block.shape[1])],
            first_row=1,
            merged=_merged_in(self.merged, kept_rows, kept_cols),
            row_numbers=None if dense_rows else kept_rows + 1,
            col_numbers=None if dense_cols else [int(x) for x in kept_cols],
        )
        fill_merged(grid)
        return grid


def _kept(used: np.ndarray, gap: int) -> np.ndarray:
    """The used positions plus every empty run of at most ``gap`` before or between them."""
    prev = np.concatenate(([-1], used[:-1]))
    runs = used - prev - 1
    short = np.flatnonzero((runs > 0) & (runs <= gap))
    if not len(short):
        return used
    fill = [np.arange(prev[i] + 1, used[i], dtype=np.int64) for i in short]
    return np.unique(np.concatenate([used, *fill]))


def _merged_in(
    merged: list[tuple[int, int, int, int]], rows: np.ndarray, cols: np.ndarray
) -> list[tuple[int, int, int, int]]:
    """Merged ranges in grid positions; a range whose top-left cell was left out is dropped
    (its top-left was empty, so there is nothing to fill)."""
    out = []
    for r0, c0, r1, c1 in merged:
        i0 = int(np.searchsorted(rows, r0))
        j0 = int(np.searchsorted(cols, c0))
        if i0 >= len(rows) or rows[i0] != r0 or j0 >= len(cols) or cols[j0] != c0:
            continue
        i1 = int(np.searchsorted(rows, r1, side="right")) - 1
        j1 = int(np.searchsorted(cols, c1, side="right")) - 1
        out.append((i0, j0, i1, j1))
    return out
