"""Opening a customer list: file dialog, sample, recent files, drag and drop, 列对应, sheets.

``open_path`` runs ``core.importing.import_file`` on a worker thread with a progress
dialog (取消 works); ``MappingNeeded`` opens the 列对应 dialog and imports again with the
user's choice; any other ``UserError`` is a Chinese warning with what to do next. A
finished import goes to the AppState (``state.set_result``), which every page observes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from core.base import MappingNeeded, UserError, resource
from ui.dialogs.mapping_dialog import MappingDialog
from ui.dialogs.progress_dialog import JobProgressDialog
from ui.jobs import warn
from ui.workers import Worker

if TYPE_CHECKING:
    from core.importing import ImportResult
    from ui.services import Services

log = logging.getLogger(__name__)

SAMPLE_NAME = "示例客户清单.xlsx"
FILE_FILTER = (
    "客户清单 (*.xlsx *.xlsm *.xls *.et *.csv *.txt *.ods *.htm *.html *.xml);;所有文件 (*)"
)


def sample_list_path() -> Path:
    return resource(SAMPLE_NAME)


def _import_job(
    path: str, sheet: str | None, overrides: dict[str, str] | None, progress: Any
) -> tuple[ImportResult, dict[str, Any]]:
    """Runs on the worker thread (pandas is imported there, not in the GUI thread).

    Returns the result and the list's display data (table columns, problem list), so the
    window only has to show them.
    """
    from core.importing import import_file
    from ui.models.customer_table import prepare_list

    result = import_file(path, sheet=sheet, overrides=overrides, progress=progress)
    progress.stage("正在准备表格…")
    return result, prepare_list(result)


class ImportController(QObject):
    busyChanged = Signal(bool)  # an import started (True) or ended
    imported = Signal(object)  # the ImportResult now in the state
    recentChanged = Signal()  # settings.recent_files changed

    def __init__(self, services: Services, host: QWidget) -> None:
        super().__init__(host)
        self.services = services
        self.host = host
        self.result: ImportResult | None = None
        self.worker: Worker | None = None
        self.mapping_dialog: MappingDialog | None = None
        self.can_leave: Any = lambda: True  # the window asks before a changed list is dropped

    @property
    def busy(self) -> bool:
        """True while a list is being imported, and until its bands and offers are computed."""
        return self.worker is not None or self.services.state.busy

    def _say(self, text: str, ms: int = 8000) -> None:
        self.services.messages.say(text, ms)

    # --- opening files ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        if self.worker is not None:
            return
        settings = self.services.settings
        path, _ = QFileDialog.getOpenFileName(self.host, "打开客户清单", settings.last_dir,
                                              FILE_FILTER)  # fmt: skip
        if path:
            settings.last_dir = str(Path(path).parent)
            self.open_path(path)

    def open_sample(self) -> Worker | None:
        path = sample_list_path()
        if not path.is_file():
            warn(self.host, "找不到示例清单", f"程序文件夹里没有示例客户清单：{path}",
                 "请重新安装程序，或直接打开您自己的客户清单。")  # fmt: skip
            return None
        return self.open_path(path, is_sample=True)

    def open_recent(self, path: str) -> Worker | None:
        if not Path(path).is_file():
            self.services.settings.remove_recent_file(path)
            self.recentChanged.emit()
            warn(self.host, "文件不存在", f"找不到文件：{path}",
                 "它可能已被移动、改名或删除，已从“最近打开”中移除。请重新选择文件。")  # fmt: skip
            return None
        return self.open_path(path)

    def open_path(
        self,
        path: str | Path,
        overrides: dict[str, str] | None = None,
        sheet: str | None = None,
        is_sample: bool = False,
    ) -> Worker | None:
        """Import ``path`` on a worker thread; the pages update when it is done."""
        if self.worker is not None:
            self._say("正在导入另一个文件，请等它完成或取消。")
            return None
        if not self.can_leave():
            return None
        path = Path(path)
        worker = Worker(_import_job, str(path), sheet, overrides)
        self.worker = worker
        worker.signals.finished.connect(lambda r: self._finished(*r, is_sample))
        worker.signals.failed.connect(lambda e: self._failed(e, path, sheet))
        worker.signals.cancelled.connect(lambda: self._say("已取消导入，窗口内容没有变化。"))
        worker.signals.done.connect(self._done)
        dialog = JobProgressDialog(worker, "导入客户清单", f"正在打开 {path.name}…", self.host)
        dialog.canceled.connect(lambda: self._say("正在取消导入…", 0))
        self.services.tasks.submit(worker)  # after connecting: a quick job may report at once
        self.busyChanged.emit(True)
        self._say(f"正在导入 {path.name}…", 0)
        return worker

    def _done(self) -> None:
        self.worker = None
        self.busyChanged.emit(False)

    def _finished(self, result: ImportResult, views: dict[str, Any], is_sample: bool) -> None:
        settings = self.services.settings
        self.result = result
        self.services.state.set_result(result, views)  # every page refreshes from the state
        settings.first_run = False
        if not is_sample:
            settings.add_recent_file(result.source)
            self.recentChanged.emit()
        self.imported.emit(result)
        listed = len(result.customers)
        message = (f"已导入 {result.source.name}：{listed:,} 位客户，"
                   f"其中 {result.customer_count:,} 位可分档")  # fmt: skip
        problems = len(result.problems)
        message += f"；{problems:,} 个问题，见“导入问题”。" if problems else "，没有发现问题。"
        self._say(message, 0)

    def _failed(self, error: BaseException, path: Path, sheet: str | None) -> None:
        if isinstance(error, MappingNeeded):
            self._say("请指定哪一列是月均消费。")
            self.ask_mapping(error, path, sheet)
            return
        self._say(f"未能打开 {path.name}。")
        if isinstance(error, UserError):
            warn(self.host, "无法打开客户清单", error.message, error.hint)
        else:
            warn(self.host, "无法打开客户清单",
                 f"打开 {path.name} 时出现了意外错误（{type(error).__name__}）。",
                 "请确认它是从系统导出的客户清单，或在 Excel/WPS 中另存为 .xlsx 后再试；"
                 "如果仍然不行，请联系技术支持。")  # fmt: skip

    # --- 列对应 and sheets --------------------------------------------------------------------------
    def ask_mapping(self, error: MappingNeeded, path: Path, sheet: str | None) -> MappingDialog:
        """列对应 when no spend column was found: OK imports again with the user's choice."""
        return self._mapping_dialog(error.headers, error.message, path, sheet)

    def edit_mapping(self) -> MappingDialog | None:
        """Show the current list's column mapping; OK imports it again with the changes."""
        result = self.result
        if result is None or self.worker is not None:
            return None
        return self._mapping_dialog(result.headers, "当前的列对应如下，可以修改。", result.source,
                                    result.sheet, current=result.mapping)  # fmt: skip

    def _mapping_dialog(self, headers: list[str], message: str, path: Path, sheet: str | None,
                        current: dict[str, str] | None = None) -> MappingDialog:  # fmt: skip
        """A window-modal (not blocking) 列对应 dialog; OK re-imports ``path``."""
        dialog = MappingDialog(headers, message, self.host, file_name=path.name)
        if current is not None:
            for key in dialog.combos:
                dialog.set_field(key, current.get(key, ""))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mapping_dialog = dialog
        dialog.accepted.connect(
            lambda: self.open_path(path, overrides=dialog.overrides(), sheet=sheet)
        )
        dialog.finished.connect(lambda _code: setattr(self, "mapping_dialog", None))
        dialog.open()
        return dialog

    def choose_sheet(self, name: str | None = None) -> Worker | None:
        """Import another sheet of the current file (asks which one unless ``name``)."""
        result = self.result
        if result is None or self.worker is not None:
            return None
        if name is None:
            current = result.sheets.index(result.sheet) if result.sheet in result.sheets else 0
            name, ok = QInputDialog.getItem(self.host, "选择工作表", "客户清单在哪一张工作表？",
                                            result.sheets, current, False)  # fmt: skip
            if not ok:
                return None
        return self.open_path(result.source, sheet=name)
