"""Finding and killing the program's worker processes in tests (Linux and Windows)."""

from __future__ import annotations

import os
import signal

import psutil

HARD_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # on Windows SIGTERM is TerminateProcess


def worker_pids() -> list[int]:
    """Live child processes of this one, but multiprocessing's resource tracker.

    A worker that has just exited (a zombie until it is reaped) or vanished is skipped.
    """
    pids = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                continue
            command = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "resource_tracker" not in command:
            pids.append(child.pid)
    return pids


def kill_a_worker() -> int | None:
    """Kill one worker the hard way (like the OOM killer or Task Manager); its pid."""
    for pid in worker_pids():
        try:
            os.kill(pid, HARD_KILL)
        except OSError:
            continue
        return pid
    return None
