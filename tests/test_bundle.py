"""The packaged program (PyInstaller one-folder build) does real work, from an awkward folder.

Run after building: ``JINZITA_BUNDLE=dist/价值金字塔营销助手 python -m pytest -m bundle``
(.ci/run does both for Linux, .ci/wine-check for Windows under Wine, and the GitHub Windows
workflow on a real Windows). The folder is copied to a path with Chinese characters and
spaces, like a user's "新建文件夹" on the desktop; a missing resource, module, Qt plugin or
font makes one of these fail.

The program runs as on a user's machine: on Qt's real platform (offscreen only on Linux
without a display, as the program itself decides) and without PYTHONUTF8/PYTHONIOENCODING.
``JINZITA_SCREENSHOT_DIR``: keep the screenshot of the window with the sample open there.
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


def under_wine() -> bool:
    if sys.platform != "win32":
        return False
    import ctypes

    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")


def headless_linux() -> bool:
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    return sys.platform.startswith("linux") and not display


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """A user's environment: the program alone decides its Qt platform and its encodings."""
    data = tmp_path / "用户 数据"
    env = {**os.environ, "JINZITA_DATA_DIR": str(data)}
    for name in ("QT_QPA_PLATFORM", "PYTHONUTF8", "PYTHONIOENCODING", "JINZITA_PROBE_FILE",
                 "JINZITA_PROBE_QUIT", "JINZITA_PROBE_SHOT"):  # fmt: skip
        env.pop(name, None)
    if headless_linux():
        env["QT_QPA_PLATFORM"] = "offscreen"  # a window needs a screen; this machine has none
    return env


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


def test_the_manual_and_its_pictures_are_next_to_the_program(app):
    """帮助 → 使用手册 (F1) reads docs/用户手册.md where the program looks for it (beside the
    program, like resources/); every picture and manual it links to is there too."""
    import re

    manual = app / "docs" / "用户手册.md"
    assert manual.is_file(), "打包文件夹里没有使用手册"
    text = manual.read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    assert len(pictures) >= 6 and "## 2." in text
    assert not [p for p in pictures if not (manual.parent / p).is_file()]
    links = re.findall(r"\]\(([^)\s:]+\.md)\)", text)
    assert links and not [p for p in links if not (manual.parent / p).is_file()]


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


THREE = ("张记五金店", "李氏服装", "王老板")


def embedded_fonts(reader) -> list[str]:
    """Fonts whose glyphs are inside the PDF (a font file in the descriptor): it prints anywhere."""
    names = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    names.append(str(part["/BaseFont"]))
    return names


def _letters_have_text(folder: Path, title: str) -> list[str]:
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 3
    fonts = []
    for name, pdf in zip(THREE, pdfs, strict=True):
        reader = pypdf.PdfReader(pdf)
        text = reader.pages[0].extract_text()
        assert name in text and title in text  # a font with Chinese glyphs was found
        fonts += embedded_fonts(reader)
        assert fonts, f"{pdf.name} 没有嵌入字体"
    return fonts


def test_proposals_for_three_customers_have_chinese_text(app, env, tmp_path):
    source = _three_customers(tmp_path / "清单 文件夹" / "三位客户.xlsx")
    out = tmp_path / "输出 文件夹"
    proc = run(app, env, "proposals", str(source), "--out", str(out), "--combined")
    assert proc.returncode == 0, proc.stderr
    fonts = _letters_have_text(out / "客户建议书", "客户建议书")
    print("建议书嵌入的字体：", sorted(set(fonts)))
    assert len(pypdf.PdfReader(out / "客户建议书_合并打印.pdf").pages) == 3


def test_sheets_for_a_small_list_in_the_program_itself(app, env, tmp_path):
    """Under 60 letters the program writes them itself (no worker process)."""
    source = _three_customers(tmp_path / "三位客户.xlsx")
    out = tmp_path / "反馈 表"
    proc = run(app, env, "sheets", str(source), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    _letters_have_text(out / "信息反馈表", "信息反馈表")


@pytest.mark.skipif(under_wine(), reason="Wine 8 上后台进程（ProcessPoolExecutor）会卡住："
                    "这一项在 Linux（.ci/run）和 GitHub 的 Windows 工作流里检查")  # fmt: skip
def test_letters_in_worker_processes(app, env, tmp_path):
    """≥60 letters start spawned worker processes: they must run frozen too, and set the
    letters in the system's Chinese font (forced offscreen Qt once made them boxes on Windows)."""
    sample = app / "resources" / "示例客户清单.xlsx"
    out = tmp_path / "全部"
    proc = run(app, env, "sheets", str(sample), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    pdfs = sorted((out / "信息反馈表").glob("*.pdf"))
    assert len(pdfs) == 316  # 4 customers have no spend
    for pdf in (pdfs[0], pdfs[-1]):  # the first chunk always goes to a worker process
        reader = pypdf.PdfReader(pdf)
        assert "信息反馈表" in reader.pages[0].extract_text() and embedded_fonts(reader)


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


def test_a_campaign_from_new_to_results(app, env, tmp_path):
    """新建营销活动 → 导出走访表 → 填好导回 → 走访统计, on files in Chinese folders."""
    sample = app / "resources" / "示例客户清单.xlsx"
    folder = tmp_path / "营销 活动"
    folder.mkdir()
    camp = folder / "城东扫场.jzt"
    proc = run(app, env, "campaign", "new", str(camp), "--list", str(sample), "--staff",
               "张三,李四", "--branch", "城东分公司")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "已新建营销活动" in proc.stdout and camp.is_file()
    sheet = folder / "走访表.xlsx"
    proc = run(app, env, "visits-export", str(camp), "--out", str(sheet))
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(sheet)
    ws = wb["走访记录"]
    col = {cell.value: cell.column for cell in ws[1]}
    keys = [row[0] for row in ws.iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(set(keys)) == SAMPLE_CUSTOMERS  # every customer of the list, one row each
    for row, (who, intent) in {2: ("张三", "已成交"), 3: ("李四", "有意向")}.items():
        ws.cell(row=row, column=col["走访日期"], value="2026-11-20")
        ws.cell(row=row, column=col["走访人"], value=who)
        ws.cell(row=row, column=col["意向"], value=intent)
    ws.cell(row=2, column=col["签约套餐"], value="畅享59元套餐")  # 已成交 names what was signed
    filled = folder / "张三 填好的.xlsx"
    wb.save(filled)
    proc = run(app, env, "visits-import", str(camp), str(filled), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["imported"] == 2
    proc = run(app, env, "results", str(camp), "--json", "--by", "staff")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["total"]["visited"] == 2 and res["total"]["signed"] == 1
    assert {g["group"] for g in res["groups"]} >= {"张三", "李四"}


def _window(app: Path, env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([str(app / f"{APP_NAME}{EXE}"), *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _probe_lines(probe: Path, kind: str) -> list[list[str]]:
    lines = probe.read_text(encoding="utf-8").splitlines() if probe.exists() else []
    return [line.split(" ", 4) for line in lines if line.startswith(kind + " ")]


def _wait(condition, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"窗口程序意外退出（{proc.returncode}）"
        assert time.monotonic() < end, "等待窗口超时"
        time.sleep(0.2)


def test_the_window_opens_the_sample(app, env, tmp_path):
    """Double-clicking a list (the file as the argument): the window shows its customers.
    The screenshot is the CI artefact a person looks at: Chinese text, not boxes."""
    folder = Path(os.environ.get("JINZITA_SCREENSHOT_DIR") or tmp_path).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "窗口-示例客户清单.png"
    shot.unlink(missing_ok=True)
    probe = tmp_path / "probe.txt"
    sample = tmp_path / "客户 清单" / "示例客户清单.xlsx"
    sample.parent.mkdir()
    shutil.copy(app / "resources" / "示例客户清单.xlsx", sample)
    env = {**env, "JINZITA_PROBE_FILE": str(probe), "JINZITA_PROBE_QUIT": "list",
           "JINZITA_PROBE_SHOT": str(shot)}  # fmt: skip
    started = time.time()
    proc = _window(app, env, str(sample))
    try:
        assert proc.wait(timeout=180) == 0  # it showed the list, then quit (probe)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    (shown,) = _probe_lines(probe, "shown")
    (listed,) = _probe_lines(probe, "list")
    assert listed[3:] == ["316", "示例客户清单.xlsx"]
    print(
        f"打包程序窗口 {float(shown[1]) - started:.2f} 秒后显示，"
        f"{float(listed[1]) - started:.2f} 秒后显示示例清单；截图：{shot}"
    )
    assert float(shown[1]) - started < 10
    from PIL import Image

    with Image.open(shot) as image:
        assert image.width >= 640 and image.height >= 480
        colours = image.convert("L").getcolors(maxcolors=1_000_000) or []
        assert len(colours) > 50  # text, table and chart, not one flat colour
    log = Path(env["JINZITA_DATA_DIR"]) / "jinzita.log"
    assert not log.exists() or "中文翻译" not in log.read_text(encoding="utf-8")


def test_a_second_start_hands_its_file_to_the_first(app, env, tmp_path):
    """The program is already open; opening a list again (double-click, 打开方式) brings the
    first window forward with that list, and the second start ends at once."""
    probe = tmp_path / "probe.txt"
    env = {**env, "JINZITA_PROBE_FILE": str(probe), "JINZITA_PROBE_QUIT": "list"}
    first = _window(app, env)
    try:
        _wait(lambda: _probe_lines(probe, "shown"), first)
        sample = tmp_path / "新 建 文件夹" / "客户 清单.xlsx"
        sample.parent.mkdir()
        shutil.copy(app / "resources" / "示例客户清单.xlsx", sample)
        second = subprocess.run([str(app / f"{APP_NAME}{EXE}"), str(sample)], env=env,
                                capture_output=True, timeout=60)  # fmt: skip
        assert second.returncode == 0, second.stderr
        assert first.wait(timeout=180) == 0  # it showed the list, then quit (probe)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=30)
    shown = _probe_lines(probe, "shown")
    assert [line[2] for line in shown] == [str(first.pid)]  # the second showed no window
    (listed,) = _probe_lines(probe, "list")
    assert listed[2] == str(first.pid) and listed[4] == "客户 清单.xlsx"
