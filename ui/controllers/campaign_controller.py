"""Campaign files: 保存为营销活动 (from the open list), 打开, 另存为, 关闭, recent campaigns.

A campaign opens as the window's document (``state.open_document``): its list, band
scheme, packages, options and offers as the file holds them, so what the window shows
is what its letters and sheets say. Opening (the file's checks, reading thousands of
customers) and writing a new campaign run on a worker thread; the opened
``core.campaign.Campaign`` is then used on the GUI thread in ``state.campaign``. Errors
are Chinese warnings; a file that is not a campaign is never changed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.dialogs.campaign_dialog import CAMPAIGN_FILTER, CampaignDialog
from ui.jobs import warn
from ui.widgets.common import output_folder

if TYPE_CHECKING:
    from ui.services import Services
    from ui.workers import Worker


def _create_job(path: str, analysis: Any, info: Any, result: Any, settings: Any, force: bool,
                progress: Any) -> str:  # fmt: skip
    from core.campaign import Campaign

    inputs = analysis.inputs
    options = inputs.options.to_dict()
    Campaign.create(path, analysis.offers, info, scheme=inputs.scheme, catalog=inputs.catalog,
                    rules=analysis.rules, source=result, options=options, settings=settings,
                    force=force, progress=progress).close()  # fmt: skip
    return path


CAMPAIGN_FRAME = "campaign_frame"  # ui.state.AppState.take_campaign_frame


def _open_job(path: str, progress: Any) -> tuple[Any, Any, dict[str, Any]]:
    """The campaign (checked, opened), its document and the list's display data."""
    from core.campaign import Campaign, load_document
    from ui.models.customer_table import prepare_list

    campaign = Campaign.open(path)
    try:
        doc = load_document(campaign)
        views = prepare_list(doc.result)
        views[CAMPAIGN_FRAME] = campaign.customers_frame()  # the 走访 page's table, read here
        return campaign, doc, views
    except BaseException:
        campaign.close()
        raise


class CampaignController(QObject):
    opened = Signal(str)  # a campaign file was opened (its path)
    recentChanged = Signal()  # settings.recent_campaigns changed

    def __init__(self, services: Services, host: QWidget) -> None:
        super().__init__(host)
        self.services = services
        self.host = host
        self.worker: Worker | None = None  # opening a campaign
        self.can_leave: Any = lambda: True  # the window asks before a changed list is dropped

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def new_campaign(self, path: str | None = None, info: Any = None) -> Worker | None:
        """A campaign from the open list and its offers (asks for the details unless given)."""
        state = self.services.state
        analysis, result = state.analysis, state.result
        if analysis is None or result is None:
            warn(self.host, "请先打开客户清单", "新建营销活动要用到客户清单和推荐套餐。",
                 "请先打开客户清单（文件 → 打开客户清单），再新建营销活动。")  # fmt: skip
            return None
        if info is None or path is None:
            asked = self._ask_details(result)
            if asked is None:
                return None
            info, path = asked
        force = False
        if Path(path).exists():
            answer = QMessageBox.question(self.host, "文件已存在",
                                          f"{Path(path).name} 已经存在，要用新的营销活动替换它吗？"
                                          "\n\n原文件中的走访记录会丢失。")  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return None
            force = True
        settings = self.services.state.signing_settings()
        return self.services.jobs.run(
            self.host, _create_job, path, analysis, info, result, settings, force,
            title="新建营销活动", text="正在写入营销活动文件…", finished=self.open_campaign,
            failed_title="没有新建营销活动",
        )  # fmt: skip

    def _ask_details(self, result: Any) -> tuple[Any, str] | None:
        from core.base import load_settings

        customers = result.customers
        markets = Counter(str(m) for m in customers.get("market", []) if isinstance(m, str))
        market = markets.most_common(1)[0][0] if markets else ""
        letters = load_settings()
        name = f"{market or result.source.stem} {dt.date.today().month}月扫场"
        dialog = CampaignDialog(name, market, letters.branch,
                                [letters.staff_name] if letters.staff_name else [],
                                output_folder(self.services.settings, result.source),
                                self.host)  # fmt: skip
        if dialog.exec() != CampaignDialog.DialogCode.Accepted:
            return None
        return dialog.info(), str(dialog.path())

    def choose_campaign(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.host, "打开营销活动",
                                              self.services.settings.last_dir,
                                              f"{CAMPAIGN_FILTER};;所有文件 (*)")  # fmt: skip
        if path:
            self.open_campaign(path)

    def open_campaign(self, path: str) -> Worker | None:
        """Open a campaign file as the document (on a worker thread; then the 走访 page
        shows it); a Chinese warning if it cannot be. None if it is refused at once."""
        if self.worker is not None:
            self.services.messages.say("正在打开另一个营销活动，请稍候。")
            return None
        if not self.can_leave():
            return None
        from core.base import UserError
        from core.campaign import read_header

        try:
            read_header(Path(path))  # a missing, empty or foreign file is refused at once
        except UserError as err:
            self._refused(path, err.message, err.hint)
            return None
        self.worker = self.services.jobs.run(
            self.host, _open_job, str(path), title="打开营销活动",
            text=f"正在打开 {Path(path).name}…", finished=lambda r: self._opened(path, *r),
            failed=lambda _text: self._forget(path), done=self._done,
            failed_title="无法打开营销活动",
        )  # fmt: skip
        return self.worker

    def _opened(self, path: str, campaign: Any, doc: Any, views: dict[str, Any]) -> None:
        settings = self.services.settings
        self.services.state.open_document(doc, campaign, views)
        settings.add_recent_campaign(path)
        settings.first_run = False
        self.recentChanged.emit()
        self.opened.emit(str(path))
        self.services.messages.say(f"已打开营销活动：{campaign.info.name}（{Path(path).name}）")

    def _refused(self, path: str, message: str, hint: str) -> None:
        self._forget(path)
        warn(self.host, "无法打开营销活动", message, hint)

    def _forget(self, path: str) -> None:
        self.services.settings.remove_recent_campaign(path)
        self.recentChanged.emit()

    def _done(self) -> None:
        self.worker = None

    def save_campaign_as(self, path: str | None = None) -> Path | None:
        from core.base import UserError

        campaign = self.services.state.campaign
        if campaign is None:
            return None
        if path is None:
            start = str(Path(campaign.path).with_name(f"{campaign.info.name}（副本）.jzt"))
            path, _ = QFileDialog.getSaveFileName(self.host, "营销活动另存为", start,
                                                  CAMPAIGN_FILTER)  # fmt: skip
            if not path:
                return None
        try:
            saved = campaign.save_as(path, force=Path(path).exists())
        except UserError as err:
            warn(self.host, "没有另存", err.message, err.hint)
            return None
        self.services.messages.say(f"已另存为 {saved}（当前仍在使用原文件）")
        return saved

    def close_campaign(self) -> None:
        """Close the campaign (every change is in the file already) and its list."""
        self.services.state.close_document()
