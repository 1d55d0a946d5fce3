"""The 走访 page alone, over the sample list and a campaign made from it: record with the
keyboard, refusals in Chinese, filters, the Excel round trip, results. (Making and opening
campaign files through the window is in test_campaign_window.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QTableView

from core.campaign import Campaign, CampaignInfo
from tests.ui.conftest import choose_row, enter_a_visit_by_keyboard, visits_column, wait_for
from ui.pages.visits import VisitsPage

SAMPLE_CUSTOMERS = 320
INFO = CampaignInfo("城东 12 月扫场", "城东小商品批发市场", "某某县分公司", staff=("王磊", "李娜"))


def make_campaign(services, path: Path) -> Path:
    """A campaign file from the state's list and offers, as 新建营销活动 writes it."""
    analysis = services.state.analysis
    inputs = analysis.inputs
    Campaign.create(path, analysis.offers, INFO, scheme=inputs.scheme, catalog=inputs.catalog,
                    rules=analysis.rules, source=services.state.result,
                    options=inputs.options.to_dict()).close()  # fmt: skip
    return path


@pytest.fixture
def page(show_page, sample, tmp_path):
    """The page with a new campaign of the sample list open."""
    shown = show_page(VisitsPage, sample)
    sample.state.set_campaign(Campaign.open(make_campaign(sample, tmp_path / "c.jzt")))
    return shown


def test_without_a_campaign_the_page_offers_new_and_open(qtbot, show_page, services):
    page = show_page(VisitsPage, services)
    assert page.stack.currentIndex() == 0
    assert not page.findChild(QPushButton, "newCampaignButton").isEnabled()
    assert "先打开客户清单" in page.empty.hint.text()
    asked = []
    page.open_campaign_requested.connect(lambda: asked.append("open"))
    page.findChild(QPushButton, "openCampaignButton").click()
    assert asked == ["open"]  # the page asks; the window's campaign controller opens
    from core.importing import import_file
    from tests.paths import SAMPLE

    services.state.set_result(import_file(SAMPLE))
    assert page.findChild(QPushButton, "newCampaignButton").isEnabled()


def test_enter_saves_and_moves_on(qtbot, page):
    view = page.findChild(QTableView, "visitsCustomerTable")
    assert view.model().rowCount() == SAMPLE_CUSTOMERS
    assert "城东 12 月扫场" in page.header.text()
    enter_a_visit_by_keyboard(qtbot, page)


def test_bad_values_and_conflicts_are_refused_in_chinese(qtbot, page, tmp_path):
    form = page.form
    choose_row(page, 0)
    form.visitor.setCurrentText("李娜")
    form.intent.setCurrentIndex(form.intent.findData("已成交"))
    form.fee.setText("八十八")
    assert not page.save_visit()
    assert "月费" in form.message.text() and form.message.property("error") is True
    form.fee.setText("88元")
    assert page.save_visit()
    choose_row(page, 0)
    form.visitor.setCurrentText("李娜")
    form.intent.setCurrentIndex(form.intent.findData("无意向"))
    assert not page.save_visit()  # same customer, day and visitor, another answer
    assert form.message.property("error") is True
    assert len(page.state.campaign.visits()) == 1
    assert page.state.campaign.visits()[0].visit.signed_fee == 88


def test_filters_not_visited_and_follow_ups_due(qtbot, page, tmp_path):
    form = page.form
    choose_row(page, 2)
    form.visitor.setCurrentText("王磊")
    form.intent.setCurrentIndex(form.intent.findData("考虑中"))
    form.follow_check.setChecked(True)
    assert page.save_visit()
    page.status_filter.setCurrentIndex(page.status_filter.findData("not_visited"))
    assert page.model.rowCount() == SAMPLE_CUSTOMERS - 1
    choose_row(page, 0)
    second = page.model.index(1, 1).data()
    form.visitor.setCurrentText("王磊")
    form.intent.setCurrentIndex(form.intent.findData("无意向"))
    assert page.save_visit()  # the saved customer leaves this list: the next one is not skipped
    assert page.model.rowCount() == SAMPLE_CUSTOMERS - 2
    assert page.view.currentIndex().data() == second
    page.status_filter.setCurrentIndex(page.status_filter.findData("due"))
    assert page.model.rowCount() == 1
    page.status_filter.setCurrentIndex(0)
    page.visitor_filter.setCurrentText("王磊")
    assert page.model.rowCount() == 2


def test_export_fill_and_import_the_visit_sheet(qtbot, page, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    sheet = tmp_path / "走访表.xlsx"
    page.export_sheet(str(sheet))
    wait_for(lambda: page.worker is None, 30_000)
    wb = openpyxl.load_workbook(sheet)
    ws = wb["走访记录"]
    heads = [c.value for c in ws[1]]
    assert heads[:6] == ["客户编号", "客户名称", "手机号码", "档位", "推荐套餐", "走访日期"]
    col = {h: i + 1 for i, h in enumerate(heads)}
    today = dt.date.today()
    ws.cell(2, col["走访日期"], today)
    ws.cell(2, col["走访人"], "李娜")
    ws.cell(2, col["意向"], "已成交")
    ws.cell(2, col["签约套餐"], "畅享99元套餐")
    ws.cell(2, col["签约月费"], 99)
    ws.cell(3, col["走访日期"], today)
    ws.cell(3, col["走访人"], "李娜")
    ws.cell(3, col["意向"], "很想要")  # not in the list: reported, not imported
    wb.save(sheet)
    page.import_sheets([str(sheet)])
    wait_for(lambda: page.worker is None, 30_000)
    report = page.last_report
    assert report.imported == 1 and len(report.rejected) == 1
    assert "意向" in report.rejected[0].reason
    assert sum(visits_column(page)) == 1
    page.import_sheets([str(sheet)])  # the same file again adds nothing
    wait_for(lambda: page.worker is None, 30_000)
    assert page.last_report.imported == 0 and len(page.state.campaign.visits()) == 1


def test_results_tab_shows_the_funnel(qtbot, page, tmp_path):
    form = page.form
    choose_row(page, 0)
    form.visitor.setCurrentText("王磊")
    form.intent.setCurrentIndex(form.intent.findData("已成交"))
    form.met.setCurrentText("是")
    form.fee.setText("59")
    assert page.save_visit()
    page.right_tabs.setCurrentWidget(page.results_tab)
    model = page.results_model
    total = next(r for r in model.rows if r[0] == "合计")
    assert total[1:6] == [SAMPLE_CUSTOMERS, 1, 1, 1, 1]
    canvas = page.findChild(object, "visitsFunnelCanvas")
    assert canvas is not None and canvas.figure.axes


def test_the_visit_form_refuses_a_contradiction(qtbot, page):
    form = page.form
    page.view.setCurrentIndex(page.proxy.index(0, 1))
    form.visitor.setCurrentText("王磊")
    form.intent.setCurrentIndex(form.intent.findData("未见到"))
    form.met.setCurrentText("是")
    assert not page.save_visit()
    assert "是否见到决策人却填了“是”" in form.message.text()
    assert form.message.property("error") is True
    form.met.setCurrentText("否")
    assert page.save_visit()
    assert [s.visit.intent for s in page.state.campaign.visits()] == ["未见到"]
