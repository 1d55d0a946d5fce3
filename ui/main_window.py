"""The main window: the campaign's steps down the left, one page per step.

客户清单 → 分档 → 主推套餐 → 建议书与反馈表 → 走访 → 报表. Before a list is open only the
first step is available (the welcome page). One ``AppState`` holds the list and the
user's choices; pages observe it and never call each other. Edits are commands on one
window-level undo stack (编辑 → 撤销/重做, Ctrl+Z / Ctrl+Y). The status bar always says
which file, how many customers and which band scheme.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from ui.campaign_flow import CampaignFlow
from ui.import_flow import STATUS_MS, ImportFlow, sample_list_path
from ui.pages.list_page import ListPage
from ui.pages.welcome_page import WelcomePage
from ui.settings import Settings
from ui.state import AppState
from ui.widgets.icons import app_icon
from ui.widgets.step_navigator import StepNavigator
from ui.workers import TaskManager, Worker

if TYPE_CHECKING:
    from core.importing import ImportResult
    from ui.dialogs.mapping_dialog import MappingDialog

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
    """Import pandas & co. in the background once the window shows: the first open is quick."""
    import core.importing.steps  # noqa: F401  (pandas and the cleaning steps)


class MainWindow(ImportFlow, CampaignFlow, QMainWindow):
    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.tasks = TaskManager(self)
        self.state = AppState(self.tasks, self)
        self.undo_stack = QUndoStack(self)
        self.result: ImportResult | None = None
        self.import_worker: Worker | None = None
        self.mapping_dialog: MappingDialog | None = None
        self.pages: dict[str, QWidget] = {}
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.welcome = WelcomePage()
        self.list_page = ListPage(self.state)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.navigator = StepNavigator()
        for key, title, tip in STEPS:
            self.navigator.add_step(key, title, tip, needs_list=key not in NO_LIST_NEEDED)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.navigator)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._add_page("list", self.list_page)
        from ui.pages.visits_page import VisitsPage

        self._add_page("visits", VisitsPage(self.state, self.settings))

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()

        self.welcome.open_requested.connect(self.choose_file)
        self.welcome.sample_requested.connect(self.open_sample)
        self.welcome.recent_requested.connect(self.open_recent)
        self.welcome.set_first_run(self.settings.first_run)
        self.navigator.step_selected.connect(self.show_step)
        self.state.listChanged.connect(self._list_changed)
        self.state.inputsChanged.connect(self._update_status)
        self.state.analysisReady.connect(self._update_status)
        self.state.analysisFailed.connect(self._analysis_failed)
        self.state.bandFilterChanged.connect(self._band_filter_changed)
        self.state.campaignChanged.connect(self._campaign_changed)
        self.state.analysisReady.connect(
            lambda _a: self.new_campaign_action.setEnabled(self.state.has_list)
        )
        visits = self.visits_page
        visits.new_button.clicked.connect(lambda: self.new_campaign())
        visits.open_button.clicked.connect(self.choose_campaign)
        self.navigator.set_list_open(False)
        self.navigator.select("list")
        self._refresh_recent()
        self._refresh_recent_campaigns()
        self._restore_geometry()
        self.statusBar().showMessage("请打开客户清单（Ctrl+O），或先打开示例清单看看。")
        QTimer.singleShot(0, lambda: self.tasks.start(_warm_up))

    # --- pages -------------------------------------------------------------------------------
    def _add_page(self, key: str, page: QWidget) -> None:
        self.pages[key] = page
        self.stack.addWidget(page)

    def _ensure_pages(self) -> None:
        """The step pages, built when the first list opens (their charts need matplotlib)."""
        if "bands" in self.pages:
            return
        from ui.pages.bands_page import BandsPage
        from ui.pages.letters_page import LettersPage
        from ui.pages.offers_page import OffersPage
        from ui.pages.report_page import ReportPage

        self._add_page("bands", BandsPage(self.state, self.undo_stack))
        self._add_page("offers", OffersPage(self.state, self.undo_stack, self.settings))
        self._add_page("letters", LettersPage(self.state, self.settings))
        self._add_page("report", ReportPage(self.state, self.settings))
        self._stack_order()

    def _stack_order(self) -> None:
        """Pages in the navigator's order (the 走访 page exists from the start)."""
        for key in self.navigator.step_keys():
            if key in self.pages:
                self.stack.removeWidget(self.pages[key])
                self.stack.addWidget(self.pages[key])

    def page(self, key: str) -> QWidget | None:
        return self.pages.get(key)

    def show_step(self, key: str) -> None:
        """Show a step's page (the welcome page for 客户清单 while no list is open)."""
        if key == "list" and not self.state.has_list:
            self.stack.setCurrentWidget(self.welcome)
        elif key in self.pages and self.navigator.is_enabled(key):
            self.stack.setCurrentWidget(self.pages[key])
        self.navigator.select(key)

    @property
    def bands_page(self) -> QWidget | None:
        return self.pages.get("bands")

    @property
    def offers_page(self) -> QWidget | None:
        return self.pages.get("offers")

    @property
    def letters_page(self) -> QWidget | None:
        return self.pages.get("letters")

    @property
    def report_page(self) -> QWidget | None:
        return self.pages.get("report")

    @property
    def visits_page(self) -> QWidget | None:
        return self.pages.get("visits")

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
        self.undo_stack.clear()  # an undo must not reach back into another list
        self.navigator.set_list_open(result is not None)
        self.print_action.setEnabled(result is not None)
        if result is None:
            self.setWindowTitle(APP_TITLE)
            self.file_label.setText("")
            self.show_step("list")
            return
        name = result.source.name
        self.setWindowTitle(f"{name} — {APP_TITLE}")
        self.file_label.setText(name)
        self.file_label.setToolTip(str(result.source))
        self.show_step("list")
        self._update_status()

    def _campaign_changed(self) -> None:
        campaign = self.state.campaign
        for action in (self.save_campaign_action, self.close_campaign_action):
            action.setEnabled(campaign is not None)
        self.campaign_label.setText(f"活动：{campaign.info.name}" if campaign is not None else "")

    def _band_filter_changed(self, band: str) -> None:
        if band:
            self.show_step("list")

    def _update_status(self, *_args: object) -> None:
        result = self.state.result
        if result is None:
            self.count_label.setText("")
            self.scheme_label.setText("")
            return
        self.count_label.setText(f"客户 {len(result.customers):,} 位（可分档 "
                                 f"{result.customer_count:,}）")  # fmt: skip
        scheme = self.state.scheme
        busy = "（正在计算…）" if self.state.busy else ""
        self.scheme_label.setText(f"分档：{scheme.name}，{len(scheme.bands)} 档{busy}")
        self.scheme_label.setToolTip(" / ".join(b.display for b in scheme.bands))

    def _analysis_failed(self, error: BaseException) -> None:
        message = getattr(error, "message", "") or f"计算出错（{type(error).__name__}）。"
        hint = getattr(error, "hint", "") or "请撤销刚才的修改（Ctrl+Z）后重试。"
        self.statusBar().showMessage(f"{message}{hint}", STATUS_MS)

    # --- building ----------------------------------------------------------------------------
    def _make_actions(self) -> None:
        style = self.style()
        self.open_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), "打开客户清单…", self
        )
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setStatusTip("选择从系统导出的客户清单文件（.xlsx / .xls / .csv）")
        self.open_action.triggered.connect(self.choose_file)
        self.sample_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView), "打开示例", self
        )
        self.sample_action.setIconText("打开示例")
        self.sample_action.setStatusTip("打开程序自带的示例客户清单")
        self.sample_action.triggered.connect(self.open_sample)
        self.mapping_action = QAction("修改列对应…", self)
        self.mapping_action.setStatusTip(
            "查看或修改表格中每一列对应的项目（如哪一列是月均消费），然后重新导入"
        )
        self.mapping_action.triggered.connect(self.edit_mapping)
        self.mapping_action.setEnabled(False)
        self.sheet_action = QAction("选择工作表…", self)
        self.sheet_action.setStatusTip("文件里有多张工作表时，选择存放客户清单的那一张")
        self.sheet_action.triggered.connect(self.choose_sheet)
        self.sheet_action.setEnabled(False)
        self.quit_action = QAction("退出", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        self.undo_action = self.undo_stack.createUndoAction(self, "撤销")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.redo_action = self.undo_stack.createRedoAction(self, "重做")
        self.redo_action.setObjectName("redoAction")
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:  # Windows users expect Ctrl+Y everywhere
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.print_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), "打印建议书…", self
        )
        self.print_action.setObjectName("printAction")
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.setStatusTip("打印所选客户的《客户建议书》或《信息反馈表》")
        self.print_action.triggered.connect(self.print_letters)
        self.print_action.setEnabled(False)
        self.new_campaign_action = QAction("新建营销活动…", self)
        self.new_campaign_action.setObjectName("newCampaignAction")
        self.new_campaign_action.setStatusTip(
            "用打开的客户清单和推荐套餐新建一个营销活动文件（.jzt），记录走访"
        )
        self.new_campaign_action.triggered.connect(lambda: self.new_campaign())
        self.new_campaign_action.setEnabled(False)
        self.open_campaign_action = QAction("打开营销活动…", self)
        self.open_campaign_action.setObjectName("openCampaignAction")
        self.open_campaign_action.triggered.connect(self.choose_campaign)
        self.save_campaign_action = QAction("营销活动另存为…", self)
        self.save_campaign_action.triggered.connect(lambda: self.save_campaign_as())
        self.save_campaign_action.setEnabled(False)
        self.close_campaign_action = QAction("关闭营销活动", self)
        self.close_campaign_action.triggered.connect(self.close_campaign)
        self.close_campaign_action.setEnabled(False)
        self.settings_action = QAction("设置…", self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setStatusTip(
            "建议书和报表上的落款单位、客户经理、电话、标志、服务承诺"
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        self.about_action = QAction("关于", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.sample_action)
        self.recent_menu = file_menu.addMenu("最近打开")
        file_menu.addSeparator()
        file_menu.addAction(self.mapping_action)
        file_menu.addAction(self.sheet_action)
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.new_campaign_action)
        file_menu.addAction(self.open_campaign_action)
        self.recent_campaigns_menu = file_menu.addMenu("最近的营销活动")
        file_menu.addAction(self.save_campaign_action)
        file_menu.addAction(self.close_campaign_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("编辑(&E)")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction(self.about_action)

    def _make_toolbar(self) -> None:
        bar = QToolBar("工具栏", self)
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addAction(self.open_action)
        bar.addAction(self.sample_action)
        bar.addSeparator()
        bar.addAction(self.undo_action)
        bar.addAction(self.redo_action)
        bar.addSeparator()
        bar.addAction(self.print_action)
        bar.addSeparator()
        bar.addAction(self.mapping_action)
        bar.addAction(self.settings_action)
        self.addToolBar(bar)

    def _make_status_bar(self) -> None:
        self.file_label = QLabel()
        self.count_label = QLabel()
        self.scheme_label = QLabel()
        self.campaign_label = QLabel()
        for label in (self.file_label, self.count_label, self.scheme_label, self.campaign_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(min(1280, screen.width() - 40), min(800, screen.height() - 40))
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)

    # --- settings and help ---------------------------------------------------------------------
    def open_settings(self) -> object:
        from ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.state.scheme.labels, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("设置已保存。", STATUS_MS))
        dialog.accepted.connect(lambda: self.state.apply_settings(dialog.saved))
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"关于{APP_TITLE}",
            f"<h3>{APP_TITLE}</h3><p>版本 {APP_VERSION}</p>"
            "<p>县分公司聚类市场扫场助手：导入客户清单，按月均消费分档，"
            "为每档定主推套餐，生成客户建议书和走访记录表，统计结果并导出报表。</p>"
            "<p>所有数据都只保存在本机，不会上传。</p>",
        )

    # --- recent files ------------------------------------------------------------------------------
    def _refresh_recent(self) -> None:
        paths = self.settings.recent_files
        self.recent_menu.clear()
        for i, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{i} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
        if paths:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("清除列表", self._clear_recent)
        else:
            self.recent_menu.addAction("（无）").setEnabled(False)
        self.welcome.set_recent(paths)

    def _clear_recent(self) -> None:
        self.settings.clear_recent_files()
        self._refresh_recent()

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


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and Path(url.toLocalFile()).is_file():
            return url.toLocalFile()
    return None
