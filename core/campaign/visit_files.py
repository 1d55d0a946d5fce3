"""Read a filled 走访记录 workbook: find the sheet and its header, and turn each row into a
visit or a Chinese reason why it cannot be one.

Any format the customer-list import reads works (.xlsx from Excel or WPS, .xls, .ods,
CSV): staff may save the sheet however their laptop does. The header may have moved (a
title row inserted above it) and columns may be in another order; the 走访记录 sheet is
used when there is one, else the first sheet that has the visit columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.base.errors import EncryptedFile, FileLocked, ImportFailed
from core.campaign import values as v
from core.campaign.model import CampaignFileError, Visit

SHEET = "走访记录"
HEADER_SEARCH_ROWS = 15
NEEDED = ("客户编号", *v.REQUIRED)
PREFILLED = "走访人"  # filled in by visits-export --staff before anyone visits
CHECK_FILE = (
    "请确认这是用 visits-export（或走访页面的“导出走访表”）导出并填写的走访记录表；"
    "也可以在 Excel/WPS 中打开后另存为 .xlsx 再导入。"
)


@dataclass
class FilledRow:
    """One row of a filled sheet that has something in its visit columns."""

    row: int  # Excel row number
    key_text: str  # what 客户编号 says, as typed
    cells: dict[str, Any]  # header → raw cell value


def _norm_header(value: Any) -> str:
    return "".join(v.norm(value).split()).replace("（", "(").replace("）", ")")


_WANTED = {_norm_header(h): h for h in v.VISIT_HEADERS}
_WANTED |= {"客户编码": "客户编号", "用户号码": "手机号码", "手机号": "手机号码",
            "是否见到": "是否见到决策人", "见到决策人": "是否见到决策人",
            "签约月费(元)": "签约月费", "下次跟进": "下次跟进日期", "跟进日期": "下次跟进日期"}  # fmt: skip


def _header_map(row: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        header = _WANTED.get(_norm_header(cell))
        if header and header not in found:
            found[header] = j
    return found


def _file_error(path: Path, err: ImportFailed) -> CampaignFileError:
    if isinstance(err, EncryptedFile | FileLocked):
        return CampaignFileError(err.message, err.hint)
    return CampaignFileError(err.message.replace("客户清单", "走访记录表"), CHECK_FILE)


def read_filled(path: Path) -> tuple[list[FilledRow], int]:
    """The rows with a visit in them, and how many customer rows were left empty.

    Raises CampaignFileError (Chinese) when the file is not a readable 走访记录 sheet.
    """
    from core.importing.readers import open_book

    path = Path(path)
    try:
        book = open_book(path)
    except ImportFailed as err:
        raise _file_error(path, err) from None
    try:
        names = sorted(book.sheet_names, key=lambda n: n.strip() != SHEET)
        for name in names:
            try:
                grid = book.grid(name)
            except ImportFailed as err:
                raise _file_error(path, err) from None
            for i, row in enumerate(grid.head(HEADER_SEARCH_ROWS)):
                columns = _header_map(row)
                if "客户编号" in columns and sum(h in columns for h in NEEDED) >= 2:
                    return _rows(path, grid, i, columns)
    finally:
        book.close()
    raise CampaignFileError(
        f"“{path.name}”里找不到走访记录表：第一行应为 {'、'.join(v.VISIT_HEADERS[:6])} … 等列。",
        CHECK_FILE,
    )


def _rows(path: Path, grid: Any, header_at: int, columns: dict[str, int]) -> tuple[list, int]:
    missing = [h for h in NEEDED if h not in columns]
    if missing:
        raise CampaignFileError(
            f"“{path.name}”的走访记录表缺少这些列：{'、'.join(missing)}。",
            "请用 visits-export 重新导出一份走访表，把走访结果填进去后再导入。",
        )
    if grid.problems:  # a CSV with an unclosed quote: its rows cannot be trusted as visits
        row = grid.excel_row(grid.problems[0][0])
        raise CampaignFileError(
            f"“{path.name}”第 {row} 行的引号没有闭合，从这一行起的内容无法可靠地读成走访记录。",
            "请在原文件中补上缺少的引号（或在 Excel/WPS 中打开核对后另存为 .xlsx），再导入。",
        )
    out: list[FilledRow] = []
    blank = 0
    # 走访人 alone is no visit: a person's own sheet comes with it filled in on every row
    visit_headers = [h for h in v.VISIT_FIELDS if h in columns and h != PREFILLED]
    for i in range(header_at + 1, grid.n_rows):
        row = grid.row(i)
        cells = {h: (row[j] if j < len(row) else "") for h, j in columns.items()}
        if not any(_filled(cells[h]) for h in visit_headers):
            if _filled(cells["客户编号"]):
                blank += 1
            continue
        key = cells["客户编号"]
        key_text = v.norm(key)
        out.append(FilledRow(grid.excel_row(i), key_text, cells))
    return out, blank


def _filled(value: Any) -> bool:
    return value is not None and value != "" and not (isinstance(value, str) and not value.strip())


def parse_visit(cells: dict[str, Any], today: dt.date) -> Visit:
    """A Visit from a row's cells; BadValue with every reason (joined by ；) otherwise."""
    reasons: list[str] = []

    def take(fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except v.BadValue as exc:
            reasons.append(exc.reason)
            return None

    before = len(reasons)
    day = take(v.date, cells.get("走访日期"), "走访日期", today=today)
    no_day = day is None and len(reasons) == before  # empty, or 0 (Excel's "no date")
    if day is not None:
        take(v.check_visit_date, day, today)
    follow = take(v.date, cells.get("下次跟进日期"), "下次跟进日期", today=today,
                  after=day or today)  # fmt: skip
    if follow is not None and day is not None:
        take(v.check_follow_up, follow, day)
    visitor = v.person(cells.get("走访人"))
    intent = take(v.choice, cells.get("意向"), v.INTENTS, "意向")
    method = take(v.choice, cells.get("方式"), v.METHODS, "方式")
    met = take(v.yes_no, cells.get("是否见到决策人"))
    objections = take(v.objections, cells.get("异议"))
    fee = take(v.fee, cells.get("签约月费"))
    package = v.text(cells.get("签约套餐"), 80)
    if intent:
        take(v.check_consistent, intent, met, package)
    missing = [h for h, x in (("走访日期", not no_day), ("走访人", visitor),
                              ("意向", _filled(cells.get("意向")))) if not x]  # fmt: skip
    if missing:
        reasons.insert(0, f"没有填写{'、'.join(missing)}")
    if reasons:
        raise v.BadValue("；".join(r.rstrip("。") for r in reasons) + "。")
    return Visit(
        visit_date=day, visitor=visitor, intent=intent, method=method or "", met=met,
        signed_package=package, signed_fee=fee,
        objections=objections or (), suggestion=v.text(cells.get("客户建议")),
        competitor=v.text(cells.get("竞争对手信息")), follow_up=follow,
    )  # fmt: skip


__all__ = ["SHEET", "FilledRow", "parse_visit", "read_filled"]
