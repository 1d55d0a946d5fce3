"""``segment FILE``: the value pyramid — customers and revenue per spend band."""

from __future__ import annotations

import argparse
import math
from typing import Any

from ui.cli.common import add_input_options, load_input, print_json
from ui.cli.scheme_options import add_scheme_options, scheme_from_args


def add_parser(sub) -> None:
    p = sub.add_parser(
        "segment",
        help="按月均消费分档：每档客户数、收入、占比（价值金字塔）",
        description="读取客户清单，按消费区间分档，统计每档客户数、客户占比、收入、收入占比、"
        "平均消费和中位数；可按行业、聚类市场、网格、客户经理或当前套餐交叉统计。",
    )
    add_input_options(p)
    add_scheme_options(p)
    p.add_argument(
        "--by",
        metavar="FIELD",
        help="交叉统计维度：industry 行业 / market 聚类市场 / grid 网格 / "
        "manager 客户经理 / package 当前套餐（也可写中文名或其他列名）",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出（供脚本使用）")
    p.set_defaults(run=run)


def _num(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _share(value: float, digits: int | None) -> float:
    return float(value) if digits is None else round(float(value), digits)


def segment_result(customers, scheme, by: str | None, digits: int | None = 4) -> dict[str, Any]:
    """The segmentation as plain data; shares rounded to ``digits`` (None: exact, for text
    output, which formats once from the exact value so it agrees with the report)."""
    from core.marketing import band_summary, crosstab, pareto_point, resolve_field, unbanded_summary

    summary = band_summary(customers, scheme)
    reasons = unbanded_summary(customers, scheme)
    bands = [
        {
            "label": r.label,
            "low": _num(r.low),
            "high": _num(r.high),
            "customers": int(r.customers),
            "share": _share(r.share, digits),
            "revenue": _num(r.revenue),
            "revenue_share": _share(r.revenue_share, digits),
            "mean_spend": _num(r.mean_spend),
            "median_spend": _num(r.median_spend),
        }
        for r in summary.itertuples(index=False)
    ]
    cust_share, rev_share = pareto_point(customers["spend"], 0.8)
    out: dict[str, Any] = {
        "scheme": scheme.to_dict(),
        "bands": bands,
        "unbanded": sum(reasons.values()),
        "unbanded_reasons": reasons,
        "pareto": {
            "customer_share": _share(cust_share, digits),
            "revenue_share": _share(rev_share, digits),
        },
        "crosstab": None,
    }
    if by:
        key = resolve_field(customers, by)
        table = crosstab(customers, scheme, key, totals=False)
        out["crosstab"] = {
            "by": key,
            "bands": scheme.labels,
            "rows": [
                {"value": str(idx), "counts": [int(v) for v in row], "total": int(sum(row))}
                for idx, row in zip(table.index, table.to_numpy().tolist(), strict=True)
            ],
        }
    return out


def run(args: argparse.Namespace) -> int:
    from core.base import fmt_yuan, label
    from core.marketing import UNBANDED_REASONS

    result = load_input(args)
    customers = result.customers
    scheme = scheme_from_args(args, customers)
    if args.json:
        print_json(segment_result(customers, scheme, args.by))
        return 0
    data = segment_result(customers, scheme, args.by, digits=None)
    print(f"分档方案：{scheme.name}")
    if scheme.note:
        print(f"说明：{scheme.note}")
    print(f"{'档位':<14}{'客户数':>8}{'占比':>8}{'月收入(元)':>14}{'收入占比':>9}"
          f"{'平均消费':>10}{'中位数':>10}")  # fmt: skip
    for b, band in zip(data["bands"], scheme.bands, strict=True):
        print(
            f"{band.display:<14}{b['customers']:>8}{b['share']:>9.1%}"
            f"{fmt_yuan(b['revenue'] or 0):>15}{b['revenue_share']:>10.1%}"
            f"{fmt_yuan(b['mean_spend'] or math.nan):>12}{fmt_yuan(b['median_spend'] or math.nan):>12}"
        )
    total = sum(b["customers"] for b in data["bands"])
    print(f"合计 {total} 位客户已分档。")
    if data["unbanded"]:
        parts = "，".join(f"{UNBANDED_REASONS.get(k, k)} {n} 人"
                          for k, n in data["unbanded_reasons"].items())  # fmt: skip
        print(f"未分档 {data['unbanded']} 人：{parts}。请核实这些客户的月均消费。")
    p = data["pareto"]
    if total:
        print(f"二八分析：消费最高的 {p['customer_share']:.1%} 客户贡献了 "
              f"{p['revenue_share']:.1%} 的收入。")  # fmt: skip
    ct = data["crosstab"]
    if ct:
        print(f"\n按{label(ct['by'])}交叉统计（客户数）：")
        print(f"{label(ct['by']):<16}" + "".join(f"{b:>8}" for b in ct["bands"]) + f"{'合计':>8}")
        for row in ct["rows"]:
            print(f"{row['value']:<16}" + "".join(f"{v:>9}" for v in row["counts"])
                  + f"{row['total']:>9}")  # fmt: skip
    return 0
