"""The step list down the left side of the window: one numbered item per campaign step.

Steps that need an imported list are disabled (grey, with a tooltip saying why) until
there is one. Selecting a step emits ``step_selected(key)``; the window shows its page.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

KEY_ROLE = Qt.ItemDataRole.UserRole
ACCENT = "#1565c0"
NEEDS_LIST = "请先打开客户清单（文件 → 打开客户清单）"


def step_icon(number: int, size: int = 28, color: str = ACCENT) -> QIcon:
    """A filled circle with the step's number, drawn at run time (sharp at any scaling)."""
    icon = QIcon()
    for scale in (1, 2):
        px = size * scale
        pix = QPixmap(px, px)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(color))
        p.drawEllipse(QRectF(1, 1, px - 2, px - 2))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(px * 0.55))
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(QRectF(0, 0, px, px), int(Qt.AlignmentFlag.AlignCenter), str(number))
        p.end()
        pix.setDevicePixelRatio(scale)
        icon.addPixmap(pix)
    return icon


class StepNavigator(QListWidget):
    step_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepNavigator")
        self.setAccessibleName("步骤")
        self.setIconSize(QSize(28, 28))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(2)
        self.setStyleSheet(
            "QListWidget { border: none; background: palette(window); font-size: 11pt; }"
            "QListWidget::item { padding: 10px 8px; border-radius: 6px; }"
            f"QListWidget::item:selected {{ background: {ACCENT}; color: white; }}"
            "QListWidget::item:hover:!selected { background: palette(midlight); }"
            "QListWidget::item:disabled { color: palette(mid); }"
        )
        self.currentItemChanged.connect(self._changed)
        self._needs_list: set[str] = set()

    def add_step(self, key: str, title: str, tip: str, needs_list: bool = True) -> None:
        item = QListWidgetItem(step_icon(self.count() + 1), title)
        item.setData(KEY_ROLE, key)
        item.setToolTip(tip)
        item.setStatusTip(tip)
        self.addItem(item)
        if needs_list:
            self._needs_list.add(key)
        width = self.sizeHintForColumn(0) + 24
        self.setFixedWidth(max(self.minimumWidth(), width, 150))

    def item_for(self, key: str) -> QListWidgetItem | None:
        for i in range(self.count()):
            if self.item(i).data(KEY_ROLE) == key:
                return self.item(i)
        return None

    def step_keys(self) -> list[str]:
        return [self.item(i).data(KEY_ROLE) for i in range(self.count())]

    def set_list_open(self, open_: bool) -> None:
        """Enable the steps that need a list (or grey them out with the reason)."""
        for i in range(self.count()):
            item = self.item(i)
            if item.data(KEY_ROLE) not in self._needs_list:
                continue
            flags = item.flags()
            if open_:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(item.statusTip())
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(NEEDS_LIST)

    def is_enabled(self, key: str) -> bool:
        item = self.item_for(key)
        return item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)

    def select(self, key: str) -> None:
        item = self.item_for(key)
        if item is not None and self.currentItem() is not item:
            self.setCurrentItem(item)

    def current_key(self) -> str:
        item = self.currentItem()
        return "" if item is None else str(item.data(KEY_ROLE))

    def _changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.step_selected.emit(str(current.data(KEY_ROLE)))
