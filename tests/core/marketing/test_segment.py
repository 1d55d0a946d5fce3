"""Segmentation: band per customer, summaries, cross-tabs, value × usage, 2/8 numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.base.errors import InvalidInput
from core.marketing import segment
from core.marketing.bands import Band, BandScheme, default_scheme, scheme_from_edges
from tests.frames import customers


def test_value_on_an_edge_belongs_to_the_upper_band():
    s = pd.Series([0, 49.99, 50, 99.99, 100, 199.99, 200, 5000])
    got = segment.assign_bands(s, default_scheme()).astype("object").tolist()
    assert got == ["低端", "低端", "中端", "中端", "中高端", "中高端", "高端", "高端"]


def test_bands_are_ordered_and_unbanded_is_nan():
    s = pd.Series([120.0, np.nan, -3.0, 20.0], index=[10, 11, 12, 13])
    b = segment.assign_bands(s, default_scheme())
    assert b.cat.ordered and list(b.cat.categories) == ["低端", "中端", "中高端", "高端"]
    assert list(b.index) == [10, 11, 12, 13]
    assert b.isna().tolist() == [False, True, True, False]
    assert b.max() == "中高端" and b.min() == "低端"


def test_band_summary_numbers():
    df = customers([10, 30, 50, 70, 150, 250, 350, None])
    out = segment.band_summary(df, default_scheme())
    assert list(out.columns) == segment.SUMMARY_COLUMNS
    assert out["customers"].tolist() == [2, 2, 1, 2]
    assert out["revenue"].tolist() == [40.0, 120.0, 150.0, 600.0]
    assert out["share"].sum() == pytest.approx(1.0)
    assert out.loc[0, "share"] == pytest.approx(2 / 7)
    assert out.loc[3, "revenue_share"] == pytest.approx(600 / 910)
    assert out.loc[3, "mean_spend"] == 300.0 and out.loc[3, "median_spend"] == 300.0
    assert out.loc[3, "high"] == math.inf


def test_money_is_two_decimals():
    df = customers([0.1, 0.2, 19.99, 19.99, 19.99])
    out = segment.band_summary(df, default_scheme())
    assert out.loc[0, "revenue"] == 60.27
    assert out.loc[0, "mean_spend"] == 12.05  # 60.27 / 5 = 12.054


def test_empty_band_has_zero_customers_and_no_mean():
    out = segment.band_summary(customers([10, 20, 300]), default_scheme())
    assert out["customers"].tolist() == [2, 0, 0, 1]
    assert out.loc[1, "revenue"] == 0 and out.loc[1, "share"] == 0
    assert math.isnan(out.loc[1, "mean_spend"]) and math.isnan(out.loc[1, "median_spend"])


def test_scheme_that_leaves_no_customer():
    scheme = BandScheme("窄档", [Band("甲", 1000, 2000), Band("乙", 2000, 3000)])
    df = customers([10, 20, None])
    out = segment.band_summary(df, scheme)
    assert out["customers"].tolist() == [0, 0]
    assert out["share"].tolist() == [0, 0] and out["revenue_share"].tolist() == [0, 0]
    assert segment.unbanded_summary(df, scheme) == {"out_of_scheme": 2, "missing_spend": 1}
    assert "消费不在任何档位范围内 2 人" in segment.unbanded_text(
        segment.unbanded_summary(df, scheme)
    )


def test_unbanded_reasons_come_from_the_import():
    df = customers([10, None, None, None])
    df["spend_issue"] = pd.array([None, "bad_spend", "negative_spend", None], dtype="string")
    assert segment.unbanded_summary(df) == {
        "bad_spend": 1,
        "negative_spend": 1,
        "missing_spend": 1,
    }


def test_crosstab_by_industry_with_label_and_missing_values():
    df = customers([10, 60, 150, 300, 20], industry=["服装", "服装", "五金", None, "服装"])
    t = segment.crosstab(df, default_scheme(), "行业")
    assert list(t.columns) == ["低端", "中端", "中高端", "高端", "合计"]
    assert t.index[0] == "服装"
    assert t.loc["服装"].tolist() == [2, 1, 0, 0, 3]
    assert t.loc["（未填）", "高端"] == 1
    assert t.loc["合计", "合计"] == 5


def test_crosstab_unknown_field_lists_the_choices():
    with pytest.raises(InvalidInput, match="行业"):
        segment.crosstab(customers([10]), default_scheme(), "colour")


def test_value_usage_matrix_finds_high_value_low_data():
    df = customers([300, 300, 30, 30], data_gb=[2, 50, 2, None])
    m = segment.value_usage_matrix(df, default_scheme(), "data_gb")
    assert m.loc["高端", "低流量（<10GB）"] == 1
    assert m.loc["高端", "高流量（≥30GB）"] == 1
    assert m.loc["低端", "用量未知"] == 1
    assert int(m.to_numpy().sum()) == 4
    v = segment.value_usage_matrix(df.assign(voice_min=[50, 600, 50, 50]), None, "voice_min")
    assert v.loc["高端", "高通话（≥500分钟）"] == 1


def test_pareto_point_and_curve_on_a_known_list():
    spend = pd.Series([100.0] * 20 + [6.25] * 80)
    cust, rev = segment.pareto_point(spend, 0.8)
    assert cust == pytest.approx(0.2) and rev == pytest.approx(0.8)
    curve = segment.pareto_curve(spend, points=None)
    assert list(curve.columns) == ["customer_share", "revenue_share"]
    assert curve.iloc[0].tolist() == [0, 0] and curve.iloc[-1].tolist() == [1, 1]
    assert curve.loc[20, "revenue_share"] == pytest.approx(0.8)
    assert len(segment.pareto_curve(pd.Series(np.arange(10000.0)), points=201)) <= 201
    assert segment.pareto_point(pd.Series([], dtype="float64")) == (0.0, 0.0)


def test_three_band_scheme_works_end_to_end():
    s = scheme_from_edges([40, 120])
    out = segment.band_summary(customers([10, 40, 119.99, 120]), s)
    assert out["label"].tolist() == ["低端", "中端", "高端"]
    assert out["customers"].tolist() == [1, 2, 1]
