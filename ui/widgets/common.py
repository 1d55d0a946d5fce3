"""Small widget helpers every page uses: automation names, hint labels, table views,
drop-downs refilled without losing the choice, and the shapes pages are built from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

W = TypeVar("W", bound=QWidget)
RESIZE_ROWS = 200

HINT_STYLE = 'QLabel[error="true"] { color: #b3261e; font-weight: 600; }QLabel { color: #5f6368; }'


class UndoLineEdit(QLineEdit):
    """A text box whose Ctrl+Z undoes the typing in it, and — when there is no typing to
    undo — the page's last change (a plain QLineEdit swallows Ctrl+Z either way)."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            for key, available in ((QKeySequence.StandardKey.Undo, self.isUndoAvailable()),
                                   (QKeySequence.StandardKey.Redo, self.isRedoAvailable())):  # fmt: skip
                if event.matches(key) and not available:
                    event.ignore()  # the window's 撤销/重做 takes it
                    return False
        return super().event(event)


FRAME_H = 32  # a window's title bar and frame, outside its geometry (Windows, 100 %)
SCREEN_MARGIN = 16


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The free part of the screen ``widget`` is on (without the taskbar): 1366×728 on
    the usual county laptop (1366×768 with a 40-px taskbar)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size a dialog to ``width`` × ``height``, never past the free part of the screen
    (its title bar and frame included). Qt centres a dialog over its parent and keeps it
    on the screen when it is shown."""
    free = available_geometry(window.parentWidget() or window)
    w = max(200, min(width, free.width() - 2 * SCREEN_MARGIN))
    h = max(200, min(height, free.height() - FRAME_H - SCREEN_MARGIN))
    window.resize(w, h)


def named(widget: W, object_name: str, accessible: str = "") -> W:
    """Set the objectName (a contract for automated tests) and the accessible name."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible or object_name)
    return widget


def hint_label(text: str) -> QLabel:
    """Grey help text that turns red (``setProperty("error", True)``) for a refusal."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.setProperty("error", False)
    return label


def show_hint(label: QLabel, text: str, error: bool) -> None:
    """Set a hint label's text, red when ``error`` (a refusal), grey otherwise."""
    label.setText(text)
    label.setProperty("error", bool(error))
    label.style().unpolish(label)
    label.style().polish(label)


def clear_hint_on(label: QLabel, *signals: Any, text: str = "") -> None:
    """A red refusal in ``label`` goes (back to ``text``) as soon as one of ``signals``
    fires: the user changed what it was about, so it no longer applies."""

    def clear(*_args: object) -> None:
        if label.property("error"):
            show_hint(label, text, False)

    for signal in signals:
        signal.connect(clear)


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def output_folder(settings: object, source: Path) -> Path:
    """Where a list's letters and report go by default: the folder last used, else the
    list's own folder — unless that is inside the program (the sample list), then the
    user's 文档/价值金字塔营销助手 (the program folder may be read-only)."""
    from PySide6.QtCore import QStandardPaths

    from core.base import resources_dir

    last = getattr(settings, "last_dir", "")
    if last and Path(last).is_dir():
        return Path(last)
    folder = Path(source).resolve().parent
    if folder == resources_dir().resolve() or resources_dir().resolve() in folder.parents:
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs or Path.home()) / "价值金字塔营销助手"
    return folder


def table_view(editable: bool = False) -> QTableView:
    """A row-selecting, compact table with alternating rows and no row numbers."""
    view = QTableView()
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if editable:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
    else:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    # "resize to contents" looks at the first rows only: a 200,000-row list is not measured
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
    view.verticalHeader().setResizeContentsPrecision(RESIZE_ROWS)
    return view


def refill_combo(combo: QComboBox, items: Iterable[str | tuple[str, Any]], *,
                 select: Any = None) -> None:  # fmt: skip
    """Replace a drop-down's items without a change signal, keeping the user's choice.

    ``items``: texts, or (text, data) pairs. The choice kept is the current one (by its
    data, else its text) when it is still offered; ``select`` (a data value) wins over it.
    The caller refreshes whatever depends on the choice.
    """
    wanted = select if select is not None else combo.currentData()
    text = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    for item in items:
        label, data = item if isinstance(item, tuple) else (item, item)
        combo.addItem(label, data)
    index = combo.findData(wanted) if wanted is not None else -1
    if index < 0 and select is None:
        index = combo.findText(text)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def column(*items: QWidget | QLayout, margins: tuple[int, int, int, int] = (0, 0, 0, 0),
           stretch: bool = True) -> QWidget:  # fmt: skip
    """Widgets and layouts stacked top to bottom (room left at the bottom if ``stretch``)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(*margins)
    for item in items:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    if stretch:
        layout.addStretch(1)
    return box


def request_buttons(specs: Iterable[tuple[str, str, str, str]],
                    emit: Any) -> dict[str, QPushButton]:  # fmt: skip
    """A button per (key, text, objectName, tooltip); a click calls ``emit(key)``."""
    buttons = {}
    for key, text, name, tip in specs:
        button = named(QPushButton(text), name, text)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False, k=key: emit(k))
        buttons[key] = button
    return buttons


def row(*items: QWidget | QLayout | str | int, stretch: bool = False) -> QHBoxLayout:
    """Widgets left to right; a str is a plain label, an int a spacing."""
    layout = QHBoxLayout()
    for item in items:
        if isinstance(item, str):
            layout.addWidget(QLabel(item))
        elif isinstance(item, int):
            layout.addSpacing(item)
        elif isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    if stretch:
        layout.addStretch(1)
    return layout


def two_pane(page: QWidget, left: QWidget, right: QWidget, sizes: tuple[int, int]) -> QSplitter:
    """A step page's usual shape: settings on the left, what they give on the right."""
    for pane, margins in ((left, (0, 0, 6, 0)), (right, (6, 0, 0, 0))):
        if pane.layout() is not None:  # a bare widget (a tab widget) keeps its own frame
            pane.layout().setContentsMargins(*margins)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(left)
    split.addWidget(right)
    split.setStretchFactor(0, 0)
    split.setStretchFactor(1, 1)
    split.setSizes(list(sizes))
    split.setChildrenCollapsible(False)
    page_layout(page, split)
    return split


def page_layout(page: QWidget, *widgets: QWidget) -> QVBoxLayout:
    """A step page's outer layout with the margins every page uses."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(8, 8, 8, 4)
    for widget in widgets:
        layout.addWidget(widget)
    return layout
