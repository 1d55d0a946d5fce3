"""``offers FILE``: each customer's band, tags, recommended package and the sums, and what
the whole plan is worth to the branch."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from ui.cli.common import add_input_options, load_input, print_json
from ui.cli.offer_options import add_offer_options, check_seed_by, offer_options_of, today_of
from ui.cli.scheme_options import add_scheme_options, scheme_from_args

JSON_COLUMNS = [
    "source_row", "customer_id", "name", "phone", "package", "spend", "data_gb", "voice_min",
    "contract_end", "services", "band", "tags", "tag_reason", "tag_offer", "strategy",
    "offer_kind", "offer_package", "offer_fee", "offer_addon", "addon_fee", "alt_package",
    "cur_fee", "outside_charges", "expected_overage", "expected_bill", "diff_month",
    "diff_year", "data_gain_gb", "voice_gain_min", "gain_basis", "usage_known", "renewal",
    "offer_pitch", "offer_reason",
]  # fmt: skip


def add_parser(sub) -> None:
    p = sub.add_parser(
        "offers",
        help="为每位客户推荐套餐：档位、标签、主推套餐和差额测算",
        description="读取客户清单，按分档规则为每位客户推荐套餐，算出办理后每月约多少钱（套餐月费 + "
        "超出用量 + 套餐外费用）、与现在相比的每月/每年差额、流量和通话变化，以及整套推荐让"
        "月收入变化多少；可导出 Excel 或 JSON。推荐遵守的规则见 --help 末尾。",
        epilog="推荐规则：高端客户不降档；换更小的套餐最多让每月费用降低 --max-cut，且不会让客户多花钱；"
        "含宽带或固话的客户只推荐保留它们的融合套餐（或保持现套餐并加装）；合约期超过 --days 天的"
        "客户不降档，合约快到期的推荐续约；资费偏高的客户只有加 --retention 才降一档维系。",
    )
    add_input_options(p)
    add_scheme_options(p)
    add_offer_options(p)
    p.add_argument("--today", metavar="YYYY-MM-DD", help="计算合约到期的基准日期（默认今天）")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--out", metavar="offers.xlsx", help="导出到 Excel 文件")
    out.add_argument("--json", action="store_true", help="以 JSON 格式输出（供脚本使用）")
    p.add_argument("--unmask", action="store_true",
                   help="导出的 Excel 中完整显示手机号码（默认打码为 138****5678；证件号码始终不导出）")  # fmt: skip
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.set_defaults(run=run)


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "isoformat") and not isinstance(value, str):
        try:
            text = value.isoformat()
        except ValueError:  # NaT
            return None
        return text[:10]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def run(args: argparse.Namespace) -> int:
    from core.marketing import band_summary, load_catalog, make_offers, plan_summary
    from core.reporting import write_offers_xlsx

    options = offer_options_of(args)
    today = today_of(args)
    if args.out:
        from core.base import check_writable

        check_writable(Path(args.out), force=args.force)  # before the work, not after
    catalog = load_catalog(args.catalog) if args.catalog else load_catalog()
    result = load_input(args)
    customers = result.customers
    scheme = scheme_from_args(args, customers)
    check_seed_by(args, customers)
    offers = make_offers(customers, scheme, catalog, today=today, options=options)
    plan = plan_summary(offers, scheme.labels, options.retention)
    if args.json:
        cols = [c for c in JSON_COLUMNS if c in offers.columns]
        frame = offers[cols].astype("object")
        rows = [
            {c: _clean(v) for c, v in zip(cols, values, strict=True)}
            for values in frame.itertuples(index=False, name=None)
        ]
        print_json({"scheme": scheme.to_dict(), "catalog": catalog.source,
                    "policy": {**_policy(options), "rules": options.rules_text()},
                    "summary": plan.to_dict(), "customers": rows})  # fmt: skip
        return 0
    if args.out:
        path = write_offers_xlsx(offers, args.out, force=args.force, title=Path(args.file).stem,
                                 unmask=args.unmask)  # fmt: skip
        print(f"已导出 {len(offers)} 位客户的推荐套餐：{path}")
        if args.unmask:
            print("注意：导出的文件完整显示了客户手机号码，请妥善保管。")
        print(plan.text())
        return 0
    _print_summary(offers, scheme, band_summary(customers, scheme), catalog, plan, options)
    return 0


def _policy(options: Any) -> dict[str, Any]:
    keep = ("fit_usage", "max_cut", "retention", "retention_cap", "protect_top", "contract_days",
            "data_rate", "voice_rate", "seed_by", "seed_share", "spreader_share")  # fmt: skip
    return {k: v for k, v in options.to_dict().items() if k in keep}


def _print_summary(offers, scheme, summary, catalog, plan, options) -> None:
    from core.base import fmt_yuan
    from core.marketing import KEEP_MARK, TAG_NAMES, default_rules

    print(f"分档方案：{scheme.name}")
    if scheme.note:
        print(f"说明：{scheme.note}")
    rules = default_rules(scheme, catalog)  # what make_offers used (no rules given)
    by_band = {b.band: b for b in plan.by_band}
    print(f"{'档位':<14}{'客户数':>6}  {'主推套餐':<24}{'月费':>8}{'本档月收入变化':>14}  策略")
    for band, row in zip(scheme.bands, summary.itertuples(index=False), strict=True):
        sel = offers[offers["band"] == band.label]
        # the band's 主推套餐 itself (not the most frequent offer: customers on it, those the
        # policy keeps, get other packages)
        main = catalog.get(rules.rules[band.label].main)
        change = by_band[band.label].revenue_change_month if band.label in by_band else math.nan
        strategy = sel["strategy"].iloc[0] if len(sel) else band.strategy
        print(f"{band.display:<14}{int(row.customers):>6}  {main.name:<24}"
              f"{fmt_yuan(float(main.fee)):>8}{fmt_yuan(change):>14}  {strategy}")  # fmt: skip
    unbanded = int(offers["band"].isna().sum())
    if unbanded:
        print(f"未分档 {unbanded} 人（缺少或无效的月均消费），未推荐套餐。")
    banded = offers["band"].notna()
    no_usage = ~offers["usage_known"] & banded
    fee_only = int((no_usage & (offers["gain_basis"] == "")).sum())
    by_package = int(no_usage.sum()) - fee_only
    if by_package:
        print(f"{by_package} 人缺少流量和通话数据，流量通话按现套餐内容比较。")
    if fee_only:
        print(f"{fee_only} 人缺少流量和通话数据且当前套餐不在套餐库中，仅按月费比较。")
    keep = int(
        (banded & offers["offer_reason"].str.contains(KEEP_MARK, na=False, regex=False)).sum()
    )
    if keep:
        print(f"{keep} 人建议保持现套餐（差额按 0 计，加装包另计）。")
    kinds = "，".join(f"{k} {n} 人" for k, n in plan.by_kind.items())
    if kinds:
        print(f"推荐类型：{kinds}。")
    retain = int((banded & offers["tag_overpaying"]).sum())
    if retain and not options.retention:
        print(f"资费偏高 {retain} 人：不降档，建议核查套餐外消费（要降一档维系请加 --retention）。")
    tags = "，".join(f"{name} {int(offers[col].sum())} 人" for col, name in TAG_NAMES.items())
    print(f"客户标签：{tags}。")
    print(plan.text())
    print("用 --out 推荐套餐.xlsx 导出每位客户的明细，或用 --json 输出。")
