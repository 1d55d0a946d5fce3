"""Band schemes: edges, labels, data-driven builders, saving."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import bands
from core.errors import InvalidInput


def test_default_scheme_is_the_pyramid_users_know():
    s = bands.default_scheme()
    assert s.labels == ["低端", "中端", "中高端", "高端"]
    assert s.edges == [50, 100, 200]
    assert [b.range_text for b in s.bands] == ["<50元", "50–100元", "100–200元", "≥200元"]
    assert s.bands[-1].strategy == "高投入、高品质服务"
    assert s.bands[0].strategy == s.bands[1].strategy == "满意服务、优惠资费"


def test_custom_edges_and_labels():
    s = bands.scheme_from_edges([30, 80], labels=["小", "中", "大"])
    assert s.boundaries == [0, 30, 80, math.inf]
    assert s.labels == ["小", "中", "大"]
    assert bands.scheme_from_edges([0, 50]).labels == ["低端", "高端"]


@pytest.mark.parametrize(
    ("edges", "words"),
    [([100, 50], "从小到大"), ([50, 50], "从小到大"), ([-10, 50], "负数"), (["abc"], "不是数字")],
)
def test_bad_edges_say_what_is_wrong(edges, words):
    with pytest.raises(InvalidInput) as err:
        bands.scheme_from_edges(edges)
    assert words in str(err.value)


def test_label_count_must_match():
    with pytest.raises(InvalidInput, match="名称"):
        bands.scheme_from_edges([50, 100], labels=["低", "高"])


def test_parse_edges_accepts_chinese_commas():
    assert bands.parse_edges("50，100、200") == [50, 100, 200]
    with pytest.raises(InvalidInput, match="abc"):
        bands.parse_edges("50,abc")


def test_round_scheme_proposes_round_numbers():
    spend = pd.Series(np.random.default_rng(3).lognormal(4.2, 0.6, 5000))
    s = bands.round_scheme(spend, 4)
    assert len(s.bands) == 4
    for e in s.edges:
        assert e == bands.nice_number(e)
        assert e in {10, 15, 20, 30, 50, 80, 100, 150, 200, 300, 500}


def test_quantile_scheme_equal_counts():
    spend = pd.Series(range(1, 101), dtype="float64")
    s = bands.quantile_scheme(spend, 4)
    assert s.edges == [26, 51, 76]
    assert s.note == ""


def test_quantile_scheme_merges_ties_and_says_so():
    spend = pd.Series([59.0] * 5000 + [19.0, 29.0, 399.0])
    s = bands.quantile_scheme(spend, 5)
    assert len(s.bands) < 5
    assert "合并" in s.note and "59" in s.note and "5000" in s.note


def test_quantile_scheme_all_same_value_is_one_band():
    s = bands.quantile_scheme(pd.Series([39.0] * 1000), 4)
    assert len(s.bands) == 1
    assert "合并为 1 档" in s.note


@pytest.mark.parametrize("n", [0, -1, 21, "abc", 2.5])
def test_quantile_count_must_be_sensible(n):
    with pytest.raises(InvalidInput):
        bands.quantile_scheme(pd.Series([1.0, 2.0]), n)


def test_no_spend_data_gives_a_chinese_error():
    with pytest.raises(InvalidInput, match="没有可用的月均消费"):
        bands.quantile_scheme(pd.Series([np.nan, -5.0]), 3)


def test_pareto_scheme_on_a_known_list():
    # 20 customers at 100 yuan, 80 customers at 6.25: the top 20% bring exactly 80%.
    spend = pd.Series([100.0] * 20 + [6.25] * 80)
    s = bands.pareto_scheme(spend, 0.8)
    assert s.labels == ["长尾客户", "核心客户"]
    assert s.edges == [100.0]
    assert "20.0%" in s.note and "80.0%" in s.note
    assert bands.pareto_scheme(spend, 80).edges == [100.0]  # 80 means 80%


def test_pareto_tiers_20_30_50():
    spend = pd.Series(np.arange(100, 0, -1), dtype="float64")  # 100..1
    s = bands.pareto_tiers_scheme(spend, [0.2, 0.3, 0.5])
    assert s.labels == ["大众客户", "腰部客户", "头部客户"]
    assert s.edges == [51.0, 81.0]  # top 20 = 81..100, next 30 = 51..80


def test_scheme_round_trips_through_json(tmp_path):
    s = bands.scheme_from_edges([40, 90], labels=["甲", "乙", "丙"], name="我的方案")
    path = bands.save_scheme(s, tmp_path / "方案.json")
    again = bands.load_scheme(path)
    assert again == s
    assert again.bands[-1].high == math.inf
    with pytest.raises(Exception, match="已存在"):
        bands.save_scheme(s, path)


def test_damaged_scheme_file_is_a_chinese_error(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('{"bands": [{"label": "a"}]}', encoding="utf-8")
    with pytest.raises(InvalidInput, match="分档方案"):
        bands.load_scheme(p)
    p.write_text("not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="无法读取"):
        bands.load_scheme(p)


def test_gapped_bands_are_rejected():
    with pytest.raises(InvalidInput, match="不相接"):
        bands.BandScheme("x", [bands.Band("a", 0, 50), bands.Band("b", 60, math.inf)])


def test_presets_are_remembered_and_replaced_by_name():
    assert bands.load_presets() == []
    bands.save_preset(bands.scheme_from_edges([50], name="县城"))
    bands.save_preset(bands.scheme_from_edges([60], name="县城"))
    bands.save_preset(bands.default_scheme())
    presets = bands.load_presets()
    assert [p.name for p in presets] == ["县城", "默认分档（50/100/200元）"]
    assert presets[0].edges == [60]
    bands.delete_preset("县城")
    assert len(bands.load_presets()) == 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 2000, allow_nan=False), min_size=1, max_size=300),
    st.integers(1, 8),
)
def test_data_schemes_never_leave_an_empty_band(values, n):
    spend = pd.Series([round(v, 2) for v in values])
    from core.segment import band_summary

    for scheme in (bands.quantile_scheme(spend, n), bands.round_scheme(spend, n)):
        assert len(scheme.bands) <= n
        summary = band_summary(pd.DataFrame({"spend": spend}), scheme)
        assert summary["customers"].sum() == len(spend)
        if scheme is not None and scheme.name.startswith("等人数"):
            assert (summary["customers"] > 0).all()
