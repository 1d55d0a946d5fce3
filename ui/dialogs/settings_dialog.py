"""设置: what letters and reports say about the sender (core.base.Settings).

单位, 客户经理, 电话, 标志图片, 优惠有效期, 号码打码, the 服务承诺 per band, and the
推荐规则 a branch sets once: the overage rates the expected bills use, how 种子用户 and
传播型用户 are picked (by which column, what share) and the offer line each gets. Checked
when the user presses 保存 (a wrong phone number or a missing logo file is named next
to the field, and nothing is saved); saved at once to the data folder, so the next
letter — from the window or the command line — uses it.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.base import Settings, load_settings, save_settings
from ui.widgets.common import clear_hint_on, hint_label, named, show_hint

PHONE_RE = re.compile(r"^[0-9０-９+\-－ ()（）]{5,20}$")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


class SettingsDialog(QDialog):
    def __init__(self, bands: list[str], parent: QWidget | None = None,
                 current: Settings | None = None, campaign: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        named(self, "settingsDialog", "设置")
        where = (
            f"营销活动“{campaign}”的落款（也作为以后的默认）" if campaign else "建议书与报表的落款"
        )
        self.setWindowTitle(f"设置 — {where}")
        self.setMinimumWidth(560)
        current = current or load_settings()
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
        self.mask = named(QCheckBox("建议书、走访表和导出的 Excel 报表中客户号码打码（138****5678）"),
                          "maskCheck", "号码打码")  # fmt: skip
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

        promise_form = QFormLayout()
        for i, band in enumerate(bands):
            edit = QPlainTextEdit(current.promises.get(band, ""))
            edit.setPlaceholderText(promise_for(band, "", Settings(), top=i == len(bands) - 1))
            edit.setFixedHeight(edit.fontMetrics().height() * 3 + 12)
            promise_form.addRow(f"{band}：", edit)
            self.promises[band] = edit
        play.addLayout(promise_form)
        play.addStretch(1)
        promise_page = _scrolled(promise_page)  # ten bands still fit a laptop's screen

        rules_page = self._rules_page(current)

        tabs = QTabWidget()
        tabs.addTab(sender, "落款与号码")
        tabs.addTab(promise_page, "服务承诺")
        tabs.addTab(rules_page, "推荐规则")
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
        clear_hint_on(self.message, self.branch.textChanged, self.phone.textChanged,
                      self.logo.textChanged)  # fmt: skip

    def _rules_page(self, current: Settings) -> QWidget:
        """Overage rates, the seed/spreader criteria and their offer lines."""
        from core.marketing import BUSINESS_ORDER, business_label

        def money_spin(
            value: float, suffix: str, step: float, name: str, text: str
        ) -> QDoubleSpinBox:
            spin = named(QDoubleSpinBox(), name, text)
            spin.setRange(0, 100)
            spin.setDecimals(2)
            spin.setSingleStep(step)
            spin.setSuffix(suffix)
            spin.setValue(value)
            return spin

        def share_spin(value: float, high: int, name: str, text: str) -> QSpinBox:
            spin = named(QSpinBox(), name, text)
            spin.setRange(0, high)
            spin.setSuffix("%")
            spin.setValue(round(value * 100))
            return spin

        self.data_rate = money_spin(
            current.data_rate, " 元/GB", 0.5, "dataRateSpin", "流量超出单价"
        )
        self.voice_rate = money_spin(current.voice_rate, " 元/分钟", 0.01, "voiceRateSpin",
                                     "通话超出单价")  # fmt: skip
        self.seed_by = named(QComboBox(), "seedByCombo", "种子用户依据")
        self.seed_by.setEditable(True)
        self.seed_by.addItem("自动（清单有经营数据时按经营数据，否则按月均消费）", "")
        self.seed_by.addItem("月均消费", "spend")
        for key in BUSINESS_ORDER:
            self.seed_by.addItem(business_label(key), business_label(key))
        at = self.seed_by.findData(current.seed_by)
        if at >= 0:
            self.seed_by.setCurrentIndex(at)
        else:
            self.seed_by.setEditText(current.seed_by)
        self.seed_share = share_spin(current.seed_share, 30, "seedShareSpin", "种子用户比例")
        self.spreader_share = share_spin(current.spreader_share, 50, "spreaderShareSpin",
                                         "传播型用户比例")  # fmt: skip
        self.seed_offer = named(QPlainTextEdit(current.seed_offer), "seedOfferEdit", "种子用户优惠")
        self.spreader_offer = named(QPlainTextEdit(current.spreader_offer), "spreaderOfferEdit",
                                    "传播型用户优惠")  # fmt: skip
        for edit in (self.seed_offer, self.spreader_offer):
            edit.setFixedHeight(edit.fontMetrics().height() * 3 + 12)
        form = QFormLayout()
        form.addRow("流量超出套餐：", self.data_rate)
        form.addRow("通话超出套餐：", self.voice_rate)
        form.addRow("种子用户按：", self.seed_by)
        form.addRow("种子用户比例：", self.seed_share)
        form.addRow("传播型用户比例：", self.spreader_share)
        form.addRow("种子用户优惠：", self.seed_offer)
        form.addRow("传播型用户优惠：", self.spreader_offer)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(hint_label(
            "超出单价用来估算客户换套餐后每月约多少钱（套餐月费 + 超出用量 + 套餐外费用）。"
            "种子用户是每个市场里的领头店（约 5%），传播型用户是其后的中等规模店（15–20%）；"
            "优惠会写在推荐结果和建议书上。"))  # fmt: skip
        lay.addLayout(form)
        lay.addStretch(1)
        return page

    def _seed_by(self) -> str:
        text = self.seed_by.currentText().strip()
        at = self.seed_by.findText(text)
        return str(self.seed_by.itemData(at) or "") if at >= 0 else text

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
                    data_rate=self.data_rate.value(), voice_rate=self.voice_rate.value(),
                    seed_by=self._seed_by(), seed_share=self.seed_share.value() / 100,
                    spreader_share=self.spreader_share.value() / 100,
                    seed_offer=self.seed_offer.toPlainText(),
                    spreader_offer=self.spreader_offer.toPlainText(),
                )  # fmt: skip
                save_settings(settings)
            except UserError as err:
                problem = f"{err.message}{err.hint}"
            else:
                self.saved = settings
                self.accept()
                return
        show_hint(self.message, problem, True)


def _scrolled(page: QWidget) -> QScrollArea:
    """A tab's content that scrolls when it is taller than the dialog can be."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area
