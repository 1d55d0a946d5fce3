"""A second start of the program brings the first window forward and hands it its file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalServer

from tests.paths import ROOT
from ui.main_window import MainWindow, sample_list_path
from ui.settings import Settings
from ui.single_instance import HandOver, InstanceServer, hand_over, server_name


def _name() -> str:
    return f"jinzita-test-{uuid.uuid4().hex[:12]}"


CLIENT = "import sys; from ui.single_instance import hand_over; print(hand_over(sys.argv[1] or None, name=sys.argv[2]).value)"


def _hand_over_from_another_process(path: str | None, name: str) -> subprocess.Popen:
    """The second program's side (another process: a thread would wait holding the GIL)."""
    return subprocess.Popen([sys.executable, "-c", CLIENT, path or "", name], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip


def _answer(qtbot, proc: subprocess.Popen) -> str:
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)  # serving meanwhile
    with proc.stdout:
        return proc.stdout.read().strip()


def test_the_running_program_gets_the_file_and_answers(qtbot, tmp_path):
    server = InstanceServer(name=_name())
    assert server.listen()
    target = tmp_path / "新 建 文件夹" / "客户 清单.xlsx"
    with qtbot.waitSignal(server.open_requested, timeout=30_000) as blocker:
        proc = _hand_over_from_another_process(str(target), server.name)
    assert blocker.args == [str(target.resolve())]
    assert _answer(qtbot, proc) == HandOver.DONE.value
    with qtbot.waitSignal(server.open_requested, timeout=30_000) as blocker:
        proc = _hand_over_from_another_process(None, server.name)  # started without a file
    assert blocker.args == [None]
    assert _answer(qtbot, proc) == HandOver.DONE.value
    server.close()


def test_nobody_running_and_a_program_that_does_not_answer(qtbot):
    assert hand_over("x.xlsx", name=_name()) is HandOver.NONE_RUNNING
    silent = QLocalServer()
    assert silent.listen(_name())  # accepts the connection, never replies (a hung program)
    proc = _hand_over_from_another_process("x.xlsx", silent.serverName())
    assert _answer(qtbot, proc) == HandOver.NO_ANSWER.value
    silent.close()


def test_names_are_per_user_data_folder(tmp_path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")
    assert server_name().startswith("jinzita-") and len(server_name()) < 40


def test_bring_to_front_and_open(qtbot, monkeypatch):
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *a, **k: None)
    window = MainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    window.bring_to_front_and_open(str(sample_list_path()))
    assert not window.isMinimized() and window.isVisible()
    qtbot.waitUntil(lambda: window.result is not None and not window.busy, timeout=30_000)
    assert window.result.source.name == sample_list_path().name
    window.bring_to_front_and_open(None)  # no file: only shown
    assert window.result.source.name == sample_list_path().name
    window.close()


# --- two real program processes (offscreen) ---------------------------------------------------


def _env(data: Path, probe: Path, quit_after: bool = False) -> dict[str, str]:
    env = {**os.environ, "JINZITA_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen",
           "JINZITA_PROBE_FILE": str(probe)}  # fmt: skip
    env.pop("JINZITA_PROBE_QUIT", None)
    if quit_after:
        env["JINZITA_PROBE_QUIT"] = "1"
    return env


def _shown(probe: Path) -> list[str]:
    return probe.read_text(encoding="utf-8").splitlines() if probe.exists() else []


def _wait(condition, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "等待超时"
        time.sleep(0.1)


@pytest.fixture
def first_program(tmp_path):
    data, probe = tmp_path / "数据", tmp_path / "probe.txt"
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=ROOT,
                            env=_env(data, probe), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        _wait(lambda: len(_shown(probe)) == 1 or proc.poll() is not None)
        assert proc.poll() is None, "第一个程序没有启动起来"
        yield proc, data, probe
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_a_second_start_hands_over_its_file_and_exits(first_program, tmp_path):
    proc, data, probe = first_program
    folder = tmp_path / "新 建 文件夹"
    folder.mkdir()
    shutil.copy(sample_list_path(), folder / "客户 清单.xlsx")
    second = subprocess.run([sys.executable, str(ROOT / "main.py"), "客户 清单.xlsx"],
                            cwd=folder, env=_env(data, probe), capture_output=True,
                            timeout=60)  # fmt: skip
    assert second.returncode == 0, second.stderr
    wanted = str((folder / "客户 清单.xlsx").resolve())
    settings = data / "settings.ini"
    _wait(lambda: wanted in Settings(settings).recent_files)  # the first one imported it
    third = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=ROOT,
                           env=_env(data, probe), capture_output=True, timeout=60)  # fmt: skip
    assert third.returncode == 0
    assert len(_shown(probe)) == 1  # only the first program ever showed a window
    assert proc.poll() is None


def test_a_program_that_crashed_does_not_block_the_next_start(first_program):
    proc, data, probe = first_program
    proc.kill()  # no clean-up: its socket file stays behind
    proc.wait(timeout=30)
    again = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=ROOT,
                           env=_env(data, probe, quit_after=True), capture_output=True,
                           timeout=60)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert len(_shown(probe)) == 2
