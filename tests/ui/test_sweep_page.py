"""The 走访 page after the sweep (issue 22): who visits whom, a customer met on the spot,
the targets and the day's board for the meetings, results by 推荐套餐 / 日期, one
person's 走访表 with 走访人 filled in."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import QItemSelectionModel

from core.campaign import Campaign, CampaignInfo, Targets
from tests.ui.conftest import wait_for
from ui.pages.visits import VisitsPage

INFO = CampaignInfo("城东 12 月扫场", "城东小商品批发市场", "某某县分公司", staff=("王磊", "李娜"))


@pytest.fixture
def page(show_page, sample, tmp_path):
    analysis, inputs = sample.state.analysis, sample.state.analysis.inputs
    path = tmp_path / "c.jzt"
    Campaign.create(path, analysis.offers, INFO, scheme=inputs.scheme, catalog=inputs.catalog,
                    rules=analysis.rules, source=sample.state.result).close()  # fmt: skip
    shown = show_page(VisitsPage, sample)
    sample.state.set_campaign(Campaign.open(path))
    return shown


def select_rows(page, rows: list[int]) -> None:
    model = page.view.selectionModel()
    model.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        model.select(page.proxy.index(r, 0), flags)


def test_selected_customers_are_assigned_and_the_filter_shows_them(page):
    select_rows(page, [0, 1, 2])
    assert page.assign("李娜") == 3
    campaign = page.state.campaign
    assert campaign.assigned_counts() == {"李娜": 3}
    page.assignee_filter.setCurrentText("李娜")
    assert page.model.rowCount() == 3
    page.assignee_filter.setCurrentText("（未分配）")
    assert page.model.rowCount() == 320 - 3


def test_auto_assignment_shares_everyone_out_and_keeps_visits(page):
    from core.campaign import Visit

    campaign = page.state.campaign
    key = campaign.customers()[0].key
    campaign.add_visit(key, Visit(visit_date=dt.date.today(), visitor="王磊", intent="有意向"))
    report = page.auto_assign(["王磊", "李娜"])
    assert sum(report.assigned.values()) == 320
    assert abs(report.assigned["王磊"] - report.assigned["李娜"]) <= 1
    assert len(campaign.visits_for(key)) == 1
    col = page.model.column_of("分配给")
    assert {page.model.index(r, col).data() for r in range(page.model.rowCount())} == {
        "王磊",
        "李娜",
    }


def test_a_walk_in_is_added_and_selected_for_its_visit(page):
    added = page.add_walk_in({"name": "李记茶叶", "phone": "13912345678", "address": "C区8号",
                              "industry": "茶叶", "note": ""})  # fmt: skip
    assert added.origin == "现场新增" and page.current_key() == added.key
    assert page.model.rowCount() == 321


def test_targets_and_the_days_board(qtbot, page):
    from core.campaign import Visit

    assert page.edit_targets(Targets(signed=20, staff={"王磊": 12}))
    campaign = page.state.campaign
    select_rows(page, [0, 1])
    page.assign("王磊")
    key = campaign.customers()[0].key
    campaign.add_visit(key, Visit(visit_date=dt.date.today(), visitor="王磊", intent="已成交",
                                  met=True, signed_package="畅享59元套餐"))  # fmt: skip
    page.reload()
    page.right_tabs.setCurrentWidget(page.board_tab)
    rows = {r[0]: r for r in page.board_tab.model.rows}
    assert rows["王磊"][1:3] == [2, 1] and rows["王磊"][5:8] == [1, 1, 12]
    assert "全队签约目标 20 户" in page.board_tab.summary.text()


def test_results_by_recommended_package_and_what_worked(qtbot, page):
    from core.campaign import Visit

    campaign = page.state.campaign
    first = campaign.customers()[0]
    campaign.add_visit(first.key, Visit(visit_date=dt.date.today(), visitor="李娜",
                                        intent="已成交", signed_package=first.offer_package,
                                        objections=("价格",)))  # fmt: skip
    page.reload()
    page.right_tabs.setCurrentWidget(page.results_tab)
    page.results_tab.by_combo.setCurrentIndex(page.results_tab.by_combo.findData("plan"))
    assert page.results_tab.model.headers[0] == "推荐套餐"
    text = page.results_tab.worked.text()
    assert "签推荐套餐 1" in text and "价格 1 位" in text and "过客 1" in text


def test_one_persons_visit_sheet_has_their_customers_and_name(qtbot, page, tmp_path):
    select_rows(page, [0, 1, 2, 3])
    page.assign("李娜")
    page.assignee_filter.setCurrentText("李娜")
    out = tmp_path / "李娜走访表.xlsx"
    page.export_sheet(str(out))
    wait_for(lambda: page.worker is None, 30_000)
    ws = openpyxl.load_workbook(out)["走访记录"]
    heads = [c.value for c in ws[1]]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(rows) == 4 and {r[heads.index("走访人")] for r in rows} == {"李娜"}
