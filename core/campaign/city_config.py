"""Where the city database is and how to log in (issue 25) — without ever writing a password.

The address is a libpq URL, ``postgresql://用户@服务器:5432/数据库?sslmode=verify-full``,
taken from ``--db``, else the environment variable ``JINZITA_DB``, else the city-database
settings file (``city_db.json`` in the data folder). Every libpq parameter in it is passed
through as written (``sslmode``, ``sslrootcert``, ``connect_timeout`` …).

The password, in this order: written in the URL (for a script; shown nowhere, never saved),
the settings file's ``password`` (used only when the file can be read by its owner alone:
mode 0600 — the program writes it so; on Windows the data folder is the user's own), or
libpq's own ``PGPASSFILE`` / pgpass.conf (%APPDATA%\\postgresql\\pgpass.conf on Windows),
which is what IT should prefer. What the program prints, logs or remembers is the URL
without its password (``display``).

The driver, psycopg 3, is an optional extra (``pip install -e ".[server]"``): the laptops'
bundle does not carry it unless asked, and a missing driver is a Chinese message.
"""

from __future__ import annotations

import importlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from core.base.appdata import data_dir
from core.base.errors import InvalidInput

ENV_DB = "JINZITA_DB"
SETTINGS_FILE = "city_db.json"
SCHEMES = ("postgresql", "postgres")
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
EXAMPLE = "postgresql://jinzita@192.0.2.10:5432/jinzita?sslmode=verify-full"
INSTALL = 'pip install -e ".[server]"'


class DriverMissing(InvalidInput):
    """psycopg is not installed (the laptop bundle has no database driver)."""


def driver() -> ModuleType:
    """psycopg 3, or a Chinese message saying what to install. Imported by name at run
    time, so PyInstaller does not pull it into the laptops' bundle unless asked."""
    try:
        return importlib.import_module("psycopg")
    except ImportError:
        raise DriverMissing(
            "连接城市数据库需要 PostgreSQL 驱动 psycopg，本机没有安装。",
            f'请在程序的 Python 环境里安装：{INSTALL}（或 pip install "psycopg[binary]"）；'
            "笔记本上的打包程序默认不带它，请向 IT 要带数据库驱动的版本。营销活动文件照常可用。",
        ) from None


@dataclass(frozen=True)
class Target:
    """A city database to connect to: the URL without password, and the password if one
    was given in the URL or the settings file (else libpq looks in PGPASSFILE)."""

    url: str
    password: str | None = None

    @property
    def display(self) -> str:
        """What may be printed or logged: the URL, which holds no password."""
        return self.url

    def connect_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {"conninfo": self.url, "application_name": "jinzita"}
        if self.password is not None:
            args["password"] = self.password
        query = dict(parse_qsl(urlsplit(self.url).query))
        if "connect_timeout" not in query:
            args["connect_timeout"] = 10
        return args

    def scrub(self, text: str) -> str:
        """``text`` with the password (plain and URL-quoted) replaced by ***."""
        if self.password:
            for form in {self.password, quote(self.password, safe="")}:
                text = text.replace(form, "***")
        return text


def _bad(url: str, why: str) -> InvalidInput:
    return InvalidInput(f"城市数据库的地址写得不对：{why}。",
                        f"请写成这样：{EXAMPLE}（密码不要写在地址里，用 PGPASSFILE 或设置文件）。")  # fmt: skip


def parse(url: str) -> Target:
    """The Target of a libpq URL: its password taken out, every parameter kept."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _bad(url, "端口不是数字") from None
    if parts.scheme.lower() not in SCHEMES:
        raise _bad(url, "应以 postgresql:// 开头")
    if not parts.hostname and "host=" not in parts.query:
        raise _bad(url, "缺少服务器地址")
    if not parts.path.strip("/"):
        raise _bad(url, "缺少数据库名（地址最后的 /数据库名）")
    query = dict(parse_qsl(parts.query))
    if "password" in query:
        raise _bad(url, "密码不能作为参数写在地址里")
    mode = query.get("sslmode")
    if mode is not None and mode not in SSLMODES:
        raise _bad(url, f"sslmode 只能是 {'、'.join(SSLMODES)} 之一")
    password = unquote(parts.password) if parts.password is not None else None
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = host + (f":{port}" if port else "")
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return Target(clean, password)


def settings_path() -> Path:
    return data_dir() / SETTINGS_FILE


def _private(path: Path) -> bool:
    """Readable by its owner alone (always true on Windows: the data folder is per user)."""
    if sys.platform == "win32":
        return True
    return not stat.S_IMODE(path.stat().st_mode) & 0o077


def load_settings() -> dict[str, Any]:
    """The settings file's url and password ({} without one)."""
    path = settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        raise InvalidInput(f"城市数据库设置文件无法读取：{path}。",
                           "请删除它后重新设置（用 --db 给出地址）。") from None  # fmt: skip
    if not isinstance(data, dict):
        return {}
    if data.get("password") and not _private(path):
        raise InvalidInput(
            f"城市数据库设置文件 {path} 里有密码，但本机其他用户也能读它，程序不使用这个密码。",
            f'请只让自己能读：chmod 600 "{path}"；或把密码放进 PGPASSFILE 指向的文件。',
        )
    return data


def save_settings(url: str, password: str | None = None) -> Path:
    """Remember the city database's address (never a password written in the URL); with
    ``password`` keep it too, in a file only its owner can read (0600)."""
    target = parse(url)
    data: dict[str, Any] = {"url": target.url}
    if password:
        data["password"] = password
    path = settings_path()
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2))
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)  # an old file's wider mode does not carry over
    os.replace(tmp, path)
    return path


def target(url: str | None = None) -> Target:
    """The database to use: ``url`` (--db), else JINZITA_DB, else the settings file."""
    saved: dict[str, Any] | None = None
    text = (url or "").strip() or os.environ.get(ENV_DB, "").strip()
    if not text:
        saved = load_settings()
        text = str(saved.get("url") or "")
    if not text:
        raise InvalidInput(
            "没有指定城市数据库。",
            f"请用 --db 给出地址（如 {EXAMPLE}），或设置环境变量 {ENV_DB}；"
            "IT 的设置步骤见 docs/city-database.md。",
        )
    found = parse(text)
    if found.password is not None:
        return found
    saved = load_settings() if saved is None else saved
    password = saved.get("password")
    same = bool(saved.get("url")) and parse(str(saved["url"])).url == found.url
    if isinstance(password, str) and password and same:  # never sent to another server
        return Target(found.url, password)
    return found


def login(url: str, password: str | None = None) -> Target:
    """The database at ``url`` with the password typed in the window (kept in memory only;
    a password written in the URL itself is used when none is typed)."""
    found = parse(url)
    return Target(found.url, password or found.password)


# the package's face (core.campaign) names them by what they are about
city_target = target
city_login = login
city_settings = load_settings
save_city_settings = save_settings

__all__ = [
    "ENV_DB",
    "DriverMissing",
    "Target",
    "city_login",
    "city_settings",
    "city_target",
    "driver",
    "load_settings",
    "login",
    "parse",
    "save_city_settings",
    "save_settings",
    "settings_path",
    "target",
]  # fmt: skip
