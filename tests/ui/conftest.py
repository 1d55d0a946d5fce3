"""Fixtures of the window's tests: one page over a bare AppState, or the whole window.

Page tests build the page they test with ``show_page(BandsPage, sample)``: the services
a window would hand it (state, task runner, settings, undo stack, messages) with the
sample list imported and its bands computed, and no window at all. A few end-to-end
tests keep the whole ``MainWindow`` (``window``, ``sample_window``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from tests.paths import SAMPLE

PAGE_SIZE = (1180, 700)  # a page's share of a 1366×768 window
SIGNED = {"branch": "中国电信城东县分公司", "staff_name": "王磊", "staff_phone": "13900001111"}


@pytest.fixture(autouse=True)
def _signed_letters(_private_data_dir):
    """Letters are signed (落款单位, 客户经理, 电话 filled in), as after a user's first 设置:
    generating does not stop at the 去设置 / 仍然生成 question. Tests of that question
    save the defaults again (``unsigned_settings``)."""
    from core.base import Settings, save_settings

    save_settings(Settings(**SIGNED))


@pytest.fixture
def ui_font(qapp):
    """The program's own UI font (a Chinese one, as ``ui.app`` sets it): sizes are measured
    as a user sees them. Qt's default font comes back afterwards."""
    from ui import app as ui_app

    before = qapp.font()
    family = ui_app.set_ui_font(qapp)
    yield family
    qapp.setFont(before)


@pytest.fixture
def unsigned_settings():
    """The settings as shipped: 中国电信××县分公司, no 客户经理, no 电话."""
    from core.base import Settings, save_settings

    save_settings(Settings())


@pytest.fixture
def services(qtbot, warnings):
    """What the window hands each page, owned by a widget the test closes."""
    from PySide6.QtWidgets import QWidget

    from ui.services import Services

    owner = QWidget()
    qtbot.addWidget(owner)
    made = Services.create(owner)
    yield made
    made.tasks.shutdown()
    made.state.set_campaign(None)


@pytest.fixture
def sample(qtbot, services):
    """The services with the sample list imported and its bands and offers computed."""
    from core.importing import import_file
    from ui.models.customer_table import prepare_list

    result = import_file(SAMPLE)
    services.state.set_result(result, prepare_list(result))
    qtbot.waitUntil(lambda: services.state.analysis is not None and not services.state.busy,
                    timeout=20_000)  # fmt: skip
    return services


@pytest.fixture
def show_page(qtbot):
    """``show_page(PageClass, services)``: the page alone, shown at a laptop's size."""

    def make(cls, services):
        page = cls(services)
        qtbot.addWidget(page)
        page.resize(*PAGE_SIZE)
        page.show()
        qtbot.waitExposed(page)
        return page

    return make


def settle(qtbot, state) -> None:
    """Wait until the state's recompute (if any) is done."""
    qtbot.waitUntil(lambda: not state.busy, timeout=20_000)


@pytest.fixture
def window(qtbot, warnings):
    """A bare main window at 1366×768 (no list open)."""
    from ui.main_window import MainWindow

    win = MainWindow()  # closed here, not by qtbot: a test's edits must not ask 还没有保存
    win.resize(1366, 768)
    win.show()
    yield win
    win.state.dirty = False
    win.close()  # waits for running workers
    win.deleteLater()


@pytest.fixture
def sample_window(qtbot, window):
    """The main window with the sample list open and its bands computed."""
    window.open_sample()
    qtbot.waitUntil(lambda: not window.busy and window.state.analysis is not None,
                    timeout=20_000)  # fmt: skip
    return window


def wait_for(condition, timeout: int = 120_000) -> None:
    """Run the event loop until ``condition()`` holds (a page's job is done …).

    Not ``qtbot.waitUntil`` while letters are being laid out on a worker thread: it
    connects and disconnects a timer every 10 ms, and a disconnect on the GUI thread can
    deadlock with Qt work on a worker thread (PySide takes the GIL inside Qt's
    signal-slot lock on one side, holds it while waiting for that lock on the other).
    One timer, connected once, polls instead.
    """
    import time

    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    deadline = time.monotonic() + timeout / 1000
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: (condition() or time.monotonic() > deadline) and loop.quit())
    timer.start()
    loop.exec()
    timer.stop()
    assert condition(), f"没有在 {timeout / 1000:.0f} 秒内完成"


@pytest.fixture
def opened(monkeypatch):
    """What 打开文件 / 打开文件夹 asked the system to open (nothing is really opened)."""
    urls: list[Path] = []

    def fake(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", fake)
    return urls


def choose_row(page, row: int) -> None:
    page.view.setCurrentIndex(page.proxy.index(row, 1))


def visits_column(page) -> list[int]:
    col = page.model.column_of("visits")
    return [int(page.model.index(r, col).data()) for r in range(page.model.rowCount())]


def enter_a_visit_by_keyboard(qtbot, page) -> None:
    """On the 走访 page: the first customer, 有意向 / 见到决策人 / 价格, Enter — saved, the
    next customer chosen, the form keeping the date and the visitor."""
    from PySide6.QtCore import Qt

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
    stored = page.state.campaign.visits()
    assert len(stored) == 1 and stored[0].visit.objections == ("价格",)
    assert stored[0].visit.met is True and stored[0].visit.visitor == "王磊"
    # the form kept the date and the visitor for the next customer
    assert form.visitor.currentText() == "王磊" and form.intent.currentData() == ""
