"""Read any customer-list file into grids of raw cell values (one per sheet).

``open_book`` sniffs the real format and gives a ``Book``: .xlsx/.xls through calamine
(each .xlsx sheet scanned first, and read by rows when its cells lie far apart), .ods by
rows, text kinds through ``text_readers``. Nothing here decides what the rows mean.
"""

from __future__ import annotations

import contextlib
import itertools
import zipfile
import zlib
from concurrent.futures import Future
from pathlib import Path

import numpy as np

from core.base.errors import ImportFailed
from core.base.progress import Cancelled, Progress
from core.importing import sniff
from core.importing.grid import Grid, fill_merged
from core.importing.text_readers import read_text_kind
from core.importing.too_large import memory_guard, too_large

__all__ = ["Book", "Grid", "fill_merged", "open_book"]


class Book:
    """A workbook opened once; sheets are read on demand and cached."""

    def __init__(self, path: Path, kind: str, progress: Progress | None = None) -> None:
        self.path = Path(path)
        self.kind = kind
        self.progress = progress or Progress()
        self._grids: dict[str, Grid] = {}
        self._parsing: dict[str, Future] = {}
        self._calamine = None
        self._members: dict[str, str] = {}  # .xlsx: sheet name → its XML part
        if kind == sniff.ODS:  # streamed: calamine would make each sheet one dense block
            from core.importing.ods_rows import read_ods

            with memory_guard(self.path):
                for grid in _read_ods(self.path, read_ods, self.progress):
                    self._grids[grid.name] = grid
            self.sheet_names = list(self._grids)
        elif kind in (sniff.XLSX, sniff.XLS):
            self._calamine = _open_calamine(self.path, kind)
            if kind == sniff.XLSX:
                self._members = _xlsx_members(self.path)
            self.sheet_names = [
                m.name
                for m in self._calamine.sheets_metadata
                if str(getattr(m, "typ", "WorkSheet")).endswith("WorkSheet")
            ] or list(self._calamine.sheet_names)
        else:
            for grid in read_text_kind(self.path, kind):
                self._grids[grid.name] = grid
            self.sheet_names = list(self._grids)
        if not self.sheet_names:
            raise ImportFailed(
                f"文件中没有任何工作表或表格：{self.path.name}。",
                "请确认导出的是客户清单，然后重新导出。",
            )

    def prefetch(self, names: list[str] | None = None) -> None:
        """Start parsing Excel sheets (all, or ``names``) on a background thread.

        calamine releases the GIL while it parses, so the caller can import pandas and
        get ready meanwhile; ``grid`` then takes the parsed sheet.
        """
        if self._calamine is None or self._parsing:
            return
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calamine")
        for name in names or self.sheet_names:
            if name in self.sheet_names and name not in self._grids:
                self._parsing[name] = pool.submit(self._parse, name)
        pool.shutdown(wait=False)

    def _parse(self, name: str) -> list:
        """The calamine sheet, or the sheet's XML part when it must be read by rows.

        A one-item list the reader can empty: the future must not keep the parsed sheet
        (its memory) alive after the cells have been taken.
        """
        if self.kind == sniff.XLSX:
            from core.importing import xlsx_scan

            member = self._members.get(name)
            try:
                with zipfile.ZipFile(self.path) as zf:
                    if member is not None:
                        if not xlsx_scan.scan(zf, member).fits_calamine():
                            return [member]  # cells far apart: read by rows, not as a block
                    elif not all(  # a part we could not tie to its name: all must fit
                        xlsx_scan.scan(zf, m).fits_calamine()
                        for m in zf.namelist()
                        if "worksheets/" in m and m.endswith(".xml")
                    ):
                        raise too_large(self.path)
            except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error) as exc:
                raise sniff.corrupt(self.path) from exc
        return [self._calamine.get_sheet_by_name(name)]

    def grid(self, name: str) -> Grid:
        if name not in self._grids:
            if name not in self.sheet_names:
                names = "、".join(self.sheet_names)
                raise ImportFailed(
                    f"文件中没有名为“{name}”的工作表。",
                    f"可用的工作表：{names}。请用 --sheet 指定其中之一。",
                )
            with memory_guard(self.path):
                self._grids[name] = self._read(name)
        return self._grids[name]

    def _read(self, name: str) -> Grid:
        future = self._parsing.pop(name, None)
        try:
            parsed = (future.result() if future is not None else self._parse(name)).pop()
        except (ImportFailed, Cancelled, MemoryError):
            raise
        except Exception as exc:
            raise _calamine_error(self.path, exc) from exc
        if isinstance(parsed, str):
            from core.importing import xlsx_rows

            try:
                return xlsx_rows.read_sheet(self.path, parsed, name, self.progress)
            except (ImportFailed, Cancelled, MemoryError):
                raise
            except Exception as exc:
                raise sniff.corrupt(self.path) from exc
        return _read_calamine_sheet(self.path, parsed, name, self.progress)

    def close(self) -> None:
        for future in self._parsing.values():  # never close the book under a parsing thread
            if not future.cancel():
                with contextlib.suppress(Exception):
                    future.result()
        self._parsing.clear()
        if self._calamine is not None:
            with contextlib.suppress(Exception):
                self._calamine.close()


def open_book(path: Path, progress: Progress | None = None) -> Book:
    """Open a file of any supported kind; ``progress`` is checked while big sheets load."""
    return Book(Path(path), sniff.sniff(Path(path)), progress)


# --- Excel (calamine) ---------------------------------------------------------------------


# the extensions from which calamine picks the reader for each kind of content
_CALAMINE_SUFFIXES = {sniff.XLSX: (".xlsx", ".xlsm", ".xlam"), sniff.XLS: (".xls", ".xla")}


def _open_calamine(path: Path, kind: str):
    """Open with calamine's reader for the content (an .xlsx named .xls is still an .xlsx)."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        if path.suffix.lower() in _CALAMINE_SUFFIXES.get(kind, ()):
            return CalamineWorkbook.from_path(str(path))
        # calamine chooses its reader by the extension; from bytes it goes by the content
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except PasswordError as exc:
        raise sniff.encrypted_error(path) from exc
    except OSError as exc:
        raise sniff.open_failed(path, exc) from exc
    except MemoryError:
        raise too_large(path) from None
    except Exception as exc:
        raise _calamine_error(path, exc) from exc


def _read_ods(path: Path, read_ods, progress: Progress) -> list[Grid]:
    try:
        return read_ods(path, progress)
    except (ImportFailed, Cancelled, MemoryError):
        raise
    except OSError as exc:
        raise sniff.open_failed(path, exc) from exc
    except Exception as exc:  # a broken zip or XML
        raise sniff.corrupt(path) from exc


def _calamine_error(path: Path, exc: Exception) -> ImportFailed:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return sniff.encrypted_error(path)
    if "cell limit" in text:  # calamine refuses a sheet claiming too many cells
        return too_large(path)
    return sniff.corrupt(path)


def _xlsx_members(path: Path) -> dict[str, str]:
    """Sheet name → XML part, to scan each sheet before calamine builds it ({} if unknown)."""
    from core.importing.xlsx_rows import sheet_members

    try:
        with zipfile.ZipFile(path) as zf:
            return sheet_members(zf)
    except Exception:  # calamine opened it; ``_parse`` then scans every worksheet part
        return {}


CHUNK_ROWS = 20_000


def _read_calamine_sheet(path: Path, sheet, name: str, progress: Progress) -> Grid:
    """Read a calamine sheet column by column in chunks.

    Holding columns instead of row lists, and sharing one str object for repeated text
    (套餐, 行业, 网格 …), keeps a 200,000-row list well under 300 MB.
    """
    try:
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        end = sheet.end
        total = (end[0] + 1) if end is not None else 0
        cols = _columns_from_rows(sheet.iter_rows(), progress, total)
        del sheet
    except (ImportFailed, Cancelled, MemoryError):
        raise
    except Exception as exc:
        raise _calamine_error(path, exc) from exc
    if end is not None and cols:
        # iter_rows starts at the first used column; put the columns back in place
        missing = end[1] + 1 - len(cols)
        if missing > 0:
            n = len(cols[0])
            cols = [np.full(n, "", dtype=object) for _ in range(missing)] + cols
    grid = Grid(name=name, columns=cols, first_row=1, merged=merged)
    fill_merged(grid)
    return grid


def _columns_from_rows(rows, progress: Progress, total: int) -> list[np.ndarray]:
    """Columns (object arrays) from an iterator of rows, a chunk of rows at a time."""
    parts: list[list[np.ndarray]] = []  # per column, its chunks
    caches: list[dict | None] = []
    n = 0
    while True:
        chunk = list(itertools.islice(rows, CHUNK_ROWS))
        if not chunk:
            break
        widths = set(map(len, chunk))
        width = max(widths)
        if len(widths) > 1:
            chunk = [r if len(r) == width else [*r, *([""] * (width - len(r)))] for r in chunk]
        block = np.empty((len(chunk), width), dtype=object)
        block[:] = chunk  # the transpose happens in C, not in a Python loop
        while len(parts) < width:
            parts.append([np.full(n, "", dtype=object)] if n else [])
            caches.append(None)
        for j in range(width):
            col = block[:, j].copy()  # not a view: the block (and duplicate texts) can go
            if n == 0:
                caches[j] = _dedup_cache(col)
            if caches[j] is not None:
                col = _shared(col, caches[j])
            parts[j].append(col)
        for j in range(width, len(parts)):
            parts[j].append(np.full(len(chunk), "", dtype=object))
        n += len(chunk)
        del chunk, block
        progress.check()
        if total:
            progress.set(5 + int(30 * min(n, total) / total))
    return [np.concatenate(p) if len(p) > 1 else np.array(p[0], dtype=object) for p in parts]


def _shared(col: np.ndarray, cache: dict) -> np.ndarray:
    """The column with one str object per distinct text (hashing in C via factorize)."""
    import pandas as pd

    codes, uniques = pd.factorize(col, use_na_sentinel=False)
    canon = np.empty(len(uniques), dtype=object)
    canon[:] = [cache.setdefault(u, u) if u.__class__ is str else u for u in uniques]
    return canon[codes]


def _dedup_cache(col: np.ndarray) -> dict | None:
    """A cache for columns of repeated text; None for mostly-unique columns."""
    texts = [v for v in col if v.__class__ is str and v]
    if len(texts) < 50:
        return None
    return {} if len(set(texts)) < 0.3 * len(texts) else None
