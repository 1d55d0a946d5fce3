"""The campaign's logs and their SQL: the documents made for each customer (under which
numbered recommendation, and what each letter said), the recommendations (第 1 版, 第 2 版 …)
and the corrected or deleted visits. With ``store``, ``store_schema`` and ``store_checks``
this holds every SQL statement of the campaign."""

from __future__ import annotations

from collections.abc import Iterable

from core.campaign import decode
from core.campaign.model import DocumentLog
from core.campaign.store import Store, now, sqlite_errors


def add_documents(store: Store, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
    """Inside a transaction: (kind, template, customer_key, output, offer JSON) per
    document, recorded under the campaign's current recommendation version."""
    stamp = now()
    version = current_version(store)
    store.conn.executemany(
        "INSERT INTO documents (created, kind, template, customer_key, output, version, "
        "offer) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(stamp, kind, template, key, output, version, offer)
         for kind, template, key, output, offer in rows],
    )  # fmt: skip


# --- versions
def _other(store: Store) -> bool:
    """Another backend (the city database's ``store_pg``) answers with its own SQL."""
    return not isinstance(store, Store)


def current_version(store: Store) -> int:
    if _other(store):
        return store.current_version()  # type: ignore[attr-defined]
    with sqlite_errors(store.path):
        row = store.conn.execute("SELECT max(number) FROM versions").fetchone()
    return int(row[0] or 1)


def versions(store: Store) -> list[tuple[int, str, str, int]]:
    """(number, created, note, documents made with it) per recommendation version."""
    if _other(store):
        return store.versions()  # type: ignore[attr-defined]
    with sqlite_errors(store.path):
        return store.conn.execute(
            "SELECT v.number, v.created, v.note, (SELECT count(*) FROM documents d "
            "WHERE d.version = v.number) FROM versions v ORDER BY v.number").fetchall()  # fmt: skip


def documents_of_version(store: Store, version: int) -> int:
    if _other(store):
        return store.documents_of_version(version)  # type: ignore[attr-defined]
    with sqlite_errors(store.path):
        return int(store.conn.execute("SELECT count(*) FROM documents WHERE version = ?",
                                     (version,)).fetchone()[0])  # fmt: skip


def add_version(store: Store, number: int, note: str) -> None:
    """Inside a transaction: a new recommendation version."""
    store.conn.execute("INSERT INTO versions (number, created, note) VALUES (?, ?, ?)",
                      (number, now(), note))  # fmt: skip


# --- visit changes
def log_visit_change(store: Store, visit_id: int, key: str, action: str, before: str,
                     after: str = "") -> None:  # fmt: skip
    """Inside a transaction: what a corrected or deleted visit said before (and after)."""
    store.conn.execute(
        "INSERT INTO visit_changes (visit_id, customer_key, changed_at, action, before, "
        "after) VALUES (?, ?, ?, ?, ?, ?)", (visit_id, key, now(), action, before, after))  # fmt: skip


def _rows(store: Store, sql: str, key: str | None) -> list[tuple]:
    """``sql``'s rows in the order written, of one customer if ``key`` is given."""
    args: tuple = ()
    if key is not None:
        sql, args = sql + " WHERE customer_key = ?", (key,)
    with sqlite_errors(store.path):
        return store.conn.execute(sql + " ORDER BY id", args).fetchall()


def visit_changes(store: Store, key: str | None = None) -> list[tuple]:
    if _other(store):
        return store.visit_changes(key)  # type: ignore[attr-defined]
    return _rows(store, "SELECT id, visit_id, customer_key, changed_at, action, before, after "
                 "FROM visit_changes", key)  # fmt: skip


def documents(store: Store, key: str | None = None) -> list[DocumentLog]:
    if _other(store):
        return store.documents(key)  # type: ignore[attr-defined]
    rows = _rows(store, "SELECT id, created, kind, template, customer_key, output, version, "
                 "offer FROM documents", key)  # fmt: skip
    return [DocumentLog(*r[:7], offer=decode.loads_object(r[7])) for r in rows]


__all__ = ["add_documents", "add_version", "current_version", "documents",
           "documents_of_version", "log_visit_change", "versions", "visit_changes"]  # fmt: skip
