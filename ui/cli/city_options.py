"""``--db``: the city database a command reads or pushes to (issue 25)."""

from __future__ import annotations

import argparse

DB_HELP = ("城市数据库地址，如 postgresql://用户@服务器:5432/数据库?sslmode=verify-full；"
           "只写 --db 时用环境变量 JINZITA_DB 或城市数据库设置文件里的地址。密码不要写在地址里："
           "放在 PGPASSFILE 指向的文件或设置文件里（见 docs/city-database.md）")  # fmt: skip


def add_db_option(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """``--db [URL]``: without a value, JINZITA_DB or the settings file's address."""
    parser.add_argument("--db", metavar="URL", nargs="?", const="", default=None,
                        required=required, help=DB_HELP)  # fmt: skip


def branches_of(items: list[str] | None) -> list[str]:
    """--branch A --branch B or --branch A,B → [A, B]."""
    out: list[str] = []
    for item in items or []:
        out += [b.strip() for b in item.replace("，", ",").split(",") if b.strip()]
    return out
