"""``report FILE --out report.xlsx``: the Excel report for the branch manager."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from ui.cli.city_options import add_db_option
from ui.cli.common import add_input_options, load_input
from ui.cli.offer_options import add_offer_options, offer_options_of
from ui.cli.scheme_options import add_scheme_options, scheme_from_args


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report",
        help="生成 Excel 报表（汇总、分档统计、客户明细、交叉分析、导入问题）",
        description="读取客户清单，分档并生成主推套餐，写出一个可以直接转发的 Excel 报表："
        "汇总（含价值金字塔图）、分档统计（含 Excel 图表）、客户明细、交叉分析和导入问题。"
        "给出 --campaign 时加上“走访结果”（走访漏斗图、按档位和走访人的统计）；"
        "这时可以不给客户清单，直接用营销活动里保存的客户和推荐套餐。"
        "给出 --db 时从城市数据库读取营销活动：--campaign 写活动名称、文件名或编号，--branch 写单位"
        "（该单位只有一个活动时可以不写 --campaign），报表与用该活动文件生成的完全一致。",
    )
    add_input_options(p, required=False)
    add_scheme_options(p)
    p.add_argument(
        "--by",
        metavar="FIELD",
        help="交叉分析维度：industry 行业 / market 聚类市场 / grid 网格 / "
        "manager 客户经理 / package 当前套餐（也可写中文名）",
    )
    add_offer_options(p)
    p.add_argument("--campaign", metavar="C.jzt",
                   help="营销活动文件：报表加上“走访结果”工作表和走访漏斗图；与 --db 一起用时是"
                   "城市数据库里的活动名称、文件名或编号")  # fmt: skip
    add_db_option(p)
    p.add_argument(
        "--branch", metavar="单位", help="与 --db 一起用：营销活动所属的单位，如 城东分公司"
    )
    p.add_argument("--title", metavar="名称", help="活动/清单名称（默认用文件名）")
    p.add_argument("--unmask", action="store_true",
                   help="客户明细中完整显示手机号码（默认打码为 138****5678；证件号码始终不导出）")  # fmt: skip
    p.add_argument("--out", metavar="report.xlsx", required=True, help="输出的 Excel 文件")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from core.base import InvalidInput, check_writable
    from core.marketing import band_summary, crosstab, resolve_field
    from core.reporting import write_report
    from ui.render.fonts import require_chinese_fonts

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise InvalidInput(f"报表文件必须以 .xlsx 结尾：{out.name}", "例如：--out 报表.xlsx")
    require_chinese_fonts(letters=False)  # never a chart with boxes for Chinese
    check_writable(out, force=args.force)  # say so before the slow work
    _check_db_args(args)
    if not args.file and not args.campaign and args.db is None:
        raise InvalidInput("请给出客户清单文件，或用 --campaign 给出营销活动文件。",
                           "例如：python main.py report 客户清单.xlsx --out 报表.xlsx")  # fmt: skip
    visit_results, name = _campaign_results(args)
    if args.file:
        result = load_input(args)
        problems, customers = result, result.customers
        scheme = scheme_from_args(args, customers)
        from core.marketing import load_catalog, make_offers

        catalog = load_catalog(args.catalog) if args.catalog else load_catalog()
        table = make_offers(customers, scheme, catalog, options=offer_options_of(args))
        source = Path(args.file).name
    else:  # everything from the campaign: its customers, offers, scheme and problems
        with _opened(args) as campaign:
            table = campaign.customers_frame()
            scheme = campaign.scheme()
            problems = campaign.problems()
            source = campaign.source().get("file") or campaign.path.name
        customers = table
    summary = band_summary(customers, scheme)
    cross = None
    key = None
    if args.by:
        key = resolve_field(customers, args.by)
        cross = crosstab(customers, scheme, key)
    title = args.title or name or Path(args.file).stem
    write_report(out, table, summary, scheme, problems=problems, crosstab=cross, title=title,
                 force=args.force, by=key, source=source,
                 visit_results=visit_results, unmask=args.unmask)  # fmt: skip
    n_problems = len(problems.problems) if hasattr(problems, "problems") else len(problems)
    extra = "，含走访结果" if visit_results else ""
    print(f"已生成报表：{out}（{len(customers)} 位客户，{n_problems} 个导入问题{extra}）")
    if args.unmask:
        print("注意：报表完整显示了客户手机号码，请妥善保管。")
    sys.stdout.flush()
    return 0


def _campaign_results(args: argparse.Namespace) -> tuple[list, str]:
    """The campaign's results by band and by visitor, and its name ([], "" without one)."""
    if not args.campaign and args.db is None:
        return [], ""
    with _opened(args) as campaign:
        return [campaign.results("band"), campaign.results("staff")], campaign.info.name


def _check_db_args(args: argparse.Namespace) -> None:
    from core.base import InvalidInput

    if args.branch and args.db is None:
        raise InvalidInput("--branch 只能与 --db 一起用（从城市数据库读取营销活动）。",
                           "用营销活动文件时请只写 --campaign 活动.jzt。")  # fmt: skip


@contextlib.contextmanager
def _opened(args: argparse.Namespace) -> Iterator:
    """The campaign of --campaign: the file, or with --db the city database's campaign."""
    if args.db is None:
        from core.campaign import Campaign

        with Campaign.open(args.campaign, readonly=True) as campaign:
            yield campaign
        return
    from core.campaign import CityDatabase

    with CityDatabase.open(args.db) as city:
        yield city.campaign(city.find(args.campaign, args.branch))
