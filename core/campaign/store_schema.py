"""The campaign file's schema: its tables, its version and the steps that bring an older
file up to date. With ``store`` and ``store_checks`` this holds every SQL statement of the
campaign.

Version history (PRAGMA user_version):

1. customers, problems, documents, visits, imports, meta.
2. the sweep (issue 22): who visits whom (``assignments``), the visits of earlier rounds
   (``history``), where a customer came from (``customers.origin``: 清单 / 潜在客户 /
   现场新增, and ``added_at``), and two meta values: ``targets`` (the team's and each
   person's signing targets) and ``round`` (which round of the sweep this file is).
3. the campaign as the document (issue 21): numbered recommendations (``versions``: 第 1 版,
   第 2 版 … — a new one whenever the scheme or a band's package changes after letters
   were made), what each letter carried (``documents.version`` and ``documents.offer``:
   its package, fee and expected bill), and the log of corrected or deleted visits
   (``visit_changes``: what the visit said before, and after).

A migration runs in one transaction after ``store`` has written a backup copy next to the
file; columns are only ever added at the end of a table, so a migrated file and a new one
have the same columns in the same order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 3

# meta values a version-2 file holds besides those create.write_campaign always wrote
DEFAULT_TARGETS: dict = {}
FIRST_ROUND: dict = {"number": 1, "previous": None, "rule": ""}

_CUSTOMERS = """CREATE TABLE customers (
        key TEXT PRIMARY KEY, identity TEXT NOT NULL UNIQUE, seq INTEGER NOT NULL,
        source_row INTEGER, customer_id TEXT, phone TEXT, name TEXT, band TEXT, spend REAL,
        offer_package TEXT, offer_fee REAL,
        data TEXT NOT NULL,   -- the customer's other columns (JSON); 证件号码 never
        offer TEXT NOT NULL,  -- the offer and tags (JSON)
        origin TEXT NOT NULL DEFAULT '清单',  -- 清单 / 潜在客户 / 现场新增 (version 2)
        added_at TEXT         -- when a prospect or walk-in was added (version 2)
    )"""
_VISIT_COLUMNS_SQL = """
        visit_date TEXT NOT NULL, visitor TEXT NOT NULL, method TEXT NOT NULL,
        met INTEGER, intent TEXT NOT NULL, signed_package TEXT NOT NULL, signed_fee REAL,
        objections TEXT NOT NULL, suggestion TEXT NOT NULL, competitor TEXT NOT NULL,
        follow_up TEXT, source TEXT NOT NULL, source_row INTEGER, created TEXT NOT NULL"""
_ASSIGNMENTS = """CREATE TABLE assignments (
        customer_key TEXT PRIMARY KEY REFERENCES customers(key),
        person TEXT NOT NULL, how TEXT NOT NULL, assigned_at TEXT NOT NULL
    )"""
_HISTORY = f"""CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        customer_key TEXT NOT NULL REFERENCES customers(key),
        round INTEGER NOT NULL, campaign TEXT NOT NULL,{_VISIT_COLUMNS_SQL}
    )"""
_HISTORY_INDEX = "CREATE INDEX history_by_customer ON history(customer_key)"
_VERSIONS = """CREATE TABLE versions (
        number INTEGER PRIMARY KEY, created TEXT NOT NULL, note TEXT NOT NULL
    )"""
_VISIT_CHANGES = """CREATE TABLE visit_changes (
        id INTEGER PRIMARY KEY, visit_id INTEGER NOT NULL, customer_key TEXT NOT NULL,
        changed_at TEXT NOT NULL, action TEXT NOT NULL,
        before TEXT NOT NULL,            -- the visit as it was (JSON)
        after TEXT NOT NULL DEFAULT ''   -- as it is now (JSON); '' when deleted
    )"""
FIRST_VERSION_NOTE = "第 1 版推荐（新建营销活动时）"

SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    _CUSTOMERS,
    "CREATE TABLE problems (row INTEGER, field TEXT, code TEXT, message TEXT)",
    """CREATE TABLE documents (
        id INTEGER PRIMARY KEY, created TEXT NOT NULL, kind TEXT NOT NULL,
        template TEXT NOT NULL, customer_key TEXT NOT NULL REFERENCES customers(key),
        output TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,  -- the recommendation it carried (version 3)
        offer TEXT NOT NULL DEFAULT '{}'     -- its package, fee, expected bill (version 3)
    )""",
    "CREATE INDEX documents_by_customer ON documents(customer_key)",
    f"""CREATE TABLE visits (
        id INTEGER PRIMARY KEY,
        customer_key TEXT NOT NULL REFERENCES customers(key),{_VISIT_COLUMNS_SQL},
        UNIQUE (customer_key, visit_date, visitor)
    )""",
    """CREATE TABLE imports (
        id INTEGER PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL, rows INTEGER NOT NULL, imported INTEGER NOT NULL,
        duplicates INTEGER NOT NULL, conflicts INTEGER NOT NULL, rejected INTEGER NOT NULL
    )""",
    _ASSIGNMENTS,
    _HISTORY,
    _HISTORY_INDEX,
    _VERSIONS,
    _VISIT_CHANGES,
)


def _meta_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def version_2_meta() -> dict[str, object]:
    """The meta values version 2 added, as a new or migrated file starts with them."""
    return {"targets": dict(DEFAULT_TARGETS), "round": dict(FIRST_ROUND)}


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE customers ADD COLUMN origin TEXT NOT NULL DEFAULT '清单'")
    conn.execute("ALTER TABLE customers ADD COLUMN added_at TEXT")
    for statement in (_ASSIGNMENTS, _HISTORY, _HISTORY_INDEX):
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        [(k, _meta_value(v)) for k, v in version_2_meta().items()],
    )


def first_version(conn: sqlite3.Connection, created: str) -> None:
    """The campaign's first recommendation (a new file, or an older one migrated)."""
    conn.execute("INSERT INTO versions (number, created, note) VALUES (1, ?, ?)",
                 (created, FIRST_VERSION_NOTE))  # fmt: skip


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
    conn.execute("ALTER TABLE documents ADD COLUMN offer TEXT NOT NULL DEFAULT '{}'")
    conn.execute(_VERSIONS)
    conn.execute(_VISIT_CHANGES)
    row = conn.execute("SELECT value FROM meta WHERE name = 'created_at'").fetchone()
    created = json.loads(row[0]) if row else ""
    first_version(conn, created if isinstance(created, str) else "")


# version n → n + 1, run in one transaction after the backup copy is written
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3}

__all__ = ["FIRST_VERSION_NOTE", "MIGRATIONS", "SCHEMA", "SCHEMA_VERSION", "first_version",
           "version_2_meta"]  # fmt: skip
