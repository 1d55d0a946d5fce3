"""The campaign is the document: what it holds comes back exactly, whatever today's settings
and catalogue say; a recommendation saved after an edit is what opens next time."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.base import Settings, save_settings
from core.campaign import Campaign, CampaignInfo, load_document, save_recommendation
from core.documents import LetterBatch, select
from core.importing import import_file
from core.marketing import (
    Inputs,
    Rule,
    analyse,
    recorded_analysis,
    scheme_from_edges,
)
from tests.paths import SAMPLE

TODAY = dt.date(2026, 12, 6)
SIGNED = Settings(branch="中国电信城东县分公司", staff_name="王磊", staff_phone="13900009999")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The sample list with its own scheme and a band's own pick, made into a campaign."""
    result = import_file(SAMPLE, remember=False)
    scheme = scheme_from_edges([40, 90, 180])
    inputs = Inputs(customers=result.customers, scheme=scheme, today=TODAY,
                    choices={"低端": Rule("低端", "畅享29元套餐", "", "")})  # fmt: skip
    analysis = analyse(inputs)
    path = tmp_path_factory.mktemp("doc") / "城东.jzt"
    Campaign.create(path, analysis.offers, CampaignInfo("城东 12 月扫场"), scheme=scheme,
                    catalog=inputs.catalog, rules=analysis.rules, source=result,
                    options=inputs.options.to_dict(), settings=SIGNED).close()  # fmt: skip
    return path, analysis


def _letters(offers: pd.DataFrame, settings: Settings) -> list[dict]:
    return [x.values for x in LetterBatch(select(offers), "建议书", None, settings, TODAY)]


def test_the_offers_come_back_as_they_were_recorded(made):
    path, analysis = made
    with Campaign.open(path) as campaign:
        doc = load_document(campaign, today=TODAY)
    original = analysis.offers.drop(columns=["id_number"])  # never stored
    pd.testing.assert_frame_equal(doc.offers, original, check_exact=True)
    pd.testing.assert_frame_equal(doc.inputs.customers,
                                  analysis.inputs.customers.drop(columns=["id_number"]))  # fmt: skip
    assert doc.inputs.scheme == analysis.inputs.scheme
    assert (
        doc.rules.get("低端").main == "畅享29元套餐"
        and doc.inputs.choices["低端"].main == "畅享29元套餐"
    )
    assert doc.settings == SIGNED
    assert doc.result.customer_count == len(doc.offers[doc.offers["spend"].notna()])
    assert len(doc.result.problems) == 12 and doc.result.source.name == "示例客户清单.xlsx"


def test_letters_from_the_campaign_are_the_letters_it_recorded_whatever_today_says(made):
    path, analysis = made
    save_settings(Settings(branch="别的分公司", staff_name="别人"))  # today's settings differ
    with Campaign.open(path) as campaign:
        doc = load_document(campaign, today=TODAY)
    assert _letters(doc.offers, doc.settings) == _letters(analysis.offers, SIGNED)
    again = recorded_analysis(doc.inputs, doc.offers, doc.rules)
    assert again.plan.revenue_change_month == analysis.plan.revenue_change_month
    assert again.summary.equals(analysis.summary) and again.unbanded == analysis.unbanded


def test_a_saved_recommendation_is_what_opens_next_time(made, tmp_path):
    path, _analysis = made
    copy = tmp_path / "副本.jzt"
    copy.write_bytes(path.read_bytes())
    with Campaign.open(copy) as campaign:
        doc = load_document(campaign, today=TODAY)
        changed = analyse(doc.inputs.replace(scheme=scheme_from_edges([60, 150])))
        save_recommendation(
            campaign, changed, Settings(branch="中国电信城东县分公司", staff_name="李娜")
        )
    with Campaign.open(copy) as campaign:
        again = load_document(campaign, today=TODAY)
        stored = campaign.customers()
    assert again.inputs.scheme.edges == [60, 150]
    assert again.offers["band"].astype("object").tolist() == \
        changed.offers["band"].astype("object").tolist()  # fmt: skip
    assert [c.offer_package for c in stored] == changed.offers["offer_package"].fillna("").tolist()
    assert again.settings.staff_name == "李娜"
    pd.testing.assert_frame_equal(again.offers, changed.offers)


def test_a_campaign_made_without_recorded_dtypes_still_opens(made, tmp_path):
    """Files made before the campaign kept its columns' dtypes read back by field kinds."""
    import sqlite3

    path, analysis = made
    old = tmp_path / "旧.jzt"
    old.write_bytes(path.read_bytes())
    with sqlite3.connect(old) as db:
        db.execute("DELETE FROM meta WHERE name IN ('dtypes', 'letter_settings')")
    db.close()
    with Campaign.open(old) as campaign:
        doc = load_document(campaign, today=TODAY)
    assert doc.settings is None
    assert doc.offers["spend"].dtype == "float64" and doc.offers["join_date"].dtype.kind == "M"
    assert doc.offers["tag_seed"].dtype == bool and list(doc.offers["band"].cat.categories) == \
        analysis.inputs.scheme.labels  # fmt: skip
    assert doc.offers["offer_package"].tolist() == analysis.offers["offer_package"].tolist()


def test_a_change_after_letters_were_made_is_the_next_numbered_recommendation(made, tmp_path):
    from core.campaign import log_letters

    path, analysis = made
    copy = tmp_path / "第二版.jzt"
    copy.write_bytes(path.read_bytes())
    top = analysis.offers[analysis.offers["band"].astype("object") == "高端"]
    files = [tmp_path / f"{i}.pdf" for i in range(len(top))]
    assert log_letters(copy, top, "建议书", "内置建议书模板", files, 1) == (len(top), 0)
    with Campaign.open(copy) as campaign:
        assert campaign.version == 1
        doc = load_document(campaign, today=TODAY)
        changed = analyse(doc.inputs.replace(scheme=scheme_from_edges([60, 150])))
        saved = save_recommendation(campaign, changed)
        assert saved.new and saved.version == 2 and "分档 40/90/180 → 60/150" in saved.note
        again = analyse(doc.inputs.replace(scheme=scheme_from_edges([70, 150])))
        assert save_recommendation(campaign, again) == type(saved)(2, False)  # no letters yet
        versions = campaign.versions()
        docs = campaign.documents()
    assert [(v["number"], v["documents"]) for v in versions] == [(1, len(top)), (2, 0)]
    assert {d.version for d in docs} == {1}
    carried = {d.customer_key: d.offer for d in docs}
    assert sorted(o["offer_package"] for o in carried.values()) == \
        sorted(top["offer_package"].tolist())  # fmt: skip
    assert all(o["band"] == "高端" and "expected_bill" in o for o in carried.values())


def test_a_corrected_or_deleted_visit_is_logged_with_what_it_said(made, tmp_path):
    from core.campaign import Visit

    path, _analysis = made
    copy = tmp_path / "走访.jzt"
    copy.write_bytes(path.read_bytes())
    with Campaign.open(copy) as campaign:
        key = campaign.customers()[0].key
        stored = campaign.add_visit(key, Visit(visit_date=TODAY, visitor="王磊", intent="有意向"))
        campaign.update_visit(stored.id, Visit(visit_date=TODAY, visitor="王磊", intent="考虑中"))
        gone = campaign.delete_visit(stored.id)
        assert gone.visit.intent == "考虑中" and campaign.visits_for(key) == []
        back = campaign.restore_visit(gone)
        assert back.visit.intent == "考虑中" and len(campaign.visits_for(key)) == 1
        log = campaign.visit_changes(key)
    assert [e["action"] for e in log] == ["修改", "删除", "修改"]
    assert log[0]["before"]["intent"] == "有意向" and log[0]["after"]["intent"] == "考虑中"
    assert log[1]["after"] is None and log[1]["before"]["intent"] == "考虑中"
