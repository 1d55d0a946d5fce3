"""The welcome page adapts: the six steps and "第一次使用？" on the first use; afterwards the
recent 营销活动 and 客户清单 come first, and a click opens one."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QCommandLinkButton, QWidget

from tests.campaign_helpers import build_campaign
from tests.paths import SAMPLE
from ui.main_window import MainWindow
from ui.settings import Settings


def make_window(qtbot, size=(1366, 690)) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_first_use_explains_the_steps_and_has_no_recent_work(qtbot, warnings):
    window = make_window(qtbot)
    welcome = window.welcome
    assert welcome.hint.isVisible() and welcome.steps.isVisible()
    assert not welcome.continue_title.isVisible()
    assert not welcome.findChildren(QCommandLinkButton)
    window.close()


def test_afterwards_recent_campaigns_and_lists_come_first_and_open(qtbot, warnings, tmp_path):
    listfile = tmp_path / "城东市场清单.xlsx"
    shutil.copyfile(SAMPLE, listfile)
    campaign = build_campaign(tmp_path, n=30)
    settings = Settings()
    settings.first_run = False
    settings.add_recent_file(listfile)
    settings.add_recent_campaign(campaign)
    window = make_window(qtbot)
    welcome = window.welcome
    assert welcome.continue_title.isVisible() and not welcome.hint.isVisible()
    assert not welcome.steps.isVisible()  # the steps stay on the left of the window
    # the recent work sits above the buttons
    assert (
        welcome.recent_campaigns.mapTo(welcome, welcome.recent_campaigns.rect().topLeft()).y()
        < welcome.open_button.mapTo(welcome, welcome.open_button.rect().topLeft()).y()
    )
    first_campaign = welcome.findChild(QCommandLinkButton, "recentCampaign_0")
    first_list = welcome.findChild(QCommandLinkButton, "recentList_0")
    assert first_campaign.text() == campaign.name and first_campaign.isVisible()
    assert first_list.text() == "城东市场清单.xlsx" and str(tmp_path) in first_list.description()
    first_campaign.click()
    qtbot.waitUntil(lambda: window.state.campaign is not None, timeout=10_000)
    assert window.stack.currentWidget() is window.visits_page
    window.show_step("list")
    first_list.click()
    qtbot.waitUntil(lambda: window.state.has_list and not window.busy, timeout=30_000)
    assert window.state.result.source.name == "城东市场清单.xlsx"
    window.close()


def test_the_returning_page_fits_a_laptop_window_with_full_lists(qtbot, warnings, tmp_path,
                                                                 ui_font):  # fmt: skip
    settings = Settings()
    settings.first_run = False
    for i in range(8):
        settings.add_recent_file(tmp_path / f"第{i}批客户清单（城东小商品批发市场）.xlsx")
        settings.add_recent_campaign(tmp_path / f"城东市场第{i}次扫场.jzt")
    window = make_window(qtbot)
    page: QWidget = window.welcome
    assert len(page.findChildren(QCommandLinkButton)) == 8  # four of each
    assert page.minimumSizeHint().height() <= page.height()
    assert window.minimumSizeHint().height() <= 690
    bottom = page.open_button.mapTo(page, page.open_button.rect().bottomLeft()).y()
    assert bottom <= page.height()
    window.close()
