"""文件 → 打开城市数据库…: the city office's read-only view against a real PostgreSQL
(issue 25): the campaigns, the combined results by 单位/档位/走访人, Chinese reasons for a
failed connection, and a password that is never shown nor saved unless asked."""

from __future__ import annotations

import os
import stat
import sys

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QTableView

from core.campaign import combined_results, push_file
from tests.city_helpers import city_campaign

PASSWORD_ENV = "JINZITA_TEST_DB_PASSWORD"


@pytest.fixture
def pushed(tmp_path, city_db):
    paths = [city_campaign(tmp_path / f"县{i}.jzt", n=20, seed=50 + i, branch=f"第{i}县分公司")
             for i in range(2)]  # fmt: skip
    for path in paths:
        push_file(path, city_db)
    return city_db, paths


def _open_dialog(window):
    action = window.findChild(type(window.city_db_action), "cityDbAction")
    assert action is not None and action.text() == "打开城市数据库…"
    assert action in window.menuBar().actions()[0].menu().actions()  # in 文件
    action.trigger()
    dialog = window.findChild(QLabel, "cityDbStatus").window()
    assert dialog.objectName() == "cityDbDialog"
    assert dialog.accessibleName() == "打开城市数据库"
    return dialog


def _cells(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]  # fmt: skip


def test_the_city_view_lists_campaigns_and_their_results(qtbot, window, pushed, monkeypatch):
    url, paths = pushed
    if not os.environ.get(PASSWORD_ENV):
        pytest.skip("测试数据库不是 tests/pg_cluster.py 启动的（没有测试密码），跳过")
    password = os.environ[PASSWORD_ENV]
    monkeypatch.delenv("PGPASSFILE")  # the password typed in the dialog is what logs in
    dialog = _open_dialog(window)
    url_edit = dialog.findChild(QLineEdit, "cityDbUrl")
    secret = dialog.findChild(QLineEdit, "cityDbPassword")
    assert secret.echoMode() == QLineEdit.EchoMode.Password
    url_edit.setText(url)
    secret.setText(password)
    dialog.findChild(type(dialog.connect_button), "cityDbConnect").click()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "cityCampaignsTable") is not None,
                    timeout=20_000)  # fmt: skip
    campaigns = window.findChild(QTableView, "cityCampaignsTable")
    view = campaigns.window()
    assert view.objectName() == "cityDbView" and "只读" in view.windowTitle()
    assert password not in view.windowTitle()
    rows = _cells(campaigns)
    assert [r[0] for r in rows] == ["第0县分公司", "第1县分公司"]
    assert [r[3] for r in rows] == ["20", "20"]  # customers
    by_branch = combined_results(paths, by="branch")
    for row, (group, funnel) in zip(rows, by_branch.rows(), strict=False):
        assert row[0] == group and (int(row[4]), int(row[5])) == (funnel.visited, funnel.signed)
    results = window.findChild(QTableView, "cityResultsTable")
    table = _cells(results)
    assert [(r[0], int(r[1])) for r in table] == [(g, f.planned) for g, f in by_branch.rows()]
    # grouped by 走访人 instead: read again on a worker thread, the same as the files
    by = window.findChild(QComboBox, "cityByCombo")
    by.setCurrentIndex(by.findData("staff"))
    by_staff = combined_results(paths, by="staff")
    qtbot.waitUntil(lambda: len(_cells(results)) == len(by_staff.rows()) and by.isEnabled(),
                    timeout=20_000)  # fmt: skip
    assert [(r[0], int(r[5])) for r in _cells(results)] == [
        (g, f.signed) for g, f in by_staff.rows()
    ]
    # the password was not asked to be kept: the settings file has the address only
    from core.campaign import city_settings

    assert city_settings() == {"url": url}
    for path in _files_written():
        with open(path, encoding="utf-8", errors="replace") as fh:
            assert password not in fh.read(), path
    view.close()


def _files_written() -> list[str]:
    folder = os.environ["JINZITA_DATA_DIR"]
    return [os.path.join(d, f) for d, _dirs, files in os.walk(folder) for f in files]


def test_a_saved_password_is_private_and_used_again(qtbot, window, pushed, monkeypatch):
    url, _paths = pushed
    if not os.environ.get(PASSWORD_ENV):
        pytest.skip("测试数据库不是 tests/pg_cluster.py 启动的（没有测试密码），跳过")
    password = os.environ[PASSWORD_ENV]
    monkeypatch.delenv("PGPASSFILE")
    dialog = _open_dialog(window)
    dialog.url.setText(url)
    dialog.password.setText(password)
    dialog.remember.setChecked(True)
    dialog.connect_button.click()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "cityCampaignsTable") is not None,
                    timeout=20_000)  # fmt: skip
    from core.campaign.city_config import settings_path

    if sys.platform != "win32":
        assert stat.S_IMODE(settings_path().stat().st_mode) == 0o600
    window.findChild(QTableView, "cityCampaignsTable").window().close()
    again = _open_dialog(window)  # the address is filled in, the password not shown
    assert again.url.text() == url and again.password.text() == ""
    assert again.remember.isChecked()
    again.connect_button.click()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "cityCampaignsTable") is not None,
                    timeout=20_000)  # fmt: skip


@pytest.mark.parametrize("case", ["wrong password", "no server", "no driver", "bad address"])
def test_a_failed_connection_says_why_in_chinese(qtbot, window, pushed, monkeypatch, case):
    url, _paths = pushed
    monkeypatch.delenv("PGPASSFILE")
    secret = "Secret-Not-Shown-7"
    port = url.split(":")[2].split("/")[0]
    address, words = {
        "wrong password": (url, "用户名或密码不对"),
        "no server": (url.replace(port, "1"), "连不上"),
        "no driver": (url, 'pip install -e ".[server]"'),
        "bad address": ("http://城市/库", "应以 postgresql:// 开头"),
    }[case]
    if case == "no driver":
        monkeypatch.setitem(sys.modules, "psycopg", None)
    dialog = _open_dialog(window)
    dialog.url.setText(address)
    dialog.password.setText(secret)
    dialog.connect_button.click()
    status = dialog.findChild(QLabel, "cityDbStatus")
    qtbot.waitUntil(lambda: status.property("error") is True, timeout=20_000)
    assert words in status.text() and secret not in status.text()
    assert dialog.isVisible() and dialog.connect_button.isEnabled()
    assert window.findChild(QTableView, "cityCampaignsTable") is None
    dialog.reject()
