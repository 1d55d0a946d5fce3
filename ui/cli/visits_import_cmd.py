"""``visits-import FILE X.xlsx [Y.xlsx …]``: filled 走访记录 files into the campaign."""

from __future__ import annotations

import argparse
import sys

from ui.cli.common import print_json

SHOWN = 30  # rows listed per file and kind before "…"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "visits-import",
        help="导入填好的走访记录表（可一次导入多个文件）",
        description="把填好的走访记录表导入营销活动。每个文件要么全部导入、要么都不导入；"
        "填错的行（不在下拉列表里的值、日期或金额不对、客户编号不在本活动中）列出文件、Excel 行号和原因，"
        "不导入，其余的行照常导入。同一个文件导入两次不会重复；同一客户、同一天、同一走访人的不同答案"
        "作为冲突列出，保留已保存的记录。",
    )
    p.add_argument("file", metavar="FILE", help="营销活动文件（.jzt）")
    p.add_argument("visits", metavar="X.xlsx", nargs="+", help="填好的走访记录表（一个或多个）")
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出（供脚本使用）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from core.campaign import Campaign

    with Campaign.open(args.file) as campaign:
        report = campaign.import_visits(args.visits)
    if args.json:
        print_json(report.to_dict())
    else:
        _print(report)
    failed = report.failed
    if failed:
        for f in failed:
            print(f"错误：{f.file} 没有导入：{f.error}", file=sys.stderr)
        return 1
    return 0


def _print(report) -> None:
    for f in report.files:
        if f.error:
            continue
        before = (
            f"（这个文件在 {f.imported_before.replace('T', ' ')} 导入过）"
            if f.imported_before
            else ""
        )
        print(f"{f.file}：导入 {f.imported} 条，重复 {f.duplicates} 条，冲突 {len(f.conflicts)} 条，"
              f"未导入 {len(f.rejected)} 行{before}")  # fmt: skip
        for kind, issues in (("未导入", f.rejected), ("冲突", f.conflicts)):
            for issue in issues[:SHOWN]:
                key = f"（客户编号 {issue.key}）" if issue.key else ""
                print(f"  {kind}：第 {issue.row} 行{key}：{issue.reason}")
            if len(issues) > SHOWN:
                print(f"  …… 另有 {len(issues) - SHOWN} 行{kind}，用 --json 查看全部。")
        if f.rows and len(f.rejected) == f.rows and all("不在本营销活动中" in r.reason
                                                         for r in f.rejected):  # fmt: skip
            print("  提示：这个文件里的客户编号都不在本活动中，是否选错了营销活动文件？")
    print(f"合计：导入 {report.imported} 条，重复 {report.duplicates} 条，"
          f"冲突 {len(report.conflicts)} 条，未导入 {len(report.rejected)} 行。")  # fmt: skip
    if report.rejected:
        print("请在原文件中改正未导入的行，再导入一次（已导入的行不会重复）。")
