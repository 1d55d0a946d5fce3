"""``results FILE [FILE …] [--by band|staff|branch|FIELD]``: the campaign funnel."""

from __future__ import annotations

import argparse

from ui.cli.common import print_json

COLUMNS = (("planned", "计划"), ("visited", "已走访"), ("met", "见到决策人"),
           ("interested", "有意向"), ("signed", "已成交"))  # fmt: skip
SIGN_RATE = "成交率(占已走访)"  # the same headings as the report's 走访结果 sheet
CONVERSION = "总转化率"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "results",
        help="走访结果：计划 → 已走访 → 见到决策人 → 有意向 → 已成交，按档位/走访人/单位统计",
        description="统计一个或多个营销活动（例如每个县一个文件）的走访漏斗、转化率、已成交客户的月收入变化、"
        "客户顾虑、7 天内待跟进和未走访的客户。多个文件一起统计时不需要合并或复制数据。",
    )
    p.add_argument("files", metavar="FILE", nargs="+", help="营销活动文件（.jzt），可以给多个")
    p.add_argument("--by", metavar="band|staff|branch|FIELD", default="band",
                   help="分组：band 档位（默认）、staff 走访人（按最近一次走访）、branch 单位，"
                   "或客户清单的字段，如 grid 网格、manager 客户经理、industry 行业（也可写中文名）")  # fmt: skip
    p.add_argument("--today", metavar="YYYY-MM-DD", help="统计日期（默认今天，决定哪些跟进到期）")
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出（供脚本使用）")
    p.set_defaults(run=run)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from core.base import InvalidInput, fmt_yuan
    from core.campaign import combined_results

    today = None
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today.strip())
        except ValueError:
            raise InvalidInput(f"--today 的日期“{args.today}”格式不对。",
                               "请写成 2026-12-01 这样的格式。") from None  # fmt: skip
    results = combined_results(args.files, by=args.by, today=today)
    if args.json:
        print_json(results.to_dict())
        return 0
    rows = results.rows()
    first = max([_width(results.by_label), *(_width(g) for g, _ in rows)]) + 2
    head = _pad(results.by_label, first) + "".join(_pad(h, 11, True) for _, h in COLUMNS)
    # the report's and the JSON's words: 成交率 = signed of visited, 总转化率 = signed of planned
    print(head + _pad(SIGN_RATE, 18, True) + _pad(CONVERSION, 10, True)
          + _pad("月收入变化(元)", 16, True))  # fmt: skip
    for group, f in rows:
        cells = "".join(_pad(str(getattr(f, k)), 11, True) for k, _ in COLUMNS)
        rates = f.rates()
        print(_pad(group, first) + cells + _pad(_pct(rates["sign_rate"]), 18, True)
              + _pad(_pct(rates["conversion_rate"]), 10, True)
              + _pad(fmt_yuan(f.revenue_change), 16, True))  # fmt: skip
    total = results.total
    raised = "，".join(f"{o} {n} 位" for o, n in total.objections.items() if n)
    print(f"客户顾虑：{raised or '无'}")
    print(f"未走访 {total.not_visited} 位；7 天内待跟进 {total.follow_ups_due} 位，"
          f"跟进已过期 {total.follow_ups_overdue} 位。")  # fmt: skip
    if total.signed_without_fee:
        print(
            f"{total.signed_without_fee} 位已成交客户缺少签约月费或原月均消费，未计入月收入变化。"
        )
    for item in results.follow_ups[:20]:
        print(f"  跟进 {item.date:%m-%d}：{item.name}（{item.key}，{item.visitor}，{item.intent}）")
    if len(results.follow_ups) > 20:
        print(f"  …… 共 {len(results.follow_ups)} 位，用 --json 查看全部。")
    return 0
