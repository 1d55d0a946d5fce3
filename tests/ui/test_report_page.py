"""The 报表 page alone, over the sample list: its charts and the workbook it exports."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtWidgets import QLineEdit, QPushButton

from tests.paths import SAMPLE
from tests.ui.conftest import wait_for
from ui.pages.report import ReportPage


@pytest.fixture
def page(show_page, sample):
    return show_page(ReportPage, sample)


def test_report_page_exports_the_same_workbook_as_the_command(qtbot, page, tmp_path):
    from ui.cli.main import run_cli

    assert page.objectName() == "reportPage"
    qtbot.waitUntil(lambda: page.canvases["pyramid"].figure.axes != [], timeout=5000)
    path = tmp_path / "窗口报表.xlsx"
    page.findChild(QLineEdit, "reportPathEdit").setText(str(path))
    page.findChild(QPushButton, "exportReportButton").click()
    wait_for(lambda: page.worker is None, 60_000)
    assert path.exists() and page.open_file_button.isEnabled()
    by = page.field_combo.currentData()
    cli = tmp_path / "命令行报表.xlsx"
    assert run_cli(["report", str(SAMPLE), "--by", by, "--out", str(cli)]) == 0
    ours, theirs = openpyxl.load_workbook(path), openpyxl.load_workbook(cli)
    assert ours.sheetnames == theirs.sheetnames and "汇总" in ours.sheetnames
    for name in ours.sheetnames:
        assert ours[name].max_row == theirs[name].max_row, name
    png = page.save_chart(str(tmp_path / "金字塔.png"))
    assert png is not None and png.stat().st_size > 20_000
