"""The 套餐库 as an editable table, checked row by row as the user types.

The model keeps the rows as the user wrote them. After every edit the rows go through
``core.marketing.check_catalog_rows`` (the same check as loading catalog.xlsx): if all
is well, ``changed(catalog, what)`` carries the new catalog (the page turns it into an
undoable command); otherwise the rows with problems get a red 问题 cell and
``problems(text)`` says what to fix — the campaign keeps the last good catalog.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

if TYPE_CHECKING:
    from core.marketing import Catalog, Package

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
KEYS = ("name", "fee", "data_gb", "voice_min", "broadband_mbps", "landline", "contract_months",
        "pitch", "bands", "kind")  # fmt: skip
HEADERS = ("套餐名称", "月费（元）", "流量（GB）", "通话（分钟）", "宽带（M）", "固话（部）",
           "合约期（月）", "一句话卖点", "适用档位", "类型")  # fmt: skip
PROBLEM_HEADER = "问题"
ERROR_BG = QBrush(QColor("#fdecea"))
ERROR_FG = QBrush(QColor("#b3261e"))
NUMERIC = frozenset(range(1, 7))


def _num(value: float, unlimited: bool = False) -> str:
    if unlimited and math.isinf(value):
        return "不限"
    if not value:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def package_row(p: Package) -> list[str]:
    return [p.name, _num(p.fee) or "0", _num(p.data_gb, True), _num(p.voice_min, True),
            _num(p.broadband_mbps), _num(p.landline), _num(p.contract_months), p.pitch,
            "、".join(p.bands), p.kind]  # fmt: skip


class CatalogTableModel(QAbstractTableModel):
    changed = Signal(object, str)  # a valid Catalog after an edit, and what changed
    problems = Signal(str)  # "" when every row is fine

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[list[str]] = []
        self.errors: dict[int, list[str]] = {}  # model row → messages
        self.catalog: Catalog | None = None  # the last good catalog shown or produced

    # --- loading -----------------------------------------------------------------------------
    def set_catalog(self, catalog: Catalog) -> None:
        """Show ``catalog`` (drops rows being fixed; called when the campaign's catalog changes)."""
        if catalog == self.catalog and not self.errors:
            return
        self.beginResetModel()
        self.catalog = catalog
        self.rows = [package_row(p) for p in catalog.packages]
        self.errors = {}
        self.endResetModel()
        self.problems.emit("")

    @property
    def has_problems(self) -> bool:
        return bool(self.errors)

    # --- editing -------------------------------------------------------------------------------
    def add_row(self) -> int:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append([""] * len(KEYS))
        self.endInsertRows()
        return row

    def remove_rows(self, rows: list[int]) -> None:
        names = [self.rows[r][0] for r in rows if 0 <= r < len(self.rows)]
        for r in sorted(set(rows), reverse=True):
            if 0 <= r < len(self.rows):
                self.beginRemoveRows(QModelIndex(), r, r)
                del self.rows[r]
                self.endRemoveRows()
        shown = "、".join(n for n in names if n) or "空行"
        self._check(f"删除套餐 {shown}")

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid() or index.column() >= len(KEYS):
            return False
        text = str(value).strip()
        row, col = index.row(), index.column()
        if self.rows[row][col] == text:
            return False
        self.rows[row][col] = text
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(KEYS)))
        name = self.rows[row][0] or f"第{row + 1}行"
        self._check(f"修改套餐“{name}”的{HEADERS[col]}")
        return True

    def _check(self, what: str) -> None:
        from core.base import InvalidInput
        from core.marketing import check_catalog_rows

        data = [r for r in self.rows if any(c.strip() for c in r)]
        try:
            catalog, errors = check_catalog_rows([list(HEADERS), *data], source="界面编辑")
        except InvalidInput as err:  # no package left
            catalog, errors = None, [(0, f"{err.message}{err.hint}")]
        # rows sent = non-blank model rows; map their numbers (header = 1) back
        filled = [i for i, r in enumerate(self.rows) if any(c.strip() for c in r)]
        self.errors = {}
        for number, message in errors:
            row = filled[number - 2] if 2 <= number <= len(filled) + 1 else 0
            text = message.split("：", 1)[-1]
            self.errors.setdefault(row, []).append(text)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(KEYS)))
        if catalog is None:
            count = sum(len(v) for v in self.errors.values())
            first = min(self.errors)
            self.problems.emit(
                f"套餐库有 {count} 处问题（第{first + 1}行：{self.errors[first][0]}），"
                "改正前程序仍按上一次正确的套餐库推荐。"
            )
            return
        self.problems.emit("")
        self.catalog = catalog
        self.changed.emit(catalog, what)

    # --- Qt model interface ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(KEYS) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return HEADERS[section] if section < len(KEYS) else PROBLEM_HEADER
        if orientation == Qt.Orientation.Vertical and role == DISPLAY:
            return section + 1
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        problem = "；".join(self.errors.get(row, []))
        if col == len(KEYS):
            if role == DISPLAY or role == Qt.ItemDataRole.ToolTipRole:
                return problem or ("" if role == DISPLAY else "这一行没有问题")
            if role == Qt.ItemDataRole.ForegroundRole:
                return ERROR_FG
            return None
        if role in (DISPLAY, EDIT):
            return self.rows[row][col]
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return ERROR_BG
        if role == Qt.ItemDataRole.ToolTipRole and problem:
            return problem
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if col in NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and index.column() < len(KEYS):
            base |= Qt.ItemFlag.ItemIsEditable
        return base
