"""帮助 → 使用手册 (F1): docs/用户手册.md, shown in the program with its pictures.

The manual is read as it is written: Qt renders Markdown itself (QTextBrowser with the
Markdown resource type), so the program needs no build step and no extra library, and
the page a user reads is exactly docs/用户手册.md — from a source checkout and from the
packaged folder alike (packaging/jinzita.spec puts ``docs/`` next to the program, like
``resources/``). Pictures and links to the other manuals (windows.md, campaigns.md) are
relative to it; a web address opens in the browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import fit_to_screen, hint_label, named, row

MANUAL = ("docs", "用户手册.md")


def manual_path() -> Path:
    """Where the manual is: ``docs/用户手册.md`` in the program's folder."""
    from core.base import app_root

    return app_root().joinpath(*MANUAL)


class ManualBrowser(QTextBrowser):
    """A QTextBrowser whose pictures fit its width (screenshots are 1366 px wide)."""

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        data = super().loadResource(kind, url)
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return data
        image = data if isinstance(data, QImage) else QImage.fromData(data)
        room = max(320, self.viewport().width() - 24)
        if not image.isNull() and image.width() > room:
            image = image.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
        return image


class ManualDialog(QDialog):
    """``manualDialog``: ``manualBrowser`` with 返回 and 目录 (back to the start)."""

    def __init__(self, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "manualDialog", "使用手册")
        self.setWindowTitle("使用手册 — 价值金字塔营销助手")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.path = path or manual_path()
        self.browser = named(ManualBrowser(), "manualBrowser", "使用手册内容")
        self.browser.setOpenExternalLinks(True)  # http: the browser; files: shown here
        self.browser.setOpenLinks(True)
        self.message = hint_label("")
        self.message.setVisible(False)
        back = named(QPushButton("← 返回"), "manualBackButton", "返回")
        back.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        back.setEnabled(False)
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        home = named(QPushButton("目录"), "manualHomeButton", "回到手册开头")
        home.clicked.connect(self.browser.home)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row(back, home, stretch=True))
        layout.addWidget(self.message)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 980, 1000)
        self.load()

    def load(self) -> bool:
        """Show the manual; a missing file is said in Chinese with what to do."""
        if not self.path.is_file():
            self.message.setText(
                f"找不到使用手册（{self.path}）。程序文件夹可能不完整：请重新解压"
                "“价值金字塔营销助手”文件夹，或向 IT 人员要一份新的。"
            )  # fmt: skip
            self.message.setProperty("error", True)
            self.message.setVisible(True)
            return False
        self.browser.setSource(QUrl.fromLocalFile(str(self.path)),
                               QTextDocument.ResourceType.MarkdownResource)  # fmt: skip
        return True


def show_manual(parent: QWidget) -> ManualDialog:
    """Open the manual beside the window (one at a time; the open one comes to the front)."""
    dialog = parent.findChild(ManualDialog)
    if dialog is None:
        dialog = ManualDialog(parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
