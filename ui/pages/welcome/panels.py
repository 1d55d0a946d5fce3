"""The welcome page's list of recent files: a button per file, the newest first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCommandLinkButton, QLabel, QVBoxLayout, QWidget

from ui.widgets.common import named

SHOWN = 4  # files per list: both lists fit a laptop's window with the buttons below


class RecentList(QWidget):
    """``title`` over up to ``SHOWN`` files (name, folder underneath); ``chosen(path)``."""

    chosen = Signal(str)

    def __init__(self, title: str, name: str, item_name: str) -> None:
        super().__init__()
        named(self, name, title)
        self.item_name = item_name
        self.paths: list[str] = []
        self.title = QLabel(title)
        self.title.setObjectName("recentTitle")
        self.items = QVBoxLayout()
        self.items.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.items)
        layout.addStretch(1)

    def set_paths(self, paths: list[str]) -> None:
        while self.items.count():
            widget = self.items.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.paths = list(paths[:SHOWN])
        for i, path in enumerate(self.paths):
            where = Path(path)
            button = named(QCommandLinkButton(where.name, str(where.parent)),
                           f"{self.item_name}_{i}", f"打开 {where.name}")  # fmt: skip
            button.setToolTip(path)
            button.clicked.connect(lambda _c=False, p=path: self.chosen.emit(p))
            self.items.addWidget(button)

    def buttons(self) -> list[QCommandLinkButton]:
        items = (self.items.itemAt(i).widget() for i in range(self.items.count()))
        return [b for b in items if isinstance(b, QCommandLinkButton)]
