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
RECENT_FILES = "files/recent"
RECENT_CAMPAIGNS = "campaigns/recent"


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

    # --- recent files (customer lists) and recent campaigns ----------------------------------
    def _paths(self, key: str) -> list[str]:
        raw = self._qs.value(key, "[]")
        try:
            items = json.loads(str(raw))
        except ValueError:
            return []
        return (
            [str(p) for p in items if isinstance(p, str)][:MAX_RECENT]
            if isinstance(items, list)
            else []
        )

    def _set_paths(self, key: str, paths: list[str]) -> None:
        # stored as one JSON string: QSettings turns a one-item list into a plain string
        self._qs.setValue(key, json.dumps(list(paths)[:MAX_RECENT], ensure_ascii=False))
        self._qs.sync()

    def _add_path(self, key: str, path: str | Path) -> list[str]:
        text = str(Path(path).resolve())
        same = _path_key(text)
        self._set_paths(key, [text, *(p for p in self._paths(key) if _path_key(p) != same)])
        return self._paths(key)

    def _remove_path(self, key: str, path: str | Path) -> None:
        same = _path_key(str(path))
        self._set_paths(key, [p for p in self._paths(key) if _path_key(p) != same])

    @property
    def recent_files(self) -> list[str]:
        return self._paths(RECENT_FILES)

    @recent_files.setter
    def recent_files(self, paths: list[str]) -> None:
        self._set_paths(RECENT_FILES, paths)

    def add_recent_file(self, path: str | Path) -> list[str]:
        """Put ``path`` first in the list (no duplicates); return the new list."""
        return self._add_path(RECENT_FILES, path)

    def remove_recent_file(self, path: str | Path) -> None:
        self._remove_path(RECENT_FILES, path)

    def clear_recent_files(self) -> None:
        self.recent_files = []

    @property
    def recent_campaigns(self) -> list[str]:
        return self._paths(RECENT_CAMPAIGNS)

    def add_recent_campaign(self, path: str | Path) -> list[str]:
        return self._add_path(RECENT_CAMPAIGNS, path)

    def remove_recent_campaign(self, path: str | Path) -> None:
        self._remove_path(RECENT_CAMPAIGNS, path)

    @property
    def last_visitor(self) -> str:
        """The 走访人 typed last (the visit form starts with it)."""
        return str(self._qs.value("visits/last_visitor", "") or "")

    @last_visitor.setter
    def last_visitor(self, name: str) -> None:
        self._qs.setValue("visits/last_visitor", str(name))
        self._qs.sync()

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
