"""Where the program keeps what it remembers (column mappings, presets, settings).

One place decides the folder: ``JINZITA_DATA_DIR`` if set (tests point it at a temp
folder), else %APPDATA%\\价值金字塔营销助手 on Windows, else ~/.local/share/jinzita.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from core.base.files import atomic_write_text

APP_NAME = "价值金字塔营销助手"
ENV_VAR = "JINZITA_DATA_DIR"


def data_dir() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override)
    elif sys.platform == "win32":
        path = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / APP_NAME
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "jinzita"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_json(name: str, default: Any) -> Any:
    """Read ``name`` from the data folder; a missing or damaged file gives ``default``."""
    path = data_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def save_json(name: str, value: Any) -> None:
    atomic_write_text(data_dir() / name, json.dumps(value, ensure_ascii=False, indent=2))
