"""Small widget helpers every page uses: automation names, hint labels, table views."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

W = TypeVar("W", bound=QWidget)
RESIZE_ROWS = 200

HINT_STYLE = 'QLabel[error="true"] { color: #b3261e; font-weight: 600; }QLabel { color: #5f6368; }'


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
