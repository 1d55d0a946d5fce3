"""主推套餐: each band's 主推/备选 package, the offer options, every customer's offer, the 套餐库.

Tab 推荐结果: per band a 主推 and a 备选 drop-down (the defaults are core's rules) and what
the band's offers do to its monthly revenue; the options (按用量推荐 = --fit-usage, 最多降低
= --max-cut, 维系降档 = --retention with its cap); the policy in force in words and what
the whole plan is worth (``planSummary``, core.marketing.plan — computed with the
analysis, off the GUI thread for big lists, so it follows every pick at once); then
``offersTable`` with one row per customer (档位, 标签, 现在月费, 推荐套餐, 办理后每月, 差额,
类型, 理由), filters by band and tag, a search box and 导出 Excel (the same file as
``offers --out``). Tab 套餐库: the
catalog as ``catalogTable``, checked row by row (a bad 月费 is named at once), with
载入/另存为/恢复默认. Every change is an undoable command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.commands import set_value
from ui.models.catalog_table import KEYS, CatalogTableModel
from ui.models.customer_table import CustomerProxyModel, CustomerTableModel
from ui.widgets.common import hint_label, named, section_title, show_hint, table_view

if TYPE_CHECKING:
    from core.marketing import Analysis
    from ui.services import Services

OFFER_KEYS = ["name", "phone", "band", "tags", "spend", "offer_package", "offer_fee",
              "expected_bill", "diff_month", "offer_kind", "offer_reason"]  # fmt: skip
OFFER_HEADERS = {"band": "档位", "tags": "标签", "spend": "现在月费（元）",
                 "offer_package": "推荐套餐", "offer_fee": "套餐月费（元）",
                 "expected_bill": "办理后每月（元）", "diff_month": "每月差额（元）",
                 "offer_kind": "推荐类型", "offer_reason": "推荐理由"}  # fmt: skip
OFFERS_VIEW = "offers.columns"  # key of the prepared table columns in Analysis.views
ALL = "全部"
NO_ALT = "（不设备选）"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


class OffersPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "offersPage", "主推套餐")
        self.state = state = services.state
        self.undo = services.undo
        self.settings = services.settings
        self.messages = services.messages
        self.rule_rows: dict[str, tuple[QComboBox, QComboBox, QLabel]] = {}
        self.band_worth: dict[str, QLabel] = {}  # band → what its offers do to revenue

        # --- rules and options ----------------------------------------------------------------
        self.rules_box = QGroupBox("各档主推套餐")
        self.rules_grid = QGridLayout(self.rules_box)
        self.rules_grid.setColumnStretch(3, 1)
        self.rules_grid.setColumnMinimumWidth(4, 190)
        self.fit_check = named(
            QCheckBox("按客户实际用量推荐够用的套餐"), "fitUsageCheck", "按用量推荐"
        )
        self.fit_check.setToolTip("不按档位主推，而是给每位客户推荐流量、通话都够用的最便宜套餐")
        self.fit_check.toggled.connect(self._options_edited)
        self.cut_spin = named(QSpinBox(), "maxCutSpin", "最多降低月费")
        self.cut_spin.setRange(0, 90)
        self.cut_spin.setSuffix("%")
        self.cut_spin.setToolTip(
            "换更小的套餐最多让客户每月费用降低多少；超过时改推备选或保持现套餐"
        )
        self.cut_spin.editingFinished.connect(self._options_edited)
        self.cut_spin.valueChanged.connect(lambda _v: self._cut_timer.start())
        self._cut_timer = QTimer(self, singleShot=True, interval=600)
        self._cut_timer.timeout.connect(self._options_edited)
        self.retention_check = named(QCheckBox("维系降档：资费偏高的客户降一档，最多少收"),
                                     "retentionCheck", "维系降档")  # fmt: skip
        self.retention_check.setToolTip("默认不降档。勾选后，资费偏高的客户可降一档（保留宽带、固话），"
                                        "每月最多少收右边的比例，列为“维系”并计入维系成本")  # fmt: skip
        self.retention_check.toggled.connect(self._options_edited)
        self.retention_spin = named(QSpinBox(), "retentionCapSpin", "维系降档上限")
        self.retention_spin.setRange(0, 90)
        self.retention_spin.setSuffix("%")
        self.retention_spin.editingFinished.connect(self._options_edited)
        self.retention_spin.valueChanged.connect(lambda _v: self._cut_timer.start())
        options = QHBoxLayout()
        options.addWidget(self.fit_check)
        options.addSpacing(16)
        options.addWidget(QLabel("换更小的套餐最多让每月费用降低"))
        options.addWidget(self.cut_spin)
        options.addSpacing(16)
        options.addWidget(self.retention_check)
        options.addWidget(self.retention_spin)
        options.addStretch(1)
        self.notes_label = hint_label("")
        self.policy_label = named(hint_label(""), "policyText", "推荐规则")
        self.plan_label = named(QLabel(), "planSummary", "推荐方案的收入影响")
        self.plan_label.setWordWrap(True)
        self.plan_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # --- offers ---------------------------------------------------------------------------
        self.offer_model = CustomerTableModel(self)
        self.offer_proxy = CustomerProxyModel(self)
        self.offer_proxy.setSourceModel(self.offer_model)
        self.offer_view = named(table_view(), "offersTable", "推荐结果")
        self.offer_view.setModel(self.offer_proxy)
        self.offer_view.setSortingEnabled(True)
        self.offer_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.band_filter = named(QComboBox(), "offerBandFilter", "按档位筛选")
        self.tag_filter = named(QComboBox(), "offerTagFilter", "按标签筛选")
        for combo in (self.band_filter, self.tag_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.search = named(QLineEdit(), "offerSearch", "搜索客户")
        self.search.setPlaceholderText("搜索客户名称或号码")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(lambda: self.offer_proxy.set_search(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.count_label = QLabel()
        self.export_button = named(QPushButton("导出 Excel…"), "exportOffersButton", "导出推荐结果")
        self.export_button.clicked.connect(lambda: self.export_offers())
        filters = QHBoxLayout()
        filters.addWidget(QLabel("档位："))
        filters.addWidget(self.band_filter)
        filters.addWidget(QLabel("标签："))
        filters.addWidget(self.tag_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)
        filters.addWidget(self.export_button)

        self.rules_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        offers_tab = QWidget()
        lay = QVBoxLayout(offers_tab)
        lay.addWidget(self.rules_box)
        lay.addLayout(options)
        lay.addWidget(self.policy_label)
        lay.addWidget(self.plan_label)
        lay.addWidget(self.notes_label)
        lay.addSpacing(6)
        lay.addWidget(section_title("每位客户的推荐"))
        lay.addLayout(filters)
        lay.addWidget(self.offer_view, 1)

        # --- catalog --------------------------------------------------------------------------
        self.catalog_model = CatalogTableModel(self)
        self.catalog_model.changed.connect(self._catalog_edited)
        self.catalog_model.problems.connect(self._catalog_problems)
        self.catalog_view = named(table_view(editable=True), "catalogTable", "套餐库")
        self.catalog_view.setModel(self.catalog_model)
        self.catalog_message = named(hint_label(""), "catalogMessage", "套餐库问题")
        buttons = QHBoxLayout()
        for text, name, slot, tip in (
            ("添加套餐", "addPackageButton", self.add_package, "在末尾添加一行，填写名称和月费"),
            ("删除选中的套餐", "removePackageButton", self.remove_packages, ""),
            ("载入套餐库…", "loadCatalogButton", self.load_catalog, "打开一个套餐库 .xlsx"),
            ("另存为…", "saveCatalogButton", self.save_catalog, "保存为 .xlsx，可在 Excel 中修改"),
            ("恢复默认套餐库", "defaultCatalogButton", self.default_catalog, "程序自带的套餐库"),
        ):
            button = named(QPushButton(text), name, text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, f=slot: f())
            buttons.addWidget(button)
        buttons.addStretch(1)
        catalog_tab = QWidget()
        clay = QVBoxLayout(catalog_tab)
        clay.addWidget(hint_label("双击单元格修改；月费必填，流量、通话可填“不限”；适用档位填档位名称，"
                                  "多个用顿号分隔。改动立即生效，可以撤销（Ctrl+Z）。"))  # fmt: skip
        clay.addLayout(buttons)
        clay.addWidget(self.catalog_message)
        clay.addWidget(self.catalog_view, 1)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(offers_tab, "主推套餐与推荐结果")
        self.tabs.addTab(catalog_tab, "套餐库")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.tabs)

        state.add_preparer(OFFERS_VIEW, self.prepare_offers)
        state.inputsChanged.connect(self._inputs_changed)
        state.analysisReady.connect(self.show_analysis)
        self._inputs_changed()
        self._shown: Analysis | None = None

    # --- rules ---------------------------------------------------------------------------------
    def _inputs_changed(self) -> None:
        options = self.state.options
        self.fit_check.blockSignals(True)
        self.fit_check.setChecked(options.fit_usage)
        self.fit_check.blockSignals(False)
        for spin, value in ((self.cut_spin, options.max_cut),
                            (self.retention_spin, options.retention_cap)):  # fmt: skip
            spin.blockSignals(True)
            spin.setValue(round(value * 100))
            spin.blockSignals(False)
        self.retention_check.blockSignals(True)
        self.retention_check.setChecked(options.retention)
        self.retention_check.blockSignals(False)
        self.retention_spin.setEnabled(options.retention)
        self.policy_label.setText("推荐规则：" + "".join(options.rules_text()))
        self.catalog_model.set_catalog(self.state.catalog)
        self.catalog_view.resizeColumnsToContents()
        self.catalog_view.horizontalHeader().setSectionResizeMode(
            KEYS.index("pitch"), QHeaderView.ResizeMode.Stretch
        )

    def _rebuild_rules(self, analysis: Analysis) -> None:
        """One row per band: 档位 | 主推 | 备选 | the 主推's selling point."""
        key = (
            tuple(b.display for b in analysis.scheme.bands),
            tuple(analysis.inputs.catalog.names),
        )
        if key == getattr(self, "_rules_key", None):
            for band, (main, alt, pitch) in self.rule_rows.items():
                rule = analysis.rules.get(band)
                if rule is None:
                    continue
                for combo in (main, alt):
                    combo.blockSignals(True)
                main.setCurrentText(rule.main)
                alt.setCurrentIndex(max(0, alt.findData(rule.alt)))
                for combo in (main, alt):
                    combo.blockSignals(False)
                self._show_pitch(pitch, rule.main)
            return
        self._rules_key = key
        while self.rules_grid.count():
            item = self.rules_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rule_rows = {}
        self.band_worth = {}
        for col, text in enumerate(
            ("档位", "主推套餐", "备选套餐", "一句话卖点", "本档月收入变化")
        ):
            self.rules_grid.addWidget(section_title(text), 0, col)
        names = [p.name for p in analysis.inputs.catalog.plans]  # never an add-on
        for r, band in enumerate(analysis.scheme.bands, start=1):
            rule = analysis.rules.get(band.label)
            main = named(QComboBox(), f"mainCombo_{r}", f"{band.label}主推套餐")
            alt = named(QComboBox(), f"altCombo_{r}", f"{band.label}备选套餐")
            main.addItems(names)
            alt.addItem(NO_ALT, "")
            for name in names:
                alt.addItem(name, name)
            if rule is not None:
                main.setCurrentText(rule.main)
                alt.setCurrentIndex(max(0, alt.findData(rule.alt)))
            pitch = QLabel()
            pitch.setWordWrap(True)
            self._show_pitch(pitch, main.currentText())
            main.currentTextChanged.connect(lambda _t, b=band.label: self._rule_edited(b))
            alt.currentIndexChanged.connect(lambda _i, b=band.label: self._rule_edited(b))
            self.rules_grid.addWidget(QLabel(band.display), r, 0)
            self.rules_grid.addWidget(main, r, 1)
            self.rules_grid.addWidget(alt, r, 2)
            self.rules_grid.addWidget(pitch, r, 3)
            worth = named(QLabel(), f"bandWorth_{r}", f"{band.label}月收入变化")
            self.rules_grid.addWidget(worth, r, 4)
            self.band_worth[band.label] = worth
            self.rule_rows[band.label] = (main, alt, pitch)

    def _show_pitch(self, label: QLabel, package: str) -> None:
        try:
            label.setText(self.state.catalog.get(package).pitch)
        except Exception:
            label.setText("")

    def _rule_edited(self, band: str) -> None:
        from core.marketing import Rule

        main, alt, _pitch = self.rule_rows[band]
        current = self.state.analysis.rules.get(band) if self.state.analysis else None
        rule = Rule(band, main.currentText(), alt.currentData() or "",
                    current.strategy if current else "")  # fmt: skip
        if current is not None and (current.main, current.alt) == (rule.main, rule.alt):
            return
        state = self.state
        set_value(self.undo, lambda r: state.set_choice(band, r), state.choices.get(band), rule,
                  f"“{band}”主推 {rule.main}")  # fmt: skip

    def _options_edited(self) -> None:
        self._cut_timer.stop()
        self.retention_spin.setEnabled(self.retention_check.isChecked())
        options = self.state.options.replace(
            fit_usage=self.fit_check.isChecked(), max_cut=self.cut_spin.value() / 100,
            retention=self.retention_check.isChecked(),
            retention_cap=self.retention_spin.value() / 100)  # fmt: skip
        if options != self.state.options:
            set_value(
                self.undo, self.state.set_options, self.state.options, options, "修改推荐选项"
            )

    # --- offers --------------------------------------------------------------------------------
    @staticmethod
    def prepare_offers(analysis: Analysis) -> list[Any]:
        """The offers table's columns (a preparer: runs with the recompute, off the GUI thread)."""
        from ui.models.customer_table import prepare_columns

        return prepare_columns(analysis.offers, keys=OFFER_KEYS, headers=OFFER_HEADERS)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        analysis = self.state.analysis
        if analysis is not None and analysis is not self._shown:
            self.show_analysis(analysis)

    def show_analysis(self, analysis: Analysis) -> None:
        if not self.isVisible():
            return  # shown when the page is next opened (showEvent)
        self._shown = analysis
        self._rebuild_rules(analysis)
        self._show_plan(analysis)
        self.notes_label.setText("\n".join(analysis.notes))
        self.notes_label.setVisible(bool(analysis.notes))
        columns = analysis.views.get(OFFERS_VIEW) or self.prepare_offers(analysis)
        self.offer_model.set_frame(analysis.offers, keep_order=True, keys=OFFER_KEYS,
                                   headers=OFFER_HEADERS, columns=columns)  # fmt: skip
        self._fill_filters(analysis)
        self._apply_filters()
        if not getattr(self, "_fitted", False):
            self.offer_view.resizeColumnsToContents()
            for c in range(self.offer_model.columnCount()):
                self.offer_view.setColumnWidth(c, min(self.offer_view.columnWidth(c), 260))
            self._fitted = True

    def _show_plan(self, analysis: Analysis) -> None:
        """What the offers are worth: the whole plan, and each band beside its picks."""
        plan = analysis.plan
        if plan is None:
            self.plan_label.setText("")
            return
        self.plan_label.setText(plan.text())
        for band in plan.by_band:
            label = self.band_worth.get(band.band)
            if label is None:
                continue
            sign = "+" if band.revenue_change_month > 0 else ""
            label.setText(f"{sign}{band.revenue_change_month:,.2f} 元/月")
            label.setToolTip(f"{band.band}：费用增加 {band.up} 户、不变 {band.same} 户、"
                             f"减少 {band.down} 户")  # fmt: skip

    def _fill_filters(self, analysis: Analysis) -> None:
        from core.marketing import TAG_NAMES

        for combo, items in ((self.band_filter, analysis.scheme.labels),
                             (self.tag_filter, list(TAG_NAMES.values()))):  # fmt: skip
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL)
            combo.addItems(items)
            if combo.findText(current) >= 0:
                combo.setCurrentText(current)
            combo.blockSignals(False)

    def _apply_filters(self) -> None:
        analysis = self.state.analysis
        if analysis is None:
            return
        offers = analysis.offers
        mask = np.ones(len(offers), dtype=bool)
        band = self.band_filter.currentText()
        if band and band != ALL:
            mask &= (offers["band"].astype("object") == band).to_numpy(dtype=bool)
        tag = self.tag_filter.currentText()
        if tag and tag != ALL and "tags" in offers.columns:
            tags = offers["tags"].astype("string")
            mask &= tags.str.contains(tag, regex=False, na=False).to_numpy(dtype=bool)
        self.offer_model.set_filter(None if mask.all() else mask)
        shown = self.offer_model.rowCount()
        self.count_label.setText(f"{shown:,} 位" if shown == len(offers) else
                                 f"{shown:,} / {len(offers):,} 位")  # fmt: skip

    def export_offers(self, path: str | None = None) -> Path | None:
        """Write the offers workbook (``offers --out``); asks where unless ``path``."""
        from core.base import OutputExists, UserError
        from core.reporting import write_offers_xlsx

        analysis = self.state.analysis
        if analysis is None:
            return None
        if path is None:
            start = Path(self.settings.last_dir) / "推荐套餐.xlsx"
            path, _ = QFileDialog.getSaveFileName(self, "导出推荐结果", str(start), XLSX_FILTER)
            if not path:
                return None
        force = Path(path).exists()  # the save dialog has already asked about replacing it
        try:
            out = write_offers_xlsx(analysis.offers, path, force=force)
        except OutputExists as err:
            QMessageBox.warning(self, "文件已存在", f"{err.message}\n\n{err.hint}")
            return None
        except UserError as err:
            QMessageBox.warning(self, "导出失败", f"{err.message}\n\n{err.hint}")
            return None
        self.settings.last_dir = str(out.parent)
        self.messages.say(f"已导出推荐结果：{out}")
        return out

    # --- catalog -------------------------------------------------------------------------------
    def _catalog_edited(self, catalog: Any, what: str) -> None:
        self._set_catalog(catalog, what)

    def _catalog_problems(self, text: str) -> None:
        show_hint(self.catalog_message, text, bool(text))
        self.catalog_message.setVisible(bool(text))

    def add_package(self) -> None:
        row = self.catalog_model.add_row()
        index = self.catalog_model.index(row, 0)
        self.catalog_view.scrollTo(index)
        self.catalog_view.setCurrentIndex(index)
        self.catalog_view.edit(index)

    def remove_packages(self) -> None:
        rows = sorted({i.row() for i in self.catalog_view.selectionModel().selectedIndexes()})
        if rows:
            self.catalog_model.remove_rows(rows)

    def load_catalog(self, path: str | None = None) -> None:
        from core.base import UserError
        from core.marketing import load_catalog

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "载入套餐库", self.settings.last_dir,
                                                  XLSX_FILTER)  # fmt: skip
            if not path:
                return
        try:
            catalog = load_catalog(path)
        except UserError as err:
            QMessageBox.warning(self, "无法载入套餐库", f"{err.message}\n\n{err.hint}")
            return
        self._set_catalog(catalog, f"载入套餐库 {Path(path).name}")

    def save_catalog(self, path: str | None = None) -> Path | None:
        from core.base import UserError
        from core.marketing import write_catalog

        if path is None:
            start = Path(self.settings.last_dir) / "套餐库.xlsx"
            path, _ = QFileDialog.getSaveFileName(self, "保存套餐库", str(start), XLSX_FILTER)
            if not path:
                return None
        try:
            return write_catalog(self.state.catalog, path, force=Path(path).exists())
        except UserError as err:
            QMessageBox.warning(self, "无法保存套餐库", f"{err.message}\n\n{err.hint}")
            return None

    def default_catalog(self) -> None:
        from core.marketing import default_catalog

        self._set_catalog(default_catalog(), "恢复默认套餐库")

    def _set_catalog(self, catalog: Any, what: str) -> None:
        set_value(self.undo, self.state.set_catalog, self.state.catalog, catalog, what)
