"""The campaign's customers as a pandas DataFrame: list columns, offer columns and each
customer's visit status — for the window's table (a model over the DataFrame), the
report and the visit sheet."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from core.campaign.store import Store

if TYPE_CHECKING:
    import pandas as pd

DATE_COLUMNS = ("join_date", "contract_end")
STATUS_COLUMNS = ("visits", "last_visit", "last_visitor", "last_intent", "next_follow_up")


def customers_frame(store: Store, columns: list[tuple[str, str]]) -> pd.DataFrame:
    """One row per customer in list order: ``key``, the list's columns (as imported, dates
    as datetimes), the offer columns (band as text) and STATUS_COLUMNS."""
    import pandas as pd

    rows = store.customers()
    data = pd.DataFrame.from_records([json.loads(r[11]) for r in rows],
                                     columns=[k for k, _ in columns])  # fmt: skip
    offer = pd.DataFrame.from_records([json.loads(r[12]) for r in rows])
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
    status = {r[0]: r for r in store.customer_status()}
    keys = frame["key"].tolist()
    frame["visits"] = [int(status[k][5]) for k in keys]
    frame["last_visit"] = pd.to_datetime([status[k][11] for k in keys], errors="coerce")
    frame["last_visitor"] = [status[k][9] or "" for k in keys]
    frame["last_intent"] = [status[k][7] or "" for k in keys]
    frame["next_follow_up"] = pd.to_datetime([status[k][10] for k in keys], errors="coerce")
    return frame


__all__ = ["STATUS_COLUMNS", "customers_frame"]
