"""A Qt-free progress/cancel object for long jobs.

A long job is a plain function that takes a ``Progress``. It calls ``start`` once,
``advance`` per unit of work and ``check`` between units; ``check`` raises
``Cancelled`` after ``cancel()`` (called from any thread). The callback is throttled:
it fires when the whole percentage changes, so 200,000 rows are at most ~100 calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressCallback = Callable[[int, int, str], None]


class Cancelled(Exception):
    """The user cancelled the job. Whatever it was writing has been removed."""

    def __init__(self) -> None:
        super().__init__("已取消。")


class Progress:
    def __init__(self, callback: ProgressCallback | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()
        self.total = 0
        self.done = 0
        self.text = ""
        self._last_pct = -1

    # --- called by the UI (any thread) -------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # --- called by the job -------------------------------------------------------------
    def start(self, total: int, text: str = "") -> None:
        self.total = max(int(total), 0)
        self.done = 0
        self.text = text
        self._last_pct = -1
        self._emit(force=True)

    def stage(self, text: str) -> None:
        """Change the text without changing the counts."""
        self.text = text
        self._emit(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._emit()

    def set(self, done: int) -> None:
        self.done = done
        self._emit()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def _emit(self, force: bool = False) -> None:
        if self._callback is None:
            return
        pct = (100 * self.done // self.total) if self.total else 0
        if force or pct != self._last_pct:
            self._last_pct = pct
            self._callback(self.done, self.total, self.text)
