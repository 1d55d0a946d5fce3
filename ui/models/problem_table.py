"""The import problems (``ImportResult.problem_frame()``) as a Qt table model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from core.importing import PROBLEM_NAMES

if TYPE_CHECKING:
    import pandas as pd

Index = QModelIndex | QPersistentModelIndex

ROW, FIELD, PROBLEM, MESSAGE = range(4)
HEADERS = ("Excel行号", "字段", "问题", "说明")

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class ProblemTableModel(QAbstractTableModel):
    """One line per problem: Excel row, field (Chinese), problem name, what to do."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows = np.zeros(0, dtype=np.int64)
        self._fields = np.zeros(0, dtype=object)
        self._names = np.zeros(0, dtype=object)
        self._codes = np.zeros(0, dtype=object)
        self._messages = np.zeros(0, dtype=object)

    def set_frame(self, frame: pd.DataFrame | None) -> None:
        self.beginResetModel()
        if frame is None or frame.empty:
            self._rows = np.zeros(0, dtype=np.int64)
            self._fields = self._names = self._codes = self._messages = np.zeros(0, dtype=object)
        else:
            codes = frame["code"].astype(str)
            self._rows = frame["row"].to_numpy(dtype=np.int64)
            self._fields = frame["field_label"].astype(str).to_numpy(dtype=object)
            self._codes = codes.to_numpy(dtype=object)
            self._names = codes.map(lambda c: PROBLEM_NAMES.get(c, c)).to_numpy(dtype=object)
            self._messages = frame["message"].astype(str).to_numpy(dtype=object)
        self.endResetModel()

    def code_at(self, row: int) -> str:
        return str(self._codes[row])

    def excel_row(self, row: int) -> int:
        return int(self._rows[row])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section == ROW else _LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if c == ROW:
                return str(self._rows[r]) if role == Qt.ItemDataRole.DisplayRole else None
            if c == FIELD:
                return self._fields[r]
            if c == PROBLEM:
                return self._names[r]
            return self._messages[r]
        if role == Qt.ItemDataRole.UserRole:  # sort values
            return int(self._rows[r]) if c == ROW else self.data(index)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if c == ROW else _LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
