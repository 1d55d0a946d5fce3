"""Screenshots of every page of the window, as a user sees it (run under a display).

    python tools/screenshot.py                      # both sizes, under xvfb-run by itself
    python tools/screenshot.py --size 1366x768      # one size (needs a display)

Sizes: 1366×768 at 100 % and 1920×1080 at 125 % scaling (QT_SCALE_FACTOR=1.25), the
two most common county-office laptop screens. The window gets what a maximised window has
there with the taskbar and its title bar: 1366×690 and 1536×795 (logical pixels). The
sample list is opened and each step of the navigator is shown and grabbed. Uses a fresh
settings folder, so the welcome page shows the first-start state (and, at the end, the
returning state: ``welcome_returning``). Writes ``docs/images/gui_<name>_<width>.png``
(``--out`` to change the folder): every step, and the dialogs — 列对应, 设置, 新建营销活动,
落款没有填写, 生成结果, 打印预览, 使用手册, 第二轮.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"1366x768": "1", "1920x1080": "1.25"}
WINDOW = {"1366x768": (1366, 690), "1920x1080": (1536, 795)}  # less taskbar and title bar


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(condition, timeout_ms: int = 60_000) -> None:
    waited = 0
    while not condition() and waited < timeout_ms:
        wait(50)
        waited += 50


def shoot(size: str, out: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from ui import app as ui_app

    app = QApplication(sys.argv)
    app.setApplicationName(ui_app.APP_NAME)
    ui_app.set_ui_font(app)
    ui_app.install_translations(app)
    from ui.main_window import MainWindow

    width = size.split("x")[0]
    window = MainWindow()
    window.setGeometry(0, 0, *WINDOW[size])
    window.show()
    wait(600)
    saved = []

    def grab(name: str, widget=None) -> None:
        path = out / f"gui_{name}_{width}.png"
        (widget or window).grab().save(str(path))
        saved.append(path)

    grab("welcome")
    window.open_sample()
    until(lambda: not window.busy and window.state.analysis is not None)
    wait(400)
    for key in window.navigator.step_keys():
        window.show_step(key)
        wait(700)
        grab(key)
    list_page = window.list_page
    list_page.tabs.setCurrentIndex(list_page.problems_tab_index)
    window.show_step("list")
    wait(300)
    grab("problems")
    offers = window.offers_page
    offers.tabs.setCurrentIndex(1)
    window.show_step("offers")
    wait(300)
    grab("catalog")

    letters = window.letters_page
    letters.right_tabs.setCurrentWidget(letters.editor)
    window.show_step("letters")
    wait(400)
    grab("template")
    letters.right_tabs.setCurrentIndex(0)

    import datetime as dt

    from core.campaign import CampaignInfo, Visit

    info = CampaignInfo("城东批发市场 12 月扫场", "城东小商品批发市场", "中国电信某某县分公司",
                        staff=("王磊", "李娜"))  # fmt: skip
    window.new_campaign(str(Path(tempfile.mkdtemp()) / "城东12月.jzt"), info)
    until(lambda: window.state.campaign is not None)
    campaign = window.state.campaign
    from core.campaign import Targets

    campaign.assign(["王磊", "李娜"])
    campaign.set_targets(Targets(signed=20, visited=200, staff={"王磊": 10, "李娜": 10}))
    today = dt.date.today()
    intents = ("已成交", "有意向", "考虑中", "无意向", "未见到", "有意向", "已成交", "考虑中")
    for i, customer in enumerate(campaign.customers()[:40]):
        intent = intents[i % len(intents)]
        campaign.add_visit(customer.key, Visit(
            visit_date=today - dt.timedelta(days=i % 5), visitor=("王磊", "李娜")[i % 2],
            intent=intent, method="上门", met=intent != "未见到",
            signed_fee=customer.offer_fee if intent == "已成交" else None,
            signed_package=customer.offer_package if intent == "已成交" else "",
            objections=("价格",) if intent == "考虑中" else (),
        ))  # fmt: skip
    window.state.visitsChanged.emit()
    visits = window.visits_page
    visits.view.setCurrentIndex(visits.proxy.index(40, 1))
    wait(400)
    grab("visits")
    visits.right_tabs.setCurrentWidget(visits.results_tab)
    wait(700)
    grab("visits_results")
    visits.right_tabs.setCurrentWidget(visits.board_tab)
    wait(700)
    grab("visits_board")
    from core.campaign import round_count
    from ui.dialogs.sweep_dialogs import FollowUpDialog

    follow = FollowUpDialog(f"{campaign.info.name}（第2轮）",
                            lambda c: round_count(campaign, **c), window)  # fmt: skip
    follow.open()
    wait(300)
    grab("follow_up", follow)
    follow.reject()

    dialog = window.open_settings()
    wait(400)
    grab("settings", dialog)
    dialog.reject()
    from core.base import MappingNeeded

    headers = ["客户名称", "手机号码", "收费额", "套餐名称", "入网时间", "所属网格", "备注"]
    error = MappingNeeded("没有找到“月均消费（ARPU）”列，无法按消费区间分档。", "", headers)
    mapping = window.ask_mapping(error, Path("走访清单.xlsx"), None)
    wait(400)
    grab("mapping", mapping)
    mapping.reject()
    shoot_dialogs(window, grab)
    window.close()
    again = MainWindow()  # the next start: the recent work comes first
    again.setGeometry(0, 0, *WINDOW[size])
    again.show()
    wait(600)
    grab("welcome_returning", again)
    again.close()
    return saved


def shoot_dialogs(window, grab) -> None:
    """新建营销活动, 落款没有填写, the result of 生成文件, 打印预览 and 使用手册."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QDialog, QMessageBox

    from core.base import Settings, save_settings
    from ui.dialogs.campaign_dialog import CampaignDialog

    campaign = CampaignDialog("城东批发市场 12 月扫场", "城东小商品批发市场", "中国电信某某县分公司",
                              ["王磊", "李娜"], Path.home(), window)  # fmt: skip
    campaign.open()
    wait(300)
    grab("campaign", campaign)
    campaign.reject()
    letters = window.letters_page
    window.show_step("letters")
    letters.set_scope("bands", bands=["高端"])
    letters.folder_edit.setText(str(Path(tempfile.mkdtemp()) / "城东市场"))
    save_settings(Settings())  # as shipped: 中国电信××县分公司, no 客户经理
    letters.generate()
    wait(300)
    unsigned = letters.findChild(QMessageBox, "unsignedDialog")
    grab("unsigned", unsigned)
    unsigned.reject()
    signed = Settings(branch="中国电信城东县分公司", staff_name="王磊", staff_phone="13900001111")
    save_settings(signed)
    window.state.apply_settings(signed)  # as 设置 → 确定 does (an open campaign keeps its own)
    letters.generate()
    until(lambda: letters.worker is None)
    wait(400)
    result = letters.findChild(QDialog, "resultDialog")
    grab("result", result)
    result.close()
    letters.print_preview()
    until(lambda: letters.findChild(QPrintPreviewDialog) is not None)
    wait(800)
    preview = letters.findChild(QPrintPreviewDialog)
    grab("print_preview", preview)
    preview.close()
    manual = window.chrome.show_manual()
    wait(500)
    grab("manual", manual)
    manual.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), help="one size (default: both)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("JINZITA_DATA_DIR", tempfile.mkdtemp(prefix="jinzita-shot-"))
    if args.size:
        os.environ["QT_SCALE_FACTOR"] = SIZES[args.size]
        for path in shoot(args.size, args.out):
            print(path)
        return 0
    xvfb = shutil.which("xvfb-run")
    for size in SIZES:
        cmd = [sys.executable, __file__, "--size", size, "--out", str(args.out)]
        if xvfb and not os.environ.get("DISPLAY"):
            cmd = [xvfb, "-a", "-s", f"-screen 0 {size}x24", *cmd]
        env = dict(os.environ, JINZITA_DATA_DIR=tempfile.mkdtemp(prefix="jinzita-shot-"))
        subprocess.run(cmd, check=True, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
