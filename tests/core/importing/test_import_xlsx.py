"""Importing a messy .xlsx: header found, every row a customer or a listed problem."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from core.base.errors import ImportFailed, InvalidInput, MappingNeeded
from core.importing.importer import import_file
from tests.import_helpers import HEADER, write_messy_xlsx


@pytest.fixture
def messy(tmp_path):
    return import_file(write_messy_xlsx(tmp_path / "清单.xlsx"))


def test_header_found_below_title_rows(messy):
    assert messy.sheet == "客户清单"
    assert messy.header_row == 4
    assert messy.mapping["spend"] == "近三月ARPU(元)"
    assert messy.mapping["phone"] == "用户号码"
    assert messy.mapping["name"] == "客户名称"
    assert "序号" in messy.extra_columns


def test_title_blank_totals_and_note_rows_are_recognised_not_counted(messy):
    assert messy.rows == 10
    assert messy.skipped["title"] == [1, 2]
    assert messy.skipped["blank"] == [15]
    assert messy.skipped["totals"] == [16]
    assert messy.skipped["note"] == [17]


def test_every_row_is_a_customer_or_a_problem(messy):
    listed = set(messy.customers["source_row"])
    problem_rows = {p.row for p in messy.problems}
    assert listed | problem_rows == set(range(5, 15))


def test_money_values_are_cleaned(messy):
    spend = dict(zip(messy.customers["name"], messy.customers["spend"], strict=True))
    assert spend["李娜"] == 128.5  # "128.5元"
    assert spend["王强"] == 88.0  # " 88 "
    assert spend["赵敏"] == 128.0  # full-width digits
    assert spend["冯巩"] == 19.99
    assert pd.isna(spend["钱多多"])  # "—"


def test_spend_problems_keep_the_customer_but_not_banded(messy):
    codes = {p.row: p.code for p in messy.problems if p.field == "spend"}
    assert codes == {9: "missing_spend", 10: "missing_spend", 11: "negative_spend", 12: "bad_spend"}
    cust = messy.customers.set_index("source_row")
    assert cust.loc[11, "spend_issue"] == "negative_spend"
    assert pd.isna(cust.loc[11, "spend"])
    assert "周杰" in set(messy.customers["name"])


def test_phones_are_text_and_normalised(messy):
    phone = dict(zip(messy.customers["name"], messy.customers["phone"], strict=True))
    assert phone["张记五金店"] == "13812345678"  # stored as a float
    assert phone["李娜"] == "13812345679"  # with spaces
    assert phone["王强"] == "13812345680"  # +86
    assert phone["赵敏"] == "0571-88123456"  # landline
    assert phone["钱多多"] == "0571-88123457"  # landline that lost its 0 in Excel
    assert phone["冯巩"] == "13812345682"  # full-width digits
    assert all(isinstance(p, str) for p in messy.customers["phone"].dropna())


def test_phone_problems(messy):
    codes = {(p.row, p.code) for p in messy.problems if p.field == "phone"}
    assert (10, "missing_phone") in codes
    assert (11, "bad_phone") in codes
    assert (13, "duplicate_phone") in codes


def test_duplicate_phone_is_listed_not_counted(messy):
    assert 13 not in set(messy.customers["source_row"])
    dup = next(p for p in messy.problems if p.code == "duplicate_phone")
    assert "第 5 行" in dup.message
    # 10 data rows: 1 duplicate, 4 without usable spend
    assert messy.customer_count == 5
    assert len(messy.customers) == 9


def test_dates_in_many_styles(messy):
    dates = dict(zip(messy.customers["name"], messy.customers["join_date"], strict=True))
    for name in ("张记五金店", "李娜", "王强", "赵敏"):
        assert dates[name] == pd.Timestamp(2019, 3, 5), name
    assert dates["钱多多"] == pd.Timestamp(2017, 9, 22)  # an Excel serial number
    assert any(p.code == "bad_date" and p.row == 11 for p in messy.problems)


def test_problem_messages_are_chinese_and_actionable(messy):
    for p in messy.problems:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message)
    bad = next(p for p in messy.problems if p.code == "bad_spend")
    assert "待核实" in bad.message and "数字" in bad.message


def test_summary_json_fields(messy):
    s = messy.summary()
    for key in (
        "sheet",
        "header_row",
        "mapping",
        "rows",
        "customers",
        "problem_counts",
        "problems",
    ):
        assert key in s
    assert s["problem_counts"]["missing_spend"] == 2
    assert s["problems"][0].keys() >= {"row", "field", "code", "message"}


def test_sheet_holding_the_list_is_chosen_when_first_is_notes(tmp_path):
    res = import_file(write_messy_xlsx(tmp_path / "two.xlsx", notes_sheet=True))
    assert res.sheet == "客户清单"
    assert res.sheets == ["填写说明", "客户清单"]
    assert res.rows == 10


def test_sheet_can_be_named_or_numbered(tmp_path):
    path = write_messy_xlsx(tmp_path / "two.xlsx", notes_sheet=True)
    assert import_file(path, sheet="客户清单").rows == 10
    assert import_file(path, sheet="2").sheet == "客户清单"
    with pytest.raises(ImportFailed, match="没有名为"):
        import_file(path, sheet="不存在")


def test_vertically_merged_grid_cells_are_filled(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "手机号码", "月均消费", "网格"])
    ws.append(["甲", "13800000001", 50, "一网格"])
    ws.append(["乙", "13800000002", 60, None])
    ws.append(["丙", "13800000003", 70, None])
    ws.merge_cells("D2:D4")
    wb.save(tmp_path / "m.xlsx")
    res = import_file(tmp_path / "m.xlsx")
    assert list(res.customers["grid"]) == ["一网格"] * 3


def test_header_repeated_on_each_page_is_skipped(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "手机号码", "月均消费"])
    ws.append(["甲", "13800000001", 50])
    ws.append(["客户名称", "手机号码", "月均消费"])
    ws.append(["乙", "13800000002", 60])
    wb.save(tmp_path / "r.xlsx")
    res = import_file(tmp_path / "r.xlsx")
    assert res.rows == 2
    assert res.skipped["header_repeat"] == [3]


def test_mb_column_is_converted_to_gb(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "手机号码", "ARPU值", "月均流量(MB)"])
    ws.append(["甲", "13800000001", 50, 2048])
    ws.append(["乙", "13800000002", 60, "512MB"])
    wb.save(tmp_path / "mb.xlsx")
    res = import_file(tmp_path / "mb.xlsx")
    assert list(res.customers["data_gb"]) == [2.0, 0.5]
    assert any("MB" in n for n in res.notes)


def test_no_spend_column_asks_for_a_mapping(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "手机号码", "备注"])
    ws.append(["甲", "13800000001", "老客户"])
    wb.save(tmp_path / "nospend.xlsx")
    with pytest.raises(MappingNeeded) as exc:
        import_file(tmp_path / "nospend.xlsx")
    assert "月均消费" in exc.value.message
    assert "--map spend=" in exc.value.hint
    assert exc.value.headers == ["客户名称", "手机号码", "备注"]


def test_override_maps_a_column_and_is_remembered(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "手机号码", "本月金额"])
    ws.append(["甲", "13800000001", "66.6"])
    wb.save(tmp_path / "odd.xlsx")
    res = import_file(tmp_path / "odd.xlsx", overrides={"spend": "本月金额"})
    assert res.customers["spend"].tolist() == [66.6]
    # a second file with the same headers needs no --map
    wb.save(tmp_path / "odd2.xlsx")
    again = import_file(tmp_path / "odd2.xlsx")
    assert again.mapping["spend"] == "本月金额"


def test_override_accepts_chinese_field_names_and_column_letters(tmp_path):
    path = write_messy_xlsx(tmp_path / "x.xlsx")
    res = import_file(path, overrides={"月均消费": "F", "手机号码": "用户号码"}, remember=False)
    assert res.mapping["spend"] == "近三月ARPU(元)"


def test_bad_override_names_the_problem(tmp_path):
    path = write_messy_xlsx(tmp_path / "x.xlsx")
    with pytest.raises(InvalidInput, match="不认识的字段名"):
        import_file(path, overrides={"spnd": "F"})
    with pytest.raises(InvalidInput, match="没有“收入”这一列"):
        import_file(path, overrides={"spend": "收入"})


def test_english_export_headers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["customerID", "gender", "tenure", "PhoneService", "MonthlyCharges", "TotalCharges"])
    ws.append(["7590-VHVEG", "Female", 1, "No", 29.85, "29.85"])
    ws.append(["5575-GNVDE", "Male", 34, "Yes", 56.95, "1889.5"])
    wb.save(tmp_path / "telco.xlsx")
    res = import_file(tmp_path / "telco.xlsx")
    assert res.mapping == {
        "customer_id": "customerID",
        "tenure_months": "tenure",
        "spend": "MonthlyCharges",
    }
    assert res.customers["spend"].tolist() == [29.85, 56.95]
    assert res.customers["tenure_months"].tolist() == [1.0, 34.0]
    assert "TotalCharges" in res.customers.columns
    assert not any(p.field == "phone" for p in res.problems)


def test_header_only_file_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.save(tmp_path / "h.xlsx")
    with pytest.raises(ImportFailed, match="只有表头"):
        import_file(tmp_path / "h.xlsx")


def test_empty_workbook_is_refused(tmp_path):
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(ImportFailed, match="没有任何数据"):
        import_file(tmp_path / "empty.xlsx")


def test_progress_is_reported_and_cancel_stops_the_import(tmp_path):
    from core.base.progress import Cancelled, Progress

    path = write_messy_xlsx(tmp_path / "p.xlsx")
    seen = []
    import_file(path, progress=Progress(lambda done, total, text: seen.append((done, text))))
    assert seen[0][0] == 0 and seen[-1][0] == 100
    assert any("表头" in text for _done, text in seen)

    progress = Progress(lambda done, total, text: progress.cancel())
    with pytest.raises(Cancelled):
        import_file(path, progress=progress)


def test_two_row_header_with_merged_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "手机号码", "ARPU(元)", None, "网格"])
    ws.append([None, None, "本月", "上月", None])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:E2")
    ws.append(["甲商行", "13800000001", 66, 60, "一网格"])
    ws.append(["乙商行", "13800000002", 120, 99, "二网格"])
    wb.save(tmp_path / "two.xlsx")
    res = import_file(tmp_path / "two.xlsx")
    assert res.header_row == 1
    assert res.rows == 2 and not res.problems
    assert res.mapping["spend"] == "ARPU(元)本月"
    assert res.customers["spend"].tolist() == [66.0, 120.0]
    assert "ARPU(元)上月" in res.customers.columns
    assert res.customers["source_row"].tolist() == [3, 4]


def test_first_data_row_of_text_is_not_taken_for_a_second_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "手机号码", "月均消费", "网格"])
    ws.append(["甲商行", "13800000001", "66元", "一网格"])
    wb.save(tmp_path / "text.xlsx")
    res = import_file(tmp_path / "text.xlsx")
    assert res.rows == 1 and res.customers["spend"].tolist() == [66.0]
