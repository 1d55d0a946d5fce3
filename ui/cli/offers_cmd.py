"""``offers FILE``: each customer's band, tags, recommended package and the sums."""

from __future__ import annotations

import argparse
import datetime as dt
import math
from pathlib import Path
from typing import Any

from ui.cli.common import add_input_options, load_input, print_json
from ui.cli.offer_options import add_offer_options, max_cut_of
from ui.cli.scheme_options import add_scheme_options, scheme_from_args

JSON_COLUMNS = [
    "source_row", "customer_id", "name", "phone", "package", "spend", "data_gb", "voice_min",
    "band", "tags", "strategy", "offer_package", "offer_fee", "alt_package", "diff_month",
    "diff_year", "data_gain_gb", "voice_gain_min", "gain_basis", "usage_known", "offer_pitch",
    "offer_reason",
]  # fmt: skip


def add_parser(sub) -> None:
    p = sub.add_parser(
        "offers",
        help="为每位客户推荐套餐：档位、标签、主推套餐和差额测算",
        description="读取客户清单，按分档规则为每位客户推荐套餐，并算出月费差额、年差额、"
        "流量和通话变化；可导出 Excel 或 JSON。",
    )
    add_input_options(p)
    add_scheme_options(p)
    add_offer_options(p)
    p.add_argument("--days", metavar="N", default="90", help="合约到期标签：N 天内到期（默认 90）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="计算合约到期的基准日期（默认今天）")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--out", metavar="offers.xlsx", help="导出到 Excel 文件")
    out.add_argument("--json", action="store_true", help="以 JSON 格式输出（供脚本使用）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.set_defaults(run=run)


def _options(args: argparse.Namespace) -> tuple[float, int, dt.date | None]:
    from core.base import InvalidInput

    max_cut = max_cut_of(args)
    try:
        days = int(str(args.days).strip())
        if days < 0:
            raise ValueError
    except ValueError:
        raise InvalidInput(f"--days 的值“{args.days}”不是非负整数。", "例如 --days 90。") from None
    today = None
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today.strip())
        except ValueError:
            raise InvalidInput(
                f"--today 的日期“{args.today}”格式不对。", "请写成 2026-11-20 这样的格式。"
            ) from None
    return max_cut, days, today


def _clean(value: Any) -> Any:
    if value is None:
        return None
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
    from core.marketing import band_summary, load_catalog, make_offers
    from core.reporting import write_offers_xlsx

    max_cut, days, today = _options(args)
    if args.out:
        from core.base import check_writable

        check_writable(Path(args.out), force=args.force)  # before the work, not after
    catalog = load_catalog(args.catalog) if args.catalog else load_catalog()
    result = load_input(args)
    customers = result.customers
    scheme = scheme_from_args(args, customers)
    offers = make_offers(customers, scheme, catalog, fit_usage=args.fit_usage, max_cut=max_cut,
                         today=today, expiring_days=days)  # fmt: skip
    if args.json:
        cols = [c for c in JSON_COLUMNS if c in offers.columns]
        frame = offers[cols].astype("object")
        rows = [
            {c: _clean(v) for c, v in zip(cols, values, strict=True)}
            for values in frame.itertuples(index=False, name=None)
        ]
        print_json({"scheme": scheme.to_dict(), "catalog": catalog.source, "customers": rows})
        return 0
    if args.out:
        path = write_offers_xlsx(offers, args.out, force=args.force, title=Path(args.file).stem)
        print(f"已导出 {len(offers)} 位客户的推荐套餐：{path}")
        return 0
    _print_summary(offers, scheme, band_summary(customers, scheme), catalog)
    return 0


def _print_summary(offers, scheme, summary, catalog) -> None:
    from core.base import fmt_yuan
    from core.marketing import KEEP_MARK, TAG_NAMES, default_rules

    print(f"分档方案：{scheme.name}")
    if scheme.note:
        print(f"说明：{scheme.note}")
    rules = default_rules(scheme, catalog)  # what make_offers used (no rules given)
    print(f"{'档位':<14}{'客户数':>6}  {'主推套餐':<24}{'月费':>8}{'平均每月差额':>12}  策略")
    for band, row in zip(scheme.bands, summary.itertuples(index=False), strict=True):
        sel = offers[offers["band"] == band.label]
        # the band's 主推套餐 itself (not the most frequent offer: 资费偏高 customers and
        # those already on it get other packages)
        main = catalog.get(rules.rules[band.label].main)
        name, fee = main.name, float(main.fee)
        mean_diff = sel["diff_month"].mean() if len(sel) else math.nan
        strategy = sel["strategy"].iloc[0] if len(sel) else band.strategy
        print(f"{band.display:<14}{int(row.customers):>6}  {name:<24}"
              f"{fmt_yuan(fee):>8}"
              f"{fmt_yuan(mean_diff):>12}  {strategy}")  # fmt: skip
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
        print(f"{keep} 人已在使用合适的套餐，建议保持并做好维系服务（差额按 0 计）。")
    retain = int((banded & offers["tag_overpaying"]).sum())
    if retain:
        print(f"资费偏高 {retain} 人：推荐够用的最便宜套餐（维系挽留，帮客户省钱）。")
    tags = "，".join(f"{name} {int(offers[col].sum())} 人" for col, name in TAG_NAMES.items())
    print(f"客户标签：{tags}。")
    print("用 --out 推荐套餐.xlsx 导出每位客户的明细，或用 --json 输出。")
