"""``campaign push``: one campaign file copied into the city database (issue 25).

- One transaction per campaign: every table of the file, compared row by row (by a digest
  of each row) with what the database holds for this campaign id; new rows are copied in
  (COPY), changed ones replaced, and the campaign's row and the push log updated. A failure
  or a cancel anywhere rolls it all back: the database is as it was.
- Idempotent: the same file twice finds no difference and writes nothing at all (not even
  the log); a file with more visits adds exactly those.
- Nothing lost: a file that lacks rows the database has — customers, documents, imports,
  versions, history, the visit change log, or a visit the file never deleted — is an older
  copy (or two laptops each recorded part of the sweep): it is refused, nothing written.
  Assignments, targets and the recommendation are state, not log: the file's are taken.
- Several counties at once: each campaign's row is locked for the push (the same campaign
  pushed twice at the same moment goes one after the other); different campaigns do not
  wait for each other.

With ``store_pg`` and ``store_pg_schema`` this holds every SQL statement of the city
database (the SQLite side reads the file's tables with ``store_checks.COLUMNS``' names).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.base.errors import InvalidInput
from core.base.progress import Progress
from core.campaign.campaign_id import FIRST_CUSTOMERS, campaign_id_of
from core.campaign.store import SCHEMA_VERSION, Store, sqlite_errors
from core.campaign.store_pg_schema import APPEND_ONLY, TABLES, columns, q, table

TABLE_WORDS = {"meta": "活动信息", "customers": "客户", "problems": "导入问题",
               "documents": "生成文件记录", "visits": "走访记录", "imports": "走访表导入记录",
               "assignments": "走访分配", "history": "前几轮的走访记录", "versions": "推荐版本",
               "visit_changes": "走访修改记录"}  # fmt: skip
DELETED = ("删除", "撤销")  # visit_changes actions that take a visit out of the file


def digest(values: tuple) -> str:
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class FileRows:
    """What a campaign file holds, table by table: key → (row, digest)."""

    path: Path
    meta: dict[str, Any]
    tables: dict[str, dict[Any, tuple[tuple, str]]]
    campaign_id: str = ""

    @property
    def branch(self) -> str:
        """单位 as results show it: the campaign's, else the file's name."""
        return (self.meta.get("info", {}).get("branch") or "").strip() or self.path.stem


def read_file(path: Path) -> FileRows:
    """Every table of the campaign file at ``path`` (opened read-only and checked)."""
    store = Store.open(path, readonly=True)
    try:
        meta = store.meta()
        tables: dict[str, dict[Any, tuple[tuple, str]]] = {}
        with sqlite_errors(store.path):
            for name, (key, _cols) in TABLES.items():
                cols = columns(name)
                select = ", ".join("rowid" if c == "n" else q(c) for c in cols)
                at = [cols.index(k) for k in key]
                rows = store.conn.execute(f"SELECT {select} FROM {q(name)}").fetchall()
                tables[name] = {row[at[0]]: (tuple(row), digest(tuple(row))) for row in rows}
            first = [r[0] for r in store.conn.execute(
                f"SELECT identity FROM customers ORDER BY seq LIMIT {FIRST_CUSTOMERS}")]  # fmt: skip
    finally:
        store.close()
    found = FileRows(Path(path), meta, tables)
    found.campaign_id = campaign_id_of(meta, first)
    return found


@dataclass
class PushReport:
    """What one push did (``added``/``replaced``/``removed``: rows per table)."""

    file: Path
    campaign_id: str
    name: str
    branch: str
    new: bool = False
    added: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed or self.new)

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.file), "campaign_id": self.campaign_id, "name": self.name,
                "branch": self.branch, "new": self.new, "changed": self.changed,
                "added": dict(self.added), "replaced": dict(self.replaced),
                "removed": dict(self.removed)}  # fmt: skip

    def summary(self) -> str:
        """In words, for the command line and the log."""
        if not self.changed:
            return "数据库里已是这个文件的内容，没有变化"
        parts = [f"{TABLE_WORDS[t]}新增 {n} 条" for t, n in self.added.items()]
        parts += [f"{TABLE_WORDS[t]}更新 {n} 条" for t, n in self.replaced.items()]
        parts += [f"{TABLE_WORDS[t]}去掉 {n} 条" for t, n in self.removed.items()]
        return ("新加入城市数据库：" if self.new else "") + "，".join(parts)


def _behind(rows: FileRows, what: dict[str, int]) -> InvalidInput:
    told = "，".join(f"{TABLE_WORDS[t]} {n} 条" for t, n in what.items())
    return InvalidInput(
        f"城市数据库里的营销活动“{rows.meta['info'].get('name', '')}”（{rows.branch}）比文件 "
        f"{rows.path.name} 新：数据库里有这个文件没有的{told}（这可能是旧的副本，或两台电脑各录了"
        "一部分走访）。程序没有改动数据库。",
        "请推送最新的营销活动文件；如果两台电脑各录了一部分走访，请在一台上导出走访表"
        "（visits-export），在另一台导入（visits-import），再推送合并后的文件。",
    )


def _summary_row(rows: FileRows) -> tuple:
    meta = rows.meta
    return (rows.path.name, rows.branch, str(meta["info"].get("name") or ""),
            int(meta.get("round", {}).get("number", 1)), str(meta.get("created_at") or ""),
            SCHEMA_VERSION, len(rows.tables["customers"]), len(rows.tables["visits"]))  # fmt: skip


def _copy(conn: Any, name: str, campaign_id: str, items: list[tuple[tuple, str]]) -> None:
    cols = ", ".join(["campaign_id", *(q(c) for c in columns(name)), "digest"])
    with conn.cursor() as cur, cur.copy(f"COPY {table(name)} ({cols}) FROM STDIN") as copy:
        for row, row_digest in items:
            copy.write_row((campaign_id, *row, row_digest))


def _plan(conn: Any, rows: FileRows, report: PushReport) -> dict[str, tuple[list, list]]:
    """table → (keys to take out, rows to copy in); refuses a file older than the database."""
    plan: dict[str, tuple[list, list]] = {}
    missing: dict[str, int] = {}
    # visit_changes: id, visit_id, customer_key, changed_at, action, before, after
    deleted = {r[1] for r, _d in rows.tables["visit_changes"].values() if r[4] in DELETED}
    for name, (key, _cols) in TABLES.items():
        have = dict(conn.execute(f"SELECT {q(key[0])}, digest FROM {table(name)} "
                                 "WHERE campaign_id = %s", (rows.campaign_id,)).fetchall())  # fmt: skip
        mine = rows.tables[name]
        gone = [k for k in have if k not in mine]
        lost = [k for k in gone if name in APPEND_ONLY or (name == "visits" and k not in deleted)]
        if lost:
            missing[name] = len(lost)
        changed = [k for k, (_row, d) in mine.items() if k in have and have[k] != d]
        new = [k for k in mine if k not in have]
        if gone or changed or new:
            plan[name] = (gone + changed, [mine[k] for k in changed + new])
            for counts, n in ((report.removed, len(gone)), (report.replaced, len(changed)),
                              (report.added, len(new))):  # fmt: skip
                if n:
                    counts[name] = n
    if missing:
        raise _behind(rows, missing)
    return plan


def push_rows(conn: Any, rows: FileRows, progress: Progress | None = None) -> PushReport:
    """Copy ``rows`` into the city database in one transaction (see the module docstring)."""
    progress = progress or Progress()
    report = PushReport(rows.path, rows.campaign_id, str(rows.meta["info"].get("name") or ""),
                        rows.branch)  # fmt: skip
    summary = _summary_row(rows)
    campaigns = table("campaigns")
    with conn.transaction():
        inserted = conn.execute(
            f"INSERT INTO {campaigns} (id, file_name, branch, name, round, created_at, "
            "file_version, customers, visits) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (id) DO NOTHING RETURNING id", (rows.campaign_id, *summary)).fetchone()  # fmt: skip
        report.new = inserted is not None
        held = conn.execute(  # the campaign's row stays locked until the commit
            f"SELECT file_name, branch, name, round, created_at, file_version, customers, visits "
            f"FROM {campaigns} WHERE id = %s FOR UPDATE", (rows.campaign_id,)).fetchone()  # fmt: skip
        plan = _plan(conn, rows, report)
        progress.start(len(plan) + 1, f"正在推送 {rows.path.name}…")
        for name, (out, copy_in) in plan.items():
            progress.check()
            if out:
                conn.execute(f"DELETE FROM {table(name)} WHERE campaign_id = %s AND "
                             f"{q(TABLES[name][0][0])} = ANY(%s)", (rows.campaign_id, out))  # fmt: skip
            if copy_in:
                _copy(conn, name, rows.campaign_id, copy_in)
            progress.advance(1)
        progress.check()
        if tuple(held) != summary or (report.changed and not report.new):
            conn.execute(
                f"UPDATE {campaigns} SET file_name = %s, branch = %s, name = %s, round = %s, "
                "created_at = %s, file_version = %s, customers = %s, visits = %s, "
                "pushed_at = now(), pushed_by = current_user WHERE id = %s",
                (*summary, rows.campaign_id))  # fmt: skip
        if report.changed:
            conn.execute(f"INSERT INTO {table('pushes')} (campaign_id, file_name, changes) "
                         "VALUES (%s, %s, %s)", (rows.campaign_id, rows.path.name,
                                                 json.dumps(report.to_dict(), ensure_ascii=False)))  # fmt: skip
        progress.advance(1)
    return report


__all__ = ["FileRows", "PushReport", "digest", "push_rows", "read_file"]
