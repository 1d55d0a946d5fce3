"""A machine without Chinese fonts: a Chinese message saying what to install, and no file.

The machine is simulated: matplotlib is given a font list with only DejaVu fonts (also
when it scans the system again), and Qt's font database answers that no installed
family has Chinese glyphs, so the letters would be set in the default Latin font.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.base import FontMissing
from core.reporting import fonts
from tests.paths import ROOT
from ui.cli.main import EXIT_USER_ERROR, run_cli

SAMPLE = ROOT / "resources" / "示例客户清单.xlsx"


@pytest.fixture
def no_chinese_for_charts(monkeypatch, tmp_path):
    """matplotlib knows only DejaVu fonts, and scanning the system again finds no more."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    latin = [f for f in manager.ttflist if f.name.startswith("DejaVu")]
    assert latin, "matplotlib ships DejaVu Sans"
    scans = []

    def load_fontmanager(*, try_read_cache: bool = True):
        scans.append(try_read_cache)
        fresh = copy.copy(manager)
        fresh.ttflist = list(latin)
        return fresh

    monkeypatch.setattr(manager, "ttflist", list(latin))
    monkeypatch.setattr(font_manager, "_load_fontmanager", load_fontmanager)
    monkeypatch.setattr(fonts, "_chosen", [])
    monkeypatch.setattr(fonts, "_rebuilt", [])
    monkeypatch.setattr(fonts, "_registered", set())
    monkeypatch.setattr(fonts, "bundled_font_dir", lambda: tmp_path / "没有字体")
    fonts.setup_fonts.cache_clear()
    yield scans
    fonts.setup_fonts.cache_clear()
    manager._findfont_cached.cache_clear()


@pytest.fixture
def no_chinese_for_letters(monkeypatch, qapp, tmp_path):
    """Qt finds none of the letter fonts and no family with Chinese glyphs."""
    from PySide6.QtGui import QFontDatabase

    from ui.render import pdf

    class LatinOnly:
        WritingSystem = QFontDatabase.WritingSystem
        addApplicationFont = staticmethod(QFontDatabase.addApplicationFont)
        applicationFontFamilies = staticmethod(QFontDatabase.applicationFontFamilies)

        @staticmethod
        def families(*writing_system):
            return [] if writing_system else ["DejaVu Sans", "DejaVu Serif"]

    monkeypatch.setattr(pdf, "QFontDatabase", LatinOnly)
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path / "没有字体")
    monkeypatch.setattr(pdf, "_FONT_OVERRIDE", [])
    pdf._pick_font.cache_clear()
    yield
    pdf._pick_font.cache_clear()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --- matplotlib ----------------------------------------------------------------------------------


def test_charts_refuse_without_a_chinese_font_after_one_rescan(no_chinese_for_charts):
    with pytest.raises(FontMissing) as info:
        fonts.require_cjk_font()
    err = info.value
    assert "未找到中文字体" in err.message and "没有生成" in err.message
    assert str(fonts.bundled_font_dir()) in err.hint
    assert no_chinese_for_charts == [False]  # the system was scanned again, once
    with pytest.raises(FontMissing):
        fonts.setup_fonts()  # every chart calls this: no chart with boxes
    assert no_chinese_for_charts == [False]


def test_a_font_file_put_in_resources_fonts_is_used(no_chinese_for_charts, monkeypatch):
    """The remedy the message offers: a .ttf/.ttc in the program's fonts folder."""
    files = [p for p in _system_font_files() if p.name.lower().startswith("wqy-zenhei")]
    if not files:
        pytest.skip("本机没有文泉驿正黑字体文件")
    monkeypatch.setattr(fonts, "bundled_font_dir", lambda: files[0].parent)
    assert fonts.require_cjk_font() == "WenQuanYi Zen Hei"


def _system_font_files() -> list[Path]:
    found = []
    for base in ("/usr/share/fonts", "C:/Windows/Fonts"):
        for dirpath, _dirs, names in os.walk(base):
            found += [Path(dirpath, n) for n in names]
    return found


def test_the_hint_names_the_fonts_for_each_system():
    win = fonts.font_install_hint("win32")
    assert "微软雅黑" in win and "宋体" in win and "等线" in win and "msyh.ttc" in win
    assert "fonts-wqy-zenhei" in fonts.font_install_hint("linux")
    assert all(str(fonts.bundled_font_dir()) in fonts.font_install_hint(p)
               for p in ("win32", "linux", "darwin"))  # fmt: skip


def test_chart_command_writes_nothing_without_a_chinese_font(no_chinese_for_charts, tmp_path,
                                                             capsys):  # fmt: skip
    out = tmp_path / "图" / "金字塔.png"
    assert run_cli(["chart", str(SAMPLE), "--kind", "pyramid", "--out", str(out)]) == (
        EXIT_USER_ERROR
    )
    err = capsys.readouterr().err
    assert "未找到中文字体" in err and "图表" in err and "fonts-wqy-zenhei" in err
    assert not out.parent.exists()


def test_report_command_writes_nothing_without_a_chinese_font(no_chinese_for_charts, tmp_path,
                                                              capsys):  # fmt: skip
    out = tmp_path / "报表.xlsx"
    assert run_cli(["report", str(SAMPLE), "--out", str(out)]) == EXIT_USER_ERROR
    assert "未找到中文字体" in capsys.readouterr().err
    assert _files(tmp_path) == []


STALE = """
import sys
import matplotlib.font_manager as fm
manager = fm.fontManager
manager.ttflist = [f for f in manager.ttflist if f.name.startswith("DejaVu")]
fm.json_dump(manager, sys.argv[1])
"""

CHECK = """
import json
import matplotlib.font_manager as fm
names = {f.name for f in fm.fontManager.ttflist}
before = sorted(n for n in names if not n.startswith("DejaVu"))
from core.reporting.fonts import require_cjk_font, setup_fonts
print(json.dumps({"before": before, "font": require_cjk_font(), "setup": setup_fonts()}))
"""


def test_a_font_cache_written_before_the_fonts_were_installed_is_rebuilt(tmp_path):
    """~/.cache/matplotlib from before `apt install fonts-wqy-zenhei`: fonts still found."""
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path), "MPLBACKEND": "Agg"}
    import matplotlib
    from matplotlib.font_manager import FontManager

    assert matplotlib.__version__  # the cache file name carries FontManager's version
    cache = tmp_path / f"fontlist-v{FontManager.__version__}.json"
    run = dict(cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    made = subprocess.run([sys.executable, "-c", STALE, str(cache)], **run)
    assert made.returncode == 0, made.stderr
    stale = json.loads(cache.read_text(encoding="utf-8"))
    assert stale["ttflist"] and all(f["name"].startswith("DejaVu") for f in stale["ttflist"])
    proc = subprocess.run([sys.executable, "-c", CHECK], **run)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["before"] == []  # the process started with the stale list
    assert result["font"] in fonts.CJK_FONTS and result["setup"] == result["font"]
    rebuilt = json.loads(cache.read_text(encoding="utf-8"))  # and the cache is fixed on disk
    assert result["font"] in {f["name"] for f in rebuilt["ttflist"]}


# --- Qt (letters, PDF, print) ------------------------------------------------------------------


def test_letters_refuse_when_the_letter_font_has_no_chinese(no_chinese_for_letters):
    from ui.render.fonts import has_chinese_glyphs, require_chinese_fonts
    from ui.render.pdf import font_family

    assert not has_chinese_glyphs(font_family())
    with pytest.raises(FontMissing) as info:
        require_chinese_fonts(charts=False)
    assert "建议书" in info.value.message and "空白" in info.value.message
    require_chinese_fonts(letters=False, charts=False)  # nothing asked, nothing checked


def test_this_machine_has_chinese_fonts_for_letters_and_charts(qapp):
    from ui.render.fonts import has_chinese_glyphs, require_chinese_fonts
    from ui.render.pdf import font_family

    assert require_chinese_fonts() is None
    assert has_chinese_glyphs(font_family())
    assert not has_chinese_glyphs("DejaVu Sans")


def test_a_chinese_font_outside_the_list_is_used_for_letters(qapp, monkeypatch):
    """Only, say, AR PL UMing installed: letters use it rather than a Latin font."""
    from ui.render import pdf
    from ui.render.fonts import has_chinese_glyphs

    monkeypatch.setattr(pdf, "FONT_FAMILIES", ("没有这个字体",))
    monkeypatch.setattr(pdf, "_FONT_OVERRIDE", [])
    pdf._pick_font.cache_clear()
    try:
        family = pdf.font_family()
        assert family not in pdf.FONT_FAMILIES and has_chinese_glyphs(family)
    finally:
        pdf._pick_font.cache_clear()


@pytest.mark.parametrize("command", ["proposals", "sheets"])
def test_letter_commands_write_nothing_without_a_chinese_font(
    no_chinese_for_letters, tmp_path, capsys, command
):
    out = tmp_path / "活动"
    argv = [command, str(SAMPLE), "--out", str(out), "--band", "高端", "--combined"]
    assert run_cli(argv) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "未找到中文字体" in err and "空白" in err and "fonts-wqy-zenhei" in err
    assert not out.exists()


def test_word_letters_do_not_need_a_font_here(no_chinese_for_letters, tmp_path, capsys):
    """DOCX is set by Word/WPS on the machine that opens it: no check, files are written."""
    out = tmp_path / "活动"
    argv = ["proposals", str(SAMPLE), "--out", str(out), "--band", "高端", "--format", "docx"]
    assert run_cli(argv) == 0
    assert len(list((out / "客户建议书").glob("*.docx"))) == 16


# --- a font Qt cannot use in this process (offscreen Qt on Windows: no system font at all) --------


@pytest.fixture
def empty_font_database(monkeypatch, qapp, tmp_path):
    """Qt's font database lists no family, yet QFont still answers for any name."""
    from PySide6.QtGui import QFontDatabase

    from ui.render import pdf

    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *_ws: []))
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path / "没有字体")
    monkeypatch.setattr(pdf, "_FONT_OVERRIDE", [])
    pdf._pick_font.cache_clear()
    yield
    pdf._pick_font.cache_clear()


def test_an_empty_font_database_refuses_letters_instead_of_writing_boxes(empty_font_database,
                                                                          tmp_path, capsys):  # fmt: skip
    from ui.render.fonts import has_chinese_glyphs, require_chinese_fonts
    from ui.render.pdf import FONT_FAMILIES

    assert not any(has_chinese_glyphs(f) for f in FONT_FAMILIES)
    with pytest.raises(FontMissing) as info:
        require_chinese_fonts(charts=False)
    assert "未找到中文字体" in info.value.message and "空白" in info.value.message
    out = tmp_path / "活动"
    argv = ["proposals", str(SAMPLE), "--out", str(out), "--band", "高端"]
    assert run_cli(argv) == EXIT_USER_ERROR
    assert "未找到中文字体" in capsys.readouterr().err
    assert not out.exists()


def test_a_letter_font_listed_but_not_usable_here_is_refused(qapp, monkeypatch):
    """The family QFont knows is not enough: it must be among QFontDatabase.families()."""
    from PySide6.QtGui import QFontDatabase

    from ui.render.fonts import require_family
    from ui.render.pdf import font_family

    family = font_family()
    assert require_family(family) == family
    others = [f for f in QFontDatabase.families() if f != family]
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *_ws: others))
    with pytest.raises(FontMissing):
        require_family(family)


def test_a_program_on_a_qt_platform_without_fonts_writes_no_letter(tmp_path):
    """A real process whose Qt sees no font (the "minimal" platform, like offscreen on
    Windows): the letter commands exit 1 with the Chinese message and write nothing."""
    out = tmp_path / "活动"
    env = {**os.environ, "QT_QPA_PLATFORM": "minimal", "JINZITA_DATA_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "proposals", str(SAMPLE),
                           "--out", str(out), "--band", "高端"], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=240)  # fmt: skip
    assert proc.returncode == EXIT_USER_ERROR, proc.stderr
    assert "未找到中文字体" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_the_window_uses_a_chinese_font_when_the_usual_ones_are_missing(qapp, monkeypatch):
    """An English Windows may lack 微软雅黑 and 宋体: the window then takes any installed font
    with Chinese glyphs rather than Qt's default, whose Chinese would be boxes."""
    from ui import app as ui_app
    from ui.render.fonts import has_chinese_glyphs

    before = qapp.font()
    monkeypatch.setattr(ui_app, "UI_FONTS", {sys.platform: ("Microsoft YaHei UI (没有)",)})
    monkeypatch.setattr(ui_app, "LINUX_FONTS", ("没有这个字体",))
    try:
        family = ui_app.set_ui_font(qapp)
        assert family is not None and has_chinese_glyphs(family)
        assert not family.endswith(ui_app.OTHER_CJK)  # not a Japanese or Korean variant
        assert qapp.font().family() == family
    finally:
        qapp.setFont(before)
