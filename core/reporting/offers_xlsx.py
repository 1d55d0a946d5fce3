"""The offers as an Excel workbook (``offers --out``, the 主推套餐 page's 导出 Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from core.base.files import check_writable
from core.marketing.offers import EXPORT_COLUMNS, column_label
from core.reporting import xlsx_stream as xs
from core.reporting.print_setup import setup_print

_EXPORT_KINDS = {
    "source_row": "integer", "customer_id": "code", "phone": "code", "spend": "money",
    "offer_fee": "money", "diff_month": "money", "diff_year": "money", "data_gb": "decimal",
    "expected_bill": "money",
    "data_gain_gb": "decimal", "voice_min": "integer", "voice_gain_min": "integer",
    "contract_end": "date",
}  # fmt: skip
_EXPORT_WIDTHS = {"name": 28, "offer_reason": 50, "offer_pitch": 40, "offer_package": 26,
                  "phone": 14, "tags": 22, "strategy": 18, "alt_package": 26,
                  "tag_reason": 30, "offer_addon": 16}  # fmt: skip


def write_offers_xlsx(
    offers: pd.DataFrame, path: str | Path, force: bool = False, title: str = ""
) -> Path:
    """Write the offers to .xlsx: Chinese headers, phone as text, money 0.00, no formulas.

    It prints on A4, one page wide, header on every page, ``title`` (the list's name; the
    file's name by default) and 第 x 页 / 共 y 页 in the footer.

    Uses the report's streaming writer (200,000 rows in seconds): every text cell is an
    inline string (never a formula, whatever it starts with); the file appears only when
    complete, and an existing file is kept unless ``force``.
    """
    import openpyxl
    from openpyxl.styles import Font

    path = Path(path)
    check_writable(path, force=force)
    cols = [c for c in EXPORT_COLUMNS if c in offers.columns]
    frame = offers[cols].copy()
    if "band" in frame.columns:
        frame["band"] = frame["band"].astype("object")
    columns = [
        xs.Column(c, column_label(c), _EXPORT_KINDS.get(c, xs.TEXT), _EXPORT_WIDTHS.get(c, 12))
        for c in cols
    ]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)

    def bold(cell: Any) -> None:
        cell.font = Font(bold=True)

    sheet = xs.add_streamed_sheet(wb, "推荐套餐", frame, columns, bold)
    setup_print(sheet.ws, title or path.stem)
    return xs.save_atomic(wb, path, [sheet], force=force)
