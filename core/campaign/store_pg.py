"""The campaign store on the city's PostgreSQL database (issue 25): connecting (errors in
Chinese, never a password), the list of campaigns in it, and ``PgCampaignStore`` — one
campaign of the database behind the same read methods as the file's ``Store``, so
``Campaign``, results (``tally``), the report's frames and the window read it with the same
code. It is read-only: a change goes into the county's file and reaches the database by
``campaign push`` (``store_pg_push``).

Every row comes back in the shape and the kinds the SQLite file gives (ISO dates as text,
0/1 for 见到决策人, a customer field's JSON value as ``json_extract`` gives it), so the same
campaign counts the same whichever store it is read from. With ``store_pg_schema`` and
``store_pg_push`` this holds every SQL statement of the city database.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.base.errors import InvalidInput
from core.campaign import decode
from core.campaign.city_config import Target, driver
from core.campaign.model import CampaignFileError, DocumentLog, StoredVisit
from core.campaign.store import CUSTOMER_COLUMNS, GROUP_COLUMNS, _stored
from core.campaign.store_pg_schema import SCHEMA, check_readable, q, table
from core.campaign.values import SIGNED

READ_ONLY = "城市数据库里的营销活动是只读的"
_VISIT_SELECT = ("id, customer_key, visit_date::text, visitor, method, met, intent, "
                 "signed_package, signed_fee, objections, suggestion, competitor, "
                 "follow_up::text, source, source_row, created")  # fmt: skip
_TAGS = ("tag_seed", "tag_spreader", "tag_expiring", "tag_overpaying")


def _reason(target: Target, exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return target.scrub(text)[:300]


def translate(target: Target, exc: BaseException) -> InvalidInput:
    """A Chinese message for a database error (no password in it)."""
    text = str(exc).lower()
    where = f"城市数据库 {target.display}"
    if "password authentication failed" in text or "no password supplied" in text:
        return InvalidInput(f"无法登录{where}：用户名或密码不对。",
                            "请核对用户名；密码放在 PGPASSFILE 指向的文件或城市数据库设置文件里"
                            "（见 docs/city-database.md）。")  # fmt: skip
    if "ssl" in text or "certificate" in text:
        return InvalidInput(f"无法和{where}建立加密连接（TLS）：{_reason(target, exc)}。",
                            "请核对地址里的 sslmode 和 sslrootcert（根证书文件），或请 IT 检查服务器证书。")  # fmt: skip
    if "pg_hba.conf" in text:
        return InvalidInput(f"{where}不接受本机的连接（服务器的 pg_hba.conf 没有放行）。",
                            "请 IT 在服务器的 pg_hba.conf 里加上本机所在网段（见 docs/city-database.md）。")  # fmt: skip
    if "does not exist" in text and "database" in text:
        return InvalidInput(f"{where}不存在。", "请核对地址最后的数据库名，或请 IT 先建立数据库。")
    if "permission denied" in text or "must be owner" in text:
        return InvalidInput(f"没有权限在{where}做这件事：{_reason(target, exc)}。",
                            "推送需要写入权限的用户，查看只需要只读用户；请 IT 授权（见 docs/city-database.md）。")  # fmt: skip
    if any(w in text for w in ("connection refused", "timeout", "timed out", "could not translate",
                               "could not connect", "no route", "network is unreachable",
                               "connection to server")):  # fmt: skip
        return InvalidInput(f"连不上{where}：{_reason(target, exc)}。",
                            "请确认电脑已接入内网、服务器地址和端口正确；营销活动文件不受影响，可以稍后再推送。")  # fmt: skip
    return InvalidInput(f"{where}出错：{_reason(target, exc)}。",
                        "程序没有改动数据库里的内容；请稍后重试，一再出现请把这句话发给 IT。")  # fmt: skip


@contextlib.contextmanager
def pg_errors(target: Target) -> Iterator[None]:
    """Turn the driver's errors into InvalidInput with a Chinese message."""
    psycopg = driver()
    try:
        yield
    except psycopg.Error as exc:
        raise translate(target, exc) from None


def connect(target: Target, readonly: bool = False) -> Any:
    """A connection to the city database. Read-only: one REPEATABLE READ READ ONLY
    transaction (every campaign read from the same moment, even while counties push);
    otherwise autocommit, each push in its own ``conn.transaction()``."""
    psycopg = driver()
    with pg_errors(target):
        conn = psycopg.connect(**target.connect_args(), autocommit=not readonly)
        if readonly:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
    return conn


@dataclass(frozen=True)
class Entry:
    """One campaign in the city database (a row of ``jinzita.campaigns``)."""

    id: str
    file_name: str
    branch: str
    name: str
    round: int
    created_at: str
    customers: int
    visits: int
    pushed_at: str
    pushed_by: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def campaigns(conn: Any, branches: Sequence[str] = ()) -> list[Entry]:
    """The campaigns in the database (of some 单位 only), by 单位, file name, id."""
    check_readable(conn)
    sql = (f"SELECT id, file_name, branch, name, round, created_at, customers, visits, "
           f"to_char(pushed_at, 'YYYY-MM-DD HH24:MI:SS'), pushed_by FROM {table('campaigns')}")  # fmt: skip
    args: list[Any] = []
    if branches:
        sql += " WHERE branch = ANY(%s)"
        args.append(list(branches))
    rows = conn.execute(sql + " ORDER BY branch, file_name, id", args).fetchall()
    return [Entry(*r) for r in rows]


def progress(conn: Any, ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Per campaign id: customers visited, and customers whose latest visit is 已成交 (as
    results count them)."""
    rows = conn.execute(f"""
        WITH latest AS (
            SELECT DISTINCT ON (campaign_id, customer_key) campaign_id, intent
            FROM {table('visits')} WHERE campaign_id = ANY(%s)
            ORDER BY campaign_id, customer_key, visit_date DESC, id DESC)
        SELECT campaign_id, count(*), count(*) FILTER (WHERE intent = %s)
        FROM latest GROUP BY campaign_id""", (list(ids), SIGNED)).fetchall()  # fmt: skip
    return {r[0]: (int(r[1]), int(r[2])) for r in rows}


_FLAGS = {None: None, "true": 1, "false": 0, "null": None}


def _json_flag(text: str | None) -> Any:
    """A JSON value given as text, as SQLite's json_extract gives it (true → 1)."""
    if text in _FLAGS:
        return _FLAGS[text]
    return _bool_as_int(json.loads(text))


def _bool_as_int(value: Any) -> Any:
    """What SQLite's json_extract gives for a JSON value: true/false as 1/0."""
    return int(value) if isinstance(value, bool) else value


class PgCampaignStore:
    """One campaign of the city database, read-only, with the read methods of ``Store``."""

    readonly = True

    def __init__(self, conn: Any, entry: Entry) -> None:
        self.conn = conn
        self.entry = entry
        self.id = entry.id
        self.path = Path(entry.file_name)  # results name a campaign by its file

    def _all(self, sql: str, *args: Any) -> list[tuple]:
        return self.conn.execute(sql, (self.id, *args)).fetchall()

    # ------------------------------------------------------------------ life cycle
    def close(self) -> None:
        """The connection belongs to the reader that opened this campaign."""

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        raise CampaignFileError(f"{READ_ONLY}：{self.entry.name}（{self.entry.branch}）。",
                                "要修改请在县里打开营销活动文件，改好后再推送（campaign push）。")  # fmt: skip
        yield  # pragma: no cover

    def meta(self) -> dict[str, Any]:
        rows = self._all(f"SELECT name, value FROM {table('meta')} WHERE campaign_id = %s")
        return decode.meta(rows, self.path, 3)

    # ------------------------------------------------------------------ customers
    def customers(self, bands: Sequence[str] = ()) -> list[tuple]:
        sql = (f"SELECT {', '.join(q(c) for c in CUSTOMER_COLUMNS)} FROM {table('customers')} "
               "WHERE campaign_id = %s")  # fmt: skip
        args: tuple = ()
        if bands:
            sql, args = sql + " AND band = ANY(%s)", (list(bands),)
        return self._all(sql + " ORDER BY seq", *args)

    def customer(self, key: str) -> tuple | None:
        rows = self._all(f"SELECT {', '.join(q(c) for c in CUSTOMER_COLUMNS)} FROM "
                         f"{table('customers')} WHERE campaign_id = %s AND key = %s", key)  # fmt: skip
        return rows[0] if rows else None

    def aliases(self) -> list[tuple[str, str | None, str | None]]:
        return self._all(f"SELECT key, phone, customer_id FROM {table('customers')} "
                         "WHERE campaign_id = %s")  # fmt: skip

    def keys_and_identities(self) -> tuple[set[str], set[str], int]:
        rows = self._all(
            f"SELECT key, identity, seq FROM {table('customers')} WHERE campaign_id = %s"
        )
        return {r[0] for r in rows}, {r[1] for r in rows}, max((r[2] for r in rows), default=0)

    def problems(self) -> list[tuple]:
        return self._all(f'SELECT "row", field, code, message FROM {table("problems")} '
                         "WHERE campaign_id = %s ORDER BY n")  # fmt: skip

    def counts(self) -> dict[str, int]:
        one = "(SELECT {} FROM " + SCHEMA + ".{} WHERE campaign_id = %(c)s)"
        sql = "SELECT " + ", ".join(one.format(what, t) for what, t in (
            ("count(*)", "customers"), ("count(*)", "visits"),
            ("count(DISTINCT customer_key)", "visits"), ("count(*)", "documents"),
            ("count(*)", "imports")))  # fmt: skip
        row = self.conn.execute(sql, {"c": self.id}).fetchone()
        return dict(zip(("customers", "visits", "visited", "documents", "imports"), row,
                        strict=True))  # fmt: skip

    def band_counts(self) -> list[tuple[str | None, int]]:
        return self._all(f"SELECT band, count(*) FROM {table('customers')} WHERE campaign_id = %s "
                         "GROUP BY band ORDER BY min(seq)")  # fmt: skip

    def origin_counts(self) -> dict[str, int]:
        return dict(self._all(f"SELECT origin, count(*) FROM {table('customers')} "
                              "WHERE campaign_id = %s GROUP BY origin"))  # fmt: skip

    # ------------------------------------------------------------------ visits
    def visit(self, visit_id: int) -> StoredVisit | None:
        rows = self._all(f"SELECT {_VISIT_SELECT} FROM {table('visits')} "
                         "WHERE campaign_id = %s AND id = %s", visit_id)  # fmt: skip
        return _stored(rows[0], self.path) if rows else None

    def visits(self, key: str | None = None) -> list[StoredVisit]:
        sql = f"SELECT {_VISIT_SELECT} FROM {table('visits')} WHERE campaign_id = %s"
        args: tuple = ()
        if key is not None:
            sql, args = sql + " AND customer_key = %s", (key,)
        return [_stored(r, self.path) for r in self._all(sql + " ORDER BY visit_date, id", *args)]

    def history(self, key: str | None = None) -> list[tuple[int, str, StoredVisit]]:
        cols = _VISIT_SELECT.replace("id, customer_key, ", "id, customer_key, round, campaign, ")
        sql = f"SELECT {cols} FROM {table('history')} WHERE campaign_id = %s"
        args: tuple = ()
        if key is not None:
            sql, args = sql + " AND customer_key = %s", (key,)
        rows = self._all(sql + " ORDER BY visit_date, id", *args)
        return [(r[2], r[3], _stored((r[0], r[1], *r[4:]), self.path)) for r in rows]

    def imports(self) -> list[dict[str, Any]]:
        cols = ("file_name", "sha256", "imported_at", "rows", "imported", "duplicates",
                "conflicts", "rejected")  # fmt: skip
        rows = self._all(f"SELECT {', '.join(q(c) for c in cols)} FROM {table('imports')} "
                         "WHERE campaign_id = %s ORDER BY id")  # fmt: skip
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def assignments(self) -> list[tuple[str, str, str]]:
        return self._all(
            f"SELECT a.customer_key, a.person, a.how FROM {table('assignments')} a "
            f"JOIN {table('customers')} c ON c.campaign_id = a.campaign_id AND c.key = a.customer_key "
            "WHERE a.campaign_id = %s ORDER BY c.seq")  # fmt: skip

    # ------------------------------------------------------------------ results
    def _field(self, name: str) -> tuple[str, list[Any]]:
        if name in GROUP_COLUMNS:
            return f"c.{q(name)}", []
        return "j.d -> %s", [name.replace('"', "")]

    def customer_status(self, group: str | None = None, key: str | None = None) -> list[tuple]:
        """As ``Store.customer_status``: key, name, band, spend, group value, visits, met in
        any visit, the latest visit's intent, fee, visitor, follow-up and date."""
        expr, args = ("NULL", []) if group is None else self._field(group)
        sql = f"""
            WITH ranked AS (
                SELECT customer_key, intent, signed_fee, visitor, follow_up, visit_date,
                       row_number() OVER (PARTITION BY customer_key
                                          ORDER BY visit_date DESC, id DESC) AS rn
                FROM {table("visits")} WHERE campaign_id = %s),
            agg AS (SELECT customer_key, count(*) AS n, max(coalesce(met, 0)) AS met_any
                    FROM {table("visits")} WHERE campaign_id = %s GROUP BY customer_key)
            SELECT c.key, c.name, c.band, c.spend, {expr}, coalesce(agg.n, 0),
                   coalesce(agg.met_any, 0), r.intent, r.signed_fee, r.visitor,
                   r.follow_up::text, r.visit_date::text
            FROM {table("customers")} c
            CROSS JOIN LATERAL (SELECT c.data::json AS d) j
            LEFT JOIN agg ON agg.customer_key = c.key
            LEFT JOIN ranked r ON r.customer_key = c.key AND r.rn = 1
            WHERE c.campaign_id = %s {"AND c.key = %s" if key is not None else ""}
            ORDER BY c.seq"""
        params = [self.id, self.id, *args, self.id, *([key] if key is not None else [])]
        rows = self.conn.execute(sql, params).fetchall()
        return [(*r[:4], _bool_as_int(r[4]), *r[5:]) for r in rows]

    def customer_facts(self, fields: Sequence[str] = ()) -> list[tuple]:
        """As ``Store.customer_facts``: key, name, band, spend, offer_package, alt_package,
        the four tag flags, origin, added_at, assignee, then each of ``fields``."""
        exprs, args = [], []
        for name in fields:
            expr, more = self._field(name)
            exprs.append(expr)
            args += more
        extra = "".join(f", {e}" for e in exprs)
        # the flags as JSON text (true/false/null …), decoded below without a json parse each
        tags = ", ".join(f"(j.o -> '{t}')::text" for t in _TAGS)
        data = ", c.data::json AS d" if exprs else ""
        sql = f"""SELECT c.key, c.name, c.band, c.spend, c.offer_package, j.o ->> 'alt_package',
                         {tags}, c.origin, c.added_at, a.person{extra}
                  FROM {table("customers")} c
                  CROSS JOIN LATERAL (SELECT c.offer::json AS o{data}) j
                  LEFT JOIN {table("assignments")} a
                         ON a.campaign_id = c.campaign_id AND a.customer_key = c.key
                  WHERE c.campaign_id = %s ORDER BY c.seq"""
        rows = self.conn.execute(sql, [*args, self.id]).fetchall()
        return [(*r[:6], *(_json_flag(x) for x in r[6:10]),
                 *(_bool_as_int(x) for x in r[10:])) for r in rows]  # fmt: skip

    # ------------------------------------------------------------------ the logs
    def current_version(self) -> int:
        row = self._all(f"SELECT max(number) FROM {table('versions')} WHERE campaign_id = %s")
        return int(row[0][0] or 1)

    def versions(self) -> list[tuple[int, str, str, int]]:
        return self._all(
            f"SELECT v.number, v.created, v.note, (SELECT count(*) FROM {table('documents')} d "
            "WHERE d.campaign_id = v.campaign_id AND d.version = v.number) "
            f"FROM {table('versions')} v WHERE v.campaign_id = %s ORDER BY v.number")  # fmt: skip

    def documents_of_version(self, version: int) -> int:
        return int(self._all(f"SELECT count(*) FROM {table('documents')} WHERE campaign_id = %s "
                             "AND version = %s", version)[0][0])  # fmt: skip

    def documents(self, key: str | None = None) -> list[DocumentLog]:
        sql = (f"SELECT id, created, kind, template, customer_key, output, version, offer "
               f"FROM {table('documents')} WHERE campaign_id = %s")  # fmt: skip
        args: tuple = ()
        if key is not None:
            sql, args = sql + " AND customer_key = %s", (key,)
        return [DocumentLog(*r[:7], offer=decode.loads_object(r[7]))
                for r in self._all(sql + " ORDER BY id", *args)]  # fmt: skip

    def visit_changes(self, key: str | None = None) -> list[tuple]:
        sql = (f"SELECT id, visit_id, customer_key, changed_at, action, before, after "
               f"FROM {table('visit_changes')} WHERE campaign_id = %s")  # fmt: skip
        args: tuple = ()
        if key is not None:
            sql, args = sql + " AND customer_key = %s", (key,)
        return self._all(sql + " ORDER BY id", *args)


__all__ = ["READ_ONLY", "Entry", "PgCampaignStore", "campaigns", "connect", "pg_errors",
           "progress", "translate"]  # fmt: skip
