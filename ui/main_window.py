"""The main window: the campaign's steps down the left, one page per step.

客户清单 → 分档 → 主推套餐 → 建议书与反馈表 → 走访 → 报表. Before a list is open only the
first step is available (the welcome page). The window only composes: it builds one
``Services`` (state, task runner, settings, undo stack, messages) and hands it to each
page and to the two controllers that open files (``ImportController``,
``CampaignController``); pages observe the state and never call each other or the
window. The status bar shows what ``services.messages`` says and which file, how many
customers and which band scheme.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QStackedWidget, QWidget

from ui.controllers.campaign_controller import CampaignController
from ui.controllers.import_controller import ImportController, sample_list_path
from ui.pages.list import ListPage
from ui.pages.welcome import WelcomePage
from ui.services import STATUS_MS, Services
from ui.settings import Settings
from ui.widgets.icons import app_icon
from ui.widgets.step_navigator import StepNavigator
from ui.window_chrome import WindowChrome

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from core.importing import ImportResult
    from ui.dialogs.mapping_dialog import MappingDialog
    from ui.state import AppState
    from ui.workers import TaskManager, Worker

log = logging.getLogger(__name__)

APP_TITLE = "价值金字塔营销助手"
APP_VERSION = "0.2.0"
__all__ = ["APP_TITLE", "MainWindow", "sample_list_path"]

STEPS = (
    ("list", "客户清单", "导入的客户清单和导入问题"),
    ("bands", "分档", "按月均消费分档，看价值金字塔和二八曲线"),
    ("offers", "主推套餐", "每档的主推套餐、套餐库、每位客户的推荐"),
    ("letters", "建议书与反馈表", "预览、打印、生成《客户建议书》和《信息反馈表》"),
    ("visits", "走访", "营销活动：录入走访结果、导出导入走访表、走访统计"),
    ("report", "报表", "图表和给领导的 Excel 报表"),
)
NO_LIST_NEEDED = ("list", "visits")  # 走访 works from a campaign file alone


def _warm_up(progress: object) -> None:
    """Import pandas & co. in the background once the window shows: the first open is quick.
    Then openpyxl (the 套餐库 is read when the first list opens) and matplotlib with one
    chart drawn off screen, so the first chart page only draws."""
    from core.importing import load_engines

    load_engines()
    # the 套餐库 reader and the step pages built when the first list opens
    for module in ("openpyxl", "ui.pages.bands", "ui.pages.offers", "ui.pages.letters",
                   "ui.pages.report"):  # fmt: skip
        importlib.import_module(module)
    from ui.widgets.chart_canvas import warm_up_charts

    warm_up_charts()


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = Services.create(self, settings)
        self.imports = ImportController(self.services, self)
        self.campaigns = CampaignController(self.services, self)
        self.imports.can_leave = self.campaigns.can_leave = self.may_leave
        self.pages: dict[str, QWidget] = {}
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.welcome = WelcomePage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.navigator = StepNavigator()
        for key, title, tip in STEPS:
            self.navigator.add_step(key, title, tip, needs_list=key not in NO_LIST_NEEDED)
        self.setCentralWidget(self._central())
        self._add_page("list", ListPage(self.services))
        from ui.pages.visits import VisitsPage

        self._add_page("visits", VisitsPage(self.services))
        self.chrome = WindowChrome(self)  # actions, menus, toolbar, status bar
        self._connect()
        self.navigator.set_list_open(False)
        self.navigator.select("list")
        self.chrome.refresh_recent()
        self.chrome.refresh_recent_campaigns()
        self._restore_geometry()
        self.statusBar().showMessage("请打开客户清单（Ctrl+O），或先打开示例清单看看。")
        QTimer.singleShot(0, lambda: self.services.tasks.start(_warm_up))

    def _central(self) -> QWidget:
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.navigator)
        row.addWidget(self.stack, 1)
        return central

    def _connect(self) -> None:
        state, chrome = self.services.state, self.chrome
        self.services.messages.shown.connect(self.statusBar().showMessage)
        self.welcome.open_requested.connect(self.imports.choose_file)
        self.welcome.sample_requested.connect(self.imports.open_sample)
        self.welcome.recent_requested.connect(self.imports.open_recent)
        self.welcome.campaign_requested.connect(self.campaigns.open_campaign)
        self.welcome.set_first_run(self.settings.first_run)
        self.navigator.step_selected.connect(self.show_step)
        self.imports.busyChanged.connect(chrome.set_busy)
        self.imports.busyChanged.connect(lambda busy: self.welcome.setEnabled(not busy))
        self.imports.imported.connect(lambda _r: self.welcome.set_first_run(False))
        self.imports.recentChanged.connect(chrome.refresh_recent)
        self.campaigns.recentChanged.connect(chrome.refresh_recent_campaigns)
        self.campaigns.opened.connect(lambda _p: self.show_step("visits"))
        state.listChanged.connect(self._list_changed)
        state.inputsChanged.connect(chrome.update_status)
        state.analysisReady.connect(chrome.update_status)
        state.analysisReady.connect(lambda _a: chrome.campaign_changed())
        state.analysisFailed.connect(self._analysis_failed)
        state.bandFilterChanged.connect(lambda band: band and self.show_step("list"))
        state.campaignChanged.connect(chrome.campaign_changed)
        state.campaignChanged.connect(self._update_title)
        self.services.autosave.saved.connect(self._saved)
        self.services.autosave.failed.connect(self._save_failed)
        visits = self.pages["visits"]
        visits.new_campaign_requested.connect(lambda: self.campaigns.new_campaign())
        visits.open_campaign_requested.connect(self.campaigns.choose_campaign)

    # --- what the window holds ---------------------------------------------------------------
    def __getattr__(self, name: str) -> object:
        """The menus' actions and status labels (``window.undo_action`` …) live on the chrome."""
        chrome = self.__dict__.get("chrome")
        if chrome is not None and name in WindowChrome.ACTIONS:
            return getattr(chrome, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def state(self) -> AppState:
        return self.services.state

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def tasks(self) -> TaskManager:
        return self.services.tasks

    @property
    def undo_stack(self) -> QUndoStack | None:
        """The shown page's undo stack (撤销 undoes that page's own work)."""
        return self.services.undo.activeStack()

    @property
    def result(self) -> ImportResult | None:
        return self.imports.result

    @property
    def import_worker(self) -> Worker | None:
        return self.imports.worker

    @property
    def mapping_dialog(self) -> MappingDialog | None:
        return self.imports.mapping_dialog

    @property
    def busy(self) -> bool:
        """True while a list or campaign is being opened, until its bands and offers are
        computed, and while an edit is being saved into the open campaign."""
        return self.imports.busy or self.campaigns.busy or self.services.autosave.busy

    # --- opening (what menus, drops and a second start do) -------------------------------------
    def open_path(self, path: str | Path, **kwargs: object) -> Worker | None:
        """Open a file as a user would (double-click, drop, a second start, the command
        line): a campaign (.jzt) as the document, anything else as a customer list."""
        if _is_campaign(path):
            return self.campaigns.open_campaign(str(path))
        return self.imports.open_path(path, **kwargs)

    def open_sample(self) -> Worker | None:
        return self.imports.open_sample()

    def choose_file(self) -> None:
        self.imports.choose_file()

    def edit_mapping(self) -> MappingDialog | None:
        return self.imports.edit_mapping()

    def ask_mapping(self, error: object, path: Path, sheet: str | None) -> MappingDialog:
        return self.imports.ask_mapping(error, path, sheet)

    def choose_sheet(self, name: str | None = None) -> Worker | None:
        return self.imports.choose_sheet(name)

    def new_campaign(self, path: str | None = None, info: object = None) -> Worker | None:
        return self.campaigns.new_campaign(path, info)

    def open_campaign(self, path: str) -> bool:
        return self.campaigns.open_campaign(path)

    def save_campaign_as(self, path: str | None = None) -> Path | None:
        return self.campaigns.save_campaign_as(path)

    def close_campaign(self) -> None:
        self.campaigns.close_campaign()

    def open_settings(self) -> object:
        return self.chrome.open_settings()

    # --- pages -------------------------------------------------------------------------------
    def _add_page(self, key: str, page: QWidget) -> None:
        self.pages[key] = page
        self.stack.addWidget(page)

    def _ensure_pages(self) -> None:
        """The step pages, built when the first list opens (their charts need matplotlib)."""
        if "bands" in self.pages:
            return
        from ui.pages.bands import BandsPage
        from ui.pages.letters import LettersPage
        from ui.pages.offers import OffersPage
        from ui.pages.report import ReportPage

        for key, page in (("bands", BandsPage), ("offers", OffersPage),
                          ("letters", LettersPage), ("report", ReportPage)):  # fmt: skip
            self._add_page(key, page(self.services))
        self.pages["letters"].settings_requested.connect(self.chrome.open_settings)
        for key in self.navigator.step_keys():  # pages in the navigator's order
            if key in self.pages:
                self.stack.removeWidget(self.pages[key])
                self.stack.addWidget(self.pages[key])

    def page(self, key: str) -> QWidget | None:
        return self.pages.get(key)

    def show_step(self, key: str) -> None:
        """Show a step's page (the welcome page for 客户清单 while no list is open); 撤销
        and 重做 then act on that page's own work."""
        if key == "list" and not self.state.has_list:
            self.stack.setCurrentWidget(self.welcome)
        elif key in self.pages and self.navigator.is_enabled(key):
            self.stack.setCurrentWidget(self.pages[key])
        self.navigator.select(key)
        self.services.undo.setActiveStack(getattr(self.stack.currentWidget(), "undo", None))

    list_page = property(lambda self: self.pages.get("list"))
    bands_page = property(lambda self: self.pages.get("bands"))
    offers_page = property(lambda self: self.pages.get("offers"))
    letters_page = property(lambda self: self.pages.get("letters"))
    report_page = property(lambda self: self.pages.get("report"))
    visits_page = property(lambda self: self.pages.get("visits"))

    def print_letters(self) -> None:
        """打印… (Ctrl+P): the 建议书与反馈表 page's print dialog for its current choice."""
        page = self.letters_page
        if page is None or not self.state.has_list:
            self.statusBar().showMessage("请先打开客户清单，再打印建议书。", STATUS_MS)
            return
        self.show_step("letters")
        page.print_letters()

    def _list_changed(self) -> None:
        result = self.state.result
        self._ensure_pages()
        for stack in self.services.undo.stacks():  # an undo must not reach into another list
            stack.clear()
        self.navigator.set_list_open(result is not None)
        self.chrome.list_changed(result)
        self._update_title()
        self.show_step("list")

    def _update_title(self) -> None:
        """The campaign's name (its edits are saved as they happen), or the list's file."""
        state = self.state
        if state.campaign is not None:
            campaign = state.campaign
            name = (
                f"{campaign.info.name} · 第 {campaign.version} 版推荐（{Path(campaign.path).name}）"
            )
        elif state.result is not None:
            name = f"{state.result.source.name}（未保存为营销活动）"
        else:
            name = ""
        self.setWindowTitle(f"{name} — {APP_TITLE}" if name else APP_TITLE)

    def _saved(self, saved: Any) -> None:
        if saved.new:
            self._update_title()
            self.statusBar().showMessage(
                f"已保存为{saved.note.split('：')[0]}（之前打印的建议书仍记在第 {saved.version - 1} "
                "版下）。", 0)  # fmt: skip
        else:
            self.statusBar().showMessage("修改已自动保存到营销活动文件。", STATUS_MS)

    def _save_failed(self, error: BaseException) -> None:
        from ui.jobs import failure_text, warn

        message, hint = failure_text(error, "保存到营销活动文件",
                                     "请把营销活动文件复制到可以保存的位置后重新打开。")  # fmt: skip
        self.statusBar().showMessage(f"没有保存：{message}", 0)
        warn(self, "修改没有保存到营销活动文件", message, hint)

    def may_leave(self) -> bool:
        """Before the open list is replaced or the window closes: a list alone whose bands
        or packages were changed is not silently dropped (保存为营销活动 / 不保存 / 取消)."""
        from PySide6.QtWidgets import QMessageBox

        if not self.state.dirty:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "还没有保存",
                          "这份客户清单的分档和主推套餐改过，还没有保存为营销活动。\n"
                          "不保存的话，这些修改会丢失。", parent=self)  # fmt: skip
        save = box.addButton("保存为营销活动…", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("不保存", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() is save:
            self.campaigns.new_campaign()
            return False  # the file is written first; open the other one afterwards
        return box.clickedButton() is discard

    def _analysis_failed(self, error: BaseException) -> None:
        message = getattr(error, "message", "") or f"计算出错（{type(error).__name__}）。"
        hint = getattr(error, "hint", "") or "请撤销刚才的修改（Ctrl+Z）后重试。"
        self.statusBar().showMessage(f"{message}{hint}", STATUS_MS)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(min(1280, screen.width() - 40), min(800, screen.height() - 40))
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)

    # --- drag and drop -------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.import_worker is None and _dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_path(path)

    # --- closing ---------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_leave():
            event.ignore()
            return
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        if not self.tasks.shutdown():
            log.warning("后台任务在关闭窗口时没有按时结束")
        self.state.set_campaign(None)  # every visit is saved already; release the file
        event.accept()

    # --- a second start of the program -------------------------------------------------------------
    def bring_to_front_and_open(self, path: str | None = None) -> None:
        """Another start of the program handed over: show this window, open its file."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        if path:
            self.open_path(path)


def _is_campaign(path: str | Path) -> bool:
    """A campaign file by its name or its content (a renamed one opens all the same)."""
    from core.campaign import SUFFIX, is_campaign_file

    return Path(path).suffix.lower() == SUFFIX or is_campaign_file(path)


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_file():
            return url.toLocalFile()
    return None
