"""Table models of the 分档 page: the editable scheme, the band statistics, small frames.

``SchemeTableModel`` shows the bands (下限, 上限, 名称, 营销策略) and turns an edit into
a whole new scheme (``edited``) or a Chinese reason it is refused (``refused``); it never
changes itself — the state's new scheme comes back through ``set_scheme``. Editing a
下限 moves the edge it shares with the band below, so bands always stay contiguous.
``BandSummaryModel`` is ``bandTable``: one row per band low→high, then 未分档 (when
some customers have no band) and 合计.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

if TYPE_CHECKING:
    import pandas as pd

    from core.marketing import Analysis, BandScheme

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
READONLY_BG = QBrush(QColor("#f1f3f4"))
UNBANDED_LABEL = "未分档"
TOTAL_LABEL = "合计"


def num(value: float) -> str:
    """50.0 → '50', 47.5 → '47.5' (edges as a user types them)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


class SchemeTableModel(QAbstractTableModel):
    HEADERS = ("下限（元）", "上限（元）", "名称", "营销策略")
    LOW, HIGH, LABEL, STRATEGY = range(4)

    edited = Signal(object, str)  # the new BandScheme, what changed (for 撤销)
    refused = Signal(str)  # why an edit was not taken

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.scheme: BandScheme | None = None

    def set_scheme(self, scheme: BandScheme) -> None:
        self.beginResetModel()
        self.scheme = scheme
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.scheme is None else len(self.scheme.bands)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        if role == DISPLAY and orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def _fixed(self, row: int, col: int) -> bool:
        """The base's 下限 (0) and the top band's 上限 (不限) cannot be edited."""
        assert self.scheme is not None
        return (col == self.LOW and row == 0) or (
            col == self.HIGH and row == len(self.scheme.bands) - 1
        )

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or self.scheme is None:
            return None
        band = self.scheme.bands[index.row()]
        col = index.column()
        if role in (DISPLAY, EDIT):
            if col == self.LOW:
                return num(band.low)
            if col == self.HIGH:
                return "不限" if math.isinf(band.high) else num(band.high)
            return band.label if col == self.LABEL else band.strategy
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if col in (self.LOW, self.HIGH) else LEFT
        if role == Qt.ItemDataRole.BackgroundRole and self._fixed(index.row(), col):
            return READONLY_BG
        if role == Qt.ItemDataRole.ToolTipRole:
            if self._fixed(index.row(), col):
                return "最低一档从 0 元起，最高一档不设上限。"
            if col in (self.LOW, self.HIGH):
                return "改这个金额会同时移动相邻一档的边界。"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and not self._fixed(index.row(), index.column()):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid() or self.scheme is None:
            return False
        from core.base import InvalidInput
        from core.marketing import Band, BandScheme

        row, col = index.row(), index.column()
        text = str(value).strip()
        if text == str(self.data(index, EDIT)):
            return False
        bands = [Band(b.label, b.low, b.high, b.strategy) for b in self.scheme.bands]
        what = ""
        if col in (self.LOW, self.HIGH):
            try:
                amount = float(text.replace("元", "").replace(",", "").replace("，", ""))
            except ValueError:
                self.refused.emit(f"“{text}”不是金额，请填写数字，例如 100。")
                return False
            if not math.isfinite(amount) or amount < 0:
                self.refused.emit(f"“{text}”不是有效金额，请填写不小于 0 的数字。")
                return False
            edge = row if col == self.LOW else row + 1  # index of the band starting there
            bands[edge - 1].high = amount
            bands[edge].low = amount
            what = f"把“{bands[edge].label}”的下限改为 {num(amount)} 元"
        elif col == self.LABEL:
            bands[row].label = text
            what = f"把第{row + 1}档改名为“{text}”"
        else:
            bands[row].strategy = text
            what = f"修改“{bands[row].label}”的营销策略"
        try:
            scheme = BandScheme(name=_edited_name(self.scheme), bands=bands, note="")
        except InvalidInput as err:
            self.refused.emit(f"{err.message}{err.hint}")
            return False
        self.edited.emit(scheme, what)
        return True


def _edited_name(scheme: BandScheme) -> str:
    name = scheme.name
    return name if name.startswith("自定义") else f"自定义分档（由{name}修改）"


class BandSummaryModel(QAbstractTableModel):
    """``bandTable``: 档位, 区间, 人数, 占比, 收入, 收入占比, 平均消费, 中位消费."""

    HEADERS = ("档位", "区间", "人数", "占比", "收入（元）", "收入占比", "平均消费（元）",
               "中位消费（元）")  # fmt: skip
    LABEL, RANGE, COUNT = 0, 1, 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[list[Any]] = []  # display values
        self.kinds: list[str] = []  # "band", "unbanded", "total"
        self.labels: list[str] = []  # band label per row ("" for the extra rows)

    def set_analysis(self, analysis: Analysis | None) -> None:
        self.beginResetModel()
        self.rows, self.kinds, self.labels = [], [], []
        if analysis is not None:
            self._fill(analysis)
        self.endResetModel()

    def _fill(self, analysis: Analysis) -> None:
        from core.marketing import UNBANDED_REASONS

        summary = analysis.summary
        for band, rec in zip(analysis.scheme.bands, summary.itertuples(index=False), strict=True):
            self.rows.append([
                band.label, band.range_text, int(rec.customers), _pct(rec.share),
                _money(rec.revenue), _pct(rec.revenue_share), _money(rec.mean_spend),
                _money(rec.median_spend),
            ])  # fmt: skip
            self.kinds.append("band")
            self.labels.append(band.label)
        unbanded = sum(analysis.unbanded.values())
        if unbanded:
            why = "、".join(
                f"{UNBANDED_REASONS.get(k, k)} {v}" for k, v in analysis.unbanded.items()
            )
            self.rows.append([UNBANDED_LABEL, why, unbanded, "", "", "", "", ""])
            self.kinds.append("unbanded")
            self.labels.append("")
        total = int(summary["customers"].sum())
        revenue = float(summary["revenue"].sum())
        self.rows.append([TOTAL_LABEL, "已分档客户", total, _pct(1.0 if total else 0.0),
                          _money(revenue), _pct(1.0 if revenue else 0.0),
                          _money(revenue / total if total else math.nan), "", ])  # fmt: skip
        self.kinds.append("total")
        self.labels.append("")

    def band_at(self, row: int) -> str:
        return self.labels[row] if 0 <= row < len(self.labels) else ""

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
            return LEFT if section <= self.RANGE else RIGHT
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        value = self.rows[row][col]
        if role == DISPLAY:
            return f"{value:,}" if isinstance(value, int) else value
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if col <= self.RANGE else RIGHT
        if role == Qt.ItemDataRole.FontRole and self.kinds[row] == "total":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and self.kinds[row] == "unbanded":
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.ToolTipRole and self.kinds[row] == "band":
            return f"点击查看“{self.labels[row]}”的客户"
        return None


class FrameModel(QAbstractTableModel):
    """A small read-only DataFrame (cross-tab, value × usage matrix); the index first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list[Any]] = []

    def set_frame(self, frame: pd.DataFrame | None, index_header: str = "") -> None:
        self.beginResetModel()
        if frame is None:
            self.headers, self.rows = [], []
        else:
            self.headers = [index_header or str(frame.index.name or ""), *map(str, frame.columns)]
            self.rows = [[str(i), *vals] for i, vals in zip(frame.index, frame.to_numpy().tolist(),
                                                            strict=True)]  # fmt: skip
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == DISPLAY:
            return f"{value:,}" if isinstance(value, int) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if index.column() == 0 else RIGHT
        if role == Qt.ItemDataRole.FontRole and self.rows[index.row()][0] == TOTAL_LABEL:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str) and len(value) >= 8:
            return value  # a long 网格 or 行业 name cut at the column's edge
        return None


def _pct(value: float) -> str:
    return "" if value is None or math.isnan(float(value)) else f"{float(value) * 100:.1f}%"


def _money(value: float) -> str:
    from core.base import fmt_yuan

    return fmt_yuan(float(value)) if value is not None else ""
