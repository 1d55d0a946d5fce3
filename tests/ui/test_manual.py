"""帮助 → 使用手册 and F1: the manual shipped with the program, with its pictures, in a viewer
that fits a laptop screen; found beside the program when packaged."""

from __future__ import annotations

import re
import sys

from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QImage, QKeySequence, QTextDocument
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTextBrowser

from ui.dialogs.manual_dialog import ManualDialog, manual_path


def pictures_shown(browser: QTextBrowser) -> list[QImage]:
    """The images the manual's text shows, as the viewer loaded them."""
    doc, found = browser.document(), []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                name = fmt.toImageFormat().name()
                found.append(doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name)))
            it += 1
        block = block.next()
    return found


def test_f1_opens_the_manual_with_its_pictures(qtbot, window, monkeypatch):
    from ui.widgets import common

    monkeypatch.setattr(common, "available_geometry", lambda widget=None: QRect(0, 0, 1366, 728))
    action = window.manual_action
    assert QKeySequence(Qt.Key.Key_F1) in action.shortcuts()
    assert action in window.menuBar().actions()[-1].menu().actions()  # 帮助 → 使用手册
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(QDialog, "manualDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.height() + 32 <= 728
    browser = dialog.findChild(QTextBrowser, "manualBrowser")
    assert browser.toPlainText().startswith("价值金字塔营销助手 用户手册")
    expected = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", manual_path().read_text(encoding="utf-8"))
    images = pictures_shown(browser)
    assert len(images) == len(expected) >= 6
    assert all(isinstance(i, QImage) and not i.isNull() for i in images)
    assert max(i.width() for i in images) <= browser.viewport().width()  # no sideways scrolling
    action.trigger()  # a second F1 brings the same viewer forward
    assert len(window.findChildren(QDialog, "manualDialog")) == 1


def test_a_link_to_another_manual_opens_inside_and_back_returns(qtbot):
    dialog = ManualDialog()
    qtbot.addWidget(dialog)
    browser = dialog.browser
    browser.setSource(QUrl("windows.md"))  # what a click on the windows.md link does
    assert "用户手册" not in browser.toPlainText()[:20] and browser.toPlainText()
    back = dialog.findChild(QPushButton, "manualBackButton")
    assert back.isEnabled()
    back.click()
    assert browser.toPlainText().startswith("价值金字塔营销助手 用户手册")


def test_a_missing_manual_is_said_in_chinese(qtbot, tmp_path):
    dialog = ManualDialog(tmp_path / "用户手册.md")
    qtbot.addWidget(dialog)
    dialog.show()
    shown = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
    assert any("找不到使用手册" in t and "重新解压" in t for t in shown)


def test_the_packaged_program_finds_the_manual_beside_it(tmp_path, monkeypatch):
    folder = tmp_path / "价值金字塔营销助手"
    (folder / "resources").mkdir(parents=True)
    (folder / "docs").mkdir()
    (folder / "docs" / "用户手册.md").write_text("# 手册\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "价值金字塔营销助手.exe"))
    assert manual_path() == folder / "docs" / "用户手册.md"
