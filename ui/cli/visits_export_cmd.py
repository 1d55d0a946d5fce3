"""``visits-export FILE --out X.xlsx``: the 走访记录 workbook staff fill in."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser(
        "visits-export",
        help="导出走访记录表（Excel，填好后用 visits-import 导入）",
        description="为营销活动的客户导出走访记录表：第一张工作表“走访记录”，每位客户一行，"
        "方式、是否见到决策人、意向、异议有下拉列表，客户信息列锁定，打印时每页重复表头、留有手写空间。"
        "手机号码默认打码。",
    )
    p.add_argument("file", metavar="FILE", help="营销活动文件（.jzt）")
    p.add_argument("--out", metavar="X.xlsx", required=True, help="输出的 Excel 文件")
    p.add_argument("--band", metavar="档位", action="append", default=[],
                   help="只导出某些档位的客户，可重复或用逗号分隔，例如 --band 高端,中高端")  # fmt: skip
    p.add_argument("--not-visited", action="store_true", help="只导出还没有走访过的客户")
    p.add_argument("--staff", metavar="张三",
                   help="只导出分给这个人的客户（campaign assign 分配），走访人一栏预先填好")  # fmt: skip
    p.add_argument("--unmask", action="store_true",
                   help="完整显示客户手机号码（默认打码为 138****5678）")  # fmt: skip
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.set_defaults(run=run)


def bands_of(items: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        for sep in ("，", "、", ";"):
            item = item.replace(sep, ",")
        out += [b.strip() for b in item.split(",") if b.strip()]
    return tuple(dict.fromkeys(out))


def check_staff(campaign, name: str | None) -> str:
    """The person whose customers are asked for ('' for everyone); InvalidInput naming who
    has customers when nobody is assigned to them."""
    if name is None:
        return ""
    campaign.assigned_to(name)
    return name.strip()


def run(args: argparse.Namespace) -> int:
    from core.base import InvalidInput, check_writable
    from core.campaign import Campaign
    from core.reporting import write_visits_xlsx

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput(f"走访表必须以 .xlsx 结尾：{out.name}", "例如：--out 走访表.xlsx")
    check_writable(out, force=args.force)
    bands = bands_of(args.band)
    with Campaign.open(args.file) as campaign:
        known = campaign.scheme().labels
        wrong = [b for b in bands if b not in known]
        if wrong:
            raise InvalidInput(f"营销活动中没有档位“{'、'.join(wrong)}”。",
                               f"可选的档位：{'、'.join(known)}。")  # fmt: skip
        staff = check_staff(campaign, args.staff)
        campaign.check_writable()  # the export is recorded in it: refuse before writing

        def record(keys: list[str]) -> None:  # if this fails, the workbook is taken back
            campaign.log_documents("走访记录表", "visits-export", keys, [out.name] * len(keys))

        path, keys = write_visits_xlsx(campaign, out, bands=bands, unmask=args.unmask,
                                       not_visited=args.not_visited, staff=staff,
                                       force=args.force, then=record)  # fmt: skip
    if not keys:
        print(f"已导出走访表：{path}，但没有符合条件的客户（只有表头和空行）。")
        return 0
    whose = f"，分给{staff}的" if staff else ""
    print(f"已导出走访表：{path}（{len(keys)} 位客户{whose}）。")
    print(f'填好后用 python main.py visits-import "{args.file}" "{path}" 导入。')
    return 0
