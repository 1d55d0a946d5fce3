"""One way to run a long core job from a page: worker thread, progress dialog, errors said.

``services.jobs.run(page, fn, *args, title="导出报表", text="正在写…", finished=...)``
queues ``fn(*args, progress=...)`` on the task runner, shows a progress dialog with 取消
(after a short delay), and on failure shows the Chinese message and hint in a warning
box — the same words in the status bar. A job never touches a widget; the callbacks run
on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.dialogs.progress_dialog import JobProgressDialog
from ui.workers import Worker

if TYPE_CHECKING:
    from ui.services import Services

DEFAULT_HINT = "请重试；如果一再出现，请联系技术支持。"


def failure_text(error: BaseException, doing: str, hint: str = DEFAULT_HINT) -> tuple[str, str]:
    """The message and hint of a failed job (a ``UserError`` says its own)."""
    message = getattr(error, "message", "") or f"{doing}时出现意外错误（{type(error).__name__}）。"
    return message, getattr(error, "hint", "") or hint


def warn(parent: QWidget | None, title: str, message: str, hint: str = "") -> None:
    """A warning box: what happened, then what to do (never a traceback)."""
    QMessageBox.warning(parent, title, f"{message}\n\n{hint}" if hint else message)


class Jobs:
    def __init__(self, services: Services) -> None:
        self.services = services

    def run(
        self,
        parent: QWidget,
        fn: Callable[..., Any],
        *args: Any,
        title: str,
        text: str,
        finished: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
        cancelled: Callable[[], None] | None = None,
        done: Callable[[], None] | None = None,
        failed_title: str = "",
        hint: str = DEFAULT_HINT,
    ) -> Worker:
        """Run ``fn(*args, progress=...)``; ``failed`` also gets the text of a failure."""
        worker = Worker(fn, *args)
        if finished is not None:
            worker.signals.finished.connect(finished)

        def on_failed(error: BaseException) -> None:
            message, what_to_do = failure_text(error, title, hint)
            self.services.messages.say(f"{message}{what_to_do}")
            if failed is not None:
                failed(f"{message}{what_to_do}")
            warn(parent, failed_title or f"{title}没有完成", message, what_to_do)

        worker.signals.failed.connect(on_failed)
        if cancelled is not None:
            worker.signals.cancelled.connect(cancelled)
        if done is not None:
            worker.signals.done.connect(done)
        JobProgressDialog(worker, title, text, parent)
        self.services.tasks.submit(worker)  # after connecting: a quick job may report at once
        return worker
