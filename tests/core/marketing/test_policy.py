"""The recommendation policy the branch signs, asserted for every customer of a list built
for each rule (top band, broadband/landline, contract, overage, seeds by a business
column) and of the sample list — with the default catalog, as a county user has it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.base.errors import InvalidInput
from core.importing.importer import import_file
from core.marketing import (
    OfferOptions,
    default_catalog,
    default_scheme,
    make_offers,
    plan_summary,
    policy_violations,
)
from core.marketing.catalog import package_index
from tests.frames import customers
from tests.paths import SAMPLE as SAMPLE_LIST

TODAY = dt.date(2026, 11, 20)
SAMPLE = SAMPLE_LIST
CAT = default_catalog()
FEE = {p.name: p.fee for p in CAT.packages}
BB = {p.name for p in CAT.packages if p.broadband_mbps > 0 and not p.addon}
LL = {p.name for p in CAT.packages if p.landline > 0 and not p.addon}
OPTION_SETS = [
    OfferOptions(),
    OfferOptions(fit_usage=True),
    OfferOptions(retention=True),
    OfferOptions(max_cut=0.3, retention=True, retention_cap=0.5),
]


def offers(df: pd.DataFrame, options: OfferOptions | None = None) -> pd.DataFrame:
    return make_offers(df, default_scheme(), CAT, today=TODAY, options=options or OfferOptions())


def expected_by_hand(row: pd.Series, options: OfferOptions) -> float:
    """The bill on the offered package, computed here from the catalog (not the code)."""
    new = CAT.get(row["offer_package"])
    d = 0.0 if pd.isna(row["data_gb"]) else float(row["data_gb"])
    v = 0.0 if pd.isna(row["voice_min"]) else float(row["voice_min"])

    def over(pkg) -> float:
        return max(d - pkg.data_gb, 0) * options.data_rate + max(v - pkg.voice_min, 0) * (
            options.voice_rate
        )

    outside = 0.0
    if isinstance(row["package"], str) and row["package"] in FEE:
        cur = CAT.get(row["package"])
        outside = max(row["spend"] - cur.fee - over(cur), 0.0)
        if new.name == cur.name and isinstance(row["offer_addon"], str):
            add = CAT.get(row["offer_addon"])
            paid = min(over(cur), max(row["spend"] - cur.fee, 0.0))
            both = max(d - cur.data_gb - add.data_gb, 0) * options.data_rate + max(
                v - cur.voice_min - add.voice_min, 0) * options.voice_rate  # fmt: skip
            return round(row["spend"] - paid + min(both, paid) + add.fee, 2)
    return round(new.fee + over(new) + outside, 2)


def assert_policy(o: pd.DataFrame, options: OfferOptions) -> None:
    """Every rule, for every customer with an offer."""
    assert policy_violations(o, options).empty
    top = default_scheme().labels[-1]
    for _, r in o[o["offer_package"].notna()].iterrows():
        spend, bill, kind = r["spend"], r["expected_bill"], r["offer_kind"]
        assert r["diff_month"] == pytest.approx(bill - spend, abs=0.011)
        assert r["diff_year"] == pytest.approx(r["diff_month"] * 12, abs=0.011)
        present = r["package"] if isinstance(r["package"], str) else ""
        ref = FEE.get(present, spend)
        new_fee = FEE.get(r["offer_package"], ref)
        smaller = new_fee < ref - 0.005
        keep = r["offer_package"] in (present, "现套餐")
        if keep and not isinstance(r["offer_addon"], str):
            assert kind == "保持" and bill == spend
        else:
            assert bill == pytest.approx(expected_by_hand(r, options), abs=0.011)
        if smaller:  # every move to a smaller package …
            assert kind in ("降档", "维系")
            cap = options.retention_cap if kind == "维系" else options.max_cut
            assert bill >= spend * (1 - cap) - 0.011  # … within its cap
            assert bill <= spend + 0.011  # … never a dearer bill
            assert not r["contract_locked"]
            if options.protect_top:
                assert str(r["band"]) != top
        if kind == "维系":
            assert options.retention and r["tag_overpaying"] and bill < spend
        if r["tag_overpaying"]:
            assert bill <= spend + 0.011  # never pushed to a dearer bill
        if kind == "精打细算":
            assert bill < spend and not smaller
        if "宽带" in r["services"]:
            assert r["offer_package"] in BB or keep
        if "固话" in r["services"]:
            assert r["offer_package"] in LL or keep
        saving = "省" in r["offer_reason"] and "不省" not in r["offer_reason"]
        assert not saving or bill < spend


# ---- the sample list --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return import_file(SAMPLE).customers


@pytest.mark.parametrize("options", OPTION_SETS, ids=["默认", "按用量", "维系", "放宽"])
def test_the_sample_list_obeys_the_policy_for_every_customer(sample, options):
    o = offers(sample, options)
    assert_policy(o, options)
    top = o[o["band"].astype("object") == "高端"]
    assert len(top) and not top["offer_kind"].isin(["降档", "维系"]).any()
    # the cases: 5G尊享399 keeps broadband and landline; 205 on a 159 plan is
    # compared with the whole bill (the 46 元 outside the package stay)
    zun = o[o["package"] == "5G尊享399元套餐"]
    assert len(zun) == 5 and (zun["offer_kind"] == "保持").all()
    assert zun["offer_reason"].str.contains("宽带和固话").all()
    fu = o[o["name"] == "付红刚"].iloc[0]
    assert fu["outside_charges"] == pytest.approx(46.17)
    assert fu["diff_month"] >= 0  # top band: not moved down, not "每年省 1,274"


def test_retention_is_listed_with_its_cost(sample):
    plain = plan_summary(offers(sample), retention=False)
    kept = offers(sample, OfferOptions(retention=True))
    plan = plan_summary(kept, retention=True)
    retained = kept[kept["offer_kind"] == "维系"]
    assert plain.retention_customers == 0 and len(retained) == plan.retention_customers > 0
    assert plan.retention_cost_month == pytest.approx(-retained["diff_month"].sum())
    assert plan.to_dict()["retention"]["cost_month"] == plan.retention_cost_month > 0
    assert "retention" not in plain.to_dict()
    # one step down the catalog, never more: no package lies between the present and the offer
    plans = sorted({p.fee for p in CAT.plans})
    for _, r in retained.iterrows():
        between = [f for f in plans if FEE[r["offer_package"]] < f < FEE[r["package"]]]
        keeping = [p for p in CAT.plans if p.fee in between
                   and (p.broadband_mbps > 0 or "宽带" not in r["services"])]  # fmt: skip
        assert not keeping


def test_plan_summary_adds_up(sample):
    o = offers(sample)
    plan = plan_summary(o)
    offered = o[o["offer_package"].notna()]
    assert plan.customers == len(offered)
    assert plan.revenue_change_month == pytest.approx(offered["diff_month"].sum(), abs=0.01)
    assert plan.up + plan.same + plan.down == plan.customers
    assert sum(b.revenue_change_month for b in plan.by_band) == pytest.approx(
        plan.revenue_change_month, abs=0.05)  # fmt: skip
    assert [b.band for b in plan.by_band] == default_scheme().labels
    assert sum(plan.by_kind.values()) == plan.customers
    assert "每月收入变化" in plan.text()


# ---- a list for each rule ------------------------------------------------------------------


def test_top_band_is_not_moved_down_unless_allowed():
    # 高端 (≥ 200): main 5G畅享299; customers on dearer or unknown packages spending more
    df = customers([320, 420, 260, 310, 230],
                   package=["5G尊享399元套餐", None, "5G畅享299元套餐", "某某套餐", "5G畅享199元套餐"],
                   data_gb=[120, 120, 120, 90, 100], voice_min=[900, 900, 900, 900, 900])  # fmt: skip
    o = offers(df)
    assert_policy(o, OfferOptions())
    # the third is on the band's 主推 5G畅享299: its 备选 5G尊享399 is a bigger package
    assert o["offer_kind"].tolist() == ["保持", "保持", "升档", "保持", "升档"]
    assert o.loc[1, "offer_reason"].startswith("高端客户不降档")
    assert (o["diff_month"] >= 0).all()
    allowed = OfferOptions(protect_top=False, max_cut=0.5)
    free = offers(df, allowed)
    assert_policy(free, allowed)
    assert (free["offer_kind"] == "降档").sum() >= 2  # 420 and 310 on unknown packages → 299


def test_broadband_and_landline_are_never_dropped():
    df = customers(
        [120, 120, 85, 85, 60, 399, 160, 95],
        package=[None, None, "畅享79元套餐", "畅享79元套餐", "某宽带套餐", "5G尊享399元套餐",
                 "5G融合199元（含千兆宽带）", "融合99元（含300M宽带）"],
        broadband=["100M", "无", "有", None, "是", None, None, None],
        data_gb=[50, 50, 30, 30, 20, 200, 80, 30], voice_min=[500] * 8,
    )  # fmt: skip
    df["固话"] = ["", "0571-88886666", None, "有", None, None, None, None]
    o = offers(df)
    assert o["services"].tolist() == ["宽带", "固话", "宽带", "固话", "宽带", "宽带、固话", "宽带",
                                      "宽带"]  # fmt: skip
    for options in OPTION_SETS:
        assert_policy(offers(df, options), options)
    # 中高端 with broadband: the 融合 package of the band, not the bare 5G畅享159
    assert o.loc[0, "offer_package"] == "5G融合199元（含千兆宽带）"
    assert "宽带" in o.loc[0, "offer_reason"]
    # a landline from the list: only packages with a landline, else keep (and say so)
    assert o.loc[1, "offer_package"] in LL or o.loc[1, "offer_kind"] == "保持"
    assert "固话" in o.loc[1, "offer_reason"]
    # the case: 5G尊享399 is never offered 5G畅享199 (its broadband would go)
    assert o.loc[5, "offer_package"] == "5G尊享399元套餐"


def test_contract_beyond_days_is_not_moved_down_and_expiring_gets_a_renewal():
    ends = ["2027-10-01", "2026-12-15", "2026-10-01", None]
    df = customers([99, 99, 99, 99], package=["畅享99元套餐"] * 4, data_gb=[35] * 4,
                   voice_min=[300] * 4, contract_end=ends)  # fmt: skip
    loose = OfferOptions(max_cut=0.3)  # 99 → 79 (−20 %) is then within the cap
    o = offers(df, loose)
    assert_policy(o, loose)
    assert o["contract_locked"].tolist() == [True, False, False, False]
    assert o.loc[0, "offer_kind"] == "保持" and "合约期内不降档" in o.loc[0, "offer_reason"]
    assert o.loc[[1, 2, 3], "offer_kind"].tolist() == ["降档"] * 3
    assert o["renewal"].tolist() == [False, True, False, False]
    assert "续约" in o.loc[1, "offer_reason"] and "合约到期" in o.loc[1, "tags"]
    # --days 400: the 2027-10 contract now ends "soon": a renewal, and no lock
    later = offers(df, loose.replace(contract_days=400))
    assert later["contract_locked"].tolist() == [False] * 4
    assert later["renewal"].tolist() == [True, True, False, False]


def test_overage_is_on_the_bill_and_a_bigger_package_that_ends_it_is_smart():
    # on 畅享59 (30 GB) using 38 GB: 8 GB × 5 元 beyond it; spend 59 + 40 = 99
    # on 畅享39 (10 GB, 200 min) using 18 GB and 350 minutes, spending 39 + 40 + 22.5
    df = customers([99, 101.5, 99], package=["畅享59元套餐", "畅享39元套餐", "畅享99元套餐"],
                   data_gb=[38, 18, 43.11], voice_min=[200, 350, 253])  # fmt: skip
    fit = OfferOptions(fit_usage=True)
    o = offers(df, fit)
    assert_policy(o, fit)
    smart = o.loc[0]
    assert smart["offer_package"] == "畅享79元套餐" and smart["offer_kind"] == "精打细算"
    assert smart["expected_bill"] == 79.0 and smart["diff_month"] == -20.0
    assert "精打细算" in smart["offer_reason"]
    # the rates are settings: at 3 元/GB the overage the spend holds is smaller
    cheap = offers(df, fit.replace(data_rate=3.0))
    assert cheap.loc[0, "outside_charges"] == pytest.approx(16.0)  # 99 − 59 − 8 × 3
    # a smaller package whose allowance is too small is not offered when it costs more
    d = offers(df)
    assert_policy(d, OfferOptions())
    assert d.loc[2, "offer_package"] == "畅享79元套餐"  # 43 GB on 40 GB: 79 + 15.55 < 99
    assert d.loc[2, "expected_bill"] == pytest.approx(94.55)


def test_a_bigger_package_or_an_add_on_ends_overage():
    # 高端 on 5G畅享299 (200 GB) using 230 GB, paying 299 + 150: the band's 备选 5G尊享399
    # (300 GB) is bigger and cheaper for them (精打细算). On 5G尊享399 using 330 GB, paying
    # 399 + 150, they keep it (top band) and a 20 GB pack saves 80 a month
    df = customers([449, 549], package=["5G畅享299元套餐", "5G尊享399元套餐"], data_gb=[230, 330],
                   voice_min=[1000, 1000])  # fmt: skip
    o = offers(df)
    assert_policy(o, OfferOptions())
    bigger, add = o.loc[0], o.loc[1]
    assert bigger["offer_package"] == "5G尊享399元套餐" and bigger["offer_kind"] == "精打细算"
    assert bigger["expected_bill"] == 399.0 and "另含宽带和固话" in bigger["offer_reason"]
    assert add["offer_package"] == "5G尊享399元套餐" and add["offer_addon"] == "流量加油包20GB"
    assert add["offer_kind"] == "精打细算" and add["expected_bill"] == pytest.approx(469.0)
    assert "加装流量加油包20GB" in add["offer_reason"]


def test_seed_and_spreader_users_by_a_business_column():
    n = 40
    rng = np.random.default_rng(3)
    spend = rng.uniform(30, 300, n).round(2)
    sales = [f"{v}万" for v in range(n, 0, -1)]  # the first customer sells the most
    df = customers(list(spend), market=["城东市场"] * n)
    df["年销售额(万元)"] = sales
    df["门店面积"] = [f"{10 + i}平米" for i in range(n)]
    o = offers(df)
    # by sales, not by spend: the 2 biggest sellers are the seeds (5 % of 40), the next 6
    assert o.loc[o["tag_seed"], "年销售额(万元)"].tolist() == ["40万", "39万"]
    assert o["tag_spreader"].sum() == 6 and not (o["tag_seed"] & o["tag_spreader"]).any()
    assert o.loc[0, "tag_reason"].startswith("种子用户（按年销售额(万元)排名，城东市场内前5%）")
    assert "免费体验" in o.loc[0, "tag_offer"] and "样板" in o.loc[0, "tag_offer"]
    spreader = o[o["tag_spreader"]].iloc[0]
    assert "团购" in spreader["tag_offer"] and "推荐" in spreader["tag_offer"]
    # shares and basis on demand: 门店面积, 10 % seeds, 20 % spreaders
    by_area = offers(df, OfferOptions(seed_by="门店面积", seed_share=0.1, spreader_share=0.2))
    assert by_area["tag_seed"].sum() == 4 and by_area["tag_spreader"].sum() == 8
    assert by_area.loc[by_area["tag_seed"], "门店面积"].tolist()[-1] == "49平米"
    assert "按门店面积排名" in by_area.loc[n - 1, "tag_reason"]
    # by spend when asked (or when the list has no business column)
    by_spend = offers(df, OfferOptions(seed_by="spend"))
    top2 = sorted(spend)[-2:]
    assert sorted(by_spend.loc[by_spend["tag_seed"], "spend"]) == top2
    assert "按月均消费排名" in by_spend.loc[by_spend["tag_seed"]].iloc[0]["tag_reason"]
    plain = offers(df.drop(columns=["年销售额(万元)", "门店面积"]))
    assert sorted(plain.loc[plain["tag_seed"], "spend"]) == top2


def test_a_seed_column_that_is_not_there_is_refused_on_demand_only():
    from core.marketing import seed_basis

    df = customers([50, 60])
    with pytest.raises(InvalidInput) as err:
        seed_basis(df, "年销售额")
    assert "年销售额" in err.value.message and "spend" in err.value.hint
    assert seed_basis(df, "年销售额", strict=False) == ("spend", "月均消费")


def test_the_present_package_index_ignores_add_ons():
    names = pd.Series(["流量加油包20GB", "畅享39元套餐"])
    assert package_index(CAT, names).tolist()[0] == -1


def test_the_windows_analysis_carries_the_plan(sample):
    """The window's recompute (core.marketing.analyse, on a worker thread for big lists)
    computes what the plan is worth with the offers, for the page to show."""
    from core.marketing import Inputs, analyse

    inputs = Inputs(customers=sample, today=TODAY, options=OfferOptions(retention=True))
    analysis = analyse(inputs)
    again = plan_summary(analysis.offers, default_scheme().labels, retention=True)
    assert analysis.plan == again and analysis.plan.retention


def test_the_settings_hold_the_recommendation_settings_and_a_bad_one_falls_back_alone():
    from core.base.settings import SEED_OFFER, Settings, load_settings, save_settings

    save_settings(Settings(branch="城东分公司", data_rate=3, seed_by="门店面积", seed_share=0.1))
    options = OfferOptions(max_cut=0.2).with_settings(load_settings())
    assert (options.data_rate, options.seed_by, options.seed_share) == (3, "门店面积", 0.1)
    assert options.max_cut == 0.2 and options.seed_offer == SEED_OFFER  # untouched
    # a hand-edited file with a wrong rate keeps everything else
    bad = Settings.from_dict({"branch": "城东分公司", "data_rate": "很多", "seed_share": 0.08})
    assert bad.branch == "城东分公司" and bad.seed_share == 0.08 and bad.data_rate == 5.0
    with pytest.raises(InvalidInput):
        Settings(spreader_share=0.9)
    with pytest.raises(InvalidInput):
        OfferOptions(seed_share=0.5)
