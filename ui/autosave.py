"""Edits are saved as they happen: the open campaign always holds what the window shows.

When a campaign is the document, every new analysis that comes from an edit (a band
edge, a band's package, an option, the settings that sign its letters) is written into
the campaign file on a worker thread (``core.campaign.save_recommendation``, one
transaction, its own connection). Saves never overlap and the latest wins: edits made
while one is being written are saved together right after it. A failed save is said at
once (``failed``) — the window shows it; nothing is reported as saved that was not.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.workers import Worker

if TYPE_CHECKING:
    from core.marketing import Analysis
    from ui.state import AppState
    from ui.workers import TaskManager

log = logging.getLogger(__name__)


def _save_job(path: str, analysis: Analysis, settings: Any, progress: Any) -> tuple[Any, Any]:
    from core.campaign import Campaign, save_recommendation

    with Campaign.open(path) as campaign:
        return analysis, save_recommendation(campaign, analysis, settings)


class Autosave(QObject):
    saved = Signal(object)  # core.campaign.Saved: the version the file holds now, and if new
    failed = Signal(object)  # the exception (a UserError says what happened and what to do)

    def __init__(self, state: AppState, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.tasks = tasks
        self._running: Worker | None = None
        self._latest: tuple[str, Analysis, Any] | None = None
        state.analysisReady.connect(self._analysis_ready)
        state.settingsChanged.connect(self._settings_changed)

    @property
    def busy(self) -> bool:
        """True while a save is being written or waits for one."""
        return self._running is not None or self._latest is not None

    def _analysis_ready(self, analysis: Analysis) -> None:
        state = self.state
        if state.campaign is not None and analysis.inputs is not state.saved_inputs:
            self.request(analysis)

    def _settings_changed(self) -> None:
        state = self.state
        if state.campaign is not None and state.analysis is not None and not state.busy:
            self.request(state.analysis)  # the new signing settings with today's offers

    def request(self, analysis: Analysis) -> None:
        """Save ``analysis`` into the open campaign (after the save under way, if any)."""
        campaign = self.state.campaign
        if campaign is None:
            return
        self._latest = (str(campaign.path), analysis, self.state.letter_settings)
        if self._running is None:
            self._start()

    def _start(self) -> None:
        path, analysis, settings = self._latest
        self._latest = None
        worker = Worker(_save_job, path, analysis, settings)
        self._running = worker
        worker.signals.finished.connect(self._saved)
        worker.signals.failed.connect(self._failed)
        worker.signals.done.connect(self._done)
        self.tasks.submit(worker)

    def _saved(self, result: tuple[Analysis, Any]) -> None:
        analysis, saved = result
        state = self.state
        campaign = state.campaign
        if campaign is not None:
            campaign.refresh()  # the GUI thread's connection reads the new description
            state.saved_inputs = analysis.inputs
        self.saved.emit(saved)
        state.visitsChanged.emit()  # the 走访 page shows the new offers

    def _failed(self, error: BaseException) -> None:
        log.warning("自动保存失败：%s", error)
        self.failed.emit(error)

    def _done(self) -> None:
        self._running = None
        if self._latest is not None and self.state.campaign is not None:
            self._start()
        else:
            self._latest = None
