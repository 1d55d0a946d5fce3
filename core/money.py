"""Money: yuan with 2 decimals wherever it is shown or summed for display."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd


def round2(value: float) -> float:
    """Round half-up to fen (0.01 yuan): 19.990000000000002 -> 19.99, 0.125 -> 0.13."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def round2_series(values: pd.Series) -> pd.Series:
    """Vectorised rounding to 2 decimals (float64; NaN stays NaN)."""
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    # add a tiny epsilon in the direction of the sign so 0.125 -> 0.13 like round2
    return pd.Series(np.round(arr + np.sign(arr) * 1e-9, 2), index=values.index)


def fmt_yuan(value: float, unit: bool = False) -> str:
    """'128.50' (or '128.50元'); '' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{round2(value):,.2f}"
    return f"{text}元" if unit else text
