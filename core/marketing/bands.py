"""Band schemes: ordered spend bands [low, high) in yuan, each with a label and a strategy.

A value equal to an edge belongs to the upper band (50 is 中端 in 低端 <50 / 中端 50–100).
Schemes come from custom edges, round-number edges proposed from the data, equal-count
(quantile) bands that cope with ties, or 2/8 (Pareto) tiers. They are saved as JSON
(a campaign keeps its scheme; a user keeps favourite presets in the data folder).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.base.appdata import load_json, save_json
from core.base.errors import InvalidInput
from core.base.files import atomic_path
from core.base.money import plausible_spend

# The playbook's words (运营商聚类市场差异化营销, 细分客户价值): the top band thinks least
# about price — 高投入、高品质服务、高价位; the middle and low end — 满意服务、优惠资费; the
# band just below the top (中高端, potential high-end customers) is grown with quality
# service and led up, not discounted.
TOP_STRATEGY = "高投入、高品质服务、高价位"
MIDDLE_STRATEGY = "优质服务、引导升档（潜在高端客户）"
OTHER_STRATEGY = "满意服务、优惠资费"
DEFAULT_EDGES: tuple[float, ...] = (50.0, 100.0, 200.0)
PRESETS_FILE = "band_presets.json"

_NAMES_BY_COUNT: dict[int, tuple[str, ...]] = {
    1: ("全部客户",),
    2: ("低端", "高端"),
    3: ("低端", "中端", "高端"),
    4: ("低端", "中端", "中高端", "高端"),
    5: ("低端", "中低端", "中端", "中高端", "高端"),
}


def _num(value: float) -> str:
    """50.0 -> '50', 47.5 -> '47.5', 47.25 -> '47.25'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass
class Band:
    label: str
    low: float
    high: float  # math.inf for the open top band
    strategy: str = ""

    @property
    def range_text(self) -> str:
        """'<50元', '50–100元', '≥200元'."""
        if math.isinf(self.high):
            return f"≥{_num(self.low)}元"
        if self.low <= 0:
            return f"<{_num(self.high)}元"
        return f"{_num(self.low)}–{_num(self.high)}元"

    @property
    def display(self) -> str:
        """'中端（50–100元）' for tables and charts."""
        return f"{self.label}（{self.range_text}）"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "low": self.low,
            "high": None if math.isinf(self.high) else self.high,
            "strategy": self.strategy,
        }


@dataclass
class BandScheme:
    name: str
    bands: list[Band] = field(default_factory=list)
    note: str = ""

    def __post_init__(self) -> None:
        validate_bands(self.bands)

    @property
    def edges(self) -> list[float]:
        """Cut points between bands (len = bands - 1), e.g. [50, 100, 200]."""
        return [b.low for b in self.bands[1:]]

    @property
    def boundaries(self) -> list[float]:
        """All band limits low→high including the outer ones, e.g. [0, 50, 100, 200, inf]."""
        return [b.low for b in self.bands] + [self.bands[-1].high]

    @property
    def labels(self) -> list[str]:
        return [b.label for b in self.bands]

    def band(self, label: str) -> Band:
        for b in self.bands:
            if b.label == label:
                return b
        raise KeyError(label)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "note": self.note, "bands": [b.to_dict() for b in self.bands]}

    @classmethod
    def from_dict(cls, data: Any) -> BandScheme:
        try:
            bands = [
                Band(
                    label=str(b["label"]),
                    low=float(b["low"]),
                    high=math.inf if b.get("high") is None else float(b["high"]),
                    strategy=str(b.get("strategy") or ""),
                )
                for b in data["bands"]
            ]
            name = str(data.get("name") or "自定义分档")
            note = str(data.get("note") or "")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInput(
                "分档方案的内容不完整或格式不对。",
                "请重新设置分档，或选用默认分档（50/100/200元）。",
            ) from exc
        return cls(name=name, bands=bands, note=note)


def validate_bands(bands: Sequence[Band]) -> None:
    """Raise InvalidInput (Chinese) unless the bands are contiguous, increasing and named."""
    hint = "请检查分档边界：应从低到高排列、首尾相接，每档有不同的名称。"
    if not bands:
        raise InvalidInput("分档方案里没有任何档位。", hint)
    seen: set[str] = set()
    for i, b in enumerate(bands, start=1):
        if not str(b.label).strip():
            raise InvalidInput(f"第{i}档没有名称。", hint)
        if b.label in seen:
            raise InvalidInput(f"档位名称“{b.label}”重复。", hint)
        seen.add(b.label)
        if math.isnan(b.low) or math.isnan(b.high) or math.isinf(b.low):
            raise InvalidInput(f"第{i}档（{b.label}）的边界不是有效数字。", hint)
        if not b.low < b.high:
            raise InvalidInput(
                f"第{i}档（{b.label}）的下限 {_num(b.low)} 不小于上限 {_num(b.high)}。", hint
            )
    for prev, nxt in pairwise(bands):
        if prev.high != nxt.low:
            raise InvalidInput(
                f"“{prev.label}”的上限 {_num(prev.high)} 与“{nxt.label}”的下限 "
                f"{_num(nxt.low)} 不相接。",
                hint,
            )


def default_labels(n: int) -> list[str]:
    """Chinese band names for n bands, low→high: 低端 … 高端, or 第1档 … for n > 5."""
    if n in _NAMES_BY_COUNT:
        return list(_NAMES_BY_COUNT[n])
    return [f"第{i}档" for i in range(1, n + 1)]


def default_strategies(n: int) -> list[str]:
    """The playbook's strategy per band, low→high: the top band 高投入、高品质服务、高价位;
    with four bands or more the band just below it its own (MIDDLE_STRATEGY); the rest
    (中端、低端) 满意服务、优惠资费."""
    if n <= 1:
        return [TOP_STRATEGY] * n
    middle = [MIDDLE_STRATEGY] if n >= 4 else []
    return [OTHER_STRATEGY] * (n - 1 - len(middle)) + middle + [TOP_STRATEGY]


def parse_edges(text: str) -> list[float]:
    """'50,100,200' (also ，、; and spaces) -> [50.0, 100.0, 200.0]; Chinese error otherwise."""
    parts = [p for p in str(text).replace("，", ",").replace("、", ",").replace(";", ",")
             .replace(" ", ",").split(",") if p]  # fmt: skip
    hint = "请用逗号分隔、从小到大的金额，例如：50,100,200"
    if not parts:
        raise InvalidInput("没有给出分档边界。", hint)
    out = []
    for p in parts:
        try:
            out.append(float(p))
        except ValueError:
            raise InvalidInput(f"分档边界“{p}”不是数字。", hint) from None
    return out


def scheme_from_edges(
    edges: Sequence[float],
    labels: Sequence[str] | None = None,
    name: str | None = None,
    strategies: Sequence[str] | None = None,
    note: str = "",
) -> BandScheme:
    """Bands [0, e1), [e1, e2), …, [en, ∞) from cut points (a leading 0 is optional)."""
    hint = "请用从小到大、不重复的非负金额，例如：50,100,200"
    values = []
    for e in edges:
        try:
            v = float(e)
        except (TypeError, ValueError):
            raise InvalidInput(f"分档边界“{e}”不是数字。", hint) from None
        if not math.isfinite(v):
            raise InvalidInput(f"分档边界“{e}”不是有效金额。", hint)
        if v < 0:
            raise InvalidInput(f"分档边界 {_num(v)} 是负数。", hint)
        values.append(round(v, 2))
    for a, b in pairwise(values):
        if not a < b:
            raise InvalidInput(f"分档边界没有从小到大排列（{_num(a)} 之后是 {_num(b)}）。", hint)
    if not values or values[0] > 0:
        values = [0.0, *values]
    n = len(values)
    if labels is None:
        labels = default_labels(n)
    labels = [str(x).strip() for x in labels]
    if len(labels) != n:
        raise InvalidInput(
            f"给出了 {len(labels)} 个档位名称，但边界分出的是 {n} 个档位。",
            "请让名称个数等于边界个数加 1（例如 3 个边界配 4 个名称）。",
        )
    strategies = list(strategies or [])
    if len(strategies) != n:
        strategies = default_strategies(n)
    highs = [*values[1:], math.inf]
    bands = [
        Band(label=lab, low=lo, high=hi, strategy=st)
        for lab, lo, hi, st in zip(labels, values, highs, strategies, strict=True)
    ]
    if name is None:
        name = "自定义分档（" + "/".join(_num(v) for v in values[1:]) + "元）"
        if n == 1:
            name = "不分档"
    return BandScheme(name=name, bands=bands, note=note)


def default_scheme() -> BandScheme:
    """低端 <50元 / 中端 50–100元 / 中高端 100–200元 / 高端 ≥200元."""
    return scheme_from_edges(DEFAULT_EDGES, name="默认分档（50/100/200元）")


def _valid_spend(spend: pd.Series) -> np.ndarray:
    arr = pd.to_numeric(pd.Series(spend), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    return arr[plausible_spend(arr)]


def _require_data(values: np.ndarray) -> None:
    if values.size == 0:
        raise InvalidInput(
            "没有可用的月均消费数据，无法按数据自动分档。",
            "请检查清单中的月均消费列，或改用自定义边界（例如 50,100,200）。",
        )


_NICE_MANTISSAS = (1.0, 1.5, 2.0, 3.0, 5.0, 8.0)


def nice_number(value: float) -> float:
    """The nearest 'round' amount (…, 10, 15, 20, 30, 50, 80, 100, 150, 200, …)."""
    if value <= 0 or not math.isfinite(value):
        return 0.0
    exp = math.floor(math.log10(value))
    candidates = [m * 10.0**e for e in (exp - 1, exp, exp + 1) for m in (*_NICE_MANTISSAS, 10.0)]
    return float(min(candidates, key=lambda c: abs(math.log(c / value))))


def round_scheme(spend: pd.Series, n: int = 4) -> BandScheme:
    """About n bands with round-number edges (50/100/200-style) near the data's quantiles."""
    n = _check_count(n)
    values = _valid_spend(spend)
    _require_data(values)
    qs = np.quantile(values, [k / n for k in range(1, n)]) if n > 1 else []
    edges: list[float] = []
    for q in qs:
        e = round(nice_number(float(q)), 2)  # amounts are in fen at the finest
        # an edge must leave customers on both sides, or the band would be empty
        if e > 0 and e > values.min() and e <= values.max() and (not edges or e > edges[-1]):
            edges.append(e)
    note = ""
    if len(edges) + 1 < n:
        note = (
            f"客户消费较集中，按整数金额只能分出 {len(edges) + 1} 档（要求 {n} 档），"
            "已合并相邻档位。"
        )
    name = "整数分档（" + "/".join(_num(e) for e in edges) + "元）" if edges else "不分档"
    return scheme_from_edges(edges, name=name, note=note)


def _check_count(n: Any) -> int:
    try:
        value = int(n)
    except (TypeError, ValueError):
        raise InvalidInput(f"档数“{n}”不是整数。", "请输入 1 到 20 之间的整数。") from None
    if value != n and not (isinstance(n, str) and str(value) == n.strip()):
        raise InvalidInput(f"档数“{n}”不是整数。", "请输入 1 到 20 之间的整数。")
    if not 1 <= value <= 20:
        raise InvalidInput(f"档数 {value} 不在 1 到 20 之间。", "请输入 1 到 20 之间的整数。")
    return value


def _tie_aware_edges(values: np.ndarray, cuts: Sequence[tuple[int, float]]) -> list[float]:
    """Edges from cut positions in ascending ``values``, never splitting a tie.

    Each cut is (natural position, ideal count below): the edge is ``values[position]``,
    so the ``position`` customers below it form the lower side. When the position falls
    inside a run of equal values (or at the very bottom), the edge moves to the start of
    the run (the tie goes up) or to the next distinct value above it (the tie goes down),
    whichever keeps both sides non-empty and is closer to the ideal count (above on a
    draw). Edges are rounded to fen, deduplicated and sorted; every band keeps customers.
    """
    size = values.size
    if size == 0:
        return []
    low, high = float(values[0]), float(values[-1])
    edges: set[float] = set()
    for pos, ideal in cuts:
        pos = min(max(int(pos), 0), size - 1)
        v = values[pos]
        start = int(np.searchsorted(values, v, side="left"))  # first of the run of v
        stop = int(np.searchsorted(values, v, side="right"))  # first above the run
        options = [p for p in (start, stop) if 0 < p < size]
        if pos == start and pos > 0:
            options = [pos]
        if not options:
            continue  # everyone has the same spend
        best = min(options, key=lambda p: (abs(p - ideal), -p))
        e = round(float(values[best]), 2)
        if low < e <= high:
            edges.add(e)
    return sorted(edges)


def _ties_note(values: np.ndarray, asked: int, got: int, what: str) -> str:
    """'有很多客户消费相同（例如 59 元有 2700 人）…无法分成 4 个…，已合并为 2 档。' or ''.

    ``what`` completes 无法分成…, e.g. '4 个人数相等的档位' or '3 段'.
    """
    if got >= asked:
        return ""
    uniq, counts = np.unique(values, return_counts=True)
    top = int(np.argmax(counts))
    return (
        f"有很多客户消费相同（例如 {_num(float(uniq[top]))} 元有 {int(counts[top])} 人），"
        f"同一金额的客户不能分到两个档位，无法分成{what}，"
        f"已合并为 {got} 档。"
    )


def quantile_scheme(spend: pd.Series, n: int) -> BandScheme:
    """n bands of (about) equal customer counts; ties are never split, bands never empty.

    A cut that falls inside a run of equal spends moves to the start of the run or to the
    next distinct amount above it; cuts that coincide are merged and ``note`` says so.
    """
    n = _check_count(n)
    values = np.sort(_valid_spend(spend))
    _require_data(values)
    size = values.size
    cuts = [(math.ceil(k * size / n), k * size / n) for k in range(1, n)]
    edges = _tie_aware_edges(values, cuts)
    note = _ties_note(values, n, len(edges) + 1, f" {n} 个人数相等的档位")
    return scheme_from_edges(edges, name=f"等人数分档（{n}档）", note=note)


def parse_share(value: Any) -> float:
    """0.8, '0.8', 80, '80', '80%' -> 0.8; Chinese error unless strictly between 0 and 1."""
    text = str(value).strip().rstrip("%％")
    hint = "请输入 0 到 1 之间的小数或 1 到 99 的百分数，例如 0.8 或 80。"
    try:
        v = float(text)
    except ValueError:
        raise InvalidInput(f"比例“{value}”不是数字。", hint) from None
    if 1 < v < 100:
        v /= 100
    if not 0 < v < 1:
        raise InvalidInput(f"比例“{value}”不在 0 到 1（或 1% 到 99%）之间。", hint)
    return v


PARETO_HINT = (
    "二八分档的收入占比请写 0.5 到 1 之间的小数（如 0.8）或 50 到 100 之间的百分数"
    "（如 80 或 80%）；按客户比例分段请写几个加起来等于 100 的数，如 20,30,50。"
)


def parse_pareto_target(value: Any) -> float:
    """The revenue share for a 2/8 split: 0.5 ≤ P < 1, or 50 ≤ P < 100 (a percent).

    '0.8', 0.8, '80', '80%' -> 0.8. A value with % is always a percent. Anything else
    (1.5, 0.3, 100, 120, 'abc') is a Chinese error saying what is accepted.
    """
    raw = str(value).strip()
    text = raw.rstrip("%％").strip()
    percent = text != raw
    try:
        v = float(text)
    except ValueError:
        raise InvalidInput(f"二八分档的收入占比“{raw}”不是数字。", PARETO_HINT) from None
    if math.isfinite(v):
        if not percent and 0.5 <= v < 1:
            return v
        if 50 <= v < 100:
            return v / 100
    raise InvalidInput(f"二八分档的收入占比“{raw}”不合理。", PARETO_HINT)


def _pct_text(p: float) -> str:
    """0.8 -> '80', 0.805 -> '80.5', 0.8125 -> '81.25' (the value used, not rounded)."""
    return f"{p * 100:.4f}".rstrip("0").rstrip(".")


def pareto_scheme(spend: pd.Series, p: float = 0.8) -> BandScheme:
    """Two tiers: the highest spenders who together make share p of revenue, and the rest.

    ``p`` is 0.5 ≤ p < 1 or a percent 50 ≤ p < 100 (see ``parse_pareto_target``).
    Customers tied with the smallest spender of the top group are in the top group too
    (a value equal to an edge belongs to the upper band).
    """
    p = parse_pareto_target(p)
    values = np.sort(_valid_spend(spend))[::-1]
    _require_data(values)
    total = values.sum()
    if total <= 0:
        raise InvalidInput("所有客户的月均消费都是 0，无法按收入占比分档。", "请改用自定义边界。")
    cum = np.cumsum(values)
    k = int(np.searchsorted(cum, p * total - 1e-9 * total, side="left"))
    edge = round(float(values[min(k, values.size - 1)]), 2)
    pct = _pct_text(p)
    top = values >= edge
    cust_share = top.mean()
    rev_share = values[top].sum() / total
    note = (
        f"消费最高的 {cust_share:.1%} 客户贡献了 {rev_share:.1%} 的收入"
        f"（目标 {pct}%），分界线为 {_num(edge)} 元。"
    )
    if edge <= values.min():
        note += "所有客户都在核心档内，未分出尾部档。"
        return scheme_from_edges([], labels=["核心客户"], name=f"二八分档（收入{pct}%）", note=note)
    return scheme_from_edges(
        [edge],
        labels=["长尾客户", "核心客户"],
        name=f"二八分档（收入{pct}%）",
        note=note,
    )


def parse_tier_shares(shares: Sequence[Any]) -> list[float]:
    """Customer shares from the top, as fractions: [20, 30, 50] or [0.2, 0.3, 0.5].

    At least two parts, each above 0, adding up to 100 (or 1); Chinese error otherwise.
    """
    hint = "例如：20,30,50（消费最高的 20%、其后 30%、最后 50%），几个数加起来等于 100。"
    values = []
    for s in shares:
        raw = str(s).strip()
        try:
            values.append(float(raw.rstrip("%％")))
        except ValueError:
            raise InvalidInput(f"客户比例“{raw}”不是数字。", hint) from None
    if len(values) < 2:
        raise InvalidInput("按客户比例分档至少要有两段。", hint)
    if not all(math.isfinite(v) and v > 0 for v in values):
        raise InvalidInput("客户比例必须都是大于 0 的数。", hint)
    total = sum(values)
    scale = 100.0 if total > 1.5 else 1.0
    if abs(total / scale - 1) > 0.011:
        raise InvalidInput(
            f"客户比例之和是 {_num(total)}，应为 {'100' if scale == 100 else '1'}。", hint
        )
    return [v / scale for v in values]


def pareto_tiers_scheme(spend: pd.Series, shares: Sequence[float] = (0.2, 0.3, 0.5)) -> BandScheme:
    """Tiers by share of customers from the top: 20/30/50 = top 20%, next 30%, bottom 50%.

    Customers with the same spend stay in one tier (a cut inside a tie moves to the edge
    of the tie), so ties can merge tiers; ``note`` says so.
    """
    fracs = parse_tier_shares(shares)
    values = np.sort(_valid_spend(spend))  # ascending
    _require_data(values)
    size = values.size
    cuts = []
    cum = 0.0
    for f in fracs[:-1]:
        cum += f
        above = round(cum * size, 9)  # customers wanted in the tiers above this cut
        cuts.append((size - math.ceil(above), size - above))
    edges = _tie_aware_edges(values, cuts)
    names = {2: ["大众客户", "头部客户"], 3: ["大众客户", "腰部客户", "头部客户"]}
    n = len(edges) + 1
    note = _ties_note(values, len(fracs), n, f"要求的 {len(fracs)} 段")
    labels = names.get(n) or default_labels(n)
    pcts = "/".join(_pct_text(f) for f in fracs)
    return scheme_from_edges(edges, labels=labels, name=f"客户比例分档（{pcts}）", note=note)


# ---- saving ---------------------------------------------------------------------------


def save_scheme(scheme: BandScheme, path: str | Path, force: bool = False) -> Path:
    """Write the scheme as a JSON file (never half-written; refuses to overwrite unless force)."""
    path = Path(path)
    with atomic_path(path, force=force) as tmp:
        tmp.write_text(json.dumps(scheme.to_dict(), ensure_ascii=False, indent=2), "utf-8")
    return path


def load_scheme(path: str | Path) -> BandScheme:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"找不到分档方案文件：{path}", "请检查文件路径。") from None
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"分档方案文件无法读取：{path.name}", "请确认它是本程序保存的 .json 分档方案。"
        ) from exc
    return BandScheme.from_dict(data)


def load_presets() -> list[BandScheme]:
    """The user's favourite schemes; damaged entries are skipped."""
    raw = load_json(PRESETS_FILE, [])
    out: list[BandScheme] = []
    for item in raw if isinstance(raw, list) else []:
        try:
            out.append(BandScheme.from_dict(item))
        except InvalidInput:
            continue
    return out


def save_preset(scheme: BandScheme) -> None:
    """Add (or replace, by name) a favourite scheme."""
    presets = [p for p in load_presets() if p.name != scheme.name]
    presets.append(scheme)
    save_json(PRESETS_FILE, [p.to_dict() for p in presets])


def delete_preset(name: str) -> None:
    save_json(PRESETS_FILE, [p.to_dict() for p in load_presets() if p.name != name])
