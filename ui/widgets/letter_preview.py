"""One letter at real A4 size, with zoom and 上一位/下一位 (``letterPreview``).

The page is painted by ``ui.render.pdf.render_image`` — the same layout as the PDF and
the printer (laid out on the PDF's own layout device, then scaled), so what is seen here
is what prints. At 100 % the page is as wide on screen as an A4 sheet (the screen's
logical DPI); the image is rendered at the screen's pixel ratio, so it stays sharp.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import named

if TYPE_CHECKING:
    from core.documents import Letter

ZOOMS = (50, 75, 100, 125, 150)
DEFAULT_ZOOM = 75


class LetterPreview(QWidget):
    index_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "letterPreview", "建议书预览")
        self.letters: Sequence[Letter] = []
        self.index = 0
        self.override: Any = None  # a function letter → letter (the template being edited)
        self.prev_button = named(QPushButton("◀ 上一位"), "previousLetterButton", "上一位")
        self.next_button = named(QPushButton("下一位 ▶"), "nextLetterButton", "下一位")
        self.prev_button.clicked.connect(lambda: self.show_index(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_index(self.index + 1))
        self.position = QLabel()
        self.zoom = named(QComboBox(), "previewZoom", "缩放")
        for z in ZOOMS:
            self.zoom.addItem(f"{z}%", z)
        self.zoom.setCurrentIndex(ZOOMS.index(DEFAULT_ZOOM))
        self.zoom.currentIndexChanged.connect(lambda _i: self.refresh())
        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.position, 1)
        bar.addWidget(QLabel("缩放："))
        bar.addWidget(self.zoom)
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page.setStyleSheet("background: white; border: 1px solid #c7c7c7;")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.page)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setStyleSheet("QScrollArea { background: #e9eaec; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        self.empty_text = "没有要预览的客户。"

    def set_letters(self, letters: Sequence[Letter], index: int = 0) -> None:
        self.letters = letters
        self.show_index(index)

    def show_index(self, index: int) -> None:
        n = len(self.letters)
        self.index = max(0, min(index, n - 1)) if n else 0
        self.prev_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < n - 1)
        self.refresh()
        self.index_changed.emit(self.index)

    def current(self) -> Letter | None:
        if not self.letters:
            return None
        letter = self.letters[self.index]
        return self.override(letter) if self.override is not None else letter

    def refresh(self) -> None:
        from ui.render.pdf import render_image

        letter = self.current()
        if letter is None:
            self.page.setPixmap(QPixmap())
            self.page.setText(self.empty_text)
            self.page.adjustSize()
            self.position.setText("")
            return
        ratio = self.devicePixelRatioF() or 1.0
        dpi = self.logicalDpiX() * self.zoom.currentData() / 100
        image = render_image(letter, dpi=round(dpi * ratio))
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.page.setPixmap(pixmap)
        self.page.adjustSize()
        name = letter.values.get("客户名称") or letter.stem
        self.position.setText(f"第 {self.index + 1:,} / {len(self.letters):,} 位：{name}")
