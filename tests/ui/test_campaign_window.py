"""Campaign files through the whole window: 新建 from the open list, the status bar, recent
files, a foreign file left untouched, letters logged, the report's 走访结果."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QTableView

from core.campaign import CampaignInfo
from tests.ui.conftest import choose_row, enter_a_visit_by_keyboard, wait_for

SAMPLE_CUSTOMERS = 320


def open_sample(qtbot, window) -> None:
    window.open_sample()
    qtbot.waitUntil(lambda: not window.busy and window.state.analysis is not None, timeout=20_000)


def new_campaign(qtbot, window, path: Path) -> None:
    info = CampaignInfo("城东 12 月扫场", "城东小商品批发市场", "某某县分公司",
                        staff=("王磊", "李娜"))  # fmt: skip
    window.new_campaign(str(path), info)
    wait_campaign(qtbot, window)


def wait_campaign(qtbot, window) -> None:
    """Until the campaign is open as the document and its offers are shown."""
    qtbot.waitUntil(lambda: window.state.campaign is not None and not window.busy
                    and window.state.analysis is not None, timeout=30_000)  # fmt: skip


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
    enter_a_visit_by_keyboard(qtbot, page)


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
    wait_campaign(qtbot, window)
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
    wait_for(lambda: page.worker is None, 60_000)
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
    wait_for(lambda: report.worker is None, 60_000)
    assert "走访结果" in openpyxl.load_workbook(path).sheetnames


def test_a_campaign_edited_by_another_program_is_refused_and_left_as_it_was(
    qtbot, window, warnings, tmp_path
):
    import sqlite3

    from tests.campaign_helpers import build_campaign

    camp = build_campaign(tmp_path, n=10)
    with sqlite3.connect(camp) as db:
        db.execute("UPDATE customers SET data = 'nope' WHERE seq = 3")
    db.close()
    before, mtime = camp.read_bytes(), camp.stat().st_mtime_ns
    assert window.open_campaign(str(camp))  # the header is a campaign's: checked further
    qtbot.waitUntil(lambda: not window.busy, timeout=30_000)
    title, text = warnings[-1]
    assert title == "无法打开营销活动" and "营销活动文件已损坏或被其他程序改动过" in text
    assert "备份" in text and window.state.campaign is None
    assert str(camp.resolve()) not in window.settings.recent_campaigns
    assert camp.read_bytes() == before and camp.stat().st_mtime_ns == mtime
