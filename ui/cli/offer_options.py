"""Options that decide each customer's offer, shared by offers / proposals / sheets."""

from __future__ import annotations

import argparse


def add_offer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="X.xlsx",
                        help="套餐库文件（默认使用程序自带的套餐库）")  # fmt: skip
    parser.add_argument(
        "--fit-usage",
        action="store_true",
        help="按客户实际流量/通话推荐够用的最便宜套餐（月费降幅不超过 --max-cut）",
    )
    parser.add_argument(
        "--max-cut",
        metavar="百分比",
        default="10",
        help="推荐套餐最多让客户月费降低多少，默认 10（即 10%%）；超过时不推更便宜的主推套餐，"
        "改推备选或建议保持现套餐",
    )


def max_cut_of(args: argparse.Namespace) -> float:
    """--max-cut as a fraction (10 or 10% or 0.1 → 0.1); a Chinese error otherwise."""
    from core.base import InvalidInput

    text = str(args.max_cut).strip().rstrip("%％")
    try:
        cut = float(text)
    except ValueError:
        raise InvalidInput(
            f"--max-cut 的值“{args.max_cut}”不是数字。", "例如 --max-cut 10 表示最多降 10%。"
        ) from None
    if cut == 0:
        return 0.0
    if 0 < cut < 100:
        return cut / 100 if cut >= 1 else cut
    raise InvalidInput(
        f"--max-cut 的值“{args.max_cut}”不在 0 到 99 之间。", "例如 --max-cut 10 表示最多降 10%。"
    )
