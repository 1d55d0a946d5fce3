"""Shared by the city-database tests (issue 25): small generated campaigns with every kind
of row a push copies (customers, visits, a corrected and a deleted visit, assignments,
targets, letters logged), and a way to empty the test database between tests."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from core.campaign import MANUAL, Campaign, CampaignInfo, Targets, Visit
from core.marketing import default_catalog, default_scheme, make_offers

TODAY = dt.date(2026, 12, 2)
INTENTS = ("已成交", "有意向", "考虑中", "无意向", "未见到")


def customers_frame(n: int, seed: int):
    """``n`` customers shaped like the importer's output (bench_report's generator)."""
    from bench.bench_report import synthetic_customers

    return synthetic_customers(n, seed=seed)


def city_campaign(path: Path, n: int = 40, seed: int = 1, branch: str = "城东分公司",
                  name: str | None = None, visited: float = 0.5) -> Path:  # fmt: skip
    """A county's campaign at ``path``: ``n`` customers, about ``visited`` of them visited
    (one visit in one transaction), two staff assigned, targets, letters logged, and one
    visit corrected and one deleted (the schema-3 change log)."""
    offers = make_offers(customers_frame(n, seed), default_scheme(), default_catalog())
    info = CampaignInfo(name=name or f"{branch}扫场", branch=branch, staff=("张三", "李四"))
    with Campaign.create(path, offers, info) as campaign:
        campaign.assign(["张三", "李四"])
        campaign.set_targets(Targets(signed=5, visited=n // 2, staff={"张三": 3}))
        keys = campaign.customer_keys()
        campaign.log_documents("建议书", "默认模板", keys[:5])
        add_visits(campaign, keys, seed, visited)
        first = campaign.visits()[:2]
        if len(first) == 2:
            fixed = first[0].visit
            campaign.update_visit(first[0].id, Visit(
                visit_date=fixed.visit_date, visitor=fixed.visitor, intent="已成交",
                signed_package="畅享59元套餐", signed_fee=59.0, met=True))  # fmt: skip
            campaign.delete_visit(first[1].id)
    return path


def add_visits(campaign: Campaign, keys: list[str], seed: int, share: float,
               day: dt.date = dt.date(2026, 11, 20)) -> int:  # fmt: skip
    """Visit about ``share`` of ``keys`` (not visited yet on ``day``) in one transaction."""
    rng = random.Random(seed)
    store = campaign._store
    added = 0
    with store.transaction():
        for key in keys:
            if rng.random() >= share or store.find_visit(key, day, "张三"):
                continue
            intent = rng.choice(INTENTS)
            visit = Visit(visit_date=day - dt.timedelta(days=rng.randint(0, 20)),
                          visitor=rng.choice(["张三", "李四"]), intent=intent,
                          met=intent != "未见到", objections=rng.choice([(), ("价格",)]),
                          signed_package="畅享59元套餐" if intent == "已成交" else "",
                          signed_fee=59.0 if intent == "已成交" else None,
                          follow_up=TODAY + dt.timedelta(days=3) if intent == "考虑中" else None,
                          suggestion=rng.choice(["", "希望多给流量"]))  # fmt: skip
            if store.find_visit(key, visit.visit_date, visit.visitor):
                continue
            store.insert_visit(key, visit, MANUAL, None)
            added += 1
    return added


def empty_database(url: str) -> None:
    """Drop everything the program made in the test database (each test starts empty)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS jinzita CASCADE")


def table_counts(url: str) -> dict[str, int]:
    """Rows per table of the city schema (what a push may change)."""
    import psycopg

    from core.campaign.store_pg_schema import TABLES

    with psycopg.connect(url) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM jinzita."{t}"').fetchone()[0]
                for t in ("campaigns", "pushes", *TABLES)}  # fmt: skip
