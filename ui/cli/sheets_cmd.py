"""``sheets FILE --out DIR``: a 《信息反馈表》 (visit feedback sheet) per customer."""

from __future__ import annotations

import argparse

from ui.cli.proposals_cmd import add_letter_options, run_letters

KIND = "反馈表"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "sheets",
        help="为每位客户生成《信息反馈表》（走访时用笔勾选填写）",
        description="读取客户清单，按分档推荐套餐，为每位客户生成一页《信息反馈表》：客户信息、"
        "推荐方案、走访结果/办理渠道/客户顾虑勾选框、意见建议和竞争对手信息横线、跟进安排。",
    )
    add_letter_options(p, KIND)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_letters(args, KIND)
