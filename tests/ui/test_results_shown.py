"""A long job's result is said in full, with 打开文件 / 打开文件夹 (not a status-bar line cut
at the window's edge), and a refusal goes once its cause is gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMessageBox, QPushButton

from tests.campaign_helpers import build_campaign


@pytest.fixture
def opened(monkeypatch):
    urls: list[Path] = []

    def fake(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", fake)
    return urls


def result_dialog(page) -> QDialog:
    dialog = page.findChild(QDialog, "resultDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_exported_report_opens_from_the_result(qtbot, show_page, sample, tmp_path, opened):
    from ui.pages.report import ReportPage

    page = show_page(ReportPage, sample)
    path = tmp_path / "城东报表.xlsx"
    page.findChild(QLineEdit, "reportPathEdit").setText(str(path))
    page.findChild(QPushButton, "exportReportButton").click()
    qtbot.waitUntil(lambda: page.worker is None, timeout=60_000)
    dialog = result_dialog(page)
    assert str(path) in dialog.findChild(QLabel, "resultText").text()
    dialog.findChild(QPushButton, "openFolderButton").click()
    assert opened == [tmp_path] and not dialog.isVisible()
    page.open_file_button.click()
    assert opened[-1] == path


def test_a_report_refusal_goes_when_the_path_changes(qtbot, show_page, sample, tmp_path):
    from ui.pages.report import ReportPage

    page = show_page(ReportPage, sample)
    page.path_edit.setText("")
    assert page.export() is None
    assert page.message.property("error") is True
    page.path_edit.setText(str(tmp_path / "报表.xlsx"))
    assert page.message.property("error") is False and "报表包括" in page.message.text()


def test_the_exported_visit_sheet_is_said_in_full(qtbot, show_page, services, tmp_path, opened,
                                                  monkeypatch):  # fmt: skip
    from core.campaign import Campaign
    from ui.pages.visits import VisitsPage

    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    page = show_page(VisitsPage, services)
    services.state.set_campaign(Campaign.open(build_campaign(tmp_path, n=30)))
    sheet = tmp_path / "城东走访表（第一批，李娜和王磊负责的商户）.xlsx"
    page.export_sheet(str(sheet))
    qtbot.waitUntil(lambda: page.worker is None, timeout=30_000)
    text = result_dialog(page).findChild(QLabel, "resultText").text()
    assert str(sheet) in text and "30 位客户" in text  # the whole path, never cut
    result_dialog(page).findChild(QPushButton, "openFileButton").click()
    assert opened == [sheet]


def test_settings_and_visit_refusals_go_when_the_field_is_changed(qtbot, show_page, services,
                                                                  tmp_path):  # fmt: skip
    from core.campaign import Campaign
    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.pages.visits import VisitsPage

    dialog = SettingsDialog(["低端", "高端"])
    qtbot.addWidget(dialog)
    dialog.phone.setText("打我电话")
    dialog.save()
    assert dialog.message.property("error") is True and "电话" in dialog.message.text()
    dialog.phone.setText("13900001111")
    assert dialog.message.property("error") is False and dialog.message.text() == ""

    page = show_page(VisitsPage, services)
    services.state.set_campaign(Campaign.open(build_campaign(tmp_path, n=10)))
    page.view.setCurrentIndex(page.proxy.index(0, 1))
    assert page.save_visit() is False  # no 意向 chosen
    form = page.form
    assert form.message.property("error") is True
    form.intent.setCurrentIndex(form.intent.findData("有意向"))
    assert form.message.property("error") is False and "意向必填" in form.message.text()
