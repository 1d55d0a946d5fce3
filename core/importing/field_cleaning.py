"""Clean one mapped column and list its problem cells with a Chinese reason each."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from core.base.fields import BY_KEY, DATE, NUMBER, PHONE
from core.base.money import MAX_MONTHLY_SPEND
from core.base.safe_text import without_controls
from core.importing import cleaning
from core.importing.problems import Problem

# The largest believable value of a usage-like number (after unit conversion), its unit,
# and the mix-up that usually explains a larger one. Larger, negative or infinite values
# are listed as ``implausible_number`` and treated as unknown.
USAGE_LIMITS: dict[str, tuple[float, str, str]] = {
    "data_gb": (100_000.0, "GB", "是否把 MB 或 KB 当成了 GB"),
    "voice_min": (100_000.0, "分钟", "是否把秒当成了分钟"),
    "tenure_months": (1_200.0, "个月", "是否把天当成了月"),
}


def empty_column(kind: str, index: pd.RangeIndex) -> pd.Series:
    if kind == DATE:
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if kind in (NUMBER, "money", "data"):
        return pd.Series(np.nan, index=index, dtype="float64")
    return pd.Series(pd.NA, index=index, dtype=object)


def _shown(value: object) -> str:
    text = without_controls(str(value)).strip()
    return text if len(text) <= 30 else text[:30] + "…"


def _limit(value: float) -> str:
    return f"{value:,.0f}"


# code -> message for one cell (its field label and raw value); Chinese, says what to do
_MESSAGES = {
    "missing_spend": lambda lab, v: (
        "月均消费为空，该客户保留在清单中但无法分档；请在原表补上金额后重新导入。"
    ),
    "bad_spend": lambda lab, v: (
        f"月均消费“{_shown(v)}”不是金额，该客户无法分档；请在原表改成数字（如 88.50）后重新导入。"
    ),
    "negative_spend": lambda lab, v: (
        f"月均消费为负数（{_shown(v)}），可能是退费或调账，该客户不参与分档；请核实金额。"
    ),
    "implausible_spend": lambda lab, v: (
        f"月均消费“{_shown(v)}”超出合理范围（每月最多 {_limit(MAX_MONTHLY_SPEND)} 元），"
        "该客户保留在清单中但不参与分档；请核实金额和单位（是否把“分”当成了“元”、"
        "多输了几位数字），在原表改正后重新导入。"
    ),
    "missing_phone": lambda lab, v: "号码为空；客户仍保留，但建议书上不会有号码，请补充。",
    "bad_phone": lambda lab, v: (
        f"号码“{_shown(v)}”被 Excel 显示成了科学计数法，后几位数字已经丢失；请在导出系统中把号码列"
        "设为文本后重新导出（或在原表中改回完整号码）。"
        if cleaning.lost_digits(str(v))
        else f"号码“{_shown(v)}”不是有效的手机或固话号码（手机为 11 位，固话需带区号）；请在原表核对。"
    ),
    "bad_number": lambda lab, v: (
        f"{lab}“{_shown(v)}”不是数字，按未知处理；如需使用，请在原表改成数字后重新导入。"
    ),
    "bad_date": lambda lab, v: (
        f"{lab}“{_shown(v)}”不是有效日期（应如 2019-03-05），按未知处理；"
        "如需使用，请在原表改正后重新导入。"
    ),
}


Message = Callable[[str, object], str]
Check = tuple[pd.Series, str] | tuple[pd.Series, str, Message]


def _negative_message(lab: str, v: object) -> str:
    return f"{lab}为负数（{_shown(v)}），按未知处理；请在原表核实后重新导入。"


def _too_large_message(key: str) -> Message:
    limit, unit, mixup = USAGE_LIMITS[key]
    return lambda lab, v: (
        f"{lab}“{_shown(v)}”大得不合理（超过 {_limit(limit)} {unit}），按未知处理；"
        f"请核实数值和单位（{mixup}），在原表改正后重新导入。"
    )


def _problems(
    checks: list[Check], values: pd.Series, source_rows: np.ndarray, key: str
) -> list[Problem]:
    """One Problem per flagged cell; ``checks`` pairs a boolean mask with a problem code
    (and optionally the message for it, else the code's own)."""
    lab = BY_KEY[key].label
    out = []
    for mask, code, *how in checks:
        message = how[0] if how else _MESSAGES[code]
        for i in np.flatnonzero(mask.to_numpy()):
            out.append(Problem(int(source_rows[i]), key, code, message(lab, values.iat[i])))
    return out


def _rounded(nums: pd.Series, decimals: int) -> pd.Series:
    """``nums.round(decimals)`` without overflow: values too large to round stay as they are."""
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = nums.round(decimals)
        return rounded.where(nums.abs() < 1e15, nums)


def _usage_checks(key: str, nums: pd.Series, status: pd.Series) -> tuple[pd.Series, list[Check]]:
    """Usage-like numbers: NaN where negative, not finite or too large, and those checks."""
    ok = status == cleaning.OK
    with np.errstate(invalid="ignore"):
        negative = ok & (nums < 0)
        too_large = (status == cleaning.HUGE) | (ok & ~negative & ~(nums <= USAGE_LIMITS[key][0]))
    checks: list[Check] = [
        (status == cleaning.BAD, "bad_number"),
        (negative, "implausible_number", _negative_message),
        (too_large, "implausible_number", _too_large_message(key)),
    ]
    return nums.where(~(negative | too_large), np.nan), checks


def clean_field(
    key: str, kind: str, values: pd.Series, unit: str, source_rows: np.ndarray
) -> tuple[pd.Series, list[Problem], str]:
    """Clean one mapped column: (values, problems, a note on how units were read)."""
    note = ""
    if key == "spend":
        nums, status = cleaning.parse_numbers(values, 0.01 if unit == "分" else 1.0)
        ok = status == cleaning.OK
        negative = ok & (nums < 0)
        # not finite, or more than anyone spends a month: listed, not banded
        implausible = (status == cleaning.HUGE) | (ok & ~negative & ~(nums <= MAX_MONTHLY_SPEND))
        checks = [(status == cleaning.MISSING, "missing_spend"), (status == cleaning.BAD, "bad_spend"),
                  (negative, "negative_spend"), (implausible, "implausible_spend")]  # fmt: skip
        if unit == "分":
            note = "“月均消费”列单位为分，已换算为元。"
        clean = nums.where(~(negative | implausible), np.nan).round(2)
    elif kind == PHONE:
        clean, status = cleaning.parse_phones(values)
        checks = [
            (status == cleaning.MISSING, "missing_phone"),
            (status == cleaning.BAD, "bad_phone"),
        ]
    elif key == "data_gb":
        gb, status, assumed = cleaning.parse_volume_gb(values, unit)
        if not unit and assumed == "mb":
            note = "“月均流量”列没有注明单位，数值较大，已按 MB 换算为 GB。"
        elif unit in ("mb", "kb"):
            note = f"“月均流量”列单位为 {unit.upper()}，已换算为 GB。"
        gb, checks = _usage_checks(key, gb, status)
        clean = _rounded(gb, 3)
    elif kind == NUMBER:
        scale = 1.0
        if key == "voice_min" and unit == "秒":
            scale, note = 1 / 60, "“月均通话”列单位为秒，已换算为分钟。"
        if key == "tenure_months" and unit == "年":
            scale, note = 12.0, "“在网时长”列单位为年，已换算为月。"
        nums, status = cleaning.parse_numbers(values, scale)
        if key in USAGE_LIMITS:
            nums, checks = _usage_checks(key, nums, status)
        else:
            checks = [(status == cleaning.BAD, "bad_number"),
                      (status == cleaning.HUGE, "bad_number")]  # fmt: skip
        clean = _rounded(nums, 2)
    elif kind == DATE:
        clean, status = cleaning.parse_dates(values)
        checks = [(status == cleaning.BAD, "bad_date")]
    else:  # text, and the never-printed 证件号码
        return cleaning.clean_text(values), [], note
    return clean, _problems(checks, values, source_rows, key), note
