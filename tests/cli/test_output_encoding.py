"""Chinese output to a pipe on an English Windows: no UnicodeEncodeError, readable UTF-8.

On an English Windows without PYTHONUTF8, Python writes to a pipe or file in code page 1252,
which has no Chinese character: the first ``print("已打包…")`` would end the program with a
traceback. PYTHONIOENCODING=cp1252 gives Python that same start here; the commands and
packaging/build.py must still write everything, as UTF-8.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT

SAMPLE = ROOT / "resources" / "示例客户清单.xlsx"


def run_cp1252(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          timeout=240)  # fmt: skip


def test_the_code_page_1252_start_really_cannot_write_chinese():
    proc = run_cp1252("-c", "print('已打包')")
    assert proc.returncode == 1 and b"UnicodeEncodeError" in proc.stderr


@pytest.mark.parametrize(
    ("args", "code", "stream", "words"),
    [
        (["--help"], 0, "stdout", ["价值金字塔营销助手", "命令"]),
        (["inspect", str(SAMPLE)], 0, "stdout", ["列对应", "客户名称"]),
        (["inspect", str(SAMPLE), "--json"], 0, "stdout", ["近三月ARPU(元)"]),
        (["inspect", "没有这个文件.xlsx"], 1, "stderr", ["错误：找不到文件：没有这个文件.xlsx"]),
        (["inspect", "--没有这个选项"], 2, "stderr", ["错误", "--help"]),
    ],
)
def test_commands_write_utf8_to_a_pipe_on_an_english_windows(args, code, stream, words):
    proc = run_cp1252(str(ROOT / "main.py"), *args)
    assert proc.returncode == code, proc.stderr.decode("utf-8", "replace")
    text = getattr(proc, stream).decode("utf-8")  # strict: every byte is UTF-8
    assert "Traceback" not in proc.stderr.decode("utf-8")
    for word in words:
        assert word in text


def test_build_help_writes_utf8_to_a_pipe_on_an_english_windows():
    proc = run_cp1252(str(ROOT / "packaging" / "build.py"), "--help")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert "打包价值金字塔营销助手" in proc.stdout.decode("utf-8")


SUMMARY = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import build
build.utf8_output()
build.print_summary(Path(sys.argv[2]), 75.0)
"""


def test_the_build_summary_with_chinese_names_reaches_the_pipe(tmp_path):
    """What build.py prints after PyInstaller: the folder, its size, its biggest parts."""
    app = tmp_path / "价值金字塔营销助手"
    (app / "_internal" / "中文模块").mkdir(parents=True)
    (app / "_internal" / "中文模块" / "数据.bin").write_bytes(b"x" * 3 * 2**20)
    (app / "价值金字塔营销助手.exe").write_bytes(b"MZ")
    proc = run_cp1252("-c", SUMMARY, str(ROOT / "packaging"), str(app))
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")
    assert f"已打包：{app}（3 MB，2 个文件，用时 75 秒）" in out
    assert "3.0 MB  _internal/中文模块" in out
