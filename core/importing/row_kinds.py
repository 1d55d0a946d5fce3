"""Which rows below the header are customers.

Blank rows, 合计/总计 rows, "注：…" note lines and headers repeated on every page are
recognised (and counted by kind), so no row is silently taken for a customer or lost.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.importing import columns
from core.importing.grid import Grid

_TOTALS = re.compile(
    r"^(合\s*计|总\s*计|小\s*计|总合计|全部合计|汇\s*总|合计金额|total|grand\s*total|sum)"
    r"[:：\s]*.*$",
    re.I,
)
_TOTAL_WORDS = [
    "合计",
    "总计",
    "小计",
    "合 计",
    "总 计",
    "汇总",
    "合计：",
    "总计：",
    "总合计",
    "全部合计",
    "Total",
    "TOTAL",
    "total",
    "Grand Total",
    "合计:",
]
# a 小计/合计/总计 anywhere in a short cell ("城东网格小计", "合计：20户", "合计(城西)"),
# or a count line ("共10户")
_TOTALS_ANY = re.compile(
    r"(小\s*计|合\s*计|总\s*计)(?:[:：\s(（]|$)|^共\s*\d+\s*(户|人|个|条|位|名|行)"
)
_NOTE = re.compile(
    r"^(注|备注|说明|制表|导出|数据来源|打印|统计时间|统计日期|截至|截止|单位|"
    r"来源|审核|填报|报表|查询条件|以上|温馨提示|提示|页码|数据日期|口径|[*※]|"
    r"第\s*\d+\s*页|共\s*\d+\s*页)",
    re.I,
)
_PHONE_START = frozenset("0123456789+(（０１２３４５６７８９=")
_NUMBER_START = frozenset("0123456789+-.¥￥０１２３４５６７８９－")


def _starts_like(s: pd.Series, starts: frozenset[str]) -> np.ndarray:
    """True where the cell is a number, or text whose first character is in ``starts``."""
    out = pd.to_numeric(s, errors="coerce").notna().to_numpy().copy()  # numbers, in C
    arr = s.to_numpy()
    for i in np.flatnonzero(~out):  # the rest: text ("138 1234 5678", "注：…") and blanks
        v = arr[i]
        out[i] = v.__class__ is str and v.lstrip()[:1] in starts
    return out


def nonempty_cells(row: list) -> list:
    out = []
    for c in row:
        if c == "" or c is None:
            continue
        if type(c) is str and not c.strip():
            continue
        out.append(c)
    return out


def classify_rows(
    cols: list[pd.Series],
    grid: Grid,
    header_idx: int,
    data_start: int,
    headers: list[str],
    mapping: dict[str, int],
) -> tuple[np.ndarray, dict[str, list[int]]]:
    """Boolean mask of data rows, and skipped rows by kind (Excel row numbers)."""
    skipped: dict[str, list[int]] = {
        "title": [grid.excel_row(i) for i in range(header_idx) if nonempty_cells(grid.row(i))],
        "blank": [],
        "totals": [],
        "note": [],
        "header_repeat": [],
    }
    n = len(cols[0]) if cols else 0
    excel_rows = grid.excel_rows(np.arange(data_start, data_start + n))
    # blank rows: narrow the candidates column by column (most rows drop out at once)
    blank = np.ones(n, dtype=bool)
    for s in cols:
        idx = np.flatnonzero(blank)
        if not len(idx):
            break
        sub = s.iloc[idx]
        blank[idx] = (sub.isna() | sub.eq("")).to_numpy()
    keep = ~blank
    skipped["blank"] = excel_rows[blank].tolist()
    # 合计/小计/总计 rows: nothing that looks like a phone (or id), and a totals word
    phone_like = _starts_like(cols[mapping["phone"]], _PHONE_START) if "phone" in mapping else None
    if phone_like is not None:
        candidates = keep & ~phone_like
    else:
        candidates = keep.copy()
        for key in ("customer_id", "name"):
            if key in mapping:
                col = cols[mapping[key]]
                candidates &= (col.isna() | col.eq("")).to_numpy()
    for s in cols[:3]:  # "合计" written in the id or phone column itself
        candidates |= keep & s.isin(_TOTAL_WORDS).to_numpy()
    for i in np.flatnonzero(candidates):
        texts = [c.strip() for c in nonempty_cells([s.iat[i] for s in cols]) if isinstance(c, str)]
        if any(_TOTALS.match(t) or (len(t) <= 30 and _TOTALS_ANY.search(t)) for t in texts):
            keep[i] = False
            skipped["totals"].append(int(excel_rows[i]))
    # note lines ("注：…", "制表人：…  审核人：…", "第 2 页 共 4 页") and page titles
    # repeated further down: only text, no amount and no phone
    titles = {
        c.strip()
        for i in range(header_idx)
        for c in grid.row(i)
        if isinstance(c, str) and c.strip()
    }
    sparse = keep.copy()
    if "spend" in mapping:
        sparse &= ~_starts_like(cols[mapping["spend"]], _NUMBER_START)
    if phone_like is not None:
        sparse &= ~phone_like
    for i in np.flatnonzero(sparse):
        cells = nonempty_cells([s.iat[i] for s in cols])
        if not cells or len(cells) > 3 or not all(isinstance(c, str) for c in cells):
            continue
        texts = [c.strip() for c in cells]
        if _NOTE.match(texts[0]) or all(t in titles for t in texts):
            keep[i] = False
            skipped["note"].append(int(excel_rows[i]))
    # the header repeated (exports that print a header on every page)
    spend_col = mapping.get("spend")
    if spend_col is not None:
        header_norm = [columns.normalize(h) for h in headers]
        same = cols[spend_col].eq(headers[spend_col]).to_numpy()
        for i in np.flatnonzero(keep & same):
            if _is_header_repeat([s.iat[i] for s in cols], header_norm, mapping):
                keep[i] = False
                skipped["header_repeat"].append(int(excel_rows[i]))
    return keep, skipped


def _is_header_repeat(row: list, header_norm: list[str], mapping: dict[str, int]) -> bool:
    cols = list(mapping.values())
    same = sum(1 for c in cols if c < len(row) and columns.normalize(row[c]) == header_norm[c])
    return same >= max(2, len(cols) // 2)
