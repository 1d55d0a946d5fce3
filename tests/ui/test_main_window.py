"""The main window as a user meets it: welcome page, opening lists, problems, errors."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import openpyxl
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton

from tests.paths import ROOT
from ui import app as ui_app
from ui.controllers import import_controller as import_flow
from ui.dialogs.progress_dialog import JobProgressDialog
from ui.main_window import MainWindow, sample_list_path
from ui.settings import Settings

H = Qt.Orientation.Horizontal
SAMPLE_CUSTOMERS = 320  # 321 data rows, one duplicate phone


def wait_import(qtbot, window: MainWindow, worker) -> None:
    assert worker is not None
    # not waitSignal: a quick job may be done before the test could connect to it
    qtbot.waitUntil(lambda: not window.busy, timeout=20_000)


def open_sample(qtbot, window: MainWindow) -> None:
    wait_import(qtbot, window, window.open_sample())


def headers(view) -> list[str]:
    model = view.model()
    return [model.headerData(c, H) for c in range(model.columnCount())]


def cell(view, row: int, header: str) -> str:
    return view.model().index(row, headers(view).index(header)).data()


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


# --- welcome page and first start ------------------------------------------------------------------


def test_first_start_shows_welcome_page_highlighting_the_sample(window):
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.sample_button.text() == "打开示例清单"
    assert window.welcome.sample_button.property("primary") is True
    assert window.welcome.open_button.property("primary") is False
    assert window.welcome.hint.isVisible()
    texts = [w.text() for w in window.welcome.findChildren(type(window.file_label))]
    assert "客户清单" in texts and "建议书与反馈表" in texts  # the steps, as on the left
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "编辑(&E)", "帮助(&H)"]
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert sample_list_path().is_file()


def test_after_first_list_the_welcome_page_is_no_longer_first_run(qtbot, window):
    open_sample(qtbot, window)
    assert Settings().first_run is False
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.welcome.open_button.property("primary") is True
    assert not again.welcome.hint.isVisibleTo(again.welcome)
    again.close()


# --- opening the sample ----------------------------------------------------------------------------


def test_open_sample_shows_the_customer_list(qtbot, window):
    open_sample(qtbot, window)
    page = window.list_page
    assert window.stack.currentWidget() is page
    view = page.customer_view
    shown = headers(view)
    assert shown[:5] == ["Excel行号", "客户编号", "手机号码", "客户名称", "月均消费(元)"]
    assert "证件号码" not in shown
    assert view.model().rowCount() == SAMPLE_CUSTOMERS
    assert cell(view, 1, "月均消费(元)") == "39.00"
    assert cell(view, 1, "手机号码") == "18365495893"
    assert cell(view, 1, "入网时间") == "2015-03-16"
    assert page.count_label.text() == f"共 {SAMPLE_CUSTOMERS} 位客户"
    summary = {k: v.text() for k, v in page.summary.values.items()}
    assert summary == {
        "file": "示例客户清单.xlsx",
        "sheet": "客户清单",
        "header": "第 4 行",
        "rows": "321",
        "customers": "316",
        "problems": "12",
    }
    assert "已导入 示例客户清单.xlsx：320 位客户" in window.statusBar().currentMessage()
    assert window.windowTitle().startswith("示例客户清单.xlsx")


def test_problems_tab_lists_rows_and_reasons(qtbot, window):
    open_sample(qtbot, window)
    page = window.list_page
    assert page.tabs.tabText(page.problems_tab_index) == "导入问题（12）"
    view = page.problem_view
    assert headers(view) == ["Excel行号", "字段", "问题", "说明"]
    assert view.model().rowCount() == 12
    assert [cell(view, 0, h) for h in ("Excel行号", "字段", "问题")] == [
        "30",
        "手机号码",
        "号码无效",
    ]
    assert "1381234" in cell(view, 0, "说明")
    assert "合计行 1 行" in page.skipped_label.text()
    # the filter shows one kind of problem
    index = page.problem_filter.findText("号码为空", Qt.MatchFlag.MatchStartsWith)
    page.problem_filter.setCurrentIndex(index)
    kinds = {cell(view, r, "问题") for r in range(view.model().rowCount())}
    assert kinds == {"号码为空"}


def test_search_box_narrows_the_list(qtbot, window):
    open_sample(qtbot, window)
    page = window.list_page
    view = page.customer_view
    page.search.insert("五金")  # as typed (QTest.keyClicks cannot type Chinese)
    qtbot.waitUntil(lambda: view.model().rowCount() < SAMPLE_CUSTOMERS, timeout=3_000)
    names = [cell(view, r, "客户名称") for r in range(view.model().rowCount())]
    assert names and all("五金" in n for n in names)
    assert page.count_label.text().startswith(f"找到 {len(names)} 位")
    page.search.clear()
    page.apply_search()
    assert view.model().rowCount() == SAMPLE_CUSTOMERS
    page.search.setText("18365495893")
    page.apply_search()
    assert [cell(view, r, "客户名称") for r in range(view.model().rowCount())] == [
        "陶记经营部（孙霞建）"
    ]


def test_clicking_a_header_sorts_by_value(qtbot, window):
    open_sample(qtbot, window)
    view = window.list_page.customer_view
    column = headers(view).index("月均消费(元)")
    view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    top = [float(cell(view, r, "月均消费(元)").replace(",", "")) for r in range(20)]
    assert top == sorted(top, reverse=True)


# --- column mapping, bad files, cancel -----------------------------------------------------------------


def test_missing_spend_column_asks_for_mapping_and_reimports(qtbot, window, tmp_path):
    path = write_xlsx(
        tmp_path / "清单.xlsx",
        [
            ["客户名称", "手机号码", "收费额", "套餐名称"],
            ["甲商行", "13800000001", 59, "畅享59元套餐"],
            ["乙商行", "13800000002", 129.5, "畅享129元套餐"],
        ],
    )
    wait_import(qtbot, window, window.open_path(path))
    dialog = window.mapping_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.combos["name"].currentText() == "客户名称"  # the automatic guess is shown
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled() and "月均消费" in dialog.warning.text()
    dialog.set_field("spend", "收费额")
    assert ok.isEnabled()
    dialog.accept()
    worker = window.import_worker
    wait_import(qtbot, window, worker)
    view = window.list_page.customer_view
    assert window.stack.currentWidget() is window.list_page
    assert [cell(view, r, "月均消费(元)") for r in range(2)] == ["59.00", "129.50"]
    # remembered: the same headers open without asking again
    wait_import(qtbot, window, window.open_path(path))
    assert window.mapping_dialog is None
    assert str(path.resolve()) in Settings().recent_files


def test_bad_file_shows_a_chinese_warning(qtbot, window, warnings, tmp_path):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"\x00\x01\x02 not a spreadsheet \xff\xfe" * 50)
    wait_import(qtbot, window, window.open_path(bad))
    assert len(warnings) == 1
    title, text = warnings[0]
    assert title == "无法打开客户清单"
    assert "坏文件.xlsx" in text and "Traceback" not in text
    assert window.stack.currentWidget() is window.welcome
    assert window.open_action.isEnabled()


def slow_import(path, sheet, overrides, progress):
    """Stands in for a long import: works until it is cancelled."""
    progress.start(100, "正在读取…")
    for i in range(500):
        time.sleep(0.01)
        progress.set(i // 5)
        progress.check()
    raise AssertionError("取消没有生效")


def test_cancel_leaves_the_window_usable(qtbot, window, monkeypatch):
    real_import = import_flow._import_job
    monkeypatch.setattr(import_flow, "_import_job", slow_import)
    worker = window.open_sample()
    dialog = window.findChild(JobProgressDialog)
    assert dialog is not None and dialog.labelText().startswith("正在打开")
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    with qtbot.waitSignal(worker.signals.cancelled, timeout=20_000):
        cancel.click()
    qtbot.waitUntil(lambda: not window.busy, timeout=5_000)
    assert window.stack.currentWidget() is window.welcome
    assert "已取消" in window.statusBar().currentMessage()
    assert window.open_action.isEnabled() and window.welcome.isEnabled()
    monkeypatch.setattr(import_flow, "_import_job", real_import)
    open_sample(qtbot, window)
    assert window.list_page.customer_view.model().rowCount() == SAMPLE_CUSTOMERS


def test_dropping_a_file_opens_it(qtbot, window, tmp_path):
    path = write_xlsx(
        tmp_path / "拖进来的清单.xlsx",
        [["客户名称", "手机号码", "月均消费"], ["丙商行", "13900000003", 88]],
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    wait_import(qtbot, window, window.import_worker)
    assert cell(window.list_page.customer_view, 0, "客户名称") == "丙商行"
    assert window.recent_menu.actions()[0].text().endswith("拖进来的清单.xlsx")


def test_window_geometry_is_remembered(qtbot, window):
    free = window.screen().availableGeometry()  # offscreen: 800×600; Qt keeps a window on it
    window.resize(min(window.minimumSizeHint().width() + 10, free.width() - 10), 520)
    size = window.size()
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.size() == size
    again.close()


# --- application set-up ----------------------------------------------------------------------------------


def test_unexpected_error_is_logged_and_shown_in_chinese(qapp, warnings, tmp_path):
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        ui_app.excepthook(*sys.exc_info())
    title, text = warnings[0]
    assert title == "程序出错了" and "Traceback" not in text and "crash.log" in text
    from core.base.appdata import data_dir

    log = (data_dir() / "crash.log").read_text(encoding="utf-8")
    assert "ZeroDivisionError: boom" in log


def test_chinese_font_and_translations(qapp):
    family = ui_app.set_ui_font(qapp)
    expected = ui_app.UI_FONTS.get(sys.platform, ui_app.LINUX_FONTS)
    assert family in expected, f"界面字体不是中文字体：{family}"
    assert qapp.font().family() == family
    translators = ui_app.install_translations(qapp)
    for t in translators:
        QApplication.removeTranslator(t)
    assert translators, "Qt 的中文翻译文件（qtbase_zh_CN.qm）没有加载"


def test_window_opens_without_loading_pandas():
    code = (
        "import sys, ui.app, ui.main_window, ui.pages.list;"
        "print('pandas' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


# --- changing the mapping or the sheet of a loaded list ------------------------------------------


def test_mapping_can_be_reviewed_and_changed_after_import(qtbot, window):
    assert not window.mapping_action.isEnabled()  # nothing loaded yet
    open_sample(qtbot, window)
    assert window.mapping_action.isEnabled()
    dialog = window.edit_mapping()
    assert dialog is not None and dialog.isVisible()
    assert dialog.combos["spend"].currentText() == "近三月ARPU(元)"  # the current mapping
    assert dialog.combos["package"].currentText() == "当前套餐"
    dialog.set_field("package", "")  # 不使用
    dialog.accept()
    wait_import(qtbot, window, window.import_worker)
    shown = headers(window.list_page.customer_view)
    assert "当前套餐" in shown  # kept, now as an unmapped column under its own header
    assert "package" not in window.result.mapping
    assert window.result.customers["package"].isna().all()


def test_another_sheet_can_be_chosen(qtbot, window, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "一月"
    book.active.append(["客户名称", "手机号码", "月均消费"])
    book.active.append(["甲商行", "13800000001", 59])
    second = book.create_sheet("二月")
    second.append(["客户名称", "手机号码", "月均消费"])
    second.append(["乙商行", "13800000002", 99])
    second.append(["丙商行", "13800000003", 199])
    book.save(tmp_path / "两个月.xlsx")
    wait_import(qtbot, window, window.open_path(tmp_path / "两个月.xlsx"))
    assert window.result.sheet == "二月"  # the bigger list is chosen automatically
    assert window.sheet_action.isEnabled()
    wait_import(qtbot, window, window.choose_sheet("一月"))
    assert window.result.sheet == "一月"
    assert window.list_page.customer_view.model().rowCount() == 1
