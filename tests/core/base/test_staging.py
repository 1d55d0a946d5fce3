"""Staging folders: a killed run's folder is removed by the next run, a live one never."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from core.base.staging import PREFIX, remove_stale, staging_dir
from tests.paths import ROOT

HARD_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # on Windows SIGTERM is TerminateProcess

HOLDER = """
import sys, time
sys.path.insert(0, {root!r})
from core.base.staging import staging_dir
with staging_dir({parent!r}) as folder:
    (folder / "half.pdf").write_bytes(b"%PDF-1.4 half")
    print(folder, flush=True)
    time.sleep(120)
"""


def _holder(parent: Path) -> tuple[subprocess.Popen, Path]:
    """A process in the middle of a run: its staging folder with a half-written file."""
    code = HOLDER.format(root=str(ROOT), parent=str(parent))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    folder = Path(proc.stdout.readline().strip())
    proc.stdout.close()
    assert folder.is_dir() and folder.name.startswith(PREFIX)
    return proc, folder


def test_a_killed_runs_folder_is_removed_by_the_next_run(tmp_path):
    proc, folder = _holder(tmp_path)
    os.kill(proc.pid, HARD_KILL)  # power cut / kill -9: no clean-up ran
    proc.wait(10)
    assert folder.exists()
    with staging_dir(tmp_path) as mine:
        assert not folder.exists()
        assert mine.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_live_runs_folder_is_left_alone(tmp_path):
    proc, folder = _holder(tmp_path)
    try:
        assert remove_stale(tmp_path) == []
        with staging_dir(tmp_path):
            assert (folder / "half.pdf").exists()
    finally:
        proc.kill()
        proc.wait(10)
    assert remove_stale(tmp_path) == [folder]


def test_an_unlocked_folder_is_kept_while_new_and_removed_when_old(tmp_path):
    young = tmp_path / f"{PREFIX}young"
    old = tmp_path / f"{PREFIX}old"
    other = tmp_path / "客户建议书"
    for path in (young, old, other):
        path.mkdir()
    stamp = time.time() - 3600
    os.utime(old, (stamp, stamp))
    assert remove_stale(tmp_path) == [old]
    assert young.exists() and other.exists()
