"""What every page is handed: the state, a task runner, settings, undo and a message channel.

Pages never reach up for the window (``self.window().tasks`` …): the window builds one
``Services`` and hands it to each page and controller, and shows what ``messages`` says
in its status bar. A page test builds ``Services.create(owner)`` with no window at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from ui.settings import Settings
from ui.state import AppState
from ui.workers import TaskManager

if TYPE_CHECKING:
    from ui.autosave import Autosave
    from ui.jobs import Jobs

STATUS_MS = 8000  # how long a status message stays


class Messages(QObject):
    """Short texts for the user (status bar): "已导出…", "正在导入…"."""

    shown = Signal(str, int)  # text, milliseconds (0: until the next message)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last = ""

    def say(self, text: str, ms: int = STATUS_MS) -> None:
        self.last = text
        self.shown.emit(text, ms)


@dataclass(frozen=True, eq=False)
class Services:
    state: AppState
    tasks: TaskManager
    settings: Settings
    messages: Messages
    undo: QUndoGroup  # one stack per page (its own kind of work); the shown page's is active
    autosave: Autosave

    @classmethod
    def create(cls, owner: QObject, settings: Settings | None = None) -> Services:
        """A fresh set owned by ``owner`` (the window, or a test's QObject)."""
        from ui.autosave import Autosave

        tasks = TaskManager(owner)
        state = AppState(tasks, owner)
        return cls(
            state=state,
            tasks=tasks,
            settings=settings or Settings(),
            messages=Messages(owner),
            undo=QUndoGroup(owner),
            autosave=Autosave(state, tasks, owner),
        )

    def undo_stack(self, page: QObject) -> QUndoStack:
        """The undo stack of one page (撤销 there undoes that page's work only)."""
        stack = QUndoStack(page)
        self.undo.addStack(stack)
        if self.undo.activeStack() is None:
            self.undo.setActiveStack(stack)
        return stack

    @property
    def jobs(self) -> Jobs:
        """Run a core job with a progress dialog (see ``ui.jobs``)."""
        from ui.jobs import Jobs

        return Jobs(self)
