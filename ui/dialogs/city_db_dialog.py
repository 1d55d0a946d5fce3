"""文件 → 打开城市数据库…: the city office's read-only view of every county's campaigns
(issue 25).

``CityDbDialog`` (``cityDbDialog``) asks where the database is (``cityDbUrl``) and the
password (``cityDbPassword``, never echoed; kept in the settings file, readable by the
user alone, only when ``cityDbSavePassword`` is ticked), connects on a worker thread and
says in Chinese why it could not (wrong password, no server, no driver) — never showing
the password. ``CityDbView`` (``cityDbView``) then lists the campaigns
(``cityCampaignsTable``: 单位, name, customers, visited, signed …) and their combined
results (``cityResultsTable``, grouped by ``cityByCombo``: 单位, 档位, 走访人 …) with the
走访 page's results table and funnel chart. Nothing can be changed from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.models.band_models import FrameModel
from ui.pages.visits.panels import ResultsTab
from ui.widgets.common import column, fit_to_screen, hint_label, named, table_view
from ui.workers import Worker

if TYPE_CHECKING:
    from ui.services import Services

EXAMPLE = "postgresql://city_reader@10.0.0.5:5432/jinzita?sslmode=verify-full"
# the city office looks at counties first; the other groupings follow the 走访 page's
CITY_BY = ("branch", "band", "staff", "plan", "tag", "day", "origin")


def _run(services: Services, fn: Callable[..., Any], *args: Any,
         finished: Callable[[Any], None], failed: Callable[[str], None]) -> Worker:  # fmt: skip
    """``fn(*args)`` on a worker thread; the result or the Chinese reason comes back."""
    from ui.jobs import failure_text

    worker = Worker(fn, *args)
    worker.signals.finished.connect(finished)
    worker.signals.failed.connect(
        lambda error: failed("".join(failure_text(error, "读取城市数据库")))
    )
    services.tasks.submit(worker)
    return worker


class CityDbDialog(QDialog):
    """Where the city database is and the password; 连接 opens the read-only view."""

    opened = Signal(object)  # the CityOverview read

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        from core.base import UserError
        from core.campaign import city_settings

        super().__init__(parent)
        named(self, "cityDbDialog", "打开城市数据库")
        self.setWindowTitle("打开城市数据库（只读）")
        self.services = services
        self.worker: Worker | None = None
        self.target: Any = None  # the database connected to (with the password, in memory)
        try:
            saved = city_settings()
        except UserError as err:  # an unreadable or too open settings file: say so
            saved = {}
            self._saved_error = f"{err.message}{err.hint}"
        else:
            self._saved_error = ""
        self.url = named(QLineEdit(str(saved.get("url") or "")), "cityDbUrl", "数据库地址")
        self.url.setPlaceholderText(EXAMPLE)
        self.url.setMinimumWidth(420)
        self.password = named(QLineEdit(), "cityDbPassword", "密码")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("有密码文件（PGPASSFILE）时可不填"
                                         if not saved.get("password") else "已保存（不显示）")  # fmt: skip
        self.remember = named(QCheckBox("在本机保存密码（只有本人能读的设置文件）"),
                              "cityDbSavePassword", "保存密码")  # fmt: skip
        self.remember.setChecked(bool(saved.get("password")))
        self.status = named(hint_label(self._saved_error or "市分公司 IT 提供地址和只读账号，"
                                       "见 docs/city-database.md。只能查看，不能修改。"),
                            "cityDbStatus", "连接状态")  # fmt: skip
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = named(self.buttons.addButton(
            "连接", QDialogButtonBox.ButtonRole.AcceptRole), "cityDbConnect", "连接")  # fmt: skip
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("数据库地址：", self.url)
        form.addRow("密码：", self.password)
        form.addRow("", self.remember)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)

    def _target(self) -> Any:
        """The database and password to use (a saved password only for the saved URL)."""
        from core.campaign import city_login, city_settings

        typed = self.password.text()
        saved = city_settings() if not typed else {}
        target = city_login(self.url.text(), typed or None)
        if not typed and saved.get("password") and target.password is None:
            same = city_login(str(saved.get("url") or "")).url == target.url
            target = city_login(target.url, saved["password"] if same else None)
        return target

    def try_connect(self) -> None:
        from core.base import UserError
        from core.campaign import city_overview

        try:
            target = self._target()
        except UserError as err:
            self._failed(f"{err.message}{err.hint}")
            return
        self.connect_button.setEnabled(False)
        self._say(f"正在连接 {target.display} …", error=False)
        self.worker = _run(self.services, city_overview, target, "branch",
                           finished=lambda overview: self._connected(target, overview),
                           failed=self._failed)  # fmt: skip

    def _connected(self, target: Any, overview: Any) -> None:
        from core.base import UserError
        from core.campaign import save_city_settings

        try:
            save_city_settings(target.url, target.password if self.remember.isChecked() else None)
        except (UserError, OSError):
            self.services.messages.say("城市数据库地址没能保存到设置文件，下次需要重新输入。")
        self.password.clear()
        self.target = target
        self.opened.emit(overview)
        self.accept()

    def _failed(self, text: str) -> None:
        self.connect_button.setEnabled(True)
        self._say(text, error=True)

    def _say(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)


class CityDbView(QDialog):
    """The city database, read-only: its campaigns and their combined results."""

    def __init__(self, services: Services, target: Any, overview: Any,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        named(self, "cityDbView", "城市数据库（只读）")
        self.setWindowTitle(f"城市数据库（只读）— {overview.where}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.services, self.target = services, target
        self.worker: Worker | None = None
        self.where = named(QLabel(), "cityDbWhere", "数据库")
        self.where.setWordWrap(True)
        self.campaigns_model = FrameModel(self)
        self.campaigns = named(table_view(), "cityCampaignsTable", "城市数据库里的营销活动")
        self.campaigns.setModel(self.campaigns_model)
        self.results = ResultsTab()
        named(self.results.view, "cityResultsTable", "各单位合计的走访统计")
        named(self.results.by_combo, "cityByCombo", "统计方式")
        self._order_by_choices()
        self.results.by_changed.connect(self.reload)
        self.status = named(hint_label(""), "cityViewStatus", "读取状态")
        split = QSplitter(Qt.Orientation.Vertical)  # the campaigns above, their results below
        split.addWidget(column(self.campaigns, self.status, stretch=False))
        split.addWidget(self.results)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.where)
        lay.addWidget(split, 1)
        fit_to_screen(self, 1000, 820)
        self.show_overview(overview)
        rows = min(max(len(overview.rows), 3), 8)  # every campaign in sight, up to eight
        height = (self.campaigns.horizontalHeader().sizeHint().height() + 12
                  + 2 * self.campaigns.frameWidth() + self.status.sizeHint().height())  # fmt: skip
        split.setSizes([height + rows * self.campaigns.verticalHeader().defaultSectionSize(),
                        self.height()])  # fmt: skip

    def _order_by_choices(self) -> None:
        combo = self.results.by_combo
        texts = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
        combo.blockSignals(True)
        combo.clear()
        for key in CITY_BY:
            combo.addItem(texts.get(key, key), key)
        combo.setCurrentIndex(0)
        combo.blockSignals(False)

    def show_overview(self, overview: Any) -> None:
        import pandas as pd

        frame = pd.DataFrame(overview.rows, columns=["单位", "营销活动", "文件", "客户", "已走访",
                                                     "已成交", "轮次", "推送时间", "推送人"])  # fmt: skip
        self.campaigns_model.set_frame(frame.set_index("单位"), "单位")
        self.campaigns.resizeColumnsToContents()
        total = sum(r["客户"] for r in overview.rows)
        self.where.setText(f"{overview.where}：{len(overview.rows)} 个营销活动，{total:,} 位客户。"
                           "这里只能查看；各县的修改在营销活动文件里做，再推送（campaign push）。")  # fmt: skip
        self.results.show_results(overview.results)
        self.status.setText("")

    def reload(self) -> None:
        """Read the database again, grouped as ``cityByCombo`` says (on a worker thread)."""
        from core.campaign import city_overview

        by = self.results.by_combo.currentData()
        self.results.by_combo.setEnabled(False)
        self.status.setText("正在读取城市数据库…")

        def done(overview: Any) -> None:
            self.results.by_combo.setEnabled(True)
            self.show_overview(overview)

        def failed(text: str) -> None:
            self.results.by_combo.setEnabled(True)
            self.status.setText(text)

        self.worker = _run(self.services, city_overview, self.target, by, finished=done,
                           failed=failed)  # fmt: skip


def open_city_database(services: Services, parent: QWidget) -> CityDbDialog:
    """The connect dialog; the view opens when it has connected."""
    dialog = CityDbDialog(services, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def show(overview: Any) -> None:
        view = CityDbView(services, dialog.target, overview, parent)
        dialog.view = view  # type: ignore[attr-defined]
        view.show()

    dialog.opened.connect(show)
    dialog.open()
    return dialog
