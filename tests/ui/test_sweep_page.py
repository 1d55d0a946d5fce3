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


def test_the_board_is_drawn_after_the_results_tab_was_looked_at(page):
    """Switching 走访统计 → 今日战报 after a visit shows the board, not an empty table."""
    from core.campaign import Visit

    campaign = page.state.campaign
    campaign.add_visit(campaign.customers()[0].key,
                       Visit(visit_date=dt.date.today(), visitor="李娜", intent="有意向"))  # fmt: skip
    page.reload()
    page.right_tabs.setCurrentWidget(page.results_tab)
    assert page.results_tab.model.rowCount() > 0
    page.right_tabs.setCurrentWidget(page.board_tab)
    rows = {r[0]: r for r in page.board_tab.model.rows}
    assert rows["李娜"][4] == 1  # 今天走访
    page.right_tabs.setCurrentWidget(page.results_tab)  # nothing changed: not drawn again
    assert page.results_tab.model.rowCount() > 0


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


def _visit_some(campaign, intents: list[str]) -> list[str]:
    from core.campaign import Visit

    keys = [c.key for c in campaign.customers()[: len(intents)]]
    for key, intent in zip(keys, intents, strict=True):
        signed = "畅享59元套餐" if intent == "已成交" else ""
        campaign.add_visit(key, Visit(visit_date=dt.date.today(), visitor="王磊", intent=intent,
                                      met=intent != "未见到", signed_package=signed))  # fmt: skip
    return keys


def test_the_second_round_dialog_counts_before_anything_is_written(page):
    from core.campaign import round_count
    from ui.dialogs.sweep_dialogs import FollowUpDialog

    campaign = page.state.campaign
    _visit_some(campaign, ["有意向", "考虑中", "无意向", "有意向"])
    dialog = FollowUpDialog("城东（第2轮）", lambda c: round_count(campaign, **c), page)
    assert dialog.total == 3 and "有意向 2 位" in dialog.chosen.text()
    dialog.intents["无意向"].setChecked(True)
    assert dialog.total == 4
    for box in dialog.intents.values():
        box.setChecked(False)
    assert dialog.total == 0 and dialog.problem()  # 确定 says what to choose
    dialog.not_visited.setChecked(True)
    assert dialog.total == 320 - 4


def test_the_second_round_is_written_and_offered_to_open(qtbot, page, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from core.campaign import Campaign

    campaign = page.state.campaign
    keys = _visit_some(campaign, ["有意向", "考虑中", "无意向", "已成交"])
    out = tmp_path / "第二轮.jzt"
    page.rounds.follow_up(str(out), {"intents": ["有意向", "考虑中"], "due": False,
                                     "not_visited": False}, "城东 12 月扫场（第2轮）")  # fmt: skip
    wait_for(lambda: page.worker is None, 30_000)
    with Campaign.open(out, readonly=True) as second:
        assert {c.key for c in second.customers()} == set(keys[:2])
        assert second.round()["number"] == 2 and second.info.name == "城东 12 月扫场（第2轮）"
    box = page.findChild(QMessageBox, "followUpResult")
    assert box is not None and "第 2 轮" in box.text()
    with qtbot.waitSignal(page.open_path_requested) as opened:
        next(b for b in box.buttons() if b.text() == "打开第二轮").click()
    assert opened.args == [str(out)]


def test_a_market_list_without_spend_joins_as_prospects(page, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["城东市场物管商户名单"])
    ws.append(["商户名称", "铺位号", "联系电话"])
    ws.append(["新开张茶叶店", "C-101", "13900000001"])
    ws.append(["小林服装", "C-103", "13900000002"])
    wb.save(tmp_path / "物管名单.xlsx")
    page.rounds.add_list(str(tmp_path / "物管名单.xlsx"))
    wait_for(lambda: page.worker is None, 30_000)
    assert page.model.rowCount() == 322
    box = page.findChild(QMessageBox, "addProspectsResult")
    assert box is not None and "潜在客户（没有消费，不分档）2 位" in box.text()
    origin = page.model.column_of("客户来源")
    assert [page.model.index(r, origin).data() for r in range(320, 322)] == ["潜在客户"] * 2
