"""Segmentation: band per customer, band summaries, cross-tabs, value × usage, 2/8 curve.

All vectorised (numpy searchsorted / pandas groupby); no per-customer Python loops.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.base.errors import InvalidInput
from core.base.fields import BY_KEY, label
from core.base.money import MAX_MONTHLY_SPEND, plausible_spend, round2_series
from core.marketing.bands import BandScheme, default_scheme, scheme_from_edges

SUMMARY_COLUMNS = [
    "label", "low", "high", "customers", "share", "revenue", "revenue_share",
    "mean_spend", "median_spend",
]  # fmt: skip
SUMMARY_LABELS = {
    "label": "档位", "low": "下限(元)", "high": "上限(元)", "customers": "客户数",
    "share": "客户占比", "revenue": "月收入(元)", "revenue_share": "收入占比",
    "mean_spend": "平均消费(元)", "median_spend": "消费中位数(元)",
}  # fmt: skip

# Why a customer has no band (codes from the import's spend_issue, plus our own).
UNBANDED_REASONS = {
    "missing_spend": "缺少月均消费",
    "bad_spend": "月均消费不是数字",
    "negative_spend": "月均消费为负数",
    "implausible_spend": "月均消费超出合理范围",
    "out_of_scheme": "消费不在任何档位范围内",
}
MISSING_VALUE = "（未填）"
CROSSTAB_FIELDS = ("industry", "market", "grid", "manager", "package")

USAGE_EDGES = {"data_gb": (10.0, 30.0), "voice_min": (100.0, 500.0)}
USAGE_NAMES = {
    "data_gb": ("低流量", "中流量", "高流量"),
    "voice_min": ("低通话", "中通话", "高通话"),
}
USAGE_UNITS = {"data_gb": "GB", "voice_min": "分钟"}
UNKNOWN_USAGE = "用量未知"


def _spend(customers: pd.DataFrame | pd.Series) -> pd.Series:
    if isinstance(customers, pd.DataFrame):
        if "spend" not in customers.columns:
            raise InvalidInput(
                "客户清单里没有月均消费列。", "请在导入时把消费列对应到“月均消费(元)”。"
            )
        customers = customers["spend"]
    return pd.to_numeric(customers, errors="coerce").astype("float64")


def band_codes(spend: pd.Series, scheme: BandScheme) -> np.ndarray:
    """Band index 0..n-1 per customer, -1 for unbanded (missing, negative, implausible,
    outside)."""
    values = _spend(spend).to_numpy(dtype="float64", na_value=np.nan)
    bounds = np.asarray(scheme.boundaries, dtype="float64")
    idx = np.searchsorted(bounds, values, side="right") - 1
    ok = plausible_spend(values) & (idx >= 0) & (idx < len(scheme.bands))
    return np.where(ok, idx, -1)


def assign_bands(spend: pd.Series, scheme: BandScheme | None = None) -> pd.Series:
    """Ordered Categorical of band labels (low→high); NaN for customers that cannot be banded."""
    scheme = scheme or default_scheme()
    spend = _spend(spend)
    cat = pd.Categorical.from_codes(
        band_codes(spend, scheme), categories=scheme.labels, ordered=True
    )
    return pd.Series(cat, index=spend.index, name="band")


def band_summary(customers: pd.DataFrame, scheme: BandScheme | None = None) -> pd.DataFrame:
    """One row per band (low→high, empty bands included): counts, shares, revenue, mean, median.

    Shares are fractions (0..1) of the banded customers and of their revenue.
    """
    scheme = scheme or default_scheme()
    spend = _spend(customers)
    codes = band_codes(spend, scheme)
    n = len(scheme.bands)
    banded = codes >= 0
    vals = spend.to_numpy(dtype="float64", na_value=np.nan)[banded]
    grp = codes[banded]
    counts = np.bincount(grp, minlength=n)
    revenue = np.bincount(grp, weights=vals, minlength=n)
    total_n = counts.sum()
    total_rev = revenue.sum()
    if total_n:
        medians = pd.Series(vals).groupby(grp).median().reindex(range(n)).to_numpy()
    else:
        medians = np.full(n, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, revenue / np.maximum(counts, 1), np.nan)
        share = counts / total_n if total_n else np.zeros(n)
        rev_share = revenue / total_rev if total_rev > 0 else np.zeros(n)
    out = pd.DataFrame(
        {
            "label": scheme.labels,
            "low": [b.low for b in scheme.bands],
            "high": [b.high for b in scheme.bands],
            "customers": counts.astype("int64"),
            "share": share.astype("float64"),
            "revenue": round2_series(pd.Series(revenue)),
            "revenue_share": rev_share.astype("float64"),
            "mean_spend": round2_series(pd.Series(mean)),
            "median_spend": round2_series(pd.Series(medians, dtype="float64")),
        }
    )
    return out[SUMMARY_COLUMNS]


def unbanded_reason(
    customers: pd.DataFrame | pd.Series, scheme: BandScheme | None = None
) -> pd.Series:
    """Per customer: the reason code it has no band (see UNBANDED_REASONS), or None.

    Without a scheme only the spend itself is judged (missing, not a number, negative);
    with one, a valid spend outside every band is ``out_of_scheme``.
    """
    spend = _spend(customers)
    values = spend.to_numpy(dtype="float64", na_value=np.nan)
    reason = np.full(len(values), None, dtype=object)
    missing = np.isnan(values)
    reason[missing] = "missing_spend"
    if isinstance(customers, pd.DataFrame) and "spend_issue" in customers.columns:
        issue = customers["spend_issue"].astype("object").to_numpy()
        given = missing & pd.notna(issue)
        reason[given] = issue[given]
    reason[~missing & (values < 0)] = "negative_spend"
    implausible = ~missing & (values >= 0) & ~(values <= MAX_MONTHLY_SPEND)
    reason[implausible] = "implausible_spend"
    if scheme is not None:
        outside = ~missing & (values >= 0) & ~implausible & (band_codes(spend, scheme) < 0)
        reason[outside] = "out_of_scheme"
    return pd.Series(reason, index=spend.index, dtype="object")


def unbanded_summary(customers: pd.DataFrame, scheme: BandScheme | None = None) -> dict[str, int]:
    """{reason code: customers} for customers without a band (see UNBANDED_REASONS)."""
    counts = unbanded_reason(customers, scheme).dropna().value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def unbanded_text(reasons: dict[str, int]) -> str:
    """'3 位客户未分档：缺少月均消费 2 人，月均消费为负数 1 人。' or ''."""
    total = sum(reasons.values())
    if not total:
        return ""
    parts = "，".join(f"{UNBANDED_REASONS.get(k, k)} {v} 人" for k, v in reasons.items())
    return f"{total} 位客户未分档：{parts}。"


def crosstab_choices(customers: pd.DataFrame | None, tags: bool = False) -> list[tuple[str, str]]:
    """(key, Chinese label) of the fields this list can be cross-tabulated by (those it has
    values in); with ``tags``, 客户标签 too (a column the analysis adds)."""
    out = [(key, label(key)) for key in CROSSTAB_FIELDS
           if customers is not None and key in customers.columns
           and customers[key].notna().any()]  # fmt: skip
    return [*out, ("tags", "客户标签")] if tags else out


def resolve_field(customers: pd.DataFrame, by: str) -> str:
    """A column key from a key ('industry') or its Chinese label ('行业')."""
    if by in customers.columns:
        return by
    for key, f in BY_KEY.items():
        if by.strip() == f.label and key in customers.columns:
            return key
    names = "、".join(f"{k}（{label(k)}）" for k in CROSSTAB_FIELDS)
    raise InvalidInput(f"客户清单里没有“{by}”这一列。", f"可以用的维度有：{names}。")


def _dimension(customers: pd.DataFrame, key: str) -> pd.Series:
    col = customers[key].astype("object")
    col = col.where(col.notna(), MISSING_VALUE).astype(str).str.strip()
    return col.where(col != "", MISSING_VALUE)


def crosstab(
    customers: pd.DataFrame,
    scheme: BandScheme | None = None,
    by: str = "industry",
    totals: bool = True,
) -> pd.DataFrame:
    """Customers per (value of ``by``) × band; rows by size; a 合计 row/column if totals."""
    scheme = scheme or default_scheme()
    key = resolve_field(customers, by)
    bands = assign_bands(customers["spend"], scheme)
    dim = _dimension(customers, key)
    table = (
        pd.DataFrame({"dim": dim.to_numpy(), "band": bands.to_numpy()})
        .dropna(subset=["band"])
        .groupby(["dim", "band"], observed=False)
        .size()
        .unstack("band", fill_value=0)
        .reindex(columns=scheme.labels, fill_value=0)
    )
    table.columns = pd.Index(scheme.labels, name="band")
    table.index.name = key
    table = table.astype("int64")
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable").index
    table = table.loc[order]
    if totals:
        table["合计"] = table.sum(axis=1)
        table.loc["合计"] = table.sum(axis=0)
    return table


def usage_scheme(usage: str = "data_gb", edges: tuple[float, ...] | None = None) -> BandScheme:
    """Usage bands for DOU (GB) or MOU (minutes): 低流量 <10GB / 中流量 10–30GB / 高流量 ≥30GB."""
    if usage not in USAGE_EDGES:
        raise InvalidInput(
            f"不支持按“{usage}”划分用量档。", "请选择流量（data_gb）或通话（voice_min）。"
        )
    edges = tuple(edges) if edges else USAGE_EDGES[usage]
    unit = USAGE_UNITS[usage]
    base = scheme_from_edges(edges)
    names = USAGE_NAMES[usage] if len(base.bands) == 3 else tuple(base.labels)
    labels = []
    for name, b in zip(names, base.bands, strict=True):
        rng = b.range_text.replace("元", unit)
        labels.append(f"{name}（{rng}）")
    return scheme_from_edges(edges, labels=labels, name=f"{label(usage)}分档")


def value_usage_matrix(
    customers: pd.DataFrame,
    scheme: BandScheme | None = None,
    usage: str = "data_gb",
    usage_edges: tuple[float, ...] | None = None,
) -> pd.DataFrame:
    """Counts of spend band (rows) × usage band (columns), plus a 用量未知 column.

    A 'high value, low data' cell (e.g. 高端 × 低流量) can then get its own action.
    """
    scheme = scheme or default_scheme()
    uscheme = usage_scheme(usage, usage_edges)
    bands = assign_bands(customers["spend"], scheme)
    values = pd.to_numeric(customers[usage], errors="coerce").astype("float64")
    ubands = assign_bands(values, uscheme)
    ucol = ubands.cat.add_categories([UNKNOWN_USAGE]).fillna(UNKNOWN_USAGE)
    table = (
        pd.DataFrame({"band": bands.to_numpy(), "usage": ucol.to_numpy()})
        .dropna(subset=["band"])
        .groupby(["band", "usage"], observed=False)
        .size()
        .unstack("usage", fill_value=0)
        .reindex(index=scheme.labels, columns=[*uscheme.labels, UNKNOWN_USAGE], fill_value=0)
        .astype("int64")
    )
    table.index.name = "band"
    table.columns.name = usage
    return table


def pareto_curve(spend: pd.Series, points: int | None = 201) -> pd.DataFrame:
    """Lorenz-style 2/8 curve: customers sorted by spend (high first) → cumulative shares.

    Starts at (0, 0) and ends at (1, 1). ``points`` thins long lists for charts (None = all).
    """
    values = np.sort(_valid(spend))[::-1]
    if values.size == 0 or values.sum() <= 0:
        return pd.DataFrame({"customer_share": [0.0, 1.0], "revenue_share": [0.0, 1.0]})
    cust = np.arange(values.size + 1) / values.size
    rev = np.concatenate([[0.0], np.cumsum(values) / values.sum()])
    if points and values.size + 1 > points:
        idx = np.unique(np.linspace(0, values.size, points).round().astype(int))
        cust, rev = cust[idx], rev[idx]
    return pd.DataFrame({"customer_share": cust, "revenue_share": np.minimum(rev, 1.0)})


def pareto_point(spend: pd.Series, target: float = 0.8) -> tuple[float, float]:
    """(share of top customers, their share of revenue) for the fewest customers reaching target.

    E.g. (0.2, 0.8): the top 20% of customers bring 80% of the revenue.
    """
    values = np.sort(_valid(spend))[::-1]
    total = values.sum() if values.size else 0.0
    if total <= 0:
        return (0.0, 0.0)
    cum = np.cumsum(values)
    k = int(np.searchsorted(cum, target * total - 1e-9 * total, side="left"))
    k = min(k, values.size - 1)
    return (float((k + 1) / values.size), float(cum[k] / total))


def _valid(spend: pd.Series) -> np.ndarray:
    arr = _spend(spend).to_numpy(dtype="float64", na_value=np.nan)
    return arr[plausible_spend(arr)]
