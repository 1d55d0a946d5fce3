"""``campaign follow-up`` (the second round) and ``campaign add`` (prospects from another
list) — the campaign's customers after the first sweep."""

from __future__ import annotations

import argparse

from ui.cli.common import PROG, print_json


def add_parsers(actions) -> None:
    follow = actions.add_parser(
        "follow-up",
        help="建立第二轮（二次营销）活动：有意向、考虑中、到期跟进或未走访的客户",
        description="按每位客户最近一次走访，把还要继续跟进的客户放进一个新的营销活动文件：默认是意向为"
        "有意向、考虑中的客户；--due 加上 7 天内要跟进（或已过期）的，--not-visited 加上还没走访的。"
        "新文件保存这些客户以前各轮的走访（作为历史，不计入第二轮的统计）、分配、分档方案和套餐库；"
        "给出 --catalog 或 --edges 时按新的套餐库或分档重新推荐。",
    )
    follow.add_argument("file", metavar="FILE", help="这一轮的营销活动文件（.jzt）")
    follow.add_argument("--out", metavar="第二轮.jzt", required=True, help="新的营销活动文件")
    follow.add_argument("--intent", metavar="有意向,考虑中", action="append", default=[],
                        help="最近一次走访的意向，逗号分隔（不写 --intent、--due、--not-visited 时"
                        "默认 有意向,考虑中）")  # fmt: skip
    follow.add_argument("--due", action="store_true", help="加上 7 天内要跟进或跟进已过期的客户")
    follow.add_argument("--not-visited", action="store_true", help="加上还没有走访的客户")
    follow.add_argument("--name", metavar="名称", help="新活动的名称（默认“原名称（第2轮）”）")
    follow.add_argument("--today", metavar="YYYY-MM-DD", help="今天的日期（决定哪些跟进到期）")
    follow.add_argument("--catalog", metavar="X.xlsx", help="换用新的套餐库（按它重新推荐）")
    follow.add_argument("--edges", metavar="50,100,200", help="换用新的分档边界（按它重新推荐）")
    follow.add_argument("--labels", metavar="低端,中端,…", help="各档名称（与 --edges 一起用）")
    follow.add_argument("--force", action="store_true", help="新文件已存在时覆盖")
    follow.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    follow.set_defaults(run=run_follow_up)

    add = actions.add_parser(
        "add",
        help="把另一份名单（如物管名单：店名、铺位、电话，可以没有消费）加进营销活动",
        description="把另一份名单的客户加进营销活动。有月均消费的按本活动的分档和套餐推荐；没有消费的"
        "（物管、市场办提供的商户名单）作为“潜在客户”加入：不分档，推荐入门套餐，建议书写明。"
        "号码已在活动中的客户不重复加入；同一份名单加两次不会重复。",
    )
    add.add_argument("file", metavar="FILE", help="营销活动文件（.jzt）")
    add.add_argument("--list", metavar="LIST", required=True, help="名单文件（.xlsx/.xls/.csv 等）")
    add.add_argument("--sheet", metavar="NAME", help="名单的工作表名称或序号（默认自动找）")
    add.add_argument("--map", metavar="字段=列名", action="append", default=[],
                     help="指定某字段对应的列，例如 --map name=商户名称 --map address=铺位号")  # fmt: skip
    add.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    add.set_defaults(run=run_add)


def run_follow_up(args: argparse.Namespace) -> int:
    from core.base import check_writable
    from core.campaign import Campaign
    from ui.cli.campaign_cmd import campaign_path
    from ui.cli.campaign_sweep import parse_day

    out = campaign_path(args.out)
    check_writable(out, force=args.force)
    today = parse_day(args.today, "--today")
    catalog = scheme = None
    if args.catalog:
        from core.marketing import load_catalog

        catalog = load_catalog(args.catalog)
    if args.edges is not None or args.labels is not None:
        from ui.cli.scheme_options import scheme_from_args

        scheme = scheme_from_args(args)
    with Campaign.open(args.file, readonly=True) as campaign:
        report = campaign.follow_up(out, intents=",".join(args.intent), due=args.due,
                                    not_visited=args.not_visited, today=today, name=args.name,
                                    scheme=scheme, catalog=catalog, force=args.force)  # fmt: skip
    if args.json:
        print_json(report.to_dict())
        return 0
    why = "，".join(f"{k} {n} 位" for k, n in report.reasons.items())
    print(f"已建立第 {report.round} 轮营销活动：{out}（{report.customers} 位客户：{why}）。")
    print(f"条件：{report.rule}。带上以前的走访 {report.history} 条（作为历史，不计入本轮统计），"
          f"沿用分配 {report.assigned} 位。")  # fmt: skip
    if report.reoffered:
        print("已按新的套餐库或分档重新推荐套餐。")
    print(f'两轮一起看：{PROG} results "{args.file}" "{out}" --by round')
    return 0


def run_add(args: argparse.Namespace) -> int:
    from core.campaign import Campaign
    from core.importing import import_file
    from ui.cli.common import parse_overrides

    with Campaign.open(args.file) as campaign:
        campaign.check_writable()  # before reading the list
        listed = import_file(args.list, sheet=args.sheet, overrides=parse_overrides(args.map),
                             require_spend=False)  # fmt: skip
        report = campaign.add_prospects(listed)
    if args.json:
        print_json(report.to_dict())
        return 0
    print(f"已把 {len(report.keys)} 位客户加入营销活动 {args.file}：潜在客户（没有消费，不分档）"
          f"{report.prospects} 位，在网客户（有消费，已分档推荐）{report.listed} 位。")  # fmt: skip
    if report.already:
        print(f"另有 {report.already} 位的号码或客户编号已在活动中，没有重复加入。")
    shown = {k: n for k, n in report.problems.items() if k not in ("missing_spend",)}
    if shown:
        print(f'名单里有 {sum(shown.values())} 个问题行，详见 {PROG} inspect "{args.list}"。')
    if report.keys:
        print(f'下一步：{PROG} campaign assign "{args.file}" --staff 张三,李四 --unassigned '
              "把新加入的客户分给走访人员。")  # fmt: skip
    return 0
