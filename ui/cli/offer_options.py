"""Options that decide each customer's offer, shared by offers / proposals / sheets / campaign
/ report: the policy (core.marketing.policy.OfferOptions) from the settings, overridden by
the command line."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any


def add_offer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="X.xlsx",
                        help="套餐库文件（默认使用程序自带的套餐库）")  # fmt: skip
    parser.add_argument(
        "--fit-usage",
        action="store_true",
        help="按客户实际流量/通话推荐够用的最便宜套餐（降档同样受 --max-cut 等规则限制）",
    )
    parser.add_argument(
        "--max-cut",
        metavar="百分比",
        default="10",
        help="换更小的套餐最多让客户每月费用降低多少，默认 10（即 10%%）；超过时改推备选或建议保持现套餐",
    )
    parser.add_argument("--retention", action="store_true",
                        help="维系降档：资费偏高的客户可降一档（保留宽带、固话），每月最多少收 "
                        "--retention-cap，列为“维系”并计算维系成本（默认不降档）")  # fmt: skip
    parser.add_argument("--retention-cap", metavar="百分比", default="20",
                        help="维系降档最多让每月费用降低多少，默认 20（即 20%%）")  # fmt: skip
    parser.add_argument("--allow-top-down", action="store_true",
                        help="允许最高档客户换更小的套餐（默认不允许：高端客户不降档）")  # fmt: skip
    parser.add_argument("--days", metavar="N", default="90",
                        help="合约 N 天内到期的客户标为“合约到期”并推荐续约；合约期超过 N 天的客户"
                        "不换更小的套餐（默认 90）")  # fmt: skip
    parser.add_argument("--seed-by", metavar="列名",
                        help="种子用户、传播型用户按哪一列挑选：清单中的经营数据列（如 年销售额、营业额、"
                        "门店面积、员工数）或 spend（月均消费）；默认取设置（自动：有经营数据按经营数据）")  # fmt: skip
    parser.add_argument("--seed-share", metavar="百分比",
                        help="种子用户占每个市场的比例，默认取设置（5%%）")  # fmt: skip
    parser.add_argument("--spreader-share", metavar="百分比",
                        help="传播型用户占每个市场的比例（种子用户之后），默认取设置（15%%，手册建议 15–20%%）")  # fmt: skip
    parser.add_argument("--data-rate", metavar="元/GB",
                        help="流量超出套餐后每 GB 的价格，用来估算办理后的每月费用；默认取设置（5 元/GB）")  # fmt: skip
    parser.add_argument("--voice-rate", metavar="元/分钟",
                        help="通话超出套餐后每分钟的价格；默认取设置（0.15 元/分钟）")  # fmt: skip


def _percent(value: Any, option: str, high: float = 99) -> float:
    """'10', '10%', '0.1' → 0.1; a Chinese error unless 0 ≤ value ≤ high percent."""
    from core.base import InvalidInput

    raw = str(value).strip()
    text = raw.rstrip("%％").strip()
    hint = f"例如 {option} 10 表示 10%。"
    try:
        v = float(text)
    except ValueError:
        raise InvalidInput(f"{option} 的值“{value}”不是数字。", hint) from None
    if text != raw and 0 <= v <= high:  # written with a % sign
        return v / 100
    if v == 0 or 0 < v < 1:
        return v
    if 1 <= v <= high:
        return v / 100
    raise InvalidInput(f"{option} 的值“{value}”不在 0 到 {high:g} 之间。", hint)


def max_cut_of(args: argparse.Namespace) -> float:
    """--max-cut as a fraction (10 or 10% or 0.1 → 0.1); a Chinese error otherwise."""
    return _percent(args.max_cut, "--max-cut")


def _money(value: Any, option: str) -> float:
    from core.base import InvalidInput

    try:
        v = float(str(value).strip().removesuffix("元"))
    except ValueError:
        v = -1.0
    if not 0 <= v <= 100:
        raise InvalidInput(f"{option} 的值“{value}”不是 0 到 100 之间的金额。",
                           f"例如 {option} 5。")  # fmt: skip
    return v


def days_of(args: argparse.Namespace) -> int:
    from core.base import InvalidInput

    try:
        days = int(str(getattr(args, "days", 90)).strip())
        if days < 0:
            raise ValueError
    except ValueError:
        raise InvalidInput(f"--days 的值“{args.days}”不是非负整数。", "例如 --days 90。") from None
    return days


def offer_options_of(args: argparse.Namespace) -> Any:
    """The OfferOptions these arguments ask for: the settings' values, then the options."""
    from core.base import load_settings
    from core.marketing import OfferOptions

    options = OfferOptions().with_settings(load_settings())
    changes: dict[str, Any] = {
        "fit_usage": bool(getattr(args, "fit_usage", False)),
        "max_cut": max_cut_of(args),
        "retention": bool(getattr(args, "retention", False)),
        "retention_cap": _percent(getattr(args, "retention_cap", "20"), "--retention-cap", 90),
        "protect_top": not getattr(args, "allow_top_down", False),
        "contract_days": days_of(args),
    }
    if getattr(args, "seed_by", None):
        changes["seed_by"] = args.seed_by.strip()
    if getattr(args, "seed_share", None) is not None:
        changes["seed_share"] = _percent(args.seed_share, "--seed-share", 30)
    if getattr(args, "spreader_share", None) is not None:
        changes["spreader_share"] = _percent(args.spreader_share, "--spreader-share", 50)
    if getattr(args, "data_rate", None) is not None:
        changes["data_rate"] = _money(args.data_rate, "--data-rate")
    if getattr(args, "voice_rate", None) is not None:
        changes["voice_rate"] = _money(args.voice_rate, "--voice-rate")
    return options.replace(**changes)


def today_of(args: argparse.Namespace) -> dt.date | None:
    """--today as a date (None when not given); a Chinese error when it is not one."""
    from core.base import InvalidInput

    text = getattr(args, "today", None)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(f"--today 的日期“{text}”格式不对。",
                           "请写成 2026-11-20 这样的格式。") from None  # fmt: skip


def check_seed_by(args: argparse.Namespace, customers: Any) -> None:
    """--seed-by names a column this list has (with numbers); a Chinese error otherwise."""
    if getattr(args, "seed_by", None):
        from core.marketing import seed_basis

        seed_basis(customers, args.seed_by.strip(), strict=True)
