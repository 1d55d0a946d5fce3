"""The main window: a welcome page, then the imported list (summary, customers, problems).

Opening a file runs ``core.importing.importer.import_file`` on a worker thread with a progress
dialog (取消 works); ``MappingNeeded`` opens the 列对应 dialog and imports again with the
user's choice; any other ``UserError`` is a Chinese warning with what to do next.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from core.base import MappingNeeded, UserError, resource
from ui.dialogs.mapping_dialog import MappingDialog
from ui.dialogs.progress_dialog import JobProgressDialog
from ui.pages.list_page import ListPage
from ui.pages.welcome_page import WelcomePage
from ui.settings import Settings
from ui.widgets.icons import app_icon
from ui.workers import TaskManager, Worker

if TYPE_CHECKING:
    from core.importing import ImportResult

log = logging.getLogger(__name__)

APP_TITLE = "价值金字塔营销助手"
APP_VERSION = "0.1.0"
SAMPLE_NAME = "示例客户清单.xlsx"
FILE_FILTER = (
    "客户清单 (*.xlsx *.xlsm *.xls *.et *.csv *.txt *.ods *.htm *.html *.xml);;所有文件 (*)"
)
STATUS_MS = 8000


def sample_list_path() -> Path:
    return resource(SAMPLE_NAME)


def _import_job(
    path: str, sheet: str | None, overrides: dict[str, str] | None, progress: Any
) -> ImportResult:
    """Runs on the worker thread (pandas is imported there, not in the GUI thread)."""
    from core.importing import import_file

    return import_file(path, sheet=sheet, overrides=overrides, progress=progress)


def _warm_up(progress: Any) -> None:
    """Import pandas & co. in the background once the window shows: the first open is quick."""
    import core.importing.steps  # noqa: F401  (pandas and the cleaning steps)


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.tasks = TaskManager(self)
        self.result: ImportResult | None = None
        self.import_worker: Worker | None = None
        self.mapping_dialog: MappingDialog | None = None
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.welcome = WelcomePage()
        self.list_page = ListPage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.list_page)
        self.setCentralWidget(self.stack)

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self.file_label = QLabel()
        self.statusBar().addPermanentWidget(self.file_label)

        self.welcome.open_requested.connect(self.choose_file)
        self.welcome.sample_requested.connect(self.open_sample)
        self.welcome.recent_requested.connect(self.open_recent)
        self.welcome.set_first_run(self.settings.first_run)
        self._refresh_recent()
        self._restore_geometry()
        self.statusBar().showMessage("请打开客户清单（Ctrl+O），或先打开示例清单看看。")
        QTimer.singleShot(0, lambda: self.tasks.start(_warm_up))

    # --- building ------------------------------------------------------------------------------
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
        file_menu.addAction(self.quit_action)
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
        bar.addAction(self.mapping_action)
        self.addToolBar(bar)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(min(1280, screen.width() - 40), min(800, screen.height() - 40))
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)

    # --- opening files ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        if self.busy:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "打开客户清单", self.settings.last_dir, FILE_FILTER
        )
        if path:
            self.settings.last_dir = str(Path(path).parent)
            self.open_path(path)

    def open_sample(self) -> Worker | None:
        path = sample_list_path()
        if not path.is_file():
            self.show_warning(
                "找不到示例清单",
                f"程序文件夹里没有示例客户清单：{path}",
                "请重新安装程序，或直接打开您自己的客户清单。",
            )
            return None
        return self.open_path(path, is_sample=True)

    def open_recent(self, path: str) -> Worker | None:
        if not Path(path).is_file():
            self.settings.remove_recent_file(path)
            self._refresh_recent()
            self.show_warning(
                "文件不存在",
                f"找不到文件：{path}",
                "它可能已被移动、改名或删除，已从“最近打开”中移除。请重新选择文件。",
            )
            return None
        return self.open_path(path)

    def open_path(
        self,
        path: str | Path,
        overrides: dict[str, str] | None = None,
        sheet: str | None = None,
        is_sample: bool = False,
    ) -> Worker | None:
        """Import ``path`` on a worker thread; the window updates when it is done."""
        if self.busy:
            self.statusBar().showMessage("正在导入另一个文件，请等它完成或取消。", STATUS_MS)
            return None
        path = Path(path)
        worker = Worker(_import_job, str(path), sheet, overrides)
        self.import_worker = worker
        worker.signals.finished.connect(lambda r: self._import_finished(r, is_sample))
        worker.signals.failed.connect(lambda e: self._import_failed(e, path, sheet))
        worker.signals.cancelled.connect(self._import_cancelled)
        worker.signals.done.connect(self._import_done)
        dialog = JobProgressDialog(worker, "导入客户清单", f"正在打开 {path.name}…", self)
        dialog.canceled.connect(lambda: self.statusBar().showMessage("正在取消导入…"))
        self.tasks.submit(worker)  # after connecting: a quick job may report at once
        self._set_busy(True)
        self.statusBar().showMessage(f"正在导入 {path.name}…")
        return worker

    @property
    def busy(self) -> bool:
        return self.import_worker is not None

    def _set_busy(self, busy: bool) -> None:
        for action in (self.open_action, self.sample_action, self.recent_menu.menuAction()):
            action.setEnabled(not busy)
        self.mapping_action.setEnabled(not busy and self.result is not None)
        self.sheet_action.setEnabled(
            not busy and self.result is not None and len(self.result.sheets) > 1
        )
        self.welcome.setEnabled(not busy)

    def _import_done(self) -> None:
        self.import_worker = None
        self._set_busy(False)

    def _import_finished(self, result: ImportResult, is_sample: bool) -> None:
        self.result = result
        self.list_page.show_result(result)
        self.stack.setCurrentWidget(self.list_page)
        name = result.source.name
        self.setWindowTitle(f"{name} — {APP_TITLE}")
        self.file_label.setText(name)
        self.file_label.setToolTip(str(result.source))
        if self.settings.first_run:
            self.settings.first_run = False
            self.welcome.set_first_run(False)
        if not is_sample:
            self.settings.add_recent_file(result.source)
            self._refresh_recent()
        listed = len(result.customers)
        message = f"已导入 {name}：{listed:,} 位客户，其中 {result.customer_count:,} 位可分档"
        problems = len(result.problems)
        message += f"；{problems:,} 个问题，见“导入问题”。" if problems else "，没有发现问题。"
        self.statusBar().showMessage(message, 0)

    def _import_failed(self, error: BaseException, path: Path, sheet: str | None) -> None:
        if isinstance(error, MappingNeeded):
            self.statusBar().showMessage("请指定哪一列是月均消费。", STATUS_MS)
            self.ask_mapping(error, path, sheet)
        elif isinstance(error, UserError):
            self.statusBar().showMessage(f"未能打开 {path.name}。", STATUS_MS)
            self.show_warning("无法打开客户清单", error.message, error.hint)
        else:
            self.statusBar().showMessage(f"未能打开 {path.name}。", STATUS_MS)
            self.show_warning(
                "无法打开客户清单",
                f"打开 {path.name} 时出现了意外错误（{type(error).__name__}）。",
                "请确认它是从系统导出的客户清单，或在 Excel/WPS 中另存为 .xlsx 后再试；"
                "如果仍然不行，请联系技术支持。",
            )

    def _import_cancelled(self) -> None:
        self.statusBar().showMessage("已取消导入，窗口内容没有变化。", STATUS_MS)

    def ask_mapping(self, error: MappingNeeded, path: Path, sheet: str | None) -> MappingDialog:
        """列对应 when no spend column was found: OK imports again with the user's choice."""
        return self._mapping_dialog(error.headers, error.message, path, sheet)

    def edit_mapping(self) -> MappingDialog | None:
        """Show the current list's column mapping; OK imports it again with the changes."""
        result = self.result
        if result is None or self.busy:
            return None
        return self._mapping_dialog(
            result.headers, "当前的列对应如下，可以修改。", result.source, result.sheet,
            current=result.mapping,
        )  # fmt: skip

    def _mapping_dialog(
        self,
        headers: list[str],
        message: str,
        path: Path,
        sheet: str | None,
        current: dict[str, str] | None = None,
    ) -> MappingDialog:
        """A window-modal (not blocking) 列对应 dialog; OK re-imports ``path``."""
        dialog = MappingDialog(headers, message, self, file_name=path.name)
        if current is not None:
            for key in dialog.combos:
                dialog.set_field(key, current.get(key, ""))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mapping_dialog = dialog

        def reimport() -> None:
            self.open_path(path, overrides=dialog.overrides(), sheet=sheet)

        dialog.accepted.connect(reimport)
        dialog.finished.connect(lambda _code: setattr(self, "mapping_dialog", None))
        dialog.open()
        return dialog

    def choose_sheet(self, name: str | None = None) -> Worker | None:
        """Import another sheet of the current file (asks which one unless ``name``)."""
        result = self.result
        if result is None or self.busy:
            return None
        if name is None:
            current = result.sheets.index(result.sheet) if result.sheet in result.sheets else 0
            name, ok = QInputDialog.getItem(
                self, "选择工作表", "客户清单在哪一张工作表？", result.sheets, current, False
            )
            if not ok:
                return None
        return self.open_path(result.source, sheet=name)

    def show_warning(self, title: str, message: str, hint: str = "") -> None:
        text = f"{message}\n\n{hint}" if hint else message
        QMessageBox.warning(self, title, text)

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

    # --- help --------------------------------------------------------------------------------------
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"关于{APP_TITLE}",
            f"<h3>{APP_TITLE}</h3><p>版本 {APP_VERSION}</p>"
            "<p>县分公司聚类市场扫场助手：导入客户清单，按月均消费分档，"
            "为每档定主推套餐，生成客户建议书和走访记录表，统计结果并导出报表。</p>"
            "<p>所有数据都只保存在本机，不会上传。</p>",
        )

    # --- drag and drop -------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.busy and _dropped_file(event) is not None:
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
