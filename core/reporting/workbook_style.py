"""How every workbook the program writes looks: one typeface, the header and total-row
styles, the number formats, and row heights for wrapped text.

The report, the offers workbook, the 走访记录 sheet and 走访结果 all take their look from
here, so they read alike on screen and on paper:

- every font names its typeface — the body's CJK-capable family, bold included (an
  office program draws an unnamed bold font in a serif face of its own choosing), with
  the GB2312 character set so a machine without it picks another Chinese face;
- one money format with thousands separators (``MONEY``; ``SIGNED_MONEY`` for changes);
- rows whose text wraps get an explicit height (``fit_row``): Excel grows such rows when it
  opens the file, WPS and LibreOffice do not, and the text is cut.

Widths are in Excel's column-width units (about one Latin digit); ``text_width`` counts a
CJK character as two.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

# 微软雅黑 ships with every Windows since Vista and is what WPS and Office use for Chinese;
# the letters (core.documents.docx_out) use it too.
BODY_FONT = "微软雅黑"
BODY_SIZE = 11
FOOTER_SIZE = 9
FONT_FAMILY = 2  # swiss (sans serif): what a program substitutes when the face is missing
FONT_CHARSET = 134  # GB2312: a program without the face picks a Chinese one
# A header/footer font code (&"name,style"): the footer is drawn in the body's face too.
FOOTER_FONT = f"{BODY_FONT},Regular"

MONEY = "#,##0.00"  # yuan, the one money format of every workbook
SIGNED_MONEY = "+#,##0.00;-#,##0.00;0.00"  # a change of money: +1,234.50 / -80.00
INTEGER = "0"
DECIMAL = "0.00"  # GB and other amounts that are not money
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
TEXT = "@"  # phones and ids: text, never a number

HEADER_FILL = "2E6FA8"  # dark blue header row, white bold text
HEADER_TEXT = "FFFFFF"
TOTAL_FILL = "E8EEF5"  # the 合计 row
TITLE_COLOR = "1F2A3C"
TITLE_SIZE = 15
SUBTITLE_SIZE = 12

LINE_FACTOR = 1.35  # a line of text takes 1.35 × the font size (微软雅黑's line gap)
# Width units one CJK character takes when text wraps: Excel with 微软雅黑 11 pt ≈ 1.83 (a
# 14.7-pixel character, an 8-pixel unit), LibreOffice ≈ 1.56; text_width's 2 leaves room.
WRAP_CJK_UNITS = 1.85
ROW_PADDING = 3.0  # points above and below the text of a row
MAX_ROW_HEIGHT = 409.0  # Excel's limit
DEFAULT_WIDTH = 8.43  # a column without a width of its own


def text_width(text: str) -> float:
    """Approximate width in column-width units: CJK (and full-width) characters count double."""
    return sum(2.0 if ord(ch) > 0x2E80 else 1.0 for ch in text)


def font(
    *, bold: bool = False, size: float = BODY_SIZE, color: str | None = None, italic: bool = False
) -> Font:
    """A font in the body's typeface (never a font without a name)."""
    from openpyxl.styles import Font

    return Font(name=BODY_FONT, sz=size, b=bold, i=italic, color=color, family=FONT_FAMILY,
                charset=FONT_CHARSET)  # fmt: skip


def new_workbook() -> Workbook:
    """An openpyxl workbook whose default font (every cell without its own, the Normal style
    and so the column-width unit) is the body's typeface instead of Calibri."""
    import openpyxl
    from openpyxl.utils.indexed_list import IndexedList

    wb = openpyxl.Workbook()
    body = font()
    wb._fonts = IndexedList([body])  # font 0: the cells without a style of their own
    wb._named_styles["Normal"].font = body  # rebinds the Normal style to font 0
    return wb


def header_style(cell: Any) -> None:
    """A table header cell: bold white on dark blue, centred, wrapped."""
    from openpyxl.styles import Alignment, PatternFill

    cell.font = font(bold=True, color=HEADER_TEXT)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def style_header_row(ws: Worksheet, row: int, ncols: int) -> None:
    """``header_style`` for the first ``ncols`` cells of ``row``, and a height that holds the
    longest header wrapped in its column."""
    for j in range(1, ncols + 1):
        header_style(ws.cell(row=row, column=j))
    fit_row(ws, row, range(1, ncols + 1), bold=True)


def total_row(ws: Worksheet, row: int, ncols: int) -> None:
    """The 合计 row: bold on a light fill."""
    from openpyxl.styles import PatternFill

    for j in range(1, ncols + 1):
        cell = ws.cell(row=row, column=j)
        cell.font = font(bold=True)
        cell.fill = PatternFill("solid", fgColor=TOTAL_FILL)


def title(cell: Any, size: float = TITLE_SIZE, span: int = 0) -> Any:
    """A sheet's title line: bold, larger, its row tall enough for it. ``span`` columns:
    the title is merged across them and wraps there (a long list name stays on the page)."""
    cell.font = font(bold=True, size=size, color=TITLE_COLOR)
    ws = cell.parent
    current = ws.row_dimensions[cell.row].height or 0
    ws.row_dimensions[cell.row].height = max(current, line_height(size) + ROW_PADDING)
    if span > 1:
        last = cell.column + span - 1
        ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row,
                       end_column=last)  # fmt: skip
        wrap(cell, vertical="center")
        room = sum(column_width(ws, c) for c in range(cell.column, last + 1))
        fit_row(ws, cell.row, [cell.column], size=size, bold=True, width=room * BODY_SIZE / size)
    return cell


def line_height(size: float = BODY_SIZE) -> float:
    """Points one line of text takes."""
    return round(size * LINE_FACTOR, 1)


def lines_needed(text: Any, width: float, bold: bool = False) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` units wide (each line break
    of the text starts a line)."""
    if text is None:
        return 1
    usable = max(width - 1.0, 1.0) / (1.08 if bold else 1.0)  # bold glyphs are wider
    return sum(max(1, math.ceil(_wrap_width(part) / usable)) for part in str(text).split("\n"))


def _wrap_width(text: str) -> float:
    return sum(WRAP_CJK_UNITS if ord(ch) > 0x2E80 else 1.0 for ch in text)


def column_width(ws: Worksheet, col: int) -> float:
    """The width of column ``col`` (Excel's default 8.43 units when none was set)."""
    from openpyxl.utils import get_column_letter

    dim = ws.column_dimensions.get(get_column_letter(col))
    return float(dim.width) if dim is not None and dim.width else DEFAULT_WIDTH


def fit_row(
    ws: Worksheet,
    row: int,
    cols: Any,
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    width: float | None = None,
) -> float:
    """Give ``row`` the height its wrapped text in columns ``cols`` needs (never lower than
    it already is; a single line of body text keeps the default height) and return it.
    ``width``: the text's room when it spans merged cells."""
    lines = 1
    for col in cols:
        value = ws.cell(row=row, column=col).value
        room = width if width is not None else column_width(ws, col)
        lines = max(lines, lines_needed(value, room, bold))
    current = ws.row_dimensions[row].height or 0
    if lines == 1 and size <= BODY_SIZE:  # one line of body text: the default height holds it
        return current
    height = min(lines * line_height(size) + ROW_PADDING, MAX_ROW_HEIGHT)
    ws.row_dimensions[row].height = max(current, height)
    return ws.row_dimensions[row].height


def wrap(cell: Any, vertical: str = "top", horizontal: str | None = None) -> Any:
    """Wrap the text of ``cell`` (its row needs ``fit_row`` afterwards)."""
    from openpyxl.styles import Alignment

    cell.alignment = Alignment(wrap_text=True, vertical=vertical, horizontal=horizontal)
    return cell


def wrap_row(ws: Worksheet, row: int, ncols: int) -> float:
    """A table row whose text may wrap: every cell wrapped and centred vertically, the row
    as tall as its longest text needs."""
    from openpyxl.styles import Alignment

    for j in range(1, ncols + 1):
        cell = ws.cell(row=row, column=j)
        old = cell.alignment
        cell.alignment = Alignment(horizontal=old.horizontal, vertical="center", wrap_text=True)
    return fit_row(ws, row, range(1, ncols + 1))


def chart_text(chart: Any, size: float = 10) -> None:
    """Name the body's typeface for an openpyxl chart's text (title, axes, legend): Latin and
    East Asian, so no program falls back to a face of its own."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import (
        CharacterProperties,
        Paragraph,
        ParagraphProperties,
    )
    from openpyxl.drawing.text import (
        Font as TextFont,
    )

    def props(bold: bool = False, pt: float = size) -> RichText:
        face = TextFont(typeface=BODY_FONT)
        cp = CharacterProperties(latin=face, ea=face, sz=int(pt * 100), b=bold)
        return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=cp), endParaRPr=cp)])

    chart.txPr = props()
    for axis in (getattr(chart, "x_axis", None), getattr(chart, "y_axis", None)):
        if axis is not None:
            axis.txPr = props()
            if axis.title is not None:
                _title_font(axis.title, size, bold=True)
    if chart.legend is not None:
        chart.legend.txPr = props()
    if chart.title is not None:
        _title_font(chart.title, size + 2, bold=True)


def _title_font(chart_title: Any, size: float, bold: bool) -> None:
    """Every run of an openpyxl chart title in the body's typeface."""
    from openpyxl.drawing.text import CharacterProperties
    from openpyxl.drawing.text import Font as TextFont

    face = TextFont(typeface=BODY_FONT)
    rich = chart_title.tx.rich if chart_title.tx is not None else None
    if rich is None:
        return
    for para in rich.p:
        cp = CharacterProperties(latin=face, ea=face, sz=int(size * 100), b=bold)
        if para.pPr is not None:
            para.pPr.defRPr = cp
        for run in para.r or []:
            run.rPr = CharacterProperties(latin=face, ea=face, sz=int(size * 100), b=bold)
        para.endParaRPr = cp


__all__ = [
    "BODY_FONT",
    "BODY_SIZE",
    "DATE",
    "DECIMAL",
    "FOOTER_FONT",
    "HEADER_FILL",
    "INTEGER",
    "MONEY",
    "PERCENT",
    "SIGNED_MONEY",
    "TEXT",
    "TOTAL_FILL",
    "chart_text",
    "column_width",
    "fit_row",
    "font",
    "header_style",
    "line_height",
    "lines_needed",
    "new_workbook",
    "style_header_row",
    "text_width",
    "title",
    "total_row",
    "wrap",
    "wrap_row",
]
