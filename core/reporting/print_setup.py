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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.base.safe_text import without_controls

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

A4 = 9  # ST_PaperSize: 9 = A4 210 × 297 mm
# Column-width units (≈ one Latin character of the default font) that fit across A4 at
# 100 %: portrait ≈ 190 mm of paper inside the margins, landscape ≈ 277 mm.
PORTRAIT_UNITS = 92.0
DEFAULT_COLUMN_WIDTH = 8.43
PIXELS_PER_UNIT = 7.0
PAGE_FOOTER = "第 &P 页 / 共 &N 页"
MAX_TITLE_CHARS = 60  # Excel allows 255 characters for a whole header/footer


def footer_title(title: str) -> str:
    """``title`` for a header/footer section: ``&`` doubled (a lone ``&`` starts a code such
    as ``&P`` or ``&12``), control characters removed, cut to a sane length."""
    text = " ".join(without_controls(str(title or "")).split())
    if len(text) > MAX_TITLE_CHARS:
        text = text[: MAX_TITLE_CHARS - 1] + "…"
    return text.replace("&", "&&")


def sheet_width(ws: Worksheet) -> float:
    """How wide the sheet prints, in column-width units: its used columns plus pictures and
    charts reaching further right."""
    from openpyxl.utils import get_column_letter

    ncols = max(ws.max_column, 1)
    widths = []
    for j in range(1, ncols + 1):
        dim = ws.column_dimensions.get(get_column_letter(j))
        widths.append(dim.width if dim is not None and dim.width else DEFAULT_COLUMN_WIDTH)
    total = float(sum(widths))
    for drawing in [*getattr(ws, "_images", []), *getattr(ws, "_charts", [])]:
        anchor = getattr(drawing, "anchor", None)
        start = getattr(getattr(anchor, "_from", None), "col", None)
        if start is None and isinstance(anchor, str):
            from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

            start = column_index_from_string(coordinate_from_string(anchor)[0]) - 1
        if start is None:
            continue
        left = sum(widths[:start]) + DEFAULT_COLUMN_WIDTH * max(start - len(widths), 0)
        width_px = float(getattr(drawing, "width", 0) or 0)
        if hasattr(drawing, "series"):  # an openpyxl chart: width in centimetres
            width_px = float(drawing.width) * 96 / 2.54
        total = max(total, left + width_px / PIXELS_PER_UNIT)
    return total


def setup_print(
    ws: Worksheet,
    title: str,
    *,
    header_rows: int = 1,
    landscape: bool | None = None,
    one_page: bool = False,
    gridlines: bool = False,
) -> None:
    """Give ``ws`` the program's print setup (see the module docstring).

    ``title`` is the list's or campaign's name for the footer. ``header_rows`` rows from
    the top repeat on every page (0: none). ``landscape`` None decides from the sheet's
    width. ``one_page`` fits the whole sheet on a single page. ``gridlines`` prints the
    cell grid (forms filled in by hand).
    """
    from openpyxl.worksheet.properties import PageSetupProperties

    if landscape is None:
        landscape = sheet_width(ws) > PORTRAIT_UNITS
    setup = ws.page_setup
    setup.paperSize = A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 1 if one_page else 0  # 0: as many pages tall as needed
    props = ws.sheet_properties
    if props.pageSetUpPr is None:
        props.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        props.pageSetUpPr.fitToPage = True
    margins = ws.page_margins
    margins.left = margins.right = 0.4
    margins.top = 0.5
    margins.bottom = 0.7
    margins.header = 0.3
    margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = gridlines
    if header_rows > 0:
        ws.print_title_rows = f"1:{header_rows}"
    footer = ws.oddFooter
    footer.left.text = footer_title(title)
    footer.left.size = 9
    footer.center.text = PAGE_FOOTER
    footer.center.size = 9
    footer.right.text = "&A"  # the sheet's name
    footer.right.size = 9


__all__ = ["A4", "PAGE_FOOTER", "footer_title", "setup_print", "sheet_width"]
