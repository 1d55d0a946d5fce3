"""The page shown before a list is open.

On the first use: what the program does (its six steps), 打开示例清单 highlighted and the
"第一次使用？" hint. After that the work comes first: 继续上次的工作 lists the recent
营销活动 and 客户清单 (a click opens one: ``campaign_requested`` / ``recent_requested``,
which the window hands to its controllers), then the two buttons; the steps stay on the
left of the window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.pages.welcome.panels import RecentList
from ui.widgets.common import named
from ui.widgets.icons import pyramid_pixmap

STEPS = (
    ("客户清单", "打开从系统导出的客户清单（Excel/CSV），自动识别表头和各列"),
    ("分档", "按月均消费分成几档，看清价值金字塔和二八分布"),
    ("主推套餐", "给每一档定主推套餐和一句话卖点，算出每位客户的推荐"),
    ("建议书与反馈表", "为每位客户生成《客户建议书》和《信息反馈表》，预览、打印"),
    ("走访", "记录每次走访的结果：意向、顾虑、签约"),
    ("报表", "统计走访结果，导出 Excel 报表给领导"),
)
STEP_COLUMNS = 3

STYLE = """
#welcome { background: palette(base); }
#title { font-size: 20pt; font-weight: 600; }
#subtitle { color: #5f6368; font-size: 11pt; }
#step { border: 1px solid palette(midlight); border-radius: 8px; background: palette(window); }
#stepNumber { color: white; background: #1565c0; border-radius: 12px; font-weight: 600; }
#stepTitle { font-weight: 600; font-size: 11pt; }
#stepText { color: #4a4f55; }
#arrow { color: #9aa0a6; font-size: 14pt; }
QPushButton#bigButton { font-size: 13pt; padding: 12px 20px; min-width: 170px;
    border: 1px solid palette(mid); border-radius: 8px; background: palette(button); }
QPushButton#bigButton:hover { border-color: #1565c0; }
QPushButton#bigButton[primary="true"] { background: #1565c0; color: white;
    border: 1px solid #0d47a1; }
QPushButton#bigButton[primary="true"]:hover { background: #1976d2; }
#hint { color: #0d47a1; font-size: 11pt; }
#recentTitle { color: #5f6368; }
#continueTitle { font-size: 13pt; font-weight: 600; }
"""


class WelcomePage(QWidget):
    open_requested = Signal()
    sample_requested = Signal()
    recent_requested = Signal(str)  # a customer list to open again
    campaign_requested = Signal(str)  # a campaign file (.jzt) to open again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self._first = False
        self.open_button = named(QPushButton("打开客户清单…"), "bigButton", "打开客户清单")
        self.sample_button = named(QPushButton("打开示例清单"), "bigButton", "打开示例清单")
        self.hint = QLabel("第一次使用？先点“打开示例清单”看看程序能做什么。")
        self.continue_title = named(QLabel("继续上次的工作"), "continueTitle", "继续上次的工作")
        self.recent_campaigns = RecentList("最近的营销活动", "recentCampaigns", "recentCampaign")
        self.recent_lists = RecentList("最近打开的客户清单", "recentLists", "recentList")
        self.recent_campaigns.chosen.connect(self.campaign_requested)
        self.recent_lists.chosen.connect(self.recent_requested)
        self.steps = QWidget()
        self.steps.setLayout(_steps())
        body = QVBoxLayout()
        body.addStretch(2)
        body.addLayout(_header())
        body.addSpacing(20)
        body.addWidget(self.continue_title)
        body.addLayout(self._recent_row())
        body.addWidget(self.steps)
        body.addSpacing(24)
        body.addLayout(self._buttons())
        body.addSpacing(12)
        for widget in self._below_buttons():
            body.addWidget(widget)
        body.addStretch(3)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.addStretch(1)
        outer.addLayout(body, 12)
        outer.addStretch(1)
        self.set_first_run(False)

    def _recent_row(self) -> QHBoxLayout:
        recent = QHBoxLayout()
        recent.setSpacing(24)
        recent.addWidget(self.recent_campaigns, 1)
        recent.addWidget(self.recent_lists, 1)
        return recent

    def _buttons(self) -> QHBoxLayout:
        for button in (self.open_button, self.sample_button):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.setToolTip("选择从系统导出的客户清单文件（.xlsx / .xls / .csv）")
        self.sample_button.setToolTip("打开程序自带的示例客户清单，先看看效果")
        self.open_button.clicked.connect(self.open_requested)
        self.sample_button.clicked.connect(self.sample_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addSpacing(24)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        return buttons

    def _below_buttons(self) -> list[QWidget]:
        """The first-use hint and the drop hint."""
        self.hint.setObjectName("hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        drop = QLabel("也可以把客户清单文件直接拖到这个窗口里。")
        drop.setObjectName("subtitle")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return [self.hint, drop]

    @property
    def has_recent(self) -> bool:
        return bool(self.recent_campaigns.paths or self.recent_lists.paths)

    def set_first_run(self, first: bool) -> None:
        """On the first start the sample is the obvious thing to try."""
        self._first = first
        self.sample_button.setProperty("primary", first)
        self.open_button.setProperty("primary", not first)
        for button in (self.open_button, self.sample_button):
            button.style().unpolish(button)
            button.style().polish(button)
        (self.sample_button if first else self.open_button).setDefault(True)
        self._arrange()

    def set_recent(self, paths: list[str]) -> None:
        """The customer lists opened lately (newest first)."""
        self.recent_lists.set_paths(paths)
        self._arrange()

    def set_recent_campaigns(self, paths: list[str]) -> None:
        """The campaign files opened lately (newest first)."""
        self.recent_campaigns.set_paths(paths)
        self._arrange()

    def _arrange(self) -> None:
        """First use: the steps explained and the hint. Later: the recent work first."""
        returning = self.has_recent  # a campaign from a colleague counts as work too
        self.hint.setVisible(self._first and not returning)
        self.steps.setVisible(not returning)
        self.continue_title.setVisible(returning)
        self.recent_campaigns.setVisible(returning and bool(self.recent_campaigns.paths))
        self.recent_lists.setVisible(returning and bool(self.recent_lists.paths))


def _header() -> QHBoxLayout:
    logo = QLabel()
    logo.setPixmap(pyramid_pixmap(72))
    title = QLabel("价值金字塔营销助手")
    title.setObjectName("title")
    subtitle = QLabel("聚类市场扫场：客户分档 · 主推套餐 · 客户建议书 · 走访统计报表")
    subtitle.setObjectName("subtitle")
    text = QVBoxLayout()
    text.addWidget(title)
    text.addWidget(subtitle)
    head = QHBoxLayout()
    head.addStretch(1)
    head.addWidget(logo)
    head.addSpacing(16)
    head.addLayout(text)
    head.addStretch(1)
    return head


def _steps() -> QGridLayout:
    """The same steps as the list on the left, explained."""
    steps = QGridLayout()
    steps.setSpacing(8)
    for i, (name, text) in enumerate(STEPS):
        steps.addWidget(_step_box(i + 1, name, text), i // STEP_COLUMNS, i % STEP_COLUMNS)
    return steps


def _step_box(number: int, name: str, text: str) -> QFrame:
    box = QFrame()
    box.setObjectName("step")
    num = QLabel(str(number))
    num.setObjectName("stepNumber")
    num.setFixedSize(24, 24)
    num.setAlignment(Qt.AlignmentFlag.AlignCenter)
    title = QLabel(name)
    title.setObjectName("stepTitle")
    row = QHBoxLayout()
    row.addWidget(num)
    row.addWidget(title, 1)
    desc = QLabel(text)
    desc.setObjectName("stepText")
    desc.setWordWrap(True)
    desc.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(10, 10, 10, 10)
    layout.addLayout(row)
    layout.addWidget(desc, 1)
    box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    box.setMinimumWidth(120)
    return box
