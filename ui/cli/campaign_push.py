"""``campaign push FILE --db URL``: a county's campaign copied into the city database."""

from __future__ import annotations

import argparse
import sys

from ui.cli.city_options import add_db_option
from ui.cli.common import print_json


def add_parsers(actions) -> None:
    push = actions.add_parser(
        "push",
        help="把营销活动推送到城市数据库（市分公司汇总各县的活动）",
        description="把营销活动文件的全部内容（客户、分档和套餐、生成文件记录、走访记录及其修改、分配和"
        "目标）复制到市分公司的 PostgreSQL 城市数据库。每个文件一次事务：要么全部写入，要么什么都不改；"
        "同一个文件推送两次不会重复，多录的走访只增加这些。文件本身不被修改。"
        '需要数据库驱动：pip install -e ".[server]"。IT 的设置步骤见 docs/city-database.md。',
    )
    push.add_argument("files", metavar="FILE", nargs="+", help="营销活动文件（.jzt），可以给多个")
    add_db_option(push)
    push.add_argument("--json", action="store_true", help="以 JSON 格式输出每个文件推送了什么")
    push.set_defaults(run=run_push)


def run_push(args: argparse.Namespace) -> int:
    from core.campaign import city_target, push_file

    where = city_target(args.db)
    reports = []
    for path in args.files:
        report = push_file(path, where)
        reports.append(report)
        if not args.json:
            print(
                f"{path}（{report.branch}：{report.name}）→ {where.display}：{report.summary()}。"
            )
            sys.stdout.flush()
    if args.json:
        print_json([r.to_dict() for r in reports])
    return 0
