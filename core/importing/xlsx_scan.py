"""How far an .xlsx sheet's cells reach, found before calamine is given the sheet.

calamine holds a sheet as one dense block from its first to its last used cell, 32 bytes a
cell: one stray value at XFD1048576 asks for 512 GB and the process aborts (a Rust
allocation failure cannot be caught). So each sheet's XML is scanned first, in C-speed
passes over the decompressed bytes (counting tags and searching for references beyond the
furthest row and column seen so far; no Python object per cell), and calamine only gets
sheets whose block stays in proportion to what they hold. The rest are read by rows
(``xlsx_rows``), where memory follows the cells.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache

CHUNK = 1 << 20
CELL_BYTES = 32  # calamine's size of one cell in its dense block
SMALL_BLOCK = 4_000_000  # cells: a block this size is fine however empty (128 MB)
BIG_BLOCK = 40_000_000  # cells: never more than this through calamine (1.3 GB)
DENSE_ENOUGH = 3  # a block at most this many times the cells written is "in proportion"


@dataclass
class Extent:
    max_row: int  # 1-based, the furthest row any cell or row element names
    max_col: int  # 1-based
    cells: int  # cell elements written (with or without a value), estimated for big sheets
    regular: bool  # every row and cell carries its reference (r="…") first

    @property
    def block(self) -> int:
        """Cells in the dense block calamine would allocate (an upper bound)."""
        return self.max_row * self.max_col

    def fits_calamine(self) -> bool:
        if not self.regular:
            return False
        if self.block <= SMALL_BLOCK:
            return True
        return self.block <= BIG_BLOCK and self.block <= DENSE_ENOUGH * max(self.cells, 1)


def scan(zf: zipfile.ZipFile, member: str) -> Extent:
    """The extent of one sheet's XML (``member`` inside the open workbook ``zf``).

    Stops at the first irregular tag (a row or cell without its reference first): such a
    sheet is read by rows whatever its size.
    """
    size = zf.getinfo(member).file_size
    with zf.open(member) as fh:
        chunk = fh.read(CHUNK)
        m = re.search(rb"<(\w+:)?worksheet\b", chunk)
        prefix = (m.group(1) or b"") if m else b""
        row_ref = b"<" + prefix + b'row r="'
        cell_ref = b"<" + prefix + b'c r="'
        irregular = _irregular(prefix)
        # cells written: counted in the first chunk, then estimated from the XML's size
        first_cells = chunk.count(cell_ref)
        cells = first_cells if len(chunk) < CHUNK else int(first_cells * size / max(len(chunk), 1))
        max_row = max_col = 0
        carry = b""
        while chunk:
            data = carry + chunk
            cut = data.rfind(b"<")  # a tag cut at the end waits for the next chunk
            if cut <= 0 or len(data) - cut > 4096:
                cut = len(data)
            data, carry = data[:cut], data[cut:]
            if irregular.search(data):
                return Extent(max_row, max_col, cells, regular=False)
            max_row, max_col = _furthest(data, row_ref, cell_ref, max_row, max_col)
            chunk = fh.read(CHUNK)
        if carry:
            if irregular.search(carry):
                return Extent(max_row, max_col, cells, regular=False)
            max_row, max_col = _furthest(carry, row_ref, cell_ref, max_row, max_col)
    return Extent(max_row, max_col, cells, regular=True)


@lru_cache(maxsize=8)
def _irregular(prefix: bytes) -> re.Pattern[bytes]:
    """A row or cell tag whose first attribute is not its reference (or that has none)."""
    return re.compile(b"<" + prefix + rb'(?:c|row)(?:>|/>| (?!r="))')


def _furthest(
    data: bytes, row_ref: bytes, cell_ref: bytes, max_row: int, max_col: int
) -> tuple[int, int]:
    """The furthest row and column named in ``data``, given those seen before it.

    In a sorted sheet the last row element of the chunk is its furthest row; every other
    reference is then looked for only beyond what is known, so a normal chunk costs a few
    C-speed searches and no Python object per cell.
    """
    last = data.rfind(row_ref)
    if last >= 0:
        end = data.find(b'"', last + len(row_ref))
        digits = data[last + len(row_ref) : end]
        if digits.isdigit():
            max_row = max(max_row, int(digits))
    max_row = _furthest_row(data, row_ref, max_row)
    while True:
        hit = _beyond_cell(cell_ref, max_row, max_col).search(data)
        if hit is None:
            return max_row, max_col
        if hit.group(1) is not None:  # lower-case letters: calamine reads them too
            max_col = max(max_col, _col_number(hit.group(1).upper()))
        else:
            max_row = _furthest_row(data, cell_ref + b"[A-Za-z]+", max_row)
            max_col = _furthest_col(data, cell_ref, max_col)


@lru_cache(maxsize=64)
def _beyond_cell(cell_ref: bytes, max_row: int, max_col: int) -> re.Pattern[bytes]:
    """A cell reference with lower-case letters (group 1), or past ``max_col`` or ``max_row``."""
    rows = _beyond_number(b"", max_row).pattern
    cols = _beyond_letters(b"", max_col).pattern
    return re.compile(cell_ref + rb"(?:([A-Z]*[a-z][A-Za-z]*)\d|" + cols + b"|[A-Z]+" + rows + b")")


def _furthest_row(data: bytes, before: bytes, known: int) -> int:
    """The largest row number after ``before`` (a regex prefix) in ``data``, or ``known``.

    Only references beyond ``known`` are matched, so a sorted sheet costs one C-speed
    search per chunk plus the rows of that chunk, not a Python object per cell.
    """
    while True:
        found = [int(x) for x in _beyond_number(before, known).findall(data)]
        if not found:
            return known
        known = max(found)


def _furthest_col(data: bytes, before: bytes, known: int) -> int:
    while True:
        found = _beyond_letters(before, known).findall(data)
        if not found:
            return known
        known = max(_col_number(x) for x in found)


@lru_cache(maxsize=64)
def _beyond_number(before: bytes, n: int) -> re.Pattern[bytes]:
    """Matches ``before`` (a regex) then a number greater than ``n`` (captured), then a quote."""
    digits = str(n)
    alts = [rb"[1-9]\d{%d,}" % len(digits)]  # more digits
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            alts.append(
                re.escape(digits[:i].encode()) + b"[%d-9]" % (int(d) + 1) + rb"\d{%d}" % rest
            )
    # leading zeros ("01048576") are read as the number they pad
    return re.compile(before + b"0*(" + b"|".join(alts) + b')"')


@lru_cache(maxsize=64)
def _beyond_letters(before: bytes, n: int) -> re.Pattern[bytes]:
    """Matches ``before`` then column letters past column ``n`` (captured), then a digit."""
    letters = _col_letters(n) if n else ""
    alts = [rb"[A-Z]{%d,}" % (len(letters) + 1)]
    for i, ch in enumerate(letters):
        if ch != "Z":
            rest = len(letters) - i - 1
            alts.append(
                letters[:i].encode() + b"[%s-Z]" % chr(ord(ch) + 1).encode() + rb"[A-Z]{%d}" % rest
            )
    return re.compile(before + b"(" + b"|".join(alts) + rb")\d")


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s
