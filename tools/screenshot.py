"""Screenshots of the main window for the docs (run under a display, e.g. xvfb-run).

    xvfb-run -a -s "-screen 0 1366x800x24" python tools/screenshot.py

Uses a fresh settings folder, so the welcome page shows the first-start state.
Writes docs/images/gui_welcome.png and docs/images/gui_customers.png (and
gui_problems.png, gui_mapping.png).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JINZITA_DATA_DIR", tempfile.mkdtemp(prefix="jinzita-shot-"))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui import app as ui_app  # noqa: E402

OUT = ROOT / "docs" / "images"


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(signal, timeout_ms: int = 30_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def main() -> int:
    app = QApplication(sys.argv)
    app.setApplicationName(ui_app.APP_NAME)
    ui_app.set_ui_font(app)
    ui_app.install_translations(app)
    from ui.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    wait(500)
    window.grab().save(str(OUT / "gui_welcome.png"))

    worker = window.open_sample()
    wait_for(worker.signals.done)
    wait(300)
    window.grab().save(str(OUT / "gui_customers.png"))

    page = window.list_page
    page.tabs.setCurrentIndex(page.problems_tab_index)
    wait(300)
    window.grab().save(str(OUT / "gui_problems.png"))

    from core.base import MappingNeeded

    headers = ["客户名称", "手机号码", "收费额", "套餐名称", "入网时间", "所属网格", "备注"]
    error = MappingNeeded("没有找到“月均消费（ARPU）”列，无法按消费区间分档。", "", headers)
    dialog = window.ask_mapping(error, Path("走访清单.xlsx"), None)
    wait(400)
    dialog.grab().save(str(OUT / "gui_mapping.png"))
    dialog.reject()
    window.close()
    print("saved to", OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
