"""Before letters reach paper: the sender still says ×× or 客户经理/电话 are empty.

One question with 去设置 (open the 设置 dialog, nothing is made), 仍然生成 (or 仍然打印)
and 取消. It does not block the window (``open()``); the page acts on ``go_on`` or
``settings_wanted``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.widgets.common import named


class UnsignedDialog(QMessageBox):
    """``unsignedDialog`` with ``goSettingsButton``, ``goOnButton`` and 取消."""

    go_on = Signal()
    settings_wanted = Signal()

    def __init__(self, missing: list[str], doing: str, what: str = "建议书",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        named(self, "unsignedDialog", "落款没有填写")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("落款还没有填写")
        self.setText(f"{'；'.join(missing)}。")
        self.setInformativeText(
            f"这样{doing}的《{what}》会印出“××”或空白的客户经理、电话。"
            f"点“去设置”填写（以后每次都会用上），或者点“仍然{doing}”。"
        )
        self.settings_button = named(self.addButton("去设置…", QMessageBox.ButtonRole.AcceptRole),
                                     "goSettingsButton", "去设置")  # fmt: skip
        self.go_on_button = named(
            self.addButton(f"仍然{doing}", QMessageBox.ButtonRole.DestructiveRole),
            "goOnButton", f"仍然{doing}",
        )  # fmt: skip
        self.cancel_button = self.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.settings_button)
        self.setEscapeButton(self.cancel_button)
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button is self.settings_button:
            self.settings_wanted.emit()
        elif button is self.go_on_button:
            self.go_on.emit()
