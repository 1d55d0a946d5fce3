"""What the whole set of recommendations is worth to the branch.

``plan_summary(offers)`` adds up every customer's ``diff_month`` (expected bill on the
offer − present spend): the monthly revenue change if every customer took the offer,
the customers whose bill goes up / stays / goes down, per band, and what the 维系 offers
cost (revenue given up to keep 资费偏高 customers). The ``offers`` command prints it as
JSON ``summary``, the 主推套餐 page shows it as the user changes a band's package, and the
report's 汇总 sheet lists it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.base.money import round2

RETAIN_KIND = "维系"


@dataclass
class BandPlan:
    band: str
    customers: int = 0
    up: int = 0
    same: int = 0
    down: int = 0
    revenue_change_month: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"customers": self.customers, "up": self.up, "same": self.same,
                "down": self.down, "revenue_change_month": self.revenue_change_month}  # fmt: skip


@dataclass
class PlanSummary:
    customers: int = 0  # customers with an offer
    revenue_now_month: float = 0.0  # their present spend
    revenue_after_month: float = 0.0  # their expected bills on the offers
    revenue_change_month: float = 0.0  # the sum of diff_month
    up: int = 0
    same: int = 0
    down: int = 0
    by_band: list[BandPlan] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    retention_customers: int = 0
    retention_cost_month: float = 0.0  # revenue given up by the 维系 offers (≥ 0)
    retention: bool = False  # 维系 offers were asked for (--retention)

    @property
    def revenue_change_year(self) -> float:
        return round2(self.revenue_change_month * 12)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "customers": self.customers,
            "revenue_now_month": self.revenue_now_month,
            "revenue_after_month": self.revenue_after_month,
            "revenue_change_month": self.revenue_change_month,
            "revenue_change_year": self.revenue_change_year,
            "up": self.up, "same": self.same, "down": self.down,
            "by_band": {b.band: b.to_dict() for b in self.by_band},
            "by_kind": dict(self.by_kind),
        }  # fmt: skip
        if self.retention:
            out["retention"] = {
                "customers": self.retention_customers,
                "cost_month": self.retention_cost_month,
                "cost_year": round2(self.retention_cost_month * 12),
            }
        return out

    def text(self) -> str:
        """One line for the window and the command's summary."""
        sign = "+" if self.revenue_change_month > 0 else ""
        line = (f"全部按推荐办理：每月收入变化 {sign}{self.revenue_change_month:,.2f} 元"
                f"（一年 {sign}{self.revenue_change_year:,.2f} 元）；费用增加 {self.up} 户、"
                f"不变 {self.same} 户、减少 {self.down} 户")  # fmt: skip
        if self.retention:
            line += (f"；维系 {self.retention_customers} 户，每月成本 "
                     f"{self.retention_cost_month:,.2f} 元")  # fmt: skip
        return line + "。"


def plan_summary(offers: pd.DataFrame, bands: list[str] | None = None,
                 retention: bool | None = None) -> PlanSummary:  # fmt: skip
    """The plan's worth from an offers frame (make_offers, or a campaign's customers).

    ``bands``: the band labels in order (default: the band column's categories, else the
    order they appear). ``retention``: whether 维系 offers were asked for (default: whether
    there are any).
    """
    if "diff_month" not in offers.columns or "band" not in offers.columns:
        return PlanSummary(retention=bool(retention))
    has = offers["offer_package"].notna() if "offer_package" in offers else offers["band"].notna()
    o = offers[has & offers["band"].notna()]
    diff = pd.to_numeric(o["diff_month"], errors="coerce").astype("float64")
    diff = diff.where(
        np.isfinite(diff) & (diff.abs() < 1e9), 0.0
    )  # an impossible bill adds nothing
    spend = pd.to_numeric(o["spend"], errors="coerce").astype("float64")
    spend = spend.where(np.isfinite(spend), 0.0)
    kind = o["offer_kind"].astype("object").fillna("") if "offer_kind" in o else pd.Series(
        "", index=o.index)  # fmt: skip
    band = o["band"].astype("object").astype(str)
    if bands is None:
        cats = getattr(offers["band"], "cat", None)
        bands = [str(c) for c in cats.categories] if cats is not None else list(dict.fromkeys(band))
    sign = np.sign(diff.round(2).to_numpy())
    frame = pd.DataFrame({"band": band.to_numpy(), "diff": diff.to_numpy(), "up": sign > 0,
                          "same": sign == 0, "down": sign < 0})  # fmt: skip
    grouped = frame.groupby("band", sort=False).agg(
        customers=("diff", "size"), up=("up", "sum"), same=("same", "sum"), down=("down", "sum"),
        change=("diff", "sum"))  # fmt: skip
    by_band = []
    for label in bands:
        if label in grouped.index:
            g = grouped.loc[label]
            by_band.append(BandPlan(label, int(g["customers"]), int(g["up"]), int(g["same"]),
                                    int(g["down"]), round2(float(g["change"]))))  # fmt: skip
        else:
            by_band.append(BandPlan(label))
    retained = kind == RETAIN_KIND
    counts = kind[kind != ""].value_counts()
    return PlanSummary(
        customers=len(o),
        revenue_now_month=round2(float(spend.sum())),
        revenue_after_month=round2(float((spend + diff).sum())),
        revenue_change_month=round2(float(diff.sum())),
        up=int((sign > 0).sum()),
        same=int((sign == 0).sum()),
        down=int((sign < 0).sum()),
        by_band=by_band,
        by_kind={str(k): int(v) for k, v in counts.items()},
        retention_customers=int(retained.sum()),
        retention_cost_month=round2(float(-diff[retained].sum())),
        retention=bool(retained.any()) if retention is None else bool(retention),
    )


__all__ = ["BandPlan", "PlanSummary", "plan_summary"]
