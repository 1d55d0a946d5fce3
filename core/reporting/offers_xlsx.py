"""The offers as an Excel workbook (``offers --out``, the 主推套餐 page's 导出 Excel)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.base.files import check_writable
from core.marketing.offers import EXPORT_COLUMNS, column_label
from core.reporting import xlsx_stream as xs
from core.reporting.detail_sheet import add_detail_sheet, has_values, printed_first, sample
from core.reporting.workbook_style import new_workbook

SHEET = "推荐套餐"
_EXPORT_KINDS = {
    "source_row": xs.INTEGER, "customer_id": xs.CODE, "phone": xs.CODE, "spend": xs.MONEY,
    "offer_fee": xs.MONEY, "diff_month": xs.MONEY, "diff_year": xs.MONEY,
    "data_gb": xs.DECIMAL, "expected_bill": xs.MONEY, "data_gain_gb": xs.DECIMAL,
    "voice_min": xs.INTEGER, "voice_gain_min": xs.INTEGER, "contract_end": xs.DATE,
}  # fmt: skip


def offers_columns(frame: pd.DataFrame) -> list[xs.Column]:
    """The columns of 推荐套餐: EXPORT_COLUMNS that have a value, the printed ones first."""
    keys = [c for c in EXPORT_COLUMNS if c in frame.columns and has_values(frame[c])]
    out = []
    for key in printed_first(keys):
        kind = _EXPORT_KINDS.get(key, xs.TEXT)
        header = column_label(key)
        out.append(xs.Column(key, header, kind, xs.guess_width(header, sample(frame, key, kind),
                                                                kind)))  # fmt: skip
    return out


def write_offers_xlsx(
    offers: pd.DataFrame,
    path: str | Path,
    force: bool = False,
    title: str = "",
    *,
    unmask: bool | None = None,
) -> Path:
    """Write the offers to .xlsx: Chinese headers, phone as text and masked (138****5678)
    unless ``unmask`` (None: as the settings say), money #,##0.00, no formulas, no column
    without a value.

    It prints on A4, one page wide, the key columns only (客户、号码、档位、消费、推荐、差额、
    标签 …, core.reporting.detail_sheet), header on every page, ``title`` (the list's name;
    the file's name by default) and 第 x 页 / 共 y 页 in the footer.

    Uses the report's streaming writer (200,000 rows in seconds): every text cell is an
    inline string (never a formula, whatever it starts with); the file appears only when
    complete, and an existing file is kept unless ``force``.
    """
    path = Path(path)
    check_writable(path, force=force)
    cols = [c for c in EXPORT_COLUMNS if c in offers.columns]
    frame = offers[cols].copy()
    if "band" in frame.columns:
        frame["band"] = frame["band"].astype("object")
    wb = new_workbook()
    wb.remove(wb.active)
    sheet = add_detail_sheet(wb, SHEET, frame, offers_columns(frame), title or path.stem,
                             unmask=unmask)  # fmt: skip
    return xs.save_atomic(wb, path, [sheet], force=force)
