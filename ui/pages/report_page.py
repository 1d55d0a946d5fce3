"""报表: the charts that go into the report, and the Excel report itself.

Four charts drawn by the core's chart functions (价值金字塔, 二八曲线, 各档占比, 交叉分析
by a second field), each can be saved as PNG (300 dpi for print), PDF or SVG. The path
box (``reportPathEdit``, used as typed) and ``exportReportButton`` write the same
workbook as ``report --out`` on a worker thread with progress and 取消; then 打开文件 and
打开文件夹. An existing file is replaced only after asking.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.progress_dialog import JobProgressDialog
from ui.widgets.common import hint_label, named, output_folder, show_hint
from ui.workers import Worker

if TYPE_CHECKING:
    from core.marketing import Analysis
    from ui.settings import Settings
    from ui.state import AppState

CHARTS = (("pyramid", "价值金字塔", "pyramidReportCanvas"), ("pareto", "二八曲线", "paretoReportCanvas"),
          ("bands", "各档占比", "bandsReportCanvas"),
          ("crosstab", "交叉分析", "crosstabReportCanvas"))  # fmt: skip
CROSS_FIELDS = (("", "（不做交叉分析）"), ("industry", "行业"), ("grid", "网格"), ("market", "聚类市场"),
                ("manager", "客户经理"), ("package", "当前套餐"))  # fmt: skip
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


class ReportPage(QWidget):
    def __init__(self, state: AppState, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "reportPage", "报表")
        self.state = state
        self.settings = settings
        self.worker: Worker | None = None
        self.last_report: Path | None = None
        self.canvases: dict[str, Any] = {}
        self._dirty = True

        self.field_combo = named(QComboBox(), "reportCrossField", "交叉分析维度")
        self.field_combo.currentIndexChanged.connect(self._field_changed)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(lambda _i: self._refresh())
        self.save_chart_button = named(QPushButton("保存图表…"), "saveChartButton", "保存图表")
        self.save_chart_button.setToolTip("把当前图表保存为 PNG（300 dpi，适合打印）、PDF 或 SVG")
        self.save_chart_button.clicked.connect(lambda: self.save_chart())
        chart_bar = QHBoxLayout()
        chart_bar.addWidget(QLabel("交叉分析按："))
        chart_bar.addWidget(self.field_combo)
        chart_bar.addStretch(1)
        chart_bar.addWidget(self.save_chart_button)
        self.chart_message = hint_label("")

        self.path_edit = named(QLineEdit(), "reportPathEdit", "报表文件")
        self.path_edit.setPlaceholderText("例如 D:\\扫场\\城东市场报表.xlsx")
        browse = named(QPushButton("浏览…"), "browseReportButton", "选择报表文件")
        browse.clicked.connect(self.choose_path)
        self.export_button = named(QPushButton("导出 Excel 报表"), "exportReportButton", "导出报表")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda: self.export())
        self.open_file_button = named(QPushButton("打开文件"), "openReportButton", "打开报表")
        self.open_file_button.clicked.connect(lambda: self._open(self.last_report))
        self.open_dir_button = named(QPushButton("打开文件夹"), "openReportFolderButton",
                                     "打开报表所在文件夹")  # fmt: skip
        self.open_dir_button.clicked.connect(
            lambda: self._open(self.last_report.parent if self.last_report else None)
        )
        for button in (self.open_file_button, self.open_dir_button):
            button.setEnabled(False)
        self.message = named(hint_label("报表包括：汇总（含金字塔图）、分档统计（含图表）、客户明细、"
                                        "交叉分析、导入问题，打开营销活动时还有走访结果；"
                                        "每张表都已设好 A4 打印。"),
                             "reportMessage", "报表结果")  # fmt: skip
        box = QGroupBox("Excel 报表")
        lay = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel("保存为："))
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_file_button)
        buttons.addWidget(self.open_dir_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        lay.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(box)
        layout.addLayout(chart_bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.chart_message)
        for _key, text, _name in CHARTS:
            tab = QWidget()
            QVBoxLayout(tab).setContentsMargins(0, 4, 0, 0)
            self.tabs.addTab(tab, text)
        state.listChanged.connect(self._list_changed)
        state.analysisReady.connect(self._analysis_ready)
        if state.has_list:
            self._list_changed()

    # --- charts --------------------------------------------------------------------------------
    def _list_changed(self) -> None:
        result = self.state.result
        if result is None:
            return
        customers = result.customers
        self.field_combo.blockSignals(True)
        self.field_combo.clear()
        for key, text in CROSS_FIELDS:
            if not key or (key in customers.columns and customers[key].notna().any()):
                self.field_combo.addItem(text, key)
        self.field_combo.setCurrentIndex(min(1, self.field_combo.count() - 1))
        self.field_combo.blockSignals(False)
        folder = output_folder(self.settings, result.source)
        self.path_edit.setText(str(folder / f"{result.source.stem}_分析报表.xlsx"))
        self.last_report = None
        for button in (self.open_file_button, self.open_dir_button):
            button.setEnabled(False)
        self._dirty = True

    def _analysis_ready(self, _analysis: Analysis) -> None:
        self._dirty = True
        self._refresh()

    def _field_changed(self) -> None:
        self._dirty = True
        self._refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._refresh()

    def _ensure_canvases(self) -> None:
        if self.canvases:
            return
        from ui.widgets.chart_canvas import ChartCanvas

        for i, (key, text, name) in enumerate(CHARTS):
            canvas = ChartCanvas(name, f"{text}图", self.tabs.widget(i))
            self.tabs.widget(i).layout().addWidget(canvas)
            self.canvases[key] = canvas

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
        from core.base import UserError

        if not self._dirty or not self.isVisible() or self.state.analysis is None:
            return
        self._ensure_canvases()
        self._dirty = False
        problems = []
        for key, text, _name in CHARTS:
            try:
                fig = self.figure(key)
            except UserError as err:
                problems.append(f"{text}：{err.message}")
                fig = None
            if fig is None:
                self.canvases[key].clear()
            else:
                self.canvases[key].show_figure(fig)
        if not self.field_combo.currentData():
            problems.append("交叉分析：请在上面选择一个维度（行业、网格…）。")
        self.chart_message.setText("\n".join(problems))

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
        self.window().statusBar().showMessage(f"图表已保存：{saved}", 8000)
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
        worker = Worker(_report_job, str(path), analysis, by, title, result.source.name, result,
                        force, str(campaign.path) if campaign is not None else None)  # fmt: skip
        worker.signals.finished.connect(self._exported)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(lambda: self._say("已取消，没有留下文件。", error=False))
        worker.signals.done.connect(self._done)
        JobProgressDialog(worker, "导出报表", f"正在写 {path.name}…", self)
        self.worker = worker
        self.export_button.setEnabled(False)
        self.window().tasks.submit(worker)
        self.settings.last_dir = str(path.parent)
        return worker

    def _exported(self, path: Path) -> None:
        self.last_report = Path(path)
        for button in (self.open_file_button, self.open_dir_button):
            button.setEnabled(True)
        self._say(f"报表已导出：{path}", error=False)
        self.window().statusBar().showMessage(f"报表已导出：{path}", 10_000)

    def _failed(self, error: BaseException) -> None:
        message = getattr(error, "message", "") or f"导出时出现意外错误（{type(error).__name__}）。"
        hint = (
            getattr(error, "hint", "") or "没有留下半个文件。请重试；如果一再出现，请联系技术支持。"
        )
        self._say(f"{message}{hint}", error=True)
        QMessageBox.warning(self, "报表没有导出", f"{message}\n\n{hint}")

    def _done(self) -> None:
        self.worker = None
        self._confirmed = None
        self.export_button.setEnabled(True)

    def _say(self, text: str, error: bool) -> None:
        show_hint(self.message, text, error)

    def _open(self, path: Path | None) -> None:
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
