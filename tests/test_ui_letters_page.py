"""建议书与反馈表 and 报表 pages as a user drives them: choose, preview, edit, print, save."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QPushButton

from ui.main_window import sample_list_path

pypdf = pytest.importorskip("pypdf")
psutil = pytest.importorskip("psutil")

from tests.processes import kill_a_worker  # noqa: E402

SAMPLE_WITH_OFFER = 316


@pytest.fixture
def window(sample_window):
    sample_window.show_step("letters")
    return sample_window


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def wait_job(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)


def test_kind_and_scope_and_the_count_before_anything_is_made(qtbot, window):
    page = window.letters_page
    kind = window.findChild(QComboBox, "letterKind")
    scope = window.findChild(QComboBox, "letterScope")
    items = [kind.itemText(i) for i in range(kind.count())]
    assert any("建议书" in t for t in items) and any("反馈表" in t for t in items)
    assert any("全部" in scope.itemText(i) for i in range(scope.count()))
    assert f"共 {SAMPLE_WITH_OFFER} 位客户" in page.count_label.text()
    page.set_scope("bands", bands=["高端"])
    assert "共 16 位客户" in page.count_label.text()
    assert len(page.letters()) == 16
    assert all(x.values["档位"] == "高端" for x in page.letters())
    page.set_scope("tag", tag="种子用户")
    assert all("种子用户" in x.values["客户标签"] for x in page.letters())


def test_selected_customers_in_the_list(qtbot, window):
    page = window.letters_page
    view = window.list_page.customer_view
    window.show_step("list")
    view.selectRow(0)
    view.selectionModel().select(view.model().index(2, 0),
                                 view.selectionModel().SelectionFlag.Select
                                 | view.selectionModel().SelectionFlag.Rows)  # fmt: skip
    window.show_step("letters")
    page.set_scope("selected")
    assert "共 2 位客户" in page.count_label.text()


def test_preview_next_previous_and_a_real_page(qtbot, window):
    preview = window.letters_page.preview
    assert preview.objectName() == "letterPreview"
    first = preview.position.text()
    preview.next_button.click()
    assert preview.index == 1 and preview.position.text() != first
    preview.prev_button.click()
    assert preview.index == 0 and preview.position.text() == first
    image = preview.page.pixmap().toImage()
    assert image.width() > 300 and image.height() > image.width()  # A4 portrait
    dark = sum(1 for y in range(0, image.height(), 7) for x in range(0, image.width(), 7)
               if image.pixelColor(x, y).lightness() < 140)  # fmt: skip
    assert dark > 50  # text, not a blank page
    preview.zoom.setCurrentIndex(preview.zoom.findData(150))
    assert preview.page.pixmap().toImage().width() > image.width()


def test_template_with_an_unknown_field_is_named_and_not_used(qtbot, window, tmp_path):
    page = window.letters_page
    editor = page.editor
    page.right_tabs.setCurrentWidget(editor)
    editor.edit.moveCursor(editor.edit.textCursor().MoveOperation.End)
    editor.edit.insertPlainText("\n尊敬的{客户姓名}：这一行的字段写错了。")
    editor.check()
    assert editor.message.property("error") is True
    assert "客户姓名" in editor.message.text() and "行" in editor.message.text()
    assert editor.template is None
    text = editor.edit.toPlainText().replace("{客户姓名}", "{客户名称}")
    editor.edit.setPlainText(text + "\n特别提示：")
    editor.edit.moveCursor(editor.edit.textCursor().MoveOperation.End)
    item = editor.fields.findItems("推荐套餐", Qt.MatchFlag.MatchExactly)[0]
    editor.fields.itemClicked.emit(item)  # a click on the field inserts it at the cursor
    assert editor.edit.toPlainText().endswith("特别提示：{推荐套餐}")
    assert editor.check() is not None
    assert any("特别提示" in b.text for b in page.letters()[0].parts if hasattr(b, "text"))
    saved = editor.save_as(str(tmp_path / "我的建议书.txt"))
    assert saved is not None and "特别提示" in saved.read_text(encoding="utf-8")
    from core.documents import builtin_path

    assert "特别提示" not in builtin_path("建议书").read_text(encoding="utf-8")
    assert editor.save_as(str(builtin_path("建议书"))) is None  # never over the built-in
    assert "不能覆盖" in editor.message.text()


def test_generate_makes_the_same_files_as_the_command(qtbot, window, tmp_path):
    from ui.cli.main import run_cli

    page = window.letters_page
    page.set_scope("bands", bands=["高端", "中高端"])
    out = tmp_path / "窗口"
    page.findChild(QLineEdit, "outputFolderEdit").setText(str(out))
    button = window.findChild(QPushButton, "generateButton")
    button.click()
    assert not button.isEnabled()
    wait_job(qtbot, page)
    assert button.isEnabled()
    made = files_under(out)
    assert len(made) == 75 + 1  # 59 中高端 + 16 高端, and the combined print file
    assert "已生成" in page.result_label.text() and page.open_folder_button.isEnabled()
    cli = tmp_path / "命令行"
    assert run_cli(["proposals", str(sample_list_path()), "--out", str(cli), "--combined",
                    "--band", "高端,中高端"]) == 0  # fmt: skip
    assert files_under(cli) == made


def test_existing_files_are_not_replaced_without_asking(qtbot, window, tmp_path, monkeypatch):
    page = window.letters_page
    page.set_scope("bands", bands=["高端"])
    page.folder_edit.setText(str(tmp_path))
    page.generate()
    wait_job(qtbot, page)
    target = next(tmp_path.rglob("*.pdf"))
    target.write_bytes(b"kept")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert page.generate() is None
    assert target.read_bytes() == b"kept" and "同名文件" in page.result_label.text()


def test_cancel_leaves_no_file(qtbot, window, tmp_path):
    page = window.letters_page
    page.folder_edit.setText(str(tmp_path / "取消"))
    worker = page.generate()
    worker.cancel()
    wait_job(qtbot, page)
    assert files_under(tmp_path) == []
    assert "已取消" in page.result_label.text()
    assert page.generate_button.isEnabled()


def test_a_killed_pdf_worker_is_a_clear_message_not_a_frozen_window(
    qtbot, window, tmp_path, warnings
):
    page = window.letters_page
    page.folder_edit.setText(str(tmp_path / "killed"))
    page.combined_check.setChecked(False)
    worker = page.generate()
    killed: list[int] = []

    def kill_one(done: int, total: int, text: str) -> None:
        if not killed:
            pid = kill_a_worker()
            if pid is not None:
                killed.append(pid)

    worker.signals.progress.connect(kill_one)
    wait_job(qtbot, page)
    assert killed
    assert any("后台进程意外退出" in text for _title, text in warnings)
    assert "没有留下任何文件" in page.result_label.text()
    assert files_under(tmp_path) == []
    assert page.generate_button.isEnabled()


def test_print_to_a_pdf_printer_one_page_per_letter_and_page_range(qtbot, window, tmp_path):
    page = window.letters_page
    page.set_scope("bands", bands=["高端"])
    assert window.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "打印.pdf"))
    page.print_letters(printer)
    wait_job(qtbot, page)
    assert len(pypdf.PdfReader(tmp_path / "打印.pdf").pages) == 16
    assert "16 页" in page.result_label.text()
    ranged = QPrinter(QPrinter.PrinterMode.HighResolution)
    ranged.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    ranged.setOutputFileName(str(tmp_path / "第2到4位.pdf"))
    ranged.setPrintRange(QPrinter.PrintRange.PageRange)
    ranged.setFromTo(2, 4)
    page.print_letters(ranged)
    wait_job(qtbot, page)
    reader = pypdf.PdfReader(tmp_path / "第2到4位.pdf")
    second = page.letters()[1].values["客户名称"]
    assert len(reader.pages) == 3 and second[:4] in reader.pages[0].extract_text().replace(" ", "")


def test_no_chinese_font_means_a_message_and_no_file(qtbot, window, tmp_path, monkeypatch):
    from core.base import FontMissing
    from ui.render import fonts

    def missing() -> str:
        raise FontMissing("未找到中文字体：建议书中的中文会是空白。", "请安装微软雅黑或宋体。")

    monkeypatch.setattr(fonts, "require_letter_font", missing)
    page = window.letters_page
    page.folder_edit.setText(str(tmp_path / "无字体"))
    assert page.generate() is None
    assert "未找到中文字体" in page.result_label.text()
    assert not (tmp_path / "无字体").exists()


def test_report_page_exports_the_same_workbook_as_the_command(qtbot, window, tmp_path):
    from ui.cli.main import run_cli

    window.show_step("report")
    page = window.report_page
    assert window.findChild(object, "reportPage") is page
    qtbot.waitUntil(lambda: page.canvases["pyramid"].figure.axes != [], timeout=5000)
    path = tmp_path / "窗口报表.xlsx"
    window.findChild(QLineEdit, "reportPathEdit").setText(str(path))
    window.findChild(QPushButton, "exportReportButton").click()
    qtbot.waitUntil(lambda: page.worker is None, timeout=60_000)
    assert path.exists() and page.open_file_button.isEnabled()
    by = page.field_combo.currentData()
    cli = tmp_path / "命令行报表.xlsx"
    assert run_cli(["report", str(sample_list_path()), "--by", by, "--out", str(cli)]) == 0
    ours, theirs = openpyxl.load_workbook(path), openpyxl.load_workbook(cli)
    assert ours.sheetnames == theirs.sheetnames and "汇总" in ours.sheetnames
    for name in ours.sheetnames:
        assert ours[name].max_row == theirs[name].max_row, name
    png = page.save_chart(str(tmp_path / "金字塔.png"))
    assert png is not None and png.stat().st_size > 20_000
