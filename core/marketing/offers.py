"""An offer per customer, with the sums a proposal letter needs and a short Chinese reason.

``make_offers`` tags the customers (core.marketing.tags), models their bills
(core.marketing.bills), chooses each offer under the policy (core.marketing.choose and
core.marketing.policy — the rules the branch signs) and writes the columns below. The
sums compare like with like: ``expected_bill`` is the expected monthly bill on the
offer (fee + usage beyond its allowance + charges outside the package that stay);
``diff_month`` = expected_bill − present spend. 流量/通话 gains compare the new package
with the customer's present package when it is in the catalog, otherwise with the
customer's own usage (``gain_basis``).

Vectorised over customers; the only loops are over the few bands, packages and
distinct package names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from core.base.fields import label
from core.base.money import round2_series
from core.marketing import reasons as r
from core.marketing.bands import BandScheme, default_scheme
from core.marketing.bills import BillModel
from core.marketing.business import listed_services, listed_speed
from core.marketing.catalog import (
    Catalog,
    Rules,
    default_catalog,
    default_rules,
    norm_package_name,
    package_index,
    same_package,
)
from core.marketing.choose import choose
from core.marketing.policy import EPS, OfferOptions, Policy
from core.marketing.segment import UNBANDED_REASONS, band_codes, unbanded_reason
from core.marketing.tags import TAG_COLUMNS, add_tags

KEEP_MARK = r.KEEP_MARK
OFFER_COLUMNS = [
    "band", "strategy", "offer_package", "offer_fee", "offer_data_gb", "offer_voice_min",
    "offer_broadband_mbps", "offer_landline", "offer_contract_months", "offer_pitch",
    "alt_package", "diff_month", "diff_year", "data_gain_gb", "voice_gain_min", "offer_reason",
    "usage_known", "cur_data_gb", "cur_voice_min", "gain_basis", "expected_bill", "offer_kind", "offer_addon",
    "addon_fee", "addon_pitch", "cur_fee", "outside_charges", "expected_overage", "services",
    "services_kept", "renewal", "contract_locked", "top_band",
]  # fmt: skip

# gain_basis values: what data_gain_gb / voice_gain_min were measured against
BASIS_PACKAGE = "现套餐"
BASIS_USAGE = "月均用量"

OFFER_LABELS = {
    "band": "档位", "strategy": "营销策略", "offer_package": "推荐套餐",
    "offer_fee": "套餐月费(元)", "offer_data_gb": "套餐流量(GB)",
    "offer_voice_min": "套餐通话(分钟)", "offer_broadband_mbps": "套餐宽带(Mbps)",
    "offer_landline": "套餐固话(部)",
    "offer_contract_months": "合约期(月)", "offer_pitch": "一句话卖点",
    "alt_package": "备选套餐", "diff_month": "每月差额(元)", "diff_year": "每年差额(元)",
    "data_gain_gb": "流量增加(GB)", "voice_gain_min": "通话增加(分钟)",
    "offer_reason": "推荐理由", "usage_known": "有用量数据", "tags": "客户标签",
    "cur_data_gb": "现套餐流量(GB)", "cur_voice_min": "现套餐通话(分钟)",
    "gain_basis": "流量通话比较对象", "expected_bill": "办理后每月(元)",
    "offer_kind": "推荐类型", "offer_addon": "加装包", "addon_fee": "加装包月费(元)",
    "addon_pitch": "加装包卖点", "cur_fee": "现套餐月费(元)", "outside_charges": "套餐外费用(元)",
    "expected_overage": "超出用量费用(元)", "services": "现有业务", "services_kept": "保留现有业务",
    "renewal": "续约", "contract_locked": "合约期内", "top_band": "最高档",
    "tag_reason": "标签说明", "tag_offer": "标签优惠",
}  # fmt: skip

EXPORT_COLUMNS = [
    "source_row", "customer_id", "name", "phone", "market", "manager", "package", "spend",
    "data_gb", "voice_min", "contract_end", "services", "band", "tags", "tag_reason",
    "strategy", "offer_kind", "offer_package", "offer_fee", "offer_addon", "expected_bill",
    "diff_month", "diff_year", "data_gain_gb", "voice_gain_min", "gain_basis", "offer_pitch",
    "alt_package", "offer_reason",
]  # fmt: skip

_PKG_ATTRS = {
    "offer_fee": "fee",
    "offer_data_gb": "data_gb",
    "offer_voice_min": "voice_min",
    "offer_broadband_mbps": "broadband_mbps",
    "offer_landline": "landline",
    "offer_contract_months": "contract_months",
    "offer_pitch": "pitch",
}


def make_offers(
    customers: pd.DataFrame,
    scheme: BandScheme | None = None,
    catalog: Catalog | None = None,
    rules: Rules | None = None,
    fit_usage: bool | None = None,
    max_cut: float | None = None,
    today: dt.date | None = None,
    expiring_days: int | None = None,
    *,
    options: OfferOptions | None = None,
) -> pd.DataFrame:
    """The customers frame plus band, tags, offer columns and the sums (see OFFER_COLUMNS).

    ``options`` is the policy (core.marketing.policy.OfferOptions); ``fit_usage``,
    ``max_cut`` and ``expiring_days`` override it when given. The rules each offer obeys
    are written in core.marketing.policy; the order they are tried in core.marketing.choose.
    Odd amounts (1e30 元, infinite usage) give NaN or infinite sums, never a warning.
    """
    with np.errstate(all="ignore"):
        return _make_offers(customers, scheme, catalog, rules, fit_usage, max_cut, today,
                            expiring_days, options)  # fmt: skip


def _make_offers(
    customers: pd.DataFrame,
    scheme: BandScheme | None,
    catalog: Catalog | None,
    rules: Rules | None,
    fit_usage: bool | None,
    max_cut: float | None,
    today: dt.date | None,
    expiring_days: int | None,
    options: OfferOptions | None,
) -> pd.DataFrame:
    options = options or OfferOptions()
    changes = {k: v for k, v in (("fit_usage", fit_usage), ("max_cut", max_cut),
                                 ("contract_days", expiring_days)) if v is not None}  # fmt: skip
    options = options.replace(**changes) if changes else options
    scheme = scheme or default_scheme()
    catalog = catalog or default_catalog()
    rules = rules or default_rules(scheme, catalog)
    rules.check(catalog, scheme)
    today = today or dt.date.today()

    cur = package_index(catalog, customers["package"]) if "package" in customers.columns else (
        np.full(len(customers), -1, dtype="int64"))  # fmt: skip
    bills = BillModel.build(customers, catalog, options.data_rate, options.voice_rate, cur)
    bills.add_listed_services(*listed_services(customers))
    out = add_tags(customers, catalog, today=today, options=options, bills=bills)
    spend = bills.spend
    codes = band_codes(out["spend"], scheme)
    banded = codes >= 0
    out["band"] = pd.Categorical.from_codes(codes, categories=scheme.labels, ordered=True)
    names = catalog.names
    pkgs = catalog.packages
    band_rules = [rules.rules[b] for b in scheme.labels]
    main_idx = np.array([names.index(x.main) for x in band_rules], dtype="int64")
    alt_idx = np.array([names.index(x.alt) if x.alt else -1 for x in band_rules], dtype="int64")
    out["strategy"] = _take([x.strategy for x in band_rules], codes, out.index)
    out["alt_package"] = _take([x.alt or None for x in band_rules], codes, out.index)

    top = codes == len(scheme.bands) - 1
    locked = _under_contract(out, today, options.contract_days)
    overpaying = out["tag_overpaying"].to_numpy(dtype=bool)
    policy = Policy(options, bills, top, locked, overpaying)
    band_high = np.array([b.high for b in scheme.bands], dtype="float64")
    ch = choose(bills, policy, catalog, options, codes, main_idx, alt_idx, band_high, overpaying,
                listed_speed(customers))  # fmt: skip
    pkg, keep = ch.pkg, ch.keep

    own = _own_package(out)
    offer = _take(names, pkg, out.index)
    out["offer_package"] = offer.where(~(keep & (pkg < 0)), own).where(banded, None)
    for col, attr in _PKG_ATTRS.items():
        values = [getattr(p, attr) for p in pkgs]
        if attr == "pitch":
            out[col] = _take(values, pkg, out.index)
        else:
            out[col] = pd.Series(_num_take(values, pkg), index=out.index, dtype="float64")
    out["offer_addon"] = _take(names, ch.addon, out.index)
    out["addon_fee"] = pd.Series(_num_take([p.fee for p in pkgs], ch.addon), index=out.index)
    out["addon_pitch"] = _take([p.pitch for p in pkgs], ch.addon, out.index)

    expected = pd.Series(ch.expected, index=out.index, dtype="float64")
    out["expected_bill"] = round2_series(expected)
    diff = round2_series(out["expected_bill"] - pd.Series(spend, index=out.index)).where(banded)
    out["diff_month"] = diff
    out["diff_year"] = round2_series(diff * 12)
    out["cur_fee"] = pd.Series(bills.cur_fee, index=out.index, dtype="float64")
    out["outside_charges"] = round2_series(pd.Series(
        np.where(banded & bills.in_catalog, bills.outside, np.nan), index=out.index))  # fmt: skip
    addon_fee = np.nan_to_num(bills.fee[ch.addon])
    still = ch.expected - (spend - bills.overage_paid) - addon_fee  # overage left on keeping
    over_new = np.where(keep, still, bills.package_overage(pkg))
    out["expected_overage"] = round2_series(pd.Series(np.where(banded, over_new, np.nan),
                                                      index=out.index))  # fmt: skip
    out["services"] = pd.Series(bills.services_text, index=out.index, dtype="object")
    out["services_kept"] = ~banded | keep | bills.keeps_services(pkg)
    out["renewal"] = banded & out["tag_expiring"].to_numpy(dtype=bool)
    out["contract_locked"] = locked
    out["top_band"] = top

    kind = _kinds(bills, ch, banded, diff.to_numpy(dtype="float64", na_value=np.nan))
    out["offer_kind"] = pd.Series(np.array(r.KINDS, dtype=object)[kind], index=out.index)
    gains = _gains(out, bills, ch, banded)
    reason_codes = r.Codes(
        band=codes + 1, pkg=np.where(banded, pkg + 1, 0), case=ch.case, why_main=ch.why_main,
        retain_why=ch.retain_why, addon=ch.addon + 1, addon_kind=ch.addon_kind, kind=kind,
        money=r.sign_code(diff.to_numpy(dtype="float64", na_value=np.nan)),
        basis=gains, more=r.sign_code(out["data_gain_gb"].to_numpy("float64", na_value=np.nan)),
        usage=out["usage_known"].to_numpy(dtype="int64"),
        estimated=np.where(banded & ~bills.in_catalog, np.where(_has_package(out), 1, 2), 0),
        renewal=out["renewal"].to_numpy(dtype="int64"), overpaying=overpaying.astype("int64"),
        services=bills.need_broadband.astype("int64") + 2 * bills.need_landline.astype("int64"),
        adds=np.where(keep | ~banded, 0, (~bills.need_broadband & (bills.mbps[pkg] > 0)).astype(
            "int64") + 2 * (~bills.need_landline & (bills.landline[pkg] > 0)).astype("int64")),
        unbanded=_unbanded_codes(out, scheme),
    )  # fmt: skip
    out["offer_reason"] = r.reasons(reason_codes, scheme, names, main_idx, options, out.index)
    return out


def _under_contract(frame: pd.DataFrame, today: dt.date, days: int) -> np.ndarray:
    """The contract runs beyond ``days`` from today (no move to a smaller package)."""
    if "contract_end" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    end = pd.to_datetime(frame["contract_end"], errors="coerce")
    left = (end - pd.Timestamp(today)).dt.days
    return (left > days).fillna(False).to_numpy(dtype=bool)


def _package_names(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(codes, the distinct package texts as the list writes them, '' when blank), one
    Python step per distinct package."""
    if "package" not in frame.columns:
        return np.full(len(frame), -1), np.array([], dtype=object)
    codes, uniques = pd.factorize(frame["package"].astype("object"), use_na_sentinel=True)
    texts = [" ".join(str(u).split()) if norm_package_name(u) else "" for u in uniques]
    return codes, np.array(texts, dtype=object)


def _has_package(frame: pd.DataFrame) -> np.ndarray:
    """The list names the customer's present package (not blank)."""
    codes, texts = _package_names(frame)
    return np.array([*(t != "" for t in texts), False], dtype=bool)[codes]


def _own_package(frame: pd.DataFrame) -> pd.Series:
    """The customer's present package as the list names it ('现套餐' when blank)."""
    codes, texts = _package_names(frame)
    table = np.array([*(t or "现套餐" for t in texts), "现套餐"], dtype=object)
    return pd.Series(table[codes], index=frame.index, dtype="object")


def _kinds(bills: BillModel, ch: Any, banded: np.ndarray, diff: np.ndarray) -> np.ndarray:
    from core.marketing.choose import CASE_RETAIN

    fee = bills.fee[ch.pkg]
    with np.errstate(invalid="ignore"):
        down = fee < bills.ref_fee - EPS
        same_fee = np.abs(fee - bills.ref_fee) <= EPS
    kind = np.where(diff < 0, r.K_SMART, np.where(same_fee, r.K_SAME, r.K_UP))
    kind = np.where(down, r.K_DOWN, kind)
    kind = np.where(ch.keep, np.where(ch.addon >= 0, np.where(diff < 0, r.K_SMART, r.K_ADDON),
                                      r.K_KEEP), kind)  # fmt: skip
    kind = np.where(ch.case == CASE_RETAIN, r.K_RETAIN, kind)
    return np.where(banded, kind, r.K_NONE)


def _gains(out: pd.DataFrame, bills: BillModel, ch: Any, banded: np.ndarray) -> np.ndarray:
    """Writes the gain columns; returns the gain basis code (0 none, 1 现套餐, 2 月均用量)."""
    pkgs_d, pkgs_v = bills.allow_data, bills.allow_voice
    in_cat = bills.in_catalog
    cur_data = np.where(in_cat, pkgs_d[bills.cur], np.nan)
    cur_voice = np.where(in_cat, pkgs_v[bills.cur], np.nan)
    ref_data = np.where(in_cat, cur_data, bills.data)
    ref_voice = np.where(in_cat, cur_voice, bills.voice)
    data_gain = _gain(pkgs_d[ch.pkg], ref_data)
    voice_gain = _gain(pkgs_v[ch.pkg], ref_voice)
    add_d = np.where(ch.addon >= 0, pkgs_d[ch.addon], 0.0)
    add_v = np.where(ch.addon >= 0, pkgs_v[ch.addon], 0.0)
    data_gain = np.where(ch.keep, add_d, data_gain)
    voice_gain = np.where(ch.keep, add_v, voice_gain)
    usage_known = ~np.isnan(bills.data) | ~np.isnan(bills.voice)
    out["data_gain_gb"] = round2_series(pd.Series(data_gain, index=out.index))
    out["voice_gain_min"] = pd.Series(voice_gain, index=out.index).round(0)
    out["usage_known"] = usage_known
    out["cur_data_gb"] = pd.Series(cur_data, index=out.index, dtype="float64")
    out["cur_voice_min"] = pd.Series(cur_voice, index=out.index, dtype="float64")
    basis = np.where(~banded, 0, np.where(in_cat, 1, np.where(usage_known, 2, 0)))
    out["gain_basis"] = pd.Series(
        np.array(["", BASIS_PACKAGE, BASIS_USAGE], dtype=object)[basis], index=out.index,
        dtype="object",
    )  # fmt: skip
    return basis


def _unbanded_codes(out: pd.DataFrame, scheme: BandScheme) -> np.ndarray:
    why_codes = list(UNBANDED_REASONS)
    why = unbanded_reason(out, scheme).map({k: i for i, k in enumerate(why_codes)})
    return why.fillna(len(why_codes)).to_numpy(dtype="int64")


def _take(values: list[Any], idx: np.ndarray, index: pd.Index) -> pd.Series:
    """values[idx] as an object Series, None where idx == -1 (a lookup, not a loop)."""
    table = np.array([*values, None], dtype=object)
    return pd.Series(table[idx], index=index, dtype="object")


def _num_take(values: list[Any], idx: np.ndarray) -> np.ndarray:
    """float(values[idx]), NaN where idx == -1."""
    return np.array([*map(float, values), np.nan], dtype="float64")[idx]


def _gain(new: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """new − ref; 0 where both are the same (also 不限 vs 不限, which would be NaN)."""
    with np.errstate(invalid="ignore"):
        return np.where(new == ref, 0.0, new - ref)


# ---- export ----------------------------------------------------------------------------


def column_label(key: str) -> str:
    return OFFER_LABELS.get(key) or label(key)


def offers_frame_for_export(offers: pd.DataFrame) -> pd.DataFrame:
    """The columns a user wants in Excel, with Chinese headers (证件号码 never included)."""
    cols = [c for c in EXPORT_COLUMNS if c in offers.columns]
    frame = offers[cols].copy()
    if "band" in frame.columns:
        frame["band"] = frame["band"].astype("object")
    frame.columns = [column_label(c) for c in cols]
    return frame


__all__ = [
    "BASIS_PACKAGE",
    "BASIS_USAGE",
    "EXPORT_COLUMNS",
    "KEEP_MARK",
    "OFFER_COLUMNS",
    "OFFER_LABELS",
    "TAG_COLUMNS",
    "column_label",
    "make_offers",
    "norm_package_name",
    "offers_frame_for_export",
    "package_index",
    "same_package",
]
