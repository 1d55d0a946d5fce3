"""The main window's menus, toolbar and status bar, and what their actions call.

``WindowChrome`` builds the actions once (文件, 编辑, 帮助: 使用手册 (F1) and 关于), wires them to the window's
controllers and pages, and keeps the status bar's permanent labels (file, customers,
band scheme, open campaign) current. It is part of the window, kept apart so the window
class only composes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QStyle, QToolBar

if TYPE_CHECKING:
    from core.importing import ImportResult
    from ui.main_window import MainWindow


class WindowChrome:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.services = window.services
        self._file_actions()
        self._edit_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()

    def _action(self, text: str, slot: Callable[..., Any], *, name: str = "", tip: str = "",
                icon: QStyle.StandardPixmap | None = None, shortcut: Any = None,
                enabled: bool = True) -> QAction:  # fmt: skip
        action = QAction(text, self.window)
        if name:
            action.setObjectName(name)
        if icon is not None:
            action.setIcon(self.window.style().standardIcon(icon))
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        action.setEnabled(enabled)
        return action

    def _file_actions(self) -> None:
        w, pix = self.window, QStyle.StandardPixmap
        imports, campaigns = w.imports, w.campaigns
        self.open_action = self._action(
            "打开客户清单…", imports.choose_file, icon=pix.SP_DialogOpenButton,
            shortcut=QKeySequence.StandardKey.Open,
            tip="选择从系统导出的客户清单文件（.xlsx / .xls / .csv）")  # fmt: skip
        self.sample_action = self._action("打开示例", imports.open_sample,
                                          icon=pix.SP_FileDialogDetailedView,
                                          tip="打开程序自带的示例客户清单")  # fmt: skip
        self.mapping_action = self._action(
            "修改列对应…", imports.edit_mapping, enabled=False,
            tip="查看或修改表格中每一列对应的项目（如哪一列是月均消费），然后重新导入")  # fmt: skip
        self.sheet_action = self._action("选择工作表…", imports.choose_sheet, enabled=False,
                                         tip="文件里有多张工作表时，选择存放客户清单的那一张")  # fmt: skip
        self.quit_action = self._action("退出", w.close, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.print_action = self._action(
            "打印建议书…", w.print_letters, name="printAction", icon=pix.SP_FileIcon,
            shortcut=QKeySequence.StandardKey.Print, enabled=False,
            tip="打印所选客户的《客户建议书》或《信息反馈表》")  # fmt: skip
        self.new_campaign_action = self._action(
            "保存为营销活动…", campaigns.new_campaign, name="newCampaignAction", enabled=False,
            tip="把打开的客户清单、分档和推荐套餐存成一个营销活动文件（.jzt）：以后的修改"
                "自动保存在里面，走访也记在里面")  # fmt: skip
        self.open_campaign_action = self._action("打开营销活动…", campaigns.choose_campaign,
                                                 name="openCampaignAction")  # fmt: skip
        self.save_campaign_action = self._action("营销活动另存为…", campaigns.save_campaign_as,
                                                 enabled=False)  # fmt: skip
        self.close_campaign_action = self._action("关闭营销活动", campaigns.close_campaign,
                                                  enabled=False)  # fmt: skip
        self.city_db_action = self._action(
            "打开城市数据库…", self.open_city_db, name="cityDbAction",
            tip="市分公司查看各县推送到城市数据库的营销活动和合计的走访结果（只读）")  # fmt: skip

    def _edit_actions(self) -> None:
        w, pix, undo = self.window, QStyle.StandardPixmap, self.services.undo
        self.undo_action = undo.createUndoAction(w, "撤销")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(w.style().standardIcon(pix.SP_ArrowBack))
        self.redo_action = undo.createRedoAction(w, "重做")
        self.redo_action.setObjectName("redoAction")
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:  # Windows users expect Ctrl+Y everywhere
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.setIcon(w.style().standardIcon(pix.SP_ArrowForward))
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.settings_action = self._action(
            "设置…", self.open_settings, name="settingsAction",
            tip="建议书和报表上的落款单位、客户经理、电话、标志、服务承诺")  # fmt: skip
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about_action = self._action("关于", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.manual_action = self._action(
            "使用手册", self.show_manual, name="manualAction", icon=pix.SP_DialogHelpButton,
            shortcut=QKeySequence(Qt.Key.Key_F1), tip="打开程序自带的使用手册（F1）")  # fmt: skip
        self.manual_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)

    def _make_menus(self) -> None:
        bar = self.window.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.addActions([self.open_action, self.sample_action])
        self.recent_menu = file_menu.addMenu("最近打开")
        for group in ((self.mapping_action, self.sheet_action), (self.print_action,),
                      (self.new_campaign_action, self.open_campaign_action)):  # fmt: skip
            file_menu.addSeparator()
            file_menu.addActions(list(group))
        self.recent_campaigns_menu = file_menu.addMenu("最近的营销活动")
        file_menu.addActions([self.save_campaign_action, self.close_campaign_action])
        file_menu.addSeparator()
        file_menu.addAction(self.city_db_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("编辑(&E)")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self.manual_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _make_toolbar(self) -> None:
        bar = QToolBar("工具栏", self.window)
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for group in ((self.open_action, self.sample_action), (self.undo_action, self.redo_action),
                      (self.print_action,), (self.mapping_action, self.settings_action)):  # fmt: skip
            if bar.actions():
                bar.addSeparator()
            bar.addActions(list(group))
        self.window.addToolBar(bar)

    def _make_status_bar(self) -> None:
        self.file_label, self.count_label = QLabel(), QLabel()
        self.scheme_label, self.campaign_label = QLabel(), QLabel()
        for label in (self.file_label, self.count_label, self.scheme_label, self.campaign_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.window.statusBar().addPermanentWidget(label)

    # --- keeping them current ------------------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        """While a list is being imported nothing else can be opened."""
        result = self.window.imports.result
        for action in (self.open_action, self.sample_action, self.recent_menu.menuAction()):
            action.setEnabled(not busy)
        self.mapping_action.setEnabled(not busy and result is not None)
        self.sheet_action.setEnabled(not busy and result is not None and len(result.sheets) > 1)

    def list_changed(self, result: ImportResult | None) -> None:
        self.print_action.setEnabled(result is not None)
        self.file_label.setText("" if result is None else result.source.name)
        self.file_label.setToolTip("" if result is None else str(result.source))
        self.update_status()

    def update_status(self, *_args: object) -> None:
        state = self.services.state
        result = state.result
        if result is None:
            self.count_label.setText("")
            self.scheme_label.setText("")
            return
        self.count_label.setText(f"客户 {len(result.customers):,} 位（可分档 "
                                 f"{result.customer_count:,}）")  # fmt: skip
        scheme = state.scheme
        busy = "（正在计算…）" if state.busy else ""
        self.scheme_label.setText(f"分档：{scheme.name}，{len(scheme.bands)} 档{busy}")
        self.scheme_label.setToolTip(" / ".join(b.display for b in scheme.bands))

    def campaign_changed(self) -> None:
        campaign = self.services.state.campaign
        for action in (self.save_campaign_action, self.close_campaign_action):
            action.setEnabled(campaign is not None)
        self.new_campaign_action.setEnabled(campaign is None and self.services.state.has_list)
        self.campaign_label.setText(f"活动：{campaign.info.name}" if campaign is not None else "")

    def refresh_recent(self) -> None:
        settings, imports = self.services.settings, self.window.imports
        paths = settings.recent_files

        def clear() -> None:
            settings.clear_recent_files()
            self.refresh_recent()

        _fill_recent(self.recent_menu, paths, imports.open_recent, clear)
        self.window.welcome.set_recent(paths)

    def refresh_recent_campaigns(self) -> None:
        paths = self.services.settings.recent_campaigns
        _fill_recent(self.recent_campaigns_menu, paths, self.window.campaigns.open_campaign)
        self.window.welcome.set_recent_campaigns(paths)

    # --- settings and help ---------------------------------------------------------------------
    def open_settings(self) -> object:
        from ui.dialogs.settings_dialog import SettingsDialog

        state = self.services.state
        campaign = state.campaign.info.name if state.campaign is not None else ""
        dialog = SettingsDialog(state.scheme.labels, self.window, current=state.signing_settings(),
                                campaign=campaign)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.services.messages.say("设置已保存。"))
        dialog.accepted.connect(lambda: self.services.state.apply_settings(dialog.saved))
        dialog.open()
        return dialog

    def open_city_db(self) -> object:
        from ui.dialogs.city_db_dialog import open_city_database

        return open_city_database(self.services, self.window)

    def show_manual(self) -> object:
        from ui.dialogs.manual_dialog import show_manual

        return show_manual(self.window)

    def show_about(self) -> None:
        from ui.main_window import APP_TITLE, APP_VERSION

        QMessageBox.about(
            self.window,
            f"关于{APP_TITLE}",
            f"<h3>{APP_TITLE}</h3><p>版本 {APP_VERSION}</p>"
            "<p>县分公司聚类市场扫场助手：导入客户清单，按月均消费分档，"
            "为每档定主推套餐，生成客户建议书和走访记录表，统计结果并导出报表。</p>"
            "<p>所有数据都只保存在本机，不会上传。</p>",
        )

    # the window's tests and tools reach these through the window (see MainWindow.__getattr__)
    ACTIONS = ("open_action", "sample_action", "mapping_action", "sheet_action", "quit_action",
               "print_action", "new_campaign_action", "open_campaign_action",
               "save_campaign_action", "close_campaign_action", "city_db_action", "undo_action", "redo_action",
               "settings_action", "about_action", "manual_action", "recent_menu", "recent_campaigns_menu",
               "file_label", "count_label", "scheme_label", "campaign_label")  # fmt: skip


def _fill_recent(menu: Any, paths: list[str], open_one: Callable[[str], Any],
                 clear: Callable[[], None] | None = None) -> None:  # fmt: skip
    """A 最近打开 menu: numbered file names (full path in the tooltip), or （无）."""
    menu.clear()
    for i, path in enumerate(paths, start=1):
        action = menu.addAction(f"&{i} {Path(path).name}")
        action.setToolTip(path)
        action.setStatusTip(path)
        action.triggered.connect(lambda _checked=False, p=path: open_one(p))
    if paths and clear is not None:
        menu.addSeparator()
        menu.addAction("清除列表", clear)
    if not paths:
        menu.addAction("（无）").setEnabled(False)
