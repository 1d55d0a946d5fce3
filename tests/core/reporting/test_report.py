"""The Excel report: sheets, band table, formats, chart, frozen header, text never a formula."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core.base.errors import OutputExists
from core.base.progress import Cancelled, Progress
from core.marketing.bands import default_scheme
from core.marketing.segment import band_summary, crosstab
from core.reporting.report import (
    SHEET_BANDS,
    SHEET_CROSSTAB,
    SHEET_DETAIL,
    SHEET_PROBLEMS,
    SHEET_SUMMARY,
    write_report,
)

INJECTED = ['=HYPERLINK("http://evil.example","点我")', "+1+2", "-3+4", "@SUM(A1:A2)", "=1+1"]


def _customers(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    spend = np.round(rng.uniform(10, 400, n), 2)
    spend[5] = np.nan
    names = [f"客户{i}" for i in range(n)]
    names[: len(INJECTED)] = INJECTED
    return pd.DataFrame(
        {
            "source_row": np.arange(2, n + 2),
            "customer_id": [f"KH{i:04d}" for i in range(n)],
            "phone": [f"138{i:08d}" for i in range(n)],
            "name": names,
            "spend": spend,
            "package": "畅享59元套餐",
            "join_date": pd.to_datetime("2020-01-15") + pd.to_timedelta(np.arange(n), unit="D"),
            "industry": rng.choice(["服装", "五金", "餐饮"], n),
            "id_number": ["330102198001011234"] * n,
            "tags": ["种子用户、资费偏高" if i % 3 == 0 else "" for i in range(n)],
            "offer_fee": np.full(n, 79.0),
            "自定义备注": [f"备注{i}" for i in range(n)],
        }
    )


class _Problem:
    def __init__(self, row, field, code, message):
        self.row, self.field, self.code, self.message = row, field, code, message


@pytest.fixture
def written(tmp_path):
    customers = _customers()
    scheme = default_scheme()
    summary = band_summary(customers, scheme)
    problems = [
        _Problem(7, "spend", "missing_spend", "月均消费为空；请在原表补上金额后重新导入。"),
        _Problem(12, "phone", "bad_phone", "=号码无效"),
    ]
    path = write_report(
        tmp_path / "报表.xlsx", customers, summary, scheme, problems=problems,
        crosstab=crosstab(customers, scheme, "industry"), by="industry", title="城东市场",
        date=dt.date(2026, 11, 20),
    )  # fmt: skip
    return path, customers, summary


def _headers(ws) -> list:
    return [c.value for c in ws[1]]


def test_sheet_names(written):
    path, _, _ = written
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        SHEET_SUMMARY,
        SHEET_BANDS,
        SHEET_DETAIL,
        SHEET_CROSSTAB,
        SHEET_PROBLEMS,
    ]


def test_summary_sheet_has_totals_and_pyramid(written):
    path, customers, _ = written
    ws = openpyxl.load_workbook(path)[SHEET_SUMMARY]
    values = {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
    assert values["清单/活动名称"] == "城东市场"
    assert values["客户总数"] == len(customers)
    valid = customers["spend"].dropna()
    assert values["月收入合计(元)"] == pytest.approx(round(valid.sum(), 2))
    assert values["ARPU(元/户/月)"] == pytest.approx(round(valid.mean(), 2))
    assert values["生成日期"].date() == dt.date(2026, 11, 20)
    assert values["分档方案"]
    assert len(ws._images) == 1


def test_band_table_matches_segmentation(written):
    path, _, summary = written
    ws = openpyxl.load_workbook(path)[SHEET_BANDS]
    headers = _headers(ws)
    col = {h: i for i, h in enumerate(headers)}
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(summary) + 1
    for got, want in zip(rows, summary.itertuples(index=False), strict=False):
        assert got[col["档位"]] == want.label
        assert got[col["客户数"]] == want.customers
        assert got[col["客户占比"]] == pytest.approx(want.share)
        assert got[col["月收入(元)"]] == pytest.approx(want.revenue)
        assert got[col["收入占比"]] == pytest.approx(want.revenue_share)
    total = rows[-1]
    assert total[0] == "合计"
    assert total[col["客户数"]] == summary["customers"].sum()
    assert total[col["月收入(元)"]] == pytest.approx(summary["revenue"].sum())
    # formats: money #,##0.00 (as on 汇总 and in 客户明细), shares 0.0%
    assert ws.cell(row=2, column=col["月收入(元)"] + 1).number_format == "#,##0.00"
    assert ws.cell(row=2, column=col["客户占比"] + 1).number_format == "0.0%"
    assert ws.cell(row=2, column=col["收入占比"] + 1).number_format == "0.0%"
    assert ws.cell(row=2, column=col["平均消费(元)"] + 1).number_format == "#,##0.00"


def test_band_sheet_has_native_chart_over_the_table(written):
    path, _, summary = written
    ws = openpyxl.load_workbook(path)[SHEET_BANDS]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert len(chart.series) == 2
    refs = [s.val.numRef.f for s in chart.series]
    n = len(summary)
    assert refs == [f"'{SHEET_BANDS}'!$F$2:$F${n + 1}", f"'{SHEET_BANDS}'!$H$2:$H${n + 1}"]


def test_detail_sheet(written):
    path, customers, _ = written
    ws = openpyxl.load_workbook(path)[SHEET_DETAIL]
    headers = _headers(ws)
    assert "证件号码" not in headers and "330102198001011234" not in str(list(ws.values))
    for h in ("Excel行号", "客户编号", "客户名称", "手机号码", "月均消费(元)", "档位", "入网时间",
              "自定义备注"):  # fmt: skip
        assert h in headers
    assert ws.freeze_panes == "A2"
    assert (
        ws.auto_filter.ref
        == f"A1:{openpyxl.utils.get_column_letter(len(headers))}{len(customers) + 1}"
    )
    assert ws.max_row == len(customers) + 1
    col = {h: i + 1 for i, h in enumerate(headers)}
    phone = ws.cell(row=2, column=col["手机号码"])  # masked by default, as in the letters
    assert phone.value == "138****0000" and phone.data_type == "s" and phone.number_format == "@"
    money = ws.cell(row=2, column=col["月均消费(元)"])
    assert money.number_format == "#,##0.00"
    assert money.value == pytest.approx(customers["spend"][0])
    assert ws.cell(row=7, column=col["月均消费(元)"]).value is None  # NaN stays empty
    date = ws.cell(row=2, column=col["入网时间"])
    assert date.number_format == "yyyy-mm-dd" and date.value == dt.datetime(2020, 1, 15)
    assert ws.cell(row=2, column=col["Excel行号"]).value == 2
    assert ws.cell(row=2, column=col["档位"]).value in default_scheme().labels
    for c in range(1, len(headers) + 1):
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width >= 6


def test_injected_text_stays_text(written):
    path, _, _ = written
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_DETAIL]
    col = _headers(ws).index("客户名称") + 1
    for i, text in enumerate(INJECTED, start=2):
        cell = ws.cell(row=i, column=col)
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix  # stays text even when edited in Excel
    prob = wb[SHEET_PROBLEMS].cell(row=3, column=4)
    assert prob.value == "=号码无效" and prob.data_type == "s"


def test_problems_and_crosstab_sheets(written):
    path, customers, _ = written
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_PROBLEMS]
    assert _headers(ws) == ["Excel行号", "字段", "问题", "原因和处理办法"]
    assert [c.value for c in ws[2]][:3] == [7, "月均消费(元)", "月均消费为空"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D3"
    ct = wb[SHEET_CROSSTAB]
    assert ct.cell(row=1, column=1).value == "行业"
    assert [c.value for c in ct[1]][1:] == [*default_scheme().labels, "合计"]
    last = [c.value for c in ct[ct.max_row]]
    assert last[0] == "合计" and last[-1] == customers["spend"].notna().sum()


def test_offers_frame_from_make_offers(tmp_path):
    offers = pytest.importorskip("core.marketing.offers")
    customers = _customers()
    scheme = default_scheme()
    table = offers.make_offers(customers, scheme)
    path = write_report(tmp_path / "r.xlsx", table, band_summary(customers, scheme), scheme)
    ws = openpyxl.load_workbook(path)[SHEET_DETAIL]
    headers = _headers(ws)
    assert "推荐套餐" in headers and "每月差额(元)" in headers
    assert not any(h.startswith("tag_") or h == "usage_known" for h in headers)
    sheets = openpyxl.load_workbook(path).sheetnames
    assert sheets == [SHEET_SUMMARY, SHEET_BANDS, SHEET_DETAIL, SHEET_PROBLEMS]


def test_no_overwrite_without_force(written):
    path, customers, summary = written
    before = path.read_bytes()
    with pytest.raises(OutputExists):
        write_report(path, customers, summary, default_scheme())
    assert path.read_bytes() == before
    write_report(path, customers, summary, default_scheme(), force=True)


def test_cancel_leaves_no_file(tmp_path):
    customers = pd.concat([_customers()] * 400, ignore_index=True)  # 16,000 rows: 4 chunks
    calls = []
    progress = Progress(lambda done, total, text: calls.append(done))

    def cancel_soon(done, total, text):
        calls.append(done)
        if done >= 5000:
            progress.cancel()

    progress._callback = cancel_soon
    with pytest.raises(Cancelled):
        write_report(tmp_path / "r.xlsx", customers, band_summary(customers), default_scheme(),
                     progress=progress)  # fmt: skip
    assert list(tmp_path.iterdir()) == []
    assert calls and max(calls) < len(customers)


def test_progress_reaches_total(tmp_path):
    customers = _customers()
    seen = []
    write_report(tmp_path / "r.xlsx", customers, band_summary(customers), default_scheme(),
                 progress=Progress(lambda d, t, _: seen.append((d, t))))  # fmt: skip
    assert seen[-1][0] == seen[-1][1] == len(customers)


def test_string_dtype_and_odd_values(tmp_path):
    customers = _customers(10)
    customers["name"] = customers["name"].astype("string")
    customers.loc[1, "name"] = "含控制字符\x07与<标签>&符号 "
    customers["flag"] = [True, False] * 5
    customers["tags"] = [["种子用户", "合约到期"]] + [None] * 9
    path = write_report(tmp_path / "r.xlsx", customers, band_summary(customers), default_scheme())
    ws = openpyxl.load_workbook(path)[SHEET_DETAIL]
    headers = _headers(ws)
    assert ws.cell(row=3, column=headers.index("客户名称") + 1).value == "含控制字符与<标签>&符号 "
    assert ws.cell(row=2, column=headers.index("flag") + 1).value == "是"
    assert ws.cell(row=2, column=headers.index("客户标签") + 1).value == "种子用户、合约到期"


def test_injected_title_on_summary_stays_text(tmp_path):
    customers = _customers(10)
    path = write_report(tmp_path / "r.xlsx", customers, band_summary(customers), default_scheme(),
                        title="=cmd|' /C calc'!A0")  # fmt: skip
    ws = openpyxl.load_workbook(path)[SHEET_SUMMARY]
    cell = ws["B3"]
    assert cell.value == "=cmd|' /C calc'!A0" and cell.data_type == "s"


# ---- QA fixes: 导入问题 always present; problem codes in Chinese; no spend at all --------


class _CleanImport:
    """What an ImportResult looks like to the report when every row became a customer."""

    def __init__(self) -> None:
        self.problems: list = []
        self.skipped = {"title": [1], "blank": [], "totals": [43], "note": [44, 45]}

    def problem_frame(self) -> pd.DataFrame:
        return pd.DataFrame(columns=["row", "field", "field_label", "code", "message"])


def test_problems_sheet_is_written_even_without_problems(tmp_path):
    from core.reporting.report import NO_PROBLEMS_TEXT

    customers = _customers()
    scheme = default_scheme()
    summary = band_summary(customers, scheme)
    for problems, skipped_line in ((None, None), ([], None), (_CleanImport(), True)):
        path = write_report(tmp_path / f"r{skipped_line}{problems is None}.xlsx", customers,
                            summary, scheme, problems=problems)  # fmt: skip
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames[-1] == SHEET_PROBLEMS
        ws = wb[SHEET_PROBLEMS]
        assert ws["A1"].value == NO_PROBLEMS_TEXT == "没有发现导入问题：每一行都已作为客户导入。"
        if skipped_line:
            assert ws["A2"].value == (
                "已跳过的非客户行（不算客户，也不是问题）：标题行 1 行，合计行 1 行，备注行 2 行。"
            )
            assert ws.max_row == 2
        else:
            assert ws.max_row == 1


def test_detail_shows_spend_problems_in_chinese(tmp_path):
    customers = _customers()
    issue = pd.Series([None] * len(customers), dtype="object")
    issue[5] = "missing_spend"
    customers["spend_issue"] = issue
    scheme = default_scheme()
    path = write_report(tmp_path / "r.xlsx", customers, band_summary(customers, scheme), scheme)
    ws = openpyxl.load_workbook(path)[SHEET_DETAIL]
    col = _headers(ws).index("消费数据问题") + 1
    values = [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]
    assert values[5] == "月均消费为空"
    assert "missing_spend" not in values and values.count(None) == len(customers) - 1


def test_report_without_any_usable_spend_still_writes(tmp_path):
    customers = _customers(6).assign(spend=np.nan)
    scheme = default_scheme()
    path = write_report(tmp_path / "r.xlsx", customers, band_summary(customers, scheme), scheme)
    wb = openpyxl.load_workbook(path)
    assert len(wb[SHEET_SUMMARY]._images) == 0  # no empty pyramid picture
    assert wb[SHEET_DETAIL].max_row == 7


def test_dates_excel_cannot_hold_are_written_as_text_and_never_crash(tmp_path):
    """A list column with a year-338 or year-5781 date (and a normal one): the workbook is
    written (it used to end with OverflowError); 1900–9999 stays a date, earlier ones are text."""
    import datetime as dt

    from openpyxl import Workbook

    from core.reporting.xlsx_stream import DATE, Column, add_streamed_sheet, save_workbook

    frame = pd.DataFrame({
        "mixed": [dt.datetime(338, 11, 25, 23, 5, 5), dt.date(2019, 9, 20),
                  dt.date(5781, 1, 13), None],
        "ns": pd.to_datetime(["2026-01-02", None, "1905-03-04", "2026-12-31"]),
        "wide": pd.Series(["0146-09-18", "2027-09-05", None, "1999-01-01"],
                          dtype="datetime64[s]"),
    })  # fmt: skip
    wb = Workbook()
    columns = [Column(k, k, DATE) for k in frame.columns]
    sheet = add_streamed_sheet(wb, "明细", frame, columns)
    wb.remove(wb.worksheets[0])
    out = tmp_path / "日期.xlsx"
    save_workbook(wb, out, [sheet])
    ws = openpyxl.load_workbook(out)["明细"]
    cells = [[ws.cell(r, c).value for c in (1, 2, 3)] for r in range(2, 6)]
    assert cells[0][0] == "0338-11-25 23:05:05" and cells[2][0] == dt.datetime(5781, 1, 13)
    assert cells[1][0] == dt.datetime(2019, 9, 20) and cells[3][0] is None
    assert cells[0][1] == dt.datetime(2026, 1, 2) and cells[2][1] == dt.datetime(1905, 3, 4)
    assert cells[0][2] == "0146-09-18" and cells[1][2] == dt.datetime(2027, 9, 5)
