"""What reaches paper from the 建议书与反馈表 page: no placeholder without a question, print
files named by who they are for, the result said in full with 打开文件 / 打开文件夹."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton

from ui.pages.letters import LettersPage

pypdf = pytest.importorskip("pypdf")


@pytest.fixture
def page(show_page, sample):
    return show_page(LettersPage, sample)


@pytest.fixture
def opened(monkeypatch):
    """What 打开文件 / 打开文件夹 asked the system to open (nothing is really opened)."""
    urls: list[Path] = []

    def fake(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", fake)
    return urls


def wait_job(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)


def unsigned_dialog(page):
    dialog = page.findChild(QMessageBox, "unsignedDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_placeholders_ask_before_generating_and_go_settings_makes_nothing(
    qtbot, page, tmp_path, unsigned_settings
):
    page.set_scope("bands", bands=["高端"])
    page.folder_edit.setText(str(tmp_path / "out"))
    page.findChild(QPushButton, "generateButton").click()
    dialog = unsigned_dialog(page)
    assert "××" in dialog.text() and "客户经理没有填写" in dialog.text()
    assert page.worker is None and not (tmp_path / "out").exists()
    with qtbot.waitSignal(page.settings_requested, timeout=2000):
        dialog.findChild(QPushButton, "goSettingsButton").click()
    assert not dialog.isVisible() and page.worker is None and not (tmp_path / "out").exists()

    # the user fills in the sender in 设置; the next 生成文件 asks nothing and signs with it
    from core.base import Settings, save_settings

    save_settings(
        Settings(branch="中国电信城东县分公司", staff_name="李娜", staff_phone="13900002222")
    )
    worker = page.generate()
    assert worker is not None
    wait_job(qtbot, page)
    first = sorted((tmp_path / "out" / "客户建议书").glob("*.pdf"))[0]
    text = pypdf.PdfReader(first).pages[0].extract_text().replace(" ", "")
    assert "城东县分公司" in text and "李娜" in text and "××" not in text


def test_generate_anyway_prints_the_placeholder_and_is_not_asked_again(
    qtbot, page, tmp_path, unsigned_settings
):
    page.set_scope("bands", bands=["高端"])
    page.folder_edit.setText(str(tmp_path / "out"))
    assert page.generate() is None
    unsigned_dialog(page).findChild(QPushButton, "goOnButton").click()
    assert page.worker is not None
    wait_job(qtbot, page)
    assert len(list((tmp_path / "out" / "客户建议书").glob("*.pdf"))) == 16
    page.set_scope("bands", bands=["中高端"])
    assert page.generate() is not None  # the same sender: 仍然生成 holds for this session
    wait_job(qtbot, page)


def test_printing_asks_too(qtbot, page, tmp_path, unsigned_settings):
    page.set_scope("bands", bands=["高端"])
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "打印.pdf"))
    assert page.print_letters(printer) is None
    dialog = unsigned_dialog(page)
    assert dialog.findChild(QPushButton, "goOnButton").text() == "仍然打印"
    dialog.findChild(QPushButton, "goOnButton").click()
    wait_job(qtbot, page)
    assert len(pypdf.PdfReader(tmp_path / "打印.pdf").pages) == 16


def test_ctrl_p_in_the_window_asks_and_go_settings_opens_the_settings(
    qtbot, sample_window, unsigned_settings
):
    window = sample_window
    window.print_action.trigger()
    dialog = unsigned_dialog(window.letters_page)
    assert window.stack.currentWidget() is window.letters_page
    dialog.findChild(QPushButton, "goSettingsButton").click()
    settings = window.findChild(QDialog, "settingsDialog")
    qtbot.waitUntil(lambda: settings is not None and settings.isVisible(), timeout=2000)
    assert "××" in settings.branch.text()
    settings.reject()


def test_band_by_band_print_files_are_named_and_never_asked_to_overwrite(
    qtbot, page, tmp_path, monkeypatch, opened
):
    def no_question(*_a, **_k):
        raise AssertionError("generating another band must not ask to overwrite")

    monkeypatch.setattr(QMessageBox, "question", no_question)

    def generate(folder: Path, scope: str, **kwargs: object) -> None:
        page.folder_edit.setText(str(folder))
        page.set_scope(scope, **kwargs)
        assert page.generate() is not None
        wait_job(qtbot, page)

    for band in ("高端", "中高端"):  # one folder, band by band
        generate(tmp_path / "城东", "bands", bands=[band])
    assert sorted(p.name for p in (tmp_path / "城东").glob("*.pdf")) == [
        "客户建议书_中高端_合并打印.pdf",
        "客户建议书_高端_合并打印.pdf",
    ]
    assert len(list((tmp_path / "城东" / "客户建议书").glob("*.pdf"))) == 75
    generate(tmp_path / "两档", "bands", bands=["中高端", "高端"])
    generate(tmp_path / "种子", "tag", tag="种子用户")
    page.state.set_selected_rows([0, 2])
    generate(tmp_path / "选中", "selected")
    names = {p.parent.name: p.name for p in tmp_path.glob("*/*.pdf") if p.parent.name != "城东"}
    assert names == {"两档": "客户建议书_高端、中高端_合并打印.pdf",
                     "种子": "客户建议书_种子用户_合并打印.pdf",
                     "选中": "客户建议书_选中的2位_合并打印.pdf"}  # fmt: skip
    assert len(pypdf.PdfReader(tmp_path / "两档" / names["两档"]).pages) == 75


def test_the_result_is_said_in_full_with_open_file_and_open_folder(qtbot, page, tmp_path, opened):
    page.set_scope("bands", bands=["高端"])
    page.folder_edit.setText(str(tmp_path / "城东"))
    page.generate()
    wait_job(qtbot, page)
    dialog = page.findChild(QDialog, "resultDialog")
    assert dialog is not None and dialog.isVisible()
    text = dialog.findChild(QLabel, "resultText").text()
    assert "16 位客户" in text and str(tmp_path / "城东" / "客户建议书") in text
    assert "客户建议书_高端_合并打印.pdf" in text
    dialog.findChild(QPushButton, "openFileButton").click()
    assert opened == [tmp_path / "城东" / "客户建议书_高端_合并打印.pdf"]
    assert not dialog.isVisible()
    page.open_folder_button.click()
    assert opened[-1] == tmp_path / "城东"


def test_a_refusal_goes_when_its_cause_is_gone(qtbot, page, tmp_path):
    page.folder_edit.setText("")
    assert page.generate() is None
    assert page.result_label.property("error") is True and "文件夹" in page.result_label.text()
    page.folder_edit.setText(str(tmp_path))
    assert page.result_label.property("error") is False and page.result_label.text() == ""
