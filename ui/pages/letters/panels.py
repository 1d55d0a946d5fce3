"""The 建议书与反馈表 page's panels: what and for whom, the files, printing, the preview.

Panels build the controls and show; the page (``ui.pages.letters.page``) decides.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
)

from ui.widgets.common import hint_label, named, row

KINDS = (("客户建议书", "建议书"), ("信息反馈表", "反馈表"))
ALL, BY_BAND, BY_TAG, SELECTED = "all", "bands", "tag", "selected"
SCOPES = ((ALL, "全部客户"), (BY_BAND, "按档位"), (BY_TAG, "按标签"),
          (SELECTED, "客户清单中选中的客户"))  # fmt: skip
FORMATS = (("pdf", "PDF"), ("docx", "Word"), ("both", "PDF 和 Word"))
COMBINED_TEXT = "另外生成一个合并的 PDF，方便一次打印"


class AudiencePanel(QGroupBox):
    """内容和对象: ``letterKind``, ``letterScope`` with its details, and ``letterCount``."""

    kind_changed = Signal()
    scope_changed = Signal()  # the scope or its details (bands, tag)

    def __init__(self) -> None:
        super().__init__("内容和对象")
        self.kind_combo = named(QComboBox(), "letterKind", "文件种类")
        for text, kind in KINDS:
            self.kind_combo.addItem(text, kind)
        self.scope_combo = named(QComboBox(), "letterScope", "生成对象")
        for key, text in SCOPES:
            self.scope_combo.addItem(text, key)
        self.band_list = named(QListWidget(), "letterBands", "选择档位")
        self.tag_combo = named(QComboBox(), "letterTag", "选择标签")
        self.selected_hint = hint_label(
            "在“客户清单”里选中客户（按住 Ctrl 或 Shift 多选），再回到这里。"
        )
        self.details = {BY_BAND: self.band_list, BY_TAG: self.tag_combo,
                        SELECTED: self.selected_hint}  # fmt: skip
        self.count_label = named(QLabel(), "letterCount", "客户数")
        self.count_label.setWordWrap(True)
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        form = QFormLayout(self)
        form.addRow("生成：", self.kind_combo)
        form.addRow("对象：", self.scope_combo)
        for widget in self.details.values():
            form.addRow("", widget)
            widget.setVisible(False)
        form.addRow("", self.count_label)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.kind_changed.emit())
        self.scope_combo.currentIndexChanged.connect(self._scope_changed)
        self.band_list.itemChanged.connect(lambda _i: self.scope_changed.emit())
        self.tag_combo.currentIndexChanged.connect(lambda _i: self.scope_changed.emit())

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def scope(self) -> str:
        return str(self.scope_combo.currentData())

    def _scope_changed(self) -> None:
        for key, widget in self.details.items():
            widget.setVisible(key == self.scope)
        self.scope_changed.emit()

    def checked_bands(self) -> list[str]:
        items = (self.band_list.item(i) for i in range(self.band_list.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def show_bands(self, labels: list[str]) -> None:
        """The scheme's bands, checked as before (all when none was)."""
        checked = set(self.checked_bands())
        self.band_list.blockSignals(True)
        self.band_list.clear()
        for label in labels:
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = label in checked or not checked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.band_list.addItem(item)
        self.band_list.setMaximumHeight(self.band_list.sizeHintForRow(0) * 6 + 8)
        self.band_list.blockSignals(False)

    def check_bands(self, bands: list[str]) -> None:
        for i in range(self.band_list.count()):
            item = self.band_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in bands
                               else Qt.CheckState.Unchecked)  # fmt: skip


class FilesPanel(QGroupBox):
    """生成文件: ``outputFolderEdit``, PDF/Word/both, the combined PDF, ``generateButton``."""

    browse_requested = Signal()

    def __init__(self) -> None:
        super().__init__("生成文件")
        self.folder_edit = named(QLineEdit(), "outputFolderEdit", "保存到文件夹")
        self.folder_edit.setPlaceholderText("例如 D:\\扫场\\城东市场")
        browse = named(QPushButton("浏览…"), "browseFolderButton", "选择文件夹")
        browse.clicked.connect(self.browse_requested)
        self.format_group = QButtonGroup(self)
        radios = []
        for i, (key, text) in enumerate(FORMATS):
            radio = named(QRadioButton(text), f"format_{key}", text)
            radio.setProperty("format", key)
            self.format_group.addButton(radio, i)
            radios.append(radio)
        radios[0].setChecked(True)
        self.combined_check = named(QCheckBox(COMBINED_TEXT), "combinedCheck", "合并打印文件")
        self.combined_check.setChecked(True)
        self.generate_button = named(QPushButton("生成文件"), "generateButton", "生成文件")
        self.generate_button.setDefault(True)
        self.open_folder_button = named(QPushButton("打开文件夹"), "openFolderButton", "打开文件夹")
        self.open_folder_button.setEnabled(False)
        self.result_label = named(hint_label(""), "generateResult", "生成结果")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("保存到文件夹："))
        folder = row(self.folder_edit, browse)
        folder.setStretch(0, 1)
        lay.addLayout(folder)
        lay.addLayout(row(*radios, stretch=True))
        lay.addWidget(self.combined_check)
        lay.addLayout(row(self.generate_button, self.open_folder_button, stretch=True))
        lay.addWidget(self.result_label)

    @property
    def formats(self) -> tuple[str, ...]:
        fmt = self.format_group.checkedButton().property("format")
        return ("pdf", "docx") if fmt == "both" else (fmt,)


class PrintPanel(QGroupBox):
    """打印: ``printButton`` (the system dialog, all chosen customers) and 打印预览."""

    def __init__(self) -> None:
        super().__init__("打印")
        self.print_button = named(QPushButton("打印…"), "printButton", "打印")
        self.print_button.setToolTip("用系统的打印对话框选择打印机，一次打印所选客户（Ctrl+P）")
        self.preview_button = named(QPushButton("打印预览…"), "printPreviewButton", "打印预览")
        self.setLayout(row(self.print_button, self.preview_button, stretch=True))


class PreviewTabs(QTabWidget):
    """预览 (``letterPreview``, the real page) and 模板 (the template editor)."""

    def __init__(self, last_dir: object) -> None:
        from ui.widgets.letter_preview import LetterPreview
        from ui.widgets.template_editor import TemplateEditor

        super().__init__()
        self.setDocumentMode(True)
        self.preview = LetterPreview()
        self.editor = TemplateEditor(last_dir)
        self.addTab(self.preview, "预览")
        self.addTab(self.editor, "模板")
