"""Which columns a table shows, and in what order: a menu on the header (right click).

A table wider than a laptop's window hides what matters off its right edge. A
``ColumnChooser`` puts the columns a user needs first (``first``), hides the ones rarely
needed (``hidden``), and lets the user tick columns on or off in the header's menu
(``columnMenu``; 恢复默认 goes back). Columns are known by their header text, so the
choice holds when the table is filled again (a new list, a reload).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu, QTableView


class ColumnChooser(QObject):
    def __init__(self, view: QTableView, first: Iterable[str] = (),
                 hidden: Iterable[str] = ()) -> None:  # fmt: skip
        super().__init__(view)
        self.view = view
        self.first = list(first)
        self.default_hidden = set(hidden)
        self.hidden = set(hidden)
        header = view.horizontalHeader()
        header.setSectionsMovable(True)  # a column can also be dragged to another place
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_menu)
        header.setToolTip("右键点表头：选择显示哪些列")
        model = view.model()
        model.modelReset.connect(self.apply)
        model.headerDataChanged.connect(lambda *_a: self.apply())
        self.apply()

    def headers(self) -> list[str]:
        """The columns' header texts, in the model's order."""
        model = self.view.model()
        horizontal = Qt.Orientation.Horizontal
        return [str(model.headerData(i, horizontal) or "") for i in range(model.columnCount())]

    def shown(self) -> list[str]:
        """The header texts of the columns on screen, left to right."""
        header, texts = self.view.horizontalHeader(), self.headers()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [texts[i] for i in logical if not header.isSectionHidden(i)]

    def apply(self) -> None:
        """Hide and order the columns as chosen (after every refill of the table)."""
        header, texts = self.view.horizontalHeader(), self.headers()
        for i, text in enumerate(texts):
            header.setSectionHidden(i, text in self.hidden)
        for place, text in enumerate(t for t in self.first if t in texts):
            logical = texts.index(text)
            header.moveSection(header.visualIndex(logical), place)

    def set_visible(self, text: str, visible: bool) -> None:
        (self.hidden.discard if visible else self.hidden.add)(text)
        if not self.shown() and visible is False:  # never hide the last column
            self.hidden.discard(text)
        self.apply()

    def reset(self) -> None:
        self.hidden = set(self.default_hidden)
        header = self.view.horizontalHeader()
        for visual in range(header.count()):  # back to the model's order, then ``first``
            header.moveSection(header.visualIndex(visual), visual)
        self.apply()

    def menu(self) -> QMenu:
        """The header's menu: a tick per column, and 恢复默认."""
        menu = QMenu(self.view)
        menu.setObjectName("columnMenu")
        menu.setAccessibleName("选择显示的列")
        for text in self.headers():
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(text not in self.hidden)
            action.toggled.connect(lambda on, t=text: self.set_visible(t, on))
        menu.addSeparator()
        menu.addAction("恢复默认", self.reset)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.horizontalHeader().mapToGlobal(pos))
