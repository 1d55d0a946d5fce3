"""The list's other columns the recommendation reads: business size (种子用户) and present
services (宽带/融合/固话), recognised by the synonyms in resources/columns.toml."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.marketing.business import (
    business_columns,
    business_number,
    listed_services,
    listed_speed,
    seed_basis,
    service_flag,
)
from tests.frames import customers

MULTIPLIERS = {"": 1, "千": 1e3, "万": 1e4, "亿": 1e8}
UNITS = ["", "元", "人", "名", "平米", "平方米", "㎡", "m2", "家"]


@given(
    value=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    multiplier=st.sampled_from(list(MULTIPLIERS)),
    unit=st.sampled_from(UNITS),
    prefix=st.sampled_from(["", "约", " ", "　"]),
)
def test_a_written_amount_reads_back(value, multiplier, unit, prefix):
    text = f"{prefix}{value:,}{multiplier}{unit}"
    got = business_number(pd.Series([text], dtype="object"))[0]
    assert got == pytest.approx(float(value) * MULTIPLIERS[multiplier], rel=1e-9)


@given(st.lists(st.one_of(st.text(max_size=12), st.floats(allow_nan=True), st.none(),
                          st.integers(-10**12, 10**12), st.booleans()), max_size=20))  # fmt: skip
def test_any_cell_is_a_number_or_nothing_never_an_error(cells):
    got = business_number(pd.Series(cells, dtype="object"))
    assert len(got) == len(cells)
    assert ((got >= 0) & np.isfinite(got) | got.isna()).all()
    flags = service_flag(pd.Series(cells, dtype="object"))
    assert flags.dtype == bool and len(flags) == len(cells)


def test_amounts_users_write():
    cells = ["850万", "1.2亿元", "3,200", "120㎡", "15人", "约50万元", "暂无", "-5", None, 12]
    got = business_number(pd.Series(cells, dtype="object")).tolist()
    assert got[:6] == [8.5e6, 1.2e8, 3200, 120, 15, 5e5]
    assert all(math.isnan(x) for x in got[6:9]) and got[9] == 12


def test_service_cells():
    cells = ["有", "是", "100M", "千兆", "0571-88886666", "无", "否", "0", "No", "非融合", "", None,
             "未办理"]  # fmt: skip
    assert service_flag(pd.Series(cells, dtype="object")).tolist() == [True] * 5 + [False] * 8
    assert service_flag(pd.Series([0, 1, 2.0, np.nan])).tolist() == [False, True, True, False]


def test_business_columns_are_recognised_by_synonyms():
    df = customers([50, 60, 70])
    df["年销售额(万元)"] = ["850", "120", "30"]
    df["月营业额"] = ["5万", "1万", None]
    df["经营面积（㎡）"] = [120, 40, 15]
    df["员工人数"] = ["8人", "3人", "1人"]
    df["备注"] = ["老客户", "", ""]
    df["流水号"] = [1001, 1002, 1003]  # a serial number, not a turnover
    df["员工编号"] = [7, 8, 9]
    found = business_columns(df)
    assert found == {"annual_sales": "年销售额(万元)", "turnover": "月营业额",
                     "shop_area": "经营面积（㎡）", "staff_count": "员工人数"}  # fmt: skip
    assert seed_basis(df) == ("年销售额(万元)", "年销售额(万元)")  # sales first
    assert seed_basis(df, "营业额") == ("月营业额", "月营业额")  # a business word
    assert seed_basis(df, "员工人数") == ("员工人数", "员工人数")  # a header
    assert seed_basis(df, "spend") == ("spend", "月均消费")
    only_area = df.drop(columns=["年销售额(万元)", "月营业额"])
    assert seed_basis(only_area)[0] == "经营面积（㎡）"
    # a column with a business name but no numbers is not a basis
    df2 = customers([50])
    df2["营业额"] = ["不详"]
    assert business_columns(df2) == {} and seed_basis(df2) == ("spend", "月均消费")


def test_services_from_the_lists_columns():
    df = customers([50, 60, 70, 80], broadband=["200M", None, "无", None])
    df["是否融合"] = ["否", "是", "否", None]
    df["固话号码"] = [None, None, "0571-88886666", "无"]
    bb, ll = listed_services(df)
    assert bb.tolist() == [True, True, False, False]
    assert ll.tolist() == [False, False, True, False]
    assert listed_speed(df)[0] == 200 and np.isnan(listed_speed(df)[1])
