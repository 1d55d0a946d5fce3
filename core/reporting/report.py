"""The Excel report a branch manager opens and forwards.

Sheets: 汇总 (totals, band scheme, what the recommendations are worth — monthly revenue
change, customers up/same/down per band, the 维系 cost — and the pyramid picture), 分档统计 (band table, total row and a
native Excel bar chart), 客户明细 (every customer with band, tags, offer and sums; streamed),
交叉分析 (if a second dimension was chosen), 导入问题 (every import problem with its row;
always written — with no problems it says so in one line, plus the skipped non-customer rows).
Visits add 走访结果 later (``visits=`` is accepted and written as a table).

Text is never written as a formula; 证件号码 is never written; phone numbers are masked unless
asked (``unmask``). Every sheet reads on A4 (core.reporting.print_setup): 客户明细 prints its
key columns (core.reporting.detail_sheet), 汇总 fits one portrait page with the pyramid
under its tables. The look comes from core.reporting.workbook_style.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from core.base.fields import BY_KEY, SECRET, label
from core.base.files import check_writable
from core.base.money import plausible_spend
from core.reporting import workbook_style as style
from core.reporting import xlsx_stream as xs
from core.reporting.detail_sheet import add_detail_sheet, has_values, printed_first, sample
from core.reporting.print_setup import setup_print
from core.reporting.xlsx_stream import put

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from core.base.progress import Progress
    from core.campaign.results import Results
    from core.marketing.bands import BandScheme

SHEET_SUMMARY = "汇总"
SHEET_BANDS = "分档统计"
SHEET_DETAIL = "客户明细"
SHEET_CROSSTAB = "交叉分析"
SHEET_PROBLEMS = "导入问题"
SHEET_VISITS = "走访结果"
DEFAULT_TITLE = "客户价值分析"
NO_PROBLEMS_TEXT = "没有发现导入问题：每一行都已作为客户导入。"
# Rows of the source that are not customer data (ImportResult.skipped), by kind.
SKIPPED_NAMES = {
    "title": "标题行",
    "blank": "空行",
    "totals": "合计行",
    "note": "备注行",
    "header_repeat": "重复的表头行",
}

# Column order of 客户明细; other columns follow in their own order.
DETAIL_ORDER = [
    "source_row", "key", "customer_id", "name", "phone", "band", "tags", "strategy", "spend",
    "package", "offer_kind", "offer_package", "offer_fee", "offer_addon", "addon_fee",
    "expected_bill", "diff_month", "diff_year", "offer_data_gb",
    "data_gain_gb", "offer_voice_min", "voice_gain_min", "offer_broadband_mbps",
    "offer_contract_months", "offer_pitch", "offer_reason", "alt_package", "data_gb",
    "voice_min", "tenure_months", "join_date", "contract_end", "broadband", "industry",
    "market", "grid", "address", "manager", "spend_issue",
]  # fmt: skip
# Internal columns (the tags column already says it in words).
DETAIL_SKIP = {
    "id_number", "usage_known", "tag_seed", "tag_spreader", "tag_expiring", "tag_overpaying",
    "services_kept", "contract_locked", "top_band", "renewal",
}  # fmt: skip
SECRET_WORDS = ("证件", "身份证")
KINDS = {
    "source_row": xs.INTEGER, "customer_id": xs.CODE, "phone": xs.CODE, "spend": xs.MONEY,
    "offer_fee": xs.MONEY, "diff_month": xs.MONEY, "diff_year": xs.MONEY,
    "expected_bill": xs.MONEY, "addon_fee": xs.MONEY, "cur_fee": xs.MONEY,
    "outside_charges": xs.MONEY, "expected_overage": xs.MONEY,
    "data_gb": xs.DECIMAL, "offer_data_gb": xs.DECIMAL, "data_gain_gb": xs.DECIMAL,
    "voice_min": xs.INTEGER, "offer_voice_min": xs.INTEGER, "voice_gain_min": xs.INTEGER,
    "tenure_months": xs.INTEGER, "offer_broadband_mbps": xs.INTEGER,
    "offer_contract_months": xs.INTEGER, "join_date": xs.DATE, "contract_end": xs.DATE,
    "key": xs.CODE, "visits": xs.INTEGER, "last_visit": xs.DATE, "next_follow_up": xs.DATE,
}  # fmt: skip
EXTRA_LABELS = {"spend_issue": "消费数据问题", "band": "档位", "tags": "客户标签",
                "key": "活动客户编号", "visits": "走访次数", "last_visit": "最近走访",
                "last_visitor": "最近走访人", "last_intent": "最近意向",
                "next_follow_up": "下次跟进"}  # fmt: skip


def column_label(key: str) -> str:
    """Chinese header of a customer/offer column; unknown columns keep their own name."""
    from core.marketing.offers import OFFER_LABELS

    return OFFER_LABELS.get(key) or EXTRA_LABELS.get(key) or label(key)


def _is_secret(key: str) -> bool:
    if key in DETAIL_SKIP:
        return True
    f = BY_KEY.get(key)
    if f is not None and f.kind == SECRET:
        return True
    return any(w in str(key) for w in SECRET_WORDS)


def detail_columns(frame: pd.DataFrame) -> list[xs.Column]:
    """The 客户明细 columns for ``frame``: the printed key columns first, then the known
    keys (Chinese headers and formats), then the list's own; none without a value."""
    keys = [k for k in DETAIL_ORDER if k in frame.columns]
    keys += [k for k in frame.columns if k not in keys]
    keys = [k for k in keys if not _is_secret(str(k)) and has_values(frame[k])]
    out = []
    for key in printed_first(keys):
        series = frame[key]
        kind = KINDS.get(str(key))
        if kind is None:
            if pd.api.types.is_bool_dtype(series.dtype):
                kind = xs.TEXT
            elif pd.api.types.is_numeric_dtype(series.dtype):
                kind = xs.NUMBER
            elif pd.api.types.is_datetime64_any_dtype(series.dtype):
                kind = xs.DATE
            else:
                kind = xs.TEXT
        header = column_label(str(key))
        width = xs.guess_width(header, sample(frame, key, kind), kind)
        out.append(xs.Column(str(key), header, kind, width))
    return out


# --------------------------------------------------------------------------- cells
def _table_header(ws: Worksheet, row: int, headers: Iterable[str]) -> None:
    headers = list(headers)
    for j, h in enumerate(headers, start=1):
        put(ws, row, j, h)
    style.style_header_row(ws, row, len(headers))


def _label(ws: Worksheet, row: int, text: str) -> Any:
    """A bold label in column A (汇总's left column)."""
    cell = put(ws, row, 1, text)
    cell.font = style.font(bold=True)
    return cell


def _value(ws: Worksheet, row: int, value: Any, fmt: str | None = None) -> Any:
    """汇总's value in column B, left-aligned; long text wraps over B:C, its row made tall
    enough (nothing runs past the page)."""
    from openpyxl.styles import Alignment

    cell = put(ws, row, 2, value, fmt)
    room = style.column_width(ws, 2) + style.column_width(ws, 3)
    if isinstance(cell.value, str) and style.text_width(cell.value) > style.column_width(ws, 2):
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        lines = style.lines_needed(cell.value, room)
        vertical = "top" if lines > 1 else "bottom"  # in line with its label
        cell.alignment = Alignment(horizontal="left", vertical=vertical, wrap_text=True)
        ws.cell(row=row, column=1).alignment = Alignment(vertical=vertical)
        style.fit_row(ws, row, [2], width=room)
    else:
        cell.alignment = Alignment(horizontal="left")
    return cell


# --------------------------------------------------------------------------- numbers
def _valid_spend(customers: pd.DataFrame) -> np.ndarray:
    if "spend" not in customers.columns:
        return np.array([], dtype="float64")
    arr = pd.to_numeric(customers["spend"], errors="coerce").to_numpy("float64", na_value=np.nan)
    return arr[plausible_spend(arr)]


def totals(customers: pd.DataFrame) -> dict[str, float]:
    """Customers, customers with a usable spend, revenue and ARPU (yuan, 2 decimals)."""
    from core.base.money import round2

    spend = _valid_spend(customers)
    revenue = float(spend.sum()) if spend.size else 0.0
    return {
        "customers": len(customers),
        "with_spend": int(spend.size),
        "revenue": round2(revenue),
        "arpu": round2(revenue / spend.size) if spend.size else float("nan"),
    }


# --------------------------------------------------------------------------- sheets
def _summary_sheet(
    wb: Workbook,
    customers: pd.DataFrame,
    summary: pd.DataFrame,
    scheme: BandScheme | None,
    title: str,
    source: str | None,
    date: dt.date,
    pyramid_png: bytes | None,
) -> Worksheet:
    ws = wb.create_sheet(SHEET_SUMMARY)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 28
    style.title(put(ws, 1, 1, f"价值金字塔营销报表 — {title}"), span=3)
    t = totals(customers)
    banded = int(summary["customers"].sum()) if len(summary) else 0
    rows: list[tuple[str, Any, str | None]] = [
        ("清单/活动名称", title, None),
        ("来源文件", source, None),
        ("生成日期", date, style.DATE),
        ("客户总数", t["customers"], style.INTEGER),
        ("有月均消费的客户", t["with_spend"], style.INTEGER),
        ("已分档客户", banded, style.INTEGER),
        ("月收入合计(元)", t["revenue"], style.MONEY),
        ("ARPU(元/户/月)", t["arpu"], style.MONEY),
    ]
    try:
        from core.marketing.segment import pareto_point

        if t["with_spend"]:
            x, y = pareto_point(customers["spend"], 0.8)
            rows.append(("收入集中度", f"前 {x:.1%} 的客户贡献 {y:.1%} 的收入", None))
    except (ImportError, KeyError):  # pragma: no cover
        pass
    if scheme is not None:
        rows.append(("分档方案", getattr(scheme, "name", ""), None))
        if getattr(scheme, "note", ""):
            rows.append(("方案说明", scheme.note, None))
    r = 3
    for name, value, fmt in rows:
        if value is None or value == "":
            continue
        _label(ws, r, name)
        _value(ws, r, value, fmt)
        r += 1
    bands = list(getattr(scheme, "bands", []) or [])
    if bands:
        r += 1
        _table_header(ws, r, ["档位", "消费区间", "营销策略"])
        for b in bands:
            r += 1
            put(ws, r, 1, b.label)
            put(ws, r, 2, getattr(b, "range_text", ""))
            put(ws, r, 3, getattr(b, "strategy", ""))
            style.wrap_row(ws, r, 3)
    r = _plan_rows(ws, r + 2, customers, [b.label for b in bands] or None)
    if pyramid_png:  # under the tables, as wide as they are: one portrait page
        from openpyxl.drawing.image import Image

        img = Image(io.BytesIO(pyramid_png))
        scale = PYRAMID_PIXELS / img.width
        img.width, img.height = PYRAMID_PIXELS, int(img.height * scale)
        ws.add_image(img, f"A{r + 2}")
    return ws


PYRAMID_PIXELS = 700  # 525 pt: the width of 汇总's three columns on paper
SIGNED_MONEY = style.SIGNED_MONEY


def _plan_rows(ws: Worksheet, r: int, customers: pd.DataFrame, bands: list[str] | None) -> int:
    """What the recommendations are worth (core.marketing.plan), when the customers carry
    offers: the monthly and yearly revenue change, up/same/down, the 维系 cost, per band."""
    from core.marketing.plan import plan_summary

    if "diff_month" not in customers.columns or "band" not in customers.columns:
        return r
    plan = plan_summary(customers, bands)
    if not plan.customers:
        return r
    style.title(put(ws, r, 1, "推荐方案的收入影响"), style.SUBTITLE_SIZE)
    rows: list[tuple[str, Any, str | None]] = [
        ("有推荐的客户", plan.customers, style.INTEGER),
        ("现在月收入(元)", plan.revenue_now_month, style.MONEY),
        ("全部按推荐办理后(元)", plan.revenue_after_month, style.MONEY),
        ("月收入变化(元)", plan.revenue_change_month, SIGNED_MONEY),
        ("年收入变化(元)", plan.revenue_change_year, SIGNED_MONEY),
        ("费用增加/不变/减少(户)", f"{plan.up} / {plan.same} / {plan.down}", None),
    ]
    if plan.retention:
        rows.append(("维系降档", f"{plan.retention_customers} 户，每月少收 "
                     f"{plan.retention_cost_month:,.2f} 元（一年 "
                     f"{plan.retention_cost_month * 12:,.2f} 元）", None))  # fmt: skip
    for name, value, fmt in rows:
        r += 1
        _label(ws, r, name)
        _value(ws, r, value, fmt)
    r += 2
    _table_header(ws, r, ["档位", "增加/不变/减少(户)", "月收入变化(元)"])
    for b in plan.by_band:
        r += 1
        put(ws, r, 1, b.band)
        put(ws, r, 2, f"{b.up} / {b.same} / {b.down}")
        put(ws, r, 3, b.revenue_change_month, SIGNED_MONEY)
    return r


def _range_text(low: Any, high: Any) -> str:
    from core.reporting.charts import range_text

    try:
        return range_text(float(low), float(high))
    except (TypeError, ValueError):
        return ""


def _bands_sheet(
    wb: Workbook, customers: pd.DataFrame, summary: pd.DataFrame, scheme: Any
) -> Worksheet:
    from openpyxl.chart import BarChart, Reference

    ws = wb.create_sheet(SHEET_BANDS)
    strategies = {}
    for b in getattr(scheme, "bands", []) or []:
        strategies[b.label] = getattr(b, "strategy", "")
    headers = ["档位", "消费区间", "下限(元)", "上限(元)", "客户数", "客户占比", "月收入(元)",
               "收入占比", "平均消费(元)", "消费中位数(元)", "营销策略"]  # fmt: skip
    widths = [14, 14, 10, 10, 10, 10, 14, 10, 13, 15, 28]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[xs.col_letter(j)].width = w
    _table_header(ws, 1, headers)
    ws.freeze_panes = "A2"
    n = len(summary)
    for i, row in enumerate(summary.itertuples(index=False), start=2):
        rec = row._asdict()
        high = rec.get("high")
        high_val = None if high is None or not math.isfinite(float(high)) else float(high)
        put(ws, i, 1, rec["label"])
        put(ws, i, 2, _range_text(rec.get("low"), high))
        put(ws, i, 3, rec.get("low"), style.MONEY)
        put(ws, i, 4, high_val, style.MONEY)
        put(ws, i, 5, int(rec["customers"]), style.INTEGER)
        put(ws, i, 6, float(rec["share"]), style.PERCENT)
        put(ws, i, 7, rec.get("revenue"), style.MONEY)
        put(ws, i, 8, float(rec["revenue_share"]), style.PERCENT)
        put(ws, i, 9, rec.get("mean_spend"), style.MONEY)
        put(ws, i, 10, rec.get("median_spend"), style.MONEY)
        put(ws, i, 11, strategies.get(rec["label"], ""))
        style.wrap_row(ws, i, len(headers))
    # total row
    from core.base.money import round2

    total_row = n + 2
    count = int(summary["customers"].sum()) if n else 0
    revenue = round2(float(summary["revenue"].sum())) if n and "revenue" in summary else 0.0
    banded = _banded_spend(customers, scheme)
    put(ws, total_row, 1, "合计")
    put(ws, total_row, 5, count, style.INTEGER)
    put(ws, total_row, 6, 1.0 if count else 0.0, style.PERCENT)
    put(ws, total_row, 7, revenue, style.MONEY)
    put(ws, total_row, 8, 1.0 if revenue else 0.0, style.PERCENT)
    put(ws, total_row, 9, round2(revenue / count) if count else None, style.MONEY)
    put(ws, total_row, 10, round2(float(np.median(banded))) if banded.size else None,
        style.MONEY)  # fmt: skip
    style.total_row(ws, total_row, len(headers))

    if n:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = "各档客户占比与收入占比"
        chart.y_axis.title = "占比"
        chart.y_axis.numFmt = "0%"
        chart.x_axis.title = "档位"
        chart.x_axis.delete = False  # openpyxl ≥3.1 hides axes unless told
        chart.y_axis.delete = False
        for col in (6, 8):
            chart.add_data(
                Reference(ws, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True
            )
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
        chart.width, chart.height = 18, 9
        style.chart_text(chart)
        ws.add_chart(chart, f"A{total_row + 3}")
    return ws


def _banded_spend(customers: pd.DataFrame, scheme: Any) -> np.ndarray:
    spend = _valid_spend(customers)
    bounds = getattr(scheme, "boundaries", None)
    if bounds:
        spend = spend[(spend >= bounds[0]) & (spend < bounds[-1])]
    return spend


def _frame_sheet(wb: Workbook, name: str, table: pd.DataFrame, index_label: str = "") -> Worksheet:
    """A small table (cross-tab, visits) with its index as the first column."""
    ws = wb.create_sheet(name)
    t = table
    idx_name = index_label or column_label(str(t.index.name or ""))
    headers = [idx_name or "项目", *(str(c) for c in t.columns)]
    _table_header(ws, 1, headers)
    for j, h in enumerate(headers, start=1):
        ws.column_dimensions[xs.col_letter(j)].width = max(10.0, xs.text_width(h) + 3)
    ws.column_dimensions["A"].width = max(
        14.0, min(40.0, max((xs.text_width(str(i)) + 2 for i in t.index), default=10))
    )
    for i, (idx, values) in enumerate(
        zip(t.index, t.itertuples(index=False), strict=True), start=2
    ):
        put(ws, i, 1, idx)
        for j, v in enumerate(values, start=2):
            fmt = style.INTEGER if isinstance(v, (int, np.integer)) else None
            put(ws, i, j, v, fmt)
        if str(idx) == "合计":
            style.total_row(ws, i, len(headers))
    ws.freeze_panes = "B2"
    return ws


def problems_frame(problems: Any) -> pd.DataFrame:
    """Import problems as a DataFrame (row, field_label, kind, message) from any form."""
    if problems is None:
        return pd.DataFrame(columns=["row", "field_label", "kind", "message"])
    if hasattr(problems, "problem_frame"):
        problems = problems.problem_frame()
    if not isinstance(problems, pd.DataFrame):
        problems = pd.DataFrame(
            [
                {k: getattr(p, k, None) for k in ("row", "field", "code", "message")}
                if not isinstance(p, dict)
                else p
                for p in problems
            ],
            columns=["row", "field", "code", "message"],
        )
    frame = problems.copy()
    if "field_label" not in frame.columns:
        fields = frame["field"] if "field" in frame.columns else pd.Series("", index=frame.index)
        frame["field_label"] = fields.map(lambda k: label(str(k)) if k else "")
    from core.importing.problems import PROBLEM_NAMES

    codes = frame["code"] if "code" in frame.columns else pd.Series("", index=frame.index)
    frame["kind"] = codes.map(lambda c: PROBLEM_NAMES.get(c, c))
    return frame[["row", "field_label", "kind", "message"]]


def _problem_names(codes: pd.Series) -> pd.Series:
    """Problem codes (missing_spend …) as their Chinese names; empty cells stay empty."""
    from core.importing.problems import PROBLEM_NAMES
    from core.marketing.segment import UNBANDED_REASONS

    names = {**UNBANDED_REASONS, **PROBLEM_NAMES}
    return codes.astype("object").map(lambda c: names.get(c, c) if isinstance(c, str) else c)


def skipped_text(skipped: Any) -> str:
    """'已跳过的非客户行（…）：标题行 1 行，合计行 1 行。' from ImportResult.skipped, or ''."""
    if not isinstance(skipped, dict):
        return ""
    parts = []
    for kind, rows in skipped.items():
        n = rows if isinstance(rows, int) else len(rows or ())
        if n:
            parts.append(f"{SKIPPED_NAMES.get(kind, kind)} {n} 行")
    return "已跳过的非客户行（不算客户，也不是问题）：" + "，".join(parts) + "。" if parts else ""


NOTE_WIDTH = 70  # 导入问题's one column when there is none: inside portrait A4 at 100 %


def _no_problems_sheet(wb: Workbook, skipped: Any) -> Worksheet:
    """The 导入问题 sheet when there is none: one line saying so (and the skipped rows)."""
    ws = wb.create_sheet(SHEET_PROBLEMS)
    ws.column_dimensions["A"].width = NOTE_WIDTH
    cell = style.wrap(put(ws, 1, 1, NO_PROBLEMS_TEXT))
    cell.font = style.font(bold=True, color=style.TITLE_COLOR)
    style.fit_row(ws, 1, [1], bold=True)
    extra = skipped_text(skipped)
    if extra:
        style.wrap(put(ws, 2, 1, extra))
        style.fit_row(ws, 2, [1])
    return ws


PROBLEM_COLUMNS = [
    xs.Column("row", "Excel行号", xs.INTEGER, 10),
    xs.Column("field_label", "字段", xs.TEXT, 16),
    xs.Column("kind", "问题", xs.TEXT, 18),
    xs.Column("message", "原因和处理办法", xs.TEXT, 70),
]


# --------------------------------------------------------------------------- main
def write_report(
    path: str | Path,
    customers: pd.DataFrame,
    summary: pd.DataFrame,
    scheme: BandScheme | None = None,
    problems: Any = None,
    crosstab: pd.DataFrame | None = None,
    title: str = DEFAULT_TITLE,
    force: bool = False,
    progress: Progress | None = None,
    *,
    by: str | None = None,
    source: str | None = None,
    date: dt.date | None = None,
    visits: pd.DataFrame | None = None,
    picture: bool = True,
    visit_results: Sequence[Results] = (),
    unmask: bool | None = None,
) -> Path:
    """Write the report workbook to ``path`` (atomically; refuses to overwrite unless force).

    ``customers`` is the customer list or ``core.marketing.offers.make_offers`` output; every column
    is written (known ones with Chinese headers and formats, 证件号码 never). ``summary`` is
    ``core.marketing.segment.band_summary``. ``problems`` is an ImportResult, its ``problem_frame()``
    or a list of problems. ``crosstab`` is ``core.marketing.segment.crosstab(…, by=by)``.
    ``visit_results`` (a campaign's ``Results`` by band, then any others, e.g. by visitor)
    adds the 走访结果 sheet with the funnel chart. Phone numbers are masked (138****5678)
    unless ``unmask``; None: as the settings say (core.base.settings ``mask_phone``).
    ``progress.check()`` is called every few thousand rows (cancel leaves no file).
    """
    path = Path(path)
    check_writable(path, force=force)  # a bad name or an existing file: before the work
    title = (title or DEFAULT_TITLE).strip() or DEFAULT_TITLE
    date = date or dt.date.today()
    if scheme is not None and "band" not in customers.columns and "spend" in customers.columns:
        from core.marketing.segment import assign_bands

        customers = customers.assign(band=assign_bands(customers["spend"], scheme))
    if "spend_issue" in customers.columns:
        customers = customers.assign(spend_issue=_problem_names(customers["spend_issue"]))
    probs = problems_frame(problems)
    total = len(customers) + len(probs)
    if progress is not None:
        progress.start(total, "正在生成报表…")
        progress.check()

    png = None
    if picture and len(summary) and summary["customers"].sum() > 0:
        from core.reporting.charts import figure_png, pyramid_chart

        png = figure_png(pyramid_chart(summary, subtitle=title), dpi=110)

    wb = style.new_workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, customers, summary, scheme, title, source, date, png)
    _bands_sheet(wb, customers, summary, scheme)
    streamed = [add_detail_sheet(wb, SHEET_DETAIL, customers, detail_columns(customers), title,
                                 unmask=unmask)]  # fmt: skip
    if crosstab is not None and len(crosstab):
        _frame_sheet(wb, SHEET_CROSSTAB, crosstab, column_label(by) if by else "")
    if len(probs):
        streamed.append(
            xs.add_streamed_sheet(wb, SHEET_PROBLEMS, probs, PROBLEM_COLUMNS, style.header_style)
        )
    else:
        _no_problems_sheet(wb, getattr(problems, "skipped", None))
    if visits is not None and len(visits):
        _frame_sheet(wb, SHEET_VISITS, visits)
    elif visit_results:
        from core.reporting.visit_results import funnel_png, visit_results_sheet

        chart = funnel_png(visit_results[0], title) if picture else None
        visit_results_sheet(wb, visit_results, title, chart)
    for ws in wb.worksheets:  # A4, one page wide, header on every page, page x of y
        if ws.title == SHEET_DETAIL:  # 客户明细 has its own (its print area)
            continue
        # 汇总 on one page; the sheets with a chart on one page where that stays readable,
        # else the chart starts a page of its own
        pictures = bool(ws._images or ws._charts) and ws.title != SHEET_SUMMARY
        setup_print(ws, title, one_page=None if pictures else ws.title == SHEET_SUMMARY)

    def tick(n: int) -> None:
        if progress is not None:
            progress.advance(n)
            progress.check()

    return xs.save_atomic(wb, path, streamed, tick, force=force)


__all__ = [
    "NO_PROBLEMS_TEXT",
    "SHEET_BANDS",
    "SHEET_CROSSTAB",
    "SHEET_DETAIL",
    "SHEET_PROBLEMS",
    "SHEET_SUMMARY",
    "column_label",
    "detail_columns",
    "problems_frame",
    "skipped_text",
    "totals",
    "write_report",
]
