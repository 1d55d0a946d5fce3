"""The visit form: one 走访 of one customer, fast with the keyboard.

Tab moves from field to field; Enter (or 保存并下一位) saves the visit in one
transaction and the page moves to the next customer, keeping 走访日期, 走访人 and 方式
(the usual case: one person sweeping one street on one day). The values are checked by
``core.campaign.Visit.checked`` — the same rules as an imported 走访记录 sheet — and a
refusal is said under the form in Chinese. The customer's earlier visits are listed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import (
    UndoLineEdit,
    clear_hint_on,
    hint_label,
    named,
    row,
    section_title,
    show_hint,
)

EARLIER_HEADERS = ("日期", "走访人", "方式", "见到决策人", "意向", "签约套餐", "异议", "来源")


class VisitForm(QWidget):
    save_requested = Signal()  # Enter or the button
    edit_requested = Signal(object)  # the StoredVisit chosen in 以前的走访 to correct
    delete_requested = Signal(object)  # the StoredVisit chosen in 以前的走访 to delete

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "visitForm", "走访记录")
        self.customer = QLabel("请在左边选择一位客户。")
        self.customer.setWordWrap(True)
        font = self.customer.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.customer.setFont(font)
        form = self._fields()
        self.save_button = named(
            QPushButton("保存并下一位（Enter）"), "saveVisitButton", "保存走访"
        )
        self.save_button.clicked.connect(self.save_requested)
        self.message = named(
            hint_label("意向必填；成交时请填签约套餐和月费。"), "visitMessage", "提示"
        )
        self.earlier = _earlier_table()
        self.editing: Any = None  # the StoredVisit being corrected (None: a new visit)
        self._earlier: list[Any] = []
        self.edit_button = named(QPushButton("修改所选…"), "editVisitButton", "修改所选的走访")
        self.delete_button = named(QPushButton("删除所选…"), "deleteVisitButton", "删除所选的走访")
        self.cancel_edit = named(QPushButton("取消修改"), "cancelEditButton", "取消修改")
        self.cancel_edit.setVisible(False)
        for button, signal in ((self.edit_button, self.edit_requested),
                               (self.delete_button, self.delete_requested)):  # fmt: skip
            button.setEnabled(False)
            button.clicked.connect(lambda _c=False, sig=signal: self._chosen_earlier(sig))
        self.cancel_edit.clicked.connect(self.stop_editing)
        self.earlier.itemSelectionChanged.connect(self._earlier_selected)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 6, 0)
        _scrolling(self, content)  # a laptop's window is not as tall as the whole form
        layout.addWidget(self.customer)
        layout.addLayout(form)
        layout.addLayout(row(self.save_button, self.cancel_edit, stretch=True))
        layout.addWidget(self.message)
        layout.addWidget(section_title("以前的走访"))
        layout.addWidget(self.earlier)
        layout.addLayout(row(self.edit_button, self.delete_button, stretch=True))
        layout.addStretch(1)
        clear_hint_on(
            self.message,
            self.intent.currentIndexChanged,
            self.package.currentTextChanged,
            self.fee.textChanged,
            self.met.currentIndexChanged,
            text=self.message.text(),
        )  # a refusal goes once the field is changed
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save_requested)

    def _fields(self) -> QFormLayout:
        """The visit's fields, in the order a visitor fills them in."""
        from core.campaign import INTENTS, METHODS, OBJECTIONS

        self.date = _date_edit(dt.date.today(), "visitDate", "走访日期")
        self.visitor = named(QComboBox(), "visitVisitor", "走访人")
        self.visitor.setEditable(True)
        self.method = named(QComboBox(), "visitMethod", "方式")
        self.method.addItems(list(METHODS))
        self.met = named(QComboBox(), "visitMet", "是否见到决策人")
        self.met.addItems(["", "是", "否"])
        self.intent = named(QComboBox(), "visitIntent", "意向")
        self.intent.addItem("（请选择）", "")
        for intent in INTENTS:
            self.intent.addItem(intent, intent)
        self.package = named(QComboBox(), "visitPackage", "签约套餐")
        self.package.setEditable(True)
        self.fee = named(UndoLineEdit(), "visitFee", "签约月费")
        self.fee.setPlaceholderText("元/月，成交时填写")
        self.objections: dict[str, QCheckBox] = {}
        objections = QGridLayout()
        for i, name in enumerate(OBJECTIONS):
            box = named(QCheckBox(name), f"objection_{name}", f"异议：{name}")
            self.objections[name] = box
            objections.addWidget(box, i // 3, i % 3)
        self.suggestion = named(UndoLineEdit(), "visitSuggestion", "客户建议")
        self.competitor = named(UndoLineEdit(), "visitCompetitor", "竞争对手信息")
        self.follow_check = named(QCheckBox("下次跟进："), "followUpCheck", "需要跟进")
        self.follow = _date_edit(dt.date.today() + dt.timedelta(days=7), "visitFollowUp",
                                 "下次跟进日期")  # fmt: skip
        self.follow.setEnabled(False)
        self.follow_check.toggled.connect(self.follow.setEnabled)
        form = QFormLayout()
        for label, field in (("走访日期：", self.date), ("走访人：", self.visitor),
                             ("方式：", self.method), ("见到决策人：", self.met),
                             ("意向：", self.intent), ("签约套餐：", self.package),
                             ("签约月费：", self.fee), ("异议：", objections),
                             ("客户建议：", self.suggestion), ("竞争对手：", self.competitor),
                             ("", row(self.follow_check, self.follow, stretch=True))):  # fmt: skip
            form.addRow(label, field)
        return form

    # --- filling -------------------------------------------------------------------------------
    def set_choices(self, staff: list[str], packages: list[str], last_visitor: str) -> None:
        current = self.visitor.currentText() or last_visitor or (staff[0] if staff else "")
        self.visitor.clear()
        self.visitor.addItems([s for s in staff if s])
        self.visitor.setCurrentText(current)
        self.package.clear()
        self.package.addItem("")
        self.package.addItems(packages)

    def show_customer(self, title: str, offer: str, earlier: list[Any]) -> None:
        """Start a new visit of this customer (date, visitor and method are kept)."""
        self.stop_editing()
        self.customer.setText(title)
        self.intent.setCurrentIndex(0)
        self.met.setCurrentIndex(0)
        self.package.setCurrentText(offer)
        self.fee.clear()
        for box in self.objections.values():
            box.setChecked(False)
        self.suggestion.clear()
        self.competitor.clear()
        self.follow_check.setChecked(False)
        self._earlier = list(earlier)
        self.earlier.setRowCount(len(earlier))
        for r, stored in enumerate(earlier):
            v = stored.visit
            met = "" if v.met is None else ("是" if v.met else "否")
            cells = (v.visit_date.isoformat(), v.visitor, v.method, met, v.intent,
                     v.signed_package, "、".join(v.objections), stored.source)  # fmt: skip
            for c, text in enumerate(cells):
                self.earlier.setItem(r, c, QTableWidgetItem(text))
        self.setEnabled(True)
        self.intent.setFocus()

    def _earlier_selected(self) -> None:
        chosen = bool(self.earlier.selectionModel().selectedRows())
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(chosen and self.editing is None)

    def _chosen_earlier(self, signal: Any) -> None:
        rows = self.earlier.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self._earlier):
            signal.emit(self._earlier[rows[0].row()])

    def start_editing(self, stored: Any) -> None:
        """Show an earlier visit in the form to correct it (保存修改 replaces it)."""
        v = stored.visit
        self.editing = stored
        self.date.setDate(v.visit_date)
        self.visitor.setCurrentText(v.visitor)
        self.method.setCurrentText(v.method)
        self.met.setCurrentText("" if v.met is None else "是" if v.met else "否")
        self.intent.setCurrentIndex(max(0, self.intent.findData(v.intent)))
        self.package.setCurrentText(v.signed_package)
        self.fee.setText("" if v.signed_fee is None else f"{v.signed_fee:g}")
        for name, box in self.objections.items():
            box.setChecked(name in v.objections)
        self.suggestion.setText(v.suggestion)
        self.competitor.setText(v.competitor)
        self.follow_check.setChecked(v.follow_up is not None)
        if v.follow_up is not None:
            self.follow.setDate(v.follow_up)
        self.save_button.setText("保存修改（Enter）")
        self.cancel_edit.setVisible(True)
        self._earlier_selected()
        self.say(f"正在修改 {v.visit_date} {v.visitor} 的走访；改好后按回车保存。", error=False)

    def stop_editing(self) -> None:
        """Back to recording a new visit."""
        if self.editing is None:
            return
        self.editing = None
        self.save_button.setText("保存并下一位（Enter）")
        self.cancel_edit.setVisible(False)
        self._earlier_selected()

    def visit(self) -> Any:
        """The visit as typed (checked by the campaign when it is saved)."""
        from core.campaign import Visit

        met = {"是": True, "否": False}.get(self.met.currentText())
        intent = self.intent.currentData() or ""
        return Visit(
            visit_date=self.date.date().toPython(), visitor=self.visitor.currentText().strip(),
            intent=intent, method=self.method.currentText(), met=met,
            signed_package=self.package.currentText().strip(),
            signed_fee=self.fee.text().strip() or None,
            objections=tuple(n for n, b in self.objections.items() if b.isChecked()),
            suggestion=self.suggestion.text(), competitor=self.competitor.text(),
            follow_up=self.follow.date().toPython() if self.follow_check.isChecked() else None,
        )  # fmt: skip

    def say(self, text: str, error: bool) -> None:
        show_hint(self.message, text, error)


def _scrolling(form: QWidget, content: QWidget) -> None:
    """Show ``content`` in ``form``, scrolling when the window is lower than the form (the
    field with the focus is always scrolled into view)."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    outer = QVBoxLayout(form)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)


def _date_edit(value: dt.date, name: str, accessible: str) -> QDateEdit:
    edit = named(QDateEdit(value), name, accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _earlier_table() -> QTableWidget:
    """以前的走访: a short read-only list (a few rows per customer)."""
    table = named(QTableWidget(0, len(EARLIER_HEADERS)), "earlierVisits", "以前的走访")
    table.setHorizontalHeaderLabels(list(EARLIER_HEADERS))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setMaximumHeight(150)
    return table
