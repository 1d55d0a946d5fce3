"""Money: yuan with 2 decimals wherever it is shown or summed for display.

The helpers here never raise on a float: NaN, ±inf and absurdly large values (a spend of
1e308 from a broken export) give NaN, or the value itself where fen no longer exist.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

# The largest monthly spend (元) a customer list can plausibly hold. Larger values (and
# values that are not finite) are import problems (``implausible_spend``): the customer
# stays in the list but is not banded. One place; everything else imports it.
MAX_MONTHLY_SPEND = 1_000_000.0

# From here on a float has no fen left to round (2**53 / 100 ≈ 9e13).
_NO_FEN = 1e13


def plausible_spend(values: np.ndarray | pd.Series) -> np.ndarray:
    """True where a spend can be banded: finite, not negative, at most MAX_MONTHLY_SPEND."""
    arr = np.asarray(values, dtype="float64")
    with np.errstate(invalid="ignore"):
        return np.isfinite(arr) & (arr >= 0) & (arr <= MAX_MONTHLY_SPEND)


def _as_float(value: object) -> float:
    if value is None or value is pd.NA or value is pd.NaT:
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return math.nan


def round2(value: float) -> float:
    """Round half-up to fen (0.01 yuan): 19.990000000000002 -> 19.99, 0.125 -> 0.13.

    NaN, ±inf and anything that is not a number give NaN; -0.0 gives 0.0; values too
    large to have fen (≥ 1e13) come back unchanged.
    """
    value = _as_float(value)
    if not math.isfinite(value):
        return math.nan
    if abs(value) >= _NO_FEN:
        return value + 0.0
    rounded = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0 turns -0.0 into 0.0


def round2_series(values: pd.Series) -> pd.Series:
    """Vectorised rounding to 2 decimals (float64); NaN and ±inf give NaN."""
    arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    arr = np.where(np.isfinite(arr), arr, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        # a tiny epsilon in the direction of the sign so 0.125 -> 0.13 like round2
        rounded = np.round(arr + np.sign(arr) * 1e-9, 2)
        out = np.where(np.abs(arr) >= _NO_FEN, arr, rounded) + 0.0
    return pd.Series(out, index=values.index)


def fmt_yuan(value: float, unit: bool = False) -> str:
    """'128.50' (or '128.50元'); '' for a missing value or one that is not finite."""
    value = round2(value)
    if math.isnan(value):
        return ""
    text = f"{value:,.2f}"
    return f"{text}元" if unit else text
