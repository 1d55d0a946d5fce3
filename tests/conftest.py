"""Shared test set-up: headless Qt and a private data folder for every test."""

from __future__ import annotations

import os

# Must be set before anything imports Qt: without a display pytest would abort.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own settings folder, never the user's real one."""
    monkeypatch.setenv("JINZITA_DATA_DIR", str(tmp_path_factory.mktemp("appdata")))
