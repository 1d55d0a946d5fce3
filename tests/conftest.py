"""Shared test set-up: headless Qt and a private data folder for every test."""

from __future__ import annotations

import os
import sys

# Must be set before anything imports Qt: without a display pytest would abort. Not on
# Windows: Qt's offscreen platform there sees no system font, so letters would be boxes and
# are refused. Windows (GitHub's runners too) always has a desktop for the real platform.
if sys.platform != "win32":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own settings folder, never the user's real one."""
    monkeypatch.setenv("JINZITA_DATA_DIR", str(tmp_path_factory.mktemp("appdata")))


@pytest.fixture
def warnings(monkeypatch):
    """QMessageBox.warning/critical are recorded (title, text) instead of blocking a test."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def fake(parent, title, text, *args, **kwargs):
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", fake)
    monkeypatch.setattr(QMessageBox, "critical", fake)
    return shown


@pytest.fixture
def city_db():
    """The URL of an empty city database on a throw-away local PostgreSQL (tests/pg_cluster:
    the one .ci/run started, else one started for this test run); the test is skipped, with
    the reason, when there is no driver or no server."""
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:
        pytest.skip('没有安装 psycopg（pip install -e ".[server]"），跳过城市数据库的测试')
    from tests.city_helpers import empty_database
    from tests.pg_cluster import test_url

    url, why = test_url()
    if not url:
        pytest.skip(why)
    empty_database(url)
    return url
