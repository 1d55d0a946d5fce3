"""Run inside a letter worker process by tests/ui/test_worker_fonts.py (importable when spawned)."""

from __future__ import annotations


def qt_in_worker(family: str) -> dict[str, object]:
    """The Qt platform this worker runs on and whether it can use ``family``."""
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    return {
        "platform": QGuiApplication.platformName(),
        "usable": family in QFontDatabase.families(),
    }
