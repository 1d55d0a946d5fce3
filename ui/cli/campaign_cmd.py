"""``campaign new FILE --list LIST`` and ``campaign info FILE``: the campaign file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ui.cli.common import print_json
from ui.cli.offer_options import add_offer_options, offer_options_of
from ui.cli.scheme_options import add_scheme_options, scheme_from_args

# Files a campaign must never be written over by mistake (`campaign new 清单.xlsx`).
DOCUMENT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".ods", ".docx", ".doc", ".pdf",
                     ".json", ".png", ".jpg", ".html", ".htm", ".zip"}  # fmt: skip


def add_parser(sub) -> None:
    p = sub.add_parser(
        "campaign",
        help="营销活动文件：新建、查看、分配走访人员、目标、战报、第二轮、加入名单、推送到城市数据库",
        description="营销活动（一个 .jzt 文件）保存客户清单、分档、主推套餐、生成的文件记录和全部走访记录，"
        "可以复制到 U 盘或用邮件发送。",
    )
    actions = p.add_subparsers(dest="action", title="操作", metavar="<操作>", required=True,
                               parser_class=type(p))  # fmt: skip
    new = actions.add_parser(
        "new",
        help="从客户清单新建营销活动",
        description="导入客户清单，分档并生成主推套餐，把这些连同分档方案、套餐库和规则一起存进一个新的"
        "营销活动文件（.jzt）。之后用 visits-export 导出走访表，visits-import 导入走访结果。",
    )
    new.add_argument("file", metavar="FILE", help="要新建的营销活动文件（如 城东扫场.jzt）")
    new.add_argument(
        "--list", metavar="LIST", required=True, help="客户清单文件（.xlsx/.xls/.csv 等）"
    )
    new.add_argument("--sheet", metavar="NAME", help="客户清单的工作表名称或序号（默认自动找）")
    new.add_argument("--map", metavar="字段=列名", action="append", default=[],
                     help="指定某字段对应的列，可重复，例如 --map spend=出账收入")  # fmt: skip
    add_scheme_options(new)
    add_offer_options(new)
    new.add_argument("--name", metavar="名称", help="活动名称（默认用文件名）")
    new.add_argument("--market", metavar="市场", help="聚类市场（默认取清单中最多的聚类市场）")
    new.add_argument(
        "--branch", metavar="单位", help="单位，如 城东分公司（默认取设置中的单位名称）"
    )
    new.add_argument("--start", metavar="YYYY-MM-DD", help="开始日期（默认今天）")
    new.add_argument("--end", metavar="YYYY-MM-DD", help="结束日期（可不填）")
    new.add_argument("--staff", metavar="张三,李四", help="参加走访的人员，逗号分隔")
    new.add_argument("--force", action="store_true", help="活动文件已存在时覆盖")
    new.add_argument("--json", action="store_true", help="完成后以 JSON 输出活动信息")
    new.set_defaults(run=run_new)
    info = actions.add_parser("info", help="查看营销活动的信息和进度",
                              description="显示营销活动的名称、来源清单、客户数、分档、走访进度和导入记录。")  # fmt: skip
    info.add_argument("file", metavar="FILE", help="营销活动文件（.jzt）")
    info.add_argument("--json", action="store_true", help="以 JSON 格式输出（供脚本使用）")
    info.set_defaults(run=run_info)
    from ui.cli.campaign_push import add_parsers as push_parsers
    from ui.cli.campaign_round import add_parsers as round_parsers
    from ui.cli.campaign_sweep import add_parsers as sweep_parsers

    sweep_parsers(actions)
    round_parsers(actions)
    push_parsers(actions)


def campaign_path(text: str) -> Path:
    """The campaign file to write: ``.jzt`` added when there is no extension; never an
    Excel/Word/… name (a typo that would overwrite the customer list)."""
    from core.base import InvalidInput
    from core.campaign import SUFFIX

    path = Path(text)
    if not path.suffix:
        return path.with_name(path.name + SUFFIX)
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        raise InvalidInput(
            f"营销活动文件不能以 {path.suffix} 结尾：{path.name}。",
            f"请用 {SUFFIX} 作为扩展名，例如 {path.stem}{SUFFIX}（客户清单用 --list 指定）。",
        )
    return path


def _date(text: str | None, option: str):
    import datetime as dt

    from core.base import InvalidInput

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{option} 的日期“{text}”格式不对。",
                           "请写成 2026-12-01 这样的格式。") from None  # fmt: skip


def _most_common(frame, key: str) -> str:
    if key not in frame.columns:
        return ""
    counts = frame[key].dropna().astype(str).str.strip()
    counts = counts[counts != ""].value_counts()
    return str(counts.index[0]) if len(counts) else ""


def run_new(args: argparse.Namespace) -> int:
    import datetime as dt

    from core.base import check_writable, load_settings
    from core.campaign import Campaign, CampaignInfo
    from core.marketing import load_catalog, make_offers
    from ui.cli.common import load_input

    path = campaign_path(args.file)
    check_writable(path, force=args.force)  # say so before the slow work
    staff = tuple(s for s in (args.staff or "").replace("，", ",").replace("、", ",").split(","))
    start = _date(args.start, "--start") or dt.date.today()
    end = _date(args.end, "--end")
    catalog = load_catalog(args.catalog) if args.catalog else load_catalog()
    result = load_input(argparse.Namespace(file=args.list, sheet=args.sheet, map=args.map,
                                           json=args.json))  # fmt: skip
    customers = result.customers
    scheme = scheme_from_args(args, customers)
    policy = offer_options_of(args)
    offers = make_offers(customers, scheme, catalog, options=policy)
    info = CampaignInfo(
        name=args.name or path.stem,
        market=args.market or _most_common(customers, "market"),
        branch=args.branch or load_settings().branch,
        start_date=start,
        end_date=end,
        staff=staff,
    )
    options = policy.to_dict()
    with Campaign.create(path, offers, info, scheme=scheme, catalog=catalog, source=result,
                         options=options, force=args.force) as campaign:  # fmt: skip
        if args.json:
            print_json(campaign.describe())
            return 0
        counts = campaign.counts()
    print(f"已新建营销活动：{path}（{counts['customers']} 位客户，分档方案：{scheme.name}）")
    print(f'下一步：python main.py visits-export "{path}" --out 走访表.xlsx 导出走访表，'
          "填好后用 visits-import 导入。")  # fmt: skip
    sys.stdout.flush()
    return 0


def run_info(args: argparse.Namespace) -> int:
    from core.campaign import Campaign

    with Campaign.open(args.file, readonly=True) as campaign:
        data = campaign.describe()
    if args.json:
        print_json(data)
        return 0
    src = data.get("source") or {}
    print(f"营销活动：{data['name']}")
    for label, key in (("聚类市场", "market"), ("单位", "branch"), ("开始日期", "start_date"),
                       ("结束日期", "end_date")):  # fmt: skip
        if data.get(key):
            print(f"{label}：{data[key]}")
    if data.get("staff"):
        print(f"走访人员：{'、'.join(data['staff'])}")
    if src:
        print(
            f"客户清单：{src.get('file')}（工作表 {src.get('sheet')}，SHA-256 {src.get('sha256', '')[:12]}…）"
        )
    bands = "，".join(f"{b} {n} 位" for b, n in data["bands"].items())
    print(f"客户：{data['customers']} 位（{bands}）")
    print(f"走访：{data['visits']} 条记录，已走访 {data['visited']} 位客户，"
          f"未走访 {data['customers'] - data['visited']} 位")  # fmt: skip
    print(f"生成文件记录：{data['documents']} 条；导入走访表：{len(data['imports'])} 次")
    new = {o: n for o, n in data["origins"].items() if o != "清单"}
    if new:
        print("其中新加入：" + "，".join(f"{o} {n} 位" for o, n in new.items()))
    if data["assigned"]:
        total = sum(data["assigned"].values())
        print(f"分配：{'，'.join(f'{p} {n} 位' for p, n in data['assigned'].items())}"
              f"（未分配 {data['customers'] - total} 位）")  # fmt: skip
    else:
        print("分配：还没有分配（用 campaign assign 把客户分给走访人员）")
    rnd = data["round"]
    if rnd.get("number", 1) > 1:
        prev = rnd.get("previous") or {}
        print(f"第 {rnd['number']} 轮（上一轮：{prev.get('name', '')}，{prev.get('file', '')}；"
              f"条件：{rnd.get('rule', '')}）")  # fmt: skip
    if data["targets"]:
        from ui.cli.campaign_sweep import print_progress

        with Campaign.open(args.file, readonly=True) as campaign:
            print_progress(campaign.results("staff").target_progress())
    return 0
