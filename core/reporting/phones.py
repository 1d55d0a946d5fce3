"""Phone numbers in the workbooks: masked (138****5678) unless the user asks to see them,
as in the letters and the 走访记录 sheet.

``unmask=None`` everywhere means "as the settings say" (设置 → 客户号码打码,
``core.base.settings.Settings.mask_phone``), so the window's one checkbox covers letters
and workbooks alike; the command line passes True only with ``--unmask``. Besides the
canonical ``phone`` column, a column the import left under its own name that looks like a
phone column (联系电话, 备用号码 …) is masked too, where a value holds a number.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from core.campaign.keys import mask_phone

if TYPE_CHECKING:
    import pandas as pd

PHONE_KEY = "phone"
# Unmapped columns named like these hold phone numbers (证件号码 is never written at all).
PHONE_NAME = re.compile(r"电话|手机|号码|联系方式")
SECRET_NAME = re.compile(r"证件|身份证")
MIN_DIGITS = 7  # fewer digits is not a number to hide (an unmapped column saying 无)


def unmask_of(unmask: bool | None) -> bool:
    """``unmask`` itself, or for None the saved setting (masked unless it was turned off)."""
    if unmask is not None:
        return bool(unmask)
    from core.base.settings import load_settings

    return not load_settings().mask_phone


def phone_columns(columns: Any) -> list[str]:
    """The columns of a customer table that hold phone numbers."""
    from core.base.fields import BY_KEY

    out = []
    for key in columns:
        name = str(key)
        if name == PHONE_KEY or (
            name not in BY_KEY and PHONE_NAME.search(name) and not SECRET_NAME.search(name)
        ):
            out.append(key)
    return out


def _mask_one(value: Any, keep_short: bool) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():  # 13812345678.0 from a careless source
            value = int(value)
    text = str(value)
    if len(text) >= 8 and text.isdigit():  # the usual mobile or landline number
        return text[:-8] + "****" + text[-4:]
    if keep_short and sum(ch.isdigit() for ch in text) < MIN_DIGITS:
        return value
    return mask_phone(text) or None


def masked(series: pd.Series, keep_short: bool = False) -> pd.Series:
    """``series`` with every number masked like the letters mask it (138****5678,
    0571-****3456); empty cells stay empty. ``keep_short``: leave values with fewer than
    seven digits as they are (for a column that is only named like a phone column)."""
    import pandas as pd

    values = series.to_numpy(dtype=object, na_value=None)
    return pd.Series([_mask_one(v, keep_short) for v in values], index=series.index,
                     dtype=object, name=series.name)  # fmt: skip


def mask_frame(frame: pd.DataFrame, unmask: bool) -> pd.DataFrame:
    """``frame`` with its phone columns masked (the same frame when ``unmask``)."""
    if unmask:
        return frame
    cols = phone_columns(frame.columns)
    if not cols:
        return frame
    out = frame.copy(deep=False)
    for key in cols:
        out[key] = masked(frame[key], keep_short=str(key) != PHONE_KEY)
    return out


__all__ = ["mask_frame", "masked", "phone_columns", "unmask_of"]
