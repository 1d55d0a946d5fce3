"""The 走访 page's panels: no campaign yet, the campaign's customers, the results tab.

Panels build the controls and show; the page (``ui.pages.visits.page``) decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.models.band_models import FrameModel
from ui.models.customer_table import CustomerProxyModel, CustomerTableModel
from ui.widgets.column_menu import ColumnChooser
from ui.widgets.common import hint_label, named, refill_combo, row, table_view

if TYPE_CHECKING:
    import pandas as pd

ALL = "全部"
STATUS = (("all", "全部客户"), ("not_visited", "未走访"), ("visited", "已走访"),
          ("due", "7 天内要跟进"), ("interested", "有意向"), ("signed", "已成交"))  # fmt: skip
BY = (("band", "按档位"), ("staff", "按走访人"), ("branch", "按单位"))
# what a visitor looks at first: who, which band, and where the visits stand; the rest
# after them, 客户编号 only on request (right click on the header)
FIRST_COLUMNS = ("客户名称", "档位", "走访次数", "最近意向", "下次跟进", "最近走访", "最近走访人",
                 "推荐套餐", "手机号码")  # fmt: skip
HIDDEN_COLUMNS = ("客户编号",)
FUNNEL_COLUMNS = ["计划走访", "已走访", "见到决策人", "有意向", "已成交", "月收入变化（元）"]


class NoCampaignPanel(QWidget):
    """What the page shows before a campaign is open: 新建 / 打开 and why."""

    new_requested = Signal()
    open_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.new_button = named(QPushButton("新建营销活动…"), "newCampaignButton", "新建营销活动")
        self.open_button = named(QPushButton("打开营销活动…"), "openCampaignButton", "打开营销活动")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        intro = QLabel("走访结果记在“营销活动”文件（.jzt）里：每录入一条就保存，\n"
                       "可以复制给同事，也可以导出走访表打印出来手填，再导入回来。")  # fmt: skip
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = hint_label("")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(intro)
        buttons = row(self.new_button, self.open_button, stretch=True)
        buttons.insertStretch(0, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.hint)
        lay.addStretch(2)

    def set_has_list(self, has_list: bool) -> None:
        self.new_button.setEnabled(has_list)
        self.hint.setText("" if has_list else "新建营销活动需要先打开客户清单（第 1 步）。")


class CustomersPanel(QWidget):
    """``visitsCustomerTable`` with its filters (档位, 走访人, 状态), search and count."""

    filters_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.model = CustomerTableModel(self)
        self.proxy = CustomerProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = named(table_view(), "visitsCustomerTable", "活动客户")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.columns = ColumnChooser(self.view, FIRST_COLUMNS, HIDDEN_COLUMNS)
        self.band_filter = named(QComboBox(), "visitsBandFilter", "按档位筛选")
        self.visitor_filter = named(QComboBox(), "visitsVisitorFilter", "按走访人筛选")
        self.status_filter = named(QComboBox(), "visitsStatusFilter", "按走访状态筛选")
        for key, text in STATUS:
            self.status_filter.addItem(text, key)
        for combo in (self.band_filter, self.visitor_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(4)
        self.search = named(QLineEdit(), "visitsSearch", "搜索客户")
        self.search.setPlaceholderText("搜索名称或号码")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(80)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(lambda: self.proxy.set_search(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.count = QLabel()
        search = row(self.status_filter, self.search, self.count)
        search.setStretch(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(
            row("档位：", self.band_filter, "走访人：", self.visitor_filter, stretch=True)
        )
        lay.addLayout(search)
        lay.addWidget(self.view, 1)

    def show_choices(self, bands: list[str], visitors: list[str]) -> None:
        """The 档位 and 走访人 drop-downs (the choice kept when still offered)."""
        refill_combo(self.band_filter, [ALL, *bands])
        refill_combo(self.visitor_filter, [ALL, *visitors])

    def chosen(self, combo: QComboBox) -> str:
        text = combo.currentText()
        return "" if text == ALL else text


class ResultsTab(QWidget):
    """走访统计: the funnel table by band/visitor/branch, follow-ups, the funnel chart."""

    by_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.by_combo = named(QComboBox(), "resultsBy", "统计方式")
        for key, text in BY:
            self.by_combo.addItem(text, key)
        self.by_combo.currentIndexChanged.connect(lambda _i: self.by_changed.emit())
        self.model = FrameModel(self)
        self.view = named(table_view(), "resultsTable", "走访统计")
        self.view.setModel(self.model)
        self.follow_label = hint_label("")
        self.funnel_canvas: Any = None
        self.results: Any = None
        self.view.selectionModel().currentRowChanged.connect(lambda now, _old: self._row_chosen(
            now.row()))  # fmt: skip
        lay = QVBoxLayout(self)
        lay.addLayout(row(self.by_combo, stretch=True))
        lay.addWidget(self.view)
        lay.addWidget(self.follow_label)

    def show_results(self, results: Any) -> None:
        """The funnel per group, the follow-ups due, and the funnel chart."""
        import pandas as pd

        rows = [[f.planned, f.visited, f.met, f.interested, f.signed, f"{f.revenue_change:,.2f}"]
                for _group, f in results.rows()]  # fmt: skip
        index = [group for group, _f in results.rows()]
        table: pd.DataFrame = pd.DataFrame(rows, index=index, columns=FUNNEL_COLUMNS)
        self.model.set_frame(table, results.by_label)
        self.view.resizeColumnsToContents()
        height = self.view.horizontalHeader().height() + 6
        self.view.setFixedHeight(
            min(height + len(rows) * self.view.verticalHeader().defaultSectionSize(), 320)
        )
        due = list(results.follow_ups)
        total = results.total
        self.follow_label.setText(
            f"7 天内要跟进 {total.follow_ups_due} 位，已过期 {total.follow_ups_overdue} 位。"
            + (f"最近的：{due[0].name}（{due[0].follow_up}）" if due else "")
        )
        self._show_funnel(results)

    def _show_funnel(self, results: Any) -> None:
        """The funnel of the row chosen in the table (合计 until one is chosen)."""
        self.results = results
        rows = results.rows()
        chosen = self.view.currentIndex().row()
        group, funnel = rows[chosen] if 0 <= chosen < len(rows) else rows[-1]
        self.show_funnel_of(group, funnel)

    def show_funnel_of(self, group: str, funnel: Any) -> None:
        from core.base import UserError
        from core.reporting import stage_funnel_chart

        if self.funnel_canvas is None:
            from ui.widgets.chart_canvas import ChartCanvas

            self.funnel_canvas = ChartCanvas("visitsFunnelCanvas", "走访漏斗图", self)
            self.funnel_canvas.setToolTip("在上面的表格里点一行，看这一档（或这个人）的漏斗")
            self.layout().addWidget(self.funnel_canvas, 1)
        keys = ("planned", "visited", "met", "interested", "signed")
        stages = [(name, getattr(funnel, key)) for name, key in zip(FUNNEL_COLUMNS, keys,
                                                                      strict=False)]  # fmt: skip
        try:
            figure = stage_funnel_chart(stages, title=f"走访漏斗（{group}）")
        except UserError:
            self.funnel_canvas.clear()
            return
        self.funnel_canvas.show_figure(figure)

    def _row_chosen(self, row: int) -> None:
        rows = self.results.rows() if self.results is not None else []
        if 0 <= row < len(rows):
            self.show_funnel_of(*rows[row])
