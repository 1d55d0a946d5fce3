"""The city database's schema (issue 25): every county's campaigns in one PostgreSQL
database, in its own schema ``jinzita`` (so it can share a database with other systems).

Each table of the campaign file is mirrored with the campaign's id in front of its key:
``jinzita.customers`` (campaign_id, key, …), ``jinzita.visits`` (campaign_id, id, …) and
so on, column for column as the file holds them (the file's own stamps stay text; visit
and follow-up dates are ``date``), plus a ``digest`` of each row so a push finds what
changed without reading the rows back. ``jinzita.campaigns`` has one row per campaign
(its file name, 单位, name, round, counts, when and by whom it was last pushed) and
``jinzita.pushes`` logs every push that changed something.

Version history (``jinzita.schema_info``):

1. the tables above (this program's campaign file schema 3).

The program creates the schema on the first push and migrates an older one step by step
(each step in one transaction, under an advisory lock so two pushes never race); a newer
one is refused. With ``store_pg`` and ``store_pg_push`` this holds every SQL statement of
the city database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.base.errors import InvalidInput

SCHEMA = "jinzita"
PG_SCHEMA_VERSION = 1
LOCK_KEY = 0x4A5A5443  # "JZTC": the advisory lock taken while the schema is made or migrated

_VISIT = (("customer_key", "text NOT NULL"), ("visit_date", "date NOT NULL"),
          ("visitor", "text NOT NULL"), ("method", "text NOT NULL"), ("met", "smallint"),
          ("intent", "text NOT NULL"), ("signed_package", "text NOT NULL"),
          ("signed_fee", "double precision"), ("objections", "text NOT NULL"),
          ("suggestion", "text NOT NULL"), ("competitor", "text NOT NULL"),
          ("follow_up", "date"), ("source", "text NOT NULL"), ("source_row", "bigint"),
          ("created", "text NOT NULL"))  # fmt: skip

# table → (its key in the campaign file, every column in the file's order with its type).
# ``problems`` has no key in the file: its row number there (SQLite's rowid) is ``n``.
TABLES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "meta": (("name",), (("name", "text NOT NULL"), ("value", "text NOT NULL"))),
    "customers": (("key",), (
        ("key", "text NOT NULL"), ("identity", "text NOT NULL"), ("seq", "integer NOT NULL"),
        ("source_row", "bigint"), ("customer_id", "text"), ("phone", "text"), ("name", "text"),
        ("band", "text"), ("spend", "double precision"), ("offer_package", "text"),
        ("offer_fee", "double precision"), ("data", "text NOT NULL"), ("offer", "text NOT NULL"),
        ("origin", "text NOT NULL"), ("added_at", "text"))),
    "problems": (("n",), (("n", "bigint NOT NULL"), ("row", "bigint"), ("field", "text"),
                          ("code", "text"), ("message", "text"))),
    "documents": (("id",), (
        ("id", "bigint NOT NULL"), ("created", "text NOT NULL"), ("kind", "text NOT NULL"),
        ("template", "text NOT NULL"), ("customer_key", "text NOT NULL"),
        ("output", "text NOT NULL"), ("version", "integer NOT NULL"), ("offer", "text NOT NULL"))),
    "visits": (("id",), (("id", "bigint NOT NULL"), *_VISIT)),
    "imports": (("id",), (
        ("id", "bigint NOT NULL"), ("file_name", "text NOT NULL"), ("sha256", "text NOT NULL"),
        ("imported_at", "text NOT NULL"), ("rows", "integer NOT NULL"),
        ("imported", "integer NOT NULL"), ("duplicates", "integer NOT NULL"),
        ("conflicts", "integer NOT NULL"), ("rejected", "integer NOT NULL"))),
    "assignments": (("customer_key",), (
        ("customer_key", "text NOT NULL"), ("person", "text NOT NULL"), ("how", "text NOT NULL"),
        ("assigned_at", "text NOT NULL"))),
    "history": (("id",), (("id", "bigint NOT NULL"), ("customer_key", "text NOT NULL"),
                          ("round", "integer NOT NULL"), ("campaign", "text NOT NULL"),
                          *_VISIT[1:])),
    "versions": (("number",), (("number", "integer NOT NULL"), ("created", "text NOT NULL"),
                               ("note", "text NOT NULL"))),
    "visit_changes": (("id",), (
        ("id", "bigint NOT NULL"), ("visit_id", "bigint NOT NULL"),
        ("customer_key", "text NOT NULL"), ("changed_at", "text NOT NULL"),
        ("action", "text NOT NULL"), ("before", "text NOT NULL"), ("after", "text NOT NULL"))),
}  # fmt: skip
# rows a campaign never loses: a file without one of them is older than what was pushed
APPEND_ONLY = ("customers", "problems", "documents", "imports", "history", "versions",
               "visit_changes")  # fmt: skip


def q(name: str) -> str:
    """A quoted identifier (the file's columns include row, rows, offer, before …)."""
    return '"' + name.replace('"', '""') + '"'


def table(name: str) -> str:
    return f"{SCHEMA}.{q(name)}"


def columns(name: str) -> tuple[str, ...]:
    return tuple(c for c, _type in TABLES[name][1])


def _mirror(name: str) -> str:
    key, cols = TABLES[name]
    body = ", ".join(f"{q(c)} {t}" for c, t in cols)
    return (f"CREATE TABLE {table(name)} (campaign_id text NOT NULL REFERENCES "
            f"{table('campaigns')}(id) ON DELETE CASCADE, {body}, digest text NOT NULL, "
            f"PRIMARY KEY (campaign_id, {', '.join(q(k) for k in key)}))")  # fmt: skip


DDL_V1 = (
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    f"CREATE TABLE {table('schema_info')} (version integer NOT NULL, "
    "migrated_at timestamptz NOT NULL DEFAULT now())",
    f"""CREATE TABLE {table("campaigns")} (
        id text PRIMARY KEY, file_name text NOT NULL, branch text NOT NULL,
        name text NOT NULL, round integer NOT NULL, created_at text NOT NULL,
        file_version integer NOT NULL, customers integer NOT NULL, visits integer NOT NULL,
        first_pushed timestamptz NOT NULL DEFAULT now(),
        pushed_at timestamptz NOT NULL DEFAULT now(),
        pushed_by text NOT NULL DEFAULT current_user)""",
    f"CREATE INDEX campaigns_by_branch ON {table('campaigns')} (branch, file_name)",
    f"""CREATE TABLE {table("pushes")} (
        id bigserial PRIMARY KEY,
        campaign_id text NOT NULL REFERENCES {table("campaigns")}(id) ON DELETE CASCADE,
        pushed_at timestamptz NOT NULL DEFAULT now(),
        pushed_by text NOT NULL DEFAULT current_user, file_name text NOT NULL,
        changes text NOT NULL)""",
    *(_mirror(name) for name in TABLES),
    f"CREATE INDEX visits_by_customer ON {table('visits')} (campaign_id, customer_key)",
    f"CREATE INDEX customers_by_seq ON {table('customers')} (campaign_id, seq)",
)

# version n → n + 1, each run in one transaction under the advisory lock
MIGRATIONS: dict[int, Callable[[Any], None]] = {}


def _newer(version: int) -> InvalidInput:
    return InvalidInput(
        f"城市数据库是更新版本的程序建立的（数据库结构版本 {version}，本程序支持到版本 "
        f"{PG_SCHEMA_VERSION}）。",
        "请升级价值金字塔营销助手后再连接；程序没有改动数据库。",
    )


def installed_version(conn: Any) -> int | None:
    """The schema version in the database, or None before the first push."""
    if conn.execute(f"SELECT to_regclass('{SCHEMA}.schema_info')").fetchone()[0] is None:
        return None
    row = conn.execute(f"SELECT max(version) FROM {table('schema_info')}").fetchone()
    return int(row[0] or 0)


def ensure_schema(conn: Any) -> int:
    """Create the schema (first push) or bring an older one up to date, in one
    transaction under an advisory lock; the version it had before (0: none)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        version = installed_version(conn)
        if version is None:
            for statement in DDL_V1:
                conn.execute(statement)
            conn.execute(f"INSERT INTO {table('schema_info')} (version) VALUES (%s)",
                         (PG_SCHEMA_VERSION,))  # fmt: skip
            return 0
        if version > PG_SCHEMA_VERSION:
            raise _newer(version)
        for step in range(version, PG_SCHEMA_VERSION):
            MIGRATIONS[step](conn)
        if version < PG_SCHEMA_VERSION:
            conn.execute(f"INSERT INTO {table('schema_info')} (version) VALUES (%s)",
                         (PG_SCHEMA_VERSION,))  # fmt: skip
        return version


def check_readable(conn: Any) -> None:
    """The schema is there and of this program's version (a reader never changes it)."""
    version = installed_version(conn)
    if version is None:
        raise InvalidInput("城市数据库里还没有营销活动（还没有哪个县推送过）。",
                           "请各县先用 campaign push 活动.jzt --db … 推送营销活动。")  # fmt: skip
    if version > PG_SCHEMA_VERSION:
        raise _newer(version)
    if version < PG_SCHEMA_VERSION:
        raise InvalidInput(
            f"城市数据库的结构是旧版本（版本 {version}），本程序需要版本 {PG_SCHEMA_VERSION}。",
            "请用新版程序推送一次营销活动（推送时自动升级），或请 IT 升级后再查看。",
        )


__all__ = ["APPEND_ONLY", "MIGRATIONS", "PG_SCHEMA_VERSION", "SCHEMA", "TABLES",
           "check_readable", "columns", "ensure_schema", "installed_version", "q", "table"]  # fmt: skip
