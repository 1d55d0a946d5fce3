"""``proposals FILE --out DIR``: a 《客户建议书》 per customer (PDF and/or Word).

The ``sheets`` command (信息反馈表) shares the options and the run function below.
"""

from __future__ import annotations

import argparse
import sys

from ui.cli.campaign_log import check_campaign, log_letters
from ui.cli.common import PROG, add_input_options, load_input
from ui.cli.offer_options import add_offer_options, check_seed_by, offer_options_of
from ui.cli.scheme_options import add_scheme_options, scheme_from_args

KIND = "建议书"


def add_letter_options(p: argparse.ArgumentParser, kind: str) -> None:
    add_input_options(p, required=False)  # with --campaign alone: the campaign's customers
    add_scheme_options(p)
    p.add_argument("--out", metavar="DIR", required=True,
                   help="输出文件夹（每次活动一个文件夹；文件放在其中的子文件夹）")  # fmt: skip
    add_offer_options(p)
    p.add_argument("--band", metavar="档位", action="append", default=[],
                   help="只生成某些档位的客户，可重复或用逗号分隔，例如 --band 高端,中高端")  # fmt: skip
    p.add_argument("--format", choices=["pdf", "docx", "both"], default="pdf",
                   help="每位客户一个 PDF（默认）、一个 Word 文件（docx，可在 Word/WPS 中修改），"
                   "或两者都要（both）")  # fmt: skip
    p.add_argument("--combined", action="store_true",
                   help="另外生成一个包含这些客户的 PDF，便于一次打印；文件名写着档位，"
                   "例如 客户建议书_高端_合并打印.pdf（不加 --band 时为 客户建议书_合并打印.pdf）")  # fmt: skip
    p.add_argument("--template", metavar="T.txt",
                   help=f"自定义模板（文本文件，写法见说明书）；默认使用内置{kind}模板")  # fmt: skip
    p.add_argument("--unmask", action="store_true",
                   help="完整显示客户手机号码（默认打码为 138****5678；证件号码始终不打印）")  # fmt: skip
    p.add_argument("--today", metavar="YYYY-MM-DD", help="出具日期（默认今天）")
    p.add_argument("--branch", metavar="单位", help="落款单位（默认取设置中的单位名称）")
    p.add_argument("--staff", metavar="姓名",
                   help="客户经理姓名（默认取设置）；与 --campaign 一起用时只生成分给这个人的客户"
                   "（campaign assign），反馈表的走访人一栏预先填好")  # fmt: skip
    p.add_argument("--staff-phone", metavar="电话", help="客户经理电话（默认取设置）")
    p.add_argument("--logo", metavar="logo.png", help="单位标志图片（默认取设置）")
    p.add_argument("--validity-days", metavar="N", help="优惠有效期天数（默认取设置，30 天）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    p.add_argument("--campaign", metavar="C.jzt",
                   help="把生成的文件记入营销活动（什么时候、给哪些客户、用哪个模板）；"
                   "不给客户清单时直接用营销活动里的客户和推荐套餐（含潜在客户、现场新增）")  # fmt: skip


def add_parser(sub) -> None:
    p = sub.add_parser(
        "proposals",
        help="为每位客户生成《客户建议书》（PDF / Word）",
        description="读取客户清单，按分档推荐套餐，为每位客户生成一页《客户建议书》："
        "通信现状、推荐套餐、精打细算对比表、服务承诺和落款。手机号码默认打码，证件号码不打印。",
    )
    add_letter_options(p, KIND)
    p.set_defaults(run=run)


def _settings(args: argparse.Namespace):
    import dataclasses

    from core.base import InvalidInput, Settings, load_settings

    settings = load_settings()
    changes = {}
    for opt, name in (("branch", "branch"), ("staff", "staff_name"),
                      ("staff_phone", "staff_phone"), ("logo", "logo_path"),
                      ("validity_days", "validity_days")):  # fmt: skip
        value = getattr(args, opt, None)
        if value is not None:
            changes[name] = value
    if args.logo:
        from pathlib import Path

        if not Path(args.logo).is_file():
            raise InvalidInput(f"找不到标志图片：{args.logo}", "请检查路径，或不加 --logo。")
    if not changes:
        return settings
    data = dataclasses.asdict(settings) | changes
    return Settings(**data)


def _today(args: argparse.Namespace):
    import datetime as dt

    from core.base import InvalidInput

    if not args.today:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(args.today.strip())
    except ValueError:
        raise InvalidInput(f"--today 的日期“{args.today}”格式不对。",
                           "请写成 2026-11-20 这样的格式。") from None  # fmt: skip


def _progress():
    from core.base import Progress

    if not sys.stderr.isatty():
        return Progress()

    def show(done: int, total: int, text: str) -> None:
        pct = 100 * done // total if total else 0
        end = "\n" if total and done >= total else ""
        print(f"\r{text} {pct}%", end=end, file=sys.stderr, flush=True)

    return Progress(show)


def _list_offers(args: argparse.Namespace, today):
    """The offers of the customer list given on the command line."""
    from core.marketing import load_catalog, make_offers

    catalog = load_catalog(args.catalog) if args.catalog else load_catalog()
    result = load_input(args)
    customers = result.customers
    scheme = scheme_from_args(args, customers)
    check_seed_by(args, customers)
    return make_offers(customers, scheme, catalog, today=today, options=offer_options_of(args))


def run_letters(args: argparse.Namespace, kind: str) -> int:
    from pathlib import Path

    from core.base import InvalidInput, check_folder
    from core.documents import (
        KIND_TITLES,
        LetterBatch,
        band_labels,
        load_template,
        prepare_template,
        select,
    )
    from ui.render.fonts import require_chinese_fonts
    from ui.render.generate import check_outputs, generate, plan, scope_label

    formats = ("pdf", "docx") if args.format == "both" else (args.format,)
    if "pdf" in formats or args.combined:  # Word files are set by Word/WPS, in its fonts
        require_chinese_fonts(charts=False)  # no blank letters: say so before any work
    title = KIND_TITLES[kind]
    settings = _settings(args)
    today = _today(args)
    template = load_template(args.template, kind)  # syntax errors before the slow work
    out = Path(args.out)
    check_folder(out)  # a name the system refuses, a read-only folder: before the work
    campaign = getattr(args, "campaign", None)
    check_campaign(campaign)
    bands = [b.strip() for item in args.band for b in item.replace("，", ",").split(",")]
    if args.file:
        offers = _list_offers(args, today)
        if campaign:  # the campaign's 客户编号, 走访人; one person's customers with --staff
            from core.campaign import letter_frame

            offers = letter_frame(campaign, offers, args.staff)
    elif campaign:
        from core.campaign import letter_frame

        offers = letter_frame(campaign, None, args.staff)
    else:
        raise InvalidInput("请给出客户清单文件，或用 --campaign 给出营销活动文件。",
                           f"例如：{PROG} {'sheets' if kind == '反馈表' else 'proposals'} "
                           "客户清单.xlsx --out 文件夹")  # fmt: skip
    chosen = select(offers, bands)
    prepare_template(template, kind, chosen)
    skipped = int(offers["offer_package"].isna().sum()) if "offer_package" in offers else 0
    if chosen.empty:
        if campaign and args.staff and len(offers):
            raise InvalidInput(f"分给{args.staff}的客户里没有可以生成{title}的（--band 选的档位里没有，"
                               "或都没有推荐套餐）。", "请去掉 --band，或换一个档位。")  # fmt: skip
        raise _nobody(title, args.file or campaign, len(offers), skipped, [b for b in bands if b])
    letters = LetterBatch(chosen, kind, template, settings, today, unmask=args.unmask)
    scope = scope_label(bands, band_labels(offers))  # the print file's name says which bands
    check_outputs(plan(letters, out, kind, formats, args.combined, scope), args.force)
    _warn_unsigned(settings)
    logged: list[str] = []

    def record(outputs) -> None:  # in the campaign; if it fails, the files are taken back
        name = Path(args.template).name if args.template else f"内置{kind}模板"
        logged.append(log_letters(args.campaign, chosen, kind, name, outputs.files,
                                  len(formats)))  # fmt: skip

    outputs = generate(letters, out, kind, formats, combined=args.combined, force=args.force,
                       progress=_progress(),
                       then=record if getattr(args, "campaign", None) else None,
                       scope=scope)  # fmt: skip
    kinds = " 和 ".join(f.upper() for f in formats)
    print(f"已生成 {len(letters)} 份{title}，共写出 {outputs.count} 个文件：")
    print(f"  每位客户一个 {kinds} 文件，保存在 {outputs.folder}")
    if outputs.combined:
        print(f"  合并打印文件：{outputs.combined}")
    if skipped:
        print(f"另有 {skipped} 位客户未分档（缺少或无效的月均消费），没有生成{title}。")
    if args.unmask:
        print("注意：本次生成的文件完整显示了客户手机号码，请妥善保管。")
    for line in logged:
        print(line)
    return 0


def _warn_unsigned(settings) -> None:
    """One line when the letters would print ×× or blank 客户经理/电话 (the run goes on)."""
    from core.documents import unsigned, unsigned_text

    missing = unsigned(settings)
    if missing:
        print(f"注意：{unsigned_text(missing, cli=True)}", file=sys.stderr, flush=True)


def _nobody(title: str, file: str, total: int, skipped: int, bands: list[str]):
    """The error when no customer can get a document: why, and what to do (exit code 1)."""
    from core.base import InvalidInput

    if total == 0:
        return InvalidInput(f"客户清单里没有客户，没有生成任何{title}。",
                            "请检查文件是否选对、客户清单是否在第一张工作表（可用 --sheet 指定）。")  # fmt: skip
    if skipped >= total:
        return InvalidInput(
            f"清单中的 {total} 位客户都没有有效的月均消费（缺少、不是数字、为负数或超出合理范围），"
            f"无法分档推荐套餐，没有生成任何{title}。",
            f'请用 {PROG} inspect "{file}" 查看导入问题并补全月均消费；'
            "如果月均消费在另一列，请用 --map spend=列名 指定。",
        )
    return InvalidInput(
        f"--band {'、'.join(bands)} 选中的档位里没有客户，没有生成任何{title}。",
        f"有推荐套餐的客户共 {total - skipped} 位，分布在其他档位。各档位人数可用 "
        f'{PROG} segment "{file}" 查看；请换一个档位，或去掉 --band 生成全部客户。',
    )


def run(args: argparse.Namespace) -> int:
    return run_letters(args, KIND)
