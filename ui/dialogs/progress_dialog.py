"""A progress dialog with 取消 for a running ``ui.workers.Worker``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.workers import Worker

SHOW_AFTER_MS = 400  # quick jobs finish without the dialog flashing up


class JobProgressDialog(QProgressDialog):
    """Shows a worker's progress; 取消 asks the job to stop (it stops at its next check).

    The dialog closes itself when the worker is done, whatever the outcome.
    """

    def __init__(
        self, worker: Worker, title: str, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(text, "取消", 0, 100, parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(SHOW_AFTER_MS)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(380)
        self.setValue(0)
        self.worker = worker
        self.canceled.connect(self._cancel)
        worker.signals.progress.connect(self._on_progress)
        worker.signals.done.connect(self._finish)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.worker.is_cancelled:
            return
        if total > 0:
            self.setMaximum(total)
            self.setValue(min(done, total))
        else:
            self.setMaximum(0)  # busy indicator
        if text:
            self.setLabelText(text)

    def _cancel(self) -> None:
        self.worker.cancel()
        # QProgressDialog hides itself on cancel; the job may need a moment to stop
        self.setLabelText("正在取消…")

    def _finish(self) -> None:
        self.blockSignals(True)  # closing a QProgressDialog emits canceled: not a cancel
        self.reset()
        self.close()
        self.deleteLater()
