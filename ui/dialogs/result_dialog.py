"""The result of a long job, said in full with 打开文件 / 打开文件夹.

A status-bar line is cut at the window's edge ("…或发给"); after generating letters,
exporting a report or a 走访表 the user gets this small dialog instead (and the status
bar keeps a short line). The text is selectable, so a path can be copied. It does not
block: the window stays usable behind it (``open()``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import named, row


def open_in_system(path: Path | None) -> bool:
    """Open a file or folder as a double-click in Explorer would."""
    return path is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ResultDialog(QDialog):
    """``resultDialog``: a title, what was made (``resultText``), ``openFileButton``,
    ``openFolderButton``, 关闭. The buttons open ``file`` / ``folder`` and close it."""

    def __init__(self, title: str, text: str, file: Path | None = None,
                 folder: Path | None = None, parent: QWidget | None = None,
                 details: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        named(self, "resultDialog", title)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.file, self.folder = file, folder or (file.parent if file is not None else None)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(32, 32))  # fmt: skip
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = named(QLabel(text), "resultText", "结果")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(380)
        self.text.setMaximumWidth(560)
        self.details = QLabel(details)
        self.details.setWordWrap(True)
        self.details.setStyleSheet("color: #5f6368;")
        self.details.setVisible(bool(details))
        self.open_file_button = named(QPushButton("打开文件"), "openFileButton", "打开文件")
        self.open_folder_button = named(QPushButton("打开文件夹"), "openFolderButton",
                                        "打开文件夹")  # fmt: skip
        self.open_file_button.setVisible(file is not None)
        self.open_folder_button.setVisible(self.folder is not None)
        self.open_file_button.clicked.connect(lambda: self._open(self.file))
        self.open_folder_button.clicked.connect(lambda: self._open(self.folder))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        body = QVBoxLayout()
        body.addWidget(self.text)
        body.addWidget(self.details)
        top = row(icon, body)
        top.setStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        bottom = row(self.open_file_button, self.open_folder_button, stretch=True)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        (self.open_file_button if file is not None else self.open_folder_button).setDefault(True)

    def _open(self, path: Path | None) -> None:
        open_in_system(path)
        self.accept()


def show_result(parent: QWidget, title: str, text: str, file: Path | None = None,
                folder: Path | None = None, details: str = "") -> ResultDialog:  # fmt: skip
    """Show a job's result (one at a time per parent: an older one is closed)."""
    for old in parent.findChildren(ResultDialog):
        old.close()
    dialog = ResultDialog(title, text, file, folder, parent, details)
    dialog.open()
    return dialog
