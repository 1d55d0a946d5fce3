"""Band-scheme options shared by segment, offers, report, chart and proposals."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from core.marketing import BandScheme


def add_scheme_options(parser: argparse.ArgumentParser) -> None:
    """--edges / --quantiles / --pareto / --round / --scheme (only one of them)."""
    group = parser.add_argument_group("分档方式（任选其一，默认 50/100/200 元）")
    ex = group.add_mutually_exclusive_group()
    ex.add_argument(
        "--edges",
        metavar="50,100,200",
        help="自定义分档边界（元，从小到大，逗号分隔）；等于边界的归入较高一档；"
        "边界不能是负数，也不能为空",
    )
    ex.add_argument(
        "--quantiles",
        metavar="N",
        help="按人数等分为 N 档（消费相同的客户过多时自动合并档位并提示）",
    )
    ex.add_argument(
        "--pareto",
        metavar="P",
        help="二八分档：P 为收入占比，0.5 到 1 之间的小数或 50 到 100 之间的百分数"
        "（如 0.8、80 或 80%%）；或写加起来等于 100 的客户比例，如 20,30,50",
    )
    ex.add_argument(
        "--round",
        metavar="N",
        dest="round_bands",
        help="根据数据自动建议约 N 档的整数边界（如 50/100/200）",
    )
    ex.add_argument("--scheme", metavar="FILE.json", help="使用保存的分档方案文件")
    group.add_argument(
        "--labels",
        metavar="低端,中端,…",
        help="各档名称（逗号分隔，个数 = 边界数 + 1，仅与 --edges 一起用）",
    )


# option key -> (as typed, what to write instead of an empty value)
_EMPTY_HINTS = {
    "edges": ("--edges", "请写从小到大、逗号分隔的非负金额，例如：--edges 50,100,200"),
    "quantiles": ("--quantiles", "请写 1 到 20 之间的档数，例如：--quantiles 4"),
    "pareto": ("--pareto", "请写收入占比（如 --pareto 80）或客户比例（如 --pareto 20,30,50）"),
    "round_bands": ("--round", "请写大约要分几档，例如：--round 4"),
    "scheme": ("--scheme", "请写保存的分档方案文件，例如：--scheme 我的分档.json"),
    "labels": ("--labels", "请写各档名称，例如：--edges 50,100 --labels 低端,中端,高端"),
}


def _split(text: str) -> list[str]:
    for sep in ("，", "、", ";", " "):
        text = text.replace(sep, ",")
    return [p.strip() for p in text.split(",") if p.strip()]


def scheme_from_args(args: argparse.Namespace, customers: pd.DataFrame | None = None) -> BandScheme:
    """The scheme the options ask for; InvalidInput (Chinese) for bad values."""
    from core.base import InvalidInput
    from core.marketing import bands

    spend = customers["spend"] if customers is not None else None
    for key, (opt, example) in _EMPTY_HINTS.items():
        value = getattr(args, key, None)
        if value is not None and not str(value).strip():  # --edges "" must not mean the default
            raise InvalidInput(f"{opt} 后面没有写内容。", example)
    labels = getattr(args, "labels", None)
    if labels is not None and getattr(args, "edges", None) is None:
        raise InvalidInput(
            "--labels 只能与 --edges 一起使用。", "例如：--edges 50,100 --labels 低端,中端,高端"
        )
    if getattr(args, "edges", None) is not None:
        return bands.scheme_from_edges(
            bands.parse_edges(args.edges), labels=_split(labels) if labels else None
        )
    if getattr(args, "scheme", None) is not None:
        return bands.load_scheme(args.scheme)
    data_needed = any(
        getattr(args, k, None) is not None for k in ("quantiles", "pareto", "round_bands")
    )
    if data_needed and spend is None:
        raise InvalidInput("按数据分档需要客户清单。", "请同时给出客户清单文件。")
    if getattr(args, "quantiles", None) is not None:
        return bands.quantile_scheme(spend, args.quantiles.strip())
    if getattr(args, "round_bands", None) is not None:
        return bands.round_scheme(spend, args.round_bands.strip())
    if getattr(args, "pareto", None) is not None:
        parts = _split(args.pareto)
        if len(parts) > 1:
            return bands.pareto_tiers_scheme(spend, parts)
        return bands.pareto_scheme(spend, parts[0])
    return bands.default_scheme()
