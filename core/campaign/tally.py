"""Counting a campaign's results: each customer's visits (within the date range, if one is
given) become the funnel of every group the customer belongs to, and of 合计. The rules
are in ``results``' docstring; the SQL that reads the customers and visits is in ``store``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.base.errors import InvalidInput
from core.campaign import values as v
from core.campaign.model import StoredVisit
from core.campaign.results import (
    BY_LABELS,
    COMPETITOR,
    FOLLOW_UP_DAYS,
    JOIN,
    MISSING,
    NO_PLAN,
    NO_TAG,
    NOT_VISITED,
    SUGGESTION,
    UNASSIGNED,
    UNBANDED,
    FollowUp,
    Funnel,
    Quote,
    Results,
    Targets,
    resolve_by,
    shorten,
)
from core.campaign.store import Store

if TYPE_CHECKING:
    from core.campaign.campaign import Campaign

TAG_FLAGS = ("种子用户", "传播型用户", "合约到期", "资费偏高")  # in customer_facts' order
ENGAGED = (v.SIGNED, v.INTERESTED, v.CONSIDERING)


@dataclass
class Facts:
    """One customer as results count it (a row of ``Store.customer_facts``)."""

    key: str
    name: str
    band: str | None
    spend: float | None
    offer_package: str
    alt_package: str
    tags: tuple[str, ...]
    origin: str
    added_at: str | None
    assignee: str
    values: tuple[Any, ...]  # the customer fields asked for, in order

    @classmethod
    def of(cls, row: Sequence[Any]) -> Facts:
        key, name, band, spend, offer, alt, *flags = row[:10]
        origin, added_at, assignee = row[10:13]
        tags = tuple(t for t, f in zip(TAG_FLAGS, flags, strict=True) if f)
        return cls(key, name or "", band, spend, offer or "", alt or "", tags,
                   origin or v.LISTED, added_at, assignee or "", tuple(row[13:]))  # fmt: skip


def customer_facts(store: Store, fields: Sequence[str] = ()) -> list[Facts]:
    return [Facts.of(r) for r in store.customer_facts(fields)]


def visits_by_customer(
    store: Store, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict[str, list[StoredVisit]]:
    """Each customer's visits on the days asked for, oldest first."""
    out: dict[str, list[StoredVisit]] = defaultdict(list)
    for s in store.visits():
        day = s.visit.visit_date
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        out[s.customer_key].append(s)
    return out


def took(visit_package: str, facts: Facts) -> str:
    """took_offer / took_alt / took_other: which package a signing customer took."""
    signed = v.package_key(visit_package)
    if signed and signed == v.package_key(facts.offer_package):
        return "took_offer"
    if signed and signed == v.package_key(facts.alt_package):
        return "took_alt"
    return "took_other"


def is_new(facts: Facts, created_at: str) -> bool:
    """A prospect or walk-in added in this campaign (not one carried from an earlier round)."""
    return facts.origin in v.NEW_ORIGINS and (facts.added_at or "") >= created_at


@dataclass
class Outcome:
    """What a customer's visits (all of them, or one day's) add to a funnel, worked out
    once and added to every group the customer is in."""

    new: bool
    visited: bool = False
    met: bool = False
    intent: str = ""
    revenue: int | None = None  # cents of a signing; None: a fee or the spend is missing
    took: str = ""
    package: str = ""
    signer: str = ""
    objections: frozenset[str] = frozenset()
    quotes: tuple[tuple[str, Quote], ...] = ()


def outcome(facts: Facts, visits: list[StoredVisit], new: bool) -> Outcome:
    """The Outcome of ``visits`` (oldest first) for the customer ``facts``."""
    out = Outcome(new)
    if not visits:
        return out
    latest = visits[-1].visit
    out.visited, out.intent = True, latest.intent
    out.met = any(s.visit.met for s in visits)
    if latest.intent == v.SIGNED:
        spend = 0.0 if facts.origin in v.NEW_ORIGINS else facts.spend  # new: all of it is new
        if latest.signed_fee is not None and spend is not None:
            out.revenue = round(latest.signed_fee * 100) - round(spend * 100)
        out.took = took(latest.signed_package, facts)
        out.package = latest.signed_package or MISSING
        out.signer = latest.visitor
    out.objections = frozenset(o for s in visits for o in s.visit.objections)
    quotes = []
    for kind, attr in ((SUGGESTION, "suggestion"), (COMPETITOR, "competitor")):
        said = [s for s in visits if getattr(s.visit, attr)]
        if said:
            last = said[-1].visit
            quotes.append((kind, Quote(shorten(getattr(last, attr)), facts.name, facts.key,
                                       last.visit_date, last.visitor)))  # fmt: skip
    out.quotes = tuple(quotes)
    return out


def add(f: Funnel, o: Outcome, planned: bool = True) -> None:
    """Count the Outcome in ``f`` (``planned``: a customer of the plan, not a day's work)."""
    if planned:
        f.planned += 1
        f.added += o.new
    if not o.visited:
        return
    f.visited += 1
    f.added_visited += o.new
    f.met += o.met
    f.interested += o.intent in (v.INTERESTED, v.SIGNED)
    f.considering += o.intent == v.CONSIDERING
    f.engaged += o.intent in ENGAGED
    if o.intent == v.SIGNED:
        f.signed += 1
        f.added_signed += o.new
        if o.revenue is None:
            f.signed_without_fee += 1
        else:
            f.revenue_cents += o.revenue
        setattr(f, o.took, getattr(f, o.took) + 1)
        f.signed_packages[o.package] = f.signed_packages.get(o.package, 0) + 1
        f.signed_by[o.signer] = f.signed_by.get(o.signer, 0) + 1
    for item in o.objections:
        f.objections[item] = f.objections.get(item, 0) + 1
    for kind, quote in o.quotes:
        if kind == SUGGESTION:
            f.suggestions += 1
        else:
            f.competitor_notes += 1
        f.quote(kind, quote)


class Collector:
    """Adds one campaign file after another to ``results``."""

    def __init__(self, results: Results, columns: list[list[str]]) -> None:
        self.results = results
        self.dims = results.dims
        self.fields = [d for d in self.dims if d not in BY_LABELS]
        self.columns = columns

    def add_file(self, store: Store, meta: dict[str, Any], file_label: str) -> None:
        res = self.results
        if "band" in self.dims:
            for band in meta.get("scheme", {}).get("bands", []):
                if band.get("label") not in res.order:
                    res.order.append(band.get("label"))
        have = {k for k, _ in meta.get("columns", [])}
        for name in self.fields:
            if name not in have:
                label = dict(self.columns).get(name, name)
                raise InvalidInput(
                    f"营销活动“{file_label}”的客户清单里没有“{label}”这一列。",
                    "请换一个统计维度，或只统计有这一列的活动文件。",
                )
        branch = (meta.get("info", {}).get("branch") or "").strip() or file_label
        number = int(meta.get("round", {}).get("number", 1))
        res.rounds[file_label] = number
        res.targets.add(Targets.from_dict(meta.get("targets")))
        created_at = str(meta.get("created_at") or "")
        facts = customer_facts(store, self.fields)
        visits = visits_by_customer(store, res.date_from, res.date_to)
        anyone_assigned = any(f.assignee for f in facts)
        soon = res.today + dt.timedelta(days=FOLLOW_UP_DAYS)
        context = {"branch": branch, "round": f"第{number}轮", "file": file_label,
                   "unassigned": UNASSIGNED if anyone_assigned else NOT_VISITED}  # fmt: skip
        plans = res.breakdowns.setdefault("plan", {})
        days = res.breakdowns.setdefault("day", {})
        for c in facts:
            mine = visits.get(c.key, [])
            new = is_new(c, created_at)
            parts = self._parts(c, mine, context)
            whole = outcome(c, mine, new)
            if "day" in self.dims:
                self._by_day(c, mine, parts, new)
            else:
                for combo in itertools.product(*parts):
                    add(self._group(combo), whole)
            add(res.total, whole)
            self._follow_up(c, mine, parts, file_label, soon)
            add(plans.setdefault(c.offer_package or NO_PLAN, Funnel()), whole)
            for day, todays in itertools.groupby(mine, key=lambda s: s.visit.visit_date):
                funnel = days.setdefault(day.isoformat(), Funnel(activity=True))
                add(funnel, outcome(c, list(todays), new), planned=False)

    # ---------------------------------------------------------------- groups
    def _parts(self, c: Facts, mine: list[StoredVisit], ctx: dict[str, str]) -> list[list[str]]:
        """The customer's value in each dimension (a tag dimension may hold several; the
        day dimension is filled in per visit day)."""
        out: list[list[str]] = []
        values = iter(c.values)
        for dim in self.dims:
            if dim == "band":
                new_kind = c.origin if c.origin in v.NEW_ORIGINS else UNBANDED
                out.append([c.band or new_kind])
            elif dim == "staff":
                last = mine[-1].visit.visitor if mine else ""
                out.append([c.assignee or last or ctx["unassigned"]])
            elif dim in ("branch", "round"):
                out.append([ctx[dim]])
            elif dim == "plan":
                out.append([c.offer_package or NO_PLAN])
            elif dim == "tag":
                out.append(list(c.tags) or [NO_TAG])
            elif dim == "origin":
                out.append([c.origin])
            elif dim == "day":
                out.append([""])
            else:
                out.append([v.text(next(values), 80) or MISSING])
        return out

    def _group(self, combo: Sequence[str]) -> Funnel:
        name = JOIN.join(combo)
        funnel = self.results.groups.get(name)
        if funnel is None:
            funnel = self.results.groups[name] = Funnel(activity="day" in self.dims)
            self.results.parts[name] = tuple(combo)
        return funnel

    # ---------------------------------------------------------------- counting
    def _by_day(self, c: Facts, mine: list[StoredVisit], parts: list[list[str]],
                new: bool) -> None:  # fmt: skip
        """One row per day (and visitor, with staff) of the customer's visits."""
        staff_at = self.dims.index("staff") if "staff" in self.dims else -1
        day_at = self.dims.index("day")
        for day, visits in itertools.groupby(mine, key=lambda s: s.visit.visit_date):
            todays = list(visits)
            by_whom = ([todays] if staff_at < 0 else
                       [list(g) for _, g in itertools.groupby(
                           sorted(todays, key=lambda s: (s.visit.visitor, s.id)),
                           key=lambda s: s.visit.visitor)])  # fmt: skip
            for work in by_whom:
                here = [list(p) for p in parts]
                here[day_at] = [day.isoformat()]
                if staff_at >= 0:
                    here[staff_at] = [work[-1].visit.visitor]
                done = outcome(c, work, new)
                for combo in itertools.product(*here):
                    add(self._group(combo), done, planned=False)

    def _follow_up(self, c: Facts, mine: list[StoredVisit], parts: list[list[str]],
                   file_label: str, soon: dt.date) -> None:  # fmt: skip
        if not mine or mine[-1].visit.follow_up is None:
            return
        last = mine[-1].visit
        day = last.follow_up
        assert day is not None
        if day > soon:
            return
        res = self.results
        overdue = day < res.today
        group = JOIN.join("、".join(p) for d, p in zip(self.dims, parts, strict=True)
                          if d != "day")  # fmt: skip
        funnels = [res.total]
        if "day" not in self.dims:
            funnels += [res.groups[JOIN.join(combo)] for combo in itertools.product(*parts)]
        for f in funnels:
            if overdue:
                f.follow_ups_overdue += 1
            else:
                f.follow_ups_due += 1
        res.follow_ups.append(FollowUp(c.key, c.name, group, day, last.visitor, last.intent,
                                       file_label))  # fmt: skip


def finish(results: Results, files: int) -> Results:
    """Order the follow-ups, keep a few quotes per group, and say how files combine."""
    results.follow_ups.sort(key=lambda f: (f.date, f.file, f.group, f.key))
    extra = [f for groups in results.breakdowns.values() for f in groups.values()]
    for funnel in [results.total, *results.groups.values(), *extra]:
        funnel.trim_quotes()
    if files > 1:
        rounds = sorted(set(results.rounds.values()))
        note = (
            "几个活动文件一起统计：每个文件各算一次，合计是各文件相加；同一位客户出现在几个文件"
            "（例如第一轮和第二轮）里时，在每个文件里各算一次，每个文件只统计它自己的走访"
            "（第二轮文件里保存的第一轮走访是历史记录，不计入第二轮）。"
        )
        if len(rounds) > 1:
            note += (
                f"这些文件包括第 {'、'.join(map(str, rounds))} 轮，可用 --by round 按轮次分开看。"
            )
        results.notes.append(note)
    if results.date_from or results.date_to:
        span = f"{results.date_from or '开始'} 至 {results.date_to or '今天'}"
        results.notes.append(f"只统计 {span} 的走访；这段时间以外的走访不计入。")
    return results


def new_results(
    dims: list[tuple[str, str]],
    today: dt.date | None,
    files: list[Path],
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Results:
    if date_from and date_to and date_to < date_from:
        raise InvalidInput(f"统计的结束日期 {date_to} 早于开始日期 {date_from}。",
                           "请核对 --from 和 --to。")  # fmt: skip
    keys = [k for k, _ in dims]
    return Results(by="+".join(keys), by_label=JOIN.join(lab for _, lab in dims),
                   today=today or dt.date.today(), files=[str(p) for p in files], dims=keys,
                   date_from=date_from, date_to=date_to)  # fmt: skip


def results_of(
    campaigns: Iterable[Campaign],
    by: str | Sequence[str],
    today: dt.date | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    paths: Sequence[Path] = (),
) -> Results:
    """Count the open ``campaigns`` (opened one after another by the caller, if need be)."""
    out: Results | None = None
    collector: Collector | None = None
    n = 0
    for campaign in campaigns:
        columns = campaign._meta.get("columns", [])
        if out is None:
            dims = resolve_by(by, columns)
            out = new_results(dims, today, list(paths) or [campaign.path], date_from, date_to)
            collector = Collector(out, columns)
        assert collector is not None
        collector.add_file(campaign._store, campaign._meta, campaign.path.stem)
        n += 1
    assert out is not None
    return finish(out, n)


__all__ = [
    "Collector",
    "Facts",
    "customer_facts",
    "finish",
    "new_results",
    "results_of",
    "took",
    "visits_by_customer",
]
