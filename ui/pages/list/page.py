"""The page of an imported list: a summary strip, then tabs 客户清单 and 导入问题."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.importing import PROBLEM_NAMES
from ui.models.customer_table import (
    TEXT,
    CustomerProxyModel,
    CustomerTableModel,
    prepare_columns,
)
from ui.models.problem_table import MESSAGE, PROBLEM, ProblemTableModel
from ui.widgets.common import named, page_layout, refill_combo, row, table_view

if TYPE_CHECKING:
    from core.importing import ImportResult
    from core.marketing import Analysis
    from ui.services import Services

SEARCH_DELAY_MS = 250
ALL_BANDS = "全部档位"
UNBANDED = "未分档"
BAND_HEADERS = {"band": "档位", "tags": "客户标签"}
BANDS_VIEW = "list.bands"  # key of the prepared 档位/标签 columns in Analysis.views
SKIPPED_NAMES = {
    "title": "标题行",
    "blank": "空行",
    "totals": "合计行",
    "note": "说明行",
    "header_repeat": "重复的表头行",
}
# widest a column gets when sized to its contents, in characters of the font
MAX_COLUMN_CHARS = 22

STYLE = """
#summary { background: palette(window); border: 1px solid palette(midlight);
    border-radius: 6px; }
#summaryName { color: palette(dark); }
#summaryValue { font-weight: 600; }
#summaryValue[warn="true"] { color: #b3261e; }
"""


class SummaryBar(QFrame):
    """文件、工作表、表头行、数据行、可分档客户、问题数 — the import at a glance."""

    ITEMS = (
        ("file", "文件"),
        ("sheet", "工作表"),
        ("header", "表头行"),
        ("rows", "数据行"),
        ("customers", "可分档客户"),
        ("problems", "问题数"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summary")
        self.values: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(6)
        for i, (key, name) in enumerate(self.ITEMS):
            if i:
                layout.addSpacing(18)
            caption = QLabel(f"{name}：")
            caption.setObjectName("summaryName")
            value = QLabel()
            value.setObjectName("summaryValue")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(caption)
            layout.addWidget(value)
            self.values[key] = value
        layout.addStretch(1)

    def show_result(self, result: ImportResult) -> None:
        name = result.source.name
        self.values["file"].setText(_elide(name, 40))
        self.values["file"].setToolTip(str(result.source))
        self.values["sheet"].setText(result.sheet)
        self.values["header"].setText(f"第 {result.header_row} 行")
        self.values["rows"].setText(f"{result.rows:,}")
        self.values["customers"].setText(f"{result.customer_count:,}")
        self.values["customers"].setToolTip(
            f"共 {len(result.customers):,} 位客户，其中 {result.customer_count:,} 位有月均消费、可以分档。"
        )
        problems = len(result.problems)
        self.values["problems"].setText(f"{problems:,}")
        label = self.values["problems"]
        label.setProperty("warn", bool(problems))
        label.style().unpolish(label)
        label.style().polish(label)


class CustomersTab(QWidget):
    """客户清单: 档位 filter, search, count, and ``customerTable`` (sortable)."""

    def __init__(self) -> None:
        super().__init__()
        self.model = CustomerTableModel(self)
        self.proxy = CustomerProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索客户名称或号码")
        self.search.setClearButtonEnabled(True)
        self.search.setAcceptDrops(False)  # a dropped file opens it, not types its path here
        self.search.setMaximumWidth(320)
        self.count_label = QLabel()
        self.band_filter = named(QComboBox(), "listBandFilter", "按档位筛选")
        self.band_filter.addItem(ALL_BANDS, "")
        self.view = named(table_view(), "customerTable", "客户清单")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        tools = row("档位：", self.band_filter, 12, "搜索：", self.search, 12, self.count_label,
                    stretch=True)  # fmt: skip
        tools.setStretch(4, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 8, 6, 6)
        lay.addLayout(tools)
        lay.addWidget(self.view, 1)


class ProblemsTab(QWidget):
    """导入问题: what was skipped, a filter by kind of problem, the problems by Excel row."""

    def __init__(self) -> None:
        super().__init__()
        self.model = ProblemTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.proxy.setFilterKeyColumn(PROBLEM)
        self.filter = QComboBox()
        self.skipped_label = QLabel()
        self.skipped_label.setWordWrap(True)
        self.view = table_view()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)  # by a click on a header; listed by Excel row
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setWordWrap(False)
        self.filter.currentIndexChanged.connect(self._filter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 8, 6, 6)
        lay.addWidget(self.skipped_label)
        lay.addLayout(row("显示：", self.filter, stretch=True))
        lay.addWidget(self.view, 1)

    def show_result(self, result: ImportResult) -> None:
        frame = result.problem_frame()  # built by the import job already
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        self.model.set_frame(frame)
        items = [(f"全部问题（{len(result.problems):,}）", "")]
        for code, n in sorted(result.problem_counts().items(), key=lambda kv: -kv[1]):
            name = PROBLEM_NAMES.get(code, code)
            items.append((f"{name}（{n:,}）", name))
        refill_combo(self.filter, items, select="")
        self._filter()
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.skipped_label.setText(_skipped_text(result))

    def _filter(self) -> None:
        name = self.filter.currentData() or ""
        pattern = f"^{QRegularExpression.escape(name)}$" if name else ""
        self.proxy.setFilterRegularExpression(pattern)


class ListPage(QWidget):
    """Summary strip and tabs for one imported list (``listPage``).

    Observes the AppState: a new list is shown as imported; once bands are computed the
    table gains the 档位 and 标签 columns and the 档位 filter (set by a click on a band
    in the 分档 page, too).
    """

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "listPage", "客户清单")
        self.setStyleSheet(STYLE)
        self.state = services.state
        self.result: ImportResult | None = None
        self.summary = SummaryBar()
        self.customers = CustomersTab()
        self.problems = ProblemsTab()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.customers_tab_index = self.tabs.addTab(self.customers, "客户清单")
        self.problems_tab_index = self.tabs.addTab(self.problems, "导入问题")
        page_layout(self, self.summary, self.tabs).setStretch(1, 1)
        # the widgets tests and tools reach by name
        self.customer_model, self.customer_proxy = self.customers.model, self.customers.proxy
        self.customer_view, self.band_filter = self.customers.view, self.customers.band_filter
        self.search, self.count_label = self.customers.search, self.customers.count_label
        self.problem_filter, self.problem_view = self.problems.filter, self.problems.view
        self.skipped_label = self.problems.skipped_label
        self._connect()
        if self.state.result is not None:  # built over a state that has a list already
            self._list_changed()
        if self.state.analysis is not None:
            self.show_analysis(self.state.analysis)

    def _connect(self) -> None:
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_search)
        self.band_filter.currentIndexChanged.connect(self._band_chosen)
        self.customer_model.modelReset.connect(self._update_count)
        self.customer_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.customer_model.modelReset.connect(self._selection_changed)
        self.state.add_preparer(BANDS_VIEW, self.prepare_bands)
        self.state.listChanged.connect(self._list_changed)
        self.state.analysisReady.connect(self.show_analysis)
        self.state.bandFilterChanged.connect(self._band_filter_changed)

    def _list_changed(self) -> None:
        if self.state.result is not None:
            self.show_result(self.state.result)

    # --- showing a result --------------------------------------------------------------------
    def show_result(self, result: ImportResult) -> None:
        self.result = result
        self._band_columns_fitted = False
        refill_combo(self.band_filter, [(ALL_BANDS, "")], select="")
        self.summary.show_result(result)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.customer_model.set_search("")
        self.customer_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        views = self.state.list_views if self.state.result is result else {}
        self.customer_model.set_frame(result.customers, columns=views.get("columns"))
        self._fit_columns()
        self.customer_view.scrollToTop()

        self.problems.show_result(result)
        n = len(result.problems)
        self.tabs.setTabText(self.problems_tab_index, f"导入问题（{n:,}）" if n else "导入问题")
        self.tabs.setCurrentIndex(self.customers_tab_index)

    @staticmethod
    def prepare_bands(analysis: Analysis) -> list[Any]:
        """The 档位 and 标签 columns of an analysis (a preparer: runs with the recompute)."""
        return prepare_columns(analysis.offers, keys=list(BAND_HEADERS), headers=BAND_HEADERS)

    def show_analysis(self, analysis: Analysis) -> None:
        """The same customers with their 档位 and 标签 (order, search and filter kept)."""
        if self.result is None or analysis.inputs.customers is not self.result.customers:
            return
        columns = analysis.views.get(BANDS_VIEW) or self.prepare_bands(analysis)
        self.customer_model.set_extra_columns(columns, after="spend")
        items = [(ALL_BANDS, ""), *analysis.scheme.labels, UNBANDED]
        refill_combo(self.band_filter, items, select=self.state.band_filter)
        self._apply_band_filter()
        if not self._band_columns_fitted:
            self._fit_columns()
            self._band_columns_fitted = True

    def _selection_changed(self, *_args: object) -> None:
        """Tell the state which customers are selected (建议书 can be made for them)."""
        rows = self.customer_view.selectionModel().selectedRows()
        source = [self.customer_proxy.mapToSource(i).row() for i in rows]
        self.state.set_selected_rows([self.customer_model.frame_row(r) for r in source])

    def _band_chosen(self) -> None:
        band = self.band_filter.currentData() or ""
        if band != self.state.band_filter:
            self.state.set_band_filter(band)  # the window shows this page; others may follow
        else:
            self._apply_band_filter()

    def _band_filter_changed(self, band: str) -> None:
        index = self.band_filter.findData(band)
        if index >= 0 and index != self.band_filter.currentIndex():
            self.band_filter.blockSignals(True)
            self.band_filter.setCurrentIndex(index)
            self.band_filter.blockSignals(False)
        self._apply_band_filter()
        if band:
            self.tabs.setCurrentIndex(self.customers_tab_index)

    def _apply_band_filter(self) -> None:
        import numpy as np

        band = self.band_filter.currentData() or ""
        analysis = self.state.analysis
        if not band or analysis is None or len(analysis.offers) != self.customer_model.total_count:
            self.customer_model.set_filter(None)
            return
        bands = analysis.offers["band"]
        if band == UNBANDED:
            mask = bands.isna().to_numpy(dtype=bool)
        else:
            mask = (bands.astype("object") == band).to_numpy(dtype=bool)
        self.customer_model.set_filter(np.asarray(mask))

    def apply_search(self) -> None:
        self._search_timer.stop()
        self.customer_proxy.set_search(self.search.text())

    def _update_count(self) -> None:
        shown, total = self.customer_model.rowCount(), self.customer_model.total_count
        if shown == total:
            self.count_label.setText(f"共 {total:,} 位客户")
        else:
            self.count_label.setText(f"找到 {shown:,} 位（共 {total:,} 位）")

    def _fit_columns(self) -> None:
        """Column widths from the header and the first rows, capped: no 200k-row scan."""
        view, model = self.customer_view, self.customer_model
        metrics = view.fontMetrics()
        header_metrics = view.horizontalHeader().fontMetrics()
        sample = min(model.rowCount(), 200)
        cap = metrics.horizontalAdvance("中") * MAX_COLUMN_CHARS
        for c in range(model.columnCount()):
            title = str(model.headerData(c, Qt.Orientation.Horizontal))
            width = header_metrics.horizontalAdvance(title) + 28  # room for the sort arrow
            for r in range(sample):
                text = model.data(model.index(r, c))
                if text:
                    width = max(width, metrics.horizontalAdvance(text) + 16)
            if model.column_kind(c) == TEXT:
                width = min(width, cap)
            view.setColumnWidth(c, width)


def _skipped_text(result: ImportResult) -> str:
    parts = [
        f"{SKIPPED_NAMES.get(kind, kind)} {len(rows)} 行"
        for kind, rows in result.skipped.items()
        if rows
    ]
    lines = []
    if result.problems:
        lines.append("下面每一条都列出了 Excel 行号和处理方法；在原表中改好后重新导入即可。")
    else:
        lines.append("没有发现问题：每一行数据都导入成了客户。")
    if parts:
        lines.append("另外跳过了不是客户的行：" + "、".join(parts) + "。")
    lines.extend(result.notes)
    return "\n".join(lines)


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
