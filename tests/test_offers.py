"""Offers: band package, usage fitting, the sums, fee-only fallback, export."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pytest
from test_segment import customers

from core.bands import default_scheme
from core.catalog import Catalog, Package, Rule, Rules
from core.errors import InvalidInput, OutputExists
from core.offers import OFFER_COLUMNS, make_offers, offers_frame_for_export, write_offers_xlsx
from core.tags import TAG_COLUMNS

TODAY = dt.date(2026, 11, 20)
CAT = Catalog([
    Package("畅享39", 39, 10, 200, pitch="39元10GB"),
    Package("畅享79", 79, 40, 500, pitch="79元40GB"),
    Package("5G159", 159, 100, 1000, contract_months=12),
    Package("融合299", 299, 200, 2000, broadband_mbps=1000, contract_months=24),
])  # fmt: skip
RULES = Rules({
    "低端": Rule("低端", "畅享39", "畅享79", "满意服务、优惠资费"),
    "中端": Rule("中端", "畅享79", "5G159", "满意服务、优惠资费"),
    "中高端": Rule("中高端", "5G159", "融合299", "满意服务、优惠资费"),
    "高端": Rule("高端", "融合299", "", "高投入、高品质服务"),
})  # fmt: skip


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
    assert "月费略有增加" in o.loc[0, "offer_reason"] and "流量更多" in o.loc[0, "offer_reason"]


def test_missing_usage_falls_back_to_fee_only_and_says_so():
    o = _offers(customers([60, 95]))
    assert not o["usage_known"].any()
    assert o["data_gain_gb"].isna().all() and o["voice_gain_min"].isna().all()
    assert o.loc[1, "diff_month"] == -16.0
    assert "仅按月费比较" in o.loc[0, "offer_reason"]
    assert "每月更省钱" in o.loc[1, "offer_reason"]


def test_fit_usage_picks_cheapest_covering_package_within_max_cut():
    # light user paying 85: 畅享79 covers 8 GB and is only 7% cheaper -> allowed
    # heavy user paying 85: needs 5G159
    # light user paying 150: 畅享39 would cut 74%; the cheapest allowed is 5G159
    df = customers([85, 85, 150, 70], data_gb=[8, 90, 3, None], voice_min=[100, 100, 100, None])
    o = _offers(df, fit_usage=True, max_cut=0.1)
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
    path = write_offers_xlsx(o, tmp_path / "推荐.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Excel行号", "客户编号", "客户名称", "手机号码"]
    assert "330102199001011234" not in str([c.value for row in ws.iter_rows() for c in row])
    name = ws.cell(2, header.index("客户名称") + 1)
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    phone = ws.cell(3, header.index("手机号码") + 1)
    assert phone.value == "13800001111" and phone.data_type == "s"
    fee = ws.cell(2, header.index("每月差额(元)") + 1)
    assert fee.value == 19 and fee.number_format == "0.00"
    with pytest.raises(OutputExists):
        write_offers_xlsx(o, path)
    write_offers_xlsx(o, path, force=True)
