"""Bench: band + summary + tags + offers for 200,000 customers (target well under 1 s).

python bench/bench_segment.py [N]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from core.marketing import (
    assign_bands,
    band_summary,
    crosstab,
    default_catalog,
    default_scheme,
    make_offers,
    quantile_scheme,
    unbanded_summary,
)
from core.reporting import write_offers_xlsx
from tools.synth import MANAGERS, PACKAGE_WEIGHTS, PACKAGES


def synthetic_customers(n: int, seed: int = 1) -> pd.DataFrame:
    """A customers frame shaped like the import's output (no file needed)."""
    rng = np.random.default_rng(seed)
    weights = np.array(PACKAGE_WEIGHTS) / sum(PACKAGE_WEIGHTS)
    idx = rng.choice(len(PACKAGES), size=n, p=weights)
    fee = np.array([f for _, f in PACKAGES], dtype="float64")[idx]
    spend = np.round(fee + np.where(rng.random(n) < 0.3, rng.uniform(0, fee * 0.4), 0), 2)
    spend[rng.random(n) < 0.01] = np.nan
    ends = pd.Timestamp("2026-11-20") + pd.to_timedelta(rng.integers(-200, 720, n), unit="D")
    return pd.DataFrame(
        {
            "source_row": np.arange(2, n + 2),
            "customer_id": pd.array([f"KH{i}" for i in range(n)], dtype="string"),
            "phone": pd.array([f"138{i:08d}" for i in range(n)], dtype="string"),
            "package": pd.array(np.array([p for p, _ in PACKAGES])[idx], dtype="string"),
            "market": pd.array(rng.choice(["城东市场", "城南市场", "工业园"], n), dtype="string"),
            "manager": pd.array(rng.choice(MANAGERS, n), dtype="string"),
            "spend": spend,
            "spend_issue": pd.array(
                np.where(np.isnan(spend), "missing_spend", None), dtype="string"
            ),
            "data_gb": np.where(
                rng.random(n) < 0.1,
                np.nan,
                np.round(np.maximum(0, rng.normal(fee / 8, fee / 16)), 2),
            ),
            "voice_min": np.where(
                rng.random(n) < 0.1, np.nan, np.maximum(0, rng.normal(fee * 2.2, fee)).round()
            ),
            "contract_end": ends,
        }
    )


def main(n: int = 200_000) -> float:
    customers = synthetic_customers(n)
    catalog = default_catalog()  # reading the .xlsx is not part of the timed work
    today = dt.date(2026, 11, 20)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    scheme = default_scheme()
    assign_bands(customers["spend"], scheme)
    timings["assign"] = time.perf_counter() - t0
    t = time.perf_counter()
    band_summary(customers, scheme)
    unbanded_summary(customers, scheme)
    timings["summary"] = time.perf_counter() - t
    t = time.perf_counter()
    crosstab(customers, scheme, "manager")
    timings["crosstab"] = time.perf_counter() - t
    t = time.perf_counter()
    offers = make_offers(customers, scheme, catalog, today=today)  # includes tags
    timings["tags+offers"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    t = time.perf_counter()
    make_offers(customers, quantile_scheme(customers["spend"], 5), catalog, fit_usage=True,
                today=today)  # fmt: skip
    fit = time.perf_counter() - t
    print(f"{n:,} 位客户：" + "，".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items()))
    print(f"合计（分档+汇总+交叉表+标签+推荐）：{total * 1000:.0f} ms")
    print(f"等人数 5 档 + 按用量推荐：{fit * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_offers_xlsx(offers, Path(tmp) / "推荐套餐.xlsx")
        print(f"导出推荐套餐 Excel（offers --out）：{time.perf_counter() - t:.1f} 秒")
    return total


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
