"""The 主推套餐 page's panels: each band's picks, the options, the offers table, the 套餐库.

Panels build the controls and show; the page (``ui.pages.offers.page``) turns what the
user does into undoable changes of the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.models.catalog_table import KEYS, CatalogTableModel
from ui.models.customer_table import CustomerProxyModel, CustomerTableModel
from ui.widgets.common import (
    hint_label,
    named,
    refill_combo,
    request_buttons,
    row,
    section_title,
    table_view,
)

if TYPE_CHECKING:
    from core.marketing import Analysis, Catalog, OfferOptions

ALL = "全部"
NO_ALT = "（不设备选）"
RULE_HEADERS = ("档位", "主推套餐", "备选套餐", "一句话卖点", "本档月收入变化")
CATALOG_HELP = ("双击单元格修改；月费必填，流量、通话可填“不限”；适用档位填档位名称，"
                "多个用顿号分隔。改动立即生效，可以撤销（Ctrl+Z）。")  # fmt: skip


class RulesPanel(QGroupBox):
    """各档主推套餐: per band 档位 | 主推 | 备选 | 一句话卖点 | 本档月收入变化."""

    edited = Signal(str, str, str)  # band, 主推, 备选 ("" for none)

    def __init__(self) -> None:
        super().__init__("各档主推套餐")
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(3, 1)
        self.grid.setColumnMinimumWidth(4, 190)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.rows: dict[str, tuple[QComboBox, QComboBox, QLabel]] = {}
        self.worth: dict[str, QLabel] = {}  # band → what its offers do to revenue
        self._key: Any = None

    def show_rules(self, analysis: Analysis) -> None:
        """The bands' picks; the rows are rebuilt only when the bands or packages change."""
        catalog = analysis.inputs.catalog
        key = (tuple(b.display for b in analysis.scheme.bands), tuple(catalog.names))
        if key != self._key:
            self._key = key
            self._rebuild(analysis)
        for band, (main, alt, pitch) in self.rows.items():
            rule = analysis.rules.get(band)
            if rule is None:
                continue
            for combo in (main, alt):
                combo.blockSignals(True)
            main.setCurrentText(rule.main)
            alt.setCurrentIndex(max(0, alt.findData(rule.alt)))
            for combo in (main, alt):
                combo.blockSignals(False)
            pitch.setText(_pitch(catalog, rule.main))

    def _rebuild(self, analysis: Analysis) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows, self.worth = {}, {}
        for col, text in enumerate(RULE_HEADERS):
            self.grid.addWidget(section_title(text), 0, col)
        names = [p.name for p in analysis.inputs.catalog.plans]  # never an add-on
        for r, band in enumerate(analysis.scheme.bands, start=1):
            main = named(QComboBox(), f"mainCombo_{r}", f"{band.label}主推套餐")
            alt = named(QComboBox(), f"altCombo_{r}", f"{band.label}备选套餐")
            main.addItems(names)
            alt.addItem(NO_ALT, "")
            for name in names:
                alt.addItem(name, name)
            pitch = QLabel()
            pitch.setWordWrap(True)
            worth = named(QLabel(), f"bandWorth_{r}", f"{band.label}月收入变化")
            main.currentTextChanged.connect(lambda _t, b=band.label: self._edited(b))
            alt.currentIndexChanged.connect(lambda _i, b=band.label: self._edited(b))
            for col, widget in enumerate((QLabel(band.display), main, alt, pitch, worth)):
                self.grid.addWidget(widget, r, col)
            self.rows[band.label] = (main, alt, pitch)
            self.worth[band.label] = worth

    def _edited(self, band: str) -> None:
        main, alt, _pitch = self.rows[band]
        self.edited.emit(band, main.currentText(), alt.currentData() or "")

    def show_worth(self, plan: Any) -> None:
        """Each band's revenue change beside its picks (tooltip: up / same / down)."""
        for band in plan.by_band:
            label = self.worth.get(band.band)
            if label is None:
                continue
            sign = "+" if band.revenue_change_month > 0 else ""
            label.setText(f"{sign}{band.revenue_change_month:,.2f} 元/月")
            label.setToolTip(f"{band.band}：费用增加 {band.up} 户、不变 {band.same} 户、"
                             f"减少 {band.down} 户")  # fmt: skip


def _pitch(catalog: Catalog, package: str) -> str:
    try:
        return catalog.get(package).pitch
    except Exception:  # a package no longer in the catalogue: no selling point to show
        return ""


class OptionsBar(QWidget):
    """按用量推荐, 最多降低月费, 维系降档 and its cap (spin boxes settle before a change)."""

    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.fit_check = named(QCheckBox("按客户实际用量推荐够用的套餐"), "fitUsageCheck",
                               "按用量推荐")  # fmt: skip
        self.fit_check.setToolTip("不按档位主推，而是给每位客户推荐流量、通话都够用的最便宜套餐")
        self.cut_spin = _percent(named(QSpinBox(), "maxCutSpin", "最多降低月费"))
        self.cut_spin.setToolTip(
            "换更小的套餐最多让客户每月费用降低多少；超过时改推备选或保持现套餐"
        )
        self.retention_check = named(QCheckBox("维系降档：资费偏高的客户降一档，最多少收"),
                                     "retentionCheck", "维系降档")  # fmt: skip
        self.retention_check.setToolTip("默认不降档。勾选后，资费偏高的客户可降一档（保留宽带、固话），"
                                        "每月最多少收右边的比例，列为“维系”并计入维系成本")  # fmt: skip
        self.retention_spin = _percent(named(QSpinBox(), "retentionCapSpin", "维系降档上限"))
        self._timer = QTimer(self, singleShot=True, interval=600)
        self._timer.timeout.connect(self._settled)
        for check in (self.fit_check, self.retention_check):
            check.toggled.connect(self._settled)
        for spin in (self.cut_spin, self.retention_spin):
            spin.editingFinished.connect(self._settled)
            spin.valueChanged.connect(lambda _v: self._timer.start())
        lay = row(self.fit_check, 16, "换更小的套餐最多让每月费用降低", self.cut_spin, 16,
                  self.retention_check, self.retention_spin, stretch=True)  # fmt: skip
        lay.setContentsMargins(0, 0, 0, 0)
        self.setLayout(lay)

    def _settled(self) -> None:
        self._timer.stop()
        self.retention_spin.setEnabled(self.retention_check.isChecked())
        self.edited.emit()

    def show_options(self, options: OfferOptions) -> None:
        for widget, value in ((self.fit_check, options.fit_usage),
                              (self.retention_check, options.retention),
                              (self.cut_spin, round(options.max_cut * 100)),
                              (self.retention_spin, round(options.retention_cap * 100))):  # fmt: skip
            widget.blockSignals(True)
            widget.setChecked(value) if isinstance(widget, QCheckBox) else widget.setValue(value)
            widget.blockSignals(False)
        self.retention_spin.setEnabled(options.retention)

    def options(self, current: OfferOptions) -> OfferOptions:
        """``current`` with what the controls say."""
        return current.replace(
            fit_usage=self.fit_check.isChecked(), max_cut=self.cut_spin.value() / 100,
            retention=self.retention_check.isChecked(),
            retention_cap=self.retention_spin.value() / 100)  # fmt: skip


def _percent(spin: QSpinBox) -> QSpinBox:
    spin.setRange(0, 90)
    spin.setSuffix("%")
    return spin


class OffersTable(QWidget):
    """``offersTable``: one row per customer, filters by 档位 and 标签, search, 导出 Excel."""

    export_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.model = CustomerTableModel(self)
        self.proxy = CustomerProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = named(table_view(), "offersTable", "推荐结果")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.band_filter = named(QComboBox(), "offerBandFilter", "按档位筛选")
        self.tag_filter = named(QComboBox(), "offerTagFilter", "按标签筛选")
        self.search = named(QLineEdit(), "offerSearch", "搜索客户")
        self.search.setPlaceholderText("搜索客户名称或号码")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(lambda: self.proxy.set_search(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.count_label = QLabel()
        self.export_button = named(QPushButton("导出 Excel…"), "exportOffersButton", "导出推荐结果")
        self.export_button.clicked.connect(self.export_requested)
        filters = row("档位：", self.band_filter, "标签：", self.tag_filter, self.search,
                      self.count_label, self.export_button)  # fmt: skip
        filters.setStretch(4, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(section_title("每位客户的推荐"))
        lay.addLayout(filters)
        lay.addWidget(self.view, 1)
        self._offers: Any = None
        for combo in (self.band_filter, self.tag_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())

    def show_offers(self, analysis: Analysis, keys: list[str], headers: dict[str, str],
                    columns: Any) -> None:  # fmt: skip
        from core.marketing import TAG_NAMES

        first = self._offers is None
        self._offers = analysis.offers
        self.model.set_frame(analysis.offers, keep_order=True, keys=keys, headers=headers,
                             columns=columns)  # fmt: skip
        refill_combo(self.band_filter, [ALL, *analysis.scheme.labels])
        refill_combo(self.tag_filter, [ALL, *TAG_NAMES.values()])
        self.apply_filters()
        if first:
            self.view.resizeColumnsToContents()
            for c in range(self.model.columnCount()):
                self.view.setColumnWidth(c, min(self.view.columnWidth(c), 260))

    def apply_filters(self) -> None:
        offers = self._offers
        if offers is None:
            return
        mask = np.ones(len(offers), dtype=bool)
        band = self.band_filter.currentText()
        if band and band != ALL:
            mask &= (offers["band"].astype("object") == band).to_numpy(dtype=bool)
        tag = self.tag_filter.currentText()
        if tag and tag != ALL and "tags" in offers.columns:
            tags = offers["tags"].astype("string")
            mask &= tags.str.contains(tag, regex=False, na=False).to_numpy(dtype=bool)
        self.model.set_filter(None if mask.all() else mask)
        shown = self.model.rowCount()
        self.count_label.setText(f"{shown:,} 位" if shown == len(offers) else
                                 f"{shown:,} / {len(offers):,} 位")  # fmt: skip


class CatalogTab(QWidget):
    """套餐库: ``catalogTable`` checked row by row, with 添加/删除/载入/另存为/恢复默认."""

    requested = Signal(str)  # "add" | "remove" | "load" | "save" | "default"

    def __init__(self) -> None:
        super().__init__()
        self.model = CatalogTableModel(self)
        self.view = named(table_view(editable=True), "catalogTable", "套餐库")
        self.view.setModel(self.model)
        self.message = named(hint_label(""), "catalogMessage", "套餐库问题")
        buttons = request_buttons((
            ("add", "添加套餐", "addPackageButton", "在末尾添加一行，填写名称和月费"),
            ("remove", "删除选中的套餐", "removePackageButton", ""),
            ("load", "载入套餐库…", "loadCatalogButton", "打开一个套餐库 .xlsx"),
            ("save", "另存为…", "saveCatalogButton", "保存为 .xlsx，可在 Excel 中修改"),
            ("default", "恢复默认套餐库", "defaultCatalogButton", "程序自带的套餐库"),
        ), self.requested.emit).values()  # fmt: skip
        lay = QVBoxLayout(self)
        lay.addWidget(hint_label(CATALOG_HELP))
        lay.addLayout(row(*buttons, stretch=True))
        lay.addWidget(self.message)
        lay.addWidget(self.view, 1)

    def show_catalog(self, catalog: Catalog) -> None:
        self.model.set_catalog(catalog)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(KEYS.index("pitch"),
                                                          QHeaderView.ResizeMode.Stretch)  # fmt: skip

    def add_row(self) -> None:
        index = self.model.index(self.model.add_row(), 0)
        self.view.scrollTo(index)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
