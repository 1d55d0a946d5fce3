"""Options shared by the headless commands: the input file, its sheet, column mapping."""

from __future__ import annotations

import argparse
import sys

from core.base import InvalidInput

# how users start a command: the packaged program's console exe, or the script from source
PROG = "jinzita" if getattr(sys, "frozen", False) else "python main.py"


def add_input_options(parser: argparse.ArgumentParser, required: bool = True) -> None:
    if required:
        parser.add_argument("file", metavar="FILE", help="客户清单文件（.xlsx/.xls/.csv 等）")
    else:
        parser.add_argument("file", metavar="FILE", nargs="?",
                            help="客户清单文件（.xlsx/.xls/.csv 等）")  # fmt: skip
    parser.add_argument(
        "--sheet", metavar="NAME", help="工作表名称或序号（默认自动找到存放客户清单的工作表）"
    )
    parser.add_argument(
        "--map",
        metavar="字段=列名",
        action="append",
        default=[],
        help="指定某字段对应的列，可重复，例如 --map spend=出账收入 --map phone=联系电话；"
        "指定过的对应关系会被记住",
    )


def parse_overrides(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        field, sep, header = item.partition("=")
        if not sep or not field.strip():
            raise InvalidInput(
                f"--map 的写法不对：“{item}”。", "应写成 字段=列名，例如 --map spend=出账收入。"
            )
        out[field.strip()] = header.strip()
    return out


def load_input(args: argparse.Namespace, quiet: bool = False):
    """Import the FILE given on the command line (an ImportResult)."""
    from core.importing import import_file

    result = import_file(args.file, sheet=args.sheet, overrides=parse_overrides(args.map))
    if not quiet and result.problems and not getattr(args, "json", False):
        counts = "，".join(f"{n} 条{_name(code)}" for code, n in result.problem_counts().items())
        print(
            f"提示：导入时发现 {len(result.problems)} 个问题（{counts}），"
            f'详见 {PROG} inspect "{args.file}"。',
            file=sys.stderr,
        )
    return result


def _name(code: str) -> str:
    from core.importing import PROBLEM_NAMES

    return PROBLEM_NAMES.get(code, code)


def print_json(obj: object) -> None:
    import json

    text = json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default)
    sys.stdout.write(text + "\n")


def _json_default(value: object) -> object:
    import math

    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    return str(value)
