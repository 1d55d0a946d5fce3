"""分档: the band scheme on the left, what it gives on the right, live.

Left: the 边界 box (``edgesEdit``: "50,100,200", applied on Enter), the scheme table
(下限, 上限, 名称, 营销策略; editable), one-click schemes (取整, 按人数等分, 二八, 20/30/50)
and the user's saved schemes. Right: ``bandTable`` (人数, 占比, 收入 … per band; a click
shows that band's customers), and tabs with ``pyramidCanvas`` + ``paretoCanvas``, the
cross-tab by a chosen field and the value × usage matrix. Every change is an undoable
command on the window's undo stack; a refused edit leaves the last good scheme and says
why next to the box. Charts are redrawn only when visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.commands import SetSchemeCommand, push
from ui.models.band_models import BandSummaryModel, FrameModel, SchemeTableModel, num
from ui.widgets.common import hint_label, named, section_title, show_hint, table_view

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from core.marketing import Analysis, BandScheme
    from ui.state import AppState

CROSSTAB_FIELDS = (("industry", "行业"), ("grid", "网格"), ("market", "聚类市场"),
                   ("manager", "客户经理"), ("package", "当前套餐"), ("tags", "客户标签"))  # fmt: skip
CHART_TABS = 2  # the first tabs hold the pyramid and the 2/8 curve
FIGURES_VIEW = "bands.figures"  # key of the prepared figures in Analysis.views
USAGE_CHOICES = (("data_gb", "按月均流量"), ("voice_min", "按月均通话"))
EDGES_HELP = "输入从小到大的金额，用逗号分隔，按回车应用；例如 50,100,200 分成 4 档。"


class BandsPage(QWidget):
    def __init__(self, state: AppState, undo: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "bandsPage", "分档")
        self.state = state
        self.undo = undo
        self._dirty_charts = True
        self._dirty_tables = True
        self.pyramid_canvas: Any = None
        self.pareto_canvas: Any = None

        # --- left: the scheme ---------------------------------------------------------------
        self.edges_edit = named(QLineEdit(), "edgesEdit", "分档边界")
        self.edges_edit.setPlaceholderText("例如 50,100,200")
        self.edges_edit.returnPressed.connect(self.apply_edges)
        self.edges_hint = hint_label(EDGES_HELP)
        self.scheme_model = SchemeTableModel(self)
        self.scheme_model.edited.connect(self._scheme_edited)
        self.scheme_model.refused.connect(self.show_refusal)
        self.scheme_view = named(table_view(editable=True), "schemeTable", "分档方案")
        self.scheme_view.setModel(self.scheme_model)
        header = self.scheme_view.horizontalHeader()
        header.setSectionResizeMode(SchemeTableModel.STRATEGY, QHeaderView.ResizeMode.Stretch)
        self.scheme_note = hint_label("")

        edges_row = QHBoxLayout()
        edges_row.addWidget(QLabel("边界（元）："))
        edges_row.addWidget(self.edges_edit, 1)
        scheme_box = QGroupBox("分档方案")
        lay = QVBoxLayout(scheme_box)
        lay.addLayout(edges_row)
        lay.addWidget(self.edges_hint)
        lay.addWidget(self.scheme_view)
        lay.addWidget(self.scheme_note)
        lay.addStretch(1)

        self.count_spin = named(QSpinBox(), "bandCountSpin", "档数")
        self.count_spin.setRange(2, 8)
        self.count_spin.setValue(4)
        self.count_spin.setSuffix(" 档")
        self.round_button = named(QPushButton("取整分档"), "roundButton", "取整分档")
        self.round_button.setToolTip("按这份清单的消费分布，自动取整数金额作边界")
        self.round_button.clicked.connect(self.apply_round)
        self.quantile_button = named(QPushButton("按人数等分"), "quantileButton", "按人数等分")
        self.quantile_button.setToolTip("每档人数大致相同；消费相同的客户不会被拆到两档")
        self.quantile_button.clicked.connect(self.apply_quantiles)
        self.pareto_spin = named(QSpinBox(), "paretoSpin", "二八目标")
        self.pareto_spin.setRange(50, 99)
        self.pareto_spin.setValue(80)
        self.pareto_spin.setSuffix("% 收入")
        self.pareto_button = named(QPushButton("二八分层"), "paretoButton", "二八分层")
        self.pareto_button.setToolTip("贡献这部分收入的少数高价值客户为一档，其余为另一档")
        self.pareto_button.clicked.connect(self.apply_pareto)
        self.tiers_button = named(QPushButton("20/30/50 分层"), "tiersButton", "20/30/50 分层")
        self.tiers_button.setToolTip("按人数：消费最高的 20%、中间 30%、其余 50%")
        self.tiers_button.clicked.connect(self.apply_tiers)
        self.default_button = named(QPushButton("恢复默认"), "defaultSchemeButton", "恢复默认")
        self.default_button.setToolTip("低端 <50 / 中端 50–100 / 中高端 100–200 / 高端 ≥200 元")
        self.default_button.clicked.connect(self.apply_default)
        auto_box = QGroupBox("一键分档")
        grid = QVBoxLayout(auto_box)
        row1 = QHBoxLayout()
        row1.addWidget(self.count_spin)
        row1.addWidget(self.round_button)
        row1.addWidget(self.quantile_button)
        row2 = QHBoxLayout()
        row2.addWidget(self.pareto_spin)
        row2.addWidget(self.pareto_button)
        row2.addWidget(self.tiers_button)
        grid.addLayout(row1)
        grid.addLayout(row2)
        grid.addWidget(self.default_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.preset_combo = named(QComboBox(), "presetCombo", "常用方案")
        self.preset_combo.setMinimumContentsLength(12)
        self.load_preset_button = QPushButton("载入")
        self.load_preset_button.clicked.connect(self.load_preset)
        self.save_preset_button = named(
            QPushButton("保存当前方案…"), "savePresetButton", "保存方案"
        )
        self.save_preset_button.clicked.connect(lambda: self.save_preset())
        self.delete_preset_button = QPushButton("删除")
        self.delete_preset_button.clicked.connect(self.delete_preset)
        preset_box = QGroupBox("常用方案")
        prow = QHBoxLayout(preset_box)
        prow.addWidget(self.preset_combo, 1)
        prow.addWidget(self.load_preset_button)
        prow.addWidget(self.delete_preset_button)
        prow.addWidget(self.save_preset_button)

        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 6, 0)
        left_lay.addWidget(scheme_box)
        left_lay.addWidget(auto_box)
        left_lay.addWidget(preset_box)
        left_lay.addStretch(1)

        # --- right: what the scheme gives ------------------------------------------------------
        self.band_model = BandSummaryModel(self)
        self.band_view = named(table_view(), "bandTable", "各档统计")
        self.band_view.setModel(self.band_model)
        self.band_view.clicked.connect(self._band_clicked)
        self.band_view.activated.connect(self._band_clicked)
        self.band_view.setCursor(Qt.CursorShape.PointingHandCursor)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.pyramid_tab = QWidget()
        self.pareto_tab = QWidget()
        for tab in (self.pyramid_tab, self.pareto_tab):
            QVBoxLayout(tab).setContentsMargins(0, 4, 0, 0)
        self.tabs.addTab(self.pyramid_tab, "价值金字塔")
        self.tabs.addTab(self.pareto_tab, "二八曲线")

        self.crosstab_combo = named(QComboBox(), "crosstabField", "交叉分析维度")
        self.crosstab_combo.currentIndexChanged.connect(self._tables_changed)
        self.crosstab_model = FrameModel(self)
        self.crosstab_view = named(table_view(), "crosstabTable", "交叉分析")
        self.crosstab_view.setModel(self.crosstab_model)
        cross_tab = QWidget()
        clay = QVBoxLayout(cross_tab)
        crow = QHBoxLayout()
        crow.addWidget(QLabel("按"))
        crow.addWidget(self.crosstab_combo)
        crow.addWidget(QLabel("看各档人数"))
        crow.addStretch(1)
        clay.addLayout(crow)
        clay.addWidget(self.crosstab_view, 1)
        self.tabs.addTab(cross_tab, "交叉分析")

        self.usage_combo = named(QComboBox(), "usageField", "用量维度")
        for key, text in USAGE_CHOICES:
            self.usage_combo.addItem(text, key)
        self.usage_combo.currentIndexChanged.connect(self._tables_changed)
        self.matrix_model = FrameModel(self)
        self.matrix_view = named(table_view(), "valueUsageTable", "价值与用量")
        self.matrix_view.setModel(self.matrix_model)
        self.matrix_hint = hint_label("")
        matrix_tab = QWidget()
        mlay = QVBoxLayout(matrix_tab)
        mrow = QHBoxLayout()
        mrow.addWidget(self.usage_combo)
        mrow.addWidget(self.matrix_hint, 1)
        mlay.addLayout(mrow)
        mlay.addWidget(self.matrix_view, 1)
        self.tabs.addTab(matrix_tab, "价值 × 用量")
        self.tabs.currentChanged.connect(self._refresh_visible)

        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(6, 0, 0, 0)
        right_lay.addWidget(section_title("各档统计（点击一档查看客户）"))
        right_lay.addWidget(self.band_view)
        right_lay.addWidget(self.summary_label)
        right_lay.addWidget(self.tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 900])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(splitter)

        self._pareto_target = self.pareto_spin.value() / 100  # read by the preparer thread
        self.pareto_spin.valueChanged.connect(self._target_changed)
        state.add_preparer(FIGURES_VIEW, self.prepare_figures)
        state.inputsChanged.connect(self._inputs_changed)
        state.analysisReady.connect(self.show_analysis)
        state.listChanged.connect(self._list_changed)
        self.refresh_presets()
        self._inputs_changed()
        if state.has_list:  # built when the first list opened: catch up with it
            self._list_changed()

    # --- the scheme --------------------------------------------------------------------------
    def _inputs_changed(self) -> None:
        scheme = self.state.scheme
        if self.scheme_model.scheme != scheme:
            self.scheme_model.set_scheme(scheme)
            self.scheme_view.resizeColumnsToContents()
            self.scheme_view.horizontalHeader().setSectionResizeMode(
                SchemeTableModel.STRATEGY, QHeaderView.ResizeMode.Stretch
            )
            rows = len(scheme.bands)
            view = self.scheme_view
            view.setFixedHeight(view.horizontalHeader().sizeHint().height() + 4
                                + rows * view.verticalHeader().defaultSectionSize())  # fmt: skip
        if not self.edges_edit.hasFocus() or not self.edges_hint.property("error"):
            self.edges_edit.setText(",".join(num(e) for e in scheme.edges))
        self.scheme_note.setText(scheme.note)
        self.scheme_note.setVisible(bool(scheme.note))

    def _list_changed(self) -> None:
        self.crosstab_combo.blockSignals(True)
        self.crosstab_combo.clear()
        customers = self.state.inputs.customers
        for key, text in CROSSTAB_FIELDS:
            if key == "tags" or (customers is not None and key in customers.columns
                                 and customers[key].notna().any()):  # fmt: skip
                self.crosstab_combo.addItem(text, key)
        self.crosstab_combo.blockSignals(False)
        self._dirty_tables = True

    def set_scheme(self, scheme: BandScheme, what: str) -> None:
        """Apply ``scheme`` as one undoable step (``what``: the 撤销 menu text)."""
        self.show_refusal("")
        push(self.undo, SetSchemeCommand(self.state, scheme, what))

    def _scheme_edited(self, scheme: BandScheme, what: str) -> None:
        self.set_scheme(scheme, what)

    def show_refusal(self, message: str) -> None:
        """A Chinese reason next to the box (empty: back to the help text)."""
        show_hint(self.edges_hint, message or EDGES_HELP, bool(message))

    def apply_edges(self) -> None:
        from core.base import InvalidInput
        from core.marketing import parse_edges, scheme_from_edges

        current = self.state.scheme
        try:
            edges = parse_edges(self.edges_edit.text())
            if edges and edges[0] == 0:
                edges = edges[1:]
            same_count = len(edges) + 1 == len(current.bands)
            scheme = scheme_from_edges(
                edges,
                labels=current.labels if same_count else None,
                strategies=[b.strategy for b in current.bands] if same_count else None,
            )
        except InvalidInput as err:
            self.show_refusal(f"{err.message}{err.hint}")
            return
        if scheme.edges == current.edges and scheme.labels == current.labels:
            self.show_refusal("")
            return
        self.set_scheme(scheme, f"分档边界改为 {','.join(num(e) for e in scheme.edges)}")

    def _auto(self, make: Any, what: str) -> None:
        from core.base import InvalidInput

        customers = self.state.inputs.customers
        if customers is None:
            return
        try:
            scheme = make(customers["spend"])
        except InvalidInput as err:
            self.show_refusal(f"{err.message}{err.hint}")
            return
        self.set_scheme(scheme, what)

    def apply_round(self) -> None:
        from core.marketing import round_scheme

        n = self.count_spin.value()
        self._auto(lambda s: round_scheme(s, n), f"取整分 {n} 档")

    def apply_quantiles(self) -> None:
        from core.marketing import quantile_scheme

        n = self.count_spin.value()
        self._auto(lambda s: quantile_scheme(s, n), f"按人数等分 {n} 档")

    def apply_pareto(self) -> None:
        from core.marketing import pareto_scheme

        p = self.pareto_spin.value() / 100
        self._auto(lambda s: pareto_scheme(s, p), f"二八分层（收入 {self.pareto_spin.value()}%）")

    def apply_tiers(self) -> None:
        from core.marketing import pareto_tiers_scheme

        self._auto(lambda s: pareto_tiers_scheme(s, (0.2, 0.3, 0.5)), "按人数 20/30/50 分层")

    def apply_default(self) -> None:
        from core.marketing import default_scheme

        self.set_scheme(default_scheme(), "恢复默认分档")

    # --- presets ---------------------------------------------------------------------------
    def refresh_presets(self, select: str = "") -> None:
        from core.marketing import load_presets

        self.presets = {p.name: p for p in load_presets()}
        self.preset_combo.clear()
        for name in self.presets:
            self.preset_combo.addItem(name)
        if not self.presets:
            self.preset_combo.addItem("（还没有）")
        self.preset_combo.setEnabled(bool(self.presets))
        self.load_preset_button.setEnabled(bool(self.presets))
        self.delete_preset_button.setEnabled(bool(self.presets))
        if select in self.presets:
            self.preset_combo.setCurrentText(select)

    def load_preset(self) -> None:
        scheme = self.presets.get(self.preset_combo.currentText())
        if scheme is not None:
            self.set_scheme(scheme, f"载入方案“{scheme.name}”")

    def save_preset(self, name: str | None = None) -> None:
        from core.marketing import BandScheme, save_preset

        if name is None:
            name, ok = QInputDialog.getText(self, "保存分档方案", "方案名称：",
                                            text=self.state.scheme.name)  # fmt: skip
            if not ok:
                return
        name = name.strip()
        if not name:
            self.show_refusal("方案名称不能为空，请重新保存并填写名称。")
            return
        scheme = self.state.scheme
        save_preset(BandScheme(name=name, bands=scheme.bands, note=scheme.note))
        self.refresh_presets(select=name)

    def delete_preset(self) -> None:
        from core.marketing import delete_preset

        name = self.preset_combo.currentText()
        if name not in self.presets:
            return
        answer = QMessageBox.question(self, "删除方案", f"删除保存的方案“{name}”？")
        if answer == QMessageBox.StandardButton.Yes:
            delete_preset(name)
            self.refresh_presets()

    # --- what it gives -----------------------------------------------------------------------
    def show_analysis(self, analysis: Analysis) -> None:
        from core.marketing import unbanded_text

        self.band_model.set_analysis(analysis)
        self.band_view.resizeColumnsToContents()
        self.band_view.horizontalHeader().setSectionResizeMode(
            BandSummaryModel.RANGE, QHeaderView.ResizeMode.Stretch
        )
        rows = self.band_model.rowCount()
        height = self.band_view.horizontalHeader().height() + 4
        height += sum(self.band_view.rowHeight(r) for r in range(rows))
        self.band_view.setFixedHeight(min(height, 12 * self.band_view.rowHeight(0) + 30))
        text = f"已分档 {analysis.banded:,} 位客户。"
        extra = unbanded_text(analysis.unbanded)
        self.summary_label.setText(text + (f" {extra}" if extra else ""))
        self._dirty_charts = self._dirty_tables = True
        self._refresh_visible()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._refresh_visible()

    def _tables_changed(self) -> None:
        self._dirty_tables = True
        self._refresh_visible()

    def _refresh_visible(self) -> None:
        analysis = self.state.analysis
        if analysis is None or not self.isVisible():
            return
        if self._dirty_charts:
            self._draw_charts(analysis)
        if self.tabs.currentIndex() >= CHART_TABS and self._dirty_tables:
            self._fill_tables(analysis)

    def ensure_canvases(self) -> None:
        if self.pyramid_canvas is not None:
            return
        from ui.widgets.chart_canvas import ChartCanvas

        self.pyramid_canvas = ChartCanvas("pyramidCanvas", "价值金字塔图", self.pyramid_tab)
        self.pareto_canvas = ChartCanvas("paretoCanvas", "二八曲线图", self.pareto_tab)
        self.pyramid_canvas.picked.connect(self._layer_picked)
        self.pyramid_canvas.setToolTip("点击一层查看该档的客户")
        self.pyramid_tab.layout().addWidget(self.pyramid_canvas)
        self.pareto_tab.layout().addWidget(self.pareto_canvas)

    def _target_changed(self, value: int) -> None:
        self._pareto_target = value / 100
        self._dirty_charts = True
        self._refresh_visible()

    def prepare_figures(self, analysis: Analysis) -> tuple[Any, Any, float] | None:
        """The pyramid and the 2/8 curve (a preparer: built with the recompute, off the GUI
        thread; only drawing them is left to the window). None when nothing is banded."""
        from core.reporting import pareto_chart, pyramid_chart

        if analysis.banded == 0:
            return None
        target = self._pareto_target
        spend = analysis.inputs.customers["spend"]
        return pyramid_chart(analysis.summary), pareto_chart(spend, target), target

    def _draw_charts(self, analysis: Analysis) -> None:
        from core.base import UserError

        self.ensure_canvases()
        self._dirty_charts = False
        try:
            figures = analysis.views.pop(FIGURES_VIEW, None)  # a figure can sit on one canvas
            if figures is None or figures[2] != self._pareto_target:
                figures = self.prepare_figures(analysis)
        except UserError as err:
            self.summary_label.setText(f"{err.message}{err.hint}")
            return
        if figures is None:
            self.pyramid_canvas.clear()
            self.pareto_canvas.clear()
            return
        self.pyramid_canvas.show_figure(figures[0])
        self.pareto_canvas.show_figure(figures[1])

    def _fill_tables(self, analysis: Analysis) -> None:
        from core.base import UserError
        from core.marketing import crosstab, value_usage_matrix

        self._dirty_tables = False
        offers = analysis.offers
        key = self.crosstab_combo.currentData()
        try:
            if key:
                table = crosstab(offers, analysis.scheme, by=key)
                self.crosstab_model.set_frame(table, self.crosstab_combo.currentText().strip())
                self.crosstab_view.resizeColumnsToContents()
            usage = self.usage_combo.currentData()
            if usage in offers.columns and offers[usage].notna().any():
                matrix = value_usage_matrix(offers, analysis.scheme, usage=usage)
                self.matrix_model.set_frame(matrix, "档位")
                self.matrix_view.resizeColumnsToContents()
                self.matrix_hint.setText(
                    "高价值、低用量的客户：保持套餐，以高品质服务维系（高端客户不降档）；"
                    "低价值、高用量的：适合升档，或换更大的套餐不再按超出用量计费（精打细算）。"
                )
            else:
                self.matrix_model.set_frame(None)
                self.matrix_hint.setText(
                    "这份清单没有用量数据（月均流量/通话），无法做价值×用量分析。"
                )
        except UserError as err:
            self.matrix_hint.setText(f"{err.message}{err.hint}")

    def _band_clicked(self, index: Any) -> None:
        band = self.band_model.band_at(index.row())
        if band:
            self.state.set_band_filter(band)

    def _layer_picked(self, gid: str) -> None:
        from core.reporting import BAND_GID

        if gid.startswith(BAND_GID):
            self.state.set_band_filter(gid[len(BAND_GID) :])
