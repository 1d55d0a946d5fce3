"""Start the GUI: QApplication, a Chinese font and Qt's Chinese texts, crash log, window.

Only Qt and light core modules are imported here; pandas and the importer are loaded
in the background after the window shows (see ``ui.main_window._warm_up``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from core.base import data_dir, resource

if TYPE_CHECKING:
    from ui.main_window import MainWindow

ORG_NAME = "县分公司"
APP_NAME = "价值金字塔营销助手"
APP_ID = "jinzita.marketing"  # Windows taskbar grouping
CRASH_LOG = "crash.log"
LOG_FILE = "jinzita.log"
UI_FONTS = {
    "win32": ("Microsoft YaHei UI", "Microsoft YaHei", "DengXian", "SimHei", "SimSun"),
    "darwin": ("PingFang SC", "Hiragino Sans GB", "Heiti SC"),
}
LINUX_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
    "Droid Sans Fallback",
)
OTHER_CJK = (" JP", " KR", " TC", " HK")  # Japanese, Korean, traditional-Chinese variants
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

log = logging.getLogger(__name__)


def run_gui(open_file: str | None = None, argv: list[str] | None = None) -> int:
    """Open the main window (and ``open_file``) and run until it is closed; the exit code.

    If the program is already running for this user, the file is handed to it, its
    window comes to the front, and this process ends at once.
    """
    _set_windows_app_id()
    app = QApplication.instance() or QApplication(sys.argv[:1] if argv is None else argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    setup_logging()
    install_excepthook()
    from ui.single_instance import HandOver, InstanceServer, hand_over

    handed = hand_over(open_file)
    if handed is not HandOver.NONE_RUNNING:
        return _already_running(handed)
    server = InstanceServer(parent=app)
    server.listen()
    from ui.refcounts import protect_singletons

    protect_singletons()  # after logging: a leaking Qt binding is written to the log
    set_ui_font(app)
    install_translations(app)

    from ui.main_window import MainWindow

    window = MainWindow()
    app.setWindowIcon(window.windowIcon())
    server.open_requested.connect(window.bring_to_front_and_open)
    watch_first_paint(window)
    watch_first_list(window)
    window.show()
    if open_file:
        QTimer.singleShot(0, lambda: window.open_path(open_file))
    return app.exec()


def _already_running(handed: object) -> int:
    from ui.single_instance import HandOver

    if handed is HandOver.DONE:
        return 0
    QMessageBox.warning(
        None,
        APP_NAME,
        "价值金字塔营销助手已经打开了，但暂时没有响应（可能正在处理一个很大的文件）。\n\n"
        "请稍等片刻再试；如果一直没有反应，请在任务管理器中结束“价值金字塔营销助手”后重新打开。",
    )
    return 1


# --- start-up probe (bench/bench_startup.py) ----------------------------------------------------

PROBE_FILE_ENV = "JINZITA_PROBE_FILE"  # append "shown <epoch seconds>" at the first paint
PROBE_QUIT_ENV = "JINZITA_PROBE_QUIT"  # "1": quit right after that; "list": see below
PROBE_SHOT_ENV = "JINZITA_PROBE_SHOT"  # a .png: the screen, once the first list is shown
HEAVY_MODULES = ("pandas", "numpy", "matplotlib", "openpyxl")  # loaded after the window shows
SETTLE_MS = 800  # after the first list's bands are computed: the pages have their data
PAINTED_MS = 300  # after a forced repaint: the window system shows it


class _FirstPaint(QObject):
    def __init__(self, path: str, quit_after: bool, parent: QObject) -> None:
        super().__init__(parent)
        self.path = path
        self.quit_after = quit_after

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            stamp = time.time()
            heavy = ",".join(m for m in HEAVY_MODULES if m in sys.modules) or "-"
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(f"shown {stamp:.6f} {os.getpid()} {heavy}\n")
            if self.quit_after:
                QTimer.singleShot(0, QApplication.quit)
        return False


def watch_first_paint(window: QObject) -> None:
    """For start-up measurements: note when the window is first painted (env variables)."""
    path = os.environ.get(PROBE_FILE_ENV)
    if path:
        window.installEventFilter(_FirstPaint(path, os.environ.get(PROBE_QUIT_ENV) == "1", window))


class _FirstList(QObject):
    """Once the first list opened in the window is shown: a screenshot, a line, maybe quit."""

    def __init__(self, window: MainWindow, path: str | None, shot: str | None,
                 quit_after: bool) -> None:  # fmt: skip
        super().__init__(window)
        self.window, self.path, self.shot, self.quit_after = window, path, shot, quit_after
        window.state.analysisReady.connect(self._ready)

    def _ready(self, _analysis: object) -> None:
        if self.window.state.result is None:
            return
        self.window.state.analysisReady.disconnect(self._ready)
        QTimer.singleShot(SETTLE_MS, self._paint)

    def _paint(self) -> None:
        """Paint the window now (a busy start can leave the screen behind), then record."""
        self.window.repaint()
        QTimer.singleShot(PAINTED_MS, self._record)

    def _record(self) -> None:
        result = self.window.state.result
        if self.shot:
            screen = self.window.screen()
            image = screen.grabWindow(0) if screen is not None else None
            if image is None or image.isNull():  # a platform that cannot read the screen
                image = self.window.grab()
            image.save(self.shot, "PNG")
        if self.path and result is not None:
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(f"list {time.time():.6f} {os.getpid()} {result.customer_count} "
                         f"{result.source.name}\n")  # fmt: skip
        if self.quit_after:
            self.window.close()
            QApplication.quit()


def watch_first_list(window: MainWindow) -> None:
    """For the checks of the built program: when the first opened list is shown, save a
    screenshot (``JINZITA_PROBE_SHOT``), note "list <time> <pid> <customers> <file name>" in
    the probe file, and quit if ``JINZITA_PROBE_QUIT`` is "list"."""
    path, shot = os.environ.get(PROBE_FILE_ENV), os.environ.get(PROBE_SHOT_ENV)
    quit_after = os.environ.get(PROBE_QUIT_ENV) == "list"
    if path or shot or quit_after:
        _FirstList(window, path, shot, quit_after)


# --- appearance -------------------------------------------------------------------------------


def bundled_font_dir() -> Path:
    return resource("fonts")


def set_ui_font(app: QApplication) -> str | None:
    """Use a font that has Chinese glyphs; return its family (None: keep Qt's default)."""
    bundled: list[str] = []
    folder = bundled_font_dir()
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in FONT_SUFFIXES:
                font_id = QFontDatabase.addApplicationFont(str(path))
                if font_id >= 0:
                    bundled.extend(QFontDatabase.applicationFontFamilies(font_id))
    families = set(QFontDatabase.families())
    chinese = [f for f in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
               if not f.endswith(OTHER_CJK)]  # fmt: skip
    # the system's own UI font first; then the usual Chinese fonts of any system (an English
    # Windows may lack 微软雅黑 and 宋体), then any font that has Chinese: never boxes
    wanted = (*bundled, *UI_FONTS.get(sys.platform, ()), *LINUX_FONTS, *chinese)
    for family in wanted:
        if family in families:
            font = QFont(app.font())
            font.setFamilies([family])
            app.setFont(font)
            return family
    return None


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own texts (OK/Cancel, file dialog…) in Chinese, if the .qm files are there."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    installed = []
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder) and app.installTranslator(translator):
            installed.append(translator)
            break  # qt_zh_CN includes qtbase; one is enough
    if not installed:
        log.warning(
            "没有找到 Qt 的中文翻译文件（qtbase_zh_CN.qm，位置 %s），标准按钮会显示英文", folder
        )
    return installed


def _set_windows_app_id() -> None:
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_ID)
    except (AttributeError, OSError):  # pragma: no cover - older Windows
        pass


# --- logs and crashes -----------------------------------------------------------------------------


def setup_logging() -> None:
    """Warnings and errors go to jinzita.log in the data folder (for support)."""
    root = logging.getLogger()
    if any(getattr(h, "_jinzita", False) for h in root.handlers):
        return
    try:
        handler = logging.FileHandler(data_dir() / LOG_FILE, encoding="utf-8", delay=True)
    except OSError:
        return
    handler._jinzita = True  # type: ignore[attr-defined]
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def install_excepthook() -> None:
    sys.excepthook = excepthook


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An unexpected error: write the traceback to crash.log, tell the user in Chinese."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    path = write_crash_log(exc_type, exc, tb)
    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    where = f"\n\n错误详情已记录在：{path}" if path else ""
    QMessageBox.critical(
        None,
        "程序出错了",
        "程序遇到了一个意外错误，刚才的操作可能没有完成。\n"
        "请保存好手头的文件后重新启动程序；如果反复出现，请把错误记录文件发给技术支持。" + where,
    )


def write_crash_log(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> Path | None:
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    try:
        path = data_dir() / CRASH_LOG
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"===== {stamp} =====\n{text}\n")
    except OSError:
        return None
    log.error("未处理的错误：%s", text)
    return path
