"""An offer per customer: the band's 主推套餐 (or the cheapest package that covers the
customer's usage), with the sums a proposal letter needs and a short Chinese reason.

Vectorised over customers; the only loops are over the few bands and packages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.bands import BandScheme, default_scheme
from core.catalog import Catalog, Rules, cheapest_covering_index, default_catalog, default_rules
from core.errors import InvalidInput
from core.fields import label
from core.files import atomic_path, check_writable
from core.money import round2_series
from core.segment import UNBANDED_REASONS, band_codes, unbanded_reason
from core.tags import TAG_COLUMNS, add_tags

OFFER_COLUMNS = [
    "band", "strategy", "offer_package", "offer_fee", "offer_data_gb", "offer_voice_min",
    "offer_broadband_mbps", "offer_contract_months", "offer_pitch", "alt_package",
    "diff_month", "diff_year", "data_gain_gb", "voice_gain_min", "offer_reason", "usage_known",
]  # fmt: skip

OFFER_LABELS = {
    "band": "档位", "strategy": "营销策略", "offer_package": "推荐套餐",
    "offer_fee": "套餐月费(元)", "offer_data_gb": "套餐流量(GB)",
    "offer_voice_min": "套餐通话(分钟)", "offer_broadband_mbps": "套餐宽带(Mbps)",
    "offer_contract_months": "合约期(月)", "offer_pitch": "一句话卖点",
    "alt_package": "备选套餐", "diff_month": "每月差额(元)", "diff_year": "每年差额(元)",
    "data_gain_gb": "流量增加(GB)", "voice_gain_min": "通话增加(分钟)",
    "offer_reason": "推荐理由", "usage_known": "有用量数据", "tags": "客户标签",
}  # fmt: skip

EXPORT_COLUMNS = [
    "source_row", "customer_id", "name", "phone", "market", "manager", "package", "spend",
    "data_gb", "voice_min", "contract_end", "band", "tags", "strategy", "offer_package",
    "offer_fee", "diff_month", "diff_year", "data_gain_gb", "voice_gain_min", "offer_pitch",
    "alt_package", "offer_reason",
]  # fmt: skip

_PKG_ATTRS = {
    "offer_fee": "fee",
    "offer_data_gb": "data_gb",
    "offer_voice_min": "voice_min",
    "offer_broadband_mbps": "broadband_mbps",
    "offer_contract_months": "contract_months",
    "offer_pitch": "pitch",
}


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

    ``fit_usage``: offer the cheapest package whose data and minutes cover the customer's
    own usage, as long as its fee is not below spend × (1 − ``max_cut``); otherwise, and
    for customers without usage data, the band's 主推套餐. Missing usage falls back to a
    fee-only comparison and the reason says so.
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
    out["strategy"] = _take([r.strategy for r in band_rules], codes, out.index)
    out["alt_package"] = _take([r.alt or None for r in band_rules], codes, out.index)

    data = _num_col(out, "data_gb")
    voice = _num_col(out, "voice_min")
    usage_known = (data.notna() | voice.notna()).to_numpy()
    pkg_idx = np.where(banded, main_idx[np.maximum(codes, 0)], -1)
    fitted = np.zeros(len(out), dtype=bool)
    if fit_usage:
        best = cheapest_covering_index(catalog, data, voice, min_fee=spend * (1 - max_cut))
        fitted = banded & usage_known & (best >= 0)
        pkg_idx = np.where(fitted, best, pkg_idx)

    out["offer_package"] = _take(names, pkg_idx, out.index)
    for col, attr in _PKG_ATTRS.items():
        values = [getattr(p, attr) for p in pkgs]
        if attr == "pitch":
            out[col] = _take(values, pkg_idx, out.index)
        else:
            arr = np.array([*map(float, values), np.nan], dtype="float64")
            out[col] = pd.Series(arr[pkg_idx], index=out.index, dtype="float64")

    diff = round2_series(out["offer_fee"] - spend)
    out["diff_month"] = diff
    out["diff_year"] = round2_series(diff * 12)
    out["data_gain_gb"] = round2_series(out["offer_data_gb"] - data)
    out["voice_gain_min"] = (out["offer_voice_min"] - voice).round(0)
    out["usage_known"] = usage_known
    reason_code = unbanded_reason(out, scheme)
    out["offer_reason"] = _reasons(
        scheme, names, codes, pkg_idx, fitted, usage_known,
        diff.to_numpy(dtype="float64", na_value=np.nan),
        out["data_gain_gb"].to_numpy(dtype="float64", na_value=np.nan),
        reason_code, out.index,
    )  # fmt: skip
    return out


def _take(values: list[Any], idx: np.ndarray, index: pd.Index) -> pd.Series:
    """values[idx] as an object Series, None where idx == -1 (a lookup, not a loop)."""
    table = np.array([*values, None], dtype=object)
    return pd.Series(table[idx], index=index, dtype="object")


def _num_col(frame: pd.DataFrame, key: str) -> pd.Series:
    if key not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[key], errors="coerce").astype("float64")


def _sign_code(values: np.ndarray) -> np.ndarray:
    """0 = less, 1 = equal, 2 = more, 3 = unknown."""
    return np.where(np.isnan(values), 3, np.sign(np.nan_to_num(values)).astype("int64") + 1)


_MONEY_TEXT = {0: "，每月更省钱", 1: "，月费不变", 2: "，月费略有增加", 3: ""}
_GAIN_TEXT = {0: "，流量略少", 1: "", 2: "，流量更多", 3: ""}
_FEE_ONLY = "（缺少流量和通话数据，仅按月费比较）"


def _reasons(
    scheme: BandScheme,
    names: list[str],
    codes: np.ndarray,
    pkg_idx: np.ndarray,
    fitted: np.ndarray,
    usage_known: np.ndarray,
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
        fitted.astype("int64"),
        usage_known.astype("int64"),
        _sign_code(diff),
        _sign_code(gain),
        why.to_numpy(dtype="int64"),
    ]
    dims = (len(scheme.bands) + 1, len(names) + 1, 2, 2, 4, 4, len(why_codes) + 1)
    key = np.ravel_multi_index(parts, dims)
    uniq, inverse = np.unique(key, return_inverse=True)
    texts = []
    for k in uniq:  # one iteration per distinct case (a few dozen), not per customer
        band, pkg, fit, known, money, more, why_i = np.unravel_index(k, dims)
        if band == 0 or pkg == 0:
            reason = UNBANDED_REASONS.get(why_codes[why_i], "无法分档") if why_i < len(
                why_codes) else "无法分档"  # fmt: skip
            texts.append(f"无法推荐：{reason}，请先核实月均消费。")
            continue
        name = names[pkg - 1]
        head = f"按实际用量推荐{name}，流量通话够用" if fit else (
            f"{scheme.bands[band - 1].label}客户主推{name}")  # fmt: skip
        tail = "。" if known else f"{_FEE_ONLY}。"
        texts.append(head + _MONEY_TEXT[int(money)] + _GAIN_TEXT[int(more)] + tail)
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


_EXPORT_KINDS = {
    "source_row": "integer", "customer_id": "code", "phone": "code", "spend": "money",
    "offer_fee": "money", "diff_month": "money", "diff_year": "money", "data_gb": "decimal",
    "data_gain_gb": "decimal", "voice_min": "integer", "voice_gain_min": "integer",
    "contract_end": "date",
}  # fmt: skip
_EXPORT_WIDTHS = {"name": 28, "offer_reason": 50, "offer_pitch": 40, "offer_package": 26,
                  "phone": 14, "tags": 22, "strategy": 18, "alt_package": 26}  # fmt: skip


def write_offers_xlsx(offers: pd.DataFrame, path: str | Path, force: bool = False) -> Path:
    """Write the offers to .xlsx: Chinese headers, phone as text, money 0.00, no formulas.

    Uses the report's streaming writer (200,000 rows in seconds): every text cell is an
    inline string (never a formula, whatever it starts with); the file appears only when
    complete, and an existing file is kept unless ``force``.
    """
    import openpyxl
    from openpyxl.styles import Font

    from core import xlsx_stream as xs

    path = Path(path)
    check_writable(path, force=force)
    cols = [c for c in EXPORT_COLUMNS if c in offers.columns]
    frame = offers[cols].copy()
    if "band" in frame.columns:
        frame["band"] = frame["band"].astype("object")
    columns = [
        xs.Column(c, column_label(c), _EXPORT_KINDS.get(c, xs.TEXT), _EXPORT_WIDTHS.get(c, 12))
        for c in cols
    ]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)

    def bold(cell: Any) -> None:
        cell.font = Font(bold=True)

    sheet = xs.add_streamed_sheet(wb, "推荐套餐", frame, columns, bold)
    with atomic_path(path, force=force) as tmp:
        xs.save_workbook(wb, tmp, [sheet])
    return path


__all__ = [
    "EXPORT_COLUMNS",
    "OFFER_COLUMNS",
    "OFFER_LABELS",
    "TAG_COLUMNS",
    "column_label",
    "make_offers",
    "offers_frame_for_export",
    "write_offers_xlsx",
]
