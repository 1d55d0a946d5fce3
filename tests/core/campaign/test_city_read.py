"""One store interface, two backends (issue 25): a campaign read from its file and the
same campaign read from the city database answer every read alike, so results, the
report's frames and the window count the same whichever store they come from."""

from __future__ import annotations

import contextlib

import pytest

from core.campaign import Campaign, CityDatabase, combined_results, push_file
from core.campaign.store_api import CampaignStore
from tests.city_helpers import TODAY, city_campaign

BYS = ("band", "staff", "branch", "plan", "tag", "day", "origin", "grid", "staff,day")


@pytest.fixture(scope="module")
def county_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    return [city_campaign(folder / f"县{i}.jzt", n=30, seed=10 + i, branch=f"第{i}县分公司")
            for i in range(3)]  # fmt: skip


@pytest.fixture(params=["file", "postgresql"])
def opened(request, county_files):
    """Open a county's campaign from its file, or from the city database it was pushed to."""
    if request.param == "file":

        @contextlib.contextmanager
        def from_file(path):
            with Campaign.open(path, readonly=True) as campaign:
                yield campaign

        return from_file
    url = request.getfixturevalue("city_db")
    for path in county_files:
        push_file(path, url)

    @contextlib.contextmanager
    def from_db(path):
        with CityDatabase.open(url) as city, city.campaign(city.find(path.name)) as campaign:
            yield campaign

    return from_db


def _reads(campaign: Campaign) -> dict:
    """Everything the window, the report and results read from a campaign."""
    frame = campaign.customers_frame()
    described = campaign.describe()
    described.pop("file")
    return {
        "describe": described, "meta": campaign.meta(),
        "customers": [c.__dict__ for c in campaign.customers()],
        "frame": frame.astype(object).where(frame.notna(), None).to_dict("records"),
        "visits": campaign.visits(), "problems": campaign.problems(),
        "documents": campaign.documents(), "versions": campaign.versions(),
        "changes": campaign.visit_changes(), "assignments": campaign.assignments(),
        "targets": campaign.targets().to_dict(), "history": campaign.history_for("x"),
        "status": campaign.visit_status(campaign.customer_keys()[0]),
        "key_for": campaign.key_for(campaign.customers()[3].phone),
        "results": {by: campaign.results(by, today=TODAY).to_dict() for by in BYS},
    }  # fmt: skip


def test_both_stores_read_the_same_campaign_alike(county_files, opened):
    with Campaign.open(county_files[1], readonly=True) as campaign:
        wanted = _reads(campaign)
    with opened(county_files[1]) as campaign:
        assert isinstance(campaign._store, CampaignStore)  # the one read interface
        got = _reads(campaign)
    for part in wanted:
        if part == "results":
            for by in BYS:
                got[part][by]["files"] = wanted[part][by]["files"]
        assert got[part] == wanted[part], part


@pytest.mark.parametrize("by", BYS)
def test_results_of_the_database_are_those_of_the_files(county_files, city_db, by):
    for path in county_files:
        push_file(path, city_db)
    files = combined_results(county_files, by=by, today=TODAY).to_dict()
    with CityDatabase.open(city_db) as city:
        db = city.results(by, today=TODAY).to_dict()
    assert db.pop("files") == [p.name for p in county_files]
    files.pop("files")
    assert db == files
    assert db["total"]["planned"] == 90


def test_a_campaign_from_the_database_is_read_only(county_files, city_db):
    from core.campaign import CampaignFileError

    push_file(county_files[0], city_db)
    with (CityDatabase.open(city_db) as city, city.campaign(city.find()) as campaign,
          pytest.raises(CampaignFileError, match="只读")):  # fmt: skip
        campaign.set_assignee(campaign.customer_keys()[:1], "王五")
