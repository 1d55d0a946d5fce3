"""Cleaning of raw cell values, fast enough for 200,000-row lists.

Each parser takes a pandas Series of raw values (object: str, float, int, date, "")
and returns the clean values plus a status per cell: OK, MISSING or BAD. Numbers and
dates go through pandas' vectorised converters first; only the cells those reject
get the slower text treatment. Text and phone cells take one pass of a small function.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from core.base.safe_text import without_controls

OK = 0
MISSING = 1
BAD = 2
HUGE = 3  # a number too large to hold (1e309 and the like); its value is NaN

MISSING_TOKENS = frozenset({
    "", "-", "--", "—", "——", "–", "/", "\\", "无", "暂无", "空", "null", "none", "nan", "nat",
    "n/a", "na", "#n/a", "#value!", "#ref!", "#div/0!", "未知", "不详", "?", "？",
})  # fmt: skip
_MISSING_MAXLEN = max(len(t) for t in MISSING_TOKENS)
# the tokens as they are usually written, for a set lookup without lower()
_MISSING_ANYCASE = frozenset(
    v for t in MISSING_TOKENS for v in (t, t.upper(), t.capitalize(), t.title())
)

# Full-width digits, signs and spaces -> ASCII (the common cases, cheaper than NFKC).
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋　％（）／：",
    "0123456789.,-+ %()/:",
)


def _is_missing(text: str) -> bool:
    return len(text) <= _MISSING_MAXLEN and text.lower() in MISSING_TOKENS


def _status(values: np.ndarray | list) -> pd.Series:
    return pd.Series(np.asarray(values, dtype="int8"))


def _to_text(v: object) -> str:
    """A raw cell as stripped half-width text ('' for empty)."""
    if v is None:
        return ""
    if v.__class__ is float:
        if v != v:  # NaN
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
    return unwrap_formula_text(str(v).translate(_FULLWIDTH).strip())


def unwrap_formula_text(text: str) -> str:
    """CRM exports write ="13812345678" so Excel keeps the digits as text: take the text."""
    if text.startswith('="') and text.endswith('"') and len(text) >= 3:
        return text[2:-1].strip()
    return text


def lost_digits(text: str) -> bool:
    """True for "1.38123E+10": Excel's scientific display kept fewer digits than the number."""
    m = _SCI_PARTS.fullmatch(text.strip())
    if not m:
        return False
    significant = len((m.group(1) + (m.group(2) or "")).lstrip("0"))
    return significant < int(m.group(3)) + 1


_SCI_PARTS = re.compile(r"(\d+)(?:\.(\d+))?[eE]\+?(\d+)")


# --- numbers -----------------------------------------------------------------------------------

_NUMBER_JUNK = re.compile(r"[¥￥,，\s]|元|人民币|rmb|yuan|/月|每月", re.I)
_UNIT_SUFFIX = re.compile(r"(gb|g|mb|m|分钟|min|分|秒)$", re.I)


def _number_from_text(v: object) -> tuple[float, int]:
    text = _to_text(v)
    if _is_missing(text):
        return np.nan, MISSING
    text = _UNIT_SUFFIX.sub("", _NUMBER_JUNK.sub("", text))
    try:
        value = float(text)
    except ValueError:
        return np.nan, BAD
    if value != value:
        return np.nan, BAD
    if value in (float("inf"), float("-inf")):
        return np.nan, _inf_status(text)
    return value, OK


def _inf_status(v: object) -> int:
    """HUGE for a number too large for a float ("1e309"); BAD for the word "inf"."""
    if not isinstance(v, str):
        return HUGE
    return HUGE if any(ch.isdigit() for ch in v) else BAD


def parse_numbers(values: pd.Series, scale: float = 1.0) -> tuple[pd.Series, pd.Series]:
    """Numbers from cells like 128.5, "128.5元", " 88 ", "１２８", "1,280.00", "¥99".

    Returns (float64 values, status). "—", "暂无" and blanks are MISSING; text that is
    not a number is BAD; a number too large for a float ("1e309") is HUGE (value NaN).
    Values are multiplied by ``scale`` (e.g. 0.01 for 分 → 元).
    """
    values = _series(values)
    nums = pd.to_numeric(values, errors="coerce")
    nums = nums.astype("float64").reset_index(drop=True)
    status = np.zeros(len(values), dtype="int8")
    todo = np.flatnonzero(nums.isna().to_numpy())
    if len(todo):
        raw = values.to_numpy()
        parsed = [_number_from_text(raw[i]) for i in todo]
        nums.iloc[todo] = [p[0] for p in parsed]
        status[todo] = [p[1] for p in parsed]
    arr = nums.to_numpy()
    inf = np.isinf(arr)
    if inf.any():
        arr = arr.copy()
        arr[inf] = np.nan
        raw = values.to_numpy()
        status[inf] = [_inf_status(v) for v in raw[inf]]
        nums = pd.Series(arr)
    if scale != 1.0:
        nums = nums * scale
    nums.index = values.index
    st = _status(status)
    st.index = values.index
    return nums, st


def parse_volume_gb(values: pd.Series, header_unit: str) -> tuple[pd.Series, pd.Series, str]:
    """Data volume in GB. A unit in the cell ("800MB", "2.5G") wins over the header's.

    Returns (GB values, status, the unit assumed for bare numbers: 'gb', 'mb' or 'kb').
    """
    values = _series(values)
    arr = values.to_numpy()
    cell_unit = np.full(len(arr), "", dtype=object)
    texts = np.flatnonzero(values.map(type).eq(str).to_numpy())  # numbers have no unit
    if len(texts):
        cell_unit[texts] = [_volume_unit(v) for v in arr[texts]]
    kb = cell_unit == "kb"
    if kb.any():
        values = values.copy()
        values[kb] = [_strip_kb(v) for v in arr[kb]]
    nums, status = parse_numbers(values)
    bare = cell_unit == ""
    unit = header_unit if header_unit in ("gb", "mb", "kb") else ""
    if not unit:
        sample = nums[bare & (status == OK).to_numpy()]
        with np.errstate(over="ignore"):  # two cells near 1e308: their mean is inf, still > 300
            unit = "mb" if len(sample) and sample.median() > 300 else "gb"
    factors = {"gb": 1.0, "mb": 1 / 1024, "kb": 1 / 1024 / 1024}
    scale = np.full(len(arr), factors[unit])
    for cell, factor in factors.items():  # a unit written in the cell wins
        scale[cell_unit == cell] = factor
    return nums * scale, status, unit


def _volume_unit(v: object) -> str:
    if v.__class__ is not str:
        return ""
    t = v.strip().lower()
    if t.endswith(("gb", "g")):
        return "gb"
    if t.endswith(("mb", "m", "兆")):
        return "mb"
    if t.endswith(("kb", "k")):
        return "kb"
    return ""


def _strip_kb(v: object) -> object:
    return v.strip().lower().rstrip("kb") if isinstance(v, str) else v


# --- phones ------------------------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s\-()（）.·]")
_PHONE_SEPARATORS = re.compile(r"[/,;，；、|]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0[1-9]\d{8,10}")
_LOST_ZERO = re.compile(r"[2-9]\d{9,10}")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_SCI = re.compile(r"\d+(\.\d+)?[eE]\+?\d+|\d{7,}\.0+")


def _phone_cell(v: object) -> tuple[object, int]:
    cls = v.__class__
    if cls is float and 13e9 <= v < 2e10 and v.is_integer():  # the common case, fast
        return str(int(v)), OK
    if (
        cls is str
        and len(v) == 11
        and v.isascii()
        and v.isdigit()
        and v[0] == "1"
        and v[1] in "3456789"
    ):
        return v, OK
    if cls is float or cls is int:
        if v != v:
            return pd.NA, MISSING
        if float(v).is_integer() and 0 < v < 1e16:
            text = str(int(v))
        else:
            return pd.NA, BAD
    else:
        text = _to_text(v)
        if _is_missing(text):
            return pd.NA, MISSING
        if _SCI.fullmatch(text):
            if lost_digits(text):  # the last digits are gone: never invent a number
                return pd.NA, BAD
            try:
                text = str(int(float(text)))
            except (ValueError, OverflowError):
                return pd.NA, BAD
    if _PHONE_SEPARATORS.search(text):
        # two numbers in one cell ("13812345678/13912345678"): the first valid one
        for part in _PHONE_SEPARATORS.split(text):
            value, status = _phone_cell(part) if part.strip() else (pd.NA, MISSING)
            if status == OK:
                return value, OK
        return pd.NA, BAD
    digits = _PHONE_JUNK.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13 and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return digits, OK
    if _LOST_ZERO.fullmatch(digits):  # a landline whose leading 0 Excel dropped
        digits = "0" + digits
    if _LANDLINE.fullmatch(digits):
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}-{digits[area:]}", OK
    if _LOCAL.fullmatch(digits):
        return digits, OK
    return pd.NA, BAD


def parse_phones(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Phone numbers as text: mobiles as 11 digits, landlines as "0571-88123456".

    Handles numbers stored as floats (13812345678.0, "1.3812345678E+10"), spaces, dashes,
    "+86"/"0086", full-width digits, and landlines whose leading 0 was lost in Excel.
    """
    values = _series(values)
    n = len(values)
    out = np.full(n, pd.NA, dtype=object)
    status = np.zeros(n, dtype="int8")
    # the common case, vectorised: a mobile number stored as a number (13812345678.0)
    nums = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    mobile = (nums >= 13e9) & (nums < 2e10) & (nums == np.floor(nums))
    kinds = values.map(type)
    fast = mobile & (kinds.eq(float) | kinds.eq(int)).to_numpy()
    if fast.any():
        out[fast] = nums[fast].astype("int64").astype(str).astype(object)
    # and as plain text "13812345678" (11 ASCII digits: to_numeric already read it)
    as_text = np.flatnonzero(mobile & kinds.eq(str).to_numpy())
    if len(as_text):
        arr = values.to_numpy()
        plain = np.fromiter(
            (len(v) == 11 and v.isascii() and v.isdigit() for v in arr[as_text]), bool, len(as_text)
        )
        out[as_text[plain]] = arr[as_text[plain]]
        fast[as_text[plain]] = True
    arr = values.to_numpy()
    for i in np.flatnonzero(~fast):
        out[i], status[i] = _phone_cell(arr[i])
    st = _status(status)
    st.index = values.index
    return pd.Series(out, index=values.index, dtype=object), st


# --- dates -------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")
_DATE_LOOSE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?月?")
_DATE_TYPES = (dt.date, dt.datetime, pd.Timestamp)
_EARLIEST = 1900
_FAR_FUTURE = 2200


def _date_from_text(v: object) -> tuple[object, int]:
    if isinstance(v, dt.time) and v == dt.time(0):  # an Excel date cell holding 0: no date
        return pd.NaT, MISSING
    text = _to_text(v)
    if _is_missing(text):
        return pd.NaT, MISSING
    try:
        serial = float(text)
    except ValueError:
        serial = None
    if serial == 0:  # 0 in a date column: no date
        return pd.NaT, MISSING
    if serial is not None:
        if 20000 <= serial <= 80000:  # an Excel serial day number
            return pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(serial)), OK
        text = str(int(serial)) if serial.is_integer() else text
        if len(text) == 6:  # 201903 -> 2019-03
            text = f"{text[:4]}-{text[4:]}"
        elif len(text) == 8:
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE_LOOSE.match(text)
    if not m:
        return pd.NaT, BAD
    year = int(m.group(1))
    if year >= _FAR_FUTURE:  # 9999-12-31 and the like: "no end date"
        return pd.NaT, MISSING
    if year < _EARLIEST:
        return pd.NaT, BAD
    try:
        return pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)), OK
    except (ValueError, OverflowError):
        return pd.NaT, BAD


def _formats_seen(text: pd.Series, sample: int = 500) -> list[str]:
    """The formats that occur in a sample, most frequent first (others fall back per cell)."""
    head = text.iloc[:sample]
    hits = []
    for fmt in _DATE_FORMATS:
        n = int(pd.to_datetime(head, format=fmt, errors="coerce").notna().sum()) if len(head) else 0
        if n:
            hits.append((n, fmt))
    return [fmt for _n, fmt in sorted(hits, reverse=True)]


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from Excel dates, "2019/03/05", "20190305", "2019年3月5日", "2019-03", serials."""
    values = _series(values)
    n = len(values)
    out = pd.Series(pd.NaT, index=pd.RangeIndex(n), dtype="datetime64[ns]")
    status = np.zeros(n, dtype="int8")
    raw = values.reset_index(drop=True)
    kinds = raw.map(type)
    is_dt = kinds.isin(_DATE_TYPES).to_numpy()
    if is_dt.any():
        years = raw[is_dt].map(lambda v: v.year).to_numpy()
        far = np.zeros(n, dtype=bool)
        far[np.flatnonzero(is_dt)[years >= _FAR_FUTURE]] = True
        old = np.zeros(n, dtype=bool)
        old[np.flatnonzero(is_dt)[years < _EARLIEST]] = True
        status[far] = MISSING
        status[old] = BAD
        ok_dt = is_dt & ~far & ~old
        if ok_dt.any():
            out[ok_dt] = (
                pd.to_datetime(raw[ok_dt], errors="coerce").dt.normalize().astype("datetime64[ns]")
            )
        is_dt = ok_dt
    todo = ~is_dt & kinds.eq(str).to_numpy()
    text = raw[todo].str.strip() if todo.any() else raw[todo]
    for fmt in _formats_seen(text):
        if not len(text):
            break
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        ok = parsed.notna().to_numpy()
        if ok.any():
            years = parsed.dt.year.to_numpy(dtype="float64", na_value=np.nan)
            far = ok & (years >= _FAR_FUTURE)  # 9999-12-31: "no end date"
            old = ok & (years < _EARLIEST)
            status[text.index[far]] = MISSING
            status[text.index[old]] = BAD
            good = ok & ~far & ~old
            out[text.index[good]] = parsed[good].astype("datetime64[ns]")
            text = text[~ok]
    rest = np.flatnonzero(~is_dt & (status == OK))
    rest = rest[out.iloc[rest].isna().to_numpy()]
    if len(rest):
        arr = raw.to_numpy()
        pairs = [_date_from_text(arr[i]) for i in rest]
        out.iloc[rest] = pd.to_datetime([p[0] for p in pairs], errors="coerce").astype(
            "datetime64[ns]"
        )
        status[rest] = [p[1] for p in pairs]
    bad_dt = is_dt & out.isna().to_numpy()
    status[bad_dt] = BAD
    out.index = values.index
    st = _status(status)
    st.index = values.index
    return out, st


# --- text --------------------------------------------------------------------------------------

_INNER_SPACE = re.compile(r"\s\s|[\u3000\t\r\n\x0b\x0c\x1c-\x1f\u2028\u2029]")


def _text_cell(v: object) -> object:
    if v.__class__ is str:
        s = v.strip() if v.isprintable() and "_x" not in v else without_controls(v).strip()
        if not s:
            return pd.NA
        if s[0] == "=":
            s = unwrap_formula_text(s)
        if _INNER_SPACE.search(s):
            s = " ".join(s.replace("\u3000", " ").split())
        return pd.NA if _is_missing(s) else s
    if v is None:
        return pd.NA
    if v.__class__ is float:
        if v != v:
            return pd.NA
        return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
    if isinstance(v, _DATE_TYPES):
        return v.strftime("%Y-%m-%d")
    if v is pd.NA or v is pd.NaT:
        return pd.NA
    return str(v)


def clean_text(values: pd.Series) -> pd.Series:
    """Stripped text; blanks and "—"/"暂无" become NA; 12.0 becomes "12".

    Each distinct value is cleaned once (a 网格 column has a handful of values).
    """
    values = _series(values)
    if len(values) > 1000 and values.iloc[:1000].nunique() > 800:  # mostly unique: no dedup
        # clean strings (the usual case) are kept as they are without a function call
        miss = _MISSING_ANYCASE
        out = [
            v
            if v.__class__ is str
            and v.isprintable()
            and v[:1] != " "
            and v[-1:] != " "
            and "  " not in v
            and "_x" not in v
            and v not in miss
            else _text_cell(v)
            for v in values
        ]
        return pd.Series(out, index=values.index, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([_text_cell(v) for v in uniques] + [pd.NA], dtype=object)
    return pd.Series(cleaned[codes], index=values.index, dtype=object)


def _series(values) -> pd.Series:
    if isinstance(values, pd.Series):
        return values if values.dtype == object else values.astype(object)
    return pd.Series(list(values), dtype=object)
