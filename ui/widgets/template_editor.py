"""The letter template in an editor pane, with the fields a user can insert.

Opens the built-in template (read-only on disk: it is never overwritten) or a user's
.txt template. Clicking a field in the list inserts ``{字段}`` at the cursor. Every
edit is checked shortly after typing stops (the same check as ``proposals --template``:
unknown fields and bad conditions are named with their line); a valid template is
offered to the page (``template_changed``) and previewed with the current customer.
另存为新模板… writes a .txt next to the user's files, never into the program folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import hint_label, named, show_hint

if TYPE_CHECKING:
    from core.documents import Template

CHECK_DELAY_MS = 500
TXT_FILTER = "模板文本 (*.txt)"


class TemplateEditor(QWidget):
    template_changed = Signal(object)  # a valid Template (None: back to the built-in one)

    def __init__(self, last_dir: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "templateEditor", "模板编辑")
        self.last_dir = last_dir  # callable → folder for file dialogs
        self.kind = "建议书"
        self.path: Path | None = None  # the user's file, None for the built-in template
        self.known: list[str] = []
        self.template: Template | None = None
        self.edit = named(QPlainTextEdit(), "templateEdit", "模板内容")
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.edit.textChanged.connect(lambda: self._timer.start())
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.fields = named(QListWidget(), "templateFields", "可用字段")
        self.fields.itemClicked.connect(self._insert)
        self.fields.setToolTip("点一下，把字段插入到光标处")
        self.source = QLabel()
        self.message = named(hint_label(""), "templateMessage", "模板检查结果")
        buttons = QHBoxLayout()
        for text, name, slot in (
            ("打开模板…", "openTemplateButton", self.open_file),
            ("内置模板", "builtinTemplateButton", self.load_builtin),
            ("检查", "checkTemplateButton", self.check),
            ("另存为新模板…", "saveTemplateButton", self.save_as),
        ):
            button = named(QPushButton(text), name, text)
            button.clicked.connect(lambda _c=False, f=slot: f())
            buttons.addWidget(button)
        buttons.addStretch(1)
        fields_box = QWidget()
        flay = QVBoxLayout(fields_box)
        flay.setContentsMargins(0, 0, 0, 0)
        flay.addWidget(QLabel("字段（点击插入）："))
        flay.addWidget(self.fields, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.edit)
        split.addWidget(fields_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.source)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

    # --- loading -------------------------------------------------------------------------------
    def set_context(self, kind: str, known: list[str]) -> None:
        """The letter kind (建议书/反馈表) and the fields this list has; reloads a built-in."""
        from core.documents import FIELD_HELP

        changed_kind = kind != self.kind
        self.kind = kind
        self.known = known
        self.fields.clear()
        for name in known:
            item = QListWidgetItem(name)
            item.setToolTip(FIELD_HELP.get(name, "清单中的列"))
            self.fields.addItem(item)
        if changed_kind or not self.edit.toPlainText():
            self.load_builtin()
        else:
            self.check()

    def load_builtin(self) -> None:
        from core.documents import builtin_path, read_text

        self.path = None
        self._set_text(
            read_text(builtin_path(self.kind)), f"内置{self.kind}模板（只读：修改后请另存为新模板）"
        )

    def open_file(self, path: str | None = None) -> bool:
        from core.base import UserError
        from core.documents import read_text

        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, "打开模板", str(self.last_dir()), TXT_FILTER
            )
            if not path:
                return False
        try:
            text = read_text(Path(path))
        except (UserError, OSError) as err:
            self._show(getattr(err, "message", str(err)), error=True)
            return False
        self.path = Path(path)
        self._set_text(text, f"模板文件：{path}")
        return True

    def _set_text(self, text: str, source: str) -> None:
        self.source.setText(source)
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        self.check()

    # --- checking ------------------------------------------------------------------------------
    def check(self) -> Template | None:
        """Check the text now; a valid template is offered to the page."""
        from core.base import UserError
        from core.documents import FORBIDDEN_FIELDS, Template

        self._timer.stop()
        name = self.path.name if self.path else f"内置{self.kind}模板"
        try:
            template = Template(self.edit.toPlainText(), name=name)
            template.validate(self.known, FORBIDDEN_FIELDS)
        except UserError as err:
            self.template = None
            self._show(f"{err.message}{err.hint}", error=True)
            return None
        self.template = template
        self._show("模板检查通过，右侧预览已按此模板显示。", error=False)
        self.template_changed.emit(template)
        return template

    def _show(self, text: str, error: bool) -> None:
        show_hint(self.message, text, error)

    def _insert(self, item: QListWidgetItem) -> None:
        self.edit.insertPlainText(f"{{{item.text()}}}")
        self.edit.setFocus()

    # --- saving --------------------------------------------------------------------------------
    def save_as(self, path: str | None = None) -> Path | None:
        """Write the text as a new template file (never over the built-in one)."""
        from core.base import UserError, atomic_write_text, resources_dir

        if self.check() is None:
            return None
        if path is None:
            start = Path(self.last_dir()) / f"我的{self.kind}模板.txt"
            path, _ = QFileDialog.getSaveFileName(self, "另存为新模板", str(start), TXT_FILTER)
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != ".txt":
            target = target.with_suffix(".txt")
        if resources_dir().resolve() in target.resolve().parents:
            self._show("程序自带的模板不能覆盖，请保存到别的文件夹（例如“我的文档”）。", error=True)
            return None
        try:
            atomic_write_text(target, self.edit.toPlainText())
        except UserError as err:
            self._show(f"{err.message}{err.hint}", error=True)
            return None
        except OSError as err:
            self._show(f"无法保存模板（{err.strerror}），请换一个文件夹。", error=True)
            return None
        self.path = target
        self.source.setText(f"模板文件：{target}")
        self._show(f"已保存为 {target.name}，生成文件时使用这个模板。", error=False)
        return target
