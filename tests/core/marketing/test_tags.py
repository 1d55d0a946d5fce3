"""Customer tags: seed, spreader, expiring contract, overpaying."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.marketing.catalog import Catalog, Package
from core.marketing.tags import add_tags
from tests.frames import customers

TODAY = dt.date(2026, 11, 20)
SMALL = Catalog(
    [Package("小", 20, 5, 100), Package("中", 60, 30, 500), Package("大", 150, 100, 2000)]
)


def test_seed_and_spreader_within_each_market():
    spend = list(range(1, 41)) + list(range(101, 121))
    market = ["甲市场"] * 40 + ["乙市场"] * 20
    out = add_tags(customers(spend, market=market), catalog=SMALL, today=TODAY)
    a = out[out["market"] == "甲市场"]
    assert a.loc[a["tag_seed"], "spend"].tolist() == [39.0, 40.0]  # top 5% of 40
    assert sorted(a.loc[a["tag_spreader"], "spend"]) == [33.0, 34, 35, 36, 37, 38]  # next 15%
    b = out[out["market"] == "乙市场"]
    assert b.loc[b["tag_seed"], "spend"].tolist() == [120.0]
    assert not (out["tag_seed"] & out["tag_spreader"]).any()


def test_seed_within_the_whole_list_when_no_market():
    out = add_tags(customers(range(1, 101)), catalog=SMALL, today=TODAY)
    assert out["tag_seed"].sum() == 5 and out["tag_spreader"].sum() == 15
    assert out.loc[out["tag_seed"], "spend"].min() == 96


def test_customers_without_spend_are_never_seeds():
    out = add_tags(customers([None, None, 10]), catalog=SMALL, today=TODAY)
    assert out["tag_seed"].tolist() == [False, False, True]


def test_expiring_within_days_inclusive():
    ends = ["2026-11-19", "2026-11-20", "2027-02-18", "2027-02-19", None]
    out = add_tags(customers([50] * 5, contract_end=ends), catalog=SMALL, today=TODAY)
    assert out["tag_expiring"].tolist() == [False, True, True, False, False]
    out30 = add_tags(customers([50] * 5, contract_end=ends), catalog=SMALL, today=TODAY,
                     expiring_days=30)  # fmt: skip
    assert out30["tag_expiring"].sum() == 1


def test_overpaying_needs_known_usage():
    df = customers([100, 100, 100, 65], data_gb=[3, 80, None, 3], voice_min=[50, 50, 50, 50])
    out = add_tags(df, catalog=SMALL, today=TODAY)
    # 3 GB fits the 20-yuan package: paying 100 is 80 too much; 80 GB needs the 150 one;
    # unknown data is never called overpaying; 65 -> 20 saves 45 (69%).
    assert out["tag_overpaying"].tolist() == [True, False, False, True]


def test_tags_text_in_chinese():
    ends = pd.Series(["2026-12-01"] + [None] * 19)
    df = customers([500] + [10] * 19, contract_end=ends, data_gb=[1] + [None] * 19)
    out = add_tags(df, catalog=SMALL, today=TODAY)
    assert out.loc[0, "tags"] == "种子用户、合约到期、资费偏高"
    assert out.loc[5, "tags"] in ("", "传播型用户")
    assert set(out["tags"]) <= {"种子用户、合约到期、资费偏高", "", "传播型用户"}
