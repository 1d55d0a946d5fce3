"""Customers who were not on the campaign's list: a list from the market office (物管名单:
shop names, stalls, phones — usually no spend) and walk-ins met during the sweep.

- ``add_list``: every row of another list joins the campaign. A row with a usable monthly
  spend is a customer already on the network: banded and offered by the campaign's own
  scheme, catalog, rules and options, as if it had been on the first list. A row without
  one is a 潜在客户 (prospect): no band; its offer is the entry package (the lowest band's
  主推套餐), and the offer's reason says why. A row whose phone (or customer number) is
  already in the campaign is skipped and counted; adding the same list twice adds nothing.
- ``add_walk_in``: one 现场新增 customer typed in the window's form, with the visit made to
  them (and assigned to whoever met them), in one transaction.

Both kinds have ``origin`` 潜在客户 / 现场新增 and ``added_at``: results count them as 新增客户
(and those who sign as new customers on the network).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.base.errors import InvalidInput
from core.campaign import values as v
from core.campaign.keys import clean_id
from core.campaign.store import now
from core.campaign.values import MANUAL

if TYPE_CHECKING:
    import pandas as pd

    from core.campaign.campaign import Campaign, Customer
    from core.campaign.model import Visit
    from core.importing.result import ImportResult
    from core.marketing.bands import BandScheme
    from core.marketing.catalog import Catalog, Rules

PROSPECT_KIND = "潜在客户"


@dataclass
class AddReport:
    """What adding a list did."""

    file: str
    rows: int = 0  # customers the list held
    prospects: int = 0  # added as 潜在客户 (no spend)
    listed: int = 0  # added as customers on the network (with spend, banded)
    already: int = 0  # skipped: already in the campaign
    keys: list[str] = field(default_factory=list)  # the added customers
    problems: dict[str, int] = field(default_factory=dict)  # the list's problems by code

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "added": len(self.keys),
                "prospects": self.prospects, "listed": self.listed, "already": self.already,
                "keys": list(self.keys), "problems": dict(self.problems)}  # fmt: skip


def new_key(identity: str, taken: set[str]) -> str:
    """The 客户编号 of a new identity (keys.customer_keys' rule), never one already taken."""
    from core.campaign.keys import CODE_LENGTH, key_code

    length = CODE_LENGTH
    key = key_code(identity, length)
    while key in taken:
        length += 1
        key = key_code(identity, min(length, 12)) + (str(length) if length > 12 else "")
    taken.add(key)
    return key


def entry_offer(scheme: BandScheme, rules: Rules, catalog: Catalog, kind: str) -> dict[str, Any]:
    """The offer of a customer with no spend: the lowest band's 主推套餐, saying why."""
    rule = rules.get(scheme.labels[0]) if scheme.labels else None
    package = None
    if rule is not None and rule.main in catalog.names:
        package = catalog.get(rule.main)
    offer: dict[str, Any] = {"offer_kind": kind, "tags": "", "strategy": ""}
    if package is None:
        offer["offer_reason"] = f"{kind}：没有消费记录，不分档；请按客户的需要现场推荐套餐。"
        return offer
    offer.update({
        "offer_package": package.name, "offer_fee": package.fee,
        "offer_data_gb": package.data_gb, "offer_voice_min": package.voice_min,
        "offer_broadband_mbps": package.broadband_mbps,
        "offer_contract_months": package.contract_months, "offer_landline": package.landline,
        "offer_pitch": package.pitch, "expected_bill": package.fee,
        "alt_package": rule.alt or None if rule else None,
        "offer_reason": (f"{kind}：还不是在网客户，没有消费记录，不分档；先介绍入门的"
                         f"{package.name}（每月 {package.fee:.2f} 元），请按客户的需要现场调整。"),
    })  # fmt: skip
    return {k: x for k, x in offer.items() if x is not None}


def _json(record: dict[str, Any]) -> str:
    return json.dumps({k: x for k, x in record.items() if x is not None}, ensure_ascii=False)


def _identity(phone: Any, customer_id: Any, fallback: str) -> list[str]:
    out = [f"phone:{p}" for p in [clean_id(phone)] if p]
    out += [f"id:{c}" for c in [clean_id(customer_id)] if c]
    return out or [fallback]


def add_list(campaign: Campaign, listed: ImportResult) -> AddReport:
    """Add another list's customers (see the module docstring); one transaction."""
    import pandas as pd

    from core.campaign.create import OFFER_KEYS, _plain, _secret, records, sha256_of
    from core.marketing import make_offers
    from core.marketing.policy import OfferOptions

    frame: pd.DataFrame = listed.customers
    report = AddReport(file=listed.source.name, rows=len(frame),
                       problems=dict(Counter(p.code for p in listed.problems)))  # fmt: skip
    store = campaign._store
    keys, identities, seq = store.keys_and_identities()
    digest = sha256_of(listed.source)[:12] if listed.source.is_file() else "list"
    usable = frame["spend"].notna() if "spend" in frame else pd.Series(False, index=frame.index)
    if "spend_issue" in frame:
        usable &= frame["spend_issue"].isna()
    offers = frame.iloc[0:0]
    if usable.any():
        offers = make_offers(frame[usable].reset_index(drop=True), campaign.scheme(),
                             campaign.catalog(), campaign.rules(),
                             options=OfferOptions.from_dict(campaign._meta.get("options")))  # fmt: skip
    prospect_offer = entry_offer(
        campaign.scheme(), campaign.rules(), campaign.catalog(), PROSPECT_KIND
    )
    data_keys = [str(c) for c in frame.columns
                 if c not in OFFER_KEYS and not _secret(str(c)) and c != "spend_issue"]  # fmt: skip
    data = records(frame, data_keys)
    offer_json = records(offers, [c for c in OFFER_KEYS if c in offers.columns])
    rows = []
    stamp = now()
    on_network = iter(range(len(offers)))
    for i in range(len(frame)):
        rec = frame.iloc[i]
        row_no = _plain(rec.get("source_row"))
        candidates = _identity(rec.get("phone"), rec.get("customer_id"),
                               f"list:{digest}:{row_no if row_no is not None else i + 1}")  # fmt: skip
        if usable.iat[i]:
            j = next(on_network)
        if any(c in identities for c in candidates):
            report.already += 1
            continue
        ident = candidates[0]
        identities.add(ident)
        key = new_key(ident, keys)
        seq += 1
        if usable.iat[i]:
            o = offers.iloc[j]
            band, package, fee = _plain(o.get("band")), _plain(o.get("offer_package")), _plain(
                o.get("offer_fee"))  # fmt: skip
            origin, offer_text = v.LISTED, offer_json[j]
            report.listed += 1
        else:
            band, package = None, prospect_offer.get("offer_package")
            fee = prospect_offer.get("offer_fee")
            origin, offer_text = v.PROSPECT, _json(prospect_offer)
            report.prospects += 1
        rows.append((key, ident, seq, _int(row_no), clean_id(rec.get("customer_id")) or None,
                     clean_id(rec.get("phone")) or None, _plain(rec.get("name")), band,
                     _plain(rec.get("spend")) if origin == v.LISTED else None, package, fee,
                     data[i], offer_text, origin, stamp))  # fmt: skip
        report.keys.append(key)
    columns = _with_columns(campaign, data_keys)
    with store.transaction():
        store.add_customers(rows)
        store.set_meta({"columns": columns})
    campaign._meta["columns"] = columns
    campaign._aliases = None
    return report


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def add_walk_in(
    campaign: Campaign,
    name: str,
    phone: str = "",
    *,
    address: str = "",
    industry: str = "",
    note: str = "",
    visitor: str = "",
    visit: Visit | None = None,
    today: Any = None,
) -> Customer:
    """Add a 现场新增 customer (and the visit to them); the customer as stored."""
    shown = v.text(name, 80)
    if not shown:
        raise InvalidInput("请填写客户名称（店名或姓名）。", "例如：张记五金。")
    number = ""
    if v.norm(phone):
        import pandas as pd

        from core.importing.cleaning import parse_phones

        parsed = parse_phones(pd.Series([v.norm(phone)], dtype=object))[0].iat[0]
        number = "" if pd.isna(parsed) else str(parsed)
        if not number:
            raise InvalidInput(f"号码“{v.norm(phone)}”不是有效的手机或固话号码。",
                               "请核对号码，或先不填号码。")  # fmt: skip
    store = campaign._store
    keys, identities, seq = store.keys_and_identities()
    candidates = _identity(number, None, f"walk-in:{now()}:{seq + 1}:{shown}")
    if any(c in identities for c in candidates):
        existing = campaign.key_for(number)
        raise InvalidInput(f"号码 {number} 的客户已在营销活动中（客户编号 {existing}）。",
                           "请直接在客户列表里找到这位客户录入走访。")  # fmt: skip
    person = v.person(visitor or (visit.visitor if visit else ""))
    if visit is not None:
        visit = campaign._fees().complete(visit.checked(today))
    key = new_key(candidates[0], keys)
    data = {"name": shown, "phone": number or None, "address": v.text(address, 200) or None,
            "industry": v.text(industry, 80) or None, "备注": v.text(note, 200) or None}  # fmt: skip
    offer = entry_offer(campaign.scheme(), campaign.rules(), campaign.catalog(), v.WALK_IN)
    with store.transaction():
        store.add_customers([(key, candidates[0], seq + 1, None, None, number or None, shown,
                              None, None, offer.get("offer_package"), offer.get("offer_fee"),
                              _json(data), _json(offer), v.WALK_IN, now())])  # fmt: skip
        if person:
            store.set_assignments([(key, person, "walk_in")])
            campaign._join_staff([person])
        if visit is not None:
            store.insert_visit(key, visit, MANUAL, None)
        columns = _with_columns(campaign, [k for k, x in data.items() if x is not None])
        store.set_meta({"columns": columns})
    campaign._meta["columns"] = columns
    campaign._aliases = None
    return campaign.customer(key)


def _with_columns(campaign: Campaign, keys: list[str]) -> list[list[str]]:
    """The campaign's columns with ``keys`` added (Chinese labels) where they are new."""
    from core.base.fields import label

    columns = [list(c) for c in campaign.columns()]
    have = {c[0] for c in columns}
    return columns + [[k, label(k)] for k in keys if k not in have]


__all__ = ["AddReport", "add_list", "add_walk_in", "entry_offer", "new_key"]
