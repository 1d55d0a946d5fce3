"""The campaign's customers as a pandas DataFrame: list columns, offer columns and each
customer's visit status — for the window's table (a model over the DataFrame), the
report and the visit sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.campaign import decode
from core.campaign.store import Store
from core.campaign.values import ASSIGNEE_COLUMN, ORIGIN_COLUMN

if TYPE_CHECKING:
    import pandas as pd

DATE_COLUMNS = ("join_date", "contract_end")
STATUS_COLUMNS = ("visits", "last_visit", "last_visitor", "last_intent", "next_follow_up")
STATUS_DATES = ("last_visit", "next_follow_up")


def customers_frame(store: Store, columns: list[tuple[str, str]]) -> pd.DataFrame:
    """One row per customer in list order: ``key``, the list's columns (as imported, dates
    as datetimes), the offer columns (band as text), STATUS_COLUMNS, and where the customer
    came from (客户来源: 清单 / 潜在客户 / 现场新增) and whom it is assigned to (分配给)."""
    import pandas as pd

    rows = store.customers()
    path = store.path
    own = {"key", *STATUS_COLUMNS, ORIGIN_COLUMN, ASSIGNEE_COLUMN}  # the frame's own win
    data = pd.DataFrame.from_records(
        [decode.record(r[11], path, f"客户“{r[0]}”的数据无法读取") for r in rows],
        columns=[k for k, _ in columns if k not in own])  # fmt: skip
    offer = pd.DataFrame.from_records(
        [decode.record(r[12], path, f"客户“{r[0]}”的数据无法读取") for r in rows]
    )
    frame = pd.concat(
        [pd.DataFrame({"key": [r[0] for r in rows]}), data,
         offer.drop(columns=[c for c in offer.columns if c in data.columns])],
        axis=1,
    )  # fmt: skip
    for col in DATE_COLUMNS:
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col], errors="coerce")
    for col in ("phone", "customer_id"):
        if col in frame.columns:
            frame[col] = frame[col].astype("object")
    status = {r[0]: status_values(r) for r in store.customer_status()}
    keys = frame["key"].tolist()
    for col in STATUS_COLUMNS:
        values = [status[k][col] for k in keys]
        frame[col] = pd.to_datetime(values, errors="coerce") if col in STATUS_DATES else values
    assigned = {key: person for key, person, _how in store.assignments()}
    frame[ORIGIN_COLUMN] = [r[13] for r in rows]
    frame[ASSIGNEE_COLUMN] = [assigned.get(k, "") for k in keys]
    return frame


def status_values(row: tuple) -> dict[str, object]:
    """STATUS_COLUMNS of one ``Store.customer_status`` row (dates as ISO text)."""
    return {"visits": int(row[5]), "last_visit": row[11], "last_visitor": row[9] or "",
            "last_intent": row[7] or "", "next_follow_up": row[10]}  # fmt: skip


__all__ = ["STATUS_COLUMNS", "STATUS_DATES", "customers_frame", "status_values"]
