"""The daily board for the sweep's morning and evening meetings (晨会 / 夕会: 公布昨日战报,
each person's result of the day, the team against its target, who to see next).

``daily_board(campaign, day)`` counts what the file holds at the end of ``day`` (later
visits are left out, so yesterday's board can be read this morning):

- per person: the visits made that day (records), the customers visited, met, interested
  and signed that day; the customers assigned to them, how many of those have been
  visited so far, the signings credited to them so far (a signing counts for the person
  who made the signing visit) against their target;
- the team: the same summed, against the team's signed and visited targets, and — when
  the campaign has an end date — how many signings a day are still needed;
- next: customers whose latest visit asks to follow up by the next day (or earlier), and
  each person's assigned customers not yet visited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.base.errors import InvalidInput
from core.campaign import values as v
from core.campaign.results import Targets, progress
from core.campaign.tally import customer_facts, visits_by_customer

if TYPE_CHECKING:
    from core.campaign.campaign import Campaign

TEAM = "全队"
MAX_TARGET = 10_000_000


def checked_targets(targets: Targets) -> Targets:
    """Targets with tidied names and whole positive numbers (0 or None: no target);
    InvalidInput naming the wrong value otherwise."""

    def count(value: Any, what: str) -> int | None:
        if value in (None, 0):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_TARGET:
            raise InvalidInput(f"{what}的目标“{value}”不是有效的数字。",
                               "请写一个正整数，例如 --signed 30；写 0 表示不设目标。")  # fmt: skip
        return value

    staff: dict[str, int] = {}
    for name, n in targets.staff.items():
        person = v.person(name)
        if not person:
            raise InvalidInput("个人目标缺少姓名。", "请写成 --staff 张三=10。")
        n = count(n, person)
        if n:
            staff[person] = n
    return Targets(count(targets.signed, "签约"), count(targets.visited, "走访"), staff)


@dataclass
class PersonDay:
    """One row of the board."""

    name: str
    visits: int = 0  # visit records made that day
    customers: int = 0  # customers visited that day
    met: int = 0
    interested: int = 0
    signed: int = 0  # signings that day
    revenue_cents: int = 0  # monthly revenue change of that day's signings
    assigned: int = 0
    assigned_visited: int = 0  # of the assigned, visited by the end of the day
    signed_total: int = 0  # signings credited so far
    target: int | None = None
    follow_ups: int = 0  # their customers to follow up by the next day

    @property
    def not_visited(self) -> int:
        return self.assigned - self.assigned_visited

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "visits": self.visits, "customers": self.customers,
                "met": self.met, "interested": self.interested, "signed": self.signed,
                "revenue_change": self.revenue_cents / 100, "assigned": self.assigned,
                "assigned_visited": self.assigned_visited, "not_visited": self.not_visited,
                "signed_total": self.signed_total, "target": self.target,
                "progress": progress(self.target, self.signed_total),
                "follow_ups": self.follow_ups}  # fmt: skip


@dataclass
class NextVisit:
    key: str
    name: str
    person: str
    date: dt.date
    intent: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "person": self.person,
                "date": self.date.isoformat(), "intent": self.intent}  # fmt: skip


@dataclass
class Board:
    day: dt.date
    campaign: str
    people: list[PersonDay] = field(default_factory=list)
    team: PersonDay = field(default_factory=lambda: PersonDay(TEAM))
    targets: Targets = field(default_factory=Targets)
    visited_total: int = 0  # customers visited by the end of the day
    customers: int = 0
    end_date: dt.date | None = None
    next_visits: list[NextVisit] = field(default_factory=list)

    @property
    def days_left(self) -> int | None:
        """Days of the campaign after ``day`` (None without an end date)."""
        return None if self.end_date is None else max((self.end_date - self.day).days, 0)

    def per_day_needed(self) -> float | None:
        """Signings a day still needed to reach the team's target by the end date."""
        left = progress(self.targets.signed, self.team.signed_total)
        if left is None or not self.days_left:
            return None
        return round(left["left"] / self.days_left, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(), "campaign": self.campaign,
            "people": [p.to_dict() for p in self.people], "team": self.team.to_dict(),
            "customers": self.customers, "visited_total": self.visited_total,
            "targets": self.targets.to_dict(),
            "progress": {"signed": progress(self.targets.signed, self.team.signed_total),
                         "visited": progress(self.targets.visited, self.visited_total)},
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "days_left": self.days_left, "per_day_needed": self.per_day_needed(),
            "next_visits": [n.to_dict() for n in self.next_visits],
        }  # fmt: skip


def daily_board(campaign: Campaign, day: dt.date) -> Board:
    """The board of ``day`` (see the module docstring)."""
    info = campaign.info
    targets = campaign.targets()
    board = Board(day, info.name, targets=targets, end_date=info.end_date)
    rows: dict[str, PersonDay] = {}

    def row(name: str) -> PersonDay:
        if name not in rows:
            rows[name] = PersonDay(name, target=targets.staff.get(name))
        return rows[name]

    for name in (*info.staff, *targets.staff):
        row(name)
    facts = customer_facts(campaign._store)
    visits = visits_by_customer(campaign._store, date_to=day)
    board.customers = len(facts)
    tomorrow = day + dt.timedelta(days=1)
    for c in facts:
        mine = visits.get(c.key, [])
        if c.assignee:
            row(c.assignee).assigned += 1
            row(c.assignee).assigned_visited += bool(mine)
        if not mine:
            continue
        board.visited_total += 1
        latest = mine[-1].visit
        if latest.intent == v.SIGNED:
            row(latest.visitor).signed_total += 1
        todays = [s.visit for s in mine if s.visit.visit_date == day]
        for person in dict.fromkeys(x.visitor for x in todays):
            work = [x for x in todays if x.visitor == person]
            r = row(person)
            r.visits += len(work)
            r.customers += 1
            r.met += any(x.met for x in work)
            r.interested += work[-1].intent in (v.INTERESTED, v.SIGNED)
            if work[-1].intent == v.SIGNED:
                r.signed += 1
                spend = 0.0 if c.origin in v.NEW_ORIGINS else c.spend
                if work[-1].signed_fee is not None and spend is not None:
                    r.revenue_cents += round(work[-1].signed_fee * 100) - round(spend * 100)
        if latest.follow_up is not None and latest.follow_up <= tomorrow:
            person = c.assignee or latest.visitor
            row(person).follow_ups += 1
            board.next_visits.append(NextVisit(c.key, c.name, person, latest.follow_up,
                                               latest.intent))  # fmt: skip
    board.people = list(rows.values())
    team = board.team
    for r in board.people:
        for name in ("visits", "customers", "met", "interested", "signed", "revenue_cents",
                     "assigned", "assigned_visited", "signed_total", "follow_ups"):  # fmt: skip
            setattr(team, name, getattr(team, name) + getattr(r, name))
    team.target = targets.signed
    board.next_visits.sort(key=lambda n: (n.date, n.person, n.key))
    return board


__all__ = ["TEAM", "Board", "NextVisit", "PersonDay", "checked_targets", "daily_board"]
