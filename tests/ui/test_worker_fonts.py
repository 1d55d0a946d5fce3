"""Letters written in worker processes are set in the system's Chinese font, or refused.

Every batch of 60 letters and more is written by worker processes. They used to force Qt's
offscreen platform, which on Windows sees none of the system's fonts: every letter of a
large batch came out with boxes instead of Chinese. A worker now runs on the platform a
headless command uses (offscreen only on Linux without a display), and one that cannot use
the parent's font refuses with the Chinese FontMissing message instead of writing boxes.

Qt's "minimal" platform stands in for a platform without fonts (like offscreen on Windows):
it sees no font at all unless told ``enable_fonts``.
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from tests.paths import ROOT

pypdf = pytest.importorskip("pypdf")

from core.base import FontMissing  # noqa: E402
from tests.frames import letters  # noqa: E402
from tests.worker_probe import qt_in_worker  # noqa: E402


def embedded_fonts(reader) -> list[str]:
    """Names of the fonts whose glyphs are inside the PDF (a font file in its descriptor)."""
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


def test_a_letter_written_in_a_worker_process_has_the_customers_name_as_text(qapp, tmp_path):
    from ui.render.pdf import font_family, letter_page
    from ui.render.worker import PdfPool

    letter = letters()[0]
    path = tmp_path / "建议书.pdf"
    done: list[int] = []
    with PdfPool(1, font_family(), done.append) as pool:
        pool.submit([(letter_page(letter), path)])  # a free worker takes the first chunk
        assert multiprocessing.active_children(), "没有启动后台进程"
        pool.finish()
    assert done == [1]
    reader = pypdf.PdfReader(path)
    text = reader.pages[0].extract_text()
    assert letter.values["客户名称"] in text and "客户建议书" in text
    assert embedded_fonts(reader)  # the glyphs travel with the file: it prints anywhere


def _pool(font: str) -> ProcessPoolExecutor:
    from ui.render import worker

    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=worker._init, initargs=(font,))  # fmt: skip


def test_a_worker_runs_on_the_platform_it_was_given_never_a_forced_offscreen(qapp, monkeypatch):
    from PySide6.QtGui import QGuiApplication

    from ui.render.pdf import font_family

    font = font_family()
    with _pool(font) as pool:
        same = pool.submit(qt_in_worker, font).result(timeout=120)
    assert same == {"platform": QGuiApplication.platformName(), "usable": True}
    if sys.platform == "win32":
        assert same["platform"] == "windows"  # the platform that sees the system's fonts
        return
    monkeypatch.setenv("QT_QPA_PLATFORM", "minimal:enable_fonts")  # not what this test runs on
    with _pool(font) as pool:
        other = pool.submit(qt_in_worker, font).result(timeout=120)
    assert other == {"platform": "minimal", "usable": True}  # not replaced by offscreen


def test_a_worker_that_sees_no_font_refuses_and_nothing_is_written(qapp, tmp_path, monkeypatch):
    """The parent has the font, its workers do not (offscreen Qt on Windows did exactly that)."""
    from ui.render import worker
    from ui.render.generate import generate

    monkeypatch.setattr(worker, "MIN_LETTERS", 1)
    monkeypatch.setattr(worker, "CHUNK", 1)
    monkeypatch.setattr(worker.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("QT_QPA_PLATFORM", "minimal")  # what the workers start with
    out = tmp_path / "活动"
    out.mkdir()
    with pytest.raises(FontMissing) as info:
        generate(letters(), out, "建议书", ("pdf",), combined=True)
    assert "未找到中文字体" in info.value.message and "空白" in info.value.message
    assert info.value.hint  # what to install, where to put a font file
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("platform", "environ", "offscreen"),
    [
        ("win32", {}, False),  # a laptop: the real platform, which sees the system's fonts
        ("win32", {"DISPLAY": ""}, False),
        ("darwin", {}, False),
        ("linux", {}, True),  # a server or CI machine without a screen
        ("linux", {"DISPLAY": ":0"}, False),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, False),
    ],
)
def test_offscreen_only_on_linux_without_a_display(platform, environ, offscreen):
    from ui.render.pdf import needs_offscreen

    assert needs_offscreen(platform, environ) is offscreen


def test_only_ensure_app_chooses_the_qt_platform():
    """No other module of the program or its build sets QT_QPA_PLATFORM (as the letter
    workers once did, which made Windows letters blank)."""
    files = [ROOT / "main.py", *(ROOT / "packaging").glob("*.py")]
    for package in ("core", "ui"):
        files += (ROOT / package).rglob("*.py")
    setting = [p.relative_to(ROOT).as_posix() for p in files
               if "QT_QPA_PLATFORM" in p.read_text(encoding="utf-8")]  # fmt: skip
    assert setting == ["ui/render/pdf.py"]
