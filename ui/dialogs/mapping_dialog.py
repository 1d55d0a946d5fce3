"""列对应: say which column of the file holds each customer field (月均消费 is required).

Shown when the import raises ``MappingNeeded``. The combo boxes start from the
automatic guess (``core.importing.columns.auto_mapping``); ``overrides()`` is what
``import_file(..., overrides=...)`` takes, and the import remembers it.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.base import FIELDS
from core.importing import columns
from ui.widgets.common import fit_to_screen

REQUIRED = ("spend",)
UNUSED = "（不使用）"


class MappingDialog(QDialog):
    def __init__(
        self,
        headers: list[str],
        message: str = "",
        parent: QWidget | None = None,
        file_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("列对应")
        self.headers = list(headers)
        self.combos: dict[str, QComboBox] = {}

        intro = QLabel(
            (f"<b>{_escape(message)}</b><br>" if message else "")
            + (f"文件：{_escape(file_name)}<br>" if file_name else "")
            + "请为下面每一项选择表格中对应的列。带 <b>*</b> 的必须选择，其余不确定可选“不使用”。"
            "<br>选择会被记住，下次打开表头相同的文件时自动使用。"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)

        guess = columns.auto_mapping(self.headers)
        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        ordered = [f for f in FIELDS if f.key in REQUIRED] + [
            f for f in FIELDS if f.key not in REQUIRED
        ]
        for field in ordered:
            combo = QComboBox()
            combo.addItem(UNUSED, "")
            for header in self.headers:
                combo.addItem(header, header)
            if field.key in guess:
                combo.setCurrentIndex(guess[field.key] + 1)
            combo.currentIndexChanged.connect(self._validate)
            combo.setObjectName(f"map_{field.key}")
            self.combos[field.key] = combo
            text = f"{field.label} <b>*</b>" if field.key in REQUIRED else field.label
            form.addRow(QLabel(text), combo)
            if field.key == REQUIRED[-1]:
                optional = QLabel("以下各项可选，用于建议书和统计：")
                optional.setStyleSheet("color: #5f6368; padding-top: 8px;")
                form.addRow(optional)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.warning = QLabel()
        self.warning.setStyleSheet("color: #b3261e;")
        self.warning.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定并重新导入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 540, 680)  # a laptop with a taskbar has ~690 px
        self._validate()
        self.combos["spend"].setFocus()

    def set_field(self, key: str, header: str) -> None:
        """Choose ``header`` for field ``key`` ("" = 不使用)."""
        combo = self.combos[key]
        combo.setCurrentIndex(max(combo.findData(header), 0))

    def overrides(self) -> dict[str, str]:
        """Field → header for every field (an empty header means 不使用)."""
        return {key: str(combo.currentData() or "") for key, combo in self.combos.items()}

    def problems(self) -> list[str]:
        chosen = self.overrides()
        out = [
            f"请选择“{f.label}”对应的列。"
            for f in FIELDS
            if f.key in REQUIRED and not chosen[f.key]
        ]
        twice = [h for h, n in Counter(h for h in chosen.values() if h).items() if n > 1]
        out += [f"“{h}”这一列被选了多次，每一列只能对应一项。" for h in twice]
        return out

    def _validate(self) -> None:
        problems = self.problems()
        self.warning.setText("\n".join(problems))
        self.warning.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
