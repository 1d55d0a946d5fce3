"""``chart FILE --kind pyramid|pareto|bands|crosstab --out X.png``: one chart as an image."""

from __future__ import annotations

import argparse
from pathlib import Path

from ui.cli.common import add_input_options, load_input
from ui.cli.scheme_options import add_scheme_options, scheme_from_args

KINDS = {
    "pyramid": "价值金字塔",
    "pareto": "二八曲线",
    "bands": "各档客户占比与收入占比",
    "crosstab": "档位 × 维度热力图（需 --by）",
}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "chart",
        help="生成图表（价值金字塔、二八曲线、分档柱状图、交叉热力图）",
        description="读取客户清单并分档，输出一张图表。扩展名决定格式：.png（屏幕用，"
        "加 --dpi 300 用于打印）、.pdf 或 .svg。",
    )
    add_input_options(p)
    add_scheme_options(p)
    p.add_argument(
        "--kind",
        required=True,
        choices=list(KINDS),
        help="图表类型：" + "；".join(f"{k} {v}" for k, v in KINDS.items()),
    )
    p.add_argument("--by", metavar="FIELD",
                   help="热力图的维度：industry 行业 / market 聚类市场 / grid 网格 等")  # fmt: skip
    p.add_argument("--dpi", type=int, metavar="N", help="PNG 分辨率（默认 150，打印用 300）")
    p.add_argument("--out", metavar="X.png", required=True, help="输出文件（.png/.pdf/.svg）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from core.base import InvalidInput, check_writable, label
    from core.marketing import band_summary, crosstab, resolve_field
    from core.reporting import chart_for, save_figure
    from ui.render.fonts import require_chinese_fonts

    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InvalidInput(f"不支持的图片格式：{out.name}", "请用 .png、.pdf 或 .svg 作为扩展名。")
    if args.kind == "crosstab" and not args.by:
        raise InvalidInput("热力图需要一个维度。", "请加上 --by，例如 --by industry（行业）。")
    if args.dpi is not None and not 50 <= args.dpi <= 1200:
        raise InvalidInput(f"--dpi {args.dpi} 不合理。", "屏幕用 150，打印用 300。")
    require_chinese_fonts(letters=False)  # never a chart with boxes for Chinese
    check_writable(out, force=args.force)  # say so before the slow work
    result = load_input(args)
    customers = result.customers
    scheme = scheme_from_args(args, customers)
    summary = band_summary(customers, scheme)
    table = None
    by_label = ""
    if args.kind == "crosstab":
        key = resolve_field(customers, args.by)
        table = crosstab(customers, scheme, key, totals=False)
        by_label = label(key)
    fig = chart_for(args.kind, customers, summary=summary, table=table, by_label=by_label)
    save_figure(fig, out, dpi=args.dpi, force=args.force)
    print(f"已生成图表：{out}")
    return 0
