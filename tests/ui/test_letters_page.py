"""The 建议书与反馈表 page alone, over the sample list: choose, preview, edit, print, save."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QPushButton

from tests.paths import SAMPLE
from tests.ui.conftest import wait_for
from ui.pages.letters import LettersPage

pypdf = pytest.importorskip("pypdf")
psutil = pytest.importorskip("psutil")

from tests.processes import kill_a_worker  # noqa: E402

SAMPLE_WITH_OFFER = 316


@pytest.fixture
def page(show_page, sample):
    return show_page(LettersPage, sample)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def wait_job(qtbot, page) -> None:
    wait_for(lambda: page.worker is None, 120_000)


def test_kind_and_scope_and_the_count_before_anything_is_made(qtbot, page):
    kind = page.findChild(QComboBox, "letterKind")
    scope = page.findChild(QComboBox, "letterScope")
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


def test_selected_customers_in_the_list(qtbot, page):
    page.state.set_selected_rows([0, 2])  # what the 客户清单 page tells the state
    page.set_scope("selected")
    assert "共 2 位客户" in page.count_label.text()


def test_preview_next_previous_and_a_real_page(qtbot, page):
    preview = page.preview
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


def test_template_with_an_unknown_field_is_named_and_not_used(qtbot, page, tmp_path):
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


def test_generate_makes_the_same_files_as_the_command(qtbot, page, tmp_path):
    from ui.cli.main import run_cli

    page.set_scope("bands", bands=["高端", "中高端"])
    out = tmp_path / "窗口"
    page.findChild(QLineEdit, "outputFolderEdit").setText(str(out))
    button = page.findChild(QPushButton, "generateButton")
    button.click()
    assert not button.isEnabled()
    wait_job(qtbot, page)
    assert button.isEnabled()
    made = files_under(out)
    assert len(made) == 75 + 1  # 59 中高端 + 16 高端, and the combined print file
    assert "已生成" in page.result_label.text() and page.open_folder_button.isEnabled()
    cli = tmp_path / "命令行"
    assert run_cli(["proposals", str(SAMPLE), "--out", str(cli), "--combined",
                    "--band", "高端,中高端"]) == 0  # fmt: skip
    assert files_under(cli) == made


def test_existing_files_are_not_replaced_without_asking(qtbot, page, tmp_path, monkeypatch):
    page.set_scope("bands", bands=["高端"])
    page.folder_edit.setText(str(tmp_path))
    page.generate()
    wait_job(qtbot, page)
    target = next(tmp_path.rglob("*.pdf"))
    target.write_bytes(b"kept")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert page.generate() is None
    assert target.read_bytes() == b"kept" and "同名文件" in page.result_label.text()


def test_cancel_leaves_no_file(qtbot, page, tmp_path):
    page.folder_edit.setText(str(tmp_path / "取消"))
    worker = page.generate()
    worker.cancel()
    wait_job(qtbot, page)
    assert files_under(tmp_path) == []
    assert "已取消" in page.result_label.text()
    assert page.generate_button.isEnabled()


def test_a_killed_pdf_worker_is_a_clear_message_not_a_frozen_window(
    qtbot, page, tmp_path, warnings
):
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


def test_print_to_a_pdf_printer_one_page_per_letter_and_page_range(qtbot, page, tmp_path):
    page.set_scope("bands", bands=["高端"])
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


def test_no_chinese_font_means_a_message_and_no_file(qtbot, page, tmp_path, monkeypatch):
    from core.base import FontMissing
    from ui.render import fonts

    def missing() -> str:
        raise FontMissing("未找到中文字体：建议书中的中文会是空白。", "请安装微软雅黑或宋体。")

    monkeypatch.setattr(fonts, "require_letter_font", missing)
    page.folder_edit.setText(str(tmp_path / "无字体"))
    assert page.generate() is None
    assert "未找到中文字体" in page.result_label.text()
    assert not (tmp_path / "无字体").exists()
