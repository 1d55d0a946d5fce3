"""Jobs on the thread pool: results, errors and cancel come back on the GUI thread."""

from __future__ import annotations

import threading
import time

from core.base.errors import ImportFailed
from core.base.progress import Progress
from ui.workers import TaskManager, Worker


def count_to(n: int, progress: Progress) -> int:
    progress.start(n, "计数")
    for _ in range(n):
        progress.check()
        progress.advance()
    return n


def wait_forever(progress: Progress) -> None:
    progress.start(100, "等待")
    while True:
        time.sleep(0.005)
        progress.check()


def fail(progress: Progress) -> None:
    raise ImportFailed("文件是空的。", "请重新导出。")


def run(qtbot, tasks: TaskManager, fn, cancel: bool = False) -> dict:
    seen: dict = {"progress": [], "threads": set()}
    worker = Worker(fn) if fn is not count_to else Worker(fn, 1000)

    def note(kind):
        def slot(*args):
            seen["threads"].add(threading.current_thread() is threading.main_thread())
            seen[kind] = args

        return slot

    worker.signals.progress.connect(lambda *a: seen["progress"].append(a))
    for kind in ("finished", "failed", "cancelled"):
        getattr(worker.signals, kind).connect(note(kind))
    with qtbot.waitSignal(worker.signals.done, timeout=10_000):
        tasks.submit(worker)
        if cancel:
            worker.cancel()
    return seen


def test_result_and_throttled_progress_arrive_on_the_gui_thread(qtbot):
    tasks = TaskManager()
    seen = run(qtbot, tasks, count_to)
    assert seen["finished"] == (1000,)
    assert seen["threads"] == {True}
    assert 2 <= len(seen["progress"]) <= 102  # per percent, not per row
    assert seen["progress"][-1][:2] == (1000, 1000)
    assert not tasks.busy


def test_user_error_is_passed_back_with_its_message(qtbot):
    seen = run(qtbot, TaskManager(), fail)
    (error,) = seen["failed"]
    assert isinstance(error, ImportFailed) and error.hint == "请重新导出。"


def test_cancel_stops_the_job_and_shutdown_waits(qtbot):
    tasks = TaskManager()
    seen = run(qtbot, tasks, wait_forever, cancel=True)
    assert "cancelled" in seen and "finished" not in seen
    worker = tasks.start(wait_forever)
    assert tasks.busy
    assert tasks.shutdown(timeout_ms=5_000)  # cancels and waits, as on window close
    assert worker.is_cancelled
