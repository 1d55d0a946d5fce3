"""Small dialogs of the 走访 page: who visits whom, the targets, a customer met on the spot.

Each only asks and checks what it can (a name, a number); the campaign checks the rest
when the page saves it, and a refusal is said in the dialog in Chinese.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import hint_label, named, show_hint

NO_TARGET = "（不设）"


class _Asking(QDialog):
    """A form, a hint line for refusals, and 确定/取消."""

    def __init__(self, name: str, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        named(self, name, title)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.message = hint_label("")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def problem(self) -> str:
        return ""

    def say(self, text: str) -> None:
        show_hint(self.message, text, True)

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.say(problem)
        else:
            self.accept()


class AssignDialog(_Asking):
    """分配给…: one person (from the staff, or a new name) for the selected customers."""

    def __init__(self, staff: list[str], count: int, parent: QWidget | None = None) -> None:
        super().__init__("assignDialog", "分配给走访人员", parent)
        self.person = named(QComboBox(), "assignPerson", "走访人")
        self.person.setEditable(True)
        self.person.addItems(staff)
        self.form.addRow(f"把选中的 {count:,} 位客户分给：", self.person)
        self.form.addRow("", hint_label("可以选一位同事，也可以直接输入新名字；留空表示取消分配。"))

    def chosen(self) -> str:
        return self.person.currentText().strip()


class AutoAssignDialog(_Asking):
    """自动分配…: share every customer out among the staff (campaign assign)."""

    def __init__(
        self, staff: list[str], hows: dict[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__("autoAssignDialog", "自动分配客户", parent)
        self.staff = named(QLineEdit("，".join(staff)), "autoAssignStaff", "走访人员")
        self.staff.setPlaceholderText("例如 张三，李四，王五")
        self.how = named(QComboBox(), "autoAssignHow", "分配方式")
        for key in ("balanced", "grid", "band", "manager"):
            self.how.addItem(hows[key], key)
        self.only_new = named(QComboBox(), "autoAssignScope", "分配哪些客户")
        self.only_new.addItem("全部客户（重新分配，走访记录不受影响）", False)
        self.only_new.addItem("只分还没有分配的客户", True)
        self.form.addRow("走访人员：", self.staff)
        self.form.addRow("分配方式：", self.how)
        self.form.addRow("分配：", self.only_new)

    def names(self) -> list[str]:
        import re

        return [n for n in re.split(r"[，,、;；\s]+", self.staff.text()) if n]

    def problem(self) -> str:
        return "" if self.names() else "请填写走访人员，用逗号分隔，例如：张三，李四。"


class TargetsDialog(_Asking):
    """目标…: the team's signings (and visits) to reach, and each person's signings."""

    def __init__(self, targets: Any, staff: list[str], parent: QWidget | None = None) -> None:
        super().__init__("targetsDialog", "走访目标", parent)
        self.signed = _count(targets.signed, "targetSigned", "全队签约目标")
        self.visited = _count(targets.visited, "targetVisited", "全队走访目标")
        self.people = named(QTableWidget(len(staff), 2), "targetStaff", "个人签约目标")
        self.people.setHorizontalHeaderLabels(["走访人", "签约目标（户）"])
        self.people.verticalHeader().setVisible(False)
        for r, name in enumerate(staff):
            self.people.setItem(r, 0, QTableWidgetItem(name))
            value = targets.staff.get(name)
            self.people.setItem(r, 1, QTableWidgetItem("" if value is None else str(value)))
        self.people.setMaximumHeight(30 + 26 * min(len(staff), 8))
        self.form.addRow("全队签约：", self.signed)
        self.form.addRow("全队走访：", self.visited)
        self.form.addRow("每人签约：", self.people)

    def _people(self) -> tuple[dict[str, int], str]:
        out: dict[str, int] = {}
        for r in range(self.people.rowCount()):
            name = (self.people.item(r, 0).text() if self.people.item(r, 0) else "").strip()
            text = (self.people.item(r, 1).text() if self.people.item(r, 1) else "").strip()
            if not name or not text:
                continue
            if not text.isdigit():
                return {}, f"“{name}”的签约目标“{text}”不是整数，请填写户数，例如 10。"
            out[name] = int(text)
        return out, ""

    def problem(self) -> str:
        return self._people()[1]

    def targets(self) -> Any:
        from core.campaign import Targets

        return Targets(self.signed.value() or None, self.visited.value() or None,
                       self._people()[0])  # fmt: skip


def _count(value: int | None, name: str, text: str) -> QSpinBox:
    spin = named(QSpinBox(), name, text)
    spin.setRange(0, 100_000)
    spin.setSpecialValueText(NO_TARGET)
    spin.setSuffix(" 户")
    spin.setValue(value or 0)
    return spin


class WalkInDialog(_Asking):
    """现场新增客户…: someone met during the sweep who was on no list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("walkInDialog", "现场新增客户", parent)
        self.name = named(QLineEdit(), "walkInName", "客户名称")
        self.name.setPlaceholderText("店名或姓名，例如 李记茶叶")
        self.phone = named(QLineEdit(), "walkInPhone", "手机号码")
        self.address = named(QLineEdit(), "walkInAddress", "地址或铺位")
        self.industry = named(QLineEdit(), "walkInIndustry", "行业")
        self.note = named(QLineEdit(), "walkInNote", "备注")
        for label, field in (("客户名称：", self.name), ("手机号码：", self.phone),
                             ("地址或铺位：", self.address), ("行业：", self.industry),
                             ("备注：", self.note)):  # fmt: skip
            self.form.addRow(label, field)
        self.form.addRow(
            "", hint_label("加入后在左边的客户表里选中他，像其他客户一样录入这次走访。")
        )

    def problem(self) -> str:
        if not self.name.text().strip() and not self.phone.text().strip():
            return "请至少填写客户名称或手机号码。"
        return ""

    def values(self) -> dict[str, str]:
        return {"name": self.name.text().strip(), "phone": self.phone.text().strip(),
                "address": self.address.text().strip(),
                "industry": self.industry.text().strip(), "note": self.note.text().strip()}  # fmt: skip
