"""走访: the campaign's customers, a visit form beside them, and the results.

Without an open campaign the page offers 新建营销活动 (from the open list) and 打开. With
one: ``visitsCustomerTable`` (filter by 档位, 走访人, 未走访 / 跟进到期 …, search), the
visit form (Enter saves and moves to the next customer) with the customer's earlier
visits, 导出走访表 / 导入走访表 (the Excel round trip, on a worker thread: a long job opens
its own connection to the file), and 走访统计: the funnel chart and table per band,
visitor or branch, with the follow-ups due. Every save is committed at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.progress_dialog import JobProgressDialog
from ui.models.band_models import FrameModel
from ui.models.customer_table import CustomerProxyModel, CustomerTableModel
from ui.widgets.common import hint_label, named, table_view
from ui.widgets.visit_form import VisitForm
from ui.workers import Worker

if TYPE_CHECKING:
    from ui.settings import Settings
    from ui.state import AppState

KEYS = ["key", "name", "phone", "band", "offer_package", "visits", "last_intent", "last_visitor",
        "last_visit", "next_follow_up"]  # fmt: skip
HEADERS = {"key": "客户编号", "band": "档位", "offer_package": "推荐套餐", "visits": "走访次数",
           "last_intent": "最近意向", "last_visitor": "最近走访人", "last_visit": "最近走访",
           "next_follow_up": "下次跟进"}  # fmt: skip
ALL = "全部"
STATUS = (("all", "全部客户"), ("not_visited", "未走访"), ("visited", "已走访"),
          ("due", "7 天内要跟进"), ("interested", "有意向"), ("signed", "已成交"))  # fmt: skip
BY = (("band", "按档位"), ("staff", "按走访人"), ("branch", "按单位"))
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def _export_job(campaign_path: str, out: str, bands: tuple[str, ...], not_visited: bool,
                force: bool, progress: Any) -> tuple[Path, int]:  # fmt: skip
    from core.campaign import Campaign
    from core.reporting import write_visits_xlsx

    with Campaign.open(campaign_path) as campaign:
        path, keys = write_visits_xlsx(campaign, out, bands=bands, not_visited=not_visited,
                                       force=force)  # fmt: skip
        campaign.log_documents("走访记录表", "窗口导出", keys, [path.name] * len(keys))
    return path, len(keys)


def _import_job(campaign_path: str, files: list[str], progress: Any) -> Any:
    from core.campaign import Campaign

    with Campaign.open(campaign_path) as campaign:
        return campaign.import_visits(files, progress)


class VisitsPage(QWidget):
    def __init__(self, state: AppState, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "visitsPage", "走访")
        self.state = state
        self.settings = settings
        self.frame: Any = None
        self.worker: Worker | None = None
        self.window_actions: Any = None  # the window's new/open campaign actions

        # --- without a campaign ------------------------------------------------------------------
        self.new_button = named(QPushButton("新建营销活动…"), "newCampaignButton", "新建营销活动")
        self.open_button = named(QPushButton("打开营销活动…"), "openCampaignButton", "打开营销活动")
        empty = QWidget()
        elay = QVBoxLayout(empty)
        elay.addStretch(1)
        intro = QLabel("走访结果记在“营销活动”文件（.jzt）里：每录入一条就保存，\n"
                       "可以复制给同事，也可以导出走访表打印出来手填，再导入回来。")  # fmt: skip
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint = hint_label("")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.new_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        elay.addWidget(intro)
        elay.addLayout(row)
        elay.addWidget(self.empty_hint)
        elay.addStretch(2)

        # --- with a campaign -----------------------------------------------------------------
        self.header = named(QLabel(), "campaignHeader", "营销活动")
        self.header.setWordWrap(True)
        self.export_button = named(QPushButton("导出走访表…"), "exportVisitsButton", "导出走访表")
        self.export_button.clicked.connect(lambda: self.export_sheet())
        self.import_button = named(QPushButton("导入走访表…"), "importVisitsButton", "导入走访表")
        self.import_button.clicked.connect(lambda: self.import_sheets())
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.import_button)

        self.model = CustomerTableModel(self)
        self.proxy = CustomerProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = named(table_view(), "visitsCustomerTable", "活动客户")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._customer_chosen())
        self.band_filter = named(QComboBox(), "visitsBandFilter", "按档位筛选")
        self.visitor_filter = named(QComboBox(), "visitsVisitorFilter", "按走访人筛选")
        self.status_filter = named(QComboBox(), "visitsStatusFilter", "按走访状态筛选")
        for key, text in STATUS:
            self.status_filter.addItem(text, key)
        for combo in (self.band_filter, self.visitor_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
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
        filters = QHBoxLayout()
        for label, widget in (("档位：", self.band_filter), ("走访人：", self.visitor_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        search = QHBoxLayout()
        search.addWidget(self.status_filter)
        search.addWidget(self.search, 1)
        search.addWidget(self.count)
        left = QWidget()
        llay = QVBoxLayout(left)
        llay.setContentsMargins(0, 0, 6, 0)
        llay.addLayout(filters)
        llay.addLayout(search)
        llay.addWidget(self.view, 1)

        self.form = VisitForm()
        self.form.save_requested.connect(self.save_visit)
        self.form.setEnabled(False)
        self.by_combo = named(QComboBox(), "resultsBy", "统计方式")
        for key, text in BY:
            self.by_combo.addItem(text, key)
        self.by_combo.currentIndexChanged.connect(lambda _i: self.refresh_results())
        self.results_model = FrameModel(self)
        self.results_view = named(table_view(), "resultsTable", "走访统计")
        self.results_view.setModel(self.results_model)
        self.follow_label = hint_label("")
        self.funnel_canvas: Any = None
        self.results_tab = QWidget()
        rlay = QVBoxLayout(self.results_tab)
        brow = QHBoxLayout()
        brow.addWidget(self.by_combo)
        brow.addStretch(1)
        rlay.addLayout(brow)
        rlay.addWidget(self.results_view)
        rlay.addWidget(self.follow_label)
        self.right_tabs = QTabWidget()
        self.right_tabs.setDocumentMode(True)
        self.right_tabs.addTab(self.form, "录入走访")
        self.right_tabs.addTab(self.results_tab, "走访统计")
        self.right_tabs.currentChanged.connect(lambda _i: self.refresh_results())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.right_tabs)
        split.setSizes([700, 520])
        split.setChildrenCollapsible(False)
        main = QWidget()
        mlay = QVBoxLayout(main)
        mlay.setContentsMargins(0, 0, 0, 0)
        mlay.addLayout(top)
        mlay.addWidget(split, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(main)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.stack)
        state.campaignChanged.connect(self.show_campaign)
        state.visitsChanged.connect(self.reload)
        state.listChanged.connect(self._update_empty)
        self.show_campaign()

    # --- the campaign --------------------------------------------------------------------------
    def _update_empty(self) -> None:
        has_list = self.state.analysis is not None or self.state.has_list
        self.new_button.setEnabled(has_list)
        self.empty_hint.setText("" if has_list else "新建营销活动需要先打开客户清单（第 1 步）。")

    def show_campaign(self) -> None:
        campaign = self.state.campaign
        self._update_empty()
        if campaign is None:
            self.stack.setCurrentIndex(0)
            self.frame = None
            self.model.set_frame(None)
            return
        self.stack.setCurrentIndex(1)
        catalog = campaign.catalog()
        self.form.set_choices(list(campaign.info.staff), catalog.names, self.settings.last_visitor)
        self._results_dirty = True
        self.reload()
        self.view.resizeColumnsToContents()

    def reload(self) -> None:
        """Re-read the customers and their visit status (after an import, a new campaign)."""
        campaign = self.state.campaign
        if campaign is None:
            return
        key = self.current_key()
        self.frame = campaign.customers_frame()
        self._show_frame()
        if key:
            self.select_key(key)

    def refresh_customer(self, key: str) -> None:
        """After one save: re-read only this customer's status (a 20,000-customer campaign
        is not read again on every Enter)."""
        import pandas as pd

        from core.campaign.frames import STATUS_DATES

        campaign = self.state.campaign
        rows = np.flatnonzero(self.frame["key"].to_numpy() == key)
        if campaign is None or not len(rows):
            return
        row = int(rows[0])
        for col, value in campaign.visit_status(key).items():
            self.frame.iloc[row, self.frame.columns.get_loc(col)] = (
                pd.to_datetime(value, errors="coerce") if col in STATUS_DATES else value
            )
        self._show_frame()

    def _show_frame(self) -> None:
        campaign = self.state.campaign
        info, counts = campaign.info, campaign.counts()
        when = " – ".join(d.isoformat() for d in (info.start_date, info.end_date) if d)
        parts = [p for p in (info.market, info.branch, when) if p]
        self.header.setText(f"<b>{info.name}</b>　{'　'.join(parts)}<br>客户 {counts['customers']:,} 位，"
                            f"已走访 {counts['visited']:,} 位，走访记录 {counts['visits']:,} 条"
                            f"　（{Path(campaign.path).name}）")  # fmt: skip
        self.model.set_frame(self.frame, keep_order=True, keys=KEYS, headers=HEADERS)
        self._fill_filters()
        self._apply_filters()
        self._results_dirty = True
        self.refresh_results()

    def _fill_filters(self) -> None:
        frame = self.frame
        for combo, values in (
            (self.band_filter, [b for b in self.state.campaign.scheme().labels]),
            (self.visitor_filter, sorted({v for v in frame["last_visitor"] if v})),
        ):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL)
            combo.addItems(values)
            if combo.findText(current) >= 0:
                combo.setCurrentText(current)
            combo.blockSignals(False)

    def _apply_filters(self) -> None:
        frame = self.frame
        if frame is None:
            return
        mask = np.ones(len(frame), dtype=bool)
        band = self.band_filter.currentText()
        if band and band != ALL:
            mask &= (frame["band"].astype("object") == band).to_numpy(dtype=bool)
        visitor = self.visitor_filter.currentText()
        if visitor and visitor != ALL:
            mask &= (frame["last_visitor"] == visitor).to_numpy(dtype=bool)
        status = self.status_filter.currentData()
        visits = frame["visits"].to_numpy()
        if status == "not_visited":
            mask &= visits == 0
        elif status == "visited":
            mask &= visits > 0
        elif status == "due":
            soon = np.datetime64(dt.date.today() + dt.timedelta(days=7))
            follow = frame["next_follow_up"].to_numpy(dtype="datetime64[D]")
            mask &= ~np.isnat(follow) & (follow <= soon)
        elif status == "interested":
            mask &= frame["last_intent"].isin(["有意向", "已成交"]).to_numpy(dtype=bool)
        elif status == "signed":
            mask &= (frame["last_intent"] == "已成交").to_numpy(dtype=bool)
        self.model.set_filter(None if mask.all() else mask)
        self.count.setText(f"{self.model.rowCount():,} / {len(frame):,} 位")

    # --- one customer, one visit ----------------------------------------------------------------
    def current_key(self) -> str:
        index = self.view.currentIndex()
        if not index.isValid() or self.frame is None:
            return ""
        row = self.model.frame_row(self.proxy.mapToSource(index).row())
        return str(self.frame["key"].iat[row])

    def select_key(self, key: str) -> bool:
        if self.frame is None:
            return False
        rows = np.flatnonzero(self.frame["key"].to_numpy() == key)
        view_row = self.model.view_row(int(rows[0])) if len(rows) else -1
        if view_row < 0:
            return False
        self.view.setCurrentIndex(self.proxy.mapFromSource(self.model.index(view_row, 1)))
        return True

    def _customer_chosen(self) -> None:
        key = self.current_key()
        campaign = self.state.campaign
        if not key or campaign is None:
            self.form.setEnabled(False)
            return
        customer = campaign.customer(key)
        phone = customer.shown_phone(unmask=False)
        band = customer.band or "未分档"
        title = f"{customer.name or '（未填名称）'}　{phone}　{band}　推荐：{customer.offer_package or '—'}"
        self.form.show_customer(title, customer.offer_package, campaign.visits_for(key))

    def save_visit(self) -> bool:
        """Save the form for the current customer and go to the next one; False if refused."""
        from core.base import UserError

        key, campaign = self.current_key(), self.state.campaign
        if not key or campaign is None:
            return False
        visit = self.form.visit()
        try:
            stored = campaign.add_visit(key, visit)
        except UserError as err:
            self.form.say(f"{err.message}{err.hint}", error=True)
            return False
        self.settings.last_visitor = stored.visit.visitor
        row = self.view.currentIndex().row()
        self.refresh_customer(key)  # the table keeps its order and filters
        frame_row = int(np.flatnonzero(self.frame["key"].to_numpy() == key)[0])
        still_shown = self.model.view_row(frame_row) >= 0  # 未走访 hides a visited customer
        next_row = min(row + 1 if still_shown else row, self.proxy.rowCount() - 1)
        self.view.setCurrentIndex(self.proxy.index(next_row, 1))
        self.form.say(f"已保存：{stored.visit.visit_date} {stored.visit.intent}。", error=False)
        return True

    # --- results --------------------------------------------------------------------------------
    def refresh_results(self) -> None:
        from core.base import UserError
        from core.reporting import funnel_counts, visit_funnel_chart

        campaign = self.state.campaign
        if campaign is None or self.right_tabs.currentWidget() is not self.results_tab:
            return
        if not getattr(self, "_results_dirty", True):
            return
        self._results_dirty = False
        results = campaign.results(self.by_combo.currentData())
        rows = []
        for group, funnel in results.rows():
            rows.append([group, funnel.planned, funnel.visited, funnel.met, funnel.interested,
                         funnel.signed, f"{funnel.revenue_change:,.2f}"])  # fmt: skip
        import pandas as pd

        table = pd.DataFrame([r[1:] for r in rows], index=[r[0] for r in rows],
                             columns=["计划走访", "已走访", "见到决策人", "有意向", "已成交",
                                      "月收入变化（元）"])  # fmt: skip
        self.results_model.set_frame(table, results.by_label)
        self.results_view.resizeColumnsToContents()
        view = self.results_view
        height = (
            view.horizontalHeader().height()
            + 6
            + len(rows) * view.verticalHeader().defaultSectionSize()
        )
        view.setFixedHeight(min(height, 320))
        due = [f for f in results.follow_ups]
        self.follow_label.setText(
            f"7 天内要跟进 {results.total.follow_ups_due} 位，已过期 {results.total.follow_ups_overdue} 位。"
            + (f"最近的：{due[0].name}（{due[0].follow_up}）" if due else "")
        )  # fmt: skip
        if self.funnel_canvas is None:
            from ui.widgets.chart_canvas import ChartCanvas

            self.funnel_canvas = ChartCanvas("visitsFunnelCanvas", "走访漏斗图", self.results_tab)
            self.results_tab.layout().addWidget(self.funnel_canvas, 1)
        try:
            self.funnel_canvas.show_figure(visit_funnel_chart(funnel_counts(results),
                                                              title=f"走访漏斗（{results.by_label}）"))  # fmt: skip
        except UserError:
            self.funnel_canvas.clear()

    # --- the Excel round trip ------------------------------------------------------------------
    def export_sheet(self, path: str | None = None, not_visited: bool = False) -> Worker | None:
        campaign = self.state.campaign
        if campaign is None or self.worker is not None:
            return None
        if path is None:
            start = (
                Path(self.settings.last_dir or Path(campaign.path).parent)
                / f"{campaign.info.name}_走访表.xlsx"
            )
            path, _ = QFileDialog.getSaveFileName(self, "导出走访表", str(start), XLSX_FILTER)
            if not path:
                return None
        band = self.band_filter.currentText()
        bands = (band,) if band and band != ALL else ()
        force = Path(path).exists()
        worker = Worker(_export_job, str(campaign.path), path, bands, not_visited, force)
        worker.signals.finished.connect(lambda r: self._say(
            f"已导出走访表 {r[0].name}（{r[1]:,} 位客户），打印出来手填，或发给同事填好后导入。"))  # fmt: skip
        return self._run(worker, "导出走访表")

    def import_sheets(self, files: list[str] | None = None) -> Worker | None:
        campaign = self.state.campaign
        if campaign is None or self.worker is not None:
            return None
        if files is None:
            files, _ = QFileDialog.getOpenFileNames(self, "导入填好的走访表", self.settings.last_dir,
                                                    XLSX_FILTER)  # fmt: skip
            if not files:
                return None
        worker = Worker(_import_job, str(campaign.path), list(files))
        worker.signals.finished.connect(self._imported)
        return self._run(worker, "导入走访表")

    def _imported(self, report: Any) -> None:
        lines = []
        for f in report.files:
            if f.error:
                lines.append(f"{f.file}：没有导入——{f.error}")
                continue
            lines.append(f"{f.file}：导入 {f.imported} 条，重复 {f.duplicates} 条，冲突 "
                         f"{len(f.conflicts)} 条，未导入 {len(f.rejected)} 行")  # fmt: skip
            for issue in [*f.rejected, *f.conflicts][:8]:
                lines.append(f"    第 {issue.row} 行：{issue.reason}")
        total = (f"合计：导入 {report.imported} 条，重复 {report.duplicates} 条，冲突 "
                 f"{len(report.conflicts)} 条，未导入 {len(report.rejected)} 行。")  # fmt: skip
        self.last_report = report
        self._say(total)
        self.state.visitsChanged.emit()
        box = QMessageBox(QMessageBox.Icon.Information, "走访表导入结果", total, parent=self)
        box.setDetailedText("\n".join(lines))
        if report.rejected:
            box.setInformativeText("未导入的行请在原文件中改正后再导入一次（已导入的不会重复）。")
        box.open()

    def _run(self, worker: Worker, title: str) -> Worker:
        worker.signals.failed.connect(lambda e: self._failed(e, title))
        worker.signals.done.connect(self._done)
        JobProgressDialog(worker, title, f"正在{title}…", self)
        self.worker = worker
        for button in (self.export_button, self.import_button):
            button.setEnabled(False)
        self.window().tasks.submit(worker)
        return worker

    def _failed(self, error: BaseException, title: str) -> None:
        message = (
            getattr(error, "message", "") or f"{title}时出现意外错误（{type(error).__name__}）。"
        )
        hint = getattr(error, "hint", "") or "请重试；如果一再出现，请联系技术支持。"
        self._say(f"{message}{hint}")
        QMessageBox.warning(self, f"{title}没有完成", f"{message}\n\n{hint}")

    def _done(self) -> None:
        self.worker = None
        for button in (self.export_button, self.import_button):
            button.setEnabled(True)

    def _say(self, text: str) -> None:
        self.window().statusBar().showMessage(text, 10_000)
