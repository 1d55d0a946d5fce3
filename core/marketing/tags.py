"""Customer tags: 种子用户, 传播型用户, 合约到期, 资费偏高 — each with the reason and, for the
seed and spreader users, the offer line the playbook gives them.

Adds boolean columns ``tag_seed, tag_spreader, tag_expiring, tag_overpaying``, the text
column ``tags`` (Chinese names joined by "、"), ``tag_reason`` (why, with the basis) and
``tag_offer`` (种子: a free trial and a show-case shop; 传播型: group and referral offers).

- 种子用户 / 传播型用户 (the playbook's 病毒式营销): the market's leading shops (about 5 %)
  and the mid-sized ones after them (15–20 %), ranked within each 聚类市场 by a business
  column when the list has one (年销售额、营业额、门店面积、员工数, core.marketing.business),
  else by the monthly spend; the basis is written in ``tag_reason``.
- 合约到期: the contract ends between today and today + ``contract_days`` (inclusive).
- 资费偏高: usage known, and the cheapest package keeping the customer's services would bring
  the expected bill (core.marketing.bills) down by at least 30 元 and 30 %.

Vectorised: ranks within groups, lookups over distinct values, no loops over customers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.marketing.bills import BillModel
from core.marketing.business import business_number, seed_basis
from core.marketing.catalog import Catalog, default_catalog, package_index
from core.marketing.policy import OfferOptions

TAG_NAMES = {
    "tag_seed": "种子用户",
    "tag_spreader": "传播型用户",
    "tag_expiring": "合约到期",
    "tag_overpaying": "资费偏高",
}
TAG_COLUMNS = [*TAG_NAMES, "tags", "tag_reason", "tag_offer"]
TAG_SEP = "、"
REASON_SEP = "；"


def top_share_ranks(
    values: pd.Series, groups: pd.Series | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(rank from the top, 1 = highest value; group size) per customer with a valid value.

    Ties keep the list order. Customers without a valid value get rank 0, size 0.
    """
    values = pd.to_numeric(values, errors="coerce").astype("float64")
    valid = values.notna() & (values >= 0)
    frame = pd.DataFrame({"v": values.where(valid)}, index=values.index)
    if groups is None:
        key = pd.Series(0, index=values.index)
    else:
        key = groups.astype("object").where(groups.notna(), "").astype(str)
    frame["g"] = key.to_numpy()
    grouped = frame.groupby("g", sort=False)["v"]
    ranks = grouped.rank(method="first", ascending=False)
    sizes = grouped.transform("count")
    return (
        ranks.fillna(0).to_numpy(dtype="float64"),
        sizes.where(valid, 0).fillna(0).to_numpy(dtype="float64"),
    )


def _pct(x: float) -> str:
    return f"{x * 100:g}%"


def add_tags(
    customers: pd.DataFrame,
    catalog: Catalog | None = None,
    by: str | None = "market",
    seed_share: float | None = None,
    spreader_share: float | None = None,
    expiring_days: int | None = None,
    today: dt.date | None = None,
    overpay_min_yuan: float = 30.0,
    overpay_min_share: float = 0.3,
    *,
    options: OfferOptions | None = None,
    bills: BillModel | None = None,
) -> pd.DataFrame:
    """Return a copy of ``customers`` with the tag columns (see the module docstring).

    ``options`` holds the shares, the seed basis, the contract days, the overage rates and
    the offer lines; the keyword arguments override it. ``bills``: the customers' bill
    model when the caller has one (core.marketing.offers), else built here.
    """
    options = options or OfferOptions()
    changes = {k: v for k, v in (("seed_share", seed_share), ("spreader_share", spreader_share),
                                 ("contract_days", expiring_days)) if v is not None}  # fmt: skip
    options = options.replace(**changes) if changes else options
    catalog = catalog or default_catalog()
    out = customers.copy()
    reasons: list[pd.Series] = []

    # --- 种子用户 / 传播型用户 ----------------------------------------------------------------
    column, basis = seed_basis(out, options.seed_by, strict=False)
    if column == "spend":
        value = pd.to_numeric(out["spend"], errors="coerce").astype("float64")
    else:
        value = business_number(out[column])
    groups = None
    if by and by in out.columns and out[by].notna().any():
        groups = out[by]
    rank, size = top_share_ranks(value, groups)
    seed, spread = options.seed_share, options.spreader_share
    n_seed = np.where(size > 0, np.maximum(1, np.ceil(size * seed - 1e-9)), 0) if seed else 0
    n_spread = np.ceil(size * (seed + spread) - 1e-9)
    out["tag_seed"] = (rank >= 1) & (rank <= n_seed)
    out["tag_spreader"] = (rank > n_seed) & (rank <= n_spread)
    # the reason names the basis and the group: a lookup per (tag, group), not per customer
    tagged = (out["tag_seed"] | out["tag_spreader"]).to_numpy(dtype=bool)
    if groups is not None:
        codes, uniques = pd.factorize(groups.astype("object"), use_na_sentinel=True)
        scopes = [f"{g}内" if str(g).strip() else "全部客户中" for g in uniques] + ["全部客户中"]
    else:
        codes, scopes = np.zeros(len(out), dtype="int64"), ["全部客户中"]
    codes = np.where(codes < 0, len(scopes) - 1, codes)  # no market: the whole list
    pct_seed, pct_all = _pct(seed), _pct(seed + spread)
    table = np.array(
        [f"种子用户（按{basis}排名，{s}前{pct_seed}）" for s in scopes]
        + [f"传播型用户（按{basis}排名，{s}前{pct_seed}–{pct_all}）" for s in scopes],
        dtype=object,
    )
    which = np.where(out["tag_seed"].to_numpy(dtype=bool), codes, codes + len(scopes))
    reasons.append(_spread(table[which[tagged]], tagged, out.index))

    # --- 合约到期 ----------------------------------------------------------------------------
    today = today or dt.date.today()
    if "contract_end" in out.columns:
        end = pd.to_datetime(out["contract_end"], errors="coerce")
        days = (end - pd.Timestamp(today)).dt.days
        out["tag_expiring"] = (
            ((days >= 0) & (days <= options.contract_days)).fillna(False).astype(bool)
        )
        expiring = out["tag_expiring"].to_numpy(dtype=bool)
        when = end[expiring].dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
        reasons.append(_spread("合约到期（" + when + " 到期）", expiring, out.index))
    else:
        out["tag_expiring"] = False

    # --- 资费偏高 ----------------------------------------------------------------------------
    if bills is None:
        cur = package_index(catalog, out["package"]) if "package" in out.columns else np.full(
            len(out), -1)  # fmt: skip
        bills = BillModel.build(out, catalog, options.data_rate, options.voice_rate, cur)
    best, best_bill = cheapest_bill(bills, catalog)
    spend = bills.spend
    with np.errstate(invalid="ignore"):
        saving = spend - best_bill
        flag = (~np.isnan(bills.data) & (saving >= overpay_min_yuan - 1e-9)
                & (saving >= spend * overpay_min_share - 1e-9))  # fmt: skip
    out["tag_overpaying"] = flag
    names = np.array([*catalog.names, ""], dtype=object)[best[flag]]
    money = np.array([f"{v:,.2f}" for v in best_bill[flag]], dtype=object)
    cut = np.array([f"{v:,.2f}" for v in saving[flag]], dtype=object)
    text = "资费偏高（用量适合" + names + "，每月约 " + money + " 元，比现在少 " + cut + " 元）"
    reasons.append(_spread(text, flag, out.index))

    out["tags"] = tags_text(out)
    out["tag_reason"] = _join(reasons, out.index)
    offer = np.where(out["tag_seed"], options.seed_offer,
                     np.where(out["tag_spreader"], options.spreader_offer, ""))  # fmt: skip
    out["tag_offer"] = pd.Series(offer, index=out.index, dtype="object")
    return out


def cheapest_bill(bills: BillModel, catalog: Catalog) -> tuple[np.ndarray, np.ndarray]:
    """(package index, expected bill) of the plan keeping the customer's services with the
    lowest expected bill; (-1, NaN) when no plan keeps them."""
    n = len(bills.spend)
    best = np.full(n, -1, dtype="int64")
    best_bill = np.full(n, np.inf)
    for i, p in enumerate(catalog.packages):
        if p.addon:
            continue
        pkg = np.full(n, i, dtype="int64")
        bill = bills.expected(pkg)
        better = bills.keeps_services(pkg) & (bill < best_bill - 1e-9)
        best = np.where(better, i, best)
        best_bill = np.where(better, bill, best_bill)
    return best, np.where(np.isinf(best_bill), np.nan, best_bill)


def _spread(text: np.ndarray, mask: np.ndarray, index: pd.Index) -> pd.Series:
    """``text`` (one per True in ``mask``) placed on those customers, '' elsewhere."""
    out = np.full(len(index), "", dtype=object)
    out[mask] = text
    return pd.Series(out, index=index, dtype="object")


def _join(parts: list[pd.Series], index: pd.Index) -> pd.Series:
    """The parts joined by "；" per customer, skipping empty ones (a Python step only for
    the customers with a part)."""
    arrays = [p.to_numpy(dtype=object) for p in parts]
    some = np.zeros(len(index), dtype=bool)
    for a in arrays:
        some |= a != ""
    out = np.full(len(index), "", dtype=object)
    rows = zip(*(a[some] for a in arrays), strict=True)
    out[some] = [REASON_SEP.join(x for x in row if x) for row in rows]
    return pd.Series(out, index=index, dtype="object")


def tags_text(frame: pd.DataFrame) -> pd.Series:
    """'种子用户、合约到期' per customer ('' when none); a lookup over the 16 combinations."""
    code = np.zeros(len(frame), dtype="int64")
    for bit, col in enumerate(TAG_NAMES):
        code |= frame[col].to_numpy(dtype=bool).astype("int64") << bit
    names = list(TAG_NAMES.values())
    table = np.array(
        [TAG_SEP.join(n for b, n in enumerate(names) if c >> b & 1) for c in range(16)],
        dtype=object,
    )
    return pd.Series(table[code], index=frame.index, dtype="object")


__all__ = ["TAG_COLUMNS", "TAG_NAMES", "add_tags", "cheapest_bill", "tags_text", "top_share_ranks"]
