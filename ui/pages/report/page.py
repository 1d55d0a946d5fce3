"""报表: the charts that go into the report, and the Excel report itself.

Four charts drawn by the core's chart functions (价值金字塔, 二八曲线, 各档占比, 交叉分析
by a second field), each can be saved as PNG (300 dpi for print), PDF or SVG. The path
box (``reportPathEdit``, used as typed) and ``exportReportButton`` write the same
workbook as ``report --out`` on a worker thread with progress and 取消; then a result
dialog and the panel offer 打开文件 and 打开文件夹. An existing file is replaced only after
asking; a refusal under the path goes once the path is changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.result_dialog import open_in_system, show_result
from ui.widgets.common import (
    clear_hint_on,
    hint_label,
    named,
    output_folder,
    page_layout,
    refill_combo,
    row,
    show_hint,
)

if TYPE_CHECKING:
    from core.marketing import Analysis
    from ui.services import Services
    from ui.workers import Worker

CHARTS = (("pyramid", "价值金字塔", "pyramidReportCanvas"), ("pareto", "二八曲线", "paretoReportCanvas"),
          ("bands", "各档占比", "bandsReportCanvas"),
          ("crosstab", "交叉分析", "crosstabReportCanvas"))  # fmt: skip
NO_CROSSTAB = "（不做交叉分析）"
REPORT_CONTENTS = ("报表包括：汇总（含金字塔图）、分档统计（含图表）、客户明细、交叉分析、导入问题，"
                   "打开营销活动时还有走访结果；每张表都已设好 A4 打印。")  # fmt: skip
IMAGE_FILTERS = "PNG 图片，300 dpi 用于打印 (*.png);;PDF 文件 (*.pdf);;SVG 矢量图 (*.svg)"


def _report_job(path: str, analysis: Analysis, by: str, title: str, source: str, result: Any,
                force: bool, campaign: str | None, progress: Any) -> Path:  # fmt: skip
    from core.marketing import crosstab
    from core.reporting import write_report

    cross = crosstab(analysis.inputs.customers, analysis.scheme, by) if by else None
    visit_results = []
    if campaign:  # 走访结果: opened here, on the worker's own connection
        from core.campaign import Campaign

        with Campaign.open(campaign, readonly=True) as opened:
            visit_results = [opened.results("band"), opened.results("staff")]
    return write_report(path, analysis.offers, analysis.summary, analysis.scheme, problems=result,
                        crosstab=cross, title=title, force=force, progress=progress,
                        by=by or None, source=source, visit_results=visit_results)  # fmt: skip


class ExportPanel(QGroupBox):
    """Excel 报表: ``reportPathEdit``, ``exportReportButton``, 打开文件 / 打开文件夹."""

    def __init__(self) -> None:
        super().__init__("Excel 报表")
        self.path_edit = named(QLineEdit(), "reportPathEdit", "报表文件")
        self.path_edit.setPlaceholderText("例如 D:\\扫场\\城东市场报表.xlsx")
        self.browse_button = named(QPushButton("浏览…"), "browseReportButton", "选择报表文件")
        self.export_button = named(QPushButton("导出 Excel 报表"), "exportReportButton", "导出报表")
        self.export_button.setDefault(True)
        self.open_file_button = named(QPushButton("打开文件"), "openReportButton", "打开报表")
        self.open_dir_button = named(QPushButton("打开文件夹"), "openReportFolderButton",
                                     "打开报表所在文件夹")  # fmt: skip
        self.set_opened(False)
        self.message = named(hint_label(REPORT_CONTENTS), "reportMessage", "报表结果")
        lay = QVBoxLayout(self)
        path = row("保存为：", self.path_edit, self.browse_button)
        path.setStretch(1, 1)
        lay.addLayout(path)
        lay.addLayout(row(self.export_button, self.open_file_button, self.open_dir_button,
                          stretch=True))  # fmt: skip
        lay.addWidget(self.message)

    def set_opened(self, done: bool) -> None:
        """打开文件 / 打开文件夹 are there once a report has been written."""
        for button in (self.open_file_button, self.open_dir_button):
            button.setEnabled(done)


class ChartTabs(QTabWidget):
    """The report's four charts, their canvases made when first shown."""

    def __init__(self) -> None:
        super().__init__()
        self.setDocumentMode(True)
        self.canvases: dict[str, Any] = {}
        for _key, text, _name in CHARTS:
            tab = QWidget()
            QVBoxLayout(tab).setContentsMargins(0, 4, 0, 0)
            self.addTab(tab, text)

    def ensure_canvases(self) -> None:
        if self.canvases:
            return
        from ui.widgets.chart_canvas import ChartCanvas

        for i, (key, text, name) in enumerate(CHARTS):
            canvas = ChartCanvas(name, f"{text}图", self.widget(i))
            self.widget(i).layout().addWidget(canvas)
            self.canvases[key] = canvas


class ReportPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "reportPage", "报表")
        self.services = services
        self.state, self.settings = services.state, services.settings
        self.worker: Worker | None = None
        self.last_report: Path | None = None
        self._stale = {key for key, _t, _n in CHARTS}  # charts to draw again when shown
        self.export_panel = ExportPanel()
        self.field_combo = named(QComboBox(), "reportCrossField", "交叉分析维度")
        self.save_chart_button = named(QPushButton("保存图表…"), "saveChartButton", "保存图表")
        self.save_chart_button.setToolTip("把当前图表保存为 PNG（300 dpi，适合打印）、PDF 或 SVG")
        self.tabs = ChartTabs()
        self.chart_message = hint_label("")
        layout = page_layout(self, self.export_panel)
        layout.addLayout(row("交叉分析按：", self.field_combo, stretch=True))
        layout.itemAt(1).layout().addWidget(self.save_chart_button)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.chart_message)
        e = self.export_panel  # the widgets tests and tools reach by name
        self.path_edit, self.export_button, self.message = e.path_edit, e.export_button, e.message
        self.open_file_button, self.open_dir_button = e.open_file_button, e.open_dir_button
        self.canvases = self.tabs.canvases
        self._connect()
        if self.state.has_list:
            self._list_changed()
        if self.state.analysis is not None:
            self._analysis_ready(self.state.analysis)

    def _connect(self) -> None:
        e = self.export_panel
        e.browse_button.clicked.connect(self.choose_path)
        e.export_button.clicked.connect(lambda: self.export())
        e.open_file_button.clicked.connect(lambda: self._open(self.last_report))
        e.open_dir_button.clicked.connect(
            lambda: self._open(self.last_report.parent if self.last_report else None)
        )
        clear_hint_on(e.message, e.path_edit.textChanged, text=REPORT_CONTENTS)
        self.field_combo.currentIndexChanged.connect(self._field_changed)
        self.save_chart_button.clicked.connect(lambda: self.save_chart())
        self.tabs.currentChanged.connect(lambda _i: self._refresh())
        self.state.listChanged.connect(self._list_changed)
        self.state.analysisReady.connect(self._analysis_ready)

    # --- charts --------------------------------------------------------------------------------
    def _list_changed(self) -> None:
        result = self.state.result
        if result is None:
            return
        from core.marketing import crosstab_choices

        choices = [(text, key) for key, text in crosstab_choices(result.customers)]
        refill_combo(self.field_combo, [(NO_CROSSTAB, ""), *choices],
                     select=choices[0][1] if choices else "")  # fmt: skip
        folder = output_folder(self.settings, result.source)
        self.path_edit.setText(str(folder / f"{result.source.stem}_分析报表.xlsx"))
        self.last_report = None
        self.export_panel.set_opened(False)
        self._stale = {key for key, _t, _n in CHARTS}

    def _analysis_ready(self, _analysis: Analysis) -> None:
        self._stale = {key for key, _t, _n in CHARTS}
        self._refresh()

    def _field_changed(self) -> None:
        self._stale.add("crosstab")
        self._refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._refresh()

    def figure(self, kind: str) -> Any:
        """The chart as it goes into the report (None when it cannot be drawn)."""
        from core.marketing import crosstab
        from core.reporting import chart_for

        analysis = self.state.analysis
        if analysis is None:
            return None
        customers = analysis.inputs.customers
        table, label = None, ""
        if kind == "crosstab":
            key = self.field_combo.currentData()
            if not key:
                return None
            table = crosstab(customers, analysis.scheme, key, totals=False)
            label = self.field_combo.currentText()
        return chart_for(kind, customers, analysis.summary, table, by_label=label)

    def _refresh(self) -> None:
        """Draw the chart of the tab on screen if it is out of date (the others when their
        tab is chosen: one chart at a time keeps the window responsive)."""
        from core.base import UserError

        if not self._stale or not self.isVisible() or self.state.analysis is None:
            return
        self.tabs.ensure_canvases()
        key, text, _name = CHARTS[self.tabs.currentIndex()]
        if key not in self._stale:
            return
        self._stale.discard(key)
        problem = ""
        try:
            fig = self.figure(key)
        except UserError as err:
            problem, fig = f"{text}：{err.message}", None
        if fig is None:
            self.canvases[key].clear()
        else:
            self.canvases[key].show_figure(fig)
        if key == "crosstab" and not self.field_combo.currentData():
            problem = "交叉分析：请在上面选择一个维度（行业、网格…）。"
        self.chart_message.setText(problem)

    def save_chart(self, path: str | None = None) -> Path | None:
        from core.base import UserError
        from core.reporting import PRINT_DPI, save_figure
        from ui.render.fonts import require_chinese_fonts

        key = CHARTS[self.tabs.currentIndex()][0]
        try:
            require_chinese_fonts(letters=False)
            fig = self.figure(key)
        except UserError as err:
            QMessageBox.warning(self, "无法保存图表", f"{err.message}\n\n{err.hint}")
            return None
        if fig is None:
            return None
        if path is None:
            name = CHARTS[self.tabs.currentIndex()][1]
            start = str(Path(self.settings.last_dir) / f"{name}.png")
            path, _ = QFileDialog.getSaveFileName(self, "保存图表", start, IMAGE_FILTERS)
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() not in (".png", ".pdf", ".svg"):
            target = target.with_suffix(".png")
        try:
            dpi = PRINT_DPI if target.suffix.lower() == ".png" else None
            saved = save_figure(fig, target, dpi=dpi, force=target.exists())
        except UserError as err:
            QMessageBox.warning(self, "无法保存图表", f"{err.message}\n\n{err.hint}")
            return None
        self.services.messages.say(f"图表已保存：{saved}")
        return saved

    # --- the workbook --------------------------------------------------------------------------
    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel 报表", self.path_edit.text(),
                                              "Excel 工作簿 (*.xlsx)")  # fmt: skip
        if path:
            self.path_edit.setText(path if path.lower().endswith(".xlsx") else f"{path}.xlsx")
            self._confirmed = path  # the save dialog asked about replacing it already

    def export(self, force: bool = False) -> Worker | None:
        """Write the report to the path in the box (asks before replacing a file)."""
        from core.base import UserError
        from ui.render.fonts import require_chinese_fonts

        analysis, result = self.state.analysis, self.state.result
        text = self.path_edit.text().strip()
        if analysis is None or result is None or self.worker is not None:
            return None
        if not text:
            self._say("请先填写报表的保存位置，例如 D:\\扫场\\报表.xlsx。", error=True)
            return None
        path = Path(text).expanduser()
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
            self.path_edit.setText(str(path))
        if path.exists() and not force and getattr(self, "_confirmed", None) != str(path):
            answer = QMessageBox.question(self, "文件已存在", f"{path.name} 已经存在，要覆盖吗？")
            if answer != QMessageBox.StandardButton.Yes:
                self._say("没有导出：文件已存在。请换一个文件名，或确认覆盖。", error=True)
                return None
        force = force or path.exists()
        try:
            require_chinese_fonts(letters=False)
        except UserError as err:
            self._say(f"{err.message}{err.hint}", error=True)
            return None
        by = self.field_combo.currentData() or ""
        title = result.source.stem
        campaign = self.state.campaign
        self.worker = self.services.jobs.run(
            self, _report_job, str(path), analysis, by, title, result.source.name, result, force,
            str(campaign.path) if campaign is not None else None,
            title="导出报表", text=f"正在写 {path.name}…", finished=self._exported,
            failed=lambda text: self._say(text, error=True),
            cancelled=lambda: self._say("已取消，没有留下文件。", error=False),
            done=self._done, failed_title="报表没有导出",
            hint="没有留下半个文件。请重试；如果一再出现，请联系技术支持。",
        )  # fmt: skip
        self.export_button.setEnabled(False)
        self.settings.last_dir = str(path.parent)
        return self.worker

    def _exported(self, path: Path) -> None:
        self.last_report = Path(path)
        self.export_panel.set_opened(True)
        self._say(f"报表已导出：{path}", error=False)
        self.services.messages.say(f"报表已导出：{path}", 10_000)
        self.result_dialog = show_result(self, "报表已导出", f"Excel 报表已保存为 {path}",
                                         file=Path(path), details=REPORT_CONTENTS)  # fmt: skip

    def _done(self) -> None:
        self.worker = None
        self._confirmed = None
        self.export_button.setEnabled(True)

    def _say(self, text: str, error: bool) -> None:
        show_hint(self.message, text, error)

    def _open(self, path: Path | None) -> None:
        open_in_system(path)
