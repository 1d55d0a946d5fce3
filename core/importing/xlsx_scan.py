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

import contextlib
import re
import zipfile
from collections.abc import Iterator
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

    ``max_row`` is a bound: the furthest row element, rounded up to the next change of the
    leading digit (200,008 → 299,999), because checking every cell against that bound is
    one cheap test, and it is all calamine's block needs. Stops at the first irregular tag
    (a row or cell without its reference first): such a sheet is read by rows.
    """
    size = zf.getinfo(member).file_size
    with zf.open(member) as fh:
        chunks = _inflated(fh)
        chunk = next(chunks, b"")
        m = re.search(rb"<(\w+:)?worksheet\b", chunk)
        prefix = (m.group(1) or b"") if m else b""
        # cells written: counted in the first chunk, then estimated from the XML's size
        first_cells = chunk.count(b"<" + prefix + b'c r="')
        cells = first_cells if len(chunk) < CHUNK else int(first_cells * size / max(len(chunk), 1))
        max_row = max_col = 0
        carry = b""
        while chunk or carry:
            data = carry + chunk
            cut = data.rfind(b"<") if chunk else len(data)  # a cut tag waits for the next
            if cut <= 0 or len(data) - cut > 4096:
                cut = len(data)
            data, carry = data[:cut], data[cut:]
            found = _furthest(data, prefix, max_row, max_col)
            if found is None:
                chunks.close()
                return Extent(max_row, max_col, cells, regular=False)
            max_row, max_col = found
            chunk = next(chunks, b"") if chunk else b""
    return Extent(_row_bound(max_row), max_col, cells, regular=True)


def _inflated(fh) -> Iterator[bytes]:
    """The member's bytes in chunks, inflated one chunk ahead on another thread (zlib lets
    go of the GIL), so the searches overlap with the decompression."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="inflate") as pool:
        ahead = pool.submit(fh.read, CHUNK)
        try:
            while True:
                chunk = ahead.result()
                if not chunk:
                    return
                ahead = pool.submit(fh.read, CHUNK)
                yield chunk
        finally:
            ahead.cancel()
            with contextlib.suppress(Exception):
                ahead.result()


def _row_bound(n: int) -> int:
    """``n`` rounded up to just below its next leading digit: 200,008 → 299,999."""
    digits = str(n)
    if n <= 0:
        return 0
    return (int(digits[0]) + 1) * 10 ** (len(digits) - 1) - 1


def _furthest(data: bytes, prefix: bytes, max_row: int, max_col: int) -> tuple[int, int] | None:
    """The furthest row element and cell column in ``data``, given those seen before it;
    None if a row or cell has no reference first.

    In a sorted sheet the chunk's last row element is its furthest row; the rest is one
    C-speed search for anything irregular or beyond (no Python object per cell). Only a
    chunk where the search finds something is looked at cell by cell.
    """
    row_ref = b"<" + prefix + b'row r="'
    last = data.rfind(row_ref)
    if last >= 0:
        end = data.find(b'"', last + len(row_ref))
        digits = data[last + len(row_ref) : end]
        if digits.isdigit():
            max_row = max(max_row, int(digits))
    while True:
        rows, cells = _searches(prefix, max_row, max_col)
        hits = [m for m in (rows.search(data), cells.search(data)) if m is not None]
        if not hits:
            return max_row, max_col
        if any(m.group(1) is None for m in hits):  # a tag without its reference first
            return None
        found_rows, found_cols = _exact(data, prefix)
        if found_rows <= max_row and found_cols <= max_col:
            return None  # matched, yet nothing beyond: a reference we cannot read
        max_row, max_col = max(max_row, found_rows), max(max_col, found_cols)


@lru_cache(maxsize=64)
def _searches(prefix: bytes, max_row: int, max_col: int) -> tuple[re.Pattern, re.Pattern]:
    """Two searches, each after a literal tag start (so that C finds the candidates): a row
    element past ``max_row``; a cell past ``max_col``, past ``_row_bound(max_row)`` or in
    lower case. Either also finds its tag without the reference first (group 1 is None)."""
    digits = str(max(max_row, 0))
    first = int(digits[0])
    cell_rows = rb"[1-9]\d{%d,}" % len(digits)
    if first < 9:
        cell_rows += rb"|[%d-9]\d{%d}" % (first + 1, len(digits) - 1)
    no_ref = rb'>|/>| (?!r=")'
    rows = re.compile(
        b"<" + prefix + b"row(?:" + no_ref + rb'| r="0*(' + _beyond_number(max_row) + b')")'
    )
    cells = re.compile(
        b"<"
        + prefix
        + b"c(?:"
        + no_ref
        + rb'| r="([A-Za-z]*[a-z]|'
        + _beyond_letters(max_col)
        + rb"|[A-Z]+0*(?:"
        + cell_rows
        + rb')"))'
    )
    return rows, cells


_REF: dict[bytes, tuple[re.Pattern, re.Pattern]] = {}


def _exact(data: bytes, prefix: bytes) -> tuple[int, int]:
    """The furthest row and column named anywhere in ``data`` (the slow, exact way)."""
    if prefix not in _REF:
        _REF[prefix] = (
            re.compile(b"<" + prefix + rb'row r="0*(\d+)"'),
            re.compile(b"<" + prefix + rb'c r="([A-Za-z]+)0*(\d+)"'),
        )
    row_re, cell_re = _REF[prefix]
    rows = [int(x) for x in row_re.findall(data)]
    cols = 0
    for letters, number in cell_re.findall(data):
        rows.append(int(number))
        cols = max(cols, _col_number(letters.upper()))
    return max(rows, default=0), cols


def _beyond_number(n: int) -> bytes:
    """A regex for the decimal numbers greater than ``n`` (no leading zeros)."""
    digits = str(max(n, 0))
    alts = [rb"[1-9]\d{%d,}" % len(digits)]  # more digits
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            alts.append(digits[:i].encode() + b"[%d-9]" % (int(d) + 1) + rb"\d{%d}" % rest)
    return b"(?:" + b"|".join(alts) + b")"


def _beyond_letters(n: int) -> bytes:
    """A regex for the (upper-case) column letters past column ``n``, then a digit."""
    letters = _col_letters(n) if n else ""
    alts = [rb"[A-Z]{%d,}" % (len(letters) + 1)]
    for i, ch in enumerate(letters):
        if ch != "Z":
            rest = len(letters) - i - 1
            alts.append(
                letters[:i].encode() + b"[%s-Z]" % chr(ord(ch) + 1).encode() + rb"[A-Z]{%d}" % rest
            )
    return b"(?:" + b"|".join(alts) + rb")\d"


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
