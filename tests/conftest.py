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
