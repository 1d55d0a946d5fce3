"""Offers: band package, usage fitting, the sums, fee-only fallback, export."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pytest

from core.base.errors import InvalidInput, OutputExists
from core.marketing.bands import default_scheme
from core.marketing.catalog import Rule, Rules
from core.marketing.offers import (
    OFFER_COLUMNS,
    make_offers,
    offers_frame_for_export,
)
from core.marketing.tags import TAG_COLUMNS
from core.reporting.offers_xlsx import write_offers_xlsx
from tests.frames import BIG, CAT, RULES, customers
from tests.paths import SAMPLE as SAMPLE_LIST

TODAY = dt.date(2026, 11, 20)


def _offers(df, **kw):
    return make_offers(df, default_scheme(), CAT, RULES, today=TODAY, **kw)


def test_band_package_and_sums():
    df = customers([29.9, 100, 250], data_gb=[5, 50, 150], voice_min=[100, 600, 1500])
    o = _offers(df)
    for col in OFFER_COLUMNS + TAG_COLUMNS:
        assert col in o.columns
    assert o["offer_package"].tolist() == ["畅享39", "5G159", "融合299"]
    assert o["diff_month"].tolist() == [9.1, 59.0, 49.0]  # 39 - 29.9 is 9.1, not 9.100000000000001
    assert o["diff_year"].tolist() == [109.2, 708.0, 588.0]
    assert o["data_gain_gb"].tolist() == [5, 50, 50]
    assert o["voice_gain_min"].tolist() == [100, 400, 500]
    assert o["offer_broadband_mbps"].tolist() == [0, 0, 1000]
    assert o["strategy"].tolist()[-1] == "高投入、高品质服务"
    assert o["alt_package"].tolist() == ["畅享79", "融合299", None]
    assert o["usage_known"].all()
    assert o.loc[0, "offer_reason"].startswith("低端客户主推畅享39")
    # no current package: gains are against the customer's usage, and the reason says so
    assert o["gain_basis"].tolist() == ["月均用量"] * 3
    assert "每月费用增加" in o.loc[0, "offer_reason"]
    # no present package: the bill after is the fee plus overage, and the reason says so
    assert "清单里没有现套餐" in o.loc[0, "offer_reason"]
    assert o["expected_bill"].tolist() == [39.0, 159.0, 299.0]
    assert "流量比月均用量多" in o.loc[0, "offer_reason"]


def test_missing_usage_falls_back_to_fee_only_and_says_so():
    o = _offers(customers([60, 95]), max_cut=0.5)  # allow 95 -> 79
    assert not o["usage_known"].any()
    assert o["data_gain_gb"].isna().all() and o["voice_gain_min"].isna().all()
    assert o.loc[1, "diff_month"] == -16.0
    assert "仅按月费比较" in o.loc[0, "offer_reason"]
    assert "每月更省钱" in o.loc[1, "offer_reason"]


def test_fit_usage_picks_cheapest_covering_package_within_max_cut():
    # (none of these is 资费偏高: the cheapest covering package saves < 30 元 or < 30%)
    # paying 85 using 35 GB: 畅享79 covers it and is only 7% cheaper -> allowed
    # paying 85 using 90 GB: needs 5G159
    # paying 100 using 35 GB: 畅享79 would cut 21%; the cheapest allowed is 5G159
    df = customers([85, 85, 100, 70], data_gb=[35, 90, 35, None], voice_min=[100, 100, 100, None])
    o = _offers(df, fit_usage=True, max_cut=0.1)
    assert not o["tag_overpaying"].any()
    assert o["offer_package"].tolist() == ["畅享79", "5G159", "5G159", "畅享79"]
    assert o.loc[0, "offer_reason"].startswith("按实际用量推荐畅享79")
    assert "仅按月费比较" in o.loc[3, "offer_reason"]
    assert o.loc[0, "diff_month"] == -6.0
    o50 = _offers(df, fit_usage=True, max_cut=0.5)
    assert o50.loc[2, "offer_package"] == "畅享79"


def test_unbanded_customers_get_no_offer_and_a_reason():
    df = customers([None, 50])
    df.loc[0, "spend_issue"] = "bad_spend"
    o = _offers(df)
    assert o.loc[0, "offer_package"] is None and np.isnan(o.loc[0, "diff_month"])
    assert o.loc[0, "offer_reason"] == "无法推荐：月均消费不是数字，请先核实月均消费。"
    assert o.loc[1, "offer_package"] == "畅享79"


def test_bad_max_cut_is_refused():
    with pytest.raises(InvalidInput):
        _offers(customers([50]), max_cut=1.5)


def test_default_catalog_and_rules_are_used_when_none_given():
    o = make_offers(customers([30, 300]), today=TODAY)
    assert o["offer_package"].notna().all()
    assert o["offer_fee"].iloc[1] >= 200


def test_export_has_chinese_headers_text_phones_and_no_formulas(tmp_path):
    df = customers([60, 250], data_gb=[5, 100])
    df.loc[0, "name"] = '=HYPERLINK("http://x")'
    df.loc[1, "phone"] = "13800001111"
    df["id_number"] = ["330102199001011234", "330102199001011235"]
    o = _offers(df)
    frame = offers_frame_for_export(o)
    assert "推荐套餐" in frame.columns and "证件号码" not in frame.columns
    path = write_offers_xlsx(o, tmp_path / "推荐.xlsx", unmask=True)
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["客户编号", "客户名称", "手机号码", "档位"]  # the printed columns first
    assert "330102199001011234" not in str([c.value for row in ws.iter_rows() for c in row])
    name = ws.cell(2, header.index("客户名称") + 1)
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    phone = ws.cell(3, header.index("手机号码") + 1)
    assert phone.value == "13800001111" and phone.data_type == "s"
    fee = ws.cell(2, header.index("每月差额(元)") + 1)
    assert fee.value == 19 and fee.number_format == "#,##0.00"
    with pytest.raises(OutputExists):
        write_offers_xlsx(o, path)
    write_offers_xlsx(o, path, force=True)


# ---- the customer's own package, honest gains, retention -------------------------------

SAMPLE = SAMPLE_LIST


def test_customer_on_the_band_main_package_gets_the_alternative():
    # 中端 (80–150): main 畅享79, alt 5G159; the names match after NFKC / without spaces
    df = customers([85, 85, 85], package=["畅享79", " 畅享 79 ", "畅享７９"],
                   data_gb=[35, 35, 35], voice_min=[300, 300, 300])  # fmt: skip
    o = _offers(df)
    assert o["offer_package"].tolist() == ["5G159"] * 3
    # like with like: the 6 元 spent beyond 畅享79's fee stay on the new bill (159 + 6)
    assert o["expected_bill"].tolist() == [165.0] * 3
    assert o["diff_month"].tolist() == [80.0] * 3
    assert o["data_gain_gb"].tolist() == [60.0] * 3  # 100 GB vs the 40 GB of 畅享79
    assert o["voice_gain_min"].tolist() == [500.0] * 3
    assert o["gain_basis"].tolist() == ["现套餐"] * 3
    r = o.loc[0, "offer_reason"]
    assert "已在使用本档主推套餐畅享79" in r and "备选套餐5G159" in r and "流量比现套餐多" in r


def test_customer_on_main_without_other_choice_keeps_the_package():
    # 高端 (≥ 200): main 融合299, no alternative
    df = customers([320, 320], package=["融合299", None], data_gb=[150, 150],
                   voice_min=[800, 800])  # fmt: skip
    o = _offers(df)
    # the second customer's package is unknown: 融合299 is below what they spend, and the
    # top band is not moved to a smaller package — they keep what they have
    assert o["offer_package"].tolist() == ["融合299", "现套餐"]
    assert o.loc[1, "diff_month"] == 0 and o.loc[1, "offer_kind"] == "保持"
    assert o.loc[1, "offer_reason"].startswith("高端客户不降档")
    keep = o.loc[0]
    assert keep["diff_month"] == 0 and keep["diff_year"] == 0
    assert keep["data_gain_gb"] == 0 and keep["voice_gain_min"] == 0
    assert "已在使用本档主推套餐" in keep["offer_reason"]
    assert "建议保持并做好维系服务" in keep["offer_reason"]
    assert "月费不变" not in keep["offer_reason"] and "多" not in keep["offer_reason"]


def test_alternative_that_is_the_current_package_is_not_offered():
    rules = Rules({**RULES.rules, "中端": Rule("中端", "畅享79", "畅享79", "满意服务")})
    o = make_offers(customers([85], package=["畅享79"], data_gb=[35]), default_scheme(), CAT,
                    rules, today=TODAY)  # fmt: skip
    assert o.loc[0, "offer_package"] == "畅享79" and o.loc[0, "diff_month"] == 0
    assert "建议保持" in o.loc[0, "offer_reason"]


def test_downgrade_gains_are_against_the_current_package_and_can_be_negative():
    # on 5G199 (200 GB, 2000 min, no broadband) spending 180 (中高端: main 5G159, 100 GB,
    # 1000 min); the usage fits 5G159, so its bill is 159 — 11.7 % less, allowed at 50 %
    df = customers([180, 180], package=["5G199", "未知套餐"], data_gb=[80, 80],
                   voice_min=[900, 900])  # fmt: skip
    o = make_offers(df, default_scheme(), BIG, RULES, today=TODAY, max_cut=0.5)
    assert o["offer_package"].tolist() == ["5G159", "5G159"]
    assert o["offer_kind"].tolist() == ["降档", "降档"]
    assert o.loc[0, "data_gain_gb"] == -100 and o.loc[0, "voice_gain_min"] == -1000
    assert o.loc[0, "gain_basis"] == "现套餐"
    r = o.loc[0, "offer_reason"]
    assert "流量比现套餐少" in r and "流量更多" not in r and "比现套餐多" not in r
    # a package not in the catalog: compared with the usage instead, and said so
    assert o.loc[1, "data_gain_gb"] == 20 and o.loc[1, "voice_gain_min"] == 100
    assert o.loc[1, "gain_basis"] == "月均用量"
    assert "流量比月均用量多" in o.loc[1, "offer_reason"]
    assert "现套餐不在套餐库" in o.loc[1, "offer_reason"]


def test_no_usage_but_known_package_compares_package_contents():
    o = _offers(customers([85, 85], package=["畅享39", None]))
    assert o.loc[0, "data_gain_gb"] == 30 and o.loc[0, "gain_basis"] == "现套餐"
    assert "按现套餐比较" in o.loc[0, "offer_reason"]
    assert np.isnan(o.loc[1, "data_gain_gb"]) and o.loc[1, "gain_basis"] == ""
    assert "仅按月费比较" in o.loc[1, "offer_reason"]


@pytest.mark.parametrize("fit_usage", [False, True])
def test_overpaying_customers_are_moved_down_only_with_retention(fit_usage):
    # on 畅享79 paying 79 using 3 GB: 畅享39 covers it for 39 (51 % less) -> 资费偏高; on
    # 畅享39 paying 79: the 40 元 outside the package stay on any bill -> not 资费偏高
    df = customers([79, 79], package=["畅享39", "畅享79"], data_gb=[3, 3], voice_min=[50, 50])
    o = _offers(df, fit_usage=fit_usage)
    assert o["tag_overpaying"].tolist() == [False, True]
    assert "资费偏高（用量适合畅享39" in o.loc[1, "tag_reason"]
    # by default nobody is moved down past the cap, and an overpaying customer is never
    # pushed to a dearer bill: they keep their package, and the reason says why
    assert o.loc[1, "offer_package"] == "畅享79" and o.loc[1, "diff_month"] == 0
    assert "资费偏高" in o.loc[1, "offer_reason"] and "维系降档" in o.loc[1, "offer_reason"]
    # with retention: one step down (畅享39), within the retention cap (60 % here)
    from core.marketing.policy import OfferOptions

    opts = OfferOptions(fit_usage=fit_usage, retention=True, retention_cap=0.6)
    r = make_offers(df, default_scheme(), CAT, RULES, today=TODAY, options=opts)
    assert r.loc[1, "offer_package"] == "畅享39" and r.loc[1, "offer_kind"] == "维系"
    assert r.loc[1, "diff_month"] == -40.0 and r.loc[1, "diff_year"] == -480.0
    assert r.loc[1, "data_gain_gb"] == -30  # honest: less data than 畅享79 (still enough)
    # the default retention cap (20 %) does not allow a 51 % cut
    d = make_offers(df, default_scheme(), CAT, RULES, today=TODAY,
                    options=OfferOptions(retention=True))  # fmt: skip
    assert d.loc[1, "offer_package"] == "畅享79" and "维系上限 20%" in d.loc[1, "offer_reason"]


def test_sample_list_packages_are_in_the_catalog_and_no_letter_offers_the_same_package():
    from core.importing.importer import import_file
    from core.marketing.catalog import default_catalog
    from tools.synth import PACKAGES

    catalog = default_catalog()
    assert {p for p, _ in PACKAGES} <= set(catalog.names)
    customers_ = import_file(SAMPLE).customers
    assert set(customers_["package"].dropna()) <= set(catalog.names)
    o = make_offers(customers_, today=TODAY)
    offered = o[o["offer_package"].notna()]
    same = offered["offer_package"] == offered["package"]
    assert (offered.loc[same, "diff_month"] == 0).all()
    assert offered.loc[same, "offer_reason"].str.contains("建议保持").all()
    # never "多" with a gain of 0 or less; never pushed to a dearer bill when 资费偏高
    for col, word in (("data_gain_gb", "流量比现套餐多"), ("data_gain_gb", "流量比月均用量多")):
        assert not offered.loc[offered[col] <= 0, "offer_reason"].str.contains(word).any()
    assert (offered.loc[offered["tag_overpaying"], "diff_month"] <= 0).all()
    top = offered[offered["package"] == "5G尊享399元套餐"]
    assert len(top) and (top["data_gain_gb"] <= 0).all()
    assert not top["offer_reason"].str.contains("比现套餐多").any()


def test_main_package_that_cuts_revenue_too_much_is_not_pushed():
    # 中端 main 畅享79: a 95-yuan customer would pay 17% less -> the 备选 5G159 instead;
    # 中高端 main 5G159 for a customer on 5G199 spending 180 (12% less), whose 备选 is
    # 5G199 = their own package -> keep it (差额 0, 维系)
    rules = Rules({**RULES.rules, "中高端": Rule("中高端", "5G159", "5G199", "满意服务")})
    df = customers([95, 180, 85], package=[None, "5G199", None])
    o = make_offers(df, default_scheme(), BIG, rules, today=TODAY, max_cut=0.1)
    assert o["offer_package"].tolist() == ["5G159", "5G199", "畅享79"]
    assert o.loc[0, "offer_reason"].startswith(
        "本档主推畅享79会让每月费用降低超过10%，推荐备选套餐5G159"
    )
    assert o.loc[1, "diff_month"] == 0 and "不建议降档" in o.loc[1, "offer_reason"]
    assert o.loc[2, "diff_month"] == -6.0  # 85 -> 79 is within the allowed 10%
    assert o["offer_kind"].tolist() == ["升档", "保持", "降档"]
