"""``results FILE [FILE …] [--by …] [--from D] [--to D]``: the campaign funnel and what
worked (packages taken, objections, suggestions), targets and new customers."""

from __future__ import annotations

import argparse

from core.base import InvalidInput
from ui.cli.city_options import add_db_option, branches_of
from ui.cli.common import print_json

COLUMNS = (("planned", "计划"), ("visited", "已走访"), ("met", "见到决策人"),
           ("interested", "有意向"), ("signed", "已成交"))  # fmt: skip
SIGN_RATE = "成交率(占已走访)"  # the same headings as the report's 走访结果 sheet
CONVERSION = "总转化率"
FOLLOW_UPS_SHOWN = 20
QUOTED_GROUPS = 10  # groups whose quotes the text shows (all are in --json)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "results",
        help="走访结果：计划 → 已走访 → 见到决策人 → 有意向 → 已成交，按档位/走访人/推荐套餐/日期等统计",
        description="统计一个或多个营销活动（例如每个县一个文件，或第一轮、第二轮）的走访漏斗、转化率、"
        "已成交客户的月收入变化、签的是不是推荐套餐、客户顾虑和建议（附几条原话）、新增客户、目标进度、"
        "7 天内待跟进和未走访的客户。多个文件一起统计时不需要合并或复制数据。"
        "给出 --db 时统计城市数据库里各县推送的营销活动（--branch 只统计某些单位），结果与统计同样的"
        "文件完全一致。",
    )
    p.add_argument("files", metavar="FILE", nargs="*",
                   help="营销活动文件（.jzt），可以给多个；用 --db 时不给")  # fmt: skip
    add_db_option(p)
    p.add_argument("--branch", metavar="单位", action="append", default=[],
                   help="与 --db 一起用：只统计这些单位的营销活动（可重复，或用逗号分隔）")  # fmt: skip
    p.add_argument("--by", metavar="band|staff|…", action="append", default=[],
                   help="分组：band 档位（默认）、staff 走访人（按分配，未分配的按最近一次走访）、"
                   "branch 单位、plan 推荐套餐、tag 客户标签、day 日期（当天的走访）、origin 客户来源、"
                   "round 轮次，或客户清单的字段，如 grid 网格、manager 客户经理（也可写中文名）；"
                   "可以组合：--by staff --by day 或 --by staff,day")  # fmt: skip
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                   help="只统计这一天及以后的走访")  # fmt: skip
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="只统计这一天及以前的走访")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="统计日期（默认今天，决定哪些跟进到期）")
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出（供脚本使用）")
    p.set_defaults(run=run)


def width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    space = " " * max(size - width(text), 0)
    return space + text if right else text + space


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _table(results) -> None:
    from core.base import fmt_yuan

    rows = results.rows()
    first = max([width(results.by_label), *(width(g) for g, _ in rows)]) + 2
    head = pad(results.by_label, first) + "".join(pad(h, 11, True) for _, h in COLUMNS)
    # the report's and the JSON's words: 成交率 = signed of visited, 总转化率 = signed of planned
    print(head + pad(SIGN_RATE, 18, True) + pad(CONVERSION, 10, True)
          + pad("月收入变化(元)", 16, True))  # fmt: skip
    for group, f in rows:
        cells = "".join(pad("—" if k == "planned" and f.activity else str(getattr(f, k)), 11,
                            True) for k, _ in COLUMNS)  # fmt: skip
        rates = f.rates()
        print(pad(group, first) + cells + pad(_pct(rates["sign_rate"]), 18, True)
              + pad(_pct(rates["conversion_rate"]), 10, True)
              + pad(fmt_yuan(f.revenue_change), 16, True))  # fmt: skip


def _what_worked(results) -> None:
    from core.campaign import COMPETITOR, SUGGESTION, TOOK

    total = results.total
    if total.signed:
        took = "，".join(f"{label} {getattr(total, k)} 位" for k, label in TOOK.items())
        print(f"已成交 {total.signed} 位：{took}。")
        packages = sorted(total.signed_packages.items(), key=lambda kv: (-kv[1], kv[0]))
        print("签约套餐：" + "，".join(f"{p} {n} 位" for p, n in packages[:8]))
    raised = "，".join(f"{o} {n} 位" for o, n in total.objections.items() if n)
    print(f"客户顾虑：{raised or '无'}")
    print(
        f"提了建议的客户 {total.suggestions} 位，记下竞争对手信息的 {total.competitor_notes} 位。"
    )
    groups = [(g, f) for g, f in results.rows()[:-1] if f.quotes] if len(results.groups) > 1 else []
    for name, f in groups[:QUOTED_GROUPS] or [("", total)]:
        for kind in (SUGGESTION, COMPETITOR):
            for q in f.quotes.get(kind, []):
                where = f"{name}｜" if name else ""
                print(f"  {where}{kind}：“{q.text}”——{q.name}（{q.visitor} {q.date:%m-%d}）")


def _funnel_and_new(results) -> None:
    total = results.total
    pb = total.playbook()
    if total.visited:
        print(f"过客 → 看客 → 顾客：{pb['过客']} → {pb['看客']} → {pb['顾客']}（看客率 "
              f"{_pct(pb['看客率'])}，顾客率 {_pct(pb['顾客率'])}；手册参考 50%、40%）")  # fmt: skip
    if total.added:
        print(f"新增客户：本轮加入的潜在客户和现场新增 {total.added} 位，已走访 {total.added_visited} 位，"
              f"签约（新入网）{total.added_signed} 位。")  # fmt: skip


def _db_results(args: argparse.Namespace, today, date_from, date_to):
    """The same results over the city database's campaigns (of some 单位)."""
    from core.campaign import CityDatabase

    if args.files:
        raise InvalidInput("--db 统计城市数据库时不再给出营销活动文件。",
                           "请去掉文件名，或去掉 --db 只统计这些文件。")  # fmt: skip
    with CityDatabase.open(args.db) as city:
        return city.results(args.by or "band", today, date_from, date_to,
                            branches_of(args.branch))  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from core.campaign import combined_results
    from ui.cli.campaign_sweep import parse_day, print_progress

    today = parse_day(args.today, "--today")
    date_from = parse_day(args.date_from, "--from")
    date_to = parse_day(args.date_to, "--to")
    if args.db is not None:
        results = _db_results(args, today, date_from, date_to)
    else:
        if args.branch:
            raise InvalidInput("--branch 只能与 --db 一起用。",
                               "统计文件时请只给出要统计的那些 .jzt 文件。")  # fmt: skip
        if not args.files:
            raise InvalidInput("请给出营销活动文件（.jzt），或用 --db 统计城市数据库。",
                               "例如：python main.py results 城东.jzt 城西.jzt --by branch")  # fmt: skip
        results = combined_results(args.files, by=args.by or "band", today=today,
                                   date_from=date_from, date_to=date_to)  # fmt: skip
    if args.json:
        print_json(results.to_dict())
        return 0
    _table(results)
    total = results.total
    print(f"未走访 {total.not_visited} 位；7 天内待跟进 {total.follow_ups_due} 位，"
          f"跟进已过期 {total.follow_ups_overdue} 位。")  # fmt: skip
    if total.signed_without_fee:
        print(
            f"{total.signed_without_fee} 位已成交客户缺少签约月费或原月均消费，未计入月收入变化。"
        )
    _what_worked(results)
    _funnel_and_new(results)
    if results.targets:
        print_progress(results.target_progress())
    for item in results.follow_ups[:FOLLOW_UPS_SHOWN]:
        print(f"  跟进 {item.date:%m-%d}：{item.name}（{item.key}，{item.visitor}，{item.intent}）")
    if len(results.follow_ups) > FOLLOW_UPS_SHOWN:
        print(f"  …… 共 {len(results.follow_ups)} 位，用 --json 查看全部。")
    for note in results.notes:
        print(f"说明：{note}")
    return 0
