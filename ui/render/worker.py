"""Write per-customer PDFs in worker processes (each PDF embeds its own font subset,
which costs ~15 ms of CPU per file, so a 1,000-letter batch uses every core).

Workers are started with "spawn" (the same on Windows and Linux; forking a process
that already runs Qt is unsafe). They import only Qt and ui.render.pdf — no pandas —
and receive plain ``Page`` objects. A worker runs on the same Qt platform as a headless
command (``ensure_app``: offscreen only on Linux without a display) and checks that it can
use the parent's font; if not, its first chunk raises ``FontMissing`` (no blank letter).
A frozen Windows build needs ``multiprocessing.freeze_support()`` at the top of main.py.

A worker can die (out of memory, ended in Task Manager, a crash in Qt). The pool is a
``concurrent.futures.ProcessPoolExecutor``, which notices a dead worker at once and fails
every pending chunk with ``BrokenProcessPool`` (``multiprocessing.Pool`` would wait for
it forever); the run then stops with a Chinese ``OutputFailed``. Workers are replaced
after ``TASKS_PER_WORKER`` chunks, so nothing a worker accumulates grows with the batch,
and a worker whose parent has died exits by itself instead of writing on as an orphan.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from core.base import FontMissing, OutputFailed
from ui.render.pdf import Page

MIN_LETTERS = 60  # below this, starting processes costs more than it saves
CHUNK = 20
TASKS_PER_WORKER = 50  # chunks (1,000 letters) before a worker is replaced
CHUNK_TIMEOUT_S = 300.0  # a chunk takes well under a second; this is a hung worker


def worker_died() -> OutputFailed:
    return OutputFailed(
        "生成 PDF 的后台进程意外退出（可能是内存不足，或在任务管理器中被结束），本次生成已停止，"
        "没有留下任何文件。",
        "请关闭其他占用内存的程序后重新生成；如果一再出现，请分批生成（例如按档位），"
        "并把数据文件夹里的 jinzita.log 发给技术支持。",
    )


def worker_hung() -> OutputFailed:
    return OutputFailed(
        "生成 PDF 的后台进程长时间没有响应，本次生成已停止，没有留下任何文件。",
        "请重新生成；如果一再出现，请分批生成（例如按档位），并联系技术支持。",
    )


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns when the parent process has ended, however it ended
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


_FONT_PROBLEM: list[FontMissing] = []  # set in a worker that cannot use the parent's font


def _init(font: str) -> None:
    # The Qt platform is chosen as in the parent (``ensure_app``): offscreen only on Linux
    # without a display. Never forced: on Windows the offscreen platform sees none of the
    # system's fonts, and every character of the letter would come out as a box.
    from ui.render.fonts import require_family
    from ui.render.pdf import ensure_app, use_font

    _exit_with_parent()
    ensure_app()
    use_font(font)
    try:
        require_family(font)
    except FontMissing as err:
        _FONT_PROBLEM[:] = [err]


def _write_chunk(jobs: list[tuple[Page, str]]) -> int:
    from ui.render.pdf import write_pdf

    if _FONT_PROBLEM:  # raised here, not in _init: a failed initializer looks like a crash
        raise _FONT_PROBLEM[0]
    for page, path in jobs:
        write_pdf(path, [page], title=page.title)
    return len(jobs)


def worker_count(n_letters: int) -> int:
    """Extra processes to start: one core is this process, which writes PDFs too."""
    if n_letters < MIN_LETTERS:
        return 0
    cpus = os.cpu_count() or 1
    return max(0, min(cpus - 1, 3, n_letters // CHUNK - 1))


def _result(future: Future) -> int:
    try:
        return future.result(timeout=CHUNK_TIMEOUT_S)
    except BrokenProcessPool as exc:
        raise worker_died() from exc
    except TimeoutError as exc:
        raise worker_hung() from exc


class PdfPool:
    """Writes chunks of per-customer PDFs: ``workers`` processes plus this one.

    ``submit(jobs)`` hands a chunk to a free worker, or writes it in this process when
    every worker already has two chunks waiting, so all cores stay busy and at most
    ``2 × workers`` chunks are in flight (memory does not grow with the batch).
    ``after_chunk(n)`` runs in this process after every finished chunk; if it raises
    (Cancelled) the workers are stopped at once and the exception propagates. A worker
    that dies raises ``OutputFailed``. Use as a context manager; ``finish()`` waits for
    the last chunks.
    """

    def __init__(self, workers: int, font: str, after_chunk: Callable[[int], None]) -> None:
        self.workers = workers
        self.after_chunk = after_chunk
        self._pending: deque[Future] = deque()
        self._pool = None
        if workers >= 1:
            self._pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("spawn"), initializer=_init,
                initargs=(font,), max_tasks_per_child=TASKS_PER_WORKER,
            )  # fmt: skip

    def submit(self, jobs: list[tuple[Page, Path]]) -> None:
        chunk = [(page, str(path)) for page, path in jobs]
        self._collect(block=False)
        if self._pool is not None and len(self._pending) < 2 * self.workers:
            try:
                self._pending.append(self._pool.submit(_write_chunk, chunk))
            except BrokenProcessPool as exc:  # a worker has died since the last look
                raise worker_died() from exc
        else:
            self.after_chunk(_write_chunk(chunk))

    def _collect(self, block: bool) -> None:
        while self._pending and (block or self._pending[0].done()):
            self.after_chunk(_result(self._pending.popleft()))

    def finish(self) -> None:
        """Wait for every chunk handed out."""
        self._collect(block=True)

    def stop(self) -> None:
        """End the workers now (cancel, error, hung worker): their output is thrown away."""
        if self._pool is None:
            return
        kill = getattr(self._pool, "kill_workers", None)  # Python 3.14
        if kill is not None:
            kill()
        else:
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> PdfPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is not None:
            self.stop()
        elif self._pool is not None:
            self._pool.shutdown(wait=True)
