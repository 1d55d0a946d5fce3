"""A sheet's cells as the importer sees them: rows or columns of raw values.

A ``Grid`` is a list of rows (lists of Python values: str, float, int, bool,
datetime/date, or "" for empty) with ``first_row`` the Excel row number of ``rows[0]``.
Merged ranges are filled with their top-left value so a merged 网格 column still gives
every customer their grid.
"""

from __future__ import annotations

import numpy as np

from core.importing.mapping import col_letter


class Grid:
    """One sheet's cells, held by rows (text formats) or by columns (Excel, to save memory).

    ``first_row`` is the Excel row number of row 0; ``merged`` holds 0-based
    (r0, c0, r1, c1) ranges, already filled with their top-left value.

    A sheet read by rows because its cells lie far apart (a stray value at XFD1048576) is
    held compacted: ``row_numbers`` gives the Excel row number of each row kept and
    ``col_numbers`` the 0-based sheet column of each column kept; both are None when the
    grid is the sheet as it is (row i is Excel row ``first_row + i``, column j is column j).
    """

    def __init__(
        self,
        name: str,
        rows: list[list] | None = None,
        columns: list[list] | None = None,
        first_row: int = 1,
        merged: list[tuple[int, int, int, int]] | None = None,
        row_numbers: np.ndarray | None = None,
        col_numbers: list[int] | None = None,
    ) -> None:
        self.name = name
        self.first_row = first_row
        self.merged = merged or []
        self.row_numbers = row_numbers
        self.col_numbers = col_numbers
        # rows the reader could only read in part: (grid row, problem code, Chinese reason)
        self.problems: list[tuple[int, str, str]] = []
        self._rows = rows
        self._cols = columns
        if rows is not None:
            self.n_rows = len(rows)
        else:
            self.n_rows = len(columns[0]) if columns else 0

    def excel_row(self, i: int) -> int:
        """The Excel row number of grid row ``i``."""
        if self.row_numbers is not None:
            return int(self.row_numbers[i])
        return self.first_row + i

    def excel_rows(self, idx: np.ndarray) -> np.ndarray:
        """Excel row numbers (int64) of the grid rows ``idx``."""
        idx = np.asarray(idx, dtype="int64")
        if self.row_numbers is not None:
            return np.asarray(self.row_numbers, dtype="int64")[idx]
        return idx + self.first_row

    def letter(self, j: int) -> str:
        """The sheet's column letter of grid column ``j`` (A, B, …, XFD)."""
        if self.col_numbers is not None and j < len(self.col_numbers):
            j = self.col_numbers[j]
        elif self.col_numbers is not None:  # past the last kept column
            j = (self.col_numbers[-1] if self.col_numbers else -1) + 1 + j - len(self.col_numbers)
        return col_letter(j)

    def letters(self, n: int) -> list[str]:
        return [self.letter(j) for j in range(n)]

    @property
    def width(self) -> int:
        if self._cols is not None:
            return len(self._cols)
        return max(map(len, self._rows), default=0)

    def row(self, i: int) -> list:
        if self._rows is not None:
            return self._rows[i]
        return [col[i] for col in self._cols]

    def head(self, n: int) -> list[list]:
        return [self.row(i) for i in range(min(n, self.n_rows))]

    def columns(self, start: int = 0) -> list[list]:
        """Every column from row ``start`` on, padded to the same length."""
        if self._cols is not None:
            return [col[start:] for col in self._cols]
        data = self._rows[start:]
        width = self.width
        if not data:
            return [[] for _ in range(width)]
        if any(len(r) != width for r in data):
            data = [r if len(r) == width else [*r, *([""] * (width - len(r)))] for r in data]
        return [list(c) for c in zip(*data, strict=True)]

    def release(self) -> None:
        """Forget the cells (after the importer has taken them); keeps the shape."""
        if self._cols is not None:
            self._cols = [[] for _ in self._cols]
        else:
            self._rows = []
        self.n_rows = 0

    def set_cell(self, r: int, c: int, value: object) -> None:
        if self._rows is not None:
            row = self._rows[r]
            if len(row) <= c:
                row.extend([""] * (c + 1 - len(row)))
            row[c] = value
        else:
            self._cols[c][r] = value

    def cell(self, r: int, c: int) -> object:
        if self._rows is not None:
            row = self._rows[r]
            return row[c] if c < len(row) else ""
        return self._cols[c][r] if c < len(self._cols) else ""


def fill_merged(grid: Grid) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    for r0, c0, r1, c1 in grid.merged:
        if r0 >= grid.n_rows:
            continue
        value = grid.cell(r0, c0)
        if value == "" or value is None:
            continue
        for r in range(r0, min(r1, grid.n_rows - 1) + 1):
            for c in range(c0, c1 + 1):
                if (c < grid.width and grid.cell(r, c) in ("", None)) or (
                    c >= grid.width and grid._rows is not None
                ):
                    grid.set_cell(r, c, value)
