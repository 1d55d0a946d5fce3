"""The campaign file's storage: one SQLite database (standard library sqlite3). Every SQL
statement of the campaign is in this module, so the same interface could later sit on a
shared database for a city office.

- One file a user can copy: rollback journal (``journal_mode=DELETE``), ``synchronous=FULL``.
  The journal exists only while a transaction runs; after a crash (kill -9, a closed lid)
  it is left next to the file and the next open rolls the unfinished transaction back, so
  the file holds exactly the changes that were committed.
- Every change is one transaction (``Store.transaction``: BEGIN IMMEDIATE … COMMIT).
- The schema version is PRAGMA user_version; an older file is migrated step by step after
  a backup copy is written next to it; a newer one is refused.
- Opening checks the header first (``filecheck``) and then the database read-only
  (``quick_check``; then ``store_checks``: the tables, columns and every row hold what this
  program writes; and ``decode.meta``: the campaign's description): a damaged, foreign or
  hand-edited file is never opened for writing, and nothing read later can fail on it.
- Every SQL statement of the campaign is here and in ``store_checks``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from core.campaign import decode
from core.campaign.filecheck import APPLICATION_ID, RECOPY, journal_of, read_header
from core.campaign.model import CampaignFileError, StoredVisit, Visit
from core.campaign.store_checks import check_rows, check_tables
from core.campaign.store_schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION, first_version

TIMEOUT = 10.0  # seconds to wait while another window or command holds the file

CUSTOMER_COLUMNS = ("key", "identity", "seq", "source_row", "customer_id", "phone", "name",
                    "band", "spend", "offer_package", "offer_fee", "data", "offer", "origin",
                    "added_at")  # fmt: skip
_VISIT_COLUMNS = ("id, customer_key, visit_date, visitor, method, met, intent, signed_package, "
                  "signed_fee, objections, suggestion, competitor, follow_up, source, "
                  "source_row, created")  # fmt: skip
GROUP_COLUMNS = frozenset({"band", "name", "offer_package"})


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _damaged(path: Path) -> CampaignFileError:
    return CampaignFileError(f"营销活动文件已损坏或不完整：{path.name}。", RECOPY)


def _sqlite_error(path: Path, exc: sqlite3.Error) -> CampaignFileError:
    """A Chinese message for an SQLite error on ``path``."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return CampaignFileError(
            f"营销活动文件正被另一个窗口或命令使用：{path.name}。",
            "请等它完成（或关闭它）后重试。",
        )
    if "readonly" in text or "read-only" in text or "permission" in text:
        return CampaignFileError(
            f"无法保存到营销活动文件：{path.name}（文件或文件夹是只读的，或没有写入权限）。",
            "请把文件复制到桌面等可以保存的位置后再打开。",
        )
    if "full" in text or getattr(exc, "sqlite_errorcode", None) == 13:
        return CampaignFileError(
            f"磁盘空间不足，无法保存到营销活动文件：{path.name}。",
            "请清理磁盘空间后重试；已保存的内容不会丢失。",
        )
    if any(w in text for w in ("no such table", "no such column", "malformed json")):
        return decode.edited(path, "数据表的结构或内容不是本程序写入的")
    if "unable to open" in text:
        return CampaignFileError(
            f"无法打开营销活动文件：{path.name}（文件夹不存在或没有权限）。",
            "请检查文件所在的文件夹，或把文件复制到桌面后再打开。",
        )
    return _damaged(path)


@contextlib.contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    """Turn SQLite (and disk) errors into CampaignFileError with a Chinese message."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise _sqlite_error(path, sqlite3.OperationalError("disk is full")) from exc
        raise


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               isolation_level=None, timeout=TIMEOUT,
                               check_same_thread=False)  # fmt: skip
        conn.execute("PRAGMA query_only = ON")
        return conn
    # check_same_thread=False: the window opens a campaign on a worker thread (the checks
    # take a moment on a big file) and hands it to the GUI thread; one thread at a time
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=TIMEOUT,
                           check_same_thread=False)  # fmt: skip
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _verify(conn: sqlite3.Connection, path: Path) -> None:
    """The database is whole and holds what this program wrote for its version: its tables
    and columns, rows of the right kinds, a readable description (else CampaignFileError).
    An older file is checked against what that version wrote, before it is migrated."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        raise _damaged(path)
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    check_tables(conn, path, version)
    check_rows(conn, path, version)
    decode.meta(conn.execute("SELECT name, value FROM meta").fetchall(), path, version)


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a version-``version`` file goes before it is migrated."""
    for n in range(1, 1000):
        extra = "" if n == 1 else f"-{n}"
        candidate = path.with_name(f"{path.stem}（版本{version}备份{extra}）{path.suffix}")
        if not candidate.exists():
            return candidate
    raise CampaignFileError(f"无法为 {path.name} 写备份。", "请清理同一文件夹里的旧备份后重试。")


class Store:
    """An open campaign file. Belongs to the thread that opened it (sqlite3 connections
    are per thread); open another Store in a worker thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly

    # ------------------------------------------------------------------ open / create
    @classmethod
    def create(cls, path: Path) -> Store:
        """A new, empty campaign database at ``path`` (an empty or missing file)."""
        path = Path(path)
        with sqlite_errors(path):
            conn = _connect(path, readonly=False)
            store = cls(conn, path, readonly=False)
            with store.transaction():
                for statement in SCHEMA:
                    conn.execute(statement)
                first_version(conn, now())
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return store

    @classmethod
    def open(cls, path: Path, readonly: bool = False) -> Store:
        """Open an existing campaign file; CampaignFileError (Chinese) if it is not one."""
        path = Path(path)
        version, _pages = read_header(path)
        if version > SCHEMA_VERSION:
            raise CampaignFileError(
                f"营销活动文件 {path.name} 是更新版本的程序保存的（文件版本 {version}，"
                f"本程序支持到版本 {SCHEMA_VERSION}）。",
                "请升级价值金字塔营销助手后再打开；程序没有改动这个文件。",
            )
        hot = journal_of(path).exists()
        with sqlite_errors(path):
            if not hot:  # check read-only first: a damaged file is never written to
                probe = _connect(path, readonly=True)
                try:
                    _verify(probe, path)
                finally:
                    probe.close()
            # a journal left by a crash: the writable open rolls the transaction back
            writable = not readonly or hot or version < SCHEMA_VERSION
            conn = _connect(path, readonly=not writable)
            try:
                if hot:
                    _verify(conn, path)
                if version < SCHEMA_VERSION:
                    _migrate(conn, path, version)
                if readonly and writable:  # recovered or migrated: now read-only as asked
                    conn.close()
                    conn = _connect(path, readonly=True)
            except BaseException:
                conn.close()
                raise
        return cls(conn, path, readonly)

    def close(self) -> None:
        with sqlite_errors(self.path):
            self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing change: BEGIN IMMEDIATE … COMMIT (ROLLBACK on any error)."""
        with sqlite_errors(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def copy_to(self, target: Path) -> None:
        """A consistent copy of the whole campaign in ``target`` (SQLite's backup API)."""
        with sqlite_errors(Path(target)):
            dst = sqlite3.connect(str(target), isolation_level=None)
            try:
                self.conn.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()

    # ------------------------------------------------------------------ meta
    def meta(self) -> dict[str, Any]:
        """The campaign's description (checked: ``decode.meta``)."""
        with sqlite_errors(self.path):
            rows = self.conn.execute("SELECT name, value FROM meta").fetchall()
        return decode.meta(rows, self.path)

    def set_meta(self, values: dict[str, Any]) -> None:
        """Inside a transaction: store each value as JSON."""
        self.conn.executemany(
            "INSERT INTO meta (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [(k, json.dumps(v, ensure_ascii=False)) for k, v in values.items()],
        )

    # ------------------------------------------------------------------ customers
    def add_customers(self, rows: Iterable[Sequence[Any]]) -> None:
        """Inside a transaction: rows in CUSTOMER_COLUMNS order."""
        marks = ", ".join("?" * len(CUSTOMER_COLUMNS))
        self.conn.executemany(
            f"INSERT INTO customers ({', '.join(CUSTOMER_COLUMNS)}) VALUES ({marks})", rows
        )

    def add_problems(self, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(
            "INSERT INTO problems (row, field, code, message) VALUES (?, ?, ?, ?)", rows
        )

    def update_offers(self, rows: Iterable[Sequence[Any]]) -> None:
        """Inside a transaction: (band, offer_package, offer_fee, offer JSON, key) rows."""
        self.conn.executemany(
            "UPDATE customers SET band = ?, offer_package = ?, offer_fee = ?, offer = ? "
            "WHERE key = ?", rows)  # fmt: skip

    def customers(self, bands: Sequence[str] = ()) -> list[tuple]:
        """Customer rows (CUSTOMER_COLUMNS) in list order, optionally of some bands only."""
        sql = f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM customers"
        args: list[Any] = []
        if bands:
            sql += f" WHERE band IN ({', '.join('?' * len(bands))})"
            args = list(bands)
        with sqlite_errors(self.path):
            return self.conn.execute(sql + " ORDER BY seq", args).fetchall()

    def customer(self, key: str) -> tuple | None:
        with sqlite_errors(self.path):
            return self.conn.execute(
                f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM customers WHERE key = ?", (key,)
            ).fetchone()

    def aliases(self) -> list[tuple[str, str | None, str | None]]:
        with sqlite_errors(self.path):
            return self.conn.execute("SELECT key, phone, customer_id FROM customers").fetchall()

    def problems(self) -> list[tuple]:
        with sqlite_errors(self.path):
            return self.conn.execute(
                "SELECT row, field, code, message FROM problems ORDER BY rowid"
            ).fetchall()

    def counts(self) -> dict[str, int]:
        sql = """SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM visits),
                 (SELECT COUNT(DISTINCT customer_key) FROM visits),
                 (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM imports)"""
        with sqlite_errors(self.path):
            row = self.conn.execute(sql).fetchone()
        return dict(zip(("customers", "visits", "visited", "documents", "imports"), row,
                        strict=True))  # fmt: skip

    def band_counts(self) -> list[tuple[str | None, int]]:
        with sqlite_errors(self.path):
            return self.conn.execute(
                "SELECT band, COUNT(*) FROM customers GROUP BY band ORDER BY MIN(seq)"
            ).fetchall()

    # ------------------------------------------------------------------ visits
    def find_visit(self, key: str, day: dt.date, visitor: str) -> StoredVisit | None:
        row = self.conn.execute(
            f"SELECT {_VISIT_COLUMNS} FROM visits "
            "WHERE customer_key = ? AND visit_date = ? AND visitor = ?",
            (key, day.isoformat(), visitor),
        ).fetchone()
        return _stored(row, self.path) if row else None

    def insert_visit(self, key: str, visit: Visit, source: str, source_row: int | None) -> int:
        """Inside a transaction; the new visit's id."""
        cur = self.conn.execute(
            f"INSERT INTO visits ({_VISIT_COLUMNS.removeprefix('id, ')}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, *_visit_values(visit), source, source_row, now()),
        )
        return int(cur.lastrowid or 0)

    def update_visit(self, visit_id: int, visit: Visit) -> None:
        self.conn.execute(
            "UPDATE visits SET visit_date = ?, visitor = ?, method = ?, met = ?, intent = ?, "
            "signed_package = ?, signed_fee = ?, objections = ?, suggestion = ?, "
            "competitor = ?, follow_up = ? WHERE id = ?",
            (*_visit_values(visit), visit_id),
        )

    def delete_visit(self, visit_id: int) -> None:
        self.conn.execute("DELETE FROM visits WHERE id = ?", (visit_id,))

    def visit(self, visit_id: int) -> StoredVisit | None:
        with sqlite_errors(self.path):
            row = self.conn.execute(
                f"SELECT {_VISIT_COLUMNS} FROM visits WHERE id = ?", (visit_id,)
            ).fetchone()
        return _stored(row, self.path) if row else None

    def visits(self, key: str | None = None) -> list[StoredVisit]:
        """Visits of one customer (or all), oldest first."""
        sql = f"SELECT {_VISIT_COLUMNS} FROM visits"
        args: tuple = ()
        if key is not None:
            sql, args = sql + " WHERE customer_key = ?", (key,)
        with sqlite_errors(self.path):
            rows = self.conn.execute(sql + " ORDER BY visit_date, id", args).fetchall()
        return [_stored(r, self.path) for r in rows]

    # ------------------------------------------------------------------ imports, documents
    def record_import(self, name: str, sha256: str, counts: Sequence[int]) -> None:
        """Inside the import's transaction: rows, imported, duplicates, conflicts, rejected."""
        self.conn.execute(
            "INSERT INTO imports (file_name, sha256, imported_at, rows, imported, duplicates, "
            "conflicts, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (name, sha256, now(), *counts),
        )

    def imported_before(self, sha256: str) -> str:
        """When a file with these bytes was imported before ('' if never)."""
        with sqlite_errors(self.path):
            row = self.conn.execute(
                "SELECT MIN(imported_at) FROM imports WHERE sha256 = ?", (sha256,)
            ).fetchone()
        return row[0] or "" if row else ""

    def imports(self) -> list[dict[str, Any]]:
        cols = ("file_name", "sha256", "imported_at", "rows", "imported", "duplicates",
                "conflicts", "rejected")  # fmt: skip
        with sqlite_errors(self.path):
            rows = self.conn.execute(f"SELECT {', '.join(cols)} FROM imports ORDER BY id")
            return [dict(zip(cols, r, strict=True)) for r in rows.fetchall()]

    # ------------------------------------------------------------------ results
    def customer_status(self, group: str | None = None, key: str | None = None) -> list[tuple]:
        """Per customer, in list order: key, name, band, spend, group value, visits, met in
        any visit, and the latest visit's intent, fee, visitor, follow-up and date.

        ``group``: a column (GROUP_COLUMNS) or any other customer field (from the JSON).
        ``key``: only that customer (the window refreshes one row after a save).
        """
        if group is None:
            expr, args = "NULL", ()
        elif group in GROUP_COLUMNS:
            expr, args = f"c.{group}", ()
        else:
            expr, args = "json_extract(c.data, ?)", ('$."' + group.replace('"', "") + '"',)
        sql = f"""
            WITH ranked AS (
                SELECT customer_key, intent, signed_fee, visitor, follow_up, visit_date,
                       ROW_NUMBER() OVER (PARTITION BY customer_key
                                          ORDER BY visit_date DESC, id DESC) AS rn
                FROM visits),
            agg AS (SELECT customer_key, COUNT(*) AS n, MAX(COALESCE(met, 0)) AS met_any
                    FROM visits GROUP BY customer_key)
            SELECT c.key, c.name, c.band, c.spend, {expr}, COALESCE(agg.n, 0),
                   COALESCE(agg.met_any, 0), r.intent, r.signed_fee, r.visitor, r.follow_up,
                   r.visit_date
            FROM customers c
            LEFT JOIN agg ON agg.customer_key = c.key
            LEFT JOIN ranked r ON r.customer_key = c.key AND r.rn = 1
            {"WHERE c.key = ?" if key is not None else ""}
            ORDER BY c.seq"""
        if key is not None:
            args = (*args, key)
        with sqlite_errors(self.path):
            return self.conn.execute(sql, args).fetchall()

    def objection_rows(self) -> list[tuple[str, str]]:
        with sqlite_errors(self.path):
            return self.conn.execute(
                "SELECT customer_key, objections FROM visits WHERE objections != ''"
            ).fetchall()

    # ------------------------------------------------------------------ the sweep (version 2)
    def keys_and_identities(self) -> tuple[set[str], set[str], int]:
        """Every customer key, every identity, and the last list position (seq)."""
        with sqlite_errors(self.path):
            rows = self.conn.execute("SELECT key, identity, seq FROM customers").fetchall()
        return {r[0] for r in rows}, {r[1] for r in rows}, max((r[2] for r in rows), default=0)

    def assignments(self) -> list[tuple[str, str, str]]:
        """(customer key, person, how) of every assigned customer, in list order."""
        with sqlite_errors(self.path):
            return self.conn.execute(
                "SELECT a.customer_key, a.person, a.how FROM assignments a "
                "JOIN customers c ON c.key = a.customer_key ORDER BY c.seq"
            ).fetchall()

    def set_assignments(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Inside a transaction: (key, person, how) each; a customer's earlier one replaced."""
        stamp = now()
        self.conn.executemany(
            "INSERT INTO assignments (customer_key, person, how, assigned_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (customer_key) DO UPDATE SET person = excluded.person, "
            "how = excluded.how, assigned_at = excluded.assigned_at",
            [(k, p, h, stamp) for k, p, h in rows],
        )

    def clear_assignments(self, keys: Iterable[str] | None = None) -> None:
        """Inside a transaction: forget the assignment of ``keys`` (of everyone if None)."""
        if keys is None:
            self.conn.execute("DELETE FROM assignments")
        else:
            self.conn.executemany("DELETE FROM assignments WHERE customer_key = ?",
                                  [(k,) for k in keys])  # fmt: skip

    def customer_facts(self, fields: Sequence[str] = ()) -> list[tuple]:
        """Per customer in list order, what results and boards count: key, name, band,
        spend, offer_package, alt_package, tag_seed, tag_spreader, tag_expiring,
        tag_overpaying, origin, added_at, assignee, then the value of each of ``fields``
        (a column of GROUP_COLUMNS or a field of the customer's list data)."""
        exprs: list[str] = []
        args: list[Any] = []
        for name in fields:
            if name in GROUP_COLUMNS:
                exprs.append(f"c.{name}")
            else:
                exprs.append("json_extract(c.data, ?)")
                args.append('$."' + name.replace('"', "") + '"')
        extra = "".join(f", {e}" for e in exprs)
        sql = f"""SELECT c.key, c.name, c.band, c.spend, c.offer_package,
                         json_extract(c.offer, '$.alt_package'),
                         json_extract(c.offer, '$.tag_seed'),
                         json_extract(c.offer, '$.tag_spreader'),
                         json_extract(c.offer, '$.tag_expiring'),
                         json_extract(c.offer, '$.tag_overpaying'),
                         c.origin, c.added_at, a.person{extra}
                  FROM customers c LEFT JOIN assignments a ON a.customer_key = c.key
                  ORDER BY c.seq"""
        with sqlite_errors(self.path):
            return self.conn.execute(sql, args).fetchall()

    def add_history(self, rows: Iterable[tuple[str, int, str, StoredVisit]]) -> None:
        """Inside a transaction: visits of earlier rounds, (key, round, campaign, visit)."""
        self.conn.executemany(
            f"INSERT INTO history (customer_key, round, campaign, "
            f"{_VISIT_COLUMNS.removeprefix('id, customer_key, ')}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(key, rnd, name, *_visit_values(s.visit), s.source, s.source_row, s.created)
             for key, rnd, name, s in rows],
        )  # fmt: skip

    def history(self, key: str | None = None) -> list[tuple[int, str, StoredVisit]]:
        """Visits of earlier rounds (round, campaign name, visit), oldest first."""
        cols = _VISIT_COLUMNS.replace("id, customer_key, ", "id, customer_key, round, campaign, ")
        sql = f"SELECT {cols} FROM history"
        args: tuple = ()
        if key is not None:
            sql, args = sql + " WHERE customer_key = ?", (key,)
        with sqlite_errors(self.path):
            rows = self.conn.execute(sql + " ORDER BY visit_date, id", args).fetchall()
        return [(r[2], r[3], _stored((r[0], r[1], *r[4:]), self.path)) for r in rows]

    def origin_counts(self) -> dict[str, int]:
        with sqlite_errors(self.path):
            rows = self.conn.execute(
                "SELECT origin, COUNT(*) FROM customers GROUP BY origin").fetchall()  # fmt: skip
        return {o: n for o, n in rows}


def _visit_values(visit: Visit) -> tuple:
    return (
        visit.visit_date.isoformat(), visit.visitor, visit.method,
        None if visit.met is None else int(visit.met), visit.intent, visit.signed_package,
        visit.signed_fee, "、".join(visit.objections), visit.suggestion, visit.competitor,
        visit.follow_up.isoformat() if visit.follow_up else None,
    )  # fmt: skip


def _stored(row: Sequence[Any], path: Path) -> StoredVisit:
    try:
        return _visit_of(row)
    except (TypeError, ValueError, AttributeError):  # a row changed since the file opened
        raise decode.edited(path, f"走访记录第 {row[0]} 条无法读取") from None


def _visit_of(row: Sequence[Any]) -> StoredVisit:
    (vid, key, day, visitor, method, met, intent, package, fee, objections, suggestion,
     competitor, follow_up, source, source_row, created) = row  # fmt: skip
    visit = Visit(
        visit_date=dt.date.fromisoformat(day), visitor=visitor, intent=intent, method=method,
        met=None if met is None else bool(met), signed_package=package, signed_fee=fee,
        objections=tuple(o for o in objections.split("、") if o), suggestion=suggestion,
        competitor=competitor,
        follow_up=dt.date.fromisoformat(follow_up) if follow_up else None,
    )  # fmt: skip
    return StoredVisit(vid, key, visit, source, source_row, created)


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Bring a version-``version`` file to SCHEMA_VERSION; a backup copy is written first."""
    missing = [v for v in range(version, SCHEMA_VERSION) if v not in MIGRATIONS]
    if missing:
        raise CampaignFileError(
            f"营销活动文件 {path.name} 的版本（{version}）太旧，无法升级。",
            "请用当初创建它的程序版本打开并导出走访记录，再新建活动导入。",
        )
    target = backup_path(path, version)
    dst = sqlite3.connect(str(target), isolation_level=None)
    try:
        conn.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for v in range(version, SCHEMA_VERSION):
            MIGRATIONS[v](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store", "backup_path", "sqlite_errors"]
