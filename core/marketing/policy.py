"""The recommendation policy: what the branch signs, written down and enforced here only.

Every offer (the ``offers`` command, the letters, the window, a campaign) is chosen by
core.marketing.choose, and every package it considers must pass ``Policy.allowed``:

1. **Services stay.** A customer whose present package includes broadband or a landline
   (by the catalog, or the list's 宽带/融合/固话 columns) is only offered packages that
   include them too (融合套餐), or keeps the present package (with an add-on).
2. **The top band is not moved down.** By default no customer of the top band is offered a
   smaller package (``protect_top``): 高投入、高品质服务、高价位 — price is what these customers
   think about least.
3. **No move down during a contract.** A customer whose contract runs beyond ``contract_days``
   is not offered a smaller package.
4. **No surprise.** A package that is not dearer than the present one (a smaller one, or
   one at the same fee) never makes the expected monthly bill higher (its allowance would
   be too small for the customer's usage).
5. **The cap.** A smaller package never cuts the expected bill by more than ``max_cut``
   (10 %); a 资费偏高 customer too.
6. **No upsell to a customer who already pays too much.** A 资费偏高 customer is never
   offered a package that makes the expected bill higher.
7. **Retention is an explicit choice.** Only with ``retention``: a 资费偏高 customer may be
   offered the next package down the catalog that keeps their services, within the
   retention cap ``retention_cap`` (20 %), when it lowers the bill. These are 维系 offers;
   what they cost the branch is summed (core.marketing.plan).

"Smaller" is a lower monthly fee than the present package's (than the present spend when
the package is not in the catalog). A *bigger* package that lowers the bill because the
customer stops paying for usage beyond the allowance is allowed and labelled 精打细算.
Every sum compares the expected bill on the new package (core.marketing.bills) with the
present spend. ``policy_violations`` checks a finished offers frame against these rules.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from core.base.errors import InvalidInput
from core.base.settings import SEED_OFFER, SPREADER_OFFER

if TYPE_CHECKING:
    import pandas as pd

    from core.marketing.bills import BillModel

DEFAULT_DATA_RATE = 5.0  # 元/GB beyond the package's data
DEFAULT_VOICE_RATE = 0.15  # 元/分钟 beyond the package's minutes
AUTO = ""  # seed_by: a business column when the list has one, else the spend
BY_SPEND = "spend"

# Why a package was not allowed (the first rule it breaks, in the order above).
OK, SERVICE, TOP, CONTRACT, MORE_FOR_LESS, CAP, OVERPAYING = range(7)
EPS = 0.005  # half a fen: bills are compared in yuan with 2 decimals


def _fraction(value: Any, what: str, low: float, high: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not (math.isfinite(v) and low <= v <= high):
        raise InvalidInput(
            f"{what}“{value}”不在 {low:.0%} 到 {high:.0%} 之间。",
            f"请填写 {low * 100:g} 到 {high * 100:g} 之间的百分数，例如 10 表示 10%。",
        )
    return v


def _rate(value: Any, what: str, unit: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not (math.isfinite(v) and 0 <= v <= 100):
        raise InvalidInput(f"{what}“{value}”不是 0 到 100 之间的金额。",
                           f"请填写每{unit}多少元，例如流量 5 元/GB、通话 0.15 元/分钟。")  # fmt: skip
    return v


@dataclass(frozen=True)
class OfferOptions:
    """How offers are chosen: the policy's settings (command-line options, the 主推套餐 page,
    the 设置 dialog). Immutable; ``replace`` returns a changed copy."""

    fit_usage: bool = False  # --fit-usage: the cheapest package covering the usage
    max_cut: float = 0.1  # --max-cut: a smaller package cuts the bill by at most 10 %
    retention: bool = False  # --retention: 维系 offers for 资费偏高 customers
    retention_cap: float = 0.2  # --retention-cap: a 维系 offer cuts the bill by at most 20 %
    protect_top: bool = True  # no smaller package for the top band (--allow-top-down: False)
    contract_days: int = 90  # --days: 合约到期 within; under contract beyond it: no move down
    data_rate: float = DEFAULT_DATA_RATE  # 元/GB beyond the allowance
    voice_rate: float = DEFAULT_VOICE_RATE  # 元/分钟 beyond the allowance
    seed_by: str = AUTO  # "" 自动, "spend", or a column of the list (年销售额 …)
    seed_share: float = 0.05  # 种子用户: the top 5 % of each market
    spreader_share: float = 0.15  # 传播型用户: the next 15 % (the playbook says 15–20 %)
    seed_offer: str = SEED_OFFER
    spreader_offer: str = SPREADER_OFFER

    def __post_init__(self) -> None:
        if not 0 <= float(self.max_cut) < 1:
            raise InvalidInput(f"允许的降档幅度 {self.max_cut} 不在 0 到 1 之间。",
                               "例如 0.1 表示每月费用最多降 10%。")  # fmt: skip
        _fraction(self.retention_cap, "维系降档上限", 0.0, 0.9)
        _fraction(self.seed_share, "种子用户比例", 0.0, 0.3)
        _fraction(self.spreader_share, "传播型用户比例", 0.0, 0.5)
        _rate(self.data_rate, "流量超出单价", "GB")
        _rate(self.voice_rate, "通话超出单价", "分钟")
        if int(self.contract_days) != self.contract_days or self.contract_days < 0:
            raise InvalidInput(f"合约天数“{self.contract_days}”不是非负整数。", "例如 90。")
        for name in ("max_cut", "retention_cap", "seed_share", "spreader_share", "data_rate",
                     "voice_rate"):  # fmt: skip
            object.__setattr__(self, name, float(getattr(self, name)))
        object.__setattr__(self, "contract_days", int(self.contract_days))
        object.__setattr__(self, "seed_by", str(self.seed_by or "").strip())

    def replace(self, **changes: Any) -> OfferOptions:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> OfferOptions:
        """Options stored in a campaign (unknown keys ignored; missing keys default)."""
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def with_settings(self, settings: Any) -> OfferOptions:
        """These options with the 设置 dialog's values (core.base.Settings) for the rates,
        the seed and spreader criteria and the tags' offer lines."""
        return self.replace(**{name: getattr(settings, name) for name in SETTINGS_FIELDS})

    def rules_text(self) -> list[str]:
        """The policy in force, in the words a branch manager reads (page, JSON, report)."""
        lines = [
            "有宽带、固话的客户只推荐保留它们的融合套餐（或保持现套餐）。",
            "最高档客户不降档。" if self.protect_top else "最高档客户也可以降档（已允许）。",
            f"合约期超过 {self.contract_days} 天的不降档，{self.contract_days} 天内到期的推荐续约。",
            f"降档最多让每月费用降低 {self.max_cut:.0%}，且不让客户多花钱。",
            "资费偏高的客户不推更贵的。换大套餐反而更省的标为“精打细算”。",
            f"办理后每月 = 套餐月费 + 超出用量（流量 {self.data_rate:g} 元/GB、通话 "
            f"{self.voice_rate:g} 元/分钟）+ 套餐外费用。",
        ]
        if self.retention:
            lines.append(f"维系：资费偏高的客户可降一档，每月最多少收 {self.retention_cap:.0%}，"
                         "计入维系成本。")  # fmt: skip
        return lines


# the OfferOptions fields that come from the settings (core.base.Settings has the same names)
SETTINGS_FIELDS = ("data_rate", "voice_rate", "seed_by", "seed_share", "spreader_share",
                   "seed_offer", "spreader_offer")  # fmt: skip


class Policy:
    """The rules above over one list: which package each customer may be offered."""

    def __init__(self, options: OfferOptions, bills: BillModel, top: np.ndarray,
                 locked: np.ndarray, overpaying: np.ndarray) -> None:  # fmt: skip
        self.options = options
        self.bills = bills
        self.top = top & options.protect_top  # customers of the top band, when protected
        self.locked = locked  # under contract beyond contract_days
        self.overpaying = overpaying  # 资费偏高

    def why_not(self, pkg: np.ndarray, retention: bool = False) -> np.ndarray:
        """Per customer: OK, or the first rule offering ``pkg`` (an index per customer,
        -1 = none) would break. An index that is not a plan is SERVICE-free but invalid:
        check ``valid`` too (``allowed`` does)."""
        b = self.bills
        cap = self.options.retention_cap if retention else self.options.max_cut
        expected = b.expected(pkg)
        with np.errstate(invalid="ignore"):
            down = b.fee[pkg] < b.ref_fee - EPS
            not_dearer = b.fee[pkg] <= b.ref_fee + EPS
        spend = b.spend
        why = np.full(len(pkg), OK, dtype="int64")
        rules = (
            (OVERPAYING, self.overpaying & ~(expected <= spend + EPS)),
            (CAP, down & ~(expected >= spend * (1 - cap) - EPS)),
            (MORE_FOR_LESS, not_dearer & ~(expected <= spend + EPS)),
            (CONTRACT, down & self.locked),
            (TOP, down & self.top),
            (SERVICE, ~b.keeps_services(pkg)),
        )
        for code, broken in rules:  # the last one written wins: the order of the docstring
            why[broken] = code
        return why

    def allowed(self, pkg: np.ndarray, retention: bool = False) -> np.ndarray:
        valid = (pkg >= 0) & ~self.bills.addon[pkg]
        return valid & (self.why_not(pkg, retention) == OK)


def policy_violations(offers: pd.DataFrame, options: OfferOptions | None = None,
                      top_band: str | None = None) -> pd.DataFrame:  # fmt: skip
    """The customers whose offer breaks the policy, with the rule broken ('' when none).

    Reads only the offers frame (make_offers' columns), so it checks any offers — the
    window's, a campaign's — independently of how they were chosen.
    """
    import pandas as pd

    options = options or OfferOptions()
    o = offers[offers["offer_package"].notna()] if "offer_package" in offers else offers
    spend = pd.to_numeric(o["spend"], errors="coerce")
    bill = pd.to_numeric(o["expected_bill"], errors="coerce")
    kind = o["offer_kind"].astype("object")
    down = kind.isin(["降档", "维系"])
    cap = np.where(kind == "维系", options.retention_cap, options.max_cut)
    problems = pd.Series("", index=o.index, dtype="object")

    def flag(mask: Any, text: str) -> None:
        problems[mask & (problems == "")] = text

    flag(down & (bill < spend * (1 - cap) - EPS), "降档超过上限")
    flag((down | (kind == "平移")) & (bill > spend + EPS), "不更贵的套餐反而多花钱")
    flag((kind == "维系") & ~options.retention, "未开启维系却降档维系")
    if "tag_overpaying" in o:
        flag(o["tag_overpaying"].astype(bool) & (bill > spend + EPS), "资费偏高的客户被推更贵的")
    if options.protect_top:
        top = (
            o["top_band"].astype(bool)
            if "top_band" in o
            else o["band"].astype("object") == top_band
        )
        flag(down & top, "最高档客户降档")
    if "services_kept" in o:
        flag(~o["services_kept"].astype(bool), "推荐套餐丢掉了宽带或固话")
    if "contract_locked" in o:
        flag(down & o["contract_locked"].astype(bool), "合约期内降档")
    diff = pd.to_numeric(o["diff_month"], errors="coerce")
    flag((diff - (bill - spend)).abs() > 0.011, "差额不等于办理后费用减现在消费")
    return o.loc[problems != "", ["name", "band", "offer_package", "offer_kind"]].assign(
        problem=problems[problems != ""]
    )


__all__ = [
    "AUTO",
    "BY_SPEND",
    "CAP",
    "CONTRACT",
    "MORE_FOR_LESS",
    "OK",
    "OVERPAYING",
    "SEED_OFFER",
    "SERVICE",
    "SETTINGS_FIELDS",
    "SPREADER_OFFER",
    "TOP",
    "OfferOptions",
    "Policy",
    "policy_violations",
]
