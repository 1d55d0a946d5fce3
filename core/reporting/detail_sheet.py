"""The wide customer tables — the report's 客户明细, the offers workbook's 推荐套餐 — with
every column in the workbook and a chosen few on paper.

A column without a single value is left out (a telco list brings a dozen of them). Phone
numbers are masked unless asked (core.reporting.phones). The columns a leader reads on
paper — 客户、号码、档位、消费、当前套餐、推荐、办理后每月、差额、标签、客户经理 — come first
and are the sheet's print area: A4, landscape when needed, one page wide, the header on
every page, cells ruled, so the printout reads at 65 % or more however wide the list is
(80 % and more in Excel); the other
columns follow on screen, and the page header says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from core.reporting import xlsx_stream as xs
from core.reporting.phones import mask_frame, unmask_of
from core.reporting.print_setup import setup_print
from core.reporting.workbook_style import FOOTER_FONT, FOOTER_SIZE, header_style

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

# The printed columns, in this order, where the table has them with values. One identity
# column: the list's 客户编号, else the campaign's.
IDENTITY_KEYS = ("customer_id", "key")
PRINT_KEYS = ("name", "phone", "band", "spend", "package", "offer_package", "expected_bill",
              "diff_month", "tags", "manager")  # fmt: skip
# Column-width units printed at most: ≥ 65 % on landscape A4 by print_setup.estimated_scale
# (which takes LibreOffice's wide unit; Excel with 微软雅黑 prints it at about 80 %);
# the last printed columns give way when wide text columns would pass it.
PRINT_UNITS = 165.0
PRINT_TEXT_WIDTH = 26.0  # a printed text column is at most this wide (long names are cut)


def has_values(series: pd.Series) -> bool:
    """False for a column without a single value (all empty, or only blank text)."""
    import pandas as pd

    present = series.notna()
    if not present.any():
        return False
    if not (pd.api.types.is_object_dtype(series.dtype)
            or pd.api.types.is_string_dtype(series.dtype)):  # fmt: skip
        return True
    values = series[present]
    for v in values.iloc[:64].tolist():  # the usual case: the first values are text
        if not isinstance(v, str) or v.strip():
            return True
    return bool(values.map(lambda v: not isinstance(v, str) or bool(v.strip())).any())


def printed_first(keys: Sequence[str]) -> list[str]:
    """``keys`` with the printed ones (IDENTITY_KEYS' first, then PRINT_KEYS) in front."""
    keys = list(keys)
    identity = [k for k in IDENTITY_KEYS if k in keys][:1]
    front = identity + [k for k in PRINT_KEYS if k in keys]
    return front + [k for k in keys if k not in front]


def printed_count(columns: list[xs.Column]) -> int:
    """How many leading ``columns`` print: those that are print keys, within PRINT_UNITS
    (text columns among them capped at PRINT_TEXT_WIDTH)."""
    wanted = {*IDENTITY_KEYS, *PRINT_KEYS}
    count = 0
    for col in columns:
        if col.key not in wanted:
            break
        if col.kind in (xs.TEXT, xs.CODE):
            col.width = min(col.width, PRINT_TEXT_WIDTH)
        count += 1
    while count > 1 and sum(c.width for c in columns[:count]) > PRINT_UNITS:
        count -= 1
    return count or len(columns)


def add_detail_sheet(
    wb: Workbook,
    name: str,
    frame: pd.DataFrame,
    columns: list[xs.Column],
    title: str,
    *,
    unmask: bool | None = None,
) -> xs.StreamedSheet:
    """A streamed sheet of ``frame`` (``columns`` with the printed ones first, see
    ``printed_first``): phones masked unless ``unmask`` (None: as the settings say), the
    printed columns as the print area, the program's print setup."""
    frame = mask_frame(frame, unmask_of(unmask))
    shown = printed_count(columns)
    sheet = xs.add_streamed_sheet(wb, name, frame, columns, header_style)
    ws = sheet.ws
    if shown < len(columns):
        ws.print_area = f"A1:{xs.col_letter(shown)}{len(frame) + 1}"
        note = ws.oddHeader.left
        note.text = f"打印主要的 {shown} 列；全部 {len(columns)} 列请在 Excel 中查看"
        note.size, note.font = FOOTER_SIZE, FOOTER_FONT
    setup_print(ws, title, gridlines=True)  # a light grid keeps the columns apart on paper
    return sheet


def sample(frame: pd.DataFrame, key: str, kind: str) -> list[Any]:
    """The values ``xlsx_stream.guess_width`` looks at for a column (text only)."""
    return frame[key].iloc[:400].tolist() if kind in (xs.TEXT, xs.CODE) else []


__all__ = [
    "PRINT_KEYS",
    "add_detail_sheet",
    "has_values",
    "printed_count",
    "printed_first",
    "sample",
]
