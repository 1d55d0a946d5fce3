"""Like with like: the monthly bill a customer can expect on another package.

The present side is the spend (月均消费). The other side is what the same usage would cost
on the new package:

    expected = package fee
             + usage beyond the package's allowance × overage rate (data 元/GB, voice 元/分钟)
             + the charges outside the package that stay

The charges outside the package are what the spend holds beyond the present package's
fee and its own overage at the same rates (never below 0); they are known only when the
present package is in the catalog (otherwise 0, and the reason says the bill is
estimated from the fee and the usage). Staying on the present package is the present
spend, exactly. Everything is vectorised over customers; a package index of -1 (none)
reads a sentinel row (NaN fee), so ``fee[pkg]`` never needs a mask.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.marketing.catalog import Catalog


@dataclass
class BillModel:
    spend: np.ndarray  # present monthly spend (NaN: no valid spend)
    data: np.ndarray  # monthly GB used (NaN: unknown, no data overage counted)
    voice: np.ndarray  # monthly minutes used (NaN: unknown)
    cur: np.ndarray  # present package's index in the catalog, -1 when not in it
    data_rate: float
    voice_rate: float
    # per package, plus the sentinel row for -1
    fee: np.ndarray
    allow_data: np.ndarray
    allow_voice: np.ndarray
    mbps: np.ndarray
    landline: np.ndarray
    addon: np.ndarray
    # per customer, set by __post_init__ / services()
    need_broadband: np.ndarray | None = None
    need_landline: np.ndarray | None = None

    def __post_init__(self) -> None:
        known = self.cur >= 0
        self.in_catalog = known
        self.cur_fee = np.where(known, self.fee[self.cur], np.nan)
        # "smaller" is measured against the present package's fee (the spend if unknown)
        self.ref_fee = np.where(known, self.cur_fee, self.spend)
        self.overage_now = np.where(known, self.overage(self.allow_data[self.cur],
                                                        self.allow_voice[self.cur]), 0.0)  # fmt: skip
        # the part of the spend that is overage (at most what the spend holds beyond the fee)
        beyond = np.maximum(np.nan_to_num(self.spend - self.cur_fee), 0.0)
        self.overage_paid = np.minimum(self.overage_now, beyond)
        self.outside = np.where(known, beyond - self.overage_paid, 0.0)
        if self.need_broadband is None:
            self.need_broadband = known & (self.mbps[self.cur] > 0)
        if self.need_landline is None:
            self.need_landline = known & (self.landline[self.cur] > 0)

    @classmethod
    def build(cls, customers: pd.DataFrame, catalog: Catalog, data_rate: float,
              voice_rate: float, cur: np.ndarray) -> BillModel:  # fmt: skip
        def num(key: str) -> np.ndarray:
            if key not in customers.columns:
                return np.full(len(customers), np.nan)
            return pd.to_numeric(customers[key], errors="coerce").to_numpy(
                "float64", na_value=np.nan
            )

        pkgs = catalog.packages

        def col(values: list[float], sentinel: float) -> np.ndarray:
            return np.array([*values, sentinel], dtype="float64")

        return cls(
            spend=num("spend"), data=num("data_gb"), voice=num("voice_min"), cur=cur,
            data_rate=data_rate, voice_rate=voice_rate,
            fee=col([p.fee for p in pkgs], np.nan),
            allow_data=col([p.data_gb for p in pkgs], np.nan),
            allow_voice=col([p.voice_min for p in pkgs], np.nan),
            mbps=col([p.broadband_mbps for p in pkgs], 0.0),
            landline=col([p.landline for p in pkgs], 0.0),
            addon=np.array([*(p.addon for p in pkgs), True], dtype=bool),
        )  # fmt: skip

    def add_listed_services(self, broadband: np.ndarray, landline: np.ndarray) -> None:
        """Services the list's own columns name (宽带/融合/固话), on top of the catalog's."""
        self.need_broadband = self.need_broadband | broadband
        self.need_landline = self.need_landline | landline

    # --- sums ------------------------------------------------------------------------------
    def overage(
        self, allow_data: np.ndarray | float, allow_voice: np.ndarray | float
    ) -> np.ndarray:
        """What the customer's usage beyond these allowances costs at the overage rates."""
        with np.errstate(invalid="ignore"):
            extra_data = np.where(np.isnan(self.data), 0.0, np.maximum(self.data - allow_data, 0.0))
            extra_voice = np.where(np.isnan(self.voice), 0.0,
                                   np.maximum(self.voice - allow_voice, 0.0))  # fmt: skip
        return extra_data * self.data_rate + extra_voice * self.voice_rate

    def package_overage(self, pkg: np.ndarray) -> np.ndarray:
        return self.overage(self.allow_data[pkg], self.allow_voice[pkg])

    def expected(self, pkg: np.ndarray) -> np.ndarray:
        """Expected monthly bill on package ``pkg`` (per customer); the spend when it is the
        present package; NaN for -1."""
        bill = self.fee[pkg] + self.package_overage(pkg) + self.outside
        return np.where((pkg == self.cur) & self.in_catalog, self.spend, bill)

    def with_addon(self, addon: int) -> np.ndarray:
        """Expected bill staying on the present package with add-on ``addon`` on top.

        The add-on's allowance is added to the present package's; the overage saved is at
        most the overage the spend actually holds. NaN where the present package is unknown.
        """
        cur = self.cur
        after = self.overage(self.allow_data[cur] + self.allow_data[addon],
                             self.allow_voice[cur] + self.allow_voice[addon])  # fmt: skip
        still = np.minimum(after, self.overage_paid)
        bill = self.spend - self.overage_paid + still + self.fee[addon]
        return np.where(self.in_catalog, bill, np.nan)

    def covers(self, pkg: int) -> np.ndarray:
        """The package's allowances cover the usage (unknown usage is not required)."""
        d, v = self.allow_data[pkg], self.allow_voice[pkg]
        return (np.isnan(self.data) | (self.data <= d)) & (np.isnan(self.voice) | (self.voice <= v))

    def covers_present(self) -> np.ndarray:
        """The present package (in the catalog) covers the usage."""
        d, v = self.allow_data[self.cur], self.allow_voice[self.cur]
        with np.errstate(invalid="ignore"):
            ok = (np.isnan(self.data) | (self.data <= d)) & (
                np.isnan(self.voice) | (self.voice <= v)
            )
        return ok & self.in_catalog

    def keeps_services(self, pkg: np.ndarray) -> np.ndarray:
        """The package includes the broadband and landline the customer has now."""
        return (~self.need_broadband | (self.mbps[pkg] > 0)) & (
            ~self.need_landline | (self.landline[pkg] > 0))  # fmt: skip

    @property
    def services_text(self) -> np.ndarray:
        """'宽带、固话' / '宽带' / '固话' / '' per customer."""
        table = np.array(["", "宽带", "固话", "宽带、固话"], dtype=object)
        return table[self.need_broadband.astype(int) + 2 * self.need_landline.astype(int)]


__all__ = ["BillModel"]
