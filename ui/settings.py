"""The GUI's settings: one typed object over one QSettings (INI) file.

The file lives in ``core.base.appdata.data_dir()`` (``settings.ini``), so tests that set
``JINZITA_DATA_DIR`` never touch the user's real settings. No other module calls
QSettings directly: add a property here instead.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from core.base import data_dir

SETTINGS_FILE = "settings.ini"
MAX_RECENT = 8


class Settings:
    """Typed access to what the window remembers between runs."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / SETTINGS_FILE
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    # --- first run -------------------------------------------------------------------------
    @property
    def first_run(self) -> bool:
        """True until the user has opened a customer list once."""
        return _to_bool(self._qs.value("general/first_run", True))

    @first_run.setter
    def first_run(self, value: bool) -> None:
        self._qs.setValue("general/first_run", bool(value))
        self._qs.sync()

    # --- recent files ------------------------------------------------------------------------
    @property
    def recent_files(self) -> list[str]:
        raw = self._qs.value("files/recent", "[]")
        try:
            items = json.loads(str(raw))
        except ValueError:
            return []
        return (
            [str(p) for p in items if isinstance(p, str)][:MAX_RECENT]
            if isinstance(items, list)
            else []
        )

    @recent_files.setter
    def recent_files(self, paths: list[str]) -> None:
        # stored as one JSON string: QSettings turns a one-item list into a plain string
        self._qs.setValue("files/recent", json.dumps(list(paths)[:MAX_RECENT], ensure_ascii=False))
        self._qs.sync()

    def add_recent_file(self, path: str | Path) -> list[str]:
        """Put ``path`` first in the list (no duplicates); return the new list."""
        text = str(Path(path).resolve())
        key = _path_key(text)
        paths = [text, *(p for p in self.recent_files if _path_key(p) != key)]
        self.recent_files = paths
        return self.recent_files

    def remove_recent_file(self, path: str | Path) -> None:
        key = _path_key(str(path))
        self.recent_files = [p for p in self.recent_files if _path_key(p) != key]

    def clear_recent_files(self) -> None:
        self.recent_files = []

    # --- last folder used in the open dialog ----------------------------------------------------
    @property
    def last_dir(self) -> str:
        return str(self._qs.value("files/last_dir", "") or "")

    @last_dir.setter
    def last_dir(self, folder: str) -> None:
        self._qs.setValue("files/last_dir", str(folder))
        self._qs.sync()

    # --- window ---------------------------------------------------------------------------------
    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)
        self._qs.sync()

    @property
    def window_state(self) -> QByteArray | None:
        value = self._qs.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)
        self._qs.sync()


def _to_bool(value: object) -> bool:
    if isinstance(value, str):  # INI files give strings back
        return value.strip().lower() not in ("false", "0", "no", "")
    return bool(value)


def _path_key(path: str) -> str:
    """Compare paths the way Windows does (case-insensitive there)."""
    return path.lower() if sys.platform == "win32" else path
