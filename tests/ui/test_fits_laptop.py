"""A 1366×768 laptop with a taskbar (about 1366×690 for the window): what a user needs is on
screen — the 走访 status columns without scrolling (or chosen on the header), long cells in
full as tooltips, the print preview and the dialogs within the free part of the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDialog, QPushButton, QTableView

from tests.campaign_helpers import build_campaign

LAPTOP = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-px taskbar
WINDOW = (1366, 690)  # the window on it, title bar and frame not counted


@pytest.fixture
def laptop(monkeypatch):
    """The screen's free part is a laptop's, whatever the offscreen screen says."""
    from ui.widgets import common

    monkeypatch.setattr(common, "available_geometry", lambda widget=None: LAPTOP)
    return LAPTOP


def within(inner: QRect, outer: QRect) -> bool:
    return outer.contains(inner)


def test_long_cells_show_their_whole_text_as_a_tooltip(qtbot, show_page, sample):
    from ui.pages.offers import OffersPage

    page = show_page(OffersPage, sample)
    view = page.findChild(QTableView, "offersTable")
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    reason = headers.index("推荐理由")
    index = model.index(0, reason)
    text = index.data(Qt.ItemDataRole.DisplayRole)
    assert len(text) > 20 and index.data(Qt.ItemDataRole.ToolTipRole) == text
    band = model.index(0, headers.index("档位"))
    assert band.data(Qt.ItemDataRole.ToolTipRole) is None  # "高端" needs no tooltip


def visible_columns(view: QTableView) -> list[str]:
    """Header texts of the columns fully inside the table's visible width."""
    header, model = view.horizontalHeader(), view.model()
    width = view.viewport().width()
    out = []
    for logical in range(model.columnCount()):
        x = header.sectionViewportPosition(logical)
        if (
            not header.isSectionHidden(logical)
            and x >= 0
            and x + header.sectionSize(logical) <= width
        ):
            out.append(model.headerData(logical, Qt.Orientation.Horizontal))
    return out


def test_the_window_and_every_page_fit_a_laptop(qtbot, sample_window, tmp_path, ui_font):
    from core.campaign import Campaign

    window = sample_window
    window.state.set_campaign(Campaign.open(build_campaign(tmp_path, n=40)))  # the tallest page
    window.resize(*WINDOW)
    assert window.minimumSizeHint().height() <= WINDOW[1]
    for key in window.navigator.step_keys():
        window.show_step(key)
        assert window.height() == WINDOW[1], key  # no page pushes the window taller


def test_visit_status_columns_are_visible_and_columns_can_be_chosen(qtbot, window, tmp_path,
                                                                    ui_font):  # fmt: skip
    from core.campaign import Campaign

    window.resize(*WINDOW)
    window.state.set_campaign(Campaign.open(build_campaign(tmp_path, n=40)))
    window.show_step("visits")
    page = window.visits_page
    view = page.findChild(QTableView, "visitsCustomerTable")
    qtbot.waitUntil(lambda: view.model().rowCount() == 40, timeout=5000)
    shown = visible_columns(view)
    for needed in ("客户名称", "档位", "走访次数", "最近意向", "下次跟进"):
        assert needed in shown, shown
    assert "客户编号" not in shown  # on request only
    chooser = page.customers.columns
    menu = chooser.menu()
    assert menu.objectName() == "columnMenu"
    ticks = {a.text(): a.isChecked() for a in menu.actions() if a.isCheckable()}
    assert ticks["客户编号"] is False and ticks["走访次数"] is True
    next(a for a in menu.actions() if a.text() == "客户编号").setChecked(True)
    next(a for a in menu.actions() if a.text() == "手机号码").setChecked(False)
    assert "客户编号" in chooser.shown() and "手机号码" not in chooser.shown()
    page.reload()  # the table is filled again: the choice holds
    assert "客户编号" in chooser.shown() and "手机号码" not in chooser.shown()
    chooser.reset()
    assert "客户编号" not in chooser.shown() and chooser.shown()[:2] == ["客户名称", "档位"]


def test_print_preview_fits_the_screen_and_shows_the_first_letters(qtbot, show_page, sample,
                                                                   laptop):  # fmt: skip
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    from ui.pages.letters import LettersPage

    page = show_page(LettersPage, sample)
    page.set_scope("bands", bands=["高端"])
    page.findChild(QPushButton, "printPreviewButton").click()
    qtbot.waitUntil(lambda: page.findChild(QPrintPreviewDialog) is not None, timeout=20_000)
    dialog = page.findChild(QPrintPreviewDialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() == 16, timeout=10_000)
    assert dialog.height() + 32 <= laptop.height() and dialog.width() <= laptop.width()
    assert dialog.height() > 600  # as tall as the screen allows: a page can be read
    dialog.close()
    page.set_scope("all")
    page.print_preview()
    qtbot.waitUntil(lambda: page.worker is None, timeout=20_000)
    dialog = page.findChild(QPrintPreviewDialog)
    qtbot.waitUntil(lambda: dialog.findChild(QPrintPreviewWidget).pageCount() == 30, timeout=10_000)
    assert "显示前 30 位" in dialog.windowTitle()
    dialog.close()


def test_dialogs_fit_the_free_part_of_a_laptop_screen(qtbot, sample_window, laptop, tmp_path):
    from pathlib import Path

    from core.base import MappingNeeded
    from ui.dialogs.campaign_dialog import CampaignDialog

    window = sample_window
    height = laptop.height() - 32  # the title bar
    settings = window.open_settings()
    assert settings.minimumSizeHint().height() <= height and settings.height() <= height
    settings.reject()
    headers = ["客户名称", "手机号码", "收费额", "套餐名称", "入网时间", "所属网格", "备注"]
    error = MappingNeeded("没有找到“月均消费（ARPU）”列。", "", headers)
    mapping = window.ask_mapping(error, Path("走访清单.xlsx"), None)
    assert mapping.height() <= height and mapping.minimumSizeHint().height() <= height
    mapping.reject()
    campaign = CampaignDialog("城东", "城东市场", "城东分公司", ["王磊"], tmp_path, window)
    assert campaign.minimumSizeHint().height() <= height
    from ui.dialogs.settings_dialog import SettingsDialog

    many = SettingsDialog([f"第{i}档" for i in range(10)], window)  # a scheme of ten bands
    assert many.minimumSizeHint().height() <= height and many.sizeHint().height() <= height
    for dialog in window.findChildren(QDialog):
        dialog.close()
