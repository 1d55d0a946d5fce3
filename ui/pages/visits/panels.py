"""The 走访 page's panels: no campaign yet, the campaign's customers, the results tab.

Panels build the controls and show; the page (``ui.pages.visits.page``) decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
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
UNASSIGNED = "（未分配）"
STATUS = (("all", "全部客户"), ("not_visited", "未走访"), ("visited", "已走访"),
          ("due", "7 天内要跟进"), ("interested", "有意向"), ("signed", "已成交"))  # fmt: skip
BY = (("band", "按档位"), ("staff", "按走访人"), ("plan", "按推荐套餐"), ("tag", "按客户标签"),
      ("day", "按日期"), ("origin", "按客户来源"), ("branch", "按单位"))  # fmt: skip
BOARD_COLUMNS = ["分到客户", "已走访", "未走访", "今天走访", "今天成交", "累计成交", "签约目标",
                 "完成", "明天跟进"]  # fmt: skip
# what a visitor looks at first: who, which band, and where the visits stand; the rest
# after them, 客户编号 only on request (right click on the header)
FIRST_COLUMNS = ("客户名称", "档位", "分配给", "走访次数", "最近意向", "下次跟进", "最近走访",
                 "最近走访人", "推荐套餐", "手机号码")  # fmt: skip
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
    """``visitsCustomerTable`` (several customers can be selected) with its filters (档位,
    分配给, 走访人, 状态), search and count, and 分配给… / 自动分配… / 现场新增客户…."""

    filters_changed = Signal()
    assign_requested = Signal()
    auto_assign_requested = Signal()
    walk_in_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.model = CustomerTableModel(self)
        self.proxy = CustomerProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = named(table_view(), "visitsCustomerTable", "活动客户")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.columns = ColumnChooser(self.view, FIRST_COLUMNS, HIDDEN_COLUMNS)
        self.band_filter = named(QComboBox(), "visitsBandFilter", "按档位筛选")
        self.visitor_filter = named(QComboBox(), "visitsVisitorFilter", "按走访人筛选")
        self.assignee_filter = named(QComboBox(), "visitsAssigneeFilter", "按分配给筛选")
        self.status_filter = named(QComboBox(), "visitsStatusFilter", "按走访状态筛选")
        for key, text in STATUS:
            self.status_filter.addItem(text, key)
        for combo in (self.band_filter, self.visitor_filter, self.assignee_filter,
                      self.status_filter):  # fmt: skip
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
        search = row("走访人：", self.visitor_filter, self.status_filter, self.search, self.count)
        search.setStretch(3, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(
            row("档位：", self.band_filter, "分配给：", self.assignee_filter, stretch=True)
        )
        lay.addLayout(search)
        lay.addWidget(self.view, 1)
        lay.addLayout(self._actions())

    def _actions(self) -> Any:
        buttons = []
        for text, name, tip, signal in (
            ("分配给…", "assignButton", "把选中的客户分给一位走访人员（可多选）",
             self.assign_requested),
            ("自动分配…", "autoAssignButton", "把客户均分给走访人员（同一网格尽量归一人）",
             self.auto_assign_requested),
            ("现场新增客户…", "walkInButton", "扫场时遇到的、清单里没有的客户",
             self.walk_in_requested),
        ):  # fmt: skip
            button = named(QPushButton(text), name, text.rstrip("…"))
            button.setToolTip(tip)
            button.clicked.connect(signal)
            buttons.append(button)
        self.assign_button, self.auto_assign_button, self.walk_in_button = buttons
        return row(*buttons, stretch=True)

    def show_choices(self, bands: list[str], visitors: list[str],
                     assignees: list[str] = ()) -> None:  # fmt: skip
        """The 档位, 分配给 and 走访人 drop-downs (the choice kept when still offered)."""
        refill_combo(self.assignee_filter, [ALL, *assignees, UNASSIGNED])
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
        self.worked = named(QLabel(), "whatWorked", "哪些做法有效")
        self.worked.setWordWrap(True)
        self.worked.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.funnel_canvas: Any = None
        self.results: Any = None
        self.view.selectionModel().currentRowChanged.connect(lambda now, _old: self._row_chosen(
            now.row()))  # fmt: skip
        lay = QVBoxLayout(self)
        lay.addLayout(row(self.by_combo, stretch=True))
        lay.addWidget(self.view)
        lay.addWidget(self.follow_label)
        lay.addWidget(self.worked)

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
        self.worked.setText(_what_worked(results))
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


class BoardTab(QWidget):
    """今日战报: the day's work per person and the team against the targets — what the
    morning and evening meetings read out (core.campaign.board)."""

    day_changed = Signal()
    targets_requested = Signal()

    def __init__(self) -> None:
        import datetime as dt

        super().__init__()
        self.date = named(QDateEdit(dt.date.today()), "boardDate", "战报日期")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.dateChanged.connect(lambda _d: self.day_changed.emit())
        self.targets_button = named(QPushButton("目标…"), "targetsButton", "设置目标")
        self.targets_button.clicked.connect(self.targets_requested)
        self.model = FrameModel(self)
        self.view = named(table_view(), "boardTable", "今日战报")
        self.view.setModel(self.model)
        self.summary = named(QLabel(), "boardSummary", "全队进度")
        self.summary.setWordWrap(True)
        self.next_label = hint_label("")
        lay = QVBoxLayout(self)
        lay.addLayout(row("日期：", self.date, self.targets_button, stretch=True))
        lay.addWidget(self.summary)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.next_label)

    @property
    def day(self) -> Any:
        return self.date.date().toPython()

    def show_board(self, board: Any) -> None:
        import pandas as pd

        def cells(p: Any) -> list[Any]:
            done = "" if not p.target else f"{p.signed_total / p.target:.0%}"
            return [p.assigned, p.assigned_visited, p.not_visited, p.customers, p.signed,
                    p.signed_total, p.target or "", done, p.follow_ups]  # fmt: skip

        people = [*board.people, board.team]
        table = pd.DataFrame([cells(p) for p in people], index=[p.name for p in people],
                             columns=BOARD_COLUMNS)  # fmt: skip
        self.model.set_frame(table, "走访人")
        self.view.resizeColumnsToContents()
        self.summary.setText(_board_text(board))
        names = "、".join(f"{n.name}（{n.person or '未分配'}）" for n in board.next_visits[:8])
        more = f" 等 {len(board.next_visits)} 位" if len(board.next_visits) > 8 else ""
        self.next_label.setText(f"明天要跟进：{names}{more}" if names else "明天没有到期的跟进。")


def _what_worked(results: Any) -> str:
    """成交签的是什么、客户的顾虑、过客→看客→顾客、新增客户, in a few lines (the same
    figures as results --json and the report's 走访结果)."""
    t = results.total
    lines = []
    if t.signed:
        lines.append(
            f"成交 {t.signed} 户：签推荐套餐 {t.took_offer}、备选 {t.took_alt}、其他 {t.took_other}。"
        )
    worries = sorted(t.objections.items(), key=lambda kv: -kv[1])[:4]
    if worries:
        lines.append("客户顾虑：" + "、".join(f"{k} {n} 位" for k, n in worries) + "。")
    said = t.quotes.get("客户建议", [])[:2]  # core.campaign.results.SUGGESTION
    if said:
        lines.append("客户建议：" + "；".join(f"“{q.text}”（{q.name}）" for q in said) + "。")
    pb = t.playbook()
    lines.append(f"过客 {pb['过客']} → 看客 {pb['看客']} → 顾客 {pb['顾客']}"
                 + (f"；新增客户 {t.added} 位，签约 {t.added_signed} 位。" if t.added else "。"))  # fmt: skip
    return "\n".join(lines)


def _board_text(board: Any) -> str:
    """全队: today, so far against the target, what is still needed per day."""
    team, targets = board.team, board.targets
    text = (f"{board.day:%m月%d日}：走访 {team.customers} 位、成交 {team.signed} 户；"
            f"累计走访 {board.visited_total:,} / {board.customers:,} 位，成交 {team.signed_total} 户")  # fmt: skip
    if targets.signed:
        text += (
            f"，全队签约目标 {targets.signed} 户（完成 {team.signed_total / targets.signed:.0%}）"
        )
        need = board.per_day_needed()
        if need is not None:
            text += f"，还剩 {board.days_left} 天，每天还需成交约 {need:g} 户"
    return text + "。"
