"""Read an .xlsx sheet row by row, keeping only the cells that hold something.

Used for the sheets ``xlsx_scan`` finds out of proportion (a stray value at XFD1048576,
cells written without their references): the sheet XML is streamed with lxml, each row
is dropped as soon as its cells are taken, and the cells go into a ``SparseCells`` grid.
Values come out as calamine gives them, so the rest of the import cannot tell the two
readers apart: numbers as float, dates as datetime, booleans as bool, text as str, error
values (#N/A) as empty.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from pathlib import Path

from core.base.progress import Progress
from core.importing.grid import Grid
from core.importing.sparse_grid import SparseCells
from core.importing.too_large import check_count

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_DOC_REL = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"


def sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part inside the workbook (worksheets only)."""
    from lxml import etree

    names = set(zf.namelist())
    book = _office_document(zf, names)
    if book not in names:
        return {}
    rels = _rels(zf, names, book)
    root = etree.fromstring(zf.read(book), parser=_parser())
    out: dict[str, str] = {}
    for sheet in root.iter("{*}sheet"):
        rid = sheet.get(_DOC_REL) or sheet.get(_STRICT_DOC_REL)
        target = rels.get(rid or "")
        name = sheet.get("name")
        if name is not None and target in names:
            out[name] = target
    return out


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _office_document(zf: zipfile.ZipFile, names: set[str]) -> str:
    rels = _rels(zf, names, "")
    for target in rels.values():
        if target.endswith(".xml") and "workbook" in target.rsplit("/", 1)[-1].lower():
            return target
    return "xl/workbook.xml"


def _rels(zf: zipfile.ZipFile, names: set[str], part: str) -> dict[str, str]:
    """Relationship id → target part name, for ``part`` ("" = the package itself)."""
    from lxml import etree

    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in names:
        return {}
    root = etree.fromstring(zf.read(rels_name), parser=_parser())
    out = {}
    for rel in root.iter("{*}Relationship"):
        target = rel.get("Target") or ""
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = target
    return out


# --- shared strings and styles ---------------------------------------------------------------


def _shared_strings(zf: zipfile.ZipFile, names: set[str], book: str) -> list[str]:
    from lxml import etree

    part = next(
        (t for t in _rels(zf, names, book).values() if t.lower().endswith("sharedstrings.xml")),
        None,
    )
    if part is None or part not in names:
        part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None
    if part is None:
        return []
    out: list[str] = []
    with zf.open(part) as fh:
        for _ev, si in etree.iterparse(fh, tag="{*}si", huge_tree=True, resolve_entities=False):
            out.append(_text_of(si))
            si.clear()
    return out


def _text_of(el) -> str:
    """The text of a string item: its runs, without phonetic guides (rPh)."""
    parts = []
    for t in el.iter("{*}t"):
        parent = t.getparent()
        if parent is not None and parent.tag.endswith("}rPh"):
            continue
        parts.append(t.text or "")
    return "".join(parts)


_DATE_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _is_date_code(code: str) -> bool:
    stripped = _QUOTED.sub("", code.split(";", 1)[0]).lower()
    return any(ch in stripped for ch in "ymdhs") and "general" not in stripped


def _date_styles(zf: zipfile.ZipFile, names: set[str], book: str) -> frozenset[int]:
    """Indexes of cell styles (``s="…"``) that show a date or a time."""
    from lxml import etree

    part = next(
        (t for t in _rels(zf, names, book).values() if t.lower().endswith("styles.xml")), None
    )
    if part is None or part not in names:
        return frozenset()
    root = etree.fromstring(zf.read(part), parser=_parser())
    codes = {}
    for fmt in root.iter("{*}numFmt"):
        try:
            codes[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode") or ""
        except ValueError:
            continue
    out = set()
    xfs = next(root.iter("{*}cellXfs"), None)
    for i, xf in enumerate(xfs if xfs is not None else []):
        try:
            fid = int(xf.get("numFmtId") or 0)
        except ValueError:
            continue
        if (fid in codes and _is_date_code(codes[fid])) or (fid not in codes and fid in _DATE_IDS):
            out.add(i)
    return frozenset(out)


def _date1904(zf: zipfile.ZipFile, book: str) -> bool:
    head = zf.read(book)[:8192]
    return re.search(rb'date1904="(1|true)"', head) is not None


# --- the sheet -----------------------------------------------------------------------------


def _col_index(ref: str) -> tuple[int, int] | None:
    """(row, col), 0-based, of a reference like "AP1048576"; None if it is not one."""
    i = 0
    col = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + (ord(ref[i].upper()) - 64)
        i += 1
    digits = ref[i:]
    if not col or not digits.isdigit():
        return None
    return int(digits) - 1, col - 1


def read_sheet(path: Path, member: str, name: str, progress: Progress) -> Grid:
    """The sheet ``member`` of the workbook at ``path`` as a compacted grid."""
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        book = _office_document(zf, names)
        strings = _shared_strings(zf, names, book)
        dates = _date_styles(zf, names, book)
        epoch = dt.datetime(1904, 1, 1) if _date1904(zf, book) else dt.datetime(1899, 12, 30)
        cells = SparseCells()
        row_no = -1
        with zf.open(member) as fh:
            for _ev, el in etree.iterparse(
                fh, tag=("{*}row", "{*}mergeCell"), huge_tree=True, resolve_entities=False
            ):
                if el.tag.endswith("mergeCell"):
                    _merge(cells, el.get("ref") or "")
                    el.clear()
                    continue
                r = el.get("r")
                row_no = int(r) - 1 if r and r.isdigit() else row_no + 1
                col_no = -1
                for c in el:
                    if not c.tag.endswith("}c"):
                        continue
                    pos = _col_index(c.get("r") or "")
                    if pos is None:
                        row, col_no = row_no, col_no + 1
                    else:
                        row, col_no = pos
                    value = _value(c, strings, dates, epoch)
                    if value != "":
                        cells.add(row, col_no, value)
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
                if row_no % 20_000 == 0:
                    progress.check()
                    check_count(path, len(cells))
    check_count(path, len(cells))
    return cells.to_grid(name, path)


def _merge(cells: SparseCells, ref: str) -> None:
    a, _, b = ref.partition(":")
    start, end = _col_index(a), _col_index(b or a)
    if start is not None and end is not None:
        cells.merged.append((start[0], start[1], end[0], end[1]))


def _value(c, strings: list[str], dates: frozenset[int], epoch: dt.datetime) -> object:
    t = c.get("t") or "n"
    if t == "inlineStr":
        node = c.find("{*}is")
        return _text_of(node) if node is not None else ""
    v = c.findtext("{*}v")
    if v is None or v == "":
        return ""
    if t == "s":
        try:
            return strings[int(v)]
        except (ValueError, IndexError):
            return ""
    if t == "str":
        return v
    if t == "b":
        return v.strip() in ("1", "true")
    if t == "e":
        return ""
    if t == "d":
        try:
            return dt.datetime.fromisoformat(v.strip().rstrip("Z"))
        except ValueError:
            return v
    try:
        number = float(v)
    except ValueError:
        return v
    style = c.get("s")
    if style and style.isdigit() and int(style) in dates:
        try:
            return epoch + dt.timedelta(days=number)
        except (OverflowError, ValueError):
            return number
    return number
