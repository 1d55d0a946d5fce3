"""The report's 走访结果 sheet: the campaign's funnel per band and per visitor (counts,
rates, monthly revenue change, follow-ups), the objections, and the funnel chart."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from core.campaign.results import STAGES, TOTAL, Funnel, Results
from core.campaign.values import OBJECTIONS
from core.reporting import workbook_style as style
from core.reporting.xlsx_stream import put

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHEET = "走访结果"
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("planned", "计划走访", "0"), ("visited", "已走访", "0"), ("met", "见到决策人", "0"),
    ("interested", "有意向", "0"), ("signed", "已成交", "0"), ("visit_rate", "走访率", "0.0%"),
    ("sign_rate", "成交率(占已走访)", "0.0%"), ("conversion_rate", "总转化率", "0.0%"),
    ("revenue_change", "月收入变化(元)", style.MONEY), ("not_visited", "未走访", "0"),
    ("follow_ups_due", "7天内待跟进", "0"), ("follow_ups_overdue", "跟进已过期", "0"),
)  # fmt: skip
WIDTHS = (16, 10, 9, 11, 9, 9, 9, 15, 10, 15, 9, 12, 11)


def funnel_counts(results: Results) -> pd.DataFrame:
    """Groups × stages (计划走访 … 已成交), the table core.reporting.visit_funnel_chart draws."""
    import pandas as pd

    rows = [(g, [getattr(f, k) for k in STAGES]) for g, f in results.rows() if g != TOTAL]
    return pd.DataFrame([r for _, r in rows], index=[g for g, _ in rows],
                        columns=list(STAGES.values()))  # fmt: skip


def _values(funnel: Funnel) -> dict[str, Any]:
    return {**funnel.to_dict(), "revenue_change": funnel.revenue_change}


def _style_header(ws: Worksheet, row: int, ncols: int) -> None:
    style.style_header_row(ws, row, ncols)


def _table(ws: Worksheet, row: int, results: Results) -> int:
    """The funnel table of ``results`` from ``row``; the next free row."""
    put(ws, row, 1, results.by_label)
    for j, (_key, header, _fmt) in enumerate(COLUMNS, start=2):
        put(ws, row, j, header)
    _style_header(ws, row, len(COLUMNS) + 1)
    for name, funnel in results.rows():
        row += 1
        values = _values(funnel)
        put(ws, row, 1, name)
        for j, (key, _header, fmt) in enumerate(COLUMNS, start=2):
            put(ws, row, j, values[key], fmt)
        if name == TOTAL:
            style.total_row(ws, row, len(COLUMNS) + 1)
    return row + 2


def visit_results_sheet(
    wb: Workbook, results: Sequence[Results], title: str, chart_png: bytes | None = None
) -> Worksheet:
    """Write 走访结果: a title, one funnel table per Results (by band first), the
    objections and follow-ups of the total, then the funnel chart."""
    ws = wb.create_sheet(SHEET)
    for j, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = width
    first = results[0]
    style.title(put(ws, 1, 1, f"走访结果 — {title}（统计日期 {first.today:%Y-%m-%d}）"), 14)
    row = 3
    for res in results:
        row = _table(ws, row, res)
    total = first.total
    put(ws, row, 1, "客户顾虑")
    put(ws, row, 2, "提到的客户数")
    _style_header(ws, row, 2)
    for item in OBJECTIONS:
        row += 1
        put(ws, row, 1, item)
        put(ws, row, 2, total.objections.get(item, 0), "0")
    row += 2
    notes = [
        "计划走访：活动中的客户；已走访：至少走访一次；见到决策人：任何一次走访见到；"
        "有意向 / 已成交：按最近一次走访的意向。",
        "月收入变化：已成交客户的签约月费 − 原月均消费，按月合计。",
    ]
    if total.signed_without_fee:
        notes.append(
            f"{total.signed_without_fee} 位已成交客户缺少签约月费或原月均消费，未计入月收入变化。"
        )
    for note in notes:
        put(ws, row, 1, note)
        row += 1
    if chart_png:
        from openpyxl.drawing.image import Image

        img = Image(io.BytesIO(chart_png))
        scale = 640 / img.width
        img.width, img.height = 640, int(img.height * scale)
        ws.add_image(img, f"A{row + 1}")
    return ws


def funnel_png(results: Results, title: str) -> bytes | None:
    """The funnel chart of ``results`` (by band) as PNG bytes, or None without customers."""
    from core.reporting.charts import figure_png, visit_funnel_chart

    counts = funnel_counts(results)
    if counts.empty or not counts.to_numpy().sum():
        return None
    return figure_png(visit_funnel_chart(counts, title=f"走访漏斗 — {title}"), dpi=110)


__all__ = ["SHEET", "funnel_counts", "funnel_png", "visit_results_sheet"]
