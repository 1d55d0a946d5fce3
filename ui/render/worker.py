"""Write per-customer PDFs in worker processes (each PDF embeds its own font subset,
which costs ~15 ms of CPU per file, so a 1,000-letter batch uses every core).

Workers are started with "spawn" (the same on Windows and Linux; forking a process
that already runs Qt is unsafe). They import only Qt and ui.render.pdf — no pandas —
and receive plain ``Page`` objects. A frozen Windows build needs
``multiprocessing.freeze_support()`` at the top of main.py.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from pathlib import Path

from ui.render.pdf import Page

MIN_LETTERS = 60  # below this, starting processes costs more than it saves
CHUNK = 20


def _init(font: str) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a worker never shows a window
    from ui.render.pdf import ensure_app, use_font

    ensure_app()
    use_font(font)


def _write_chunk(jobs: list[tuple[Page, str]]) -> int:
    from ui.render.pdf import write_pdf

    for page, path in jobs:
        write_pdf(path, [page], title=page.title)
    return len(jobs)


def worker_count(n_letters: int) -> int:
    """Extra processes to start: one core is this process, which writes PDFs too."""
    if n_letters < MIN_LETTERS:
        return 0
    cpus = os.cpu_count() or 1
    return max(0, min(cpus - 1, 3, n_letters // CHUNK - 1))


def write_pdfs_parallel(jobs: list[tuple[Page, Path]], workers: int, font: str,
                        after_chunk: Callable[[int], None]) -> None:  # fmt: skip
    """Write each page to its path: ``workers`` processes plus this one share the chunks.

    ``after_chunk(n)`` runs in this process after every finished chunk; if it raises
    (Cancelled) the workers are stopped at once and the exception propagates.
    """
    chunks = [[(page, str(path)) for page, path in jobs[i : i + CHUNK]]
              for i in range(0, len(jobs), CHUNK)]  # fmt: skip
    ctx = multiprocessing.get_context("spawn")
    pool = ctx.Pool(workers, initializer=_init, initargs=(font,))
    pending: deque = deque()
    todo = deque(chunks)
    try:
        while todo or pending:
            while todo and len(pending) < 2 * workers:  # keep every worker busy
                pending.append(pool.apply_async(_write_chunk, (todo.popleft(),)))
            while pending and pending[0].ready():
                after_chunk(pending.popleft().get())
            if todo:  # this process takes a chunk itself
                after_chunk(_write_chunk(todo.popleft()))
            elif pending:
                after_chunk(pending.popleft().get())
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
