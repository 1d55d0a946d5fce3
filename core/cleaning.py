"""Vectorised cleaning of raw cell values (never one Python call per cell for 200k rows).

Each parser takes a pandas Series of raw values (object: str, float, int, date, "")
and returns the clean values plus a status per cell: OK, MISSING or BAD.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OK = 0
MISSING = 1
BAD = 2

MISSING_TOKENS = frozenset({
    "", "-", "--", "—", "——", "–", "/", "\\", "无", "暂无", "空", "null", "none", "nan", "nat",
    "n/a", "na", "#n/a", "#value!", "#ref!", "#div/0!", "未知", "不详", "?", "？",
})  # fmt: skip

# Full-width digits, signs and spaces -> ASCII (the common cases without NFKC's cost).
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋　％（）／：",
    "0123456789.,-+ %()/:",
)


def _as_text(values: pd.Series) -> pd.Series:
    """Object series of stripped, half-width strings (NaN/None -> '')."""
    text = values.astype(object).where(values.notna(), "")
    text = text.map(str, na_action=None) if len(text) else text.astype(str)
    return text.str.translate(_FULLWIDTH).str.strip()


def is_missing_text(text: pd.Series) -> pd.Series:
    return text.str.lower().isin(MISSING_TOKENS)


def parse_numbers(values: pd.Series, scale: float = 1.0) -> tuple[pd.Series, pd.Series]:
    """Numbers from cells like 128.5, "128.5元", " 88 ", "１２８", "1,280.00", "¥99".

    Returns (float64 values, status). "—", "暂无" and blanks are MISSING; text that is
    not a number is BAD. Values are multiplied by ``scale`` (e.g. 1/1024 for MB → GB).
    """
    values = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    nums = pd.to_numeric(values, errors="coerce")
    if nums.dtype == bool:
        nums = nums.astype("float64")
    nums = nums.astype("float64")
    status = pd.Series(OK, index=values.index, dtype="int8")
    todo = nums.isna()
    if todo.any():
        raw = values[todo]
        text = _as_text(raw)
        missing = is_missing_text(text)
        cleaned = (
            text.str.replace(r"[¥￥,，\s]|元|人民币|rmb|yuan|/月|每月", "", regex=True, case=False)
            .str.replace(r"(?i)(gb|g|mb|m|分钟|min|分|秒)$", "", regex=True)
        )
        parsed = pd.to_numeric(cleaned.where(~missing, None), errors="coerce").astype("float64")
        nums.loc[todo] = parsed
        status.loc[todo] = np.where(missing, MISSING, np.where(parsed.isna(), BAD, OK)).astype("int8")
    inf = np.isinf(nums.to_numpy())
    if inf.any():
        nums[inf] = np.nan
        status[inf] = BAD
    if scale != 1.0:
        nums = nums * scale
    return nums, status


def parse_volume_gb(values: pd.Series, header_unit: str) -> tuple[pd.Series, pd.Series, str]:
    """Data volume in GB. Units per cell ("800MB", "2.5G") win over the header's unit.

    Returns (GB values, status, the unit assumed for bare numbers: 'gb', 'mb' or 'kb').
    """
    text = _as_text(values).str.lower()
    cell_mb = text.str.endswith(("mb", "m"))
    cell_kb = text.str.endswith(("kb", "k"))
    nums, status = parse_numbers(values.where(~cell_kb, text.str.rstrip("kb")))
    unit = header_unit if header_unit in ("gb", "mb", "kb") else ""
    bare = ~(cell_mb | cell_kb | text.str.endswith(("gb", "g")))
    if not unit:
        sample = nums[bare & (status == OK)]
        unit = "mb" if len(sample) and sample.median() > 300 else "gb"
    factor = {"gb": 1.0, "mb": 1 / 1024, "kb": 1 / 1024 / 1024}[unit]
    scale = np.where(cell_mb, 1 / 1024, np.where(cell_kb, 1 / 1024 / 1024, np.where(bare, factor, 1.0)))
    return nums * scale, status, unit


_MOBILE = r"1[3-9]\d{9}"


def parse_phones(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Phone numbers as text: mobiles as 11 digits, landlines as "0571-88123456".

    Handles numbers stored as floats (13812345678.0, 1.3812345678E10), spaces, dashes,
    "+86"/"0086", full-width digits, and landlines whose leading 0 was lost in Excel.
    """
    raw = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    nums = pd.to_numeric(raw, errors="coerce")
    text = _as_text(raw)
    # numbers stored as numbers (13812345678.0): their digits, without ".0"
    kinds = raw.map(type)
    is_num = nums.notna() & (kinds.eq(float) | kinds.eq(int))
    if is_num.any():
        whole = nums[is_num]
        integral = (whole == np.floor(whole)) & (whole.abs() < 1e16)
        text.loc[whole.index[integral]] = whole[integral].astype("int64").astype(str)
    # text like "13812345678.0" or "1.3812345678E+10" (a number shown as text)
    sci = text.str.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+|\d{7,}\.0+")
    if sci.any():
        text.loc[sci] = pd.to_numeric(text[sci], errors="coerce").map(
            lambda v: str(int(v)) if pd.notna(v) else "")
    missing = is_missing_text(text)
    digits = text.str.replace(r"[\s\-()（）\.]", "", regex=True)
    digits = digits.str.replace(r"^(\+86|0086|\+?86(?=1[3-9]\d{9}$))", "", regex=True)
    mobile = digits.str.fullmatch(_MOBILE)
    landline = digits.str.fullmatch(r"0[1-9]\d{8,10}")
    # a landline whose leading 0 was lost when it was stored as a number
    lost_zero = digits.str.fullmatch(r"[2-9]\d{9,10}") & ~mobile
    local = digits.str.fullmatch(r"[2-9]\d{6,7}")
    out = pd.Series(pd.NA, index=raw.index, dtype=object)
    out[mobile] = digits[mobile]
    fixed = ("0" + digits[lost_zero])
    land = pd.concat([digits[landline], fixed]) if lost_zero.any() else digits[landline]
    if len(land):
        area_len = np.where(land.str[1].isin(["1", "2"]), 3, 4)
        out[land.index] = [f"{n[:a]}-{n[a:]}" for n, a in zip(land, area_len)]
    out[local] = digits[local]
    status = pd.Series(OK, index=raw.index, dtype="int8")
    status[out.isna()] = BAD
    status[missing] = MISSING
    out[missing] = pd.NA
    return out, status


_DATE_PATTERNS = [
    # (regex on the stripped text, replacement giving YYYY-MM-DD)
    (r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$", r"\1-\2-\3"),
    (r"^(\d{4})(\d{2})(\d{2})(?:\.0+)?$", r"\1-\2-\3"),
    (r"^(\d{4})[-/.年](\d{1,2})月?$", r"\1-\2-1"),
    (r"^(\d{4})(\d{2})$", r"\1-\2-1"),
]


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from Excel dates, "2019/03/05", "20190305", "2019年3月5日", "2019-03", serials."""
    raw = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    status = pd.Series(OK, index=raw.index, dtype="int8")
    is_dt = raw.map(lambda v: hasattr(v, "year") and hasattr(v, "month"), na_action="ignore")
    is_dt = is_dt.fillna(False).astype(bool)
    if is_dt.any():
        out[is_dt] = pd.to_datetime(raw[is_dt].map(_to_timestamp), errors="coerce").dt.normalize()
    rest = ~is_dt
    text = _as_text(raw[rest])
    missing = is_missing_text(text)
    norm = text.copy()
    for pattern, repl in _DATE_PATTERNS:
        norm = norm.str.replace(pattern, repl, regex=True)
    parsed = pd.to_datetime(norm.where(~missing, None), format="%Y-%m-%d", errors="coerce")
    # Excel serial day numbers (a date cell read without its format)
    serial = pd.to_numeric(text, errors="coerce")
    is_serial = parsed.isna() & serial.between(20000, 80000)
    if is_serial.any():
        parsed[is_serial] = pd.Timestamp("1899-12-30") + pd.to_timedelta(serial[is_serial], unit="D")
    out[rest] = parsed.dt.normalize()
    status[rest] = np.where(missing, MISSING, np.where(parsed.isna(), BAD, OK)).astype("int8")
    bad_dt = is_dt & out.isna()
    status[bad_dt] = BAD
    return out, status


def _to_timestamp(v):
    try:
        return pd.Timestamp(v)
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def clean_text(values: pd.Series) -> pd.Series:
    """Stripped text; blanks and "—"/"暂无" become NA. Numbers lose a spurious ".0"."""
    raw = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    text = raw.astype(object).where(raw.notna(), "")
    is_float = text.map(lambda v: isinstance(v, float) and v.is_integer(), na_action="ignore")
    is_float = is_float.fillna(False).astype(bool)
    if is_float.any():
        text[is_float] = text[is_float].map(lambda v: str(int(v)))
    is_date = text.map(lambda v: hasattr(v, "year") and hasattr(v, "month"), na_action="ignore")
    is_date = is_date.fillna(False).astype(bool)
    if is_date.any():
        text[is_date] = text[is_date].map(lambda v: v.strftime("%Y-%m-%d"))
    text = text.map(str).str.replace("\u3000", " ").str.strip()
    text = text.str.replace(r"\s+", " ", regex=True)
    out = text.astype(object)
    out[is_missing_text(text)] = pd.NA
    return out
