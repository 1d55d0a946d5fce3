"""The 分档 page's panels: the scheme box, one-click schemes, saved schemes, the results.

Each panel only builds and shows; it says what the user asked for through signals, and
the page (``ui.pages.bands.page``) turns that into undoable changes of the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.models.band_models import BandSummaryModel, FrameModel, SchemeTableModel, num
from ui.widgets.common import (
    UndoLineEdit,
    hint_label,
    named,
    request_buttons,
    row,
    section_title,
    show_hint,
    table_view,
)

if TYPE_CHECKING:
    from core.marketing import Analysis, BandScheme

EDGES_HELP = "输入从小到大的金额，用逗号分隔，按回车应用；例如 50,100,200 分成 4 档。"
USAGE_CHOICES = (("data_gb", "按月均流量"), ("voice_min", "按月均通话"))


def _fit_height(view: Any, rows: int) -> None:
    """A table exactly as tall as its header and ``rows`` rows."""
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + 4
                        + rows * view.verticalHeader().defaultSectionSize())  # fmt: skip


class SchemePanel(QGroupBox):
    """分档方案: the 边界 box (``edgesEdit``), its help/refusal, the editable scheme table."""

    edges_entered = Signal(str)  # Enter in the box
    edited = Signal(object, str)  # a scheme edited in the table, what changed
    refused = Signal(str)

    def __init__(self) -> None:
        super().__init__("分档方案")
        self.edges_edit = named(UndoLineEdit(), "edgesEdit", "分档边界")
        self.edges_edit.setPlaceholderText("例如 50,100,200")
        self.edges_edit.returnPressed.connect(
            lambda: self.edges_entered.emit(self.edges_edit.text())
        )
        self.edges_hint = hint_label(EDGES_HELP)
        self.model = SchemeTableModel(self)
        self.model.edited.connect(self.edited)
        self.model.refused.connect(self.refused)
        self.view = named(table_view(editable=True), "schemeTable", "分档方案")
        self.view.setModel(self.model)
        self._stretch_strategy()
        self.note = hint_label("")
        lay = QVBoxLayout(self)
        lay.addLayout(row("边界（元）：", self.edges_edit))
        lay.itemAt(0).layout().setStretch(1, 1)
        for widget in (self.edges_hint, self.view, self.note):
            lay.addWidget(widget)
        lay.addStretch(1)

    def _stretch_strategy(self) -> None:
        self.view.horizontalHeader().setSectionResizeMode(
            SchemeTableModel.STRATEGY, QHeaderView.ResizeMode.Stretch
        )

    def show_scheme(self, scheme: BandScheme) -> None:
        """The scheme in force. A new one (an edit applied, undone or redone) replaces what
        the box says and clears a refusal; a refused edit stays in the box to be mended."""
        changed = self.model.scheme != scheme
        if changed:
            self.model.set_scheme(scheme)
            self.view.resizeColumnsToContents()
            self._stretch_strategy()
            _fit_height(self.view, len(scheme.bands))
            self.show_refusal("")
        if changed or not self.edges_edit.hasFocus() or not self.edges_hint.property("error"):
            self.edges_edit.setText(",".join(num(e) for e in scheme.edges))
        self.note.setText(scheme.note)
        self.note.setVisible(bool(scheme.note))

    def show_refusal(self, message: str) -> None:
        """A Chinese reason under the box (empty: back to the help text)."""
        show_hint(self.edges_hint, message or EDGES_HELP, bool(message))


class AutoSchemePanel(QGroupBox):
    """一键分档: 取整, 按人数等分 (n 档), 二八 (收入 %), 20/30/50, 恢复默认."""

    requested = Signal(str)  # "round" | "quantiles" | "pareto" | "tiers" | "default"

    def __init__(self) -> None:
        super().__init__("一键分档")
        self.count_spin = named(QSpinBox(), "bandCountSpin", "档数")
        self.count_spin.setRange(2, 8)
        self.count_spin.setValue(4)
        self.count_spin.setSuffix(" 档")
        self.pareto_spin = named(QSpinBox(), "paretoSpin", "二八目标")
        self.pareto_spin.setRange(50, 99)
        self.pareto_spin.setValue(80)
        self.pareto_spin.setSuffix("% 收入")
        self.buttons = buttons = request_buttons((
            ("round", "取整分档", "roundButton", "按这份清单的消费分布，自动取整数金额作边界"),
            ("quantiles", "按人数等分", "quantileButton", "每档人数大致相同；消费相同的客户不会被拆到两档"),
            ("pareto", "二八分层", "paretoButton", "贡献这部分收入的少数高价值客户为一档，其余为另一档"),
            ("tiers", "20/30/50 分层", "tiersButton", "按人数：消费最高的 20%、中间 30%、其余 50%"),
            ("default", "恢复默认", "defaultSchemeButton", "低端 <50 / 中端 50–100 / 中高端 100–200 / 高端 ≥200 元"),
        ), self.requested.emit)  # fmt: skip
        lay = QVBoxLayout(self)
        lay.addLayout(row(self.count_spin, buttons["round"], buttons["quantiles"]))
        lay.addLayout(row(self.pareto_spin, buttons["pareto"], buttons["tiers"]))
        lay.addWidget(buttons["default"], 0, Qt.AlignmentFlag.AlignLeft)


class PresetPanel(QGroupBox):
    """常用方案: the user's saved schemes (载入, 删除, 保存当前方案…)."""

    load_requested = Signal(str)
    delete_requested = Signal(str)
    save_requested = Signal()

    def __init__(self) -> None:
        super().__init__("常用方案")
        self.combo = named(QComboBox(), "presetCombo", "常用方案")
        self.combo.setMinimumContentsLength(12)
        self.load_button = QPushButton("载入")
        self.load_button.clicked.connect(lambda: self.load_requested.emit(self.combo.currentText()))
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(
            lambda: self.delete_requested.emit(self.combo.currentText())
        )
        self.save_button = named(QPushButton("保存当前方案…"), "savePresetButton", "保存方案")
        self.save_button.clicked.connect(self.save_requested)
        lay = row(self.combo, self.load_button, self.delete_button, self.save_button)
        lay.setStretch(0, 1)
        self.setLayout(lay)

    def show_presets(self, names: list[str], select: str = "") -> None:
        self.combo.clear()
        self.combo.addItems(names or ["（还没有）"])
        for widget in (self.combo, self.load_button, self.delete_button):
            widget.setEnabled(bool(names))
        if select in names:
            self.combo.setCurrentText(select)


class BandTablePanel(QWidget):
    """``bandTable`` (a click on a band shows its customers) and the 已分档 summary."""

    band_clicked = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.model = BandSummaryModel(self)
        self.view = named(table_view(), "bandTable", "各档统计")
        self.view.setModel(self.model)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        self.view.setCursor(Qt.CursorShape.PointingHandCursor)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(section_title("各档统计（点击一档查看客户）"))
        lay.addWidget(self.view)
        lay.addWidget(self.summary)

    def show_analysis(self, analysis: Analysis) -> None:
        from core.marketing import unbanded_text

        self.model.set_analysis(analysis)
        view = self.view
        view.resizeColumnsToContents()
        view.horizontalHeader().setSectionResizeMode(BandSummaryModel.RANGE,
                                                     QHeaderView.ResizeMode.Stretch)  # fmt: skip
        height = view.horizontalHeader().height() + 4
        height += sum(view.rowHeight(r) for r in range(self.model.rowCount()))
        view.setFixedHeight(min(height, 12 * view.rowHeight(0) + 30))
        extra = unbanded_text(analysis.unbanded)
        self.summary.setText(
            f"已分档 {analysis.banded:,} 位客户。" + (f" {extra}" if extra else "")
        )

    def _clicked(self, index: Any) -> None:
        band = self.model.band_at(index.row())
        if band:
            self.band_clicked.emit(band)


class FrameTab(QWidget):
    """A tab with a drop-down above a table (交叉分析, 价值 × 用量)."""

    changed = Signal()

    def __init__(self, combo_name: str, combo_text: str, view_name: str, view_text: str,
                 before: str = "", after: str = "") -> None:  # fmt: skip
        super().__init__()
        self.combo = named(QComboBox(), combo_name, combo_text)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.model = FrameModel(self)
        self.view = named(table_view(), view_name, view_text)
        self.view.setModel(self.model)
        self.hint = hint_label("")
        top = row(*[w for w in (before, self.combo, after) if w])
        top.addWidget(self.hint, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)

    def show_frame(self, frame: Any, corner: str = "") -> None:
        self.model.set_frame(frame, corner)
        if frame is not None:
            self.view.resizeColumnsToContents()


class ChartTabs(QTabWidget):
    """价值金字塔, 二八曲线 (canvases made on first show), 交叉分析, 价值 × 用量."""

    CHART_TABS = 2  # the first tabs hold the pyramid and the 2/8 curve

    def __init__(self) -> None:
        super().__init__()
        self.setDocumentMode(True)
        self.pyramid_tab, self.pareto_tab = QWidget(), QWidget()
        for tab, text in ((self.pyramid_tab, "价值金字塔"), (self.pareto_tab, "二八曲线")):
            QVBoxLayout(tab).setContentsMargins(0, 4, 0, 0)
            self.addTab(tab, text)
        self.crosstab = FrameTab("crosstabField", "交叉分析维度", "crosstabTable", "交叉分析",
                                 "按", "看各档人数")  # fmt: skip
        self.matrix = FrameTab("usageField", "用量维度", "valueUsageTable", "价值与用量")
        for key, text in USAGE_CHOICES:
            self.matrix.combo.addItem(text, key)
        self.addTab(self.crosstab, "交叉分析")
        self.addTab(self.matrix, "价值 × 用量")
        self.pyramid_canvas: Any = None
        self.pareto_canvas: Any = None

    def ensure_canvases(self) -> None:
        if self.pyramid_canvas is not None:
            return
        from ui.widgets.chart_canvas import ChartCanvas

        self.pyramid_canvas = ChartCanvas("pyramidCanvas", "价值金字塔图", self.pyramid_tab)
        self.pareto_canvas = ChartCanvas("paretoCanvas", "二八曲线图", self.pareto_tab)
        self.pyramid_canvas.setToolTip("点击一层查看该档的客户")
        self.pyramid_tab.layout().addWidget(self.pyramid_canvas)
        self.pareto_tab.layout().addWidget(self.pareto_canvas)

    @property
    def shows_table(self) -> bool:
        return self.currentIndex() >= self.CHART_TABS
