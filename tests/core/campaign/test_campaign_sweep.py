"""Before and during the sweep (issue 22): customers shared out among the staff (even
numbers, a grid kept with one person, every band shared evenly, managers claiming their
own first), re-assigning that keeps the visits, the window's 分配给…, targets and the
daily board for the morning and evening meetings."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest

from core.base.errors import InvalidInput
from core.campaign import Campaign, CampaignInfo, Targets, Visit
from core.marketing import default_catalog, default_scheme, make_offers

D = dt.date
TODAY = D(2026, 12, 3)
STAFF = ["张三", "李四", "王五"]


def _frame(n: int = 30, grids: list[str] | None = None, managers: list[str] | None = None):
    spends = [30.0 + (i * 37) % 300 for i in range(n)]
    frame = pd.DataFrame({
        "source_row": list(range(2, n + 2)),
        "phone": [f"1380000{i:04d}" for i in range(n)],
        "name": [f"店{i}" for i in range(n)],
        "spend": spends,
    })  # fmt: skip
    if grids is not None:
        frame["grid"] = grids
    if managers is not None:
        frame["manager"] = managers
    return frame


def _campaign(path, frame, **info) -> Campaign:
    offers = make_offers(frame, default_scheme(), default_catalog())
    return Campaign.create(path, offers, CampaignInfo(name="测试", **info))


def _by_person(c: Campaign) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, person in c.assignments().items():
        out.setdefault(person, []).append(key)
    return out


def test_balanced_keeps_each_grid_with_one_person_and_the_numbers_even(tmp_path):
    # grids of 8, 7, 6, 5 and 4 customers among 3 people: 10 each, grids whole where they fit
    grids = ["一"] * 8 + ["二"] * 7 + ["三"] * 6 + ["四"] * 5 + ["五"] * 4
    c = _campaign(tmp_path / "a.jzt", _frame(30, grids))
    report = c.assign(STAFF)
    assert report.place == "网格" and report.assigned == {"张三": 10, "李四": 10, "王五": 10}
    grid_of = {x.key: x.data["grid"] for x in c.customers()}
    people_per_grid = Counter()
    for grid in set(grids):
        people_per_grid[grid] = len({p for k, p in c.assignments().items() if grid_of[k] == grid})
    assert sum(n > 1 for n in people_per_grid.values()) == report.split_places <= 2
    assert c.assigned_counts() == {"张三": 10, "李四": 10, "王五": 10}
    assert c.describe()["assigned"] == {"张三": 10, "李四": 10, "王五": 10}
    assert c.info.staff == tuple(STAFF)  # the names joined the campaign's staff
    c.close()


def test_grid_mode_never_splits_a_grid_and_says_when_there_is_none(tmp_path):
    grids = ["一"] * 9 + ["二"] * 6 + ["三"] * 5 + ["四"] * 4 + [None] * 2
    c = _campaign(tmp_path / "a.jzt", _frame(26, grids))
    report = c.assign(["甲", "乙"], by="grid")
    grid_of = {x.key: x.data.get("grid") for x in c.customers()}
    for grid in ("一", "二", "三", "四"):
        assert len({p for k, p in c.assignments().items() if grid_of[k] == grid}) == 1
    assert report.split_places == 0 and sum(report.assigned.values()) == 26
    assert abs(report.assigned["甲"] - report.assigned["乙"]) <= 2
    c.close()
    plain = _campaign(tmp_path / "b.jzt", _frame(10))
    with pytest.raises(InvalidInput, match="没有网格"):
        plain.assign(["甲", "乙"], by="grid")
    # balanced without any place column: runs in list order, numbers even
    plain.assign(["甲", "乙", "丙"])
    order = [plain.assignments()[x.key] for x in plain.customers()]
    assert order == ["甲"] * 4 + ["乙"] * 3 + ["丙"] * 3  # each person's customers: one run
    plain.close()


def test_band_mode_gives_everyone_the_same_mix(tmp_path):
    c = _campaign(tmp_path / "a.jzt", _frame(36))
    c.assign(["甲", "乙", "丙"], by="band")
    band_of = {x.key: x.band for x in c.customers()}
    per_band: dict[str, Counter] = {}
    for key, person in c.assignments().items():
        per_band.setdefault(band_of[key], Counter())[person] += 1
    for counts in per_band.values():
        assert max(counts.values()) - min(counts.get(p, 0) for p in ("甲", "乙", "丙")) <= 1
    totals = Counter(c.assignments().values())
    assert max(totals.values()) - min(totals.values()) <= 1
    c.close()


def test_managers_claim_their_own_first_then_the_rest_is_shared(tmp_path):
    managers = ["张三"] * 12 + ["李四"] * 3 + ["离职的赵六"] * 6 + [None] * 9
    c = _campaign(tmp_path / "a.jzt", _frame(30, managers=managers))
    report = c.assign(STAFF, by="manager")
    manager_of = {x.key: x.data.get("manager") for x in c.customers()}
    mine = _by_person(c)
    assert all(manager_of[k] == "张三" for k in mine["张三"])  # 12 claimed: over a fair share
    assert len(mine["张三"]) == 12 and report.claimed == {"张三": 12, "李四": 3}
    assert report.other_managers == {"离职的赵六": 6}
    assert {manager_of[k] for k in mine["李四"]} >= {"李四"}
    assert len(mine["李四"]) == len(mine["王五"]) == 9  # the other 18 shared evenly
    with pytest.raises(InvalidInput, match="没有一个在 --staff"):
        c.assign(["钱七"], by="manager")
    c.close()
    plain = _campaign(tmp_path / "b.jzt", _frame(5))
    with pytest.raises(InvalidInput, match="客户经理"):
        plain.assign(STAFF, by="manager")
    with pytest.raises(InvalidInput, match="不认识"):
        plain.assign(STAFF, by="星座")
    with pytest.raises(InvalidInput, match="没有给出走访人员"):
        plain.assign(" ， ")
    plain.close()


def test_reassigning_keeps_visits_and_only_unassigned_keeps_the_rest(tmp_path):
    c = _campaign(tmp_path / "a.jzt", _frame(12))
    c.assign(["甲", "乙"])
    keys = [x.key for x in c.customers()]
    c.add_visit(keys[0], Visit(visit_date=D(2026, 12, 1), visitor="甲", intent="有意向"), TODAY)
    before = dict(c.assignments())
    c.assign(["甲", "乙", "丙"])
    assert len(c.visits()) == 1 and Counter(c.assignments().values()) == {"甲": 4, "乙": 4, "丙": 4}
    assert c.assignments() != before
    c.set_assignee(keys[:3], "")  # the window takes three away …
    assert len(c.assignments()) == 9
    report = c.assign(["丁"], only_unassigned=True)  # … and gives only them to a newcomer
    assert report.kept == 9 and len(report.rows) == 3
    assert [c.assignments()[k] for k in keys[:3]] == ["丁"] * 3
    assert c.set_assignee(keys[3:5], " 戊 ") == 2 and c.assignments()[keys[3]] == "戊"
    assert "戊" in c.info.staff
    with pytest.raises(InvalidInput, match="没有这些客户"):
        c.set_assignee(["KNOBODY1"], "甲")
    assert c.assigned_to("丁") == keys[:3]
    with pytest.raises(InvalidInput, match="没有分给“己”"):
        c.assigned_to("己")
    c.close()
    with Campaign.open(tmp_path / "a.jzt") as again:  # stored, not just in memory
        assert again.assignments()[keys[0]] == "丁"


def test_staff_results_count_what_each_person_was_given(tmp_path):
    c = _campaign(tmp_path / "a.jzt", _frame(12))
    c.assign(["甲", "乙"])
    mine = _by_person(c)
    # 乙 visits one of 甲's customers: 甲 keeps it (planned is what you were given)
    c.add_visit(mine["甲"][0], Visit(visit_date=D(2026, 12, 1), visitor="乙", intent="已成交",
                                     signed_package="畅享59元套餐"), TODAY)  # fmt: skip
    rows = dict(c.results("staff", today=TODAY).rows())
    assert (rows["甲"].planned, rows["甲"].visited, rows["甲"].signed) == (6, 1, 1)
    assert (rows["乙"].planned, rows["乙"].visited) == (6, 0)
    # … but the signing counts for 乙 against a personal target
    c.set_targets(Targets(signed=5, staff={"乙": 2}))
    progress = c.results("band", today=TODAY).target_progress()
    assert progress["signed"] == {"target": 5, "done": 1, "rate": 0.2, "left": 4}
    assert progress["staff"]["乙"]["done"] == 1
    c.close()


def test_targets_are_checked_and_stored(tmp_path):
    c = _campaign(tmp_path / "a.jzt", _frame(4))
    c.set_targets(Targets(signed=30, visited=100, staff={" 张 三 ": 10}))
    assert c.targets().to_dict() == {"signed": 30, "visited": 100, "staff": {"张三": 10}}
    assert "张三" in c.info.staff
    for bad in (Targets(signed=-1), Targets(staff={"张三": 1.5}), Targets(staff={"": 3})):
        with pytest.raises(InvalidInput):
            c.set_targets(bad)
    c.set_targets(Targets(signed=0))  # 0: no target
    assert not c.targets()
    c.close()
    with Campaign.open(tmp_path / "a.jzt") as again:
        assert not again.targets()


def test_the_daily_board(tmp_path):
    c = _campaign(tmp_path / "a.jzt", _frame(12), end_date=D(2026, 12, 10))
    c.assign(["甲", "乙"])
    c.set_targets(Targets(signed=7, staff={"甲": 3}))
    mine = _by_person(c)
    a, b = mine["甲"], mine["乙"]
    for key, day, who, intent, more in [
        (a[0], D(2026, 12, 2), "甲", "已成交", {"signed_package": "畅享59元套餐", "signed_fee": 59}),
        (a[1], D(2026, 12, 3), "甲", "已成交", {"signed_package": "畅享79元套餐", "met": True}),
        (a[2], D(2026, 12, 3), "甲", "考虑中", {"follow_up": D(2026, 12, 4)}),
        (b[0], D(2026, 12, 3), "乙", "有意向", {"met": True}),
        (b[1], D(2026, 12, 4), "乙", "已成交", {"signed_package": "畅享39元套餐"}),  # tomorrow
    ]:  # fmt: skip
        c.add_visit(key, Visit(visit_date=day, visitor=who, intent=intent, **more), D(2026, 12, 5))
    board = c.daily_board(D(2026, 12, 3))
    rows = {p.name: p for p in board.people}
    assert (rows["甲"].customers, rows["甲"].signed, rows["甲"].met) == (2, 1, 1)
    assert (rows["甲"].signed_total, rows["甲"].target, rows["甲"].assigned_visited) == (2, 3, 3)
    assert (rows["乙"].customers, rows["乙"].interested, rows["乙"].signed_total) == (1, 1, 0)
    assert board.team.signed == 1 and board.team.signed_total == 2 and board.team.target == 7
    assert board.visited_total == 4  # the visit of the 4th is not yet made on the 3rd
    assert [n.key for n in board.next_visits] == [a[2]] and rows["甲"].follow_ups == 1
    assert board.days_left == 7 and board.per_day_needed() == round(5 / 7, 1)
    data = board.to_dict()
    assert data["progress"]["signed"] == {"target": 7, "done": 2, "rate": round(2 / 7, 4),
                                          "left": 5}  # fmt: skip
    assert data["people"][0]["name"] == "甲" and data["team"]["name"] == "全队"
    c.close()
