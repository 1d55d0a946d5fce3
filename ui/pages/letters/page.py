"""建议书与反馈表: choose what and for whom, preview, edit the template, print, save files.

Left: ``letterKind`` (客户建议书 / 信息反馈表), ``letterScope`` (全部客户, 按档位, 按标签, the
customers selected in the list) with the count shown before anything is made, the
output folder (``outputFolderEdit``, used as typed), PDF / Word / both, the combined
print file, ``generateButton`` and ``printButton``. Right: ``letterPreview`` (the real
page, 上一位/下一位, zoom) and the template editor. Files are written by the same
``ui.render.generate.generate`` as ``proposals``/``sheets`` (same names, same folders),
on a worker thread with progress and 取消; printing runs on a worker thread too.

Before anything reaches paper (生成文件, 打印…, Ctrl+P) the sender is checked: a 落款单位
that still says ×× or an empty 客户经理/电话 asks 去设置 / 仍然生成 (``settings_requested``
asks the window for the 设置 dialog; the page never reaches for it). The combined print
file is named by who it is for (客户建议书_高端_合并打印.pdf), like the commands name it.
A finished batch is said in a result dialog with 打开文件 / 打开文件夹.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.dialogs.result_dialog import open_in_system, show_result
from ui.pages.letters.panels import (
    ALL,
    BY_BAND,
    BY_TAG,
    COMBINED_TEXT,
    SELECTED,
    AudiencePanel,
    FilesPanel,
    PreviewTabs,
    PrintPanel,
)
from ui.widgets.common import (
    clear_hint_on,
    column,
    named,
    output_folder,
    section_title,
    show_hint,
    two_pane,
)

if TYPE_CHECKING:
    import pandas as pd

    from core.marketing import Analysis
    from ui.services import Services
    from ui.workers import Worker


def _generate_job(letters: Any, out: str, kind: str, formats: tuple[str, ...], combined: bool,
                  force: bool, scope: str, log: Any, progress: Any) -> tuple[Any, str]:  # fmt: skip
    """Write the files; then record them in the open campaign (``log``: its path, the
    customers, the template's name), here on the worker: 10,000 letters are logged in
    seconds, never on the GUI thread. A log that fails keeps the files and says so."""
    from core.base import UserError
    from core.campaign import log_letters, logged_text
    from ui.render.generate import generate

    said: list[str] = []

    def record(outputs: Any) -> None:
        path, chosen, template = log
        per_customer = len({p.suffix for p in outputs.files}) or 1
        try:
            logged, missing = log_letters(path, chosen, kind, template, outputs.files,
                                          per_customer)  # fmt: skip
        except UserError as err:
            said.append(f"（没有记入营销活动：{err.message}）")
        else:
            said.append(logged_text(path, kind, logged, missing))

    outputs = generate(letters, out, kind, formats, combined=combined, force=force,
                       progress=progress, scope=scope, then=record if log else None)  # fmt: skip
    return outputs, "".join(said)


class LettersPage(QWidget):
    settings_requested = Signal()  # 去设置: the window opens the 设置 dialog

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "lettersPage", "建议书与反馈表")
        self.services = services
        self.state, self.settings = services.state, services.settings
        self.worker: Worker | None = None
        self.last_outputs: Any = None
        self.template: Any = None  # the editor's valid template; None: built-in
        self._letters: Any = []
        self._stale = True  # the choice changed while the page was hidden
        self._signed_anyway: Any = None  # the sender the user chose 仍然生成 for
        self.audience, self.files, self.printing = AudiencePanel(), FilesPanel(), PrintPanel()
        self.right_tabs = PreviewTabs(lambda: self.settings.last_dir)
        right = column(section_title("预览（与打印、PDF 完全一样）"), stretch=False)
        right.layout().addWidget(self.right_tabs, 1)
        two_pane(self, column(self.audience, self.files, self.printing), right, (420, 900))
        # the widgets tests and tools reach by name
        a, f, p = self.audience, self.files, self.printing
        self.kind_combo, self.scope_combo, self.count_label = (
            a.kind_combo,
            a.scope_combo,
            a.count_label,
        )
        self.folder_edit, self.combined_check = f.folder_edit, f.combined_check
        self.generate_button, self.open_folder_button = f.generate_button, f.open_folder_button
        self.result_label, self.format_group = f.result_label, f.format_group
        self.print_button, self.preview_button = p.print_button, p.preview_button
        self.preview, self.editor = self.right_tabs.preview, self.right_tabs.editor
        self._connect()
        if self.state.has_list:
            self._list_changed()
        if self.state.analysis is not None:
            self._analysis_ready(self.state.analysis)

    def _connect(self) -> None:
        a, f, p, state = self.audience, self.files, self.printing, self.state
        a.kind_changed.connect(self._kind_changed)
        a.scope_changed.connect(self.refresh_selection)
        f.browse_requested.connect(self.choose_folder)
        f.generate_button.clicked.connect(lambda: self.generate())
        f.open_folder_button.clicked.connect(self.open_folder)
        p.print_button.clicked.connect(lambda: self.print_letters())
        p.preview_button.clicked.connect(self.print_preview)
        self.editor.template_changed.connect(self._template_changed)
        clear_hint_on(self.result_label, f.folder_edit.textChanged, a.kind_changed,
                      a.scope_changed, f.format_group.idClicked, f.combined_check.toggled)  # fmt: skip
        state.analysisReady.connect(self._analysis_ready)
        state.listChanged.connect(self._list_changed)
        state.selectionChanged.connect(self._selection_changed)
        state.settingsChanged.connect(self.refresh_selection)

    # --- what and for whom ---------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.audience.kind

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

        self.audience.show_bands(analysis.scheme.labels)
        if self.audience.tag_combo.count() == 0:
            self.audience.tag_combo.addItems(list(TAG_NAMES.values()))
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
        self.combined_check.setText(COMBINED_TEXT)
        self.refresh_selection()

    def _selection_changed(self) -> None:
        if self.audience.scope == SELECTED:
            self.refresh_selection()

    def set_scope(self, scope: str, bands: list[str] | None = None, tag: str = "") -> None:
        """Choose the customers as a user would with the controls (tests, the 走访 page)."""
        self.scope_combo.setCurrentIndex(self.scope_combo.findData(scope))
        if bands is not None:
            self.audience.check_bands(bands)
        if tag:
            self.audience.tag_combo.setCurrentText(tag)
        self.refresh_selection()

    def chosen(self) -> pd.DataFrame | None:
        """The offers of the customers the letters are for (only those with an offer)."""
        analysis = self.state.analysis
        if analysis is None:
            return None
        offers = analysis.offers
        scope = self.audience.scope
        mask = offers["offer_package"].notna().to_numpy(dtype=bool, copy=True)
        if scope == BY_BAND:
            bands = self.audience.checked_bands()
            mask &= offers["band"].astype("object").isin(bands).to_numpy(dtype=bool)
        elif scope == BY_TAG and "tags" in offers.columns:
            tags = offers["tags"].astype("string")
            tag = self.audience.tag_combo.currentText()
            mask &= tags.str.contains(tag, regex=False, na=False).to_numpy(dtype=bool)
        elif scope == SELECTED:
            picked = np.zeros(len(offers), dtype=bool)
            picked[[r for r in self.state.selected_rows if 0 <= r < len(offers)]] = True
            mask &= picked
        return offers if mask.all() else offers[mask]  # one copy at most, in list order

    def letters(self) -> Any:
        """The letters of the current choice (built as they are read; see LetterBatch)."""
        from core.documents import LetterBatch

        chosen = self.chosen()
        if chosen is None or chosen.empty:
            return []
        settings = self.state.signing_settings()  # an open campaign's own, else the user's
        return LetterBatch(chosen, self.kind, self.template, settings, dt.date.today(),
                           unmask=not settings.mask_phone)  # fmt: skip

    def scope_name(self) -> str:
        """Who the letters are for, as the print file's name says it ("" for everyone)."""
        from ui.render.generate import scope_label

        analysis, scope = self.state.analysis, self.audience.scope
        if scope == BY_BAND and analysis is not None:
            return scope_label(self.audience.checked_bands(), analysis.scheme.labels)
        if scope == BY_TAG:
            return scope_label(tag=self.audience.tag_combo.currentText())
        if scope == SELECTED:
            return scope_label(selected=len(self._letters))
        return ""

    # --- the sender ----------------------------------------------------------------------------
    def _settings_changed(self) -> bool:
        """The letters were built with other sender settings than those saved now (the
        设置 dialog was used): rebuild them, so what is checked is what prints."""
        from core.base import load_settings

        built = getattr(self._letters, "settings", None)
        if built is None or built == load_settings():
            return False
        self.refresh_selection()
        return True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._settings_changed()  # back from the 设置 dialog: the preview follows

    def _signed(self, doing: str, go_on: Any) -> bool:
        """True when the letters' sender is filled in (or the user said 仍然…); else the
        question is asked and ``go_on()`` runs if the user chooses to go on."""
        from core.documents import unsigned
        from ui.dialogs.unsigned_dialog import UnsignedDialog

        self._settings_changed()
        settings = getattr(self._letters, "settings", None)
        missing = unsigned(settings) if settings is not None else []
        sender = None if settings is None else (settings.branch, settings.staff_name,
                                                settings.staff_phone)  # fmt: skip
        if not missing or sender == self._signed_anyway:
            return True
        dialog = UnsignedDialog(missing, doing, self.kind_combo.currentText(), self)
        dialog.settings_wanted.connect(self.settings_requested)

        def anyway() -> None:
            self._signed_anyway = sender
            go_on()

        dialog.go_on.connect(anyway)
        dialog.open()
        self.unsigned_dialog = dialog
        return False

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
        if analysis is not None and self.audience.scope == ALL:
            skipped = int(analysis.offers["offer_package"].isna().sum())
        text = f"共 {n:,} 位客户，将生成 {n:,} 份《{title}》"
        if skipped:
            text += f"（另有 {skipped:,} 位未分档的客户没有推荐，不生成）"
        if n == 0:
            text = "没有符合条件的客户。" + ("请先在“客户清单”里选中客户。"
                                             if self.audience.scope == SELECTED else "")  # fmt: skip
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
        if not self._signed("生成", lambda: self.generate(force)):
            return None
        letters = self._letters  # rebuilt if the sender changed
        out = Path(text).expanduser()
        formats = self.files.formats
        combined = self.combined_check.isChecked()
        scope = self.scope_name()
        try:
            require_chinese_fonts(charts=False)
            check_outputs(plan(letters, out, self.kind, formats, combined, scope), force)
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
        campaign, template = self.state.campaign, self.template
        name = template.name if template is not None else f"内置{self.kind}模板"
        log = (str(campaign.path), self.chosen(), name) if campaign is not None else None
        title = self.kind_combo.currentText()
        self.worker = self.services.jobs.run(
            self, _generate_job, letters, str(out), self.kind, formats, combined, force, scope, log,
            title=f"生成{title}", text=f"正在生成 {len(letters):,} 份{title}…",
            finished=self._generated, failed=lambda text: self._message(text, error=True),
            cancelled=lambda: self._message("已取消，没有留下任何文件。", error=False),
            done=self._job_done, failed_title="没有生成文件",
            hint="已生成的部分没有保留。请重试；如果一再出现，请联系技术支持。",
        )  # fmt: skip
        self._enable(False)
        self.settings.last_dir = str(out.parent)
        return self.worker

    def _generated(self, result: tuple[Any, str]) -> None:
        outputs, logged = result
        self.last_outputs = outputs
        self.open_folder_button.setEnabled(True)
        where = outputs.folder.parent
        if self.state.campaign is not None:
            self.state.visitsChanged.emit()  # the campaign's letters log changed
        self._message(f"已生成 {outputs.count:,} 个文件，保存在 {where}。{logged}", error=False)
        self.services.messages.say(f"已生成 {outputs.count:,} 个文件：{where}", 10_000)
        title = self.kind_combo.currentText()
        each = len({p.stem for p in outputs.files})
        lines = [f"已生成 {each:,} 位客户的《{title}》，每位一个文件，在 {outputs.folder}。"]
        if outputs.combined is not None:
            lines.append(f"合并打印文件：{outputs.combined}")
        self.result_dialog = show_result(
            self, f"{title}已生成", "\n".join(lines), file=outputs.combined,
            folder=outputs.folder.parent, details=logged.strip("（）"),
        )  # fmt: skip

    def _job_done(self) -> None:
        self.worker = None
        self._enable(bool(self._letters))

    def _message(self, text: str, error: bool) -> None:
        show_hint(self.result_label, text, error)

    def open_folder(self) -> None:
        if self.last_outputs is not None:
            open_in_system(self.last_outputs.folder.parent)

    # --- printing ------------------------------------------------------------------------------
    def print_letters(self, printer: Any = None) -> Worker | None:
        """Print the letters in one job (the system print dialog unless ``printer``)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from core.base import UserError
        from ui.render.fonts import require_chinese_fonts
        from ui.render.printing import print_letters_job

        if not self._letters or self.worker is not None:
            return None
        if not self._signed("打印", lambda: self.print_letters(printer)):
            return None
        letters = self._letters
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
        self.worker = self.services.jobs.run(
            self, print_letters_job, printer, letters, title="打印",
            text=f"正在打印 {len(letters):,} 份…",
            finished=lambda pages: self._message(f"已发送到打印机：{pages:,} 页。", error=False),
            failed=lambda text: self._message(text, error=True),
            cancelled=lambda: self._message("已取消打印。", error=False),
            done=self._job_done, failed_title="没有打印",
        )  # fmt: skip
        self._enable(False)
        return self.worker

    def print_preview(self) -> Worker | None:
        """打印预览: the first letters are built on a worker thread, then shown."""
        from PySide6.QtPrintSupport import QPrinter

        from ui.render.printing import preview_job

        letters = self._letters
        if not letters or self.worker is not None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.kind_combo.currentText())
        self.worker = self.services.jobs.run(
            self, preview_job, letters, title="打印预览",
            text="正在准备打印预览…", finished=lambda pages: self._show_preview(printer, pages),
            done=self._job_done, failed_title="无法打印预览",
        )  # fmt: skip
        self._enable(False)
        return self.worker

    def _show_preview(self, printer: Any, prepared: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from ui.render.printing import paint_preview
        from ui.widgets.common import fit_to_screen

        letters = self._letters
        dialog = named(QPrintPreviewDialog(printer, self), "printPreviewDialog", "打印预览")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        more = (f"（显示前 {prepared.letters} 位，打印时全部 {len(letters):,} 位）"
                if prepared.letters < len(letters) else "")  # fmt: skip
        dialog.setWindowTitle(f"打印预览 — {self.kind_combo.currentText()}{more}")
        dialog.paintRequested.connect(lambda p: paint_preview(p, prepared))
        fit_to_screen(dialog, 900, 1000)  # as tall as the screen allows: a whole A4 page
        dialog.open()
        self.preview_dialog = dialog
