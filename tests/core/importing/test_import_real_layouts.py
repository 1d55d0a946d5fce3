"""Layouts seen in real exports (found by a QA pass): subtotals, footers, page repeats,
Excel-mangled phones, CRM-protected text, competing spend columns, several sheets."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from core.importing.cleaning import parse_dates, parse_phones
from core.importing.importer import import_file


def _xlsx(path, rows, sheets=None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, body in (sheets or {"清单": rows}).items():
        ws = wb.create_sheet(title)
        for row in body:
            ws.append(row)
    wb.save(path)
    return path


def _customers(n, start=0):
    return [[f"1380000{start + i:04d}", f"商户{start + i}", 50 + i] for i in range(n)]


def test_subtotal_rows_per_grid_are_not_customers(tmp_path):
    rows = [["网格", "服务号码", "客户名称", "ARPU"]]
    rows += [["城东网格", f"1380000000{i}", f"甲{i}", 60] for i in range(3)]
    rows += [["城东网格小计", None, None, 180]]
    rows += [["城西网格", f"1390000000{i}", f"乙{i}", 70] for i in range(2)]
    rows += [
        ["城西网格 合计", None, None, 140],
        [None, "共5户", None, 320],
        ["总计", None, None, 320],
    ]
    res = import_file(_xlsx(tmp_path / "sub.xlsx", rows))
    assert res.rows == 5 and res.customer_count == 5
    assert len(res.skipped["totals"]) == 4
    assert res.customers["spend"].max() == 70  # no subtotal amount in the pyramid


def test_total_written_in_the_name_column(tmp_path):
    rows = [["用户号码", "客户名称", "ARPU"], *_customers(3), [None, "合计：3户", 153]]
    res = import_file(_xlsx(tmp_path / "t.xlsx", rows))
    assert res.rows == 3 and res.skipped["totals"] == [5]


def test_footer_lines_in_the_phone_column_and_over_two_cells(tmp_path):
    rows = [["用户号码", "客户名称", "ARPU"], *_customers(4),
            ["注：ARPU为近三个月出账收入平均值"], ["制表人：张三", None, "审核人：李四"],
            ["以上数据截至2026年11月20日"], ["第 1 页 共 1 页"], ["*ARPU含税"]]  # fmt: skip
    res = import_file(_xlsx(tmp_path / "f.xlsx", rows))
    assert res.rows == 4 and not res.problems
    assert len(res.skipped["note"]) == 5


def test_paged_export_repeats_title_header_and_footer(tmp_path):
    title = ["城东营业部 客户清单"]
    header = ["用户号码", "客户名称", "ARPU"]
    rows = [title, ["导出时间：2026-11-20"], header, *_customers(3), ["第 1 页 共 2 页"],
            title, ["导出时间：2026-11-20"], header, *_customers(3, start=3), ["第 2 页 共 2 页"]]  # fmt: skip
    res = import_file(_xlsx(tmp_path / "paged.xlsx", rows))
    assert res.rows == 6 and res.customer_count == 6 and not res.problems


def test_phones_excel_showed_in_scientific_notation_are_not_invented(tmp_path):
    out, status = parse_phones(pd.Series(["1.38123E+10", "1.3812345678E+10"], dtype=object))
    assert out.isna().iat[0] and status.iat[0] == 2
    assert out.iat[1] == "13812345678"
    path = tmp_path / "resaved.csv"
    path.write_text(
        "用户号码,客户名称,ARPU\n1.38123E+10,甲,50\n1.38123E+10,乙,60\n", encoding="utf-8"
    )
    res = import_file(path)
    assert res.customer_count == 2  # not merged as duplicates of an invented number
    assert all(p.code == "bad_phone" and "科学计数法" in p.message for p in res.problems)


def test_crm_protected_text_cells(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text('客户编号,用户号码,ARPU\n="KH001",="13812345678",50\n', encoding="utf-8")
    res = import_file(path)
    assert res.customers["phone"].tolist() == ["13812345678"]
    assert res.customers["customer_id"].tolist() == ["KH001"]


def test_far_future_text_dates_mean_no_end_date():
    out, status = parse_dates(pd.Series(["9999-12-31", "99991231", "9999/12/31"], dtype=object))
    assert out.isna().all() and (status == 1).all()


def test_average_spend_column_beats_a_single_month(tmp_path):
    rows = [["用户号码", "本月出账", "上月消费", "三个月平均消费"], ["13800000001", 80, 70, 75]]
    res = import_file(_xlsx(tmp_path / "avg.xlsx", rows))
    assert res.mapping["spend"] == "三个月平均消费"


def test_fee_column_is_not_the_current_package(tmp_path):
    rows = [["用户号码", "套餐月租", "ARPU"], ["13800000001", 59, 66]]
    res = import_file(_xlsx(tmp_path / "fee.xlsx", rows))
    assert "package" not in res.mapping


@pytest.mark.parametrize("first", ["网格汇总", "抽样"])
def test_the_detail_sheet_wins_over_a_summary_or_sample_sheet(tmp_path, first):
    summary = [["网格", "客户经理", "聚类市场", "用户数", "ARPU", "DOU", "MOU"],
               ["城东", "王", "批发市场", 30, 88, 10, 200]]  # fmt: skip
    sample = [["用户号码", "客户名称", "ARPU", "DOU", "MOU", "网格"],
              *[[*c, 5, 100, "一"] for c in _customers(5)]]  # fmt: skip
    detail = [["用户号码", "客户名称", "ARPU"], *_customers(30)]
    sheets = {first: summary if first == "网格汇总" else sample, "明细": detail}
    res = import_file(_xlsx(tmp_path / "s.xlsx", None, sheets))
    assert res.sheet == "明细" and res.rows == 30


def test_the_user_is_told_which_of_several_spend_columns_was_used(tmp_path):
    rows = [["用户号码", "本月出账", "三个月平均消费"], ["13800000001", 80, 75]]
    res = import_file(_xlsx(tmp_path / "two.xlsx", rows))
    assert any("三个月平均消费" in n and "本月出账" in n and "--map" in n for n in res.notes)
    chosen = import_file(tmp_path / "two.xlsx", overrides={"spend": "本月出账"}, remember=False)
    assert not any("月均消费取自" in n for n in chosen.notes)
