"""Every sheet of every workbook reads on A4: its print settings, turned into the scale it
prints at (column widths and pictures against the page, fit to width and height), never
fall below 55 %; wide tables print their key columns; nothing is wider than its page."""

from __future__ import annotations

import openpyxl
import pytest

from core.reporting.detail_sheet import PRINT_UNITS
from core.reporting.print_setup import (
    MIN_SCALE,
    POINTS_PER_UNIT,
    estimated_scale,
    print_columns,
    printable,
    setup_print,
)
from tests.workbook_helpers import NAMES, loaded

SHEETS = {
    "report_sample": ["汇总", "分档统计", "客户明细", "交叉分析", "导入问题"],
    "report_telco": ["汇总", "分档统计", "客户明细", "导入问题"],
    "report_campaign": ["汇总", "分档统计", "客户明细", "导入问题", "走访结果"],
    "offers_sample": ["推荐套餐"],
    "offers_telco": ["推荐套餐"],
    "visits": ["走访记录", "填写说明"],
}


def _visible(wb) -> list:
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


@pytest.mark.parametrize("name", NAMES)
def test_every_sheet_reads_on_a4_at_55_percent_or_more(name):
    wb = loaded(name)
    assert [ws.title for ws in _visible(wb)] == SHEETS[name]
    for ws in _visible(wb):
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        scale = estimated_scale(ws)
        assert scale >= MIN_SCALE, f"{name}/{ws.title} 打印比例约 {scale:.0%}"
        if ws.page_setup.fitToHeight == 0:  # a long table: its header on every page
            assert ws.print_title_rows and ws.print_title_rows.startswith("$1:"), ws.title
        footer = ws.oddFooter.center.text
        assert "&P" in footer and "&N" in footer  # 第 x 页 / 共 y 页


def test_the_estimate_is_the_page_arithmetic():
    """200 width units (7.06 pt each) on landscape A4 inside 0.4-inch margins: 784 / 1412."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for j in range(1, 21):
        ws.cell(row=1, column=j, value="列")
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = 10
    setup_print(ws, "t")
    assert ws.page_setup.orientation == "landscape"
    page_w, _ = printable(ws)
    assert page_w == pytest.approx(841.9 - 57.6)
    assert estimated_scale(ws) == pytest.approx(page_w / (200 * POINTS_PER_UNIT))
    assert 0.55 < estimated_scale(ws) < 0.56  # just readable: what LibreOffice printed (56 %)
    ws.print_area = "A1:J1"  # half the columns: the page holds them at full size
    assert print_columns(ws) == (1, 10)
    assert estimated_scale(ws) == 1.0
    tall = wb.create_sheet("tall")
    for r in range(1, 101):
        tall.cell(row=r, column=1, value=r)
    setup_print(tall, "t", one_page=True)  # 100 rows of 16.5 pt on one portrait page
    _, page_h = printable(tall)
    assert estimated_scale(tall) == pytest.approx(page_h / (100 * 16.5))


def test_wide_detail_sheets_print_their_key_columns():
    wb = loaded("report_sample")
    ws = wb["客户明细"]
    headers = [c.value for c in ws[1]]
    first, last = print_columns(ws)
    printed = headers[first - 1 : last]
    assert first == 1 and last < len(headers) < 60  # the full table stays in the workbook
    assert printed[:5] == ["客户编号", "客户名称", "手机号码", "档位", "月均消费(元)"]
    for h in ("推荐套餐", "办理后每月(元)", "每月差额(元)", "客户标签"):
        assert h in printed
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width
              for j in range(first, last + 1)]  # fmt: skip
    assert sum(widths) <= PRINT_UNITS
    assert ws.page_setup.orientation == "landscape" and ws.print_options.gridLines
    assert f"打印主要的 {last} 列；全部 {len(headers)} 列" in ws.oddHeader.left.text
    assert ws.print_title_rows == "$1:$1"
    offers = loaded("offers_sample")["推荐套餐"]
    o_headers = [c.value for c in offers[1]]
    o_first, o_last = print_columns(offers)
    assert o_headers[o_first - 1 : o_last][:4] == ["客户编号", "客户名称", "手机号码", "档位"]
    assert estimated_scale(offers) >= 0.65 and estimated_scale(ws) >= 0.65


def test_the_telco_list_prints_readable_pages_not_grey_lines():
    """7,043 rows × 53 columns, 17 of them empty: the empty columns are left out, and the
    printed columns fill a landscape page at full size (it printed at ~5 % before)."""
    ws = loaded("report_telco")["客户明细"]
    headers = [c.value for c in ws[1]]
    assert ws.max_row == 7044
    for empty in ("客户名称", "手机号码", "当前套餐", "行业", "地址", "加装包"):
        assert empty not in headers  # no value in the whole list: not written
    assert "customerID" not in headers and "客户编号" in headers  # mapped, shown in Chinese
    first, last = print_columns(ws)
    printed = headers[first - 1 : last]
    assert printed[:3] == ["客户编号", "档位", "月均消费(元)"]
    assert "推荐套餐" in printed and "每月差额(元)" in printed
    assert estimated_scale(ws) >= 0.9
    offers = loaded("offers_telco")["推荐套餐"]
    assert estimated_scale(offers) >= 0.9


def test_small_sheets_keep_to_their_page():
    telco = loaded("report_telco")
    problems = telco["导入问题"]  # none: one line that fits portrait A4 at full size
    assert problems.page_setup.orientation == "portrait"
    assert estimated_scale(problems) == 1.0
    assert problems.column_dimensions["A"].width * POINTS_PER_UNIT <= printable(problems)[0]
    summary = telco["汇总"]  # one portrait page, the pyramid under the tables
    assert summary.page_setup.orientation == "portrait" and summary.page_setup.fitToHeight == 1
    assert estimated_scale(summary) >= 0.75
    (picture,) = summary._images
    assert picture.anchor._from.col == 0 and picture.anchor._from.row > 20
    campaign = loaded("report_campaign")["走访结果"]
    one_page = campaign.page_setup.fitToHeight == 1
    breaks = [b.id for b in campaign.row_breaks.brk]
    (funnel,) = campaign._images
    assert one_page or breaks == [funnel.anchor._from.row]  # the chart is never cut in two
    guide = loaded("visits")["填写说明"]
    assert guide.page_setup.orientation == "portrait" and estimated_scale(guide) >= 0.9
