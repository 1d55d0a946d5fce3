"""Band schemes: edges, labels, data-driven builders, saving."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.base.errors import InvalidInput
from core.marketing import bands


def test_default_scheme_is_the_pyramid_users_know():
    s = bands.default_scheme()
    assert s.labels == ["低端", "中端", "中高端", "高端"]
    assert s.edges == [50, 100, 200]
    assert [b.range_text for b in s.bands] == ["<50元", "50–100元", "100–200元", "≥200元"]
    assert s.bands[-1].strategy == "高投入、高品质服务、高价位"
    assert s.bands[2].strategy == "优质服务、引导升档（潜在高端客户）"
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
    from core.marketing.segment import band_summary

    for scheme in (bands.quantile_scheme(spend, n), bands.round_scheme(spend, n)):
        assert len(scheme.bands) <= n
        summary = band_summary(pd.DataFrame({"spend": spend}), scheme)
        assert summary["customers"].sum() == len(spend)
        if scheme is not None and scheme.name.startswith("等人数"):
            assert (summary["customers"] > 0).all()


# ---- QA fixes: sensible 2/8 targets, ties never collapse equal-count bands ---------------


@pytest.mark.parametrize("p", [1.5, "1.5", 0.3, "0.49", 1, 100, "100%", 120, "0.8%", -80, "nan"])
def test_pareto_target_must_be_a_sensible_share(p):
    spend = pd.Series([100.0] * 20 + [6.25] * 80)
    with pytest.raises(InvalidInput, match=r"0\.5 到 1") as exc:
        bands.pareto_scheme(spend, p)
    assert "50 到 100" in str(exc.value) and "20,30,50" in str(exc.value)


@pytest.mark.parametrize(
    ("p", "used"), [(0.8, 0.8), ("0.5", 0.5), ("80", 0.8), ("80%", 0.8), (50, 0.5), ("99.5", 0.995)]
)
def test_pareto_target_accepts_fractions_and_percents(p, used):
    assert bands.parse_pareto_target(p) == pytest.approx(used)


def test_pareto_heading_shows_the_target_actually_used():
    spend = pd.Series(np.arange(1, 201), dtype="float64")
    s = bands.pareto_scheme(spend, "80.5")
    assert s.name == "二八分档（收入80.5%）" and "目标 80.5%" in s.note
    assert bands.pareto_scheme(spend, 0.75).name == "二八分档（收入75%）"


def test_tier_shares_must_add_up_to_100():
    spend = pd.Series(np.arange(1, 101), dtype="float64")
    for shares in ([20, 30, 40], [150, -50], [0, 50, 50], [100], ["a", "b"]):
        with pytest.raises(InvalidInput):
            bands.pareto_tiers_scheme(spend, shares)
    s = bands.pareto_tiers_scheme(spend, ["33.3", "33.3", "33.4"])
    assert s.name == "客户比例分档（33.3/33.3/33.4）"


def _ties_2700_300() -> pd.Series:
    return pd.Series([59.0] * 2700 + [128.0] * 300)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_quantile_cut_inside_a_tie_moves_to_the_next_distinct_value(n):
    s = bands.quantile_scheme(_ties_2700_300(), n)
    assert s.edges == [128.0]  # 59 | 128 stays split, never "合并为 1 档"
    if n > 2:
        assert "合并为 2 档" in s.note and "59 元有 2700 人" in s.note


def test_tiers_cut_inside_a_tie_keeps_the_split():
    s = bands.pareto_tiers_scheme(_ties_2700_300(), [0.2, 0.3, 0.5])
    assert s.edges == [128.0]
    assert s.labels == ["大众客户", "头部客户"]
    assert "合并为 2 档" in s.note


def test_quantile_tie_in_the_middle_goes_to_the_nearer_side():
    spend = pd.Series([10.0] * 100 + [20.0] * 700 + [30.0] * 200)
    s = bands.quantile_scheme(spend, 4)
    # cuts at 250/500/750 fall inside the run of 20s: below it (100) or above it (800)
    assert s.edges == [20.0, 30.0]
    from core.marketing.segment import band_summary

    counts = band_summary(pd.DataFrame({"spend": spend}), s)["customers"].tolist()
    assert counts == [100, 700, 200]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([0.0, 19.0, 59.0, 59.0, 59.0, 128.0, 399.0]), min_size=1, max_size=300
    ),
    st.integers(1, 8),
    st.sampled_from([(0.2, 0.3, 0.5), (0.5, 0.5), (0.1, 0.2, 0.3, 0.4)]),
)
def test_heavily_tied_data_never_leaves_an_empty_band(values, n, shares):
    from core.marketing.segment import band_summary

    spend = pd.Series(values)
    distinct = len(set(values))
    for scheme, asked in (
        (bands.quantile_scheme(spend, n), n),
        (bands.pareto_tiers_scheme(spend, shares), len(shares)),
    ):
        summary = band_summary(pd.DataFrame({"spend": spend}), scheme)
        assert (summary["customers"] > 0).all()
        assert summary["customers"].sum() == len(spend)
        if asked >= 2 and distinct >= 2:  # ties may merge bands, never into one
            assert len(scheme.bands) >= 2
        if len(scheme.bands) < asked:
            assert "合并" in scheme.note
