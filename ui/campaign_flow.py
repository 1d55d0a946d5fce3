"""Campaign files in the window: 新建 (from the open list), 打开, 另存为, 关闭, recent files.

A mixin of MainWindow, like ImportFlow. The open ``core.campaign.Campaign`` lives on the
GUI thread in ``state.campaign``; writing a new campaign (thousands of customers) runs
on a worker thread, then the file is opened here. Errors are Chinese warnings; a file
that is not a campaign is never changed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui.dialogs.campaign_dialog import CAMPAIGN_FILTER, CampaignDialog
from ui.dialogs.progress_dialog import JobProgressDialog
from ui.widgets.common import output_folder
from ui.workers import Worker


def _create_job(path: str, analysis: Any, info: Any, result: Any, force: bool,
                progress: Any) -> str:  # fmt: skip
    from core.campaign import Campaign

    inputs = analysis.inputs
    options = inputs.options.to_dict()
    Campaign.create(path, analysis.offers, info, scheme=inputs.scheme, catalog=inputs.catalog,
                    rules=analysis.rules, source=result, options=options, force=force,
                    progress=progress).close()  # fmt: skip
    return path


class CampaignFlow:
    """Mixed into MainWindow (uses its state, settings, tasks, menus and status bar)."""

    def new_campaign(self, path: str | None = None, info: Any = None) -> Worker | None:
        """A campaign from the open list and its offers (asks for the details unless given)."""
        from core.base import load_settings

        analysis, result = self.state.analysis, self.state.result
        if analysis is None or result is None:
            self.show_warning("请先打开客户清单", "新建营销活动要用到客户清单和推荐套餐。",
                              "请先打开客户清单（文件 → 打开客户清单），再新建营销活动。")  # fmt: skip
            return None
        if info is None or path is None:
            customers = result.customers
            markets = Counter(str(m) for m in customers.get("market", []) if isinstance(m, str))
            market = markets.most_common(1)[0][0] if markets else ""
            letters = load_settings()
            name = f"{market or result.source.stem} {dt.date.today().month}月扫场"
            dialog = CampaignDialog(name, market, letters.branch,
                                    [letters.staff_name] if letters.staff_name else [],
                                    output_folder(self.settings, result.source), self)  # fmt: skip
            if dialog.exec() != CampaignDialog.DialogCode.Accepted:
                return None
            info, path = dialog.info(), str(dialog.path())
        force = False
        if Path(path).exists():
            answer = QMessageBox.question(self, "文件已存在",
                                          f"{Path(path).name} 已经存在，要用新的营销活动替换它吗？"
                                          "\n\n原文件中的走访记录会丢失。")  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return None
            force = True
        worker = Worker(_create_job, path, analysis, info, result, force)
        worker.signals.finished.connect(self.open_campaign)
        worker.signals.failed.connect(lambda e: self.show_warning(
            "没有新建营销活动", getattr(e, "message", str(e)), getattr(e, "hint", "")))  # fmt: skip
        JobProgressDialog(worker, "新建营销活动", "正在写入营销活动文件…", self)
        self.tasks.submit(worker)
        return worker

    def choose_campaign(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开营销活动", self.settings.last_dir,
                                              f"{CAMPAIGN_FILTER};;所有文件 (*)")  # fmt: skip
        if path:
            self.open_campaign(path)

    def open_campaign(self, path: str) -> bool:
        """Open a campaign file and show the 走访 page; a Chinese warning if it cannot be."""
        from core.base import UserError
        from core.campaign import Campaign

        try:
            campaign = Campaign.open(path)
        except UserError as err:
            self.settings.remove_recent_campaign(path)
            self._refresh_recent_campaigns()
            self.show_warning("无法打开营销活动", err.message, err.hint)
            return False
        self.state.set_campaign(campaign)
        self.settings.add_recent_campaign(path)
        self._refresh_recent_campaigns()
        self.show_step("visits")
        self.statusBar().showMessage(
            f"已打开营销活动：{campaign.info.name}（{Path(path).name}）", 8000
        )
        return True

    def save_campaign_as(self, path: str | None = None) -> Path | None:
        from core.base import UserError

        campaign = self.state.campaign
        if campaign is None:
            return None
        if path is None:
            start = str(Path(campaign.path).with_name(f"{campaign.info.name}（副本）.jzt"))
            path, _ = QFileDialog.getSaveFileName(self, "营销活动另存为", start, CAMPAIGN_FILTER)
            if not path:
                return None
        try:
            saved = campaign.save_as(path, force=Path(path).exists())
        except UserError as err:
            self.show_warning("没有另存", err.message, err.hint)
            return None
        self.statusBar().showMessage(f"已另存为 {saved}（当前仍在使用原文件）", 8000)
        return saved

    def close_campaign(self) -> None:
        self.state.set_campaign(None)

    def _refresh_recent_campaigns(self) -> None:
        menu = self.recent_campaigns_menu
        menu.clear()
        paths = self.settings.recent_campaigns
        for i, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{i} {Path(path).name}")
            action.setToolTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_campaign(p))
        if not paths:
            menu.addAction("（无）").setEnabled(False)
