"""Every sheet the program writes prints well from Excel/WPS.

One call per sheet, used by every workbook writer (report, offers, visit sheets): A4,
landscape when the sheet is wider than a portrait page, fit to one page wide and as many
pages tall as the rows need (``fitToHeight`` 0), the header row(s) repeated on every
page (print titles), narrow margins, and a footer with the list's name and
“第 x 页 / 共 y 页”. A sheet that must fit one page (the report's 汇总 with its pyramid
picture) is fitted both ways.

The settings live in the sheet's own XML (``<sheetPr><pageSetUpPr fitToPage>``,
``<printOptions>``, ``<pageMargins>``, ``<pageSetup>``, ``<headerFooter>``) and in a
``_xlnm.Print_Titles`` defined name, which openpyxl writes; the streaming writer
(``xlsx_stream``) only replaces the rows inside ``<sheetData>``, so streamed sheets keep
them too.

``estimated_scale`` turns a sheet's print settings into the scale it prints at (column
widths and pictures against the page, fit to width, and to height for one-page sheets):
the tests hold every sheet of every workbook at 55 % or more. A wide table prints a chosen
set of columns (its print area, see core.reporting.detail_sheet), never all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.base.safe_text import without_controls
from core.reporting.workbook_style import FOOTER_FONT, FOOTER_SIZE

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

A4 = 9  # ST_PaperSize: 9 = A4 210 × 297 mm
A4_POINTS = (595.3, 841.9)  # portrait width, height
# Points one column-width unit takes on paper at 100 %. Measured with LibreOffice 7.4
# (fit-to-width sheets of 100–300 units, text heights in its PDF): 7.06 pt, its unit being
# a digit of the substituted Latin face; Excel with 微软雅黑 takes about 6 pt, with Calibri
# 5.25 pt. The estimate takes the widest, so a sheet prints at least as large as estimated.
POINTS_PER_UNIT = 7.06
POINTS_PER_PIXEL = 0.75  # pictures: 96 pixels an inch
EMU_PER_POINT = 12700
DEFAULT_ROW_HEIGHT = 16.5  # a row of 11 pt 微软雅黑 without a height of its own
DEFAULT_COLUMN_WIDTH = 8.43
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.7, "header": 0.3, "footer": 0.3}
# A sheet goes landscape when portrait would print it below ~90 %.
PORTRAIT_UNITS = (A4_POINTS[0] - 72 * (MARGINS["left"] + MARGINS["right"])) / POINTS_PER_UNIT / 0.9
PIXELS_PER_UNIT = POINTS_PER_UNIT / POINTS_PER_PIXEL
MIN_SCALE = 0.55  # below this a page is unreadable without a magnifier
ONE_PAGE_SCALE = 0.7  # a sheet with pictures goes on one page when it reads there at this
PAGE_FOOTER = "第 &P 页 / 共 &N 页"
MAX_TITLE_CHARS = 60  # Excel allows 255 characters for a whole header/footer


def footer_title(title: str) -> str:
    """``title`` for a header/footer section: ``&`` doubled (a lone ``&`` starts a code such
    as ``&P`` or ``&12``), control characters removed, cut to a sane length."""
    text = " ".join(without_controls(str(title or "")).split())
    if len(text) > MAX_TITLE_CHARS:
        text = text[: MAX_TITLE_CHARS - 1] + "…"
    return text.replace("&", "&&")


def print_columns(ws: Worksheet) -> tuple[int, int]:
    """The first and last column that print: the print area's, else the used ones."""
    area = ws.print_area if ws._print_area else None
    if area:
        from openpyxl.utils.cell import range_boundaries

        bounds = [
            range_boundaries(part.split("!")[-1].replace("$", "")) for part in area.split(",")
        ]
        return min(b[0] for b in bounds), max(b[2] for b in bounds)
    return 1, max(ws.max_column, 1)


def _widths(ws: Worksheet, first: int, last: int) -> list[float]:
    from openpyxl.utils import get_column_letter

    out = []
    for j in range(first, last + 1):
        dim = ws.column_dimensions.get(get_column_letter(j))
        out.append(dim.width if dim is not None and dim.width else DEFAULT_COLUMN_WIDTH)
    return out


def _drawings(ws: Worksheet) -> list[tuple[int, int, float, float]]:
    """(first column, first row, width pt, height pt) of each picture and chart (0-based)."""
    out = []
    for drawing in [*getattr(ws, "_images", []), *getattr(ws, "_charts", [])]:
        anchor = getattr(drawing, "anchor", None)
        marker = getattr(anchor, "_from", None)
        col, row = getattr(marker, "col", None), getattr(marker, "row", None)
        if col is None and isinstance(anchor, str):
            from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

            letter, number = coordinate_from_string(anchor)
            col, row = column_index_from_string(letter) - 1, number - 1
        if col is None:
            continue
        ext = getattr(anchor, "ext", None)
        if ext is not None and ext.width:  # a file read back: its size in EMU
            out.append((int(col), int(row or 0), ext.width / EMU_PER_POINT,
                        ext.height / EMU_PER_POINT))  # fmt: skip
            continue
        if hasattr(drawing, "series"):  # an openpyxl chart: centimetres
            w, h = float(drawing.width) * 72 / 2.54, float(drawing.height) * 72 / 2.54
        else:
            w = float(getattr(drawing, "width", 0) or 0) * POINTS_PER_PIXEL
            h = float(getattr(drawing, "height", 0) or 0) * POINTS_PER_PIXEL
        out.append((int(col), int(row or 0), w, h))
    return out


def sheet_extent(ws: Worksheet) -> tuple[float, float]:
    """How wide and tall the printed part of the sheet is at 100 %, in points: its print
    area's (or used) columns and rows plus pictures and charts reaching further."""
    first, last = print_columns(ws)
    widths = _widths(ws, first, last)
    width = sum(widths) * POINTS_PER_UNIT
    heights = [
        (ws.row_dimensions[r].height if r in ws.row_dimensions and ws.row_dimensions[r].height
         else DEFAULT_ROW_HEIGHT)
        for r in range(1, max(ws.max_row, 1) + 1)
    ]  # fmt: skip
    height = float(sum(heights))
    for col, row, w, h in _drawings(ws):
        if col < first - 1 or col > last - 1:
            continue
        left = sum(widths[: col - first + 1]) * POINTS_PER_UNIT
        top = sum(heights[:row]) + DEFAULT_ROW_HEIGHT * max(row - len(heights), 0)
        width, height = max(width, left + w), max(height, top + h)
    return width, height


def sheet_width(ws: Worksheet) -> float:
    """How wide the sheet prints, in column-width units (pictures and charts included)."""
    return sheet_extent(ws)[0] / POINTS_PER_UNIT


def printable(ws: Worksheet) -> tuple[float, float]:
    """The page's width and height inside its margins, in points."""
    w, h = A4_POINTS
    if ws.page_setup.orientation == "landscape":
        w, h = h, w
    m = ws.page_margins
    return w - 72 * ((m.left or 0) + (m.right or 0)), h - 72 * ((m.top or 0) + (m.bottom or 0))


def estimated_scale(ws: Worksheet) -> float:
    """The scale ``ws`` prints at on its page (1.0 = 100 %), from its print settings: fit
    to one page wide shrinks a sheet wider than the page; fit to one page tall as well
    (``fitToHeight`` 1) shrinks a taller one; otherwise the page setup's own scale."""
    fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    if not fit:
        return float(ws.page_setup.scale or 100) / 100
    page_w, page_h = printable(ws)
    width, height = sheet_extent(ws)
    scale = 1.0
    if ws.page_setup.fitToWidth:
        scale = min(scale, page_w / width) if width else scale
    if ws.page_setup.fitToHeight:
        scale = min(scale, page_h * int(ws.page_setup.fitToHeight) / height) if height else scale
    return scale


def _break_before_drawings(ws: Worksheet) -> None:
    """A page break above each picture and chart below the first rows, so none is cut."""
    from openpyxl.worksheet.pagebreak import Break

    rows = sorted({row for _col, row, _w, _h in _drawings(ws) if row > 1})
    for row in rows:  # the break goes under the row before the picture (0-based row = that row)
        ws.row_breaks.append(Break(id=row))


def setup_print(
    ws: Worksheet,
    title: str,
    *,
    header_rows: int = 1,
    landscape: bool | None = None,
    one_page: bool | None = False,
    gridlines: bool = False,
) -> None:
    """Give ``ws`` the program's print setup (see the module docstring).

    ``title`` is the list's or campaign's name for the footer. ``header_rows`` rows from
    the top repeat on every page (0: none). ``landscape`` None decides from the sheet's
    width. ``one_page`` fits the whole sheet on a single page; None does so when it reads
    there at ONE_PAGE_SCALE or more, else starts each picture and chart on a page of its
    own (never cut in two). ``gridlines`` prints the cell grid.
    """
    from openpyxl.worksheet.properties import PageSetupProperties

    if landscape is None:
        landscape = sheet_width(ws) > PORTRAIT_UNITS
    setup = ws.page_setup
    setup.paperSize = A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth = 1
    props = ws.sheet_properties
    if props.pageSetUpPr is None:
        props.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        props.pageSetUpPr.fitToPage = True
    margins = ws.page_margins
    for side, inches in MARGINS.items():
        setattr(margins, side, inches)
    if one_page is None:
        setup.fitToHeight = 1
        one_page = estimated_scale(ws) >= ONE_PAGE_SCALE
        if not one_page:
            _break_before_drawings(ws)
    setup.fitToHeight = 1 if one_page else 0  # 0: as many pages tall as needed
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = gridlines
    if header_rows > 0:
        ws.print_title_rows = f"1:{header_rows}"
    footer = ws.oddFooter
    footer.left.text = footer_title(title)
    footer.center.text = PAGE_FOOTER
    footer.right.text = "&A"  # the sheet's name
    for part in (footer.left, footer.center, footer.right):
        part.size = FOOTER_SIZE
        part.font = FOOTER_FONT


__all__ = [
    "A4",
    "MIN_SCALE",
    "PAGE_FOOTER",
    "estimated_scale",
    "footer_title",
    "print_columns",
    "printable",
    "setup_print",
    "sheet_extent",
    "sheet_width",
]
