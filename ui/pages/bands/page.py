"""分档: the band scheme on the left, what it gives on the right, live.

Left: the 边界 box (``edgesEdit``: "50,100,200", applied on Enter), the scheme table
(下限, 上限, 名称, 营销策略; editable), one-click schemes (取整, 按人数等分, 二八, 20/30/50)
and the user's saved schemes. Right: ``bandTable`` (人数, 占比, 收入 … per band; a click
shows that band's customers), and tabs with ``pyramidCanvas`` + ``paretoCanvas``, the
cross-tab by a chosen field and the value × usage matrix. Every change is an undoable
step; a refused edit leaves the last good scheme and says why next to the box. Charts
are redrawn only when visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ui.commands import set_value
from ui.models.band_models import num
from ui.pages.bands.panels import (
    AutoSchemePanel,
    BandTablePanel,
    ChartTabs,
    PresetPanel,
    SchemePanel,
)
from ui.widgets.common import column, named, refill_combo, two_pane

if TYPE_CHECKING:
    from core.marketing import Analysis, BandScheme
    from ui.services import Services

FIGURES_VIEW = "bands.figures"  # key of the prepared figures in Analysis.views
MATRIX_HINT = (
    "高价值、低用量的客户：保持套餐，以高品质服务维系（高端客户不降档）；"
    "低价值、高用量的：适合升档，或换更大的套餐不再按超出用量计费（精打细算）。"
)
NO_USAGE = "这份清单没有用量数据（月均流量/通话），无法做价值×用量分析。"


class BandsPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "bandsPage", "分档")
        self.state, self.undo = services.state, services.undo_stack(self)
        self._dirty_charts = self._dirty_tables = True
        self.scheme_panel = SchemePanel()
        self.auto_panel = AutoSchemePanel()
        self.preset_panel = PresetPanel()
        self.band_panel = BandTablePanel()
        self.tabs = ChartTabs()
        right = column(self.band_panel, stretch=False)
        right.layout().addWidget(self.tabs, 1)
        two_pane(self, column(self.scheme_panel, self.auto_panel, self.preset_panel), right,
                 (400, 900))  # fmt: skip
        # the widgets tests and tools reach by name
        self.edges_edit, self.edges_hint = (
            self.scheme_panel.edges_edit,
            self.scheme_panel.edges_hint,
        )
        self.scheme_model, self.band_view = self.scheme_panel.model, self.band_panel.view
        self.crosstab_combo, self.pareto_spin = (
            self.tabs.crosstab.combo,
            self.auto_panel.pareto_spin,
        )
        self._connect()
        self._pareto_target = self.pareto_spin.value() / 100  # read by the preparer thread
        self.refresh_presets()
        self._inputs_changed()
        if self.state.has_list:  # built when the first list opened: catch up with it
            self._list_changed()
        if self.state.analysis is not None:
            self.show_analysis(self.state.analysis)

    def _connect(self) -> None:
        state, scheme, auto, presets = (
            self.state,
            self.scheme_panel,
            self.auto_panel,
            self.preset_panel,
        )
        scheme.edges_entered.connect(lambda _t: self.apply_edges())
        scheme.edited.connect(self.set_scheme)
        scheme.refused.connect(self.show_refusal)
        auto.requested.connect(lambda kind: getattr(self, f"apply_{kind}")())
        auto.pareto_spin.valueChanged.connect(self._target_changed)
        presets.load_requested.connect(lambda _name: self.load_preset())
        presets.delete_requested.connect(lambda _name: self.delete_preset())
        presets.save_requested.connect(lambda: self.save_preset())
        self.band_panel.band_clicked.connect(state.set_band_filter)
        for tab in (self.tabs.crosstab, self.tabs.matrix):
            tab.changed.connect(self._tables_changed)
        self.tabs.currentChanged.connect(self._refresh_visible)
        state.add_preparer(FIGURES_VIEW, self.prepare_figures)
        state.inputsChanged.connect(self._inputs_changed)
        state.analysisReady.connect(self.show_analysis)
        state.listChanged.connect(self._list_changed)

    @property
    def pyramid_canvas(self) -> Any:
        return self.tabs.pyramid_canvas

    # --- the scheme --------------------------------------------------------------------------
    def _inputs_changed(self) -> None:
        self.scheme_panel.show_scheme(self.state.scheme)

    def _list_changed(self) -> None:
        from core.marketing import crosstab_choices

        choices = crosstab_choices(self.state.inputs.customers, tags=True)
        refill_combo(self.crosstab_combo, [(text, key) for key, text in choices])
        self._dirty_tables = True

    def set_scheme(self, scheme: BandScheme, what: str) -> None:
        """Apply ``scheme`` as one undoable step (``what``: the 撤销 menu text)."""
        self.show_refusal("")
        set_value(self.undo, self.state.set_scheme, self.state.scheme, scheme, what)

    def show_refusal(self, message: str) -> None:
        self.scheme_panel.show_refusal(message)

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

        n = self.auto_panel.count_spin.value()
        self._auto(lambda s: round_scheme(s, n), f"取整分 {n} 档")

    def apply_quantiles(self) -> None:
        from core.marketing import quantile_scheme

        n = self.auto_panel.count_spin.value()
        self._auto(lambda s: quantile_scheme(s, n), f"按人数等分 {n} 档")

    def apply_pareto(self) -> None:
        from core.marketing import pareto_scheme

        p = self.pareto_spin.value()
        self._auto(lambda s: pareto_scheme(s, p / 100), f"二八分层（收入 {p}%）")

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
        self.preset_panel.show_presets(list(self.presets), select)

    @property
    def preset_combo(self) -> Any:
        return self.preset_panel.combo

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
        self.band_panel.show_analysis(analysis)
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
        if self.tabs.shows_table and self._dirty_tables:
            self._fill_tables(analysis)

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

        tabs = self.tabs
        if tabs.pyramid_canvas is None:
            tabs.ensure_canvases()
            tabs.pyramid_canvas.picked.connect(self._layer_picked)
        self._dirty_charts = False
        try:
            figures = analysis.views.pop(FIGURES_VIEW, None)  # a figure can sit on one canvas
            if figures is None or figures[2] != self._pareto_target:
                figures = self.prepare_figures(analysis)
        except UserError as err:
            self.band_panel.summary.setText(f"{err.message}{err.hint}")
            return
        if figures is None:
            tabs.pyramid_canvas.clear()
            tabs.pareto_canvas.clear()
            return
        tabs.pyramid_canvas.show_figure(figures[0])
        tabs.pareto_canvas.show_figure(figures[1])

    def _fill_tables(self, analysis: Analysis) -> None:
        from core.base import UserError
        from core.marketing import crosstab, value_usage_matrix

        self._dirty_tables = False
        offers, cross, matrix = analysis.offers, self.tabs.crosstab, self.tabs.matrix
        try:
            if cross.combo.currentData():
                table = crosstab(offers, analysis.scheme, by=cross.combo.currentData())
                cross.show_frame(table, cross.combo.currentText().strip())
            usage = matrix.combo.currentData()
            if usage in offers.columns and offers[usage].notna().any():
                matrix.show_frame(value_usage_matrix(offers, analysis.scheme, usage=usage), "档位")
                matrix.hint.setText(MATRIX_HINT)
            else:
                matrix.show_frame(None)
                matrix.hint.setText(NO_USAGE)
        except UserError as err:
            matrix.hint.setText(f"{err.message}{err.hint}")

    def _layer_picked(self, gid: str) -> None:
        from core.reporting import BAND_GID

        if gid.startswith(BAND_GID):
            self.state.set_band_filter(gid[len(BAND_GID) :])
