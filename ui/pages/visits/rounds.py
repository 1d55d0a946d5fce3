"""After the sweep, on the 走访 page: 第二轮… (the customers still to win, in a new campaign
file — ``campaign follow-up``) and 加入名单… (a market office's list of shops, perhaps
without spend, as 潜在客户 — ``campaign add``). Both run on a worker with their own
connection to the campaign file, like the visit-sheet import; the page reloads after.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from ui.widgets.common import named

if TYPE_CHECKING:
    from ui.pages.visits.page import VisitsPage
    from ui.workers import Worker

CAMPAIGN_FILTER = "营销活动 (*.jzt)"
LIST_FILTER = "客户名单 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;所有文件 (*)"


def _follow_up_job(campaign_path: str, out: str, choice: dict[str, Any], name: str,
                   force: bool, progress: Any) -> Any:  # fmt: skip
    from core.campaign import Campaign

    with Campaign.open(campaign_path, readonly=True) as campaign:
        return campaign.follow_up(out, name=name, force=force, **choice)


def _add_list_job(campaign_path: str, list_path: str, progress: Any) -> Any:
    from core.campaign import Campaign
    from core.importing import import_file

    with Campaign.open(campaign_path) as campaign:
        campaign.check_writable()  # before reading the list
        listed = import_file(list_path, require_spend=False)
        return campaign.add_prospects(listed)


class RoundActions:
    """The two buttons and what they do; ``page`` runs the jobs and shows the campaign."""

    def __init__(self, page: VisitsPage) -> None:
        self.page = page
        self.follow_up_button = named(QPushButton("第二轮…"), "followUpButton", "建立第二轮")
        self.follow_up_button.setToolTip(
            "把有意向、考虑中（或到期跟进、还没走访）的客户放进一个新的营销活动，带上以前的走访"
        )
        self.add_list_button = named(QPushButton("加入名单…"), "addProspectsButton", "加入名单")
        self.add_list_button.setToolTip(
            "把物管、市场办给的商户名单（店名、铺位、电话，可以没有消费）作为潜在客户加进来"
        )
        self.follow_up_button.clicked.connect(lambda: self.follow_up())
        self.add_list_button.clicked.connect(lambda: self.add_list())
        self.last_report: Any = None

    @property
    def buttons(self) -> tuple[QPushButton, QPushButton]:
        return self.add_list_button, self.follow_up_button

    # --- the second round -----------------------------------------------------------------------
    def follow_up(self, path: str | None = None, choice: dict[str, Any] | None = None,
                  name: str | None = None) -> Worker | None:  # fmt: skip
        """Ask which customers and where (unless given), then write the next round's file."""
        from core.campaign import round_count
        from ui.dialogs.sweep_dialogs import FollowUpDialog

        page = self.page
        campaign = page.state.campaign
        if campaign is None or page.worker is not None:
            return None
        number = int(campaign.round().get("number", 1)) + 1
        name = name or f"{campaign.info.name}（第{number}轮）"
        if choice is None:
            dialog = FollowUpDialog(name, lambda c: round_count(campaign, **c), page)
            if dialog.exec() != FollowUpDialog.DialogCode.Accepted:
                return None
            choice, name = dialog.choice(), dialog.name.text().strip()
        if path is None:
            start = Path(campaign.path).with_name(f"{name}.jzt")
            path, _ = QFileDialog.getSaveFileName(page, "保存第二轮营销活动", str(start),
                                                  CAMPAIGN_FILTER)  # fmt: skip
            if not path:
                return None
        if Path(path).resolve() == Path(campaign.path).resolve():
            page.services.messages.say("第二轮要保存成另一个文件，不能覆盖这一轮的营销活动。")
            return None
        if not path.lower().endswith(".jzt"):
            path += ".jzt"
        return page._run(_follow_up_job, str(campaign.path), path, choice, name,
                         Path(path).exists(), title="建立第二轮", finished=self._followed_up)  # fmt: skip

    def _followed_up(self, report: Any) -> None:
        self.last_report = report
        why = "，".join(f"{k} {n:,} 位" for k, n in report.reasons.items())
        text = f"已建立第 {report.round} 轮营销活动（{report.customers:,} 位客户：{why}）。"
        self.page.services.messages.say(text, 10_000)
        box = named(QMessageBox(QMessageBox.Icon.Information, "第二轮已建立", text,
                                parent=self.page), "followUpResult", "第二轮已建立")  # fmt: skip
        box.setInformativeText(
            f"保存在 {report.path}。带上以前的走访 {report.history:,} 条（作为历史，不计入新一轮的统计），"
            f"沿用分配 {report.assigned:,} 位。现在打开它吗？"
        )
        open_it = box.addButton("打开第二轮", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("留在这一轮", QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(
            lambda button: (
                self.page.open_path_requested.emit(str(report.path)) if button is open_it else None
            )
        )
        box.open()

    # --- prospects ------------------------------------------------------------------------------
    def add_list(self, path: str | None = None) -> Worker | None:
        """Choose a list (unless given) and add its customers to the campaign."""
        page = self.page
        campaign = page.state.campaign
        if campaign is None or page.worker is not None:
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(page, "加入名单（物管、市场办的商户名单）",
                                                  page.settings.last_dir, LIST_FILTER)  # fmt: skip
            if not path:
                return None
        return page._run(_add_list_job, str(campaign.path), path, title="加入名单",
                         finished=self._added)  # fmt: skip

    def _added(self, report: Any) -> None:
        self.last_report = report
        page = self.page
        page.state.visitsChanged.emit()  # the customer table and results read it again
        text = (f"已加入 {len(report.keys):,} 位客户：潜在客户（没有消费，不分档）{report.prospects:,} 位，"
                f"在网客户（有消费，已分档推荐）{report.listed:,} 位。")  # fmt: skip
        if report.already:
            text += f"另有 {report.already:,} 位已在活动中，没有重复加入。"
        page.services.messages.say(text, 10_000)
        box = named(QMessageBox(QMessageBox.Icon.Information, "名单已加入", text, parent=page),
                    "addProspectsResult", "名单已加入")  # fmt: skip
        if report.keys:
            box.setInformativeText(
                "新加入的客户还没有分配：点“自动分配…”，选“只分还没有分配的客户”。"
            )
        box.open()
