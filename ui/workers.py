"""Run core jobs on a thread pool; results come back as signals on the GUI thread.

A job is a plain core function that takes ``progress=`` (a ``core.base.progress.Progress``).
The worker never touches a widget: it emits ``progress``, then exactly one of
``finished(result)``, ``failed(exception)`` or ``cancelled()``. The signals object
lives in the GUI thread, so Qt queues the emissions there. Cancel is a flag the job
checks (``Progress.cancel``). ``TaskManager.shutdown`` cancels and waits on close.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.base import Cancelled, Progress

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    progress = Signal(int, int, str)  # done, total, text
    finished = Signal(object)  # the job's return value
    failed = Signal(object)  # the exception (UserError: show .message/.hint)
    cancelled = Signal()
    done = Signal()  # after any of the three above


class Worker(QRunnable):
    """Runs ``fn(*args, progress=Progress(...), **kwargs)`` once on a pool thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it (TaskManager keeps a reference)
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.signals = WorkerSignals()
        self.progress = Progress(self.signals.progress.emit)  # already throttled

    def cancel(self) -> None:
        self.progress.cancel()

    @property
    def is_cancelled(self) -> bool:
        return self.progress.cancelled

    def run(self) -> None:
        try:
            result = self.fn(*self.args, progress=self.progress, **self.kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # everything goes back to the GUI, never lost in a thread
            if not _is_user_error(exc):
                log.exception("后台任务出错：%s", getattr(self.fn, "__name__", self.fn))
            self.signals.failed.emit(exc)
        else:
            if self.progress.cancelled:  # cancelled after the last check: honour it
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        self.signals.done.emit()


def _is_user_error(exc: BaseException) -> bool:
    from core.base import UserError

    return isinstance(exc, UserError)


class TaskManager(QObject):
    """Owns a thread pool and the running workers; awaited when the window closes."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._active: set[Worker] = set()

    def submit(self, worker: Worker) -> Worker:
        """Keep ``worker`` alive until it is done, and queue it on the pool.

        Connect to ``worker.signals`` *before* submitting: a queued signal goes only to
        the slots connected when it is emitted, and a quick job may emit at once.
        """
        self._active.add(worker)
        worker.signals.done.connect(self._forget)
        self.pool.start(worker)
        return worker

    def start(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Worker:
        """Run a job whose signals nobody needs (e.g. a warm-up); see ``submit``."""
        return self.submit(Worker(fn, *args, **kwargs))

    def _forget(self) -> None:
        signals = self.sender()
        self._active = {w for w in self._active if w.signals is not signals}

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def cancel_all(self) -> None:
        for worker in list(self._active):
            worker.cancel()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel every job and wait for the threads; True if all have stopped."""
        self.cancel_all()
        return self.pool.waitForDone(timeout_ms)
