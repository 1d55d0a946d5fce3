"""Cell cleaners: known values, and random cells never crash them (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.importing import cleaning
from core.importing.cleaning import BAD, HUGE, MISSING, OK

cells = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.sampled_from(
        [
            "—",
            "暂无",
            "",
            " ",
            "128.5元",
            "１２８",
            "+86 13812345678",
            "0571-8812",
            "2019/03/05",
            "20190305",
            "1.3812345678E+10",
            "#N/A",
            "¥1,280.00",
        ]
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(cells, min_size=1, max_size=30))
def test_random_cells_never_crash_the_cleaners(values):
    series = pd.Series(values, dtype=object)
    for parse in (cleaning.parse_numbers, cleaning.parse_phones, cleaning.parse_dates):
        out, status = parse(series)
        assert len(out) == len(series) == len(status)
        assert set(status.unique()) <= {OK, MISSING, BAD, HUGE}
    gb, status, unit = cleaning.parse_volume_gb(series, "")
    assert unit in ("gb", "mb", "kb") and len(gb) == len(series)
    text = cleaning.clean_text(series)
    assert len(text) == len(series)
    assert all(v is pd.NA or isinstance(v, str) for v in text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(max_size=12), st.floats(allow_nan=False, width=32)),
        min_size=1,
        max_size=20,
    )
)
def test_numbers_status_matches_values(values):
    nums, status = cleaning.parse_numbers(pd.Series(values, dtype=object))
    assert (nums.notna() == (status == OK)).all()


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=3, max_value=9), st.integers(min_value=0, max_value=999_999_999))
def test_any_mobile_survives_float_storage(second, rest):
    phone = f"1{second}{rest:09d}"
    out, status = cleaning.parse_phones(
        pd.Series([float(phone), phone, f"+86 {phone}"], dtype=object)
    )
    assert out.tolist() == [phone] * 3
    assert (status == OK).all()


@pytest.mark.parametrize(("raw", "value", "status"), [
    (128.5, 128.5, OK), ("128.5元", 128.5, OK), (" 88 ", 88.0, OK), ("１２８", 128.0, OK),
    ("1,280.00", 1280.0, OK), ("¥99", 99.0, OK), ("99元/月", 99.0, OK), ("—", None, MISSING),
    ("暂无", None, MISSING), ("", None, MISSING), (None, None, MISSING), ("abc", None, BAD),
    (-5, -5.0, OK), (float("inf"), None, HUGE), ("1e309", None, HUGE), ("inf", None, BAD),
])  # fmt: skip
def test_numbers(raw, value, status):
    nums, st_ = cleaning.parse_numbers(pd.Series([raw], dtype=object))
    assert st_.iat[0] == status
    if value is None:
        assert pd.isna(nums.iat[0])
    else:
        assert nums.iat[0] == value


@pytest.mark.parametrize(("raw", "phone"), [
    (13812345678.0, "13812345678"), ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"), ("+86 13812345678", "13812345678"),
    ("008613812345678", "13812345678"), ("8613812345678", "13812345678"),
    ("1.3812345678E+10", "13812345678"), ("13812345678.0", "13812345678"),
    ("0571-88123456", "0571-88123456"), ("(010)12345678", "010-12345678"),
    (57188123456.0, "0571-88123456"), ("１３８１２３４５６７８", "13812345678"),
    ("13812345678/13912345678", "13812345678"), ("无，13912345678", "13912345678"),
    ("0571-88123456；13812345678", "0571-88123456"),
])  # fmt: skip
def test_phones(raw, phone):
    out, status = cleaning.parse_phones(pd.Series([raw], dtype=object))
    assert out.iat[0] == phone and status.iat[0] == OK


def test_phone_rejects():
    out, status = cleaning.parse_phones(pd.Series(["1381234", "abc", "", "—", 1.5], dtype=object))
    assert status.tolist() == [BAD, BAD, MISSING, MISSING, BAD]
    assert out.isna().all()


def test_dates():
    raw = [
        dt.date(2019, 3, 5),
        dt.datetime(2019, 3, 5, 10, 30),
        "2019/03/05",
        "20190305",
        "2019年3月5日",
        "2019.3.5",
        "2019-03-05 10:00:00",
        20190305.0,
        43529,
        "—",
        "下周",
    ]
    out, status = cleaning.parse_dates(pd.Series(raw, dtype=object))
    assert (out.iloc[:9] == pd.Timestamp(2019, 3, 5)).all()
    assert status.tolist() == [OK] * 9 + [MISSING, BAD]


def test_text():
    out = cleaning.clean_text(
        pd.Series([" 张三 ", 12.0, "—", None, "a  b", "\u3000李四"], dtype=object)
    )
    assert out.tolist()[:2] == ["张三", "12"]
    assert out.iat[2] is pd.NA and out.iat[3] is pd.NA
    assert out.tolist()[4:] == ["a b", "李四"]
