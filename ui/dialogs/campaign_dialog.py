"""新建营销活动: name, market, branch, dates, staff and where the .jzt file goes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import clear_hint_on, hint_label, named, show_hint

CAMPAIGN_FILTER = "营销活动 (*.jzt)"
DEFAULT_DAYS = 14


class CampaignDialog(QDialog):
    """Asks what a new campaign is; ``info()`` and ``path()`` once accepted."""

    def __init__(self, name: str, market: str, branch: str, staff: list[str], folder: Path,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        named(self, "campaignDialog", "新建营销活动")
        self.setWindowTitle("新建营销活动")
        self.setMinimumWidth(560)
        today = dt.date.today()
        self.name = named(QLineEdit(name), "campaignName", "活动名称")
        self.market = named(QLineEdit(market), "campaignMarket", "聚类市场")
        self.branch = named(QLineEdit(branch), "campaignBranch", "单位")
        self.start = named(QDateEdit(today), "campaignStart", "开始日期")
        self.end = named(QDateEdit(today + dt.timedelta(days=DEFAULT_DAYS)),
                         "campaignEnd", "结束日期")  # fmt: skip
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.staff = named(QLineEdit("、".join(staff)), "campaignStaff", "走访人员")
        self.staff.setPlaceholderText("参加扫场的人员，用顿号或逗号分隔，例如 王磊、李娜")
        self.file = named(QLineEdit(str(folder / f"{name or '营销活动'}.jzt")), "campaignFile",
                          "活动文件")  # fmt: skip
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        self.message = named(hint_label(
            "活动文件保存这份清单的客户和推荐套餐、分档方案、套餐库和以后的全部走访记录，"
            "可以复制到 U 盘或发给同事。"), "campaignMessage", "提示")  # fmt: skip
        form = QFormLayout()
        form.addRow("活动名称：", self.name)
        form.addRow("聚类市场：", self.market)
        form.addRow("单位：", self.branch)
        form.addRow("开始日期：", self.start)
        form.addRow("结束日期：", self.end)
        form.addRow("走访人员：", self.staff)
        form.addRow("保存为：", row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("新建")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        clear_hint_on(self.message, self.name.textChanged, self.file.textChanged,
                      self.staff.textChanged, text=self.message.text())  # fmt: skip
        self._info: Any = None

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "营销活动文件", self.file.text(), CAMPAIGN_FILTER
        )
        if path:
            self.file.setText(path if path.lower().endswith(".jzt") else f"{path}.jzt")

    def path(self) -> Path:
        path = Path(self.file.text().strip()).expanduser()
        return path if path.suffix.lower() == ".jzt" else path.with_name(path.name + ".jzt")

    def info(self) -> Any:
        return self._info

    def _accept(self) -> None:
        from core.base import UserError
        from core.campaign import CampaignInfo

        staff = [s.strip() for s in self.staff.text().replace(",", "、").replace("，", "、")
                 .replace(" ", "、").split("、") if s.strip()]  # fmt: skip
        try:
            self._info = CampaignInfo(
                name=self.name.text(), market=self.market.text(), branch=self.branch.text(),
                start_date=self.start.date().toPython(), end_date=self.end.date().toPython(),
                staff=tuple(staff),
            )  # fmt: skip
            if not self.file.text().strip():
                raise UserError("请填写活动文件的保存位置。", "例如 D:\\扫场\\城东市场12月.jzt")
        except UserError as err:
            show_hint(self.message, f"{err.message}{err.hint}", True)
            return
        self.accept()
