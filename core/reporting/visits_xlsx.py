"""The 走访记录 workbook staff fill in (``visits-export``), on their laptop or on paper.

First sheet 走访记录, header row 1 exactly ``core.campaign.VISIT_HEADERS``; one row per
customer (客户编号 is the campaign's key, the phone masked unless asked), then blank rows
for further visits. The identifying columns are locked (sheet protection without a
password: it stops slips, not people), the visit columns are open, with drop-down lists
for 方式 / 是否见到决策人 / 意向 / 异议 (and 走访人 when the campaign has staff: inline,
or from a hidden sheet when a name holds a comma or a quote or the list is long), date
and money checks, dates formatted as dates. The header is frozen and repeats on every
printed page; rows are tall enough to write in by hand; A4 landscape, one page wide.
A second sheet, 填写说明, says how to fill it in and bring it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from copy import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.base.files import atomic_write_bytes, check_writable
from core.campaign.values import (
    IDENTIFYING,
    INTENTS,
    METHODS,
    OBJECTIONS,
    VISIT_HEADERS,
    person,
)
from core.reporting import workbook_style as style
from core.reporting.phones import unmask_of
from core.reporting.print_setup import setup_print
from core.reporting.xlsx_stream import clean_text, col_letter, is_formula_like

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from core.campaign import Campaign

SHEET = "走访记录"
HELP_SHEET = "填写说明"
LISTS_SHEET = "下拉列表"  # hidden: the items of a list Excel cannot hold inline
INLINE_LIST_LIMIT = 255  # characters Excel allows in an inline list ("a,b,c" without quotes)
WIDTHS = (10, 16, 12, 7, 15, 11, 8, 8, 8, 8, 13, 8, 11, 20, 14, 11)
ROW_HEIGHT = 30  # points: room to write by hand
HEADER_HEIGHT = 32
DATE_FORMAT = "yyyy-mm-dd"
LOCKED_FILL = "EEF1F5"
HEADER_FILL = "D9E4F0"


def extra_rows(customers: int) -> int:
    """Blank rows after the customers for further visits (a second visit, a new shop)."""
    return min(max(10, customers // 20), 100)


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    if value is not None and not isinstance(value, int | float | dt.date):
        value = clean_text(value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def list_source(ws: Worksheet, items: tuple[str, ...]) -> str:
    """The ``formula1`` of a drop-down list of ``items``: inline (``"a,b"``) when Excel can
    hold it so — no item with a comma or a quote, at most INLINE_LIST_LIMIT characters —
    else a range of a hidden sheet (LISTS_SHEET) holding one item per cell."""
    inline = ",".join(items)
    if len(inline) <= INLINE_LIST_LIMIT and not any("," in i or '"' in i for i in items):
        return f'"{inline}"'
    wb = ws.parent
    lists = wb[LISTS_SHEET] if LISTS_SHEET in wb.sheetnames else wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    col = (lists.max_column if lists["A1"].value is not None else 0) + 1  # a column per list
    for i, item in enumerate(items, start=1):
        _put(lists, i, col, item)
    letter = col_letter(col)
    return f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(items)}"


def _validations(ws: Worksheet, last: int, staff: tuple[str, ...]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    col = {h: col_letter(i) for i, h in enumerate(VISIT_HEADERS, start=1)}

    def add(header: str, dv: DataValidation, prompt: str) -> None:
        dv.promptTitle, dv.prompt = header, prompt
        dv.showInputMessage = True
        dv.showErrorMessage = True
        dv.errorTitle = header
        dv.add(f"{col[header]}2:{col[header]}{last}")
        ws.add_data_validation(dv)

    def choose(options: tuple[str, ...], style: str = "stop") -> DataValidation:
        return DataValidation(type="list", formula1=list_source(ws, options),
                              allow_blank=True, errorStyle=style)  # fmt: skip

    for header, options in (("方式", METHODS), ("是否见到决策人", ("是", "否")), ("意向", INTENTS)):
        dv = choose(options)
        dv.error = f"请从下拉列表中选择：{'/'.join(options)}"
        add(header, dv, f"从下拉列表中选择：{'/'.join(options)}")
    dv = choose(OBJECTIONS, "warning")
    dv.error = f"可选：{'/'.join(OBJECTIONS)}；多项用“、”分隔"
    add("异议", dv, "从下拉列表中选择；客户有多项顾虑时手工填写，用“、”分隔，如：价格、信号")
    if staff:
        dv = choose(staff, "information")
        dv.error = "不在本活动的走访人名单中；如确为新的走访人，可以继续"
        add("走访人", dv, "选择或填写走访人姓名")
    for header in ("走访日期", "下次跟进日期"):
        dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)",
                            formula2="DATE(2099,12,31)", allow_blank=True,
                            errorStyle="warning")  # fmt: skip
        dv.error = "请填写日期，如 2026-12-03 或 12月3日"
        add(header, dv, "填写日期，如 2026-12-03")
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                        allow_blank=True, errorStyle="warning")  # fmt: skip
    dv.error = "请填写每月多少元，如 79"
    add("签约月费", dv, "每月多少元（已成交时填写；不填则按签约套餐的月费计）")


def _table(ws: Worksheet, rows: list[list[Any]], staff: tuple[str, ...]) -> None:
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side

    thin = Side(style="thin", color="8A94A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    locked_fill = PatternFill("solid", fgColor=LOCKED_FILL)
    wrap = Alignment(vertical="center", wrap_text=True)
    unlocked = Protection(locked=False)
    n_id = len(IDENTIFYING)
    formats = {"走访日期": DATE_FORMAT, "下次跟进日期": DATE_FORMAT, "签约月费": style.MONEY,
               "客户编号": "@", "手机号码": "@"}  # fmt: skip
    for j, (header, width) in enumerate(zip(VISIT_HEADERS, WIDTHS, strict=True), start=1):
        cell = _put(ws, 1, j, header)
        cell.font = style.font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[col_letter(j)].width = width
    ws.row_dimensions[1].height = HEADER_HEIGHT
    # one styled template cell per column and kind; each cell copies its style array
    # (assigning font/fill/border per cell costs openpyxl ~40 µs of hashing each)
    templates: dict[tuple[int, bool], Any] = {}
    for j, header in enumerate(VISIT_HEADERS, start=1):
        for locked in (True, False):
            tpl = Cell(ws)
            tpl.border, tpl.alignment = border, wrap
            tpl.number_format = formats.get(header, "General")
            if locked:
                tpl.fill = locked_fill
            else:
                tpl.protection = unlocked
            templates[(j, locked)] = tpl
    total = len(rows) + extra_rows(len(rows))
    for i in range(total):
        r = i + 2
        values = rows[i] if i < len(rows) else []
        ws.row_dimensions[r].height = ROW_HEIGHT
        for j in range(1, len(VISIT_HEADERS) + 1):
            cell = _put(ws, r, j, values[j - 1] if j <= len(values) else None)
            quote = cell.quotePrefix
            cell._style = copy(templates[(j, j <= n_id and i < len(rows))]._style)
            if quote:
                cell.quotePrefix = True
    last = total + 1
    _validations(ws, last, staff)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{col_letter(len(VISIT_HEADERS))}{last}"
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = p.autoFilter = p.sort = False  # these stay allowed
    p.selectLockedCells = p.selectUnlockedCells = False


def _help(ws: Worksheet, campaign: Campaign, count: int, bands: tuple[str, ...],
          staff: str = "") -> None:  # fmt: skip
    info = campaign.info
    lines = [
        ("营销活动", info.name), ("聚类市场", info.market), ("单位", info.branch),
        ("导出时间", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("本表客户", f"{count} 位" + (f"（档位：{'、'.join(bands)}）" if bands else "")),
        *([("走访人", f"{staff}：本表是分给{staff}的客户，走访人一栏已经填好（别人代走访时改成他的名字）；"
                      "只填了走访人的行不算走访。")] if staff else []),
        ("", ""),
        ("怎么填", "每走访一次填一行：走访日期、走访人、意向必填，其余能填就填。"
                   "灰色的客户编号、客户名称、手机号码、档位、推荐套餐不要改。"),
        ("再次走访", "同一客户再次走访时，在表格末尾的空行里填写客户编号（也可以填客户的完整手机号码）"
                    "和这次的走访情况。"),
        ("方式", " / ".join(METHODS)), ("是否见到决策人", "是 / 否"), ("意向", " / ".join(INTENTS)),
        ("异议", " / ".join(OBJECTIONS) + "（多项用“、”分隔）"),
        ("日期", "2026-12-03、2026/12/3、12月3日 都可以"),
        ("签约月费", "已成交时填写每月多少元（如 79 或 79元）；不填则按签约套餐在套餐库中的月费计算。"),
        ("填好以后", "把文件交回（U 盘、微信、邮件都行），由活动负责人用“导入走访表”"
                    "（命令行：visits-import）导入。同一个文件导入两次不会重复。"),
        ("保护", "工作表设置了无密码的保护，防止误改客户信息；确需修改时用“审阅 → 撤销工作表保护”。"),
    ]  # fmt: skip
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 64  # with A: inside portrait A4 at 100 %
    style.title(_put(ws, 1, 1, "走访记录填写说明"), 14)
    for i, (name, text) in enumerate(lines, start=2):
        style.wrap(_put(ws, i, 1, name)).font = style.font(bold=True)
        style.wrap(_put(ws, i, 2, text))
        style.fit_row(ws, i, [1, 2])  # WPS and LibreOffice do not grow a row for wrapped text


def _no_band(customer: Any) -> str:
    """What the 档位 column says for a customer without a band: 潜在客户 / 现场新增 (not on
    the network yet) or 未分档 (on the list, but no usable spend)."""
    return customer.origin if customer.origin != "清单" else "未分档"


def write_visits_xlsx(
    campaign: Campaign,
    path: str | Path,
    *,
    bands: tuple[str, ...] = (),
    unmask: bool | None = None,
    not_visited: bool = False,
    staff: str = "",
    force: bool = False,
    then: Callable[[list[str]], object] | None = None,
) -> tuple[Path, list[str]]:
    """Write the 走访记录 workbook for the campaign's customers (only ``bands`` if given,
    only those not yet visited if ``not_visited``, only those assigned to ``staff`` — with
    走访人 filled in — if given). Returns the path and the customer keys written. The phone
    is masked unless ``unmask`` (None: as the settings say). The file appears only when
    complete; an existing file is kept unless force.
    ``then(keys)`` runs once the file is in place (record the export in the campaign); if
    it raises, the file is removed again (a file it replaced is restored)."""
    import io

    path = Path(path)
    check_writable(path, force=force)
    customers = campaign.customers(bands)
    staff = person(staff)
    if staff:
        mine = {k for k, name in campaign.assignments().items() if name == staff}
        customers = [c for c in customers if c.key in mine]
    if not_visited:
        visited = {v.customer_key for v in campaign.visits()}
        customers = [c for c in customers if c.key not in visited]
    unmask = unmask_of(unmask)
    visitor = [None] * (len(VISIT_HEADERS) - len(IDENTIFYING))
    if staff:
        visitor[VISIT_HEADERS.index("走访人") - len(IDENTIFYING)] = staff
    rows = [[c.key, c.name, c.shown_phone(unmask), c.band or _no_band(c), c.offer_package,
             *visitor] for c in customers]  # fmt: skip
    wb = style.new_workbook()
    ws = wb.active
    ws.title = SHEET
    _table(ws, rows, campaign.info.staff)
    title = f"{campaign.info.name} {staff + ' ' if staff else ''}走访记录"
    setup_print(ws, title, landscape=True)
    help_ws = wb.create_sheet(HELP_SHEET)
    _help(help_ws, campaign, len(rows), bands, staff)
    setup_print(help_ws, title, header_rows=1)
    if LISTS_SHEET in wb.sheetnames:  # the hidden lists go last, after 填写说明
        wb.move_sheet(LISTS_SHEET, len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    keys = [c.key for c in customers]
    buf = io.BytesIO()  # made in memory, then written with every byte checked
    wb.save(buf)
    atomic_write_bytes(path, buf.getvalue(), force=force,
                       then=(lambda: then(keys)) if then is not None else None)  # fmt: skip
    return path, keys


__all__ = ["HELP_SHEET", "LISTS_SHEET", "SHEET", "extra_rows", "list_source", "write_visits_xlsx"]
