"""Headless commands: ``python main.py <命令> ...``.

Each command lives in ``ui/cli/<name>_cmd.py`` (``-`` in a name becomes ``_``) with ``add_parser(subparsers)`` and
``run(args) -> int``. Errors a user can act on print one Chinese message and exit 1;
anything unexpected is logged to a file and reported without a traceback (exit 3).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import sys
import traceback

from ui.cli.common import PROG

COMMANDS = [
    "inspect", "segment", "offers", "proposals", "sheets", "report", "chart", "campaign",
    "visits-export", "visits-import", "results",
]  # fmt: skip

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_CANCELLED = 130


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its fixed English words in Chinese and a Chinese usage error."""

    def format_help(self) -> str:
        text = super().format_help()
        for en, zh in (
            ("usage:", "用法:"),
            ("positional arguments:", "位置参数:"),
            ("options:", "选项:"),
            ("show this help message and exit", "显示本帮助并退出"),
        ):
            text = text.replace(en, zh)
        return text

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法:")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        for en, zh in (
            ("the following arguments are required", "缺少必需的参数"),
            ("unrecognized arguments", "无法识别的参数"),
            ("invalid choice", "无效的选项"),
            ("expected one argument", "需要一个值"),
            ("not allowed with argument", "不能与以下参数同时使用："),
            ("argument", "参数"),
        ):
            message = message.replace(en, zh)
        sys.stderr.write(f"错误：{message}\n请用 --help 查看用法。\n")
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog=PROG,
        description="价值金字塔营销助手。不带参数运行时打开图形界面；带子命令时在命令行中运行。",
        epilog=f"例如：{PROG} inspect 客户清单.xlsx --json",
    )
    sub = parser.add_subparsers(
        dest="command", title="命令", metavar="<命令>", parser_class=ChineseArgumentParser
    )
    for name in COMMANDS:
        module_name = f"ui.cli.{name.replace('-', '_')}_cmd"
        if importlib.util.find_spec(module_name) is None:
            continue  # a command not built into this version
        module = importlib.import_module(module_name)
        module.add_parser(sub)
    return parser


def _configure_streams() -> None:
    import os

    # the window program (no console) has no streams: a command run from it writes nowhere
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # a pipe or file gets UTF-8 (Windows would use GBK): JSON read by scripts, the
            # tests of the packaged program; a console window shows Chinese either way
            utf8 = {} if _is_console(stream) else {"encoding": "utf-8"}
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace", **utf8)


def _is_console(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def run_cli(argv: list[str]) -> int:
    from core.base import Cancelled, UserError

    _configure_streams()
    parser = build_parser()
    args = parser.parse_args(_join_negative_values(argv))
    if not args.command:
        parser.print_help()
        return EXIT_OK
    try:
        code = int(args.run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows up here, inside the handlers below
        return code
    except UserError as err:
        print(f"错误：{err.message}", file=sys.stderr)
        if err.hint:
            print(err.hint, file=sys.stderr)
        return EXIT_USER_ERROR
    except Cancelled:
        print("已取消。", file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly, as command-line tools do
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_CANCELLED
    except Exception:
        log = _write_crash_log(traceback.format_exc())
        print(
            f"错误：程序内部出错，操作未完成。详细信息已保存到 {log}，请把该文件发给技术支持。",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _join_negative_values(argv: list[str]) -> list[str]:
    """``--edges -10,50`` → ``--edges=-10,50`` so the value reaches our own (Chinese) check
    instead of argparse taking "-10,50" for an unknown option."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else ""
        if (
            arg.startswith("--")
            and "=" not in arg
            and len(nxt) > 1
            and nxt[0] == "-"
            and (nxt[1].isdigit() or nxt[1] == ".")
        ):
            out.append(f"{arg}={nxt}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def _write_crash_log(text: str) -> str:
    import datetime as dt

    from core.base import data_dir

    try:
        path = data_dir() / "crash.log"
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"==== {dt.datetime.now().isoformat(timespec='seconds')}\n{text}\n")
        return str(path)
    except OSError:
        return "（无法写入日志文件）"
