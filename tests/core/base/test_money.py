"""Money helpers: fen rounding as people expect it, and no float can make them fail."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from core.base.money import MAX_MONTHLY_SPEND, fmt_yuan, plausible_spend, round2, round2_series


def test_fen_rounding_half_up():
    assert round2(19.990000000000002) == 19.99
    assert round2(0.125) == 0.13
    assert round2(-0.125) == -0.13
    assert fmt_yuan(1280) == "1,280.00"
    assert fmt_yuan(128.5, unit=True) == "128.50元"
    assert round2_series(pd.Series([0.125, 19.990000000000002, np.nan])).tolist()[:2] == [
        0.13,
        19.99,
    ]


def test_minus_zero_is_shown_as_zero():
    assert fmt_yuan(-0.0) == "0.00"
    assert fmt_yuan(-0.001) == "0.00"
    assert str(round2_series(pd.Series([-0.0, -0.001])).iloc[1]) == "0.0"


def test_huge_and_infinite_values_never_raise():
    # 1e28 used to raise decimal.InvalidOperation and stop the whole report
    for value in (1e28, 1e308, -1e308, 1.7976931348623157e308):
        assert round2(value) == value
        assert fmt_yuan(value)  # some text, no exception
    for value in (math.inf, -math.inf, math.nan, None, "abc"):
        assert math.isnan(round2(value))
        assert fmt_yuan(value) == ""
    out = round2_series(pd.Series([1e308, math.inf, -math.inf, math.nan, 12.345]))
    assert out.iloc[0] == 1e308 and out.iloc[1:4].isna().all() and out.iloc[4] == 12.35


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_float(value):
    r = round2(value)
    assert math.isnan(r) or math.isfinite(r)
    assert isinstance(fmt_yuan(value), str)
    s = round2_series(pd.Series([value]))
    assert len(s) == 1
    if math.isfinite(value) and abs(value) < 1e12:
        assert abs(r - value) <= 0.0051 and s.iloc[0] == r


def test_plausible_spend():
    values = np.array([0, 88.5, MAX_MONTHLY_SPEND, MAX_MONTHLY_SPEND + 1, 1e30, -1, np.nan, np.inf])
    assert plausible_spend(values).tolist() == [True, True, True, False, False, False, False, False]
