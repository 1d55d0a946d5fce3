"""An offer per customer: the band's 主推套餐 (or the cheapest package that covers the
customer's usage), with the sums a proposal letter needs and a short Chinese reason.

- A customer already on the band's 主推套餐 is offered the band's 备选套餐; when that is
  also their package (or there is none) they keep their package (差额 0, 维系服务).
- 资费偏高 customers always get the retention offer: the cheapest package covering their
  usage (it saves them money).
- 流量/通话 gains compare the new package with the customer's current package when that
  package is in the catalog, otherwise with the customer's own usage (``gain_basis``).

Vectorised over customers; the only loops are over the few bands, packages and
distinct package names.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from core.base.errors import InvalidInput
from core.base.fields import label
from core.base.money import round2_series
from core.marketing.bands import BandScheme, default_scheme
from core.marketing.catalog import (
    Catalog,
    Rules,
    cheapest_covering_index,
    default_catalog,
    default_rules,
)
from core.marketing.segment import UNBANDED_REASONS, band_codes, unbanded_reason
from core.marketing.tags import TAG_COLUMNS, add_tags

OFFER_COLUMNS = [
    "band", "strategy", "offer_package", "offer_fee", "offer_data_gb", "offer_voice_min",
    "offer_broadband_mbps", "offer_contract_months", "offer_pitch", "alt_package",
    "diff_month", "diff_year", "data_gain_gb", "voice_gain_min", "offer_reason", "usage_known",
    "cur_data_gb", "cur_voice_min", "gain_basis",
]  # fmt: skip

# gain_basis values: what data_gain_gb / voice_gain_min were measured against
BASIS_PACKAGE = "现套餐"
BASIS_USAGE = "月均用量"

OFFER_LABELS = {
    "band": "档位", "strategy": "营销策略", "offer_package": "推荐套餐",
    "offer_fee": "套餐月费(元)", "offer_data_gb": "套餐流量(GB)",
    "offer_voice_min": "套餐通话(分钟)", "offer_broadband_mbps": "套餐宽带(Mbps)",
    "offer_contract_months": "合约期(月)", "offer_pitch": "一句话卖点",
    "alt_package": "备选套餐", "diff_month": "每月差额(元)", "diff_year": "每年差额(元)",
    "data_gain_gb": "流量增加(GB)", "voice_gain_min": "通话增加(分钟)",
    "offer_reason": "推荐理由", "usage_known": "有用量数据", "tags": "客户标签",
    "cur_data_gb": "现套餐流量(GB)", "cur_voice_min": "现套餐通话(分钟)",
    "gain_basis": "流量通话比较对象",
}  # fmt: skip

EXPORT_COLUMNS = [
    "source_row", "customer_id", "name", "phone", "market", "manager", "package", "spend",
    "data_gb", "voice_min", "contract_end", "band", "tags", "strategy", "offer_package",
    "offer_fee", "diff_month", "diff_year", "data_gain_gb", "voice_gain_min", "gain_basis",
    "offer_pitch", "alt_package", "offer_reason",
]  # fmt: skip

_PKG_ATTRS = {
    "offer_fee": "fee",
    "offer_data_gb": "data_gb",
    "offer_voice_min": "voice_min",
    "offer_broadband_mbps": "broadband_mbps",
    "offer_contract_months": "contract_months",
    "offer_pitch": "pitch",
}


def norm_package_name(value: Any) -> str:
    """A package name for comparing: NFKC (全角→半角) and no spaces; '' when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def same_package(a: Any, b: Any) -> bool:
    """Whether two package names are the same package (see ``norm_package_name``)."""
    na, nb = norm_package_name(a), norm_package_name(b)
    return bool(na) and na == nb


def package_index(catalog: Catalog, packages: pd.Series) -> np.ndarray:
    """Index into ``catalog.packages`` of each customer's current package; -1 if not in it.

    Names are compared after NFKC and without spaces. One Python step per distinct
    package name (a few dozen), not per customer.
    """
    lookup: dict[str, int] = {}
    for i, name in enumerate(catalog.names):
        lookup.setdefault(norm_package_name(name), i)
    codes, uniques = pd.factorize(packages.astype("object"), use_na_sentinel=True)
    table = np.array([*(lookup.get(norm_package_name(u), -1) for u in uniques), -1], "int64")
    return table[codes]


# Which rule chose the offer (one reason wording each).
(
    CASE_MAIN, CASE_ALT, CASE_KEEP, CASE_FIT, CASE_FIT_KEEP, CASE_RETAIN, CASE_RETAIN_KEEP,
    CASE_GUARD_ALT, CASE_GUARD_KEEP,
) = range(9)  # fmt: skip
_N_CASES = 9


def make_offers(
    customers: pd.DataFrame,
    scheme: BandScheme | None = None,
    catalog: Catalog | None = None,
    rules: Rules | None = None,
    fit_usage: bool = False,
    max_cut: float = 0.1,
    today: dt.date | None = None,
    expiring_days: int = 90,
) -> pd.DataFrame:
    """The customers frame plus band, tags, offer columns and the sums (see OFFER_COLUMNS).

    The band's 主推套餐 by default; the band's 备选套餐 for customers already on the
    主推套餐, and their own package (差额 0, 维系服务) when the 备选套餐 is theirs too
    or missing. A 主推套餐 that would cut the customer's monthly spend by more than
    ``max_cut`` is not pushed: the 备选套餐 if it does not cut that much, else their own
    package (when it is in the catalog). ``fit_usage``: offer the cheapest package whose data and minutes cover the
    customer's own usage, as long as its fee is not below spend × (1 − ``max_cut``).
    资费偏高 customers (``tag_overpaying``) always get the cheapest package covering their
    usage (the retention offer), with or without ``fit_usage``.

    Gains (``data_gain_gb``, ``voice_gain_min``) compare the new package with the current
    package when it is in the catalog (``gain_basis`` 现套餐; may be negative), otherwise
    with the customer's usage (月均用量); without either they are empty and the reason
    says the comparison is by fee only.
    """
    if not 0 <= max_cut < 1:
        raise InvalidInput(
            f"允许的降档幅度 {max_cut} 不在 0 到 1 之间。", "例如 0.1 表示月费最多降 10%。"
        )
    scheme = scheme or default_scheme()
    catalog = catalog or default_catalog()
    rules = rules or default_rules(scheme, catalog)
    rules.check(catalog, scheme)

    out = add_tags(customers, catalog=catalog, today=today, expiring_days=expiring_days)
    spend = pd.to_numeric(out["spend"], errors="coerce").astype("float64")
    codes = band_codes(spend, scheme)
    banded = codes >= 0
    out["band"] = pd.Categorical.from_codes(codes, categories=scheme.labels, ordered=True)
    names = catalog.names
    pkgs = catalog.packages
    band_rules = [rules.rules[b] for b in scheme.labels]
    main_idx = np.array([names.index(r.main) for r in band_rules], dtype="int64")
    alt_idx = np.array([names.index(r.alt) if r.alt else -1 for r in band_rules], dtype="int64")
    out["strategy"] = _take([r.strategy for r in band_rules], codes, out.index)
    out["alt_package"] = _take([r.alt or None for r in band_rules], codes, out.index)

    data = _num_col(out, "data_gb")
    voice = _num_col(out, "voice_min")
    usage_known = (data.notna() | voice.notna()).to_numpy()
    if "package" in out.columns:
        cur_idx = package_index(catalog, out["package"])
    else:
        cur_idx = np.full(len(out), -1, dtype="int64")
    in_catalog = cur_idx >= 0

    safe_codes = np.maximum(codes, 0)
    pkg_idx = np.where(banded, main_idx[safe_codes], -1)
    case = np.full(len(out), CASE_MAIN, dtype="int64")
    # already on the 主推套餐: the 备选套餐, or keep the package they have
    on_main = banded & in_catalog & (pkg_idx == cur_idx)
    alt = alt_idx[safe_codes]
    use_alt = on_main & (alt >= 0) & (alt != cur_idx)
    pkg_idx = np.where(use_alt, alt, pkg_idx)
    case[use_alt] = CASE_ALT
    case[on_main & ~use_alt] = CASE_KEEP
    # the 主推套餐 would cut what the customer pays by more than max_cut (a 399 customer in
    # the top band whose 主推 is 299): the 备选套餐 if it does not, else keep their package
    fees = np.array([p.fee for p in pkgs] + [np.nan], dtype="float64")
    floor = (spend * (1 - max_cut)).to_numpy(dtype="float64", na_value=np.nan)
    cuts = banded & (case == CASE_MAIN) & (fees[pkg_idx] < floor)
    alt_ok = cuts & (alt >= 0) & (alt != cur_idx) & (fees[alt] >= floor)
    pkg_idx = np.where(alt_ok, alt, pkg_idx)
    case[alt_ok] = CASE_GUARD_ALT
    keep_own = cuts & ~alt_ok & in_catalog
    pkg_idx = np.where(keep_own, cur_idx, pkg_idx)
    case[keep_own] = CASE_GUARD_KEEP
    if fit_usage:
        best = cheapest_covering_index(catalog, data, voice, min_fee=spend * (1 - max_cut))
        fitted = banded & usage_known & (best >= 0)
        pkg_idx = np.where(fitted, best, pkg_idx)
        case[fitted] = CASE_FIT
    # 资费偏高 (a retention target): always the cheapest package covering the usage
    cheapest = cheapest_covering_index(catalog, data, voice)
    retain = banded & out["tag_overpaying"].to_numpy(dtype=bool) & (cheapest >= 0)
    pkg_idx = np.where(retain, cheapest, pkg_idx)
    case[retain] = CASE_RETAIN
    same = banded & in_catalog & (pkg_idx == cur_idx)  # the offer is the current package
    case[same & (case == CASE_FIT)] = CASE_FIT_KEEP
    case[same & (case == CASE_RETAIN)] = CASE_RETAIN_KEEP

    out["offer_package"] = _take(names, pkg_idx, out.index)
    for col, attr in _PKG_ATTRS.items():
        values = [getattr(p, attr) for p in pkgs]
        if attr == "pitch":
            out[col] = _take(values, pkg_idx, out.index)
        else:
            out[col] = pd.Series(_num_take(values, pkg_idx), index=out.index, dtype="float64")

    diff = round2_series((out["offer_fee"] - spend).mask(same, 0.0))
    out["diff_month"] = diff
    out["diff_year"] = round2_series(diff * 12)
    cur_data = _num_take([p.data_gb for p in pkgs], cur_idx)
    cur_voice = _num_take([p.voice_min for p in pkgs], cur_idx)
    ref_data = np.where(in_catalog, cur_data, data.to_numpy(dtype="float64", na_value=np.nan))
    ref_voice = np.where(in_catalog, cur_voice, voice.to_numpy(dtype="float64", na_value=np.nan))
    data_gain = _gain(out["offer_data_gb"].to_numpy(dtype="float64", na_value=np.nan), ref_data)
    voice_gain = _gain(out["offer_voice_min"].to_numpy(dtype="float64", na_value=np.nan),
                       ref_voice)  # fmt: skip
    data_gain = np.where(same, 0.0, data_gain)
    voice_gain = np.where(same, 0.0, voice_gain)
    out["data_gain_gb"] = round2_series(pd.Series(data_gain, index=out.index))
    out["voice_gain_min"] = pd.Series(voice_gain, index=out.index).round(0)
    out["usage_known"] = usage_known
    out["cur_data_gb"] = pd.Series(cur_data, index=out.index, dtype="float64")
    out["cur_voice_min"] = pd.Series(cur_voice, index=out.index, dtype="float64")
    basis = np.where(~banded, 0, np.where(in_catalog, 1, np.where(usage_known, 2, 0)))
    out["gain_basis"] = pd.Series(
        np.array(["", BASIS_PACKAGE, BASIS_USAGE], dtype=object)[basis], index=out.index,
        dtype="object",
    )  # fmt: skip
    reason_code = unbanded_reason(out, scheme)
    out["offer_reason"] = _reasons(
        scheme, names, main_idx, codes, pkg_idx, case, usage_known, basis,
        diff.to_numpy(dtype="float64", na_value=np.nan),
        out["data_gain_gb"].to_numpy(dtype="float64", na_value=np.nan),
        reason_code, out.index,
    )  # fmt: skip
    return out


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


def _num_col(frame: pd.DataFrame, key: str) -> pd.Series:
    if key not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[key], errors="coerce").astype("float64")


def _sign_code(values: np.ndarray) -> np.ndarray:
    """0 = less, 1 = equal, 2 = more, 3 = unknown."""
    return np.where(np.isnan(values), 3, np.sign(np.nan_to_num(values)).astype("int64") + 1)


_MONEY_TEXT = {0: "，每月更省钱", 1: "，月费不变", 2: "，月费略有增加", 3: ""}
# by gain_basis (1 现套餐, 2 月均用量) and the sign of the data gain; never "多" unless > 0
_GAIN_TEXT = {
    1: {0: "，流量比现套餐少", 1: "，流量与现套餐相同", 2: "，流量比现套餐多", 3: ""},
    2: {0: "，流量低于月均用量", 1: "，流量与月均用量持平", 2: "，流量比月均用量多", 3: ""},
}
_FEE_ONLY = "（缺少流量和通话数据，仅按月费比较）"
KEEP_MARK = "建议保持"  # in the reason of every offer that is the customer's own package
_BY_PACKAGE = "（缺少用量数据，流量通话按现套餐比较）"


def _reason_text(scheme: BandScheme, names: list[str], main_idx: np.ndarray, band: int,
                 pkg: int, case: int, known: int, basis: int, money: int, more: int) -> str:  # fmt: skip
    name = names[pkg - 1]
    if case == CASE_KEEP:
        return f"已在使用本档主推套餐{name}，{KEEP_MARK}并做好维系服务。"
    if case == CASE_FIT_KEEP:
        return f"按实际用量，现套餐{name}正合适，{KEEP_MARK}并做好维系服务。"
    if case == CASE_GUARD_KEEP:
        main = names[int(main_idx[band - 1])]
        return (f"本档主推套餐{main}月费低于客户现在的消费，不建议降档；现套餐{name}"
                f"{KEEP_MARK}，做好维系服务。")  # fmt: skip
    if case == CASE_RETAIN_KEEP:
        return (f"资费偏高：现套餐{name}已够用，{KEEP_MARK}，并核查套餐外消费帮客户省钱，"
                "做好维系服务。")  # fmt: skip
    if case == CASE_ALT:
        main = names[int(main_idx[band - 1])]
        head = f"已在使用本档主推套餐{main}，推荐备选套餐{name}"
    elif case == CASE_GUARD_ALT:
        main = names[int(main_idx[band - 1])]
        head = f"本档主推套餐{main}月费低于客户现在的消费，推荐备选套餐{name}"
    elif case == CASE_FIT:
        head = f"按实际用量推荐{name}，流量通话够用"
    elif case == CASE_RETAIN:
        head = f"资费偏高（维系挽留）：推荐够用的最便宜套餐{name}"
    else:
        head = f"{scheme.bands[band - 1].label}客户主推{name}"
    gain = _GAIN_TEXT.get(basis, {}).get(more, "")
    tail = "。" if known else (_BY_PACKAGE if basis == 1 else _FEE_ONLY) + "。"
    return head + _MONEY_TEXT[money] + gain + tail


def _reasons(
    scheme: BandScheme,
    names: list[str],
    main_idx: np.ndarray,
    codes: np.ndarray,
    pkg_idx: np.ndarray,
    case: np.ndarray,
    usage_known: np.ndarray,
    basis: np.ndarray,
    diff: np.ndarray,
    gain: np.ndarray,
    unbanded: pd.Series,
    index: pd.Index,
) -> pd.Series:
    """Short Chinese reason per customer, built from the few distinct cases (no row loop).

    The amounts themselves are in diff_month / diff_year / data_gain_gb.
    """
    why_codes = list(UNBANDED_REASONS)
    why = unbanded.map({k: i for i, k in enumerate(why_codes)}).fillna(len(why_codes))
    parts = [
        codes + 1,
        pkg_idx + 1,
        case,
        usage_known.astype("int64"),
        basis,
        _sign_code(diff),
        _sign_code(gain),
        why.to_numpy(dtype="int64"),
    ]
    dims = (len(scheme.bands) + 1, len(names) + 1, _N_CASES, 2, 3, 4, 4, len(why_codes) + 1)
    key = np.ravel_multi_index(parts, dims)
    uniq, inverse = np.unique(key, return_inverse=True)
    texts = []
    for k in uniq:  # one iteration per distinct case (a few dozen), not per customer
        band, pkg, kind, known, base, money, more, why_i = (
            int(x) for x in np.unravel_index(k, dims))  # fmt: skip
        if band == 0 or pkg == 0:
            reason = UNBANDED_REASONS.get(why_codes[why_i], "无法分档") if why_i < len(
                why_codes) else "无法分档"  # fmt: skip
            texts.append(f"无法推荐：{reason}，请先核实月均消费。")
            continue
        texts.append(_reason_text(scheme, names, main_idx, band, pkg, kind, known, base,
                                  money, more))  # fmt: skip
    table = np.array(texts, dtype=object)
    return pd.Series(table[inverse.reshape(-1)], index=index, dtype="object")


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
