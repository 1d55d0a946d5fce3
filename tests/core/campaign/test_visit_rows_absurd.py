"""Absurd and contradictory answers (issue 18): refused with a reason like the other bad
rows, in an imported 走访记录 sheet and in a visit saved from the window alike; a date
cell holding 0 is an empty date, in a visit sheet and in a customer list."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest

from core.base import InvalidInput
from core.campaign import Campaign, Visit
from core.campaign import values as v
from core.importing import import_file
from tests.campaign_helpers import (
    TODAY,
    build_campaign,
    copy_campaign,
    export,
    fill,
    keys_in,
    visit,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_campaign(tmp_path_factory.mktemp("tpl"), n=20)


@pytest.fixture
def camp(template, tmp_path):
    return copy_campaign(template, tmp_path)


@pytest.mark.parametrize("typed", [0, 0.0, dt.time(0), "0", "00:00:00", "0:00", "0000-00-00"])
def test_a_zero_date_is_an_empty_date(typed):
    assert v.date(typed, "下次跟进日期", today=TODAY) is None


def test_a_time_is_not_a_date_and_says_so_without_seconds():
    with pytest.raises(v.BadValue, match="“12:00”是一个时间，不是日期"):
        v.date(dt.time(12, 0), "走访日期", today=TODAY)


@pytest.mark.parametrize("typed", [1e308, "1e308", 10**30, "1,000,000,000,000元"])
def test_a_huge_fee_is_refused_in_a_short_sentence(typed):
    with pytest.raises(v.BadValue) as err:
        v.fee(typed)
    reason = err.value.reason
    assert "大得不合理" in reason and "每月最多 1,000,000 元" in reason
    assert len(reason) < 80  # never the 300-digit number the issue saw
    assert re.search(r"\d{16}", reason.replace(",", "")) is None


def test_contradictions():
    v.check_consistent(v.NOT_MET, False, "")
    v.check_consistent(v.NOT_MET, None, "")
    v.check_consistent(v.SIGNED, True, "畅享79元套餐")
    with pytest.raises(v.BadValue, match=r"未见到.*是否见到决策人却填了“是”"):
        v.check_consistent(v.NOT_MET, True, "")
    with pytest.raises(v.BadValue, match=r"已成交.*没有填写签约套餐"):
        v.check_consistent(v.SIGNED, True, "  ")


def test_sheet_rows_absurd_contradictory_and_zero_dates(camp, tmp_path):
    exported = export(camp, tmp_path / "走访表.xlsx")  # dates formatted as dates: 0 → 00:00
    keys = keys_in(exported)
    rows = {
        2: visit(意向="已成交", 签约套餐="畅享79元套餐", 签约月费=1e308),
        3: visit(意向="已成交", 签约套餐="畅享79元套餐", 签约月费="1e308"),
        4: visit(意向="未见到", 是否见到决策人="是"),
        5: visit(意向="已成交", 签约月费=88),  # no 签约套餐
        6: visit(0),  # 走访日期 0: not filled in
        7: visit(下次跟进日期=0),  # no follow-up: imported
        8: visit(意向="未见到", 是否见到决策人="否"),  # consistent: imported
        9: visit(意向="已成交", 签约套餐="畅享79元套餐"),  # fee from the catalog: imported
    }
    filled = fill(exported, tmp_path / "填好.xlsx", rows)
    assert openpyxl.load_workbook(filled)["走访记录"]["F6"].value == dt.time(0)  # as Excel has it
    with Campaign.open(camp) as c:
        report = c.import_visits([filled], today=TODAY)
        stored = {s.source_row: s for s in c.visits()}
    reasons = {r.row: r.reason for r in report.files[0].rejected}
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert all("大得不合理" in reasons[r] and len(reasons[r]) < 80 for r in (2, 3))
    assert "是否见到决策人却填了“是”" in reasons[4]
    assert "没有填写签约套餐" in reasons[5]
    assert reasons[6].startswith("没有填写走访日期") and "00:00" not in reasons[6]
    assert sorted(stored) == [7, 8, 9]
    assert stored[7].visit.follow_up is None and stored[7].customer_key == keys[5]
    assert stored[9].visit.signed_fee == 79.0


def test_the_window_saves_through_the_same_rule(camp):
    with Campaign.open(camp) as c:
        key = c.customers()[0].key
        day = dt.date(2026, 11, 20)
        with pytest.raises(InvalidInput, match="是否见到决策人却填了“是”"):
            c.add_visit(key, Visit(day, "张三", "未见到", met=True), today=TODAY)
        with pytest.raises(InvalidInput, match="没有填写签约套餐"):
            c.add_visit(key, Visit(day, "张三", "已成交", signed_fee=88), today=TODAY)
        with pytest.raises(InvalidInput, match="大得不合理"):
            c.add_visit(key, Visit(day, "张三", "有意向", signed_fee=1e308), today=TODAY)
        assert c.visits() == []
        stored = c.add_visit(key, Visit(day, "张三", "有意向"), today=TODAY)
        with pytest.raises(InvalidInput, match="没有填写签约套餐"):  # an edit too
            c.update_visit(stored.id, Visit(day, "张三", "已成交"), today=TODAY)
        assert c.visits()[0].visit.intent == "有意向"


def test_a_zero_date_in_a_customer_list_is_empty(tmp_path):
    path = tmp_path / "清单.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["用户号码", "客户名称", "月均消费", "合约到期", "入网时间"])
    ws.append(["13800000001", "甲", 50, 0, dt.date(2020, 1, 1)])
    ws.append(["13800000002", "乙", 60, dt.date(2027, 1, 1), 0])
    ws.append(["13800000003", "丙", 70, 0.5, None])  # a time of day: still a bad date
    for row in (2, 3, 4):
        for col in (4, 5):
            ws.cell(row, col).number_format = "yyyy-mm-dd"
    wb.save(path)
    result = import_file(path, remember=False)
    customers = result.customers
    assert customers["contract_end"].isna().tolist() == [True, False, True]
    assert customers["join_date"].isna().tolist() == [False, True, True]
    messages = [p.message for p in result.problems]
    assert not any("00:00:00" in m for m in messages), messages
    assert len([p for p in result.problems if p.row == 4]) == 1  # the 12:00 one
