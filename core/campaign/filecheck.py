"""Is this file a campaign? Decided from its first 100 bytes, before SQLite touches it.

A campaign file is an SQLite database whose header carries the program's application id
and its schema version, in SQLite's rollback-journal mode. Anything else — an .xlsx renamed
.jzt, another program's SQLite database, a file cut short while being copied, a campaign
another program switched to write-ahead logging (opening it would add -wal/-shm files) —
gets a Chinese message saying what it is and what to do, and is never opened for writing.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.campaign.decode import edited
from core.campaign.model import CampaignFileError

SUFFIX = ".jzt"
APPLICATION_ID = 0x4A5A5443  # "JZTC" in the SQLite header (PRAGMA application_id)
_MAGIC = b"SQLite format 3\x00"
_HEADER = 100

PICK_CAMPAIGN = f"请选择以 {SUFFIX} 结尾的营销活动文件；新建活动用 python main.py campaign new。"
RECOPY = "程序没有改动这个文件。请从原来的电脑、U 盘或邮件重新复制一份完整的文件再打开。"


def journal_of(path: Path) -> Path:
    """SQLite's rollback journal next to ``path`` (present after a crash mid-transaction)."""
    return Path(f"{path}-journal")


def _what_is(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "这是一个 Excel/WPS 表格、Word 文档或压缩包，不是营销活动文件"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "这是一个老版本的 Office 文件（.xls/.doc），不是营销活动文件"
    if head.startswith(b"%PDF"):
        return "这是一个 PDF 文件，不是营销活动文件"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "这是一个图片，不是营销活动文件"
    return "这不是营销活动文件，或者文件已损坏"


def read_header(path: Path) -> tuple[int, int]:
    """(schema version, page count written in the header) of a campaign file.

    Raises CampaignFileError for a missing, empty, foreign or damaged file.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEADER)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        raise CampaignFileError(f"找不到营销活动文件：{path}", PICK_CAMPAIGN) from None
    except IsADirectoryError:
        raise CampaignFileError(
            f"这是一个文件夹，不是营销活动文件：{path}", PICK_CAMPAIGN
        ) from None
    except PermissionError:
        raise CampaignFileError(
            f"无法读取营销活动文件：{path.name}（没有读取权限，或正被其他程序占用）。",
            "请关闭正在使用它的程序，或把文件复制到桌面后再打开。",
        ) from None
    except OSError as exc:
        raise CampaignFileError(
            f"无法读取营销活动文件：{path.name}（{exc.strerror or exc}）。", RECOPY
        ) from None
    if not head:
        raise CampaignFileError(f"文件是空的（0 字节），不是营销活动文件：{path.name}。", RECOPY)
    if not head.startswith(_MAGIC):
        raise CampaignFileError(f"{_what_is(head)}：{path.name}。", PICK_CAMPAIGN)
    if len(head) < _HEADER:
        raise CampaignFileError(f"营销活动文件不完整（只有 {size} 字节）：{path.name}。", RECOPY)
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != APPLICATION_ID:
        raise CampaignFileError(
            f"这是其他程序的数据库文件，不是营销活动文件：{path.name}。", PICK_CAMPAIGN
        )
    if head[18] != 1 or head[19] != 1:  # 2: write-ahead log, which this program never uses
        raise edited(path, "文件被其他程序改成了预写日志（WAL）模式")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    header_size_valid = head[24:28] == head[92:96] and pages > 0
    if header_size_valid and size < pages * page_size and not journal_of(path).exists():
        raise CampaignFileError(
            f"营销活动文件不完整（应有 {pages * page_size:,} 字节，只有 {size:,} 字节）："
            f"{path.name}。",
            RECOPY,
        )
    return int.from_bytes(head[60:64], "big"), pages


def is_campaign_file(path: str | Path) -> bool:
    """Whether the file's first bytes say it is a campaign (whatever its name)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEADER)
    except OSError:
        return False
    return head.startswith(_MAGIC) and len(head) >= 72 and \
        int.from_bytes(head[68:72], "big") == APPLICATION_ID  # fmt: skip


__all__ = ["APPLICATION_ID", "PICK_CAMPAIGN", "RECOPY", "SUFFIX", "is_campaign_file",
           "journal_of", "read_header"]  # fmt: skip
