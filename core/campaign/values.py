"""The visit record's fields, their closed value lists, and reading what users type.

``VISIT_HEADERS`` is row 1 of the 走访记录 sheet, exactly (a contract: files filled on
other laptops come back with it). The readers accept what real users type — Excel dates,
'2026/12/3', '2026-12-03', '2026年12月3日', '12月3日'; '88元', '￥88'; full-width
characters; spaces around — and raise ``BadValue`` with a Chinese reason otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from core.base.safe_text import without_controls

MANUAL = "录入"  # the source of a visit typed in the window
KEY = "客户编号"
VISIT_HEADERS: tuple[str, ...] = (
    "客户编号", "客户名称", "手机号码", "档位", "推荐套餐", "走访日期", "走访人", "方式",
    "是否见到决策人", "意向", "签约套餐", "签约月费", "异议", "客户建议", "竞争对手信息",
    "下次跟进日期",
)  # fmt: skip
# The columns that identify the customer (written by the program, locked in the sheet).
IDENTIFYING = VISIT_HEADERS[:5]
# Header → Visit attribute for the columns staff fill in.
VISIT_FIELDS: dict[str, str] = {
    "走访日期": "visit_date", "走访人": "visitor", "方式": "method", "是否见到决策人": "met",
    "意向": "intent", "签约套餐": "signed_package", "签约月费": "signed_fee",
    "异议": "objections", "客户建议": "suggestion", "竞争对手信息": "competitor",
    "下次跟进日期": "follow_up",
}  # fmt: skip
REQUIRED = ("走访日期", "走访人", "意向")

METHODS = ("上门", "电话", "微信", "现场活动")
YES, NO = "是", "否"
SIGNED, INTERESTED, CONSIDERING, NOT_INTERESTED, NOT_MET = (
    "已成交", "有意向", "考虑中", "无意向", "未见到")  # fmt: skip
INTENTS = (SIGNED, INTERESTED, CONSIDERING, NOT_INTERESTED, NOT_MET)
OBJECTIONS = ("价格", "信号", "换号麻烦", "合约未到期", "其他")
CLOSED: dict[str, tuple[str, ...]] = {
    "方式": METHODS, "是否见到决策人": (YES, NO), "意向": INTENTS, "异议": OBJECTIONS,
}  # fmt: skip
# The paper 信息反馈表 is the import's form: it prints every field the import reads
# (VISIT_FIELDS), the closed ones (CLOSED) with exactly these options in these words, and
# nothing the import cannot read. core.documents fills the template's option fields
# ({方式选项} …) from CLOSED; a test renders the form and compares it with these.
OPTION_FIELD = "{header}选项"  # the letter field holding a closed list: 方式选项, 意向选项 …
PAPER_NOTE = "本表在拜访结束后整理填写，请勿在客户处当面填写；填好后按走访表的列录入或导入。"

# Where a customer came from (customers.origin): the list the campaign was made from, a
# list without spend (物管名单: names, shops, phones) or a walk-in met during the sweep.
LISTED, PROSPECT, WALK_IN = "清单", "潜在客户", "现场新增"
ORIGINS = (LISTED, PROSPECT, WALK_IN)
NEW_ORIGINS = (PROSPECT, WALK_IN)  # not yet on the network: 新增客户 when they sign
# Columns of the campaign's customer frame (and of letters made for a campaign) that say
# where a customer came from and who visits them; Chinese, as the report shows them.
ORIGIN_COLUMN, ASSIGNEE_COLUMN = "客户来源", "分配给"
# How a customer came to be assigned (assignments.how) → what the user reads.
ASSIGN_HOW: dict[str, str] = {
    "balanced": "按人数均分", "grid": "按网格整片分", "band": "各档均分", "manager": "客户经理认领",
    "manual": "手工分配", "walk_in": "现场新增", "follow_up": "沿用上一轮",
}  # fmt: skip

_YES_WORDS = {"是", "是的", "见到", "见到了", "有", "Y", "YES", "√", "✓", "✔", "1", "TRUE"}
_NO_WORDS = {"否", "不是", "没有", "没见到", "未见到", "无", "N", "NO", "×", "✗", "✘", "0", "FALSE"}
_NONE_WORDS = {"无", "没有", "无异议", "-", "—", "/"}
_SPLIT = re.compile(r"[、,，;；/|\s]+")
EARLIEST = dt.date(2000, 1, 1)


class BadValue(ValueError):
    """A cell's value cannot be used; ``reason`` says why and what to write instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def norm(value: Any) -> str:
    """A typed value for comparing: full-width → half-width (NFKC), control characters out,
    spaces trimmed and runs of spaces made one; '' for empty cells."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", without_controls(str(value)))
    return " ".join(text.split())


def text(value: Any, limit: int = 500) -> str:
    """Free text (客户建议, 竞争对手信息 …): as typed, spaces tidied, at most ``limit`` chars."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = " ".join(without_controls(str(value)).split())
    return out[:limit]


def person(value: Any) -> str:
    """A person's name (走访人): NFKC, spaces tidied; '张 三' and '张三' are the same name
    only if typed the same way, so Chinese names lose inner spaces."""
    name = norm(value)
    if name and all(ord(ch) > 0x2E80 or ch == " " for ch in name):
        name = name.replace(" ", "")
    return name[:40]


def choice(value: Any, options: tuple[str, ...], header: str) -> str:
    """One of ``options``: exact, or the only option the typed text contains ('上门拜访' →
    上门) or that contains it ('成交' → 已成交); '' for an empty cell."""
    typed = norm(value)
    if not typed:
        return ""
    if typed in options:
        return typed
    inside = [o for o in options if o in typed]
    if len(inside) == 1:
        return inside[0]
    around = [o for o in options if len(typed) >= 2 and typed in o]
    if len(around) == 1:
        return around[0]
    raise BadValue(f"{header}“{typed}”不是可选的值；请从下拉列表中选择：{'/'.join(options)}。")


def yes_no(value: Any, header: str = "是否见到决策人") -> bool | None:
    typed = norm(value).upper()
    if not typed:
        return None
    if typed in _YES_WORDS:
        return True
    if typed in _NO_WORDS:
        return False
    raise BadValue(f"{header}“{norm(value)}”不是可选的值；请填写“是”或“否”。")


def objections(value: Any) -> tuple[str, ...]:
    """异议: one or several of OBJECTIONS separated by 、 , ; / or spaces; '无' for none."""
    typed = norm(value)
    if not typed or typed in _NONE_WORDS:
        return ()
    found: list[str] = []
    for part in _SPLIT.split(typed):
        if part and part not in _NONE_WORDS:
            item = choice(part, OBJECTIONS, "异议")
            if item not in found:
                found.append(item)
    return tuple(o for o in OBJECTIONS if o in found)


def fee(value: Any, header: str = "签约月费") -> float | None:
    """Yuan per month: 88, '88元', '￥88.5', '1,288', '８８元/月'; None for an empty cell."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        raise BadValue(f"{header}“{value}”不是金额；请填写每月多少元，例如 79。")
    if isinstance(value, int | float):
        amount = float(value)
    else:
        typed = norm(value)
        cleaned = re.sub(r"(元/月|元每月|元|/月|每月|RMB|CNY)$", "", typed, flags=re.I)
        cleaned = cleaned.lstrip("¥￥").replace(",", "").strip()
        if not cleaned:
            return None
        try:
            amount = float(cleaned)
        except ValueError:
            raise BadValue(f"{header}“{typed}”不是金额；请填写每月多少元，例如 79。") from None
    if not math.isfinite(amount) or amount < 0:
        raise BadValue(f"{header}“{_short(value)}”不是有效的金额；请填写 0 或正数，例如 79。")
    from core.base.money import MAX_MONTHLY_SPEND  # here: pandas loads only for a fee

    if amount > MAX_MONTHLY_SPEND:
        raise BadValue(f"{header}“{_short(value)}”大得不合理（每月最多 {MAX_MONTHLY_SPEND:,.0f} "
                       "元）；请核对金额（单位是元/月）。")  # fmt: skip
    return round(amount + 0.0, 2)


def _short(value: Any, limit: int = 20) -> str:
    """A typed value for a message: 1e308 stays '1e+308', never a 300-digit number."""
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        typed = f"{value:.12g}"
    elif isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15:
        typed = f"{float(value):.6g}"
    else:
        typed = norm(value)
    return typed if len(typed) <= limit else typed[: limit - 1] + "…"


_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MD = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# a date cell that holds 0, as Excel, WPS or a database export show it: no date
_ZERO_DATE = re.compile(r"^(0|0?0:00(:00)?|0000-00-00( 00:00(:00)?)?|1900-01-00)$")


def date(
    value: Any, header: str, *, today: dt.date, after: dt.date | None = None
) -> dt.date | None:
    """A date from an Excel date, an Excel serial number or typed text; None for empty.

    Without a year ('12月3日'), a 走访日期 is the latest such day not after ``today``; a
    date that must come ``after`` another (下次跟进日期) is the first such day on or after it.
    """
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    example = "请写成 2026-12-03 这样的日期"
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):  # an Excel date cell holding a number below 1
        if value == dt.time(0):  # 0: Excel's "no date" (shown 1900-01-00 or 00:00:00)
            return None
        raise BadValue(f"{header}“{value:%H:%M}”是一个时间，不是日期；{example}。")
    if isinstance(value, bool):
        raise BadValue(f"{header}“{value}”不是日期；{example}。")
    if isinstance(value, int | float):
        if value == 0:
            return None
        if not 1 <= value < 2958466 or not float(value).is_integer():
            raise BadValue(f"{header}“{_short(value)}”不是日期；{example}。")
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    typed = norm(value)
    if not typed or _ZERO_DATE.match(typed):
        return None
    day_text = typed.split(" ")[0] if re.match(r"^\d{4}\D", typed) else typed
    try:
        if m := _YMD.match(day_text) or _COMPACT.match(day_text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MD.match(typed):
            return _without_year(int(m[1]), int(m[2]), today, after)
    except ValueError:
        raise BadValue(f"{header}“{typed}”不是存在的日期；{example}。") from None
    raise BadValue(f"{header}“{typed}”不是日期；{example}。")


def _without_year(month: int, day: int, today: dt.date, after: dt.date | None) -> dt.date:
    if after is not None:
        found = dt.date(after.year, month, day) if _valid(after.year, month, day) else None
        if found is None or found < after:
            found = dt.date(after.year + 1, month, day)
        return found
    found = dt.date(today.year, month, day) if _valid(today.year, month, day) else None
    if found is None or found > today:
        found = dt.date(today.year - 1, month, day)
    return found


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def check_visit_date(day: dt.date, today: dt.date) -> None:
    if day < EARLIEST:
        raise BadValue(f"走访日期 {day:%Y-%m-%d} 太早了；请核对年份。")
    if day > today + dt.timedelta(days=1):
        raise BadValue(f"走访日期 {day:%Y-%m-%d} 晚于今天；请核对年份和月份。")


def check_follow_up(day: dt.date, visit_day: dt.date) -> None:
    if day < visit_day:
        raise BadValue(
            f"下次跟进日期 {day:%Y-%m-%d} 早于走访日期 {visit_day:%Y-%m-%d}；请核对日期。"
        )
    if day > visit_day + dt.timedelta(days=3 * 366):
        raise BadValue(f"下次跟进日期 {day:%Y-%m-%d} 离走访日期太远；请核对年份。")


def check_consistent(intent: str, met: bool | None, signed_package: str) -> None:
    """Answers that contradict each other (BadValue): 未见到 yet 见到决策人 是; 已成交
    without 签约套餐. For a form and an imported row alike."""
    if intent == NOT_MET and met is True:
        raise BadValue("意向是“未见到”，是否见到决策人却填了“是”；请核对是否见到了客户。")
    if intent == SIGNED and not signed_package.strip():
        raise BadValue("意向是“已成交”，却没有填写签约套餐；请填写客户办理的套餐。")


def package_key(name: Any) -> str:
    """A package name for comparing: NFKC and without spaces (as core.marketing does)."""
    return "".join(norm(name).split())


__all__ = [
    "ASSIGNEE_COLUMN",
    "ASSIGN_HOW",
    "CLOSED",
    "IDENTIFYING",
    "INTENTS",
    "METHODS",
    "NEW_ORIGINS",
    "OBJECTIONS",
    "OPTION_FIELD",
    "ORIGINS",
    "ORIGIN_COLUMN",
    "PAPER_NOTE",
    "REQUIRED",
    "VISIT_FIELDS",
    "VISIT_HEADERS",
    "BadValue",
    "check_consistent",
    "choice",
    "date",
    "fee",
    "norm",
    "objections",
    "person",
    "text",
    "yes_no",
]
