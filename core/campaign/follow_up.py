"""The second round (二次营销): a new campaign file holding the customers still to win.

``start_round(campaign, target, …)`` chooses customers by their latest visit in this
campaign — its 意向 (有意向、考虑中 by default), a 下次跟进日期 due within 7 days or past
(``due``), or no visit at all (``not_visited``); several choices add up — and writes a new
file with exactly those customers: their list data and offers, their visits of this and
earlier rounds as history (shown with each customer, never counted in the new round's
results), their assignment, the list's import problems, and the same band scheme,
catalog, rules and options — or a new catalog or scheme, with the offers worked out
again. The new file's round is this one's plus one and names this file as the previous.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.base.errors import InvalidInput
from core.base.files import atomic_path
from core.campaign import values as v
from core.campaign.campaign_id import new_campaign_id
from core.campaign.decode import CAMPAIGN_ID
from core.campaign.results import FOLLOW_UP_DAYS
from core.campaign.store import Store, now

if TYPE_CHECKING:
    from core.campaign.campaign import Campaign
    from core.marketing.bands import BandScheme
    from core.marketing.catalog import Catalog

DEFAULT_INTENTS = (v.INTERESTED, v.CONSIDERING)


@dataclass
class FollowUpReport:
    path: Path
    round: int
    customers: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # why chosen → customers
    history: int = 0  # visits carried as history
    assigned: int = 0
    rule: str = ""
    reoffered: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "round": self.round, "customers": self.customers,
                "reasons": dict(self.reasons), "history": self.history,
                "assigned": self.assigned, "rule": self.rule,
                "reoffered": self.reoffered}  # fmt: skip


def intents_of(items: Any) -> tuple[str, ...]:
    """'有意向,考虑中' or a list → the 意向 options (InvalidInput for anything else)."""
    if isinstance(items, str):
        items = items.replace("，", ",").replace("、", ",").split(",")
    out: list[str] = []
    for item in items or ():
        if not v.norm(item):
            continue
        try:
            found = v.choice(item, v.INTENTS, "意向")
        except v.BadValue as exc:
            raise InvalidInput(exc.reason, "例如 --intent 有意向,考虑中。") from None
        if found not in out:
            out.append(found)
    return tuple(out)


def _rule_text(intents: tuple[str, ...], due: bool, not_visited: bool) -> str:
    parts = []
    if intents:
        parts.append(f"最近一次走访的意向是{'、'.join(intents)}")
    if due:
        parts.append(f"下次跟进日期在 {FOLLOW_UP_DAYS} 天内或已过")
    if not_visited:
        parts.append("还没有走访")
    return "；或".join(parts)


def choose_round(
    campaign: Campaign,
    *,
    intents: Any = None,
    due: bool = False,
    not_visited: bool = False,
    today: dt.date | None = None,
) -> tuple[list[tuple], dict[str, int], str]:
    """Who the next round holds: the customer rows chosen, how many for each reason
    (有意向 / 考虑中 / 到期跟进 / 还没有走访 …) and the rule in words. Nothing is written, so
    the window can show the count before the file is made."""
    chosen_intents = intents_of(intents)
    if not chosen_intents and not due and not not_visited:
        chosen_intents = DEFAULT_INTENTS
    today = today or dt.date.today()
    soon = today + dt.timedelta(days=FOLLOW_UP_DAYS)
    store = campaign._store
    latest: dict[str, Any] = {}
    for s in store.visits():
        latest[s.customer_key] = s.visit  # oldest first: the last one stays
    chosen: list[tuple] = []
    reasons: dict[str, int] = {}
    for row in store.customers():
        last = latest.get(row[0])
        why = ""
        if last is None:
            why = "还没有走访" if not_visited else ""
        elif last.intent in chosen_intents:
            why = last.intent
        elif due and last.follow_up is not None and last.follow_up <= soon:
            why = "到期跟进"
        if why:
            chosen.append(row)
            reasons[why] = reasons.get(why, 0) + 1
    return chosen, reasons, _rule_text(chosen_intents, due, not_visited)


def round_count(campaign: Campaign, **choice: Any) -> tuple[dict[str, int], str]:
    """Customers by reason a second round with ``choice`` would hold, and its rule in
    words (nothing written: the window shows it before the file is made)."""
    return choose_round(campaign, **choice)[1:]


def start_round(
    campaign: Campaign,
    target: Path,
    *,
    intents: Any = None,
    due: bool = False,
    not_visited: bool = False,
    today: dt.date | None = None,
    name: str | None = None,
    scheme: BandScheme | None = None,
    catalog: Catalog | None = None,
    force: bool = False,
) -> FollowUpReport:
    """Write the next round's campaign at ``target`` (see the module docstring)."""
    today = today or dt.date.today()
    chosen, reasons, rule = choose_round(campaign, intents=intents, due=due,
                                         not_visited=not_visited, today=today)  # fmt: skip
    store = campaign._store
    report = FollowUpReport(Path(target), int(campaign.round().get("number", 1)) + 1,
                            reasons=reasons, rule=rule)  # fmt: skip
    if not chosen:
        raise InvalidInput(f"没有符合条件的客户（{report.rule}），没有建立第二轮活动。",
                           "请换一个条件，例如 --intent 有意向,考虑中,无意向 或 --not-visited；"
                           "用 results 查看各意向的人数。")  # fmt: skip
    keys = [r[0] for r in chosen]
    wanted = set(keys)
    meta = dict(campaign._meta)
    info = campaign.info
    info.name = v.text(name, 80) or f"{info.name}（第{report.round}轮）"
    info.start_date, info.end_date = today, None
    meta.update({
        "created_at": now(), CAMPAIGN_ID: new_campaign_id(), "info": info.to_dict(),
        "targets": {},
        "round": {"number": report.round, "rule": report.rule,
                  "previous": {"file": campaign.path.name, "name": campaign.info.name,
                               "created_at": str(campaign._meta.get("created_at", ""))}},
    })  # fmt: skip
    if scheme is not None or catalog is not None:
        chosen, snapshot = _reoffer(campaign, chosen, scheme, catalog)
        meta.update(snapshot)
        report.reoffered = True
    this_round = int(campaign.round().get("number", 1))
    history = [(key, rnd, label, s) for rnd, label, s in store.history()
               for key in [s.customer_key] if key in wanted]  # fmt: skip
    history += [(s.customer_key, this_round, campaign.info.name, s) for s in store.visits()
                if s.customer_key in wanted]  # fmt: skip
    assigned = [(k, p, "follow_up") for k, p, _how in store.assignments() if k in wanted]
    report.customers, report.history, report.assigned = len(chosen), len(history), len(assigned)
    problems = store.problems()
    with atomic_path(Path(target), force=force) as tmp:
        new = Store.create(tmp)
        try:
            with new.transaction():
                new.set_meta(meta)
                new.add_problems(problems)
                new.add_customers(chosen)
                new.add_history(history)
                new.set_assignments(assigned)
        finally:
            new.close()
    return report


def _reoffer(
    campaign: Campaign, rows: list[tuple], scheme: BandScheme | None, catalog: Catalog | None
) -> tuple[list[tuple], dict[str, Any]]:
    """The customers' offers worked out again with another scheme or catalog (prospects
    get the new entry package), and the new snapshot for meta."""
    import json

    import pandas as pd

    from core.campaign import decode
    from core.campaign.create import OFFER_KEYS, _plain, _snapshot, records
    from core.campaign.frames import DATE_COLUMNS
    from core.campaign.prospects import entry_offer
    from core.marketing import make_offers
    from core.marketing.catalog import default_rules
    from core.marketing.policy import OfferOptions

    scheme = scheme or campaign.scheme()
    catalog = catalog or campaign.catalog()
    rules = campaign.rules()
    try:
        rules.check(catalog, scheme)
    except InvalidInput:  # packages or bands changed: each band's default packages
        rules = default_rules(scheme, catalog)
    snapshot = _snapshot(catalog, rules, scheme)
    listed = [r for r in rows if r[13] == v.LISTED]
    data = pd.DataFrame.from_records(
        [decode.record(r[11], campaign.path, f"客户“{r[0]}”的数据无法读取") for r in listed]
    )
    for col in DATE_COLUMNS:
        if col in data.columns:
            data[col] = pd.to_datetime(data[col], errors="coerce")
    for col in ("spend", "package", "phone", "customer_id"):
        if col not in data.columns:
            data[col] = None
    data["spend"] = pd.to_numeric(data["spend"], errors="coerce")
    options = OfferOptions.from_dict(campaign._meta.get("options"))
    offers = make_offers(data, scheme, catalog, rules, options=options) if len(data) else data
    offer_json = records(offers, [c for c in OFFER_KEYS if c in offers.columns])
    out: list[tuple] = []
    j = 0
    for r in rows:
        if r[13] == v.LISTED:
            o = offers.iloc[j]
            out.append((*r[:7], _plain(o.get("band")), r[8], _plain(o.get("offer_package")),
                        _plain(o.get("offer_fee")), r[11], offer_json[j], *r[13:]))  # fmt: skip
            j += 1
        else:
            entry = entry_offer(scheme, rules, catalog, r[13])
            out.append((*r[:9], entry.get("offer_package"), entry.get("offer_fee"), r[11],
                        json.dumps(entry, ensure_ascii=False), *r[13:]))  # fmt: skip
    return out, snapshot


__all__ = ["DEFAULT_INTENTS", "FollowUpReport", "intents_of", "start_round"]
