"""Small frames shared by the core tests: customers shaped like the importer's output, a
four-package catalogue with its band rules, and letters built from odd customers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.base.settings import Settings
from core.documents.letters import build_letters, select
from core.marketing.catalog import Catalog, Package, Rule, Rules
from core.marketing.offers import make_offers

TODAY = dt.date(2026, 11, 20)
TEXT_COLS = ["customer_id", "phone", "name", "package", "broadband", "industry", "market",
             "grid", "address", "manager", "id_number"]  # fmt: skip


def customers(spend, **cols) -> pd.DataFrame:
    """A customers frame with every canonical column; ``cols`` override/extend."""
    spend = [np.nan if v is None else float(v) for v in spend]
    n = len(spend)
    frame = pd.DataFrame({"source_row": np.arange(2, n + 2)})
    for c in TEXT_COLS:
        frame[c] = pd.array([None] * n, dtype="string")
    frame["customer_id"] = pd.array([f"KH{i:04d}" for i in range(n)], dtype="string")
    frame["phone"] = pd.array([f"138{i:08d}" for i in range(n)], dtype="string")
    frame["name"] = pd.array([f"客户{i}" for i in range(n)], dtype="string")
    frame["spend"] = pd.Series(spend, dtype="float64")
    issue = ["missing_spend" if np.isnan(v) else None for v in spend]
    frame["spend_issue"] = pd.array(issue, dtype="string")
    for c in ("data_gb", "voice_min", "tenure_months"):
        frame[c] = np.nan
    frame["join_date"] = pd.NaT
    frame["contract_end"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for key, values in cols.items():
        if key in TEXT_COLS:
            frame[key] = pd.array(values, dtype="string")
        elif key in ("join_date", "contract_end"):
            frame[key] = pd.to_datetime(pd.Series(values), errors="coerce")
        else:
            frame[key] = pd.Series(values, dtype="float64")
    return frame


CAT = Catalog([
    Package("畅享39", 39, 10, 200, pitch="39元10GB"),
    Package("畅享79", 79, 40, 500, pitch="79元40GB"),
    Package("5G159", 159, 100, 1000, contract_months=12),
    Package("融合299", 299, 200, 2000, broadband_mbps=1000, contract_months=24),
])  # fmt: skip
RULES = Rules({
    "低端": Rule("低端", "畅享39", "畅享79", "满意服务、优惠资费"),
    "中端": Rule("中端", "畅享79", "5G159", "满意服务、优惠资费"),
    "中高端": Rule("中高端", "5G159", "融合299", "满意服务、优惠资费"),
    "高端": Rule("高端", "融合299", "", "高投入、高品质服务"),
})  # fmt: skip
BIG = Catalog([*CAT.packages, Package("5G199", 199, 200, 2000, contract_months=24)])


FULL_PHONE = "13812345678"
ID = "330102198001011234"


def letter_frame() -> pd.DataFrame:
    """Customers shaped like the importer's output, with the awkward cases."""
    n = 5
    return pd.DataFrame({
        "source_row": np.arange(2, n + 2),
        "customer_id": [f"KH{i}" for i in range(n)],
        "phone": [FULL_PHONE, "0571-88123456", "13900001111", None, "13711112222"],
        "name": ["张三五金店", 'A/B:*?"<>|商行.', "很长" * 40, "无号码客户", "李四"],
        "spend": [59.99, 19.99, 128.5, 300.0, np.nan],
        "spend_issue": [None] * n,
        "package": ["畅享59元套餐", None, "5G畅享129元套餐", "5G畅享299元套餐", None],
        "data_gb": [12.5, np.nan, 30.0, np.nan, np.nan],
        "voice_min": [150.0, np.nan, 500.0, np.nan, np.nan],
        "tenure_months": [75.0, np.nan, 8.0, np.nan, np.nan],
        "join_date": pd.to_datetime([None, "2020-01-15", None, None, None]),
        "contract_end": pd.to_datetime([None] * n),
        "address": ["城东市场A区1号", None, "城东市场B区2号", None, None],
        "id_number": [ID] * n,
        "摊位号": ["A-01", "B-02", None, "C-03", None],
    })  # fmt: skip


def letters(kind="建议书", **kw):
    offers = select(make_offers(letter_frame(), today=TODAY))
    return build_letters(offers, kind, settings=Settings(branch="某某县分公司", staff_name="王磊",
                         staff_phone="13900009999"), today=TODAY, **kw)  # fmt: skip
