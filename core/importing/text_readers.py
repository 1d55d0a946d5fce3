"""Text kinds of customer list: CSV/TSV, HTML tables saved as .xls, Excel 2003 XML."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

from core.base.errors import ImportFailed
from core.importing import sniff
from core.importing.grid import Grid


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


def read_text_kind(path: Path, kind: str) -> list[Grid]:
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
        raise sniff.corrupt(path) from exc
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
        raise sniff.corrupt(path)
    return grids
