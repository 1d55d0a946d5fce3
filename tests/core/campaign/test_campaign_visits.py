"""The 走访记录 round trip: export, fill in as staff do, import; bad rows, twice, conflicts."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from core.campaign import VISIT_HEADERS, Campaign, CampaignInfo
from core.campaign.store import Store
from core.marketing import default_catalog, default_scheme, make_offers
from core.reporting import write_visits_xlsx
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
    return build_campaign(tmp_path_factory.mktemp("tpl"), n=60)


@pytest.fixture
def camp(template, tmp_path):
    return copy_campaign(template, tmp_path)


def test_export_sheet_is_the_contract(camp, tmp_path):
    out = export(camp, tmp_path / "走访表.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "走访记录"
    ws = wb["走访记录"]
    assert tuple(c.value for c in ws[1]) == VISIT_HEADERS
    with Campaign.open(camp) as c:
        customers = c.customers()
    assert [ws.cell(row=i + 2, column=1).value for i in range(len(customers))] == [
        c.key for c in customers
    ]
    first = customers[0]
    assert ws["B2"].value == first.name
    assert ws["C2"].value == first.shown_phone() and "****" in ws["C2"].value
    assert ws["D2"].value == first.band and ws["E2"].value == first.offer_package
    # drop-down lists for the closed fields
    lists = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["H"].formula1 == '"上门,电话,微信,现场活动"' and lists["H"].errorStyle == "stop"
    assert lists["I"].formula1 == '"是,否"'
    assert lists["J"].formula1 == '"已成交,有意向,考虑中,无意向,未见到"'
    assert lists["M"].formula1 == '"价格,信号,换号麻烦,合约未到期,其他"'
    assert lists["G"].formula1 == '"张三,李四"'  # the campaign's staff
    assert lists["F"].type == "date" and lists["P"].type == "date"
    assert ws["F2"].number_format == "yyyy-mm-dd" and ws["P2"].number_format == "yyyy-mm-dd"
    # identifying columns locked, visit columns open, sheet protected, header frozen
    assert ws.protection.sheet
    assert all(ws.cell(row=2, column=j).protection.locked for j in range(1, 6))
    assert not any(ws.cell(row=2, column=j).protection.locked for j in range(6, 17))
    assert ws.freeze_panes == "C2"
    # extra rows for further visits: all open, 客户编号 included
    last = len(customers) + 2
    assert ws.cell(row=last, column=1).value is None
    assert not ws.cell(row=last, column=1).protection.locked
    # prints as a form
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text and "城东扫场" in ws.oddFooter.left.text
    assert ws.row_dimensions[2].height >= 28
    assert "填写说明" in wb.sheetnames


def test_export_band_unmask_and_not_visited(camp, tmp_path):
    with Campaign.open(camp) as c:
        top = [x for x in c.customers() if x.band == "高端"]
        path, keys = write_visits_xlsx(c, tmp_path / "a.xlsx", bands=("高端",), unmask=True)
        assert keys == [x.key for x in top]
        ws = openpyxl.load_workbook(path)["走访记录"]
        assert ws["C2"].value == top[0].phone
        c.add_visit(top[0].key, _v())
        _path, keys = write_visits_xlsx(c, tmp_path / "b.xlsx", bands=("高端",), not_visited=True)
        assert keys == [x.key for x in top[1:]]


def _v(**kw):
    from core.campaign import Visit

    return Visit(**({"visit_date": dt.date(2026, 11, 20), "visitor": "张三", "intent": "有意向"}
                    | kw))  # fmt: skip


def test_formula_like_text_is_written_as_text(tmp_path):
    frame = pd.DataFrame({
        "source_row": [2, 3], "customer_id": ["A1", "A2"], "phone": ["13800000001", None],
        "name": ['=HYPERLINK("http://x","点我")', "+1+2"], "spend": [60.0, 120.0],
    })  # fmt: skip
    offers = make_offers(frame, default_scheme(), default_catalog())
    path = tmp_path / "f.jzt"
    Campaign.create(path, offers, CampaignInfo(name="@活动")).close()
    out = export(path, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(out)["走访记录"]
    assert ws["B2"].value.startswith("=HYPERLINK") and ws["B2"].data_type == "s"
    assert ws["B2"].quotePrefix and ws["B3"].quotePrefix


def test_round_trip_with_every_kind_of_bad_row(camp, tmp_path):
    exported = export(camp, tmp_path / "走访表.xlsx")
    keys = keys_in(exported)
    with Campaign.open(camp) as c:
        customer = {x.key: x for x in c.customers()}
    extra = len(keys) + 2  # the first blank row after the customers
    good = {
        2: visit(dt.datetime(2026, 11, 3), 方式="上门", 是否见到决策人="是", 异议="价格、信号"),
        3: visit("2026/11/3", "李四", " 已成交 ", 签约套餐="畅享79元套餐", 是否见到决策人="是 "),
        4: visit("2026-11-04", 意向="成交", 签约月费="99元", 签约套餐="自定义融合"),
        5: visit("11月5日", "张三", "考虑中", 签约月费="", 下次跟进日期="12月6日", 方式="电话回访"),
        6: visit(" 2026年11月6日 ", "Ｗａｎｇ", "无意向", 签约月费="８９元", 异议="无"),
        7: visit(46000, 意向="未见到", 是否见到决策人="否"),  # an Excel serial date (2025-12-09)
        extra: visit("2026-11-07", 意向="有意向") | {"客户编号": customer[keys[7]].phone},
    }
    bad = {
        8: visit(方式="飞鸽传书"),
        9: visit(意向="很想办"),
        10: visit(是否见到决策人="可能"),
        11: visit(异议="太贵了"),
        12: visit("2026-13-45"),
        13: visit("明天"),
        14: visit("2027-05-01"),  # after today
        15: visit(签约月费="abc"),
        16: visit(签约月费="-5"),
        17: visit(下次跟进日期="2026-10-01"),  # before the visit
        18: visit(走访人=""),
        extra + 1: visit() | {"客户编号": "K0000000"},
        extra + 2: visit() | {"客户编号": "138****5678"},
    }
    filled = fill(exported, tmp_path / "张三.xlsx", good | bad)
    with Campaign.open(camp) as c:
        report = c.import_visits([filled], today=TODAY)
        stored = {(v.customer_key, v.source_row): v.visit for v in c.visits()}
    f = report.files[0]
    assert (f.imported, f.duplicates, len(f.conflicts)) == (len(good), 0, 0)
    reasons = {r.row: r.reason for r in f.rejected}
    assert sorted(reasons) == sorted(bad)
    for row, word in ((8, "方式“飞鸽传书”"), (9, "意向“很想办”"), (10, "“是”或“否”"),
                      (11, "异议“太贵了”"), (12, "不是存在的日期"), (13, "不是日期"),
                      (14, "晚于今天"), (15, "不是金额"), (16, "不是有效的金额"),
                      (17, "早于走访日期"), (18, "没有填写走访人"),
                      (extra + 1, "不在本营销活动中"), (extra + 2, "打码")):  # fmt: skip
        assert word in reasons[row], (row, reasons[row])
    assert all(r.file == "张三.xlsx" for r in f.rejected)
    got = stored[(keys[0], 2)]
    assert got.visit_date == dt.date(2026, 11, 3) and got.method == "上门" and got.met is True
    assert got.objections == ("价格", "信号")
    signed = stored[(keys[1], 3)]
    assert (signed.intent, signed.signed_fee, signed.visitor) == ("已成交", 79.0, "李四")
    assert stored[(keys[2], 4)].signed_fee == 99.0 and stored[(keys[2], 4)].intent == "已成交"
    later = stored[(keys[3], 5)]
    assert later.visit_date == dt.date(2026, 11, 5) and later.follow_up == dt.date(2026, 12, 6)
    assert later.method == "电话"
    assert stored[(keys[4], 6)].visitor == "Wang" and stored[(keys[4], 6)].signed_fee == 89.0
    assert stored[(keys[5], 7)].visit_date == dt.date(2025, 12, 9)
    assert (keys[7], extra) in stored  # found by the full phone number


def test_same_file_twice_adds_nothing(camp, tmp_path):
    exported = export(camp, tmp_path / "表.xlsx")
    filled = fill(exported, tmp_path / "填好.xlsx",
                  {2: visit(), 3: visit(意向="已成交", 签约套餐="畅享79元套餐", 签约月费=88),
                       4: visit(方式="鸽子")})  # fmt: skip
    with Campaign.open(camp) as c:
        first = c.import_visits([filled], today=TODAY)
        before = c.visits()
        second = c.import_visits([filled], today=TODAY)
        assert c.visits() == before
    assert (first.imported, first.duplicates, len(first.rejected)) == (2, 0, 1)
    assert (second.imported, second.duplicates, len(second.rejected)) == (0, 2, 1)
    assert second.files[0].imported_before and not first.files[0].imported_before


def test_conflicting_second_file_keeps_the_stored_answer(camp, tmp_path):
    exported = export(camp, tmp_path / "表.xlsx")
    a = fill(exported, tmp_path / "a.xlsx", {2: visit(意向="有意向"), 3: visit()})
    b = fill(exported, tmp_path / "b.xlsx", {
        2: visit(意向="已成交", 签约套餐="5G畅享129元套餐", 签约月费=129),  # a conflict:
        # the same customer, day and visitor
        3: visit(),  # the same answer: a duplicate
        4: visit(who="李四"),  # new
    })  # fmt: skip
    with Campaign.open(camp) as c:
        report = c.import_visits([a, b], today=TODAY)
        key = keys_in(exported)[0]
        (kept,) = c.visits_for(key)
    fa, fb = report.files
    assert (fa.imported, fb.imported, fb.duplicates, len(fb.conflicts)) == (2, 1, 1, 1)
    conflict = fb.conflicts[0]
    assert conflict.row == 2 and conflict.file == "b.xlsx"
    assert "a.xlsx" in conflict.reason and "已成交" in conflict.reason
    assert kept.visit.intent == "有意向" and kept.source == "a.xlsx"


def test_conflict_inside_one_file(camp, tmp_path):
    exported = export(camp, tmp_path / "表.xlsx")
    key = keys_in(exported)[0]
    extra = len(keys_in(exported)) + 2
    filled = fill(exported, tmp_path / "x.xlsx", {
        2: visit(), extra: visit(意向="无意向") | {"客户编号": key},
        extra + 1: visit() | {"客户编号": key},
    })  # fmt: skip
    with Campaign.open(camp) as c:
        report = c.import_visits([filled], today=TODAY)
        assert len(c.visits_for(key)) == 1
    f = report.files[0]
    assert (f.imported, f.duplicates, len(f.conflicts)) == (1, 1, 1)
    assert f.conflicts[0].row == extra and "第 2 行" in f.conflicts[0].reason


def test_each_file_is_all_or_nothing(camp, tmp_path, monkeypatch):
    exported = export(camp, tmp_path / "表.xlsx")
    filled = fill(exported, tmp_path / "x.xlsx", {r: visit() for r in range(2, 8)})
    calls = {"n": 0}
    real = Store.insert_visit

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "insert_visit", failing)
    with Campaign.open(camp) as c:
        with pytest.raises(Exception, match="磁盘空间不足"):
            c.import_visits([filled], today=TODAY)
        assert c.visits() == [] and c.counts()["imports"] == 0
    monkeypatch.setattr(Store, "insert_visit", real)
    with Campaign.open(camp) as c:
        assert c.import_visits([filled], today=TODAY).imported == 6


def test_files_that_are_not_visit_sheets(camp, tmp_path):
    other = tmp_path / "别的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(other)
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    missing_cols = tmp_path / "缺列.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["客户编号", "走访日期", "意向"])
    wb.save(missing_cols)
    good = fill(export(camp, tmp_path / "表.xlsx"), tmp_path / "好.xlsx", {2: visit()})
    with Campaign.open(camp) as c:
        report = c.import_visits([other, empty, missing_cols, good], today=TODAY)
    errors = [f.error for f in report.files]
    assert "找不到走访记录表" in errors[0]
    assert "空的" in errors[1]
    assert "缺少这些列：走访人" in errors[2]
    assert errors[3] == "" and report.imported == 1 and len(report.failed) == 3


def test_unfilled_export_imports_nothing(camp, tmp_path):
    exported = export(camp, tmp_path / "表.xlsx")
    with Campaign.open(camp) as c:
        report = c.import_visits([exported], today=TODAY)
        n = c.counts()["customers"]
    f = report.files[0]
    assert (f.rows, f.imported, f.rejected, f.blank) == (0, 0, [], n)
