"""The packaged program (PyInstaller one-folder build) does real work, from an awkward folder.

Run after building: ``JINZITA_BUNDLE=dist/价值金字塔营销助手 python -m pytest -m bundle``
(.ci/run does both). The folder is copied to a path with Chinese characters and spaces,
like a user's "新建文件夹" on the desktop; a missing resource, module, Qt plugin or font
makes one of these fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

pypdf = pytest.importorskip("pypdf")

BUNDLE = os.environ.get("JINZITA_BUNDLE")
pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(not BUNDLE, reason="没有打包好的程序（设置 JINZITA_BUNDLE=打包出的文件夹）"),
]
APP_NAME = "价值金字塔营销助手"
EXE = ".exe" if sys.platform == "win32" else ""
SAMPLE_CUSTOMERS = 320


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    """The built folder, copied to …/新 建 文件夹/价值金字塔营销助手."""
    source = Path(BUNDLE or "").resolve()
    assert (source / f"jinzita{EXE}").is_file(), f"{source} 不是打包出的程序文件夹"
    target = tmp_path_factory.mktemp("bundle") / "新 建 文件夹" / APP_NAME
    shutil.copytree(source, target, symlinks=True)
    return target


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    data = tmp_path / "用户 数据"
    return {**os.environ, "JINZITA_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}


def run(app: Path, env: dict[str, str], *args: str, timeout: float = 300):
    return subprocess.run([str(app / f"jinzita{EXE}"), *args], env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=timeout)  # fmt: skip


def test_the_folder_holds_the_program_and_what_it_needs_and_nothing_big_it_does_not(app):
    for name in (f"{APP_NAME}{EXE}", f"jinzita{EXE}"):
        assert (app / name).is_file()
    res = app / "resources"
    for part in ("catalog.xlsx", "columns.toml", "示例客户清单.xlsx", "templates/建议书.txt",
                 "templates/反馈表.txt", "fonts"):  # fmt: skip
        assert (res / part).exists(), part
    files = [p for p in app.rglob("*") if p.is_file() and not p.is_symlink()]
    names = [p.name for p in files]
    assert "qtbase_zh_CN.qm" in names
    assert not [n for n in names if n.endswith(".qm") and "zh_CN" not in n]
    unused = ("WebEngine", "Qt6Qml", "Qt6Quick", "Qt63D", "Qt6Multimedia", "Qt6Pdf", "tkinter",
              "_tkinter", "Qt6Charts", "Qt6Designer")  # fmt: skip
    assert not [n for n in names if any(u in n for u in unused)]
    assert not [p for p in files if "tests" in p.relative_to(app).parts[:3]]
    size = sum(p.stat().st_size for p in files) / 2**20
    print(f"打包文件夹 {size:.0f} MB，{len(files)} 个文件")
    assert size < 400


def test_inspect_json_on_the_sample(app, env):
    sample = app / "resources" / "示例客户清单.xlsx"
    proc = run(app, env, "inspect", str(sample), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["mapping"]["spend"] == "近三月ARPU(元)"
    assert report["rows"] == 321 and report["listed"] == SAMPLE_CUSTOMERS
    assert report["customers"] == 316 and report["problem_counts"]["missing_spend"] == 2


def _three_customers(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "用户号码", "月均消费(元)", "当前套餐", "月均流量(GB)"])
    ws.append(["张记五金店", "13812345678", 268.5, "畅享199元套餐", 42])
    ws.append(["李氏服装", "13912345679", 88, "畅享59元套餐", 18.5])
    ws.append(["王老板", "13712345670", 39.9, "畅享39元套餐", 6])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_proposals_for_three_customers_have_chinese_text(app, env, tmp_path):
    source = _three_customers(tmp_path / "清单 文件夹" / "三位客户.xlsx")
    out = tmp_path / "输出 文件夹"
    proc = run(app, env, "proposals", str(source), "--out", str(out), "--combined")
    assert proc.returncode == 0, proc.stderr
    pdfs = sorted((out / "客户建议书").glob("*.pdf"))
    assert len(pdfs) == 3
    texts = [pypdf.PdfReader(p).pages[0].extract_text() for p in pdfs]
    for name, text in zip(("张记五金店", "李氏服装", "王老板"), texts, strict=True):
        assert name in text and "客户建议书" in text  # a font with Chinese glyphs was found
    assert len(pypdf.PdfReader(out / "客户建议书_合并打印.pdf").pages) == 3


def test_letters_in_worker_processes(app, env, tmp_path):
    """≥60 letters start spawned worker processes: they must run frozen too."""
    sample = app / "resources" / "示例客户清单.xlsx"
    out = tmp_path / "全部"
    proc = run(app, env, "sheets", str(sample), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert len(list((out / "信息反馈表").glob("*.pdf"))) == 316  # 4 customers have no spend


def test_chart_and_report(app, env, tmp_path):
    sample = app / "resources" / "示例客户清单.xlsx"
    png = tmp_path / "图 表" / "金字塔.png"
    proc = run(app, env, "chart", str(sample), "--kind", "pyramid", "--out", str(png))
    assert proc.returncode == 0, proc.stderr
    assert png.stat().st_size > 10_000
    cache = Path(env["JINZITA_DATA_DIR"]) / "matplotlib"
    assert list(cache.glob("fontlist-*.json"))  # kept for the next start, not rebuilt each time
    report = tmp_path / "报表.xlsx"
    proc = run(app, env, "report", str(sample), "--out", str(report))
    assert proc.returncode == 0, proc.stderr
    assert openpyxl.load_workbook(report).sheetnames[0] == "汇总"


def test_errors_are_chinese_and_name_the_packaged_command(app, env, tmp_path):
    proc = run(app, env, "inspect", str(tmp_path / "没有这个文件.xlsx"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "错误" in proc.stderr
    help_text = run(app, env, "--help").stdout
    assert "jinzita inspect" in help_text


def test_the_window_starts_offscreen(app, env, tmp_path):
    probe = tmp_path / "probe.txt"
    env = {**env, "JINZITA_PROBE_FILE": str(probe), "JINZITA_PROBE_QUIT": "1"}
    started = time.time()
    proc = subprocess.run([str(app / f"{APP_NAME}{EXE}")], env=env, capture_output=True,
                          timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    shown = float(probe.read_text(encoding="utf-8").split()[1]) - started
    print(f"打包程序窗口 {shown:.2f} 秒后显示")
    assert shown < 10
    log = Path(env["JINZITA_DATA_DIR"]) / "jinzita.log"
    assert not log.exists() or "中文翻译" not in log.read_text(encoding="utf-8")
