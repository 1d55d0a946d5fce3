"""走访: the campaign's customers, a visit form beside them, and the results.

Without an open campaign the page offers 新建营销活动 (from the open list) and 打开 (it
asks for them with ``new_campaign_requested`` / ``open_campaign_requested``; the window's
campaign controller does it). With one: ``visitsCustomerTable`` (filter by 档位, 走访人,
未走访 / 跟进到期 …, search), the visit form (Enter saves and moves to the next customer)
with the customer's earlier visits, 导出走访表 / 导入走访表 (the Excel round trip, on a
worker thread: a long job opens its own connection to the file), and 走访统计: the
funnel chart and table per band, visitor or branch, with the follow-ups due. Every save
is committed at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.pages.visits.panels import (
    UNASSIGNED,
    BoardTab,
    CustomersPanel,
    NoCampaignPanel,
    ResultsTab,
)
from ui.widgets.common import column, named, page_layout, row, two_pane
from ui.widgets.visit_form import VisitForm

if TYPE_CHECKING:
    from ui.services import Services
    from ui.workers import Worker

KEYS = ["key", "name", "phone", "band", "offer_package", "分配给", "visits", "last_intent",
        "last_visitor", "last_visit", "next_follow_up", "客户来源"]  # fmt: skip
HEADERS = {"key": "客户编号", "band": "档位", "offer_package": "推荐套餐", "visits": "走访次数",
           "last_intent": "最近意向", "last_visitor": "最近走访人", "last_visit": "最近走访",
           "next_follow_up": "下次跟进"}  # fmt: skip
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def _export_job(campaign_path: str, out: str, bands: tuple[str, ...], not_visited: bool,
                staff: str, force: bool, progress: Any) -> tuple[Path, int]:  # fmt: skip
    from core.campaign import Campaign
    from core.reporting import write_visits_xlsx

    with Campaign.open(campaign_path) as campaign:
        path, keys = write_visits_xlsx(campaign, out, bands=bands, not_visited=not_visited,
                                       staff=staff, force=force)  # fmt: skip
        campaign.log_documents("走访记录表", "窗口导出", keys, [path.name] * len(keys))
    return path, len(keys)


def _import_job(campaign_path: str, files: list[str], progress: Any) -> Any:
    from core.campaign import Campaign

    with Campaign.open(campaign_path) as campaign:
        return campaign.import_visits(files, progress)


class VisitsPage(QWidget):
    new_campaign_requested = Signal()
    open_campaign_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "visitsPage", "走访")
        self.services = services
        self.state, self.settings = services.state, services.settings
        self.undo = services.undo_stack(self)  # 撤销 here: the last saved, changed or deleted visit
        self.frame: Any = None
        self.worker: Worker | None = None
        self._results_dirty = True
        self.empty = NoCampaignPanel()
        self.header = named(QLabel(), "campaignHeader", "营销活动")
        self.header.setWordWrap(True)
        self.export_button = named(QPushButton("导出走访表…"), "exportVisitsButton", "导出走访表")
        self.import_button = named(QPushButton("导入走访表…"), "importVisitsButton", "导入走访表")
        self.customers = CustomersPanel()
        self.form = VisitForm()
        self.form.setEnabled(False)
        self.results_tab = ResultsTab()
        self.board_tab = BoardTab()
        self.right_tabs = QTabWidget()
        self.right_tabs.setDocumentMode(True)
        self.right_tabs.addTab(self.form, "录入走访")
        self.right_tabs.addTab(self.results_tab, "走访统计")
        self.right_tabs.addTab(self.board_tab, "今日战报")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._campaign_view())
        page_layout(self, self.stack)
        c = self.customers  # the widgets tests and tools reach by name
        self.model, self.proxy, self.view = c.model, c.proxy, c.view
        self.band_filter, self.visitor_filter = c.band_filter, c.visitor_filter
        self.assignee_filter = c.assignee_filter
        self.status_filter, self.search = c.status_filter, c.search
        self.new_button, self.open_button = self.empty.new_button, self.empty.open_button
        self.results_model = self.results_tab.model
        self._connect()
        self.show_campaign()

    def _campaign_view(self) -> QWidget:
        top = row(self.header, self.export_button, self.import_button)
        top.setStretch(0, 1)
        split_host = QWidget()
        two_pane(split_host, column(self.customers, stretch=False), self.right_tabs, (700, 520))
        split_host.layout().setContentsMargins(0, 0, 0, 0)
        view = QWidget()
        lay = QVBoxLayout(view)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(split_host, 1)
        return view

    def _connect(self) -> None:
        self.empty.new_requested.connect(self.new_campaign_requested)
        self.empty.open_requested.connect(self.open_campaign_requested)
        self.export_button.clicked.connect(lambda: self.export_sheet())
        self.import_button.clicked.connect(lambda: self.import_sheets())
        self.customers.filters_changed.connect(self._apply_filters)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._customer_chosen())
        self.form.save_requested.connect(self.save_visit)
        self.form.edit_requested.connect(self.form.start_editing)
        self.form.delete_requested.connect(lambda stored: self.delete_visit(stored))
        self.results_tab.by_changed.connect(self._results_changed)
        self.right_tabs.currentChanged.connect(lambda _i: self.refresh_results())
        c = self.customers
        c.assign_requested.connect(lambda: self.assign())
        c.auto_assign_requested.connect(lambda: self.auto_assign())
        c.walk_in_requested.connect(lambda: self.add_walk_in())
        self.board_tab.day_changed.connect(self._results_changed)
        self.board_tab.targets_requested.connect(lambda: self.edit_targets())
        self.state.campaignChanged.connect(self.show_campaign)
        self.state.visitsChanged.connect(self.reload)
        self.state.listChanged.connect(self._update_empty)

    # --- the campaign --------------------------------------------------------------------------
    def _update_empty(self) -> None:
        self.empty.set_has_list(self.state.analysis is not None or self.state.has_list)

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

        from core.campaign import STATUS_DATES

        campaign = self.state.campaign
        rows = np.flatnonzero(self.frame["key"].to_numpy() == key)
        if campaign is None or not len(rows):
            return
        row_at = int(rows[0])
        for col, value in campaign.visit_status(key).items():
            self.frame.iloc[row_at, self.frame.columns.get_loc(col)] = (
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
        visitors = sorted({v for v in self.frame["last_visitor"] if v})
        assignees = sorted({a for a in self.frame.get("分配给", []) if a} | set(info.staff))
        self.customers.show_choices(list(campaign.scheme().labels), visitors, assignees)
        self._apply_filters()
        self._results_dirty = True
        self.refresh_results()

    def _apply_filters(self) -> None:
        frame = self.frame
        if frame is None:
            return
        mask = np.ones(len(frame), dtype=bool)
        band = self.customers.chosen(self.band_filter)
        if band:
            mask &= (frame["band"].astype("object") == band).to_numpy(dtype=bool)
        visitor = self.customers.chosen(self.visitor_filter)
        if visitor:
            mask &= (frame["last_visitor"] == visitor).to_numpy(dtype=bool)
        assignee = self.customers.chosen(self.assignee_filter)
        if assignee and "分配给" in frame.columns:
            wanted = "" if assignee == UNASSIGNED else assignee
            mask &= (frame["分配给"].fillna("") == wanted).to_numpy(dtype=bool)
        mask &= _status_mask(frame, self.status_filter.currentData())
        self.model.set_filter(None if mask.all() else mask)
        self.customers.count.setText(f"{self.model.rowCount():,} / {len(frame):,} 位")

    # --- one customer, one visit ----------------------------------------------------------------
    def current_key(self) -> str:
        index = self.view.currentIndex()
        if not index.isValid() or self.frame is None:
            return ""
        frame_row = self.model.frame_row(self.proxy.mapToSource(index).row())
        return str(self.frame["key"].iat[frame_row])

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
        """Save the form for the current customer and go to the next one (or, while an
        earlier visit is being corrected, save the correction); False if refused."""
        from core.base import UserError
        from ui.pages.visits.commands import VisitCorrected, VisitSaved

        key, campaign = self.current_key(), self.state.campaign
        if not key or campaign is None:
            return False
        before = self.form.editing
        try:
            if before is not None:
                stored = campaign.update_visit(before.id, self.form.visit())
            else:
                stored = campaign.add_visit(key, self.form.visit())
        except UserError as err:
            self.form.say(f"{err.message}{err.hint}", error=True)
            return False
        if before is not None:
            self.undo.push(VisitCorrected(campaign, before, stored, self._after_step))
            self.form.stop_editing()
            self._after_step(key, None)
            self.select_key(key)
            self.form.say(
                f"已保存修改：{stored.visit.visit_date} {stored.visit.intent}。", error=False
            )
            return True
        self.undo.push(VisitSaved(campaign, stored, self._after_step,
                                  f"保存 {stored.visit.visit_date} 的走访"))  # fmt: skip
        self.settings.last_visitor = stored.visit.visitor
        view_row = self.view.currentIndex().row()
        self.refresh_customer(key)  # the table keeps its order and filters
        frame_row = int(np.flatnonzero(self.frame["key"].to_numpy() == key)[0])
        still_shown = self.model.view_row(frame_row) >= 0  # 未走访 hides a visited customer
        next_row = min(view_row + 1 if still_shown else view_row, self.proxy.rowCount() - 1)
        self.view.setCurrentIndex(self.proxy.index(next_row, 1))
        self.form.say(f"已保存：{stored.visit.visit_date} {stored.visit.intent}。", error=False)
        return True

    def delete_visit(self, stored: Any, confirm: bool = True) -> bool:
        """Delete an earlier visit (asks first; the campaign's change log keeps what it
        said; 撤销 puts it back)."""
        from core.base import UserError
        from ui.pages.visits.commands import VisitDeleted

        campaign = self.state.campaign
        if campaign is None:
            return False
        v = stored.visit
        if confirm:
            answer = QMessageBox.question(
                self, "删除走访记录",
                f"删除 {v.visit_date} {v.visitor} 的走访（{v.intent}）？\n\n"
                "营销活动文件的修改记录会保留这条走访原来的内容；删错了可以撤销（Ctrl+Z）。")  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            campaign.delete_visit(stored.id)
        except UserError as err:
            self.form.say(f"{err.message}{err.hint}", error=True)
            return False
        self.undo.push(VisitDeleted(campaign, stored, self._after_step,
                                    f"删除 {v.visit_date} 的走访"))  # fmt: skip
        self._after_step(stored.customer_key, None)
        self.select_key(stored.customer_key)
        self.form.say(f"已删除 {v.visit_date} {v.visitor} 的走访。", error=False)
        return True

    def _after_step(self, key: str, error: Any) -> None:
        """After a save, correction, deletion or its undo: the customer's row and form."""
        self.refresh_customer(key)
        if key == self.current_key():
            self._customer_chosen()
        if error is not None:
            self.form.say(f"{error.message}{error.hint}", error=True)

    # --- results --------------------------------------------------------------------------------
    def _results_changed(self) -> None:
        self._results_dirty = True
        self.refresh_results()

    def refresh_results(self) -> None:
        """The 走访统计 or 今日战报 tab, if shown (after a change, only once)."""
        campaign, shown = self.state.campaign, self.right_tabs.currentWidget()
        if campaign is None or shown is self.form or not self._results_dirty:
            return
        self._results_dirty = False
        if shown is self.board_tab:
            self.board_tab.show_board(campaign.daily_board(self.board_tab.day))
        else:
            self.results_tab.show_results(campaign.results(self.results_tab.by_combo.currentData()))

    # --- who visits whom, targets, customers met on the spot -----------------------------------
    def selected_keys(self) -> list[str]:
        rows = self.view.selectionModel().selectedRows()
        keys = self.frame["key"].to_numpy()
        return [str(keys[self.model.frame_row(self.proxy.mapToSource(i).row())]) for i in rows]

    def assign(self, person: str | None = None) -> int:
        """分配给…: the selected customers to one person (asks who unless ``person``)."""
        from ui.dialogs.sweep_dialogs import AssignDialog

        campaign, keys = self.state.campaign, self.selected_keys()
        if campaign is None or not keys:
            self.services.messages.say(
                "请先在客户表里选中要分配的客户（按住 Ctrl 或 Shift 多选）。"
            )
            return 0
        if person is None:
            dialog = AssignDialog(list(campaign.info.staff), len(keys), self)
            if dialog.exec() != AssignDialog.DialogCode.Accepted:
                return 0
            person = dialog.chosen()
        return self._sweep_step(lambda: campaign.set_assignee(keys, person),
                                f"已把 {len(keys):,} 位客户分给{person}。" if person
                                else f"已取消 {len(keys):,} 位客户的分配。")  # fmt: skip

    def auto_assign(self, staff: list[str] | None = None, by: str = "balanced",
                    only_unassigned: bool = False) -> Any:  # fmt: skip
        """自动分配…: share every customer out among the staff (campaign assign)."""
        from core.campaign import ASSIGN_HOW
        from ui.dialogs.sweep_dialogs import AutoAssignDialog

        campaign = self.state.campaign
        if campaign is None:
            return None
        if staff is None:
            dialog = AutoAssignDialog(list(campaign.info.staff), ASSIGN_HOW, self)
            if dialog.exec() != AutoAssignDialog.DialogCode.Accepted:
                return None
            staff, by = dialog.names(), dialog.how.currentData()
            only_unassigned = dialog.only_new.currentData()
        done: list[Any] = []
        self._sweep_step(lambda: done.append(campaign.assign(staff, by,
                                                             only_unassigned=only_unassigned)),
                         "")  # fmt: skip
        if done:
            counts = "、".join(f"{p} {n} 位" for p, n in done[0].assigned.items())
            self.services.messages.say(f"已按“{ASSIGN_HOW[by]}”分配：{counts}。", 10_000)
        return done[0] if done else None

    def add_walk_in(self, values: dict[str, str] | None = None) -> Any:
        """现场新增客户…: a customer met during the sweep, then selected to record the visit."""
        from ui.dialogs.sweep_dialogs import WalkInDialog

        campaign = self.state.campaign
        if campaign is None:
            return None
        if values is None:
            dialog = WalkInDialog(self)
            if dialog.exec() != WalkInDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        added: list[Any] = []
        visitor = self.form.visitor.currentText().strip()
        self._sweep_step(lambda: added.append(campaign.add_walk_in(**values, visitor=visitor)),
                         "已加入现场新增的客户，请录入这次走访。")  # fmt: skip
        if added:
            self.status_filter.setCurrentIndex(0)
            self.select_key(added[0].key)
        return added[0] if added else None

    def edit_targets(self, targets: Any = None) -> bool:
        """目标…: the team's and each person's signing targets."""
        from ui.dialogs.sweep_dialogs import TargetsDialog

        campaign = self.state.campaign
        if campaign is None:
            return False
        if targets is None:
            dialog = TargetsDialog(campaign.targets(), list(campaign.info.staff), self)
            if dialog.exec() != TargetsDialog.DialogCode.Accepted:
                return False
            targets = dialog.targets()
        return bool(self._sweep_step(lambda: campaign.set_targets(targets), "目标已保存。"))

    def _sweep_step(self, step: Any, done: str) -> Any:
        """One change of the campaign (one transaction); then the page shows it."""
        from core.base import UserError
        from ui.jobs import warn

        try:
            result = step()
        except UserError as err:
            warn(self, "没有保存", err.message, err.hint)
            return 0
        self.reload()
        if done:
            self.services.messages.say(done, 10_000)
        return result if result is not None else 1

    # --- the Excel round trip ------------------------------------------------------------------
    def export_sheet(self, path: str | None = None, not_visited: bool = False) -> Worker | None:
        campaign = self.state.campaign
        if campaign is None or self.worker is not None:
            return None
        if path is None:
            folder = Path(self.settings.last_dir or Path(campaign.path).parent)
            start = folder / f"{campaign.info.name}_走访表.xlsx"
            path, _ = QFileDialog.getSaveFileName(self, "导出走访表", str(start), XLSX_FILTER)
            if not path:
                return None
        band = self.customers.chosen(self.band_filter)
        staff = self.customers.chosen(self.assignee_filter)  # one person's sheet, 走访人 filled
        staff = "" if staff == UNASSIGNED else staff
        return self._run(_export_job, str(campaign.path), path, (band,) if band else (),
                         not_visited, staff, Path(path).exists(), title="导出走访表",
                         finished=self._exported)  # fmt: skip

    def _exported(self, result: tuple[Path, int]) -> None:
        from ui.dialogs.result_dialog import show_result

        path, count = result
        self.services.messages.say(f"已导出走访表 {path.name}（{count:,} 位客户）", 10_000)
        show_result(self, "走访表已导出", f"已导出走访表（{count:,} 位客户）：{path}",
                    file=Path(path), details="打印出来手填，或发给同事在 Excel 里填好，"
                    "再点“导入走访表…”导入。")  # fmt: skip

    def import_sheets(self, files: list[str] | None = None) -> Worker | None:
        campaign = self.state.campaign
        if campaign is None or self.worker is not None:
            return None
        if files is None:
            files, _ = QFileDialog.getOpenFileNames(self, "导入填好的走访表", self.settings.last_dir,
                                                    XLSX_FILTER)  # fmt: skip
            if not files:
                return None
        return self._run(_import_job, str(campaign.path), list(files), title="导入走访表",
                         finished=self._imported)  # fmt: skip

    def _imported(self, report: Any) -> None:
        total, lines = _import_summary(report)
        self.last_report = report
        self.services.messages.say(total, 10_000)
        self.state.visitsChanged.emit()
        box = QMessageBox(QMessageBox.Icon.Information, "走访表导入结果", total, parent=self)
        box.setDetailedText("\n".join(lines))
        if report.rejected:
            box.setInformativeText("未导入的行请在原文件中改正后再导入一次（已导入的不会重复）。")
        box.open()

    def _run(self, fn: Any, *args: Any, title: str, finished: Any) -> Worker:
        for button in (self.export_button, self.import_button):
            button.setEnabled(False)
        self.worker = self.services.jobs.run(self, fn, *args, title=title, text=f"正在{title}…",
                                             finished=finished, done=self._done)  # fmt: skip
        return self.worker

    def _done(self) -> None:
        self.worker = None
        for button in (self.export_button, self.import_button):
            button.setEnabled(True)


def _status_mask(frame: Any, status: str) -> np.ndarray:
    """Which customers a 走访状态 filter keeps."""
    visits = frame["visits"].to_numpy()
    if status == "not_visited":
        return visits == 0
    if status == "visited":
        return visits > 0
    if status == "due":
        soon = np.datetime64(dt.date.today() + dt.timedelta(days=7))
        follow = frame["next_follow_up"].to_numpy(dtype="datetime64[D]")
        return ~np.isnat(follow) & (follow <= soon)
    if status == "interested":
        return frame["last_intent"].isin(["有意向", "已成交"]).to_numpy(dtype=bool)
    if status == "signed":
        return (frame["last_intent"] == "已成交").to_numpy(dtype=bool)
    return np.ones(len(frame), dtype=bool)


def _import_summary(report: Any) -> tuple[str, list[str]]:
    """The one-line total of a visit-sheet import, and a line per file and refused row."""
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
    return total, lines
