"""Customer lists where any cell may be odd (hypothesis strategies), written as Excel or
a user's CSV would be: the fuzz tests of the commands and of campaign files use them."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import openpyxl
from hypothesis import strategies as st

HEADER = ["客户编号", "客户名称", "用户号码", "当前套餐", "月均消费", "月均流量(GB)",
          "月均通话(分钟)", "入网时间", "合约到期", "在网时长(月)", "网格", "行业"]  # fmt: skip
# an ordinary value per column, so most lists have customers to band and write to
NORMAL = [
    st.from_regex(r"KH\d{3}", fullmatch=True),
    st.sampled_from(["张记五金店", "李娜服装", "王强", "赵敏茶叶"]),
    st.integers(13_000_000_000, 19_999_999_999).map(str),
    st.sampled_from(["畅享59元套餐", "5G畅享129元套餐", "畅享39元套餐", "未知套餐"]),
    st.floats(0, 500).map(lambda x: round(x, 2)),
    st.floats(0, 80).map(lambda x: round(x, 1)),
    st.integers(0, 2000),
    st.dates(dt.date(2000, 1, 1), dt.date(2026, 1, 1)),
    st.dates(dt.date(2025, 1, 1), dt.date(2030, 1, 1)),
    st.integers(0, 300),
    st.sampled_from(["一网格", "二网格", "三网格"]),
    st.sampled_from(["五金", "服装", "餐饮"]),
]
ODD_NUMBERS = [1e308, -1e308, 1e-308, 5e-324, -0.0, 1e28, 1e25, 1e15, 1_000_000.01, -12.5,
               2**63, -(2**63)]  # fmt: skip
ODD_TEXTS = [
    "1e308", "-1e308", "1e309", "-0", "inf", "-inf", "nan", "NaN", "1e-400", "0x1F",
    "１２８元", "1,2,3", "¥-0.00", "=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")',
    "+1+2", "-3+4", "@SUM(A1:A2)", "\x07", "张\x07三", "李_x0007_四", "a\x00b", "\x1b[31m",
    "名" * 300, "😀", "👨\u200d👩\u200d👧", "\u200b", "\u3000", " ", "", "—", "暂无", "#N/A",
    "0000-00-00", "9999-12-31", "1899-12-31", "2019-02-30", "99999999", "20191340",
    "1.38E+10", "$\\frac{$", "a$b$c", "<b>粗</b>", "&amp;", "\\", '"', "合计", "注：",
]  # fmt: skip
ODD = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ODD_NUMBERS),
    st.integers(-(10**20), 10**20),
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=12),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)),
)


def _row(odd: bool) -> st.SearchStrategy[list]:
    cells = [st.one_of(ODD, normal) if odd else normal for normal in NORMAL]
    return st.tuples(*cells).map(list)


# (file kind, rows): up to 3 rows where any cell may be odd, up to 2 ordinary ones, mixed
customer_lists = st.tuples(
    st.sampled_from(["xlsx", "csv"]),
    st.tuples(st.lists(_row(True), min_size=1, max_size=3), st.lists(_row(False), max_size=2))
    .map(lambda t: t[0] + t[1])
    .flatmap(st.permutations),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _excel_cell(v: object) -> object:
    """A value as Excel itself would store it: no inf/NaN numbers, control characters
    escaped as _x0007_, dates Excel can hold (others as the text a user typed)."""
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return str(v)
    if isinstance(v, int) and abs(v) >= 2**53:
        return str(v)
    if isinstance(v, str):
        return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", v)
    if isinstance(v, dt.date) and not dt.date(1900, 3, 1) <= _as_date(v) <= dt.date(9999, 12, 31):
        return v.isoformat()
    return v


def _as_date(v: dt.date) -> dt.date:
    return v.date() if isinstance(v, dt.datetime) else v


def write_list(folder: Path, kind: str, rows: list[list]) -> Path:
    if kind == "xlsx":
        path = folder / "客户清单.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(HEADER)
        for row in rows:
            ws.append([_excel_cell(v) for v in row])
        wb.save(path)
        return path
    path = folder / "客户清单.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return path
