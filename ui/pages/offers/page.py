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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from ui.commands import set_value
from ui.pages.offers.panels import CatalogTab, OffersTable, OptionsBar, RulesPanel
from ui.widgets.common import hint_label, named, page_layout, show_hint

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
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


class OffersPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "offersPage", "主推套餐")
        self.state, self.undo = services.state, services.undo_stack(self)
        self.settings, self.messages = services.settings, services.messages
        self._shown: Analysis | None = None
        self.rules = RulesPanel()
        self.options = OptionsBar()
        self.policy_label = named(hint_label(""), "policyText", "推荐规则")
        self.plan_label = named(QLabel(), "planSummary", "推荐方案的收入影响")
        self.plan_label.setWordWrap(True)
        self.plan_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = hint_label("")
        self.offers = OffersTable()
        self.catalog = CatalogTab()
        offers_tab = QWidget()
        lay = QVBoxLayout(offers_tab)
        for widget in (self.rules, self.options, self.policy_label, self.plan_label,
                       self.notes_label):  # fmt: skip
            lay.addWidget(widget)
        lay.addSpacing(6)
        lay.addWidget(self.offers, 1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(offers_tab, "主推套餐与推荐结果")
        self.tabs.addTab(self.catalog, "套餐库")
        page_layout(self, self.tabs)
        o, t, c = self.options, self.offers, self.catalog  # the widgets tests reach by name
        self.fit_check, self.cut_spin, self.retention_spin = (
            o.fit_check,
            o.cut_spin,
            o.retention_spin,
        )
        self.retention_check, self.offer_view, self.search = o.retention_check, t.view, t.search
        self.band_filter, self.tag_filter, self.count_label = (
            t.band_filter,
            t.tag_filter,
            t.count_label,
        )
        self.catalog_model, self.catalog_view, self.catalog_message = c.model, c.view, c.message
        self._connect()
        self._inputs_changed()

    def _connect(self) -> None:
        self.rules.edited.connect(self._rule_edited)
        self.options.edited.connect(self._options_edited)
        self.offers.export_requested.connect(lambda: self.export_offers())
        self.catalog_model.changed.connect(self._set_catalog)
        self.catalog_model.problems.connect(self._catalog_problems)
        actions = {"add": self.catalog.add_row, "remove": self.remove_packages,
                   "load": self.load_catalog, "save": self.save_catalog,
                   "default": self.default_catalog}  # fmt: skip
        self.catalog.requested.connect(lambda key: actions[key]())
        self.state.add_preparer(OFFERS_VIEW, self.prepare_offers)
        self.state.inputsChanged.connect(self._inputs_changed)
        self.state.analysisReady.connect(self.show_analysis)

    # --- rules and options -----------------------------------------------------------------
    def _inputs_changed(self) -> None:
        options = self.state.options
        self.options.show_options(options)
        self.policy_label.setText("推荐规则：" + "".join(options.rules_text()))
        self.catalog.show_catalog(self.state.catalog)

    def _rule_edited(self, band: str, main: str, alt: str) -> None:
        from core.marketing import Rule

        state = self.state
        current = state.analysis.rules.get(band) if state.analysis else None
        if current is not None and (current.main, current.alt) == (main, alt):
            return
        rule = Rule(band, main, alt, current.strategy if current else "")
        set_value(self.undo, lambda r: state.set_choice(band, r), state.choices.get(band), rule,
                  f"“{band}”主推 {rule.main}")  # fmt: skip

    def _options_edited(self) -> None:
        state = self.state
        options = self.options.options(state.options)
        set_value(self.undo, state.set_options, state.options, options, "修改推荐选项")

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
        self.rules.show_rules(analysis)
        self.plan_label.setText(analysis.plan.text() if analysis.plan is not None else "")
        if analysis.plan is not None:
            self.rules.show_worth(analysis.plan)
        self.notes_label.setText("\n".join(analysis.notes))
        self.notes_label.setVisible(bool(analysis.notes))
        columns = analysis.views.get(OFFERS_VIEW) or self.prepare_offers(analysis)
        self.offers.show_offers(analysis, OFFER_KEYS, OFFER_HEADERS, columns)

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
    def _catalog_problems(self, text: str) -> None:
        show_hint(self.catalog_message, text, bool(text))
        self.catalog_message.setVisible(bool(text))

    def add_package(self) -> None:
        self.catalog.add_row()

    def remove_packages(self) -> None:
        rows = self.catalog.selected_rows()
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
