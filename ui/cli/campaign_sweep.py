"""``campaign assign`` / ``campaign target`` / ``campaign board``: who visits whom, the
targets, and the day's board for the morning and evening meetings."""

from __future__ import annotations

import argparse
import datetime as dt

from ui.cli.common import PROG, print_json


def add_parsers(actions) -> None:
    assign = actions.add_parser(
        "assign",
        help="把客户分给走访人员（均分、按网格、各档均分、客户经理先认领）",
        description="把营销活动的客户分给走访人员。默认按人数均分，清单有网格（或楼宇、片区）列时同一网格"
        "尽量分给同一个人；--by grid 按网格整片分，--by band 每人各档客户一样多，--by manager 清单“客户经理”"
        "列是走访人员的客户先归他，其余均分。重新分配不影响已有的走访记录。",
    )
    assign.add_argument("file", metavar="FILE", help="营销活动文件（.jzt）")
    assign.add_argument("--staff", metavar="张三,李四,王五", required=True,
                        help="走访人员，逗号分隔（不在活动人员名单里的会加进去）")  # fmt: skip
    assign.add_argument("--by", metavar="balanced|grid|band|manager", default="balanced",
                        help="分配方式：balanced 均分（默认）、grid 按网格整片分、band 各档均分、"
                        "manager 客户经理先认领")  # fmt: skip
    assign.add_argument("--unassigned", action="store_true",
                        help="只分配还没有分配的客户（例如刚用 campaign add 加入的），已分配的不变")  # fmt: skip
    assign.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    assign.set_defaults(run=run_assign)

    target = actions.add_parser(
        "target",
        help="设定走访目标（全队签约数、走访数、每人签约数）",
        description="设定营销活动的目标：全队签约多少户（--signed）、走访多少户（--visited）、每人签约多少户"
        "（--staff 张三=10,李四=8）。results 和 campaign board 会显示完成进度。写 0 取消某个目标。",
    )
    target.add_argument("file", metavar="FILE", help="营销活动文件（.jzt）")
    target.add_argument("--signed", metavar="N", type=_count, help="全队签约目标（户）")
    target.add_argument("--visited", metavar="N", type=_count, help="全队走访目标（户）")
    target.add_argument("--staff", metavar="张三=10", action="append", default=[],
                        help="个人签约目标，可重复或用逗号分隔：--staff 张三=10,李四=8")  # fmt: skip
    target.add_argument("--clear", action="store_true", help="先清除原有的全部目标")
    target.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    target.set_defaults(run=run_target)

    board = actions.add_parser(
        "board",
        help="当天战报：每人走访、签约和目标进度，明天要跟进的客户（晨会、夕会用）",
        description="某一天结束时的战报：每位走访人当天走访几户、见到决策人、有意向、签约几户，"
        "分给他的客户走访了多少，累计签约和个人目标；全队合计与目标；下一天要跟进的客户。"
        "晨会看昨天的战报用 --day 昨天的日期。",
    )
    board.add_argument("file", metavar="FILE", help="营销活动文件（.jzt）")
    board.add_argument("--day", metavar="YYYY-MM-DD", help="哪一天（默认今天）")
    board.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    board.set_defaults(run=run_board)


def _count(text: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"“{text}”不能是负数")
    return value


def parse_day(text: str | None, option: str) -> dt.date | None:
    from core.base import InvalidInput

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{option} 的日期“{text}”格式不对。",
                           "请写成 2026-12-01 这样的格式。") from None  # fmt: skip


def _pairs(items: list[str]) -> dict[str, int]:
    from core.base import InvalidInput

    out: dict[str, int] = {}
    for item in items:
        for part in item.replace("，", ",").replace("、", ",").split(","):
            if not part.strip():
                continue
            name, sep, number = part.replace("＝", "=").partition("=")
            try:
                n = int(number.strip()) if sep else -1
            except ValueError:
                n = -1
            if n < 0 or not name.strip():
                raise InvalidInput(f"--staff 的写法不对：“{part.strip()}”。",
                                   "请写成 姓名=户数，例如 --staff 张三=10,李四=8。")  # fmt: skip
            out[name.strip()] = n
    return out


def run_assign(args: argparse.Namespace) -> int:
    from core.campaign import Campaign

    with Campaign.open(args.file) as campaign:
        report = campaign.assign(args.staff, args.by, only_unassigned=args.unassigned)
    if args.json:
        print_json(report.to_dict())
        return 0
    data = report.to_dict()
    how = data["by_label"]
    if report.place:
        how += f"，同一{report.place}尽量分给同一个人"
    print(f"已分配 {len(report.rows)} 位客户（{how}）：")
    print("  " + "，".join(f"{p} {n} 位" for p, n in report.assigned.items()))
    if report.kept:
        print(f"另有 {report.kept} 位客户保持原来的分配。")
    if report.claimed:
        print("客户经理认领：" + "，".join(f"{p} {n} 位" for p, n in report.claimed.items()))
    if report.other_managers:
        shown = "，".join(f"{p} {n} 位" for p, n in list(report.other_managers.items())[:8])
        print(f"这些客户经理不在走访人员中，他们的客户已均分给大家：{shown}")
    empty = [p for p, n in report.assigned.items() if not n]
    if empty:
        print(f"{'、'.join(empty)} 没有分到客户（整片分配时{report.place or '网格'}比人少）；"
              "要人人有客户，请用 --by balanced。")  # fmt: skip
    if report.split_places:
        print(
            f"有 {report.split_places} 个{report.place}客户太多，分给了不止一个人（按清单顺序连片分开）。"
        )
    first = report.staff[0]
    print(f'下一步：{PROG} visits-export "{args.file}" --staff {first} --out {first}走访表.xlsx '
          "给每人导出自己的走访表。")  # fmt: skip
    return 0


def run_target(args: argparse.Namespace) -> int:
    from core.base import InvalidInput
    from core.campaign import Campaign, Targets

    staff = _pairs(args.staff)
    if args.signed is None and args.visited is None and not staff and not args.clear:
        raise InvalidInput("没有给出目标。", "例如：--signed 30 或 --staff 张三=10,李四=8。")
    with Campaign.open(args.file) as campaign:
        old = Targets() if args.clear else campaign.targets()
        signed = old.signed if args.signed is None else args.signed
        visited = old.visited if args.visited is None else args.visited
        campaign.set_targets(Targets(signed, visited, {**old.staff, **staff}))
        results = campaign.results("staff")
    data = {"targets": results.targets.to_dict(), "progress": results.target_progress()}
    if args.json:
        print_json(data)
        return 0
    print_progress(results.target_progress())
    return 0


def print_progress(progress: dict) -> None:
    """The lines of progress against the targets (results, target, board)."""
    lines = []
    for key, label in (("signed", "签约"), ("visited", "走访")):
        p = progress.get(key)
        if p:
            lines.append(f"全队{label}目标 {p['target']} 户：已完成 {p['done']} 户（{p['rate']:.0%}），"
                         f"还差 {p['left']} 户。")  # fmt: skip
    for name, p in (progress.get("staff") or {}).items():
        if p:
            lines.append(
                f"  {name}：签约目标 {p['target']} 户，已签 {p['done']} 户（{p['rate']:.0%}）。"
            )
    print("\n".join(lines) if lines else "没有设定目标（用 campaign target 设定）。")


def run_board(args: argparse.Namespace) -> int:
    from core.campaign import Campaign
    from ui.cli.results_cmd import pad, width

    day = parse_day(args.day, "--day") or dt.date.today()
    with Campaign.open(args.file, readonly=True) as campaign:
        board = campaign.daily_board(day)
    data = board.to_dict()
    if args.json:
        print_json(data)
        return 0
    print(f"{board.campaign} 战报 {day:%Y-%m-%d}")
    heads = (
        "当天走访",
        "见到决策人",
        "有意向",
        "当天签约",
        "分给他",
        "已走访",
        "累计签约",
        "个人目标",
    )
    first = max([width(p.name) for p in [*board.people, board.team]] + [6]) + 2
    print(pad("走访人", first) + "".join(pad(h, 11, True) for h in heads))
    for p in [*board.people, board.team]:
        cells = (p.customers, p.met, p.interested, p.signed, p.assigned, p.assigned_visited,
                 p.signed_total, p.target or "—")  # fmt: skip
        print(pad(p.name, first) + "".join(pad(str(c), 11, True) for c in cells))
    print_progress({"signed": data["progress"]["signed"], "visited": data["progress"]["visited"]})
    if board.per_day_needed() is not None:
        print(
            f"活动还剩 {board.days_left} 天，要完成签约目标每天需签约约 {board.per_day_needed()} 户。"
        )
    if board.next_visits:
        print(f"下一天要跟进 {len(board.next_visits)} 位：")
        for n in board.next_visits[:20]:
            print(f"  {n.date:%m-%d} {n.person}：{n.name}（{n.key}，{n.intent}）")
        if len(board.next_visits) > 20:
            print("  …… 用 --json 查看全部。")
    return 0
