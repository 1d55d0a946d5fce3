"""Where the files the program ships live: one function for source checkouts and frozen builds.

From source, ``resources/`` is next to ``core/``. In the PyInstaller folder
(packaging/jinzita.spec) it is next to the program, where users find the catalog, the
templates and the fonts folder; a bundle that keeps it inside ``sys._MEIPASS`` (the
folder the bundle unpacks to, ``_internal``) works too. Every module that needs a
shipped file (catalog, column synonyms, templates, fonts, the sample list) asks here.
"""

from __future__ import annotations

import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent.parent


def app_root() -> Path:
    """The program's folder: the checkout, or the folder holding ``resources`` when frozen."""
    if getattr(sys, "frozen", False):
        beside = Path(sys.executable).resolve().parent
        if (beside / "resources").is_dir():
            return beside
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) if base else _SOURCE_ROOT


def resources_dir() -> Path:
    return app_root() / "resources"


def resource(*parts: str) -> Path:
    """A shipped file, e.g. ``resource("templates", "建议书.txt")``."""
    return resources_dir().joinpath(*parts)
