"""``inspect FILE``: show what the import found (sheet, header, mapping, problems)."""

from __future__ import annotations

import argparse

from ui.cli.common import add_input_options, load_input, print_json


def add_parser(sub) -> None:
    p = sub.add_parser(
        "inspect",
        help="检查客户清单：表头、列对应、数据行数和问题行",
        description="读取客户清单，报告找到的工作表、表头行、列对应关系、客户数和问题行。",
    )
    add_input_options(p)
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出（供脚本使用）")
    p.add_argument(
        "--limit",
        type=int,
        default=20,
        metavar="N",
        help="文字输出时最多列出 N 个问题行（默认 20；JSON 输出总是全部列出）",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from core.base import label
    from core.importing import PROBLEM_NAMES

    result = load_input(args, quiet=True)
    summary = result.summary()
    if args.json:
        print_json(summary)
        return 0
    print(f"文件：{result.source}（{result.kind}）")
    print(f"工作表：{result.sheet}    表头在第 {result.header_row} 行")
    print("列对应：")
    for key, header in result.mapping.items():
        print(f"  {label(key):<12} ← {' '.join(header.split())}")
    if result.extra_columns:
        print(f"  其他列（保留，可在模板中使用）：{'、'.join(result.extra_columns)}")
    print(f"数据行：{result.rows}    可分档客户：{result.customer_count}")
    skipped = summary["skipped_rows"]
    if skipped:
        names = {
            "title": "标题行",
            "blank": "空行",
            "totals": "合计行",
            "note": "备注行",
            "header_repeat": "重复表头",
        }
        print("已跳过：" + "，".join(f"{names.get(k, k)} {n} 行" for k, n in skipped.items()))
    for note in result.notes:
        print(f"说明：{note}")
    if not result.problems:
        print("没有发现问题行。")
        return 0
    counts = "，".join(f"{PROBLEM_NAMES.get(c, c)} {n}" for c, n in result.problem_counts().items())
    print(f"问题行 {len(result.problems)} 个：{counts}")
    for p in result.problems[: max(args.limit, 0)]:
        print(f"  第 {p.row} 行 [{label(p.field)}] {p.message}")
    if len(result.problems) > args.limit:
        print(f"  ……其余 {len(result.problems) - args.limit} 个问题请用 --json 或 --limit 查看。")
    return 0
