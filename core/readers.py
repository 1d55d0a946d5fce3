"""Read any customer-list file into grids of raw cell values (one per sheet).

A ``Grid`` is a list of rows (lists of Python values: str, float, int, bool,
datetime/date, or "" for empty) with ``first_row`` the Excel row number of ``rows[0]``.
Merged ranges are filled with their top-left value so a merged 网格 column still gives
every customer their grid. Nothing here decides what the rows mean.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from core import sniff
from core.errors import ImportFailed


@dataclass
class Grid:
    name: str
    rows: list[list]
    first_row: int = 1
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r0,c0,r1,c1


class Book:
    """A workbook opened once; sheets are read on demand and cached."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = Path(path)
        self.kind = kind
        self._grids: dict[str, Grid] = {}
        self._calamine = None
        if kind in (sniff.XLSX, sniff.XLS, sniff.ODS):
            self._calamine = _open_calamine(self.path)
            self.sheet_names = [
                m.name for m in self._calamine.sheets_metadata
                if str(getattr(m, "typ", "WorkSheet")).endswith("WorkSheet")
            ] or list(self._calamine.sheet_names)
        else:
            for grid in _read_text_kind(self.path, kind):
                self._grids[grid.name] = grid
            self.sheet_names = list(self._grids)
        if not self.sheet_names:
            raise ImportFailed(f"文件中没有任何工作表或表格：{self.path.name}。",
                               "请确认导出的是客户清单，然后重新导出。")

    def grid(self, name: str) -> Grid:
        if name not in self._grids:
            if name not in self.sheet_names:
                names = "、".join(self.sheet_names)
                raise ImportFailed(f"文件中没有名为“{name}”的工作表。",
                                   f"可用的工作表：{names}。请用 --sheet 指定其中之一。")
            self._grids[name] = _read_calamine_sheet(self.path, self._calamine, name)
        return self._grids[name]

    def close(self) -> None:
        if self._calamine is not None:
            try:
                self._calamine.close()
            except Exception:  # noqa: BLE001 - closing a reader must never fail an import
                pass


def open_book(path: Path) -> Book:
    return Book(Path(path), sniff.sniff(Path(path)))


# --- Excel (calamine) ---------------------------------------------------------------------

def _corrupt(path: Path) -> ImportFailed:
    return ImportFailed(
        f"文件已损坏或格式不完整，无法读取：{path.name}。",
        "请在 Excel/WPS 中打开并“另存为”新的 .xlsx 文件后再导入，或从系统重新导出。",
    )


def _open_calamine(path: Path):
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise sniff.encrypted_error(path) from exc
    except OSError as exc:
        raise sniff.open_failed(path, exc) from exc
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise sniff.encrypted_error(path) from exc
        raise _corrupt(path) from exc


def _read_calamine_sheet(path: Path, book, name: str) -> Grid:
    try:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
    except Exception as exc:  # noqa: BLE001
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise sniff.encrypted_error(path) from exc
        raise _corrupt(path) from exc
    grid = Grid(name=name, rows=rows, first_row=1, merged=merged)
    fill_merged(grid)
    return grid


def fill_merged(grid: Grid) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    rows = grid.rows
    for r0, c0, r1, c1 in grid.merged:
        if r0 >= len(rows):
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else ""
        if value == "" or value is None:
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if row[c] == "" or row[c] is None:
                    row[c] = value


# --- Text kinds: CSV, HTML tables, XML Spreadsheet 2003 -------------------------------------

def decode_text(data: bytes) -> str:
    """Decode a text export: BOM first, then strict UTF-8, then GB18030 (a GBK superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
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


def read_csv_text(text: str, name: str = "CSV") -> Grid:
    sample = "\n".join(text.splitlines()[:50])
    delimiter = ","
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",\t;|"}
        best = max(counts, key=counts.get)
        delimiter = best if counts[best] else ","
    rows = list(csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter))
    return Grid(name=name, rows=rows, first_row=1)


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
    except Exception as exc:  # noqa: BLE001 - lxml raises ParserError and others
        raise ImportFailed(f"这个 .xls 文件其实是网页格式，但内容无法解析：{path.name}。",
                           "请在 Excel 中打开它并“另存为” .xlsx 后再导入。") from exc
    grids = []
    for i, table in enumerate(doc.iter("table"), start=1):
        if table.getparent() is not None and any(True for _ in table.iterancestors("table")):
            continue  # nested layout tables: the outer one holds them
        rows = _html_table_rows(table)
        if rows:
            grids.append(Grid(name=f"表格{i}", rows=rows, first_row=1))
    if not grids:
        raise ImportFailed(f"文件是网页格式，但里面没有表格：{path.name}。",
                           "请从系统重新导出 Excel 格式的客户清单。")
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
