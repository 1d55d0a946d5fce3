"""The report's 走访结果 sheet: the campaign's funnel per band and per visitor (counts,
rates, monthly revenue change, follow-ups), then what worked — the funnel per recommended
package and per day, which packages were signed (the recommended one, the 备选 or
another), progress against the targets, the objections, suggestions and competitor notes
with a few of the customers' own words, new customers and 过客 → 看客 → 顾客 — and the
funnel chart. The same figures as ``results --json`` (core.campaign.results)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from core.campaign.results import COMPETITOR, STAGES, SUGGESTION, TOOK, TOTAL, Funnel, Results
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
# a day's row: the work of that day (no "planned")
DAY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("visited", "走访客户", "0"), ("met", "见到决策人", "0"), ("interested", "有意向", "0"),
    ("signed", "已成交", "0"), ("sign_rate", "成交率(占已走访)", "0.0%"),
    ("revenue_change", "月收入变化(元)", style.MONEY),
)  # fmt: skip
WIDTHS = (16, 10, 9, 11, 9, 9, 9, 15, 10, 15, 9, 12, 11)
DAYS_SHOWN = 62  # days listed (a two-month sweep); the rest are in results --json


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


def _rows_table(ws: Worksheet, row: int, label: str, rows: Sequence[tuple[str, Funnel]],
                columns: Sequence[tuple[str, str, str]]) -> int:  # fmt: skip
    """A funnel table of ``rows`` from ``row`` (合计 in bold); the next free row."""
    put(ws, row, 1, label)
    for j, (_key, header, _fmt) in enumerate(columns, start=2):
        put(ws, row, j, header)
    _style_header(ws, row, len(columns) + 1)
    for name, funnel in rows:
        row += 1
        values = _values(funnel)
        put(ws, row, 1, name)
        for j, (key, _header, fmt) in enumerate(columns, start=2):
            put(ws, row, j, values[key], fmt)
        if name == TOTAL:
            style.total_row(ws, row, len(columns) + 1)
    return row + 2


def _title(ws: Worksheet, row: int, text: str) -> int:
    style.title(put(ws, row, 1, text), style.SUBTITLE_SIZE)
    return row + 1


def _pairs(ws: Worksheet, row: int, head: tuple[str, str], items: list[tuple[str, Any]],
           fmt: str = "0") -> int:  # fmt: skip
    """A two-column table (name, number); the next free row."""
    put(ws, row, 1, head[0])
    put(ws, row, 2, head[1])
    _style_header(ws, row, 2)
    for name, value in items:
        row += 1
        put(ws, row, 1, name)
        put(ws, row, 2, value, fmt)
    return row + 2


def _line(ws: Worksheet, row: int, text: str) -> int:
    """Text over the width of the tables (merged, wrapped); the next row."""
    cell = put(ws, row, 1, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
    style.wrap(cell)
    width = sum(WIDTHS)
    ws.row_dimensions[row].height = style.lines_needed(text, width) * style.line_height() + \
        2 * style.ROW_PADDING  # fmt: skip
    return row + 1


def _what_worked(ws: Worksheet, row: int, first: Results) -> int:
    """Packages signed, targets, objections, suggestions and quotes, new customers."""
    total = first.total
    if "plan" not in first.dims:
        row = _title(ws, row, "按推荐套餐")
        row = _rows_table(ws, row, "推荐套餐", [*first.breakdown("plan"), (TOTAL, total)], COLUMNS)
    days = first.breakdown("day")
    if days and "day" not in first.dims:
        row = _title(ws, row, "按日期（当天的走访）")
        shown = days[-DAYS_SHOWN:]
        row = _rows_table(ws, row, "日期", shown, DAY_COLUMNS)
    row = _title(ws, row, "签约的套餐")
    took = [(label, getattr(total, key)) for key, label in TOOK.items()]
    packages = sorted(total.signed_packages.items(), key=lambda kv: (-kv[1], kv[0]))
    row = _pairs(ws, row, ("已成交客户", "客户数"), [*took, *packages])
    progress = first.target_progress()
    targets = [(name, p) for name, p in (("全队签约", progress["signed"]),
                                         ("全队走访", progress["visited"]),
                                         *progress["staff"].items()) if p]  # fmt: skip
    if targets:
        row = _title(ws, row, "目标进度")
        for j, header in enumerate(("目标", "目标(户)", "已完成", "完成率", "还差"), start=1):
            put(ws, row, j, header)
        _style_header(ws, row, 5)
        for name, p in targets:
            row += 1
            for j, (value, fmt) in enumerate(((name, None), (p["target"], "0"), (p["done"], "0"),
                                              (p["rate"], "0.0%"), (p["left"], "0")), start=1):  # fmt: skip
                put(ws, row, j, value, fmt)
        row += 2
    row = _pairs(ws, row, ("客户顾虑", "提到的客户数"),
                 [(item, total.objections.get(item, 0)) for item in OBJECTIONS])  # fmt: skip
    row = _title(ws, row, f"客户建议 {total.suggestions} 位、竞争对手信息 {total.competitor_notes} 位"
                          "（每组最近的几条原话）")  # fmt: skip
    groups = first.rows()[:-1] if len(first.groups) > 1 else []
    for name, funnel in [*groups, (TOTAL, total)]:
        for kind in (SUGGESTION, COMPETITOR):
            for q in funnel.quotes.get(kind, []):
                where = "" if name == TOTAL else f"{name}｜"
                row = _line(ws, row, f"{where}{kind}：“{q.text}”——{q.name}（{q.visitor} "
                                     f"{q.date:%Y-%m-%d}）")  # fmt: skip
    row += 1
    pb = total.playbook()
    row = _pairs(ws, row, ("过客 → 看客 → 顾客", "客户数"), [
        ("过客（已走访）", pb["过客"]), ("看客（已成交、有意向、考虑中）", pb["看客"]),
        ("顾客（已成交）", pb["顾客"]), ("新增客户：本轮加入的潜在客户、现场新增", total.added),
        ("新增客户：已走访", total.added_visited), ("新增客户：已签约（新入网）", total.added_signed),
    ])  # fmt: skip
    return row


def visit_results_sheet(
    wb: Workbook, results: Sequence[Results], title: str, chart_png: bytes | None = None
) -> Worksheet:
    """Write 走访结果: a title, one funnel table per Results (by band first), what worked
    (see the module docstring) for the first of them, the notes, then the funnel chart."""
    ws = wb.create_sheet(SHEET)
    for j, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = width
    first = results[0]
    style.title(put(ws, 1, 1, f"走访结果 — {title}（统计日期 {first.today:%Y-%m-%d}）"), 14)
    row = 3
    for res in results:
        row = _rows_table(ws, row, res.by_label, res.rows(), COLUMNS)
    row = _what_worked(ws, row, first)
    total = first.total
    notes = [
        "计划走访：活动中的客户；已走访：至少走访一次；见到决策人：任何一次走访见到；"
        "有意向 / 已成交：按最近一次走访的意向。按走访人：客户分给谁就算谁的，没有分配的按最近一次走访人。",
        "月收入变化：已成交客户的签约月费 − 原月均消费，按月合计（新增客户按签约月费全额计）。"
        "个人签约目标按签约那次走访的走访人计。",
        *first.notes,
    ]
    if total.signed_without_fee:
        notes.append(
            f"{total.signed_without_fee} 位已成交客户缺少签约月费或原月均消费，未计入月收入变化。"
        )
    for note in notes:
        row = _line(ws, row, note)
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
