"""Does the campaign database hold what this program wrote? Checked in SQL when a file is
opened (``Store.open``), on the read-only connection, before anything can be written.

``quick_check`` finds damaged pages; this finds a file another program changed: a missing
or renamed table or column, a trigger, a value of the wrong kind (text in a number column,
a blob, a number where a date belongs), a customer whose JSON is not an object of plain
values or holds text where a number belongs, a visit whose date is not a date or whose
answers are not in the closed lists, a visit of a customer the file does not have. Any of
these is ``decode.EDITED`` (a CampaignFileError naming what is wrong); the file is left as
it was.

Each table is read once inside SQLite (no row reaches Python): about 10 µs a customer and
5 µs a visit on the development machine (0.2 s for 20,000 customers). This module and
``store`` hold every SQL statement of the campaign.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.campaign import values as v
from core.campaign.decode import edited

# table → the columns the program writes and reads (extra columns are left alone)
COLUMNS: dict[str, tuple[str, ...]] = {
    "meta": ("name", "value"),
    "customers": ("key", "identity", "seq", "source_row", "customer_id", "phone", "name",
                  "band", "spend", "offer_package", "offer_fee", "data", "offer", "origin",
                  "added_at"),
    "problems": ("row", "field", "code", "message"),
    "documents": ("id", "created", "kind", "template", "customer_key", "output", "version",
                  "offer"),
    "visits": ("id", "customer_key", "visit_date", "visitor", "method", "met", "intent",
               "signed_package", "signed_fee", "objections", "suggestion", "competitor",
               "follow_up", "source", "source_row", "created"),
    "imports": ("id", "file_name", "sha256", "imported_at", "rows", "imported", "duplicates",
                "conflicts", "rejected"),
    "assignments": ("customer_key", "person", "how", "assigned_at"),
    "history": ("id", "customer_key", "round", "campaign", "visit_date", "visitor", "method",
                "met", "intent", "signed_package", "signed_fee", "objections", "suggestion",
                "competitor", "follow_up", "source", "source_row", "created"),
    "versions": ("number", "created", "note"),
    "visit_changes": ("id", "visit_id", "customer_key", "changed_at", "action", "before",
                      "after"),
}  # fmt: skip
# what version 3 added (issue 21): a version-2 file is checked without it, then migrated
DOCUMENT_TABLES = ("versions", "visit_changes")
ADDED_DOCUMENT_COLUMNS = ("version", "offer")
VISIT_CHANGES = ("修改", "删除", "撤销")
# what version 2 added (issue 22): a version-1 file is checked without it, then migrated
SWEEP_TABLES = ("assignments", "history")
ADDED_CUSTOMER_COLUMNS = ("origin", "added_at")
TABLE_NAMES = {"meta": "活动信息", "customers": "客户", "problems": "导入问题",
               "documents": "生成文件记录", "visits": "走访记录", "imports": "走访表导入记录",
               "assignments": "走访分配", "history": "前几轮的走访记录",
               "versions": "推荐版本", "visit_changes": "走访修改记录"}  # fmt: skip
MAX_AMOUNT = 1e15  # yuan: far above any bill, small enough for sums in cents
MAX_FEE = 1_000_000.0  # core.base.money.MAX_MONTHLY_SPEND (not imported: it loads pandas)

# The customer JSON keys that hold numbers (or nothing), as create writes them.
DATA_NUMBERS = ("spend", "data_gb", "voice_min", "tenure_months")
OFFER_NUMBERS = ("offer_fee", "offer_data_gb", "offer_voice_min", "offer_broadband_mbps",
                 "offer_contract_months", "diff_month", "diff_year", "data_gain_gb",
                 "voice_gain_min", "cur_data_gb", "cur_voice_min")  # fmt: skip
_D = "[0-9]"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _all(*conditions: str) -> str:
    return "(" + " AND ".join(conditions) + ")"


def _text(col: str) -> str:
    return f"typeof({col}) = 'text'"


def _text_or_null(col: str) -> str:
    return f"typeof({col}) IN ('text', 'null')"


def _int(col: str) -> str:
    return f"typeof({col}) = 'integer'"


def _int_or_null(col: str) -> str:
    return f"typeof({col}) IN ('integer', 'null')"


def _amount_or_null(col: str, low: float = -MAX_AMOUNT, high: float = MAX_AMOUNT) -> str:
    return (f"(typeof({col}) = 'null' OR (typeof({col}) IN ('integer', 'real') "
            f"AND {col} BETWEEN {low!r} AND {high!r}))")  # fmt: skip


def _date(col: str) -> str:
    """ISO text of a real day ('+0 days' turns '2026-02-30' into March: not equal)."""
    return f"({_text(col)} AND date({col}, '+0 days') IS {col})"


def _stamp(col: str) -> str:
    """A time the program wrote (store.now(): '2026-12-03T09:15:00')."""
    return f"({_text(col)} AND {col} GLOB '{_D * 4}-{_D * 2}-{_D * 2}T{_D * 2}:{_D * 2}:{_D * 2}')"


def _closed(col: str, options: tuple[str, ...]) -> str:
    return f"({_text(col)} AND {col} IN ({', '.join(_quote(x) for x in options)}))"


def _objections(col: str) -> str:
    """'价格、信号': only OBJECTIONS joined by 、 (each removed, nothing may remain)."""
    rest = col
    for item in sorted(v.OBJECTIONS, key=len, reverse=True):
        rest = f"replace({rest}, {_quote(item)}, '')"
    return f"({_text(col)} AND replace({rest}, '、', '') = '')"


def _json_numbers(col: str, keys: tuple[str, ...]) -> str:
    """The JSON text of ``keys`` of a column ('[34.83,null,5]': json_extract of several
    paths, one parse), or NULL unless the column is a JSON object of plain values (no list
    or object inside: told by two searches for '[' and a second '{', else by json_each).
    Inside CASE: SQLite's JSON functions raise on text that is not JSON."""
    paths = ", ".join(f"'$.{k}'" for k in keys)
    plain = (f"(instr({col}, '[') = 0 AND instr(substr({col}, 2), '{{') = 0) OR NOT EXISTS "
             f"(SELECT 1 FROM json_each({col}) WHERE type IN ('object', 'array'))")  # fmt: skip
    return (f"CASE WHEN {_text(col)} AND substr({col}, 1, 1) = '{{' AND json_valid({col}) "
            f"AND ({plain}) THEN json_extract({col}, {paths}) END")  # fmt: skip


def _numbers_only(found: str) -> str:
    """``found`` (from _json_numbers) lists numbers or nulls only — no text, true/false,
    list or object — and none of 1e100 or more (an exponent of 3 digits: the program's are
    bills and usage; 1e999 is infinity to Python). ``decode.record`` checks again where
    the JSON is read."""
    exponent = " AND ".join(f"{found} NOT GLOB '*[eE]{sign}{_D * 3}*'" for sign in ("", "+"))
    return _all(
        f"trim({found}, '[]0123456789.eE+-,nul') = ''",
        f"(instr({found}, 'e') + instr({found}, 'E') = 0 OR ({exponent}))",
    )


_CUSTOMER_COLUMNS_V1 = _all(
    f"{_text('key')} AND key != ''", _text("identity"), _int("seq"),
    _int_or_null("source_row"),
    *(_text_or_null(c) for c in ("customer_id", "phone", "name", "band", "offer_package")),
    _amount_or_null("spend"), _amount_or_null("offer_fee"),
)  # fmt: skip
_CUSTOMER_COLUMNS = _all(_CUSTOMER_COLUMNS_V1, _closed("origin", v.ORIGINS),
                         f"(added_at IS NULL OR {_stamp('added_at')})")  # fmt: skip


def _customers_sql(columns_ok: str) -> str:
    """The customers' columns and their JSON numbers, found once per row (MATERIALIZED)."""
    return f"""WITH checked AS MATERIALIZED (
                SELECT rowid AS id, {columns_ok} AS columns_ok,
                       {_json_numbers("data", DATA_NUMBERS)} AS data_numbers,
                       {_json_numbers("offer", OFFER_NUMBERS)} AS offer_numbers
                FROM customers)
            SELECT id FROM checked WHERE (columns_ok AND {_numbers_only("data_numbers")}
                                          AND {_numbers_only("offer_numbers")}) IS NOT 1"""


def _visit_ok(table: str, *more: str) -> str:
    """A visit's columns as this program writes them (``visits``, and ``history`` for the
    visits of earlier rounds)."""
    return f"SELECT rowid FROM {table} WHERE " + _all(
        _int("id"), _text("customer_key"),
        f"EXISTS (SELECT 1 FROM customers c WHERE c.key = {table}.customer_key)",
        _date("visit_date"), f"{_text('visitor')} AND trim(visitor) != ''",
        _closed("method", ("", *v.METHODS)),
        "(met IS NULL OR (typeof(met) = 'integer' AND met IN (0, 1)))",
        _closed("intent", v.INTENTS), _text("signed_package"),
        _amount_or_null("signed_fee", 0.0, MAX_FEE),
        _objections("objections"), _text("suggestion"), _text("competitor"),
        f"(follow_up IS NULL OR {_date('follow_up')})", _text("source"),
        _int_or_null("source_row"), _text("created"), *more) + " IS NOT 1"  # fmt: skip


# table → (the first row that is not as this program writes it; what to call the table).
BAD_ROW: dict[str, tuple[str, str]] = {
    "meta": (f"SELECT rowid FROM meta WHERE {_all(_text('name'), _text('value'))} IS NOT 1",
             "活动信息"),
    "customers": (_customers_sql(_CUSTOMER_COLUMNS), "客户"),
    "problems": (
        "SELECT rowid FROM problems WHERE " + _all(
            _int_or_null("row"), _text_or_null("field"), _text_or_null("code"),
            _text_or_null("message")) + " IS NOT 1",
        "导入问题",
    ),
    "documents": (
        "SELECT rowid FROM documents WHERE " + _all(
            _int("id"), *(_text(c) for c in ("created", "kind", "template", "customer_key",
                                            "output")),
            "(typeof(version) = 'integer' AND version >= 1)",
            f"{_text('offer')} AND json_valid(offer) AND json_type(offer) = 'object'")
        + " IS NOT 1",
        "生成文件记录",
    ),
    "visits": (_visit_ok("visits"), "走访记录"),
    "imports": (
        "SELECT rowid FROM imports WHERE " + _all(
            *(_text(c) for c in ("file_name", "sha256", "imported_at")),
            *(_int(c) for c in ("rows", "imported", "duplicates", "conflicts", "rejected")),
        ) + " IS NOT 1",
        "走访表导入记录",
    ),
    "assignments": (
        "SELECT rowid FROM assignments WHERE " + _all(
            _text("customer_key"),
            "EXISTS (SELECT 1 FROM customers c WHERE c.key = assignments.customer_key)",
            f"{_text('person')} AND trim(person) != '' AND length(person) <= 40",
            _closed("how", tuple(v.ASSIGN_HOW)), _stamp("assigned_at")) + " IS NOT 1",
        "走访分配",
    ),
    "history": (
        _visit_ok("history", "(typeof(round) = 'integer' AND round >= 1)", _text("campaign")),
        "前几轮的走访记录",
    ),
    "versions": (
        "SELECT rowid FROM versions WHERE " + _all(
            "(typeof(number) = 'integer' AND number >= 1)", _text("created"),
            _text("note")) + " IS NOT 1",
        "推荐版本",
    ),
    "visit_changes": (
        "SELECT rowid FROM visit_changes WHERE " + _all(
            _int("id"), _int("visit_id"), _text("customer_key"), _text("changed_at"),
            _closed("action", VISIT_CHANGES),
            f"{_text('before')} AND json_valid(before)",
            f"{_text('after')} AND (after = '' OR json_valid(after))") + " IS NOT 1",
        "走访修改记录",
    ),
}  # fmt: skip
# a version-1 file: customers without the columns version 2 added, no sweep tables
BAD_ROW_V2: dict[str, tuple[str, str]] = {
    **{t: q for t, q in BAD_ROW.items() if t not in DOCUMENT_TABLES},
    "documents": (
        "SELECT rowid FROM documents WHERE " + _all(
            _int("id"), *(_text(c) for c in ("created", "kind", "template", "customer_key",
                                            "output"))) + " IS NOT 1",
        "生成文件记录",
    ),
}  # fmt: skip
BAD_ROW_V1: dict[str, tuple[str, str]] = {
    **{t: q for t, q in BAD_ROW_V2.items() if t not in SWEEP_TABLES},
    "customers": (_customers_sql(_CUSTOMER_COLUMNS_V1), "客户"),
}


def columns_of(version: int) -> dict[str, tuple[str, ...]]:
    """The tables and columns a file of schema ``version`` holds."""
    if version >= 3:
        return COLUMNS
    out = {t: c for t, c in COLUMNS.items() if t not in DOCUMENT_TABLES}
    out["documents"] = tuple(c for c in COLUMNS["documents"] if c not in ADDED_DOCUMENT_COLUMNS)
    if version >= 2:
        return out
    out = {t: c for t, c in out.items() if t not in SWEEP_TABLES}
    out["customers"] = tuple(c for c in COLUMNS["customers"] if c not in ADDED_CUSTOMER_COLUMNS)
    return out


def check_tables(conn: sqlite3.Connection, path: Path, version: int = 3) -> None:
    """The tables and columns this program writes (in a file of schema ``version``) are
    there, and nothing acts on its own (a trigger); EDITED otherwise."""
    objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    if any(kind == "trigger" for kind, _name in objects):
        raise edited(path, "文件里有本程序不会建立的触发器")
    tables = {name for kind, name in objects if kind == "table"}
    for table, columns in columns_of(version).items():
        if table not in tables:
            raise edited(path, f"缺少“{TABLE_NAMES[table]}”数据表")
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if not have >= set(columns):
            raise edited(path, f"“{TABLE_NAMES[table]}”数据表缺少一些列")


def check_rows(conn: sqlite3.Connection, path: Path, version: int = 3) -> None:
    """Every row of every table holds values of the kinds this program writes (for a file
    of schema ``version``); EDITED naming the first table and row that does not."""
    checks = BAD_ROW if version >= 3 else BAD_ROW_V2 if version == 2 else BAD_ROW_V1
    for sql, what in checks.values():
        bad = conn.execute(sql + " LIMIT 1").fetchone()
        if bad is not None:
            raise edited(path, f"{what}数据第 {bad[0]} 行无法读取")


__all__ = [
    "BAD_ROW",
    "COLUMNS",
    "DATA_NUMBERS",
    "OFFER_NUMBERS",
    "check_rows",
    "check_tables",
    "columns_of",
]
