"""Read any customer-list file into grids of raw cell values (one per sheet).

A ``Grid`` is a list of rows (lists of Python values: str, float, int, bool,
datetime/date, or "" for empty) with ``first_row`` the Excel row number of ``rows[0]``.
Merged ranges are filled with their top-left value so a merged 网格 column still gives
every customer their grid. Nothing here decides what the rows mean.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
import zipfile
import zlib
from concurrent.futures import Future
from pathlib import Path

import numpy as np

from core.base.errors import ImportFailed
from core.base.progress import Cancelled, Progress
from core.importing import sniff
from core.importing.mapping import col_letter
from core.importing.too_large import memory_guard, too_large


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
            for grid in _read_text_kind(self.path, kind):
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
                raise _corrupt(self.path) from exc
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
                raise _corrupt(self.path) from exc
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


def _corrupt(path: Path) -> ImportFailed:
    return ImportFailed(
        f"文件已损坏或格式不完整，无法读取：{path.name}。",
        "请在 Excel/WPS 中打开并“另存为”新的 .xlsx 文件后再导入，或从系统重新导出。",
    )


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
        raise _corrupt(path) from exc


def _calamine_error(path: Path, exc: Exception) -> ImportFailed:
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return sniff.encrypted_error(path)
    if "cell limit" in text:  # calamine refuses a sheet claiming too many cells
        return too_large(path)
    return _corrupt(path)


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


# --- Text kinds: CSV, HTML tables, XML Spreadsheet 2003 -------------------------------------


def decode_text(data: bytes) -> str:
    """Decode a text export: BOM first, UTF-16 without one, then strict UTF-8, then
    GB18030 (a GBK superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        enc = sniff.utf16_without_bom(data[:8192])
        if enc:
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _read_text_kind(path: Path, kind: str) -> list[Grid]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise sniff.open_failed(path, exc) from exc
    if kind == sniff.CSV:
        return [read_csv_text(decode_text(data), name=path.stem or "CSV")]
    if kind == sniff.HTML:
        return read_html_tables(data, path)
    return read_xml2003(data, path)


# a quoted field longer than this many lines is a quote that was never closed: a real
# address or remark with line breaks in it has a few
MAX_FIELD_LINES = 50


def read_csv_text(text: str, name: str = "CSV") -> Grid:
    """Rows of a CSV/TSV text, every line accounted for.

    Fields of any length are read (csv's 128 KB limit is raised to the text's length). A
    quote that is never closed would make csv read the rest of the file as one cell: that
    row is read as it stands (its quotes as plain characters), reading carries on from the
    next line, and the row is listed in ``Grid.problems`` with its line number.
    """
    text = text.replace("\x00", "")
    delimiter = _sniff_delimiter(text)
    lines = io.StringIO(text, newline="").readlines()  # split as csv splits: \n, \r, \r\n
    limit = csv.field_size_limit()
    csv.field_size_limit(min(max(limit, len(text) + 1), 2**31 - 1))
    try:
        rows, problems = _csv_records(lines, delimiter)
    finally:
        csv.field_size_limit(limit)
    grid = Grid(name=name, rows=rows, first_row=1)
    grid.problems = problems
    return grid


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text[:200_000].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",\t;|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv_records(lines: list[str], delimiter: str) -> tuple[list[list], list[tuple[int, str, str]]]:
    rows: list[list] = []
    problems: list[tuple[int, str, str]] = []
    start = 0  # the physical line (0-based) csv reads from
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None), delimiter=delimiter)
        done = 0  # lines of ``reader`` consumed by the records taken so far
        broken = None
        for record in reader:
            span = reader.line_num - done
            if span > 1 and _swallowed(lines, start + done, start + reader.line_num, delimiter):
                broken = start + done
                break
            rows.append(record)
            done = reader.line_num
        if broken is None:
            break
        swallowed = _lines_in_quote(lines, broken, delimiter)
        # the row as it stands, its quotes as plain characters; then on from the next line
        rows.append(next(csv.reader([lines[broken]], delimiter=delimiter, quoting=csv.QUOTE_NONE)))
        problems.append(
            (
                len(rows) - 1,
                "bad_quote",
                f"这一行的引号没有闭合，之后的 {swallowed:,} 行会被当成这一格的内容而无法读取："
                "这一行已按原样读取（引号当作普通字符），后面的行照常读取；"
                "请在原文件中核对这一行，补上缺少的引号。",
            )
        )
        start = broken + 1
    return rows, problems


def _swallowed(lines: list[str], first: int, end: int, delimiter: str) -> bool:
    """Did the record on lines [first, end) open a quote that was never closed (it ran to
    the end of the file), or one closed so far down that it cannot be a real cell?"""
    if end - first > MAX_FIELD_LINES:
        return True
    if end < len(lines):
        return False
    try:
        for _ in csv.reader(lines[first:end], delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "end of data" in str(exc)
    return False


def _lines_in_quote(lines: list[str], first: int, delimiter: str) -> int:
    """How many lines after ``first`` the broken record took into its cell."""
    reader = csv.reader(itertools.islice(lines, first, None), delimiter=delimiter)
    next(reader, None)
    return reader.line_num - 1


_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _decode_markup(data: bytes) -> str:
    match = _CHARSET.search(data[:4096])
    if match:
        enc = match.group(1).decode("ascii").lower()
        if enc in ("gbk", "gb2312", "gb_2312-80", "x-gbk"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def read_html_tables(data: bytes, path: Path) -> list[Grid]:
    import lxml.html

    text = _XML_DECL.sub("", _decode_markup(data))
    try:
        doc = lxml.html.document_fromstring(text)
    except Exception as exc:
        raise ImportFailed(
            f"这个 .xls 文件其实是网页格式，但内容无法解析：{path.name}。",
            "请在 Excel 中打开它并“另存为” .xlsx 后再导入。",
        ) from exc
    grids = []
    for i, table in enumerate(doc.iter("table"), start=1):
        if table.getparent() is not None and any(True for _ in table.iterancestors("table")):
            continue  # nested layout tables: the outer one holds them
        rows = _html_table_rows(table)
        if rows:
            grids.append(Grid(name=f"表格{i}", rows=rows, first_row=1))
    if not grids:
        raise ImportFailed(
            f"文件是网页格式，但里面没有表格：{path.name}。",
            "请从系统重新导出 Excel 格式的客户清单。",
        )
    return grids


def _html_table_rows(table) -> list[list]:
    rows: list[list] = []
    pending: dict[tuple[int, int], str] = {}  # (row, col) -> value from a rowspan above
    for r, tr in enumerate(table.iter("tr")):
        row: list = []
        col = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            value = " ".join(cell.text_content().replace("\xa0", " ").split())
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            for dc in range(colspan):
                row.append(value)
                for dr in range(1, rowspan):
                    pending[(r + dr, col + dc)] = value
            col += colspan
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        rows.append(row)
    return rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


_SS = "urn:schemas-microsoft-com:office:spreadsheet"


def read_xml2003(data: bytes, path: Path) -> list[Grid]:
    """Excel 2003 XML Spreadsheet (some systems save it as .xls)."""
    import datetime as dt

    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(recover=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise _corrupt(path) from exc
    ns = {"ss": _SS}
    grids = []
    for ws in root.iterfind("ss:Worksheet", ns):
        name = ws.get(f"{{{_SS}}}Name") or f"Sheet{len(grids) + 1}"
        rows: list[list] = []
        for row_el in ws.iterfind("ss:Table/ss:Row", ns):
            index = row_el.get(f"{{{_SS}}}Index")
            if index:
                while len(rows) < int(index) - 1:
                    rows.append([])
            row: list = []
            for cell in row_el.iterfind("ss:Cell", ns):
                cidx = cell.get(f"{{{_SS}}}Index")
                if cidx:
                    row.extend([""] * (int(cidx) - 1 - len(row)))
                data_el = cell.find("ss:Data", ns)
                value: object = ""
                if data_el is not None:
                    text = "".join(data_el.itertext())
                    kind = data_el.get(f"{{{_SS}}}Type")
                    value = text
                    if kind == "Number":
                        try:
                            value = float(text)
                        except ValueError:
                            value = text
                    elif kind == "DateTime":
                        try:
                            value = dt.datetime.fromisoformat(text[:19])
                        except ValueError:
                            value = text
                row.append(value)
                across = int(cell.get(f"{{{_SS}}}MergeAcross") or 0)
                row.extend([value] * across)
            rows.append(row)
        grids.append(Grid(name=name, rows=rows, first_row=1))
    if not grids:
        raise _corrupt(path)
    return grids
