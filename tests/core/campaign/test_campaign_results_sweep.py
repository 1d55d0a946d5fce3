"""What worked (issue 22): results by recommended package, tag, day and several groupings
at once, a date range, the packages signed against the recommendation, suggestions and
competitor notes with the customers' own words, new customers and the playbook's funnel,
and the same figures in the report's 走访结果 sheet."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core.base.errors import InvalidInput
from core.campaign import Campaign, CampaignInfo, Visit
from core.marketing import band_summary, default_catalog, default_scheme, make_offers
from core.reporting import write_report

TODAY = dt.date(2026, 12, 2)
D = dt.date


def _make(path):
    """Six customers with visits of every kind (the campaign of the funnel's own tests)."""
    frame = pd.DataFrame({
        "source_row": [2, 3, 4, 5, 6, 7],
        "customer_id": ["A", "B", "C", "D", "E", "F"],
        "phone": ["13800000001", "13800000002", "13800000003", "13800000004", None, None],
        "name": ["甲店", "乙店", "丙店", "丁店", "戊店", "己店"],
        "spend": [30.0, 80.0, 150.0, 250.0, 40.0, np.nan],
        "grid": ["一网格", "一网格", "二网格", "二网格", "二网格", None],
    })  # fmt: skip
    offers = make_offers(frame, default_scheme(), default_catalog())
    c = Campaign.create(path, offers, CampaignInfo(name="测试", branch="城东分公司"))
    key = {x.customer_id: x.key for x in c.customers()}
    for cid, day, who, intent, more in [
        ("A", D(2026, 11, 10), "张三", "有意向", {"met": False}),
        ("A", D(2026, 11, 20), "张三", "已成交",
         {"met": True, "signed_fee": 59, "signed_package": "畅享59元套餐"}),
        ("B", D(2026, 11, 15), "李四", "考虑中",
         {"met": True, "objections": ("价格",), "follow_up": D(2026, 12, 5)}),
        ("C", D(2026, 11, 16), "李四", "已成交", {"signed_package": "没有的套餐"}),
        ("D", D(2026, 11, 16), "张三", "有意向", {"objections": ("价格", "信号")}),
        ("D", D(2026, 11, 18), "李四", "无意向",
         {"objections": ("价格",), "follow_up": D(2026, 11, 30)}),
    ]:  # fmt: skip
        c.add_visit(key[cid], Visit(visit_date=day, visitor=who, intent=intent, **more), TODAY)
    return c


@pytest.fixture
def camp(tmp_path):
    c = _make(tmp_path / "城东.jzt")
    yield c
    c.close()


def test_by_plan_tag_and_what_was_signed(camp):
    offer = {x.customer_id: x for x in camp.customers()}
    plan = camp.results("plan", today=TODAY)
    assert plan.by == "plan" and plan.by_label == "推荐套餐"
    rows = dict(plan.rows())
    a = offer["A"].offer_package  # A signed 畅享59元套餐
    assert rows[a].planned >= 1 and rows[a].signed >= 1
    assert sum(f.planned for g, f in plan.rows()[:-1]) == 6
    total = plan.total
    assert total.took_offer + total.took_alt + total.took_other == total.signed == 2
    assert total.signed_packages == {"畅享59元套餐": 1, "没有的套餐": 1}
    assert total.took_other >= 1  # 没有的套餐 is neither the recommendation nor the 备选
    assert total.signed_by == {"张三": 1, "李四": 1}
    tags = camp.results("客户标签", today=TODAY)
    assert tags.by == "tag"
    assert sum(f.planned for _, f in tags.rows()[:-1]) >= 6  # a customer may have two tags
    assert tags.total.planned == 6  # 合计 counts each customer once


def test_by_day_and_staff_by_day_is_the_work_of_each_day(camp):
    days = camp.results("day", today=TODAY)
    rows = dict(days.rows())
    assert list(rows)[:-1] == sorted(rows)[:-1]  # by date
    day16 = rows["2026-11-16"]  # C signed by 李四, D 有意向 with 张三
    assert (day16.planned, day16.visited, day16.interested, day16.signed) == (0, 2, 2, 1)
    assert day16.activity and day16.to_dict()["planned"] is None
    assert day16.rates()["visit_rate"] is None and day16.rates()["sign_rate"] == 0.5
    assert days.total.planned == 6 and days.total.visited == 4  # each customer once
    both = camp.results(["staff", "day"], today=TODAY)
    assert both.by == "staff+day" and both.by_label == "走访人 / 日期"
    cells = dict(both.rows())
    assert cells["李四 / 2026-11-16"].signed == 1 and cells["张三 / 2026-11-16"].signed == 0
    assert cells["张三 / 2026-11-20"].revenue_change == 29.0
    assert both.to_dict()["groups"][0]["parts"].keys() == {"staff", "day"}
    same = camp.results("staff,day", today=TODAY)
    assert [g for g, _ in same.rows()] == [g for g, _ in both.rows()]
    with pytest.raises(InvalidInput, match="最多按三项"):
        camp.results("band,staff,day,plan")


def test_a_date_range_counts_only_the_visits_in_it(camp):
    early = camp.results("band", today=TODAY, date_to=D(2026, 11, 15))
    assert (early.total.visited, early.total.signed) == (2, 0)  # A (有意向), B (考虑中)
    late = camp.results("band", today=TODAY, date_from=D(2026, 11, 16))
    assert (late.total.visited, late.total.signed, late.total.planned) == (3, 2, 6)
    assert any("2026-11-16" in n for n in late.notes)
    with pytest.raises(InvalidInput, match="早于开始日期"):
        camp.results("band", date_from=D(2026, 12, 1), date_to=D(2026, 11, 1))


def test_suggestions_and_competitors_are_counted_and_quoted(camp):
    key = {x.customer_id: x.key for x in camp.customers()}
    camp.add_visit(key["E"], Visit(visit_date=D(2026, 11, 25), visitor="张三", intent="无意向",
                                   suggestion="希望套餐能多送点流量，  最好还有宽带",
                                   competitor="移动 58 元 30GB，明年 3 月到期"), TODAY)  # fmt: skip
    camp.add_visit(key["B"], Visit(visit_date=D(2026, 11, 26), visitor="李四", intent="考虑中",
                                   suggestion="价格" * 40), TODAY)  # fmt: skip
    r = camp.results("staff", today=TODAY)
    assert (r.total.suggestions, r.total.competitor_notes) == (2, 1)
    quotes = r.total.quotes["客户建议"]
    assert [q.name for q in quotes] == ["乙店", "戊店"]  # the latest first
    assert quotes[1].text == "希望套餐能多送点流量， 最好还有宽带"
    assert len(quotes[0].text) == 60 and quotes[0].text.endswith("…")
    assert dict(r.rows())["张三"].quotes["竞争对手信息"][0].text.startswith("移动 58 元")
    data = r.to_dict()["total"]
    assert data["quotes"]["竞争对手信息"][0]["visitor"] == "张三"
    assert data["playbook"]["过客"] == 5 and data["playbook"]["手册参考"] == {
        "看客": 0.5,
        "顾客": 0.4,
    }


def test_new_customers_and_the_playbook_funnel(camp):
    walk_in = camp.add_walk_in(
        "新来的茶叶店", "139 0000 0001", visitor="王五",
        visit=Visit(visit_date=D(2026, 11, 28), visitor="王五", intent="已成交",
                    signed_package="畅享39元套餐"), today=TODAY)  # fmt: skip
    assert walk_in.origin == "现场新增" and walk_in.band is None and walk_in.is_new
    assert walk_in.phone == "13900000001" and walk_in.offer_package
    assert "还不是在网客户" in walk_in.offer["offer_reason"]
    assert camp.assignments()[walk_in.key] == "王五" and "王五" in camp.info.staff
    with pytest.raises(InvalidInput, match="已在营销活动中"):
        camp.add_walk_in("重复", "13900000001")
    with pytest.raises(InvalidInput, match="客户名称"):
        camp.add_walk_in("  ")
    with pytest.raises(InvalidInput, match="号码"):
        camp.add_walk_in("乱号", "12345")
    r = camp.results("origin", today=TODAY)
    rows = dict(r.rows())
    assert rows["现场新增"].planned == 1 and rows["清单"].planned == 6
    total = r.total
    assert (total.added, total.added_visited, total.added_signed) == (1, 1, 1)
    assert total.revenue_change == 29.0 + 39.0  # a new customer's whole fee is new revenue
    pb = total.playbook()
    assert (pb["过客"], pb["看客"], pb["顾客"]) == (5, 4, 3)  # A, B, C, walk-in engaged
    band = dict(camp.results("band", today=TODAY).rows())
    assert band["现场新增"].planned == 1  # not mixed with the list's unbanded customers
    frame = camp.customers_frame()
    assert frame.loc[frame["key"] == walk_in.key, "客户来源"].item() == "现场新增"
    assert frame.loc[frame["key"] == walk_in.key, "分配给"].item() == "王五"


def test_the_report_sheet_shows_what_worked(camp, tmp_path):
    from core.campaign import Targets

    camp.set_targets(Targets(signed=4, staff={"张三": 2}))
    key = {x.customer_id: x.key for x in camp.customers()}
    camp.add_visit(key["E"], Visit(visit_date=D(2026, 11, 25), visitor="张三", intent="无意向",
                                   suggestion="送宽带就办"), TODAY)  # fmt: skip
    table = camp.customers_frame()
    results = [camp.results("band", TODAY), camp.results("staff", TODAY)]
    out = write_report(tmp_path / "r.xlsx", table, band_summary(table, camp.scheme()),
                       camp.scheme(), problems=camp.problems(), title="测试",
                       visit_results=results)  # fmt: skip
    ws = openpyxl.load_workbook(out)["走访结果"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    first = [r[0] for r in cells]
    for heading in ("推荐套餐", "日期", "签了推荐套餐", "签了其他套餐", "目标进度", "全队签约",
                    "过客（已走访）", "新增客户：已签约（新入网）"):  # fmt: skip
        assert heading in first, heading
    target = next(r for r in cells if r[0] == "全队签约")
    assert target[1:5] == [4, 2, 0.5, 2]
    assert any(r[0] and "送宽带就办" in r[0] for r in cells)
    day = next(r for r in cells if r[0] == "2026-11-16")
    assert day[1:5] == [2, 0, 2, 1]
    plan_total = [r for r in cells if r[0] == "合计"]
    assert len(plan_total) == 3 and all(r[1] == 6 for r in plan_total)
