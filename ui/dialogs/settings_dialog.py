"""设置: what letters and reports say about the sender (core.base.Settings).

单位, 客户经理, 电话, 标志图片, 优惠有效期, 号码打码 and the 服务承诺 per band. Checked
when the user presses 保存 (a wrong phone number or a missing logo file is named next
to the field, and nothing is saved); saved at once to the data folder, so the next
letter — from the window or the command line — uses it.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.base import Settings, load_settings, save_settings
from ui.widgets.common import hint_label, named, show_hint

PHONE_RE = re.compile(r"^[0-9０-９+\-－ ()（）]{5,20}$")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


class SettingsDialog(QDialog):
    def __init__(self, bands: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "settingsDialog", "设置")
        self.setWindowTitle("设置 — 建议书与报表的落款")
        self.setMinimumWidth(560)
        current = load_settings()
        self.saved: Settings | None = None

        self.branch = named(QLineEdit(current.branch), "branchEdit", "单位名称")
        self.staff = named(QLineEdit(current.staff_name), "staffEdit", "客户经理")
        self.phone = named(QLineEdit(current.staff_phone), "staffPhoneEdit", "客户经理电话")
        self.phone.setPlaceholderText("例如 13900001111，建议书上完整显示，方便客户回电")
        self.logo = named(QLineEdit(current.logo_path), "logoEdit", "标志图片")
        self.logo.setPlaceholderText("可不填；.png 或 .jpg")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        self.validity = named(QSpinBox(), "validitySpin", "优惠有效期")
        self.validity.setRange(1, 365)
        self.validity.setValue(current.validity_days)
        self.validity.setSuffix(" 天")
        self.mask = named(QCheckBox("建议书上客户号码打码（138****5678）"), "maskCheck", "号码打码")
        self.mask.setChecked(current.mask_phone)
        self.message = named(hint_label(""), "settingsMessage", "设置提示")

        form = QFormLayout()
        form.addRow("落款单位：", self.branch)
        form.addRow("客户经理：", self.staff)
        form.addRow("联系电话：", self.phone)
        form.addRow("单位标志：", logo_row)
        form.addRow("优惠有效期：", self.validity)
        form.addRow("", self.mask)
        sender = QWidget()
        sender.setLayout(form)

        self.promises: dict[str, QPlainTextEdit] = {}
        promise_page = QWidget()
        play = QVBoxLayout(promise_page)
        play.addWidget(QLabel("每一档的服务承诺会印在建议书上；不填则用程序默认的说法。"))
        from core.documents import promise_for
        from core.marketing import TOP_STRATEGY

        promise_form = QFormLayout()
        for i, band in enumerate(bands):
            edit = QPlainTextEdit(current.promises.get(band, ""))
            strategy = TOP_STRATEGY if i == len(bands) - 1 else ""
            edit.setPlaceholderText(promise_for(band, strategy, Settings()))
            edit.setFixedHeight(edit.fontMetrics().height() * 3 + 12)
            promise_form.addRow(f"{band}：", edit)
            self.promises[band] = edit
        play.addLayout(promise_form)
        play.addStretch(1)

        tabs = QTabWidget()
        tabs.addTab(sender, "落款与号码")
        tabs.addTab(promise_page, "服务承诺")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择单位标志图片", self.logo.text(),
                                              "图片 (*.png *.jpg *.jpeg *.bmp *.gif)")  # fmt: skip
        if path:
            self.logo.setText(path)

    def problem(self) -> str:
        """What is wrong with the form, in Chinese; '' if it can be saved."""
        phone = self.phone.text().strip()
        if phone and not PHONE_RE.match(phone):
            return f"联系电话“{phone}”不像电话号码，请只填数字（可带区号和“-”）。"
        logo = self.logo.text().strip()
        if logo:
            path = Path(logo)
            if not path.is_file():
                return f"找不到标志图片：{logo}。请重新选择，或清空不用标志。"
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                return "标志图片请用 .png 或 .jpg 格式。"
        if not self.branch.text().strip():
            return "请填写落款单位，例如“中国电信某某县分公司”。"
        return ""

    def save(self) -> None:
        from core.base import UserError

        problem = self.problem()
        if not problem:
            promises = {b: e.toPlainText().strip() for b, e in self.promises.items()}
            old = load_settings().promises
            keep = {b: t for b, t in old.items() if b not in promises}  # other schemes' bands
            try:
                settings = Settings(
                    branch=self.branch.text(), staff_name=self.staff.text(),
                    staff_phone=self.phone.text(), logo_path=self.logo.text(),
                    validity_days=self.validity.value(), mask_phone=self.mask.isChecked(),
                    promises=keep | {b: t for b, t in promises.items() if t},
                )  # fmt: skip
                save_settings(settings)
            except UserError as err:
                problem = f"{err.message}{err.hint}"
            else:
                self.saved = settings
                self.accept()
                return
        show_hint(self.message, problem, True)
