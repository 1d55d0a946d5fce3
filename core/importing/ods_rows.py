"""Read an OpenDocument spreadsheet (.ods, WPS/LibreOffice) row by row.

An .ods writes runs of equal cells once with a repeat count: LibreOffice ends every row
with ``number-columns-repeated="16368"`` empty cells and a stray value at AP1048576 comes
after ``number-rows-repeated="1048249"`` empty rows. calamine turns such a sheet into one
dense block (3.5 GB for the 320-customer sample with one stray value), so .ods files are
streamed here instead: empty repeats only move the position, and the cells that hold
something go into a ``SparseCells`` grid. A repeated *value* counts as that many cells
and is refused before it is expanded if there are too many.

Values come out as calamine gives them: numbers (float, percentage, currency) as float,
dates as date (datetime when they have a time), booleans as bool, text as str.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from core.base.errors import ImportFailed
from core.base.progress import Progress
from core.importing import too_large
from core.importing.grid import Grid
from core.importing.sparse_grid import SparseCells
from core.importing.too_large import check_count

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T = f"{{{_TABLE}}}"
_O = f"{{{_OFFICE}}}"
_X = f"{{{_TEXT}}}"
_CELLS = (f"{_T}table-cell", f"{_T}covered-table-cell")


def read_ods(path: Path, progress: Progress) -> list[Grid]:
    """Every sheet of the .ods at ``path``, in order."""
    from lxml import etree

    grids: list[Grid] = []
    total = 0  # cells taken so far, repeats counted
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        cells: SparseCells | None = None
        name = ""
        row = 0
        for event, el in etree.iterparse(
            fh,
            events=("start", "end"),
            tag=(f"{_T}table", f"{_T}table-row"),
            huge_tree=True,
            resolve_entities=False,
        ):
            if el.tag == f"{_T}table":
                if event == "start":
                    cells, name, row = SparseCells(), el.get(f"{_T}name") or "", 0
                else:
                    if cells is not None:
                        grids.append(cells.to_grid(name or f"Sheet{len(grids) + 1}", path))
                    cells = None
                    el.clear()
                continue
            if event != "end" or cells is None:
                continue
            repeat = _count(el.get(f"{_T}number-rows-repeated"))
            taken = _row(el, row, repeat, cells)
            total += taken
            check_count(path, total)
            row += repeat
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
            if row % 20_000 < repeat:
                progress.check()
    if not grids:
        raise ImportFailed(
            f"文件中没有任何工作表：{path.name}。", "请确认导出的是客户清单，然后重新导出。"
        )
    return grids


def _count(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _row(el, row: int, repeat: int, cells: SparseCells) -> int:
    """Put one row element's cells (``repeat`` copies of the row) into ``cells``."""
    found: list[tuple[int, object]] = []
    col = 0
    for cell in el:
        if cell.tag not in _CELLS:
            continue
        n = _count(cell.get(f"{_T}number-columns-repeated"))
        value = _value(cell) if cell.tag == _CELLS[0] else ""
        if value != "":
            if (len(found) + n) * repeat > too_large.MAX_GRID_CELLS:
                return too_large.MAX_GRID_CELLS + 1  # counted before anything is expanded
            found.extend((col + k, value) for k in range(n))
            spans = (
                _count(cell.get(f"{_T}number-rows-spanned")),
                _count(cell.get(f"{_T}number-columns-spanned")),
            )
            if spans != (1, 1):
                cells.merged.append((row, col, row + spans[0] - 1, col + spans[1] - 1))
        col += n
    for r in range(row, row + (repeat if found else 0)):
        for c, value in found:
            cells.add(r, c, value)
    return len(found) * (repeat if found else 0)


def _value(cell) -> object:
    kind = cell.get(f"{_O}value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return float(cell.get(f"{_O}value") or "")
        except ValueError:
            return _text(cell)
    if kind == "date":
        raw = cell.get(f"{_O}date-value") or ""
        try:
            if "T" in raw:
                return dt.datetime.fromisoformat(raw[:19])
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            return _text(cell)
    if kind == "boolean":
        return (cell.get(f"{_O}boolean-value") or "").lower() == "true"
    return _text(cell)


def _text(cell) -> str:
    """The cell's paragraphs joined by line breaks (notes/annotations left out)."""
    return "\n".join(_para(p) for p in cell if p.tag == f"{_X}p")


def _para(el) -> str:
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{_X}s":
            parts.append(" " * _count(child.get(f"{_X}c")))
        elif tag == f"{_X}tab":
            parts.append("\t")
        elif tag == f"{_X}line-break":
            parts.append("\n")
        elif tag != f"{_O}annotation":
            parts.append(_para(child))
        parts.append(child.tail or "")
    return "".join(parts)
