"""建议书与反馈表: choose what and for whom, preview, edit the template, print, save files.

Left: ``letterKind`` (客户建议书 / 信息反馈表), ``letterScope`` (全部客户, 按档位, 按标签, the
customers selected in the list) with the count shown before anything is made, the
output folder (``outputFolderEdit``, used as typed), PDF / Word / both, the combined
print file, ``generateButton`` and ``printButton``. Right: ``letterPreview`` (the real
page, 上一位/下一位, zoom) and the template editor. Files are written by the same
``ui.render.generate.generate`` as ``proposals``/``sheets`` (same names, same folders),
on a worker thread with progress and 取消; printing runs on a worker thread too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.progress_dialog import JobProgressDialog
from ui.widgets.common import hint_label, named, output_folder, section_title, show_hint
from ui.widgets.letter_preview import LetterPreview
from ui.widgets.template_editor import TemplateEditor
from ui.workers import Worker

if TYPE_CHECKING:
    import pandas as pd

    from core.marketing import Analysis
    from ui.settings import Settings
    from ui.state import AppState

KINDS = (("客户建议书", "建议书"), ("信息反馈表", "反馈表"))
ALL, BY_BAND, BY_TAG, SELECTED = "all", "bands", "tag", "selected"
SCOPES = ((ALL, "全部客户"), (BY_BAND, "按档位"), (BY_TAG, "按标签"),
          (SELECTED, "客户清单中选中的客户"))  # fmt: skip
FORMATS = (("pdf", "PDF"), ("docx", "Word"), ("both", "PDF 和 Word"))


def _generate_job(letters: Any, out: str, kind: str, formats: tuple[str, ...], combined: bool,
                  force: bool, progress: Any) -> Any:  # fmt: skip
    from ui.render.generate import generate

    return generate(letters, out, kind, formats, combined=combined, force=force,
                    progress=progress)  # fmt: skip


class LettersPage(QWidget):
    def __init__(self, state: AppState, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "lettersPage", "建议书与反馈表")
        self.state = state
        self.settings = settings
        self.worker: Worker | None = None
        self.last_outputs: Any = None
        self._letters: Any = []
        self._stale = True  # the choice changed while the page was hidden
        self._chosen_at_start: Any = None

        self.kind_combo = named(QComboBox(), "letterKind", "文件种类")
        for text, kind in KINDS:
            self.kind_combo.addItem(text, kind)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.scope_combo = named(QComboBox(), "letterScope", "生成对象")
        for key, text in SCOPES:
            self.scope_combo.addItem(text, key)
        self.scope_combo.currentIndexChanged.connect(self._scope_changed)
        self.band_list = named(QListWidget(), "letterBands", "选择档位")
        self.band_list.itemChanged.connect(lambda _i: self.refresh_selection())
        self.tag_combo = named(QComboBox(), "letterTag", "选择标签")
        self.tag_combo.currentIndexChanged.connect(lambda _i: self.refresh_selection())
        self.selected_hint = hint_label(
            "在“客户清单”里选中客户（按住 Ctrl 或 Shift 多选），再回到这里。"
        )
        self.scope_details = {BY_BAND: self.band_list, BY_TAG: self.tag_combo,
                              SELECTED: self.selected_hint}  # fmt: skip
        self.count_label = named(QLabel(), "letterCount", "客户数")
        self.count_label.setWordWrap(True)
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        who = QGroupBox("内容和对象")
        form = QFormLayout(who)
        form.addRow("生成：", self.kind_combo)
        form.addRow("对象：", self.scope_combo)
        for widget in self.scope_details.values():
            form.addRow("", widget)
            widget.setVisible(False)
        form.addRow("", self.count_label)

        self.folder_edit = named(QLineEdit(), "outputFolderEdit", "保存到文件夹")
        self.folder_edit.setPlaceholderText("例如 D:\\扫场\\城东市场")
        browse = named(QPushButton("浏览…"), "browseFolderButton", "选择文件夹")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        self.format_group = QButtonGroup(self)
        format_row = QHBoxLayout()
        for i, (key, text) in enumerate(FORMATS):
            radio = named(QRadioButton(text), f"format_{key}", text)
            radio.setProperty("format", key)
            self.format_group.addButton(radio, i)
            format_row.addWidget(radio)
        self.format_group.button(0).setChecked(True)
        format_row.addStretch(1)
        self.combined_check = named(QCheckBox("另外生成一个合并的 PDF，方便一次打印"), "combinedCheck",
                                    "合并打印文件")  # fmt: skip
        self.combined_check.setChecked(True)
        self.generate_button = named(QPushButton("生成文件"), "generateButton", "生成文件")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(lambda: self.generate())
        self.open_folder_button = named(QPushButton("打开文件夹"), "openFolderButton", "打开文件夹")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.setEnabled(False)
        self.result_label = named(hint_label(""), "generateResult", "生成结果")
        files = QGroupBox("生成文件")
        flay = QVBoxLayout(files)
        flay.addWidget(QLabel("保存到文件夹："))
        flay.addLayout(folder_row)
        flay.addLayout(format_row)
        flay.addWidget(self.combined_check)
        brow = QHBoxLayout()
        brow.addWidget(self.generate_button)
        brow.addWidget(self.open_folder_button)
        brow.addStretch(1)
        flay.addLayout(brow)
        flay.addWidget(self.result_label)

        self.print_button = named(QPushButton("打印…"), "printButton", "打印")
        self.print_button.setToolTip("用系统的打印对话框选择打印机，一次打印所选客户（Ctrl+P）")
        self.print_button.clicked.connect(lambda: self.print_letters())
        self.preview_button = named(QPushButton("打印预览…"), "printPreviewButton", "打印预览")
        self.preview_button.clicked.connect(self.print_preview)
        printing = QGroupBox("打印")
        prow = QHBoxLayout(printing)
        prow.addWidget(self.print_button)
        prow.addWidget(self.preview_button)
        prow.addStretch(1)

        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 6, 0)
        left_lay.addWidget(who)
        left_lay.addWidget(files)
        left_lay.addWidget(printing)
        left_lay.addStretch(1)

        self.preview = LetterPreview()
        self.editor = TemplateEditor(lambda: self.settings.last_dir)
        self.editor.template_changed.connect(self._template_changed)
        self.right_tabs = QTabWidget()
        self.right_tabs.setDocumentMode(True)
        self.right_tabs.addTab(self.preview, "预览")
        self.right_tabs.addTab(self.editor, "模板")
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(6, 0, 0, 0)
        rlay.addWidget(section_title("预览（与打印、PDF 完全一样）"))
        rlay.addWidget(self.right_tabs, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 900])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(split)

        self.template: Any = None  # the editor's valid template; None: built-in
        state.analysisReady.connect(self._analysis_ready)
        state.listChanged.connect(self._list_changed)
        state.selectionChanged.connect(self._selection_changed)
        if state.has_list:
            self._list_changed()

    # --- what and for whom ---------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _list_changed(self) -> None:
        result = self.state.result
        if result is None:
            return
        stem = result.source.stem
        folder = output_folder(self.settings, result.source)
        if not self.folder_edit.text() or getattr(self, "_auto_folder", False):
            self.folder_edit.setText(str(folder / f"{stem}_扫场材料"))
            self._auto_folder = True
        self.template = None
        self._known = None

    def _analysis_ready(self, analysis: Analysis) -> None:
        from core.marketing import TAG_NAMES

        checked = {self.band_list.item(i).text() for i in range(self.band_list.count())
                   if self.band_list.item(i).checkState() == Qt.CheckState.Checked}  # fmt: skip
        self.band_list.blockSignals(True)
        self.band_list.clear()
        for label in analysis.scheme.labels:
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = label in checked or not checked
            item.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)
            self.band_list.addItem(item)
        self.band_list.setMaximumHeight(self.band_list.sizeHintForRow(0) * 6 + 8)
        self.band_list.blockSignals(False)
        if self.tag_combo.count() == 0:
            self.tag_combo.addItems(list(TAG_NAMES.values()))
        self.editor.set_context(self.kind, self._known_fields(analysis))
        self.refresh_selection()

    def _known_fields(self, analysis: Analysis) -> list[str]:
        from core.documents import known_fields

        return known_fields(analysis.offers)

    def _kind_changed(self) -> None:
        self.template = None
        analysis = self.state.analysis
        if analysis is not None:
            self.editor.set_context(self.kind, self._known_fields(analysis))
        self.combined_check.setText("另外生成一个合并的 PDF，方便一次打印")
        self.refresh_selection()

    def _scope_changed(self) -> None:
        scope = self.scope_combo.currentData()
        for key, widget in self.scope_details.items():
            widget.setVisible(key == scope)
        self.refresh_selection()

    def _selection_changed(self) -> None:
        if self.scope_combo.currentData() == SELECTED:
            self.refresh_selection()

    def set_scope(self, scope: str, bands: list[str] | None = None, tag: str = "") -> None:
        """Choose the customers as a user would with the controls (tests, the 走访 page)."""
        self.scope_combo.setCurrentIndex(self.scope_combo.findData(scope))
        if bands is not None:
            for i in range(self.band_list.count()):
                item = self.band_list.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.text() in bands
                                   else Qt.CheckState.Unchecked)  # fmt: skip
        if tag:
            self.tag_combo.setCurrentText(tag)
        self.refresh_selection()

    def chosen(self) -> pd.DataFrame | None:
        """The offers of the customers the letters are for (only those with an offer)."""
        analysis = self.state.analysis
        if analysis is None:
            return None
        offers = analysis.offers
        scope = self.scope_combo.currentData()
        mask = offers["offer_package"].notna().to_numpy(dtype=bool, copy=True)
        if scope == BY_BAND:
            bands = [self.band_list.item(i).text() for i in range(self.band_list.count())
                     if self.band_list.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip
            mask &= offers["band"].astype("object").isin(bands).to_numpy(dtype=bool)
        elif scope == BY_TAG and "tags" in offers.columns:
            tags = offers["tags"].astype("string")
            tag = self.tag_combo.currentText()
            mask &= tags.str.contains(tag, regex=False, na=False).to_numpy(dtype=bool)
        elif scope == SELECTED:
            picked = np.zeros(len(offers), dtype=bool)
            picked[[r for r in self.state.selected_rows if 0 <= r < len(offers)]] = True
            mask &= picked
        return offers if mask.all() else offers[mask]  # one copy at most, in list order

    def letters(self) -> Any:
        """The letters of the current choice (built as they are read; see LetterBatch)."""
        from core.base import load_settings
        from core.documents import LetterBatch

        chosen = self.chosen()
        if chosen is None or chosen.empty:
            return []
        settings = load_settings()
        return LetterBatch(chosen, self.kind, self.template, settings, dt.date.today(),
                           unmask=not settings.mask_phone)  # fmt: skip

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh_selection()

    def refresh_selection(self) -> None:
        """Recount and re-preview the chosen customers (now if shown, else when shown)."""
        from core.base import UserError

        if not self.isVisible():
            self._stale = True
            return
        self._stale = False

        title = self.kind_combo.currentText()
        try:
            self._letters = self.letters()
        except UserError as err:  # a template that does not fit this list
            self._letters = []
            self.count_label.setText(f"{err.message}{err.hint}")
            self._enable(False)
            return
        n = len(self._letters)
        analysis = self.state.analysis
        skipped = 0
        if analysis is not None and self.scope_combo.currentData() == ALL:
            skipped = int(analysis.offers["offer_package"].isna().sum())
        text = f"共 {n:,} 位客户，将生成 {n:,} 份《{title}》"
        if skipped:
            text += f"（另有 {skipped:,} 位未分档的客户没有推荐，不生成）"
        if n == 0:
            text = "没有符合条件的客户。" + ("请先在“客户清单”里选中客户。"
                                             if self.scope_combo.currentData() == SELECTED else "")  # fmt: skip
        self.count_label.setText(text)
        self.preview.empty_text = text
        self.preview.set_letters(self._letters, 0)
        self._enable(n > 0)

    def _enable(self, ok: bool) -> None:
        busy = self.worker is not None
        for button in (self.generate_button, self.print_button, self.preview_button):
            button.setEnabled(ok and not busy)

    def _template_changed(self, template: Any) -> None:
        if (
            template is not None
            and self.template is not None
            and (template.source == self.template.source)
        ):
            return  # the same text checked again (a new list): nothing to redo
        self.template = template
        self.refresh_selection()

    # --- files ---------------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存的文件夹", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)
            self._auto_folder = False

    def generate(self, force: bool = False) -> Worker | None:
        """Write the files into the folder typed in the box (asks before replacing any)."""
        from core.base import OutputExists, UserError
        from ui.render.fonts import require_chinese_fonts
        from ui.render.generate import check_outputs, plan

        letters = self._letters
        text = self.folder_edit.text().strip()
        if not letters or self.worker is not None:
            return None
        if not text:
            self._message("请先填写保存文件的文件夹。", error=True)
            return None
        out = Path(text).expanduser()
        fmt = self.format_group.checkedButton().property("format")
        formats = ("pdf", "docx") if fmt == "both" else (fmt,)
        combined = self.combined_check.isChecked()
        try:
            require_chinese_fonts(charts=False)
            check_outputs(plan(letters, out, self.kind, formats, combined), force)
        except OutputExists as err:
            answer = QMessageBox.question(
                self, "文件已存在", f"{err.message}\n\n要覆盖这些文件吗？选“否”可以换一个文件夹。",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )  # fmt: skip
            if answer == QMessageBox.StandardButton.Yes:
                return self.generate(force=True)
            self._message(
                "没有生成：文件夹里已有同名文件。请换一个文件夹，或确认覆盖。", error=True
            )
            return None
        except UserError as err:
            self._message(f"{err.message}{err.hint}", error=True)
            return None
        self._chosen_at_start = self.chosen()  # for the campaign's log when the files are done
        worker = Worker(_generate_job, letters, str(out), self.kind, formats, combined, force)
        worker.signals.finished.connect(self._generated)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(lambda: self._message(
            "已取消，没有留下任何文件。", error=False))  # fmt: skip
        worker.signals.done.connect(self._job_done)
        title = self.kind_combo.currentText()
        JobProgressDialog(worker, f"生成{title}", f"正在生成 {len(letters):,} 份{title}…", self)
        self.worker = worker
        self._enable(False)
        self.window().tasks.submit(worker)
        self.settings.last_dir = str(out.parent)
        return worker

    def _generated(self, outputs: Any) -> None:
        self.last_outputs = outputs
        self.open_folder_button.setEnabled(True)
        where = outputs.folder.parent
        logged = self._log_in_campaign(outputs)
        self._message(f"已生成 {outputs.count:,} 个文件，保存在 {where}。{logged}", error=False)
        self.window().statusBar().showMessage(f"已生成 {outputs.count:,} 个文件：{where}", 10_000)

    def _log_in_campaign(self, outputs: Any) -> str:
        """Record the letters in the open campaign (which customer got which file)."""
        from core.base import UserError
        from core.campaign import log_letters, logged_text

        campaign, chosen = self.state.campaign, self._chosen_at_start
        if campaign is None or chosen is None:
            return ""
        name = self.template.name if self.template is not None else f"内置{self.kind}模板"
        per_customer = len({p.suffix for p in outputs.files}) or 1
        try:
            logged, missing = log_letters(campaign.path, chosen, self.kind, name, outputs.files,
                                          per_customer)  # fmt: skip
        except UserError as err:
            return f"（没有记入营销活动：{err.message}）"
        self.state.visitsChanged.emit()
        return logged_text(campaign.path, self.kind, logged, missing)

    def _failed(self, error: BaseException) -> None:
        message = getattr(error, "message", "") or f"生成时出现意外错误（{type(error).__name__}）。"
        hint = (
            getattr(error, "hint", "")
            or "已生成的部分没有保留。请重试；如果一再出现，请联系技术支持。"
        )
        self._message(f"{message}{hint}", error=True)
        QMessageBox.warning(self, "没有生成文件", f"{message}\n\n{hint}")

    def _job_done(self) -> None:
        self.worker = None
        self._enable(bool(self._letters))

    def _message(self, text: str, error: bool) -> None:
        show_hint(self.result_label, text, error)

    def open_folder(self) -> None:
        if self.last_outputs is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_outputs.folder.parent)))

    # --- printing ------------------------------------------------------------------------------
    def print_letters(self, printer: Any = None) -> Worker | None:
        """Print the letters in one job (the system print dialog unless ``printer``)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from core.base import UserError
        from ui.render.fonts import require_chinese_fonts
        from ui.render.printing import print_letters_job

        letters = self._letters
        if not letters or self.worker is not None:
            return None
        try:
            require_chinese_fonts(charts=False)
        except UserError as err:
            self._message(f"{err.message}{err.hint}", error=True)
            return None
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(self.kind_combo.currentText())
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle(f"打印{self.kind_combo.currentText()}（{len(letters):,} 份）")
            dialog.setMinMax(1, len(letters))
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return None
        self._printer = printer  # kept alive while the job runs
        worker = Worker(print_letters_job, printer, letters)
        worker.signals.finished.connect(lambda pages: self._message(
            f"已发送到打印机：{pages:,} 页。", error=False))  # fmt: skip
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(lambda: self._message("已取消打印。", error=False))
        worker.signals.done.connect(self._job_done)
        JobProgressDialog(worker, "打印", f"正在打印 {len(letters):,} 份…", self)
        self.worker = worker
        self._enable(False)
        self.window().tasks.submit(worker)
        return worker

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from ui.render.printing import PREVIEW_LIMIT, preview_pages

        letters = self._letters
        if not letters:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        shown = min(len(letters), PREVIEW_LIMIT)
        more = (
            f"（显示前 {shown} 位，打印时全部 {len(letters):,} 位）" if shown < len(letters) else ""
        )
        dialog.setWindowTitle(f"打印预览 — {self.kind_combo.currentText()}{more}")
        dialog.paintRequested.connect(lambda p: preview_pages(p, letters))
        dialog.resize(900, 800)
        dialog.exec()
