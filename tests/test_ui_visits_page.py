"""走访 page and campaign files in the window: create, record with the keyboard, the Excel
round trip, results, recent files, a foreign file left untouched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QTableView

from core.campaign import CampaignInfo
from ui.main_window import MainWindow

SAMPLE_CUSTOMERS = 320


@pytest.fixture
def window(qtbot, warnings):
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()


def open_sample(qtbot, window) -> None:
    window.open_sample()
    qtbot.waitUntil(lambda: not window.busy and window.state.analysis is not None, timeout=20_000)


def new_campaign(qtbot, window, path: Path) -> None:
    info = CampaignInfo("城东 12 月扫场", "城东小商品批发市场", "某某县分公司",
                        staff=("王磊", "李娜"))  # fmt: skip
    window.new_campaign(str(path), info)
    qtbot.waitUntil(lambda: window.state.campaign is not None, timeout=30_000)


def choose_row(page, row: int) -> None:
    page.view.setCurrentIndex(page.proxy.index(row, 1))


def visits_column(page) -> list[int]:
    col = page.model.column_of("visits")
    return [int(page.model.index(r, col).data()) for r in range(page.model.rowCount())]


def test_without_a_campaign_the_page_offers_new_and_open(qtbot, window):
    window.show_step("visits")
    page = window.findChild(object, "visitsPage")
    assert window.stack.currentWidget() is page and page.stack.currentIndex() == 0
    assert not page.findChild(QPushButton, "newCampaignButton").isEnabled()
    assert "先打开客户清单" in page.empty.hint.text()
    open_sample(qtbot, window)
    assert page.findChild(QPushButton, "newCampaignButton").isEnabled()


def test_a_new_campaign_lists_its_customers_and_enter_saves_and_moves_on(qtbot, window, tmp_path):
    open_sample(qtbot, window)
    new_campaign(qtbot, window, tmp_path / "城东.jzt")
    page = window.visits_page
    assert window.stack.currentWidget() is page and page.stack.currentIndex() == 1
    view = window.findChild(QTableView, "visitsCustomerTable")
    assert view.model().rowCount() == SAMPLE_CUSTOMERS
    assert (
        "城东 12 月扫场" in page.header.text() and "城东 12 月扫场" in window.campaign_label.text()
    )
    choose_row(page, 0)
    form = page.form
    assert form.visitor.currentText() in ("王磊", "")
    form.visitor.setCurrentText("王磊")
    form.intent.setCurrentIndex(form.intent.findData("有意向"))
    form.met.setCurrentText("是")
    form.objections["价格"].setChecked(True)
    qtbot.keyClick(form.suggestion, Qt.Key.Key_Return)  # Enter in any field saves
    assert page.view.currentIndex().row() == 1  # on to the next customer
    assert visits_column(page)[0] == 1
    assert "已保存" in form.message.text()
    stored = window.state.campaign.visits()
    assert len(stored) == 1 and stored[0].visit.objections == ("价格",)
    assert stored[0].visit.met is True and stored[0].visit.visitor == "王磊"
    # the form kept the date and the visitor for the next customer
    assert form.visitor.currentText() == "王磊" and form.intent.currentData() == ""


def test_bad_values_and_conflicts_are_refused_in_chinese(qtbot, window, tmp_path):
    open_sample(qtbot, window)
    new_campaign(qtbot, window, tmp_path / "c.jzt")
    page, form = window.visits_page, window.visits_page.form
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
    assert len(window.state.campaign.visits()) == 1
    assert window.state.campaign.visits()[0].visit.signed_fee == 88


def test_filters_not_visited_and_follow_ups_due(qtbot, window, tmp_path):
    open_sample(qtbot, window)
    new_campaign(qtbot, window, tmp_path / "c.jzt")
    page, form = window.visits_page, window.visits_page.form
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


def test_export_fill_and_import_the_visit_sheet(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    open_sample(qtbot, window)
    new_campaign(qtbot, window, tmp_path / "c.jzt")
    page = window.visits_page
    sheet = tmp_path / "走访表.xlsx"
    page.export_sheet(str(sheet))
    qtbot.waitUntil(lambda: page.worker is None, timeout=30_000)
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
    qtbot.waitUntil(lambda: page.worker is None, timeout=30_000)
    report = page.last_report
    assert report.imported == 1 and len(report.rejected) == 1
    assert "意向" in report.rejected[0].reason
    assert sum(visits_column(page)) == 1
    page.import_sheets([str(sheet)])  # the same file again adds nothing
    qtbot.waitUntil(lambda: page.worker is None, timeout=30_000)
    assert page.last_report.imported == 0 and len(window.state.campaign.visits()) == 1


def test_results_tab_shows_the_funnel(qtbot, window, tmp_path):
    open_sample(qtbot, window)
    new_campaign(qtbot, window, tmp_path / "c.jzt")
    page, form = window.visits_page, window.visits_page.form
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


def test_recent_campaigns_and_a_foreign_file_is_left_untouched(qtbot, window, tmp_path, warnings):
    open_sample(qtbot, window)
    path = tmp_path / "c.jzt"
    new_campaign(qtbot, window, path)
    assert str(path.resolve()) in window.settings.recent_campaigns
    window.close_campaign()
    assert window.visits_page.stack.currentIndex() == 0
    foreign = tmp_path / "清单.jzt"
    foreign.write_bytes(b"PK\x03\x04 not a campaign")
    before = foreign.read_bytes()
    assert not window.open_campaign(str(foreign))
    assert warnings and "营销活动" in warnings[-1][0]
    assert foreign.read_bytes() == before
    assert window.open_campaign(str(path))
    assert window.state.campaign.info.name == "城东 12 月扫场"


def test_letters_made_with_a_campaign_open_are_logged(qtbot, window, tmp_path):
    open_sample(qtbot, window)
    new_campaign(qtbot, window, tmp_path / "c.jzt")
    page = window.letters_page
    window.show_step("letters")
    page.set_scope("bands", bands=["高端"])
    page.folder_edit.setText(str(tmp_path / "out"))
    page.combined_check.setChecked(False)
    page.generate()
    qtbot.waitUntil(lambda: page.worker is None, timeout=60_000)
    assert "已记入营销活动" in page.result_label.text()
    docs = window.state.campaign.documents()
    assert len(docs) == 16 and all(d.kind == "建议书" for d in docs)


def test_the_report_has_visit_results_when_a_campaign_is_open(qtbot, window, tmp_path):
    open_sample(qtbot, window)
    new_campaign(qtbot, window, tmp_path / "c.jzt")
    page, form = window.visits_page, window.visits_page.form
    choose_row(page, 0)
    form.visitor.setCurrentText("王磊")
    form.intent.setCurrentIndex(form.intent.findData("有意向"))
    assert page.save_visit()
    window.show_step("report")
    report = window.report_page
    path = tmp_path / "报表.xlsx"
    report.path_edit.setText(str(path))
    report.export()
    qtbot.waitUntil(lambda: report.worker is None, timeout=60_000)
    assert "走访结果" in openpyxl.load_workbook(path).sheetnames
