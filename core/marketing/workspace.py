"""What the window works on, as plain data: the inputs of steps 2–3 and what they give.

``Inputs`` is one immutable snapshot of what the user chose — the customers, the band
scheme, the catalog, the 主推/备选 picked per band, the offer options (the policy,
core.marketing.policy). ``analyse`` turns it into an ``Analysis`` — band summary,
unbanded reasons, offers per customer, the rules in force, what the plan is worth — in
one pass, so every page shows the same numbers and nothing is computed twice. It never touches Qt: the window runs it on a worker thread for big
lists and drops results that a newer edit has overtaken.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.base.progress import Progress
from core.marketing.bands import BandScheme, default_scheme
from core.marketing.catalog import Catalog, Rule, Rules, default_catalog, default_rules
from core.marketing.policy import OfferOptions

if TYPE_CHECKING:
    import pandas as pd

    from core.marketing.plan import PlanSummary

DEFAULT_MAX_CUT = 0.1


@dataclass(frozen=True)
class Inputs:
    customers: pd.DataFrame | None = None
    scheme: BandScheme = field(default_factory=default_scheme)
    catalog: Catalog = field(default_factory=default_catalog)
    choices: dict[str, Rule] = field(default_factory=dict)  # band label → the user's pick
    options: OfferOptions = field(default_factory=OfferOptions)
    today: dt.date | None = None

    def replace(self, **changes: object) -> Inputs:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class Analysis:
    inputs: Inputs
    rules: Rules  # in force: the user's picks where still valid, defaults elsewhere
    summary: pd.DataFrame  # core.marketing.segment.band_summary
    unbanded: dict[str, int]  # reason code → customers without a band
    offers: pd.DataFrame  # core.marketing.offers.make_offers (band, tags, offer, sums)
    notes: list[str] = field(default_factory=list)  # picks that no longer apply, and why
    seconds: float = 0.0
    # what a front end prepared from this analysis for display, computed with it (off its
    # GUI thread): table columns, chart figures … keyed by whoever prepared them
    views: dict[str, object] = field(default_factory=dict)
    plan: PlanSummary | None = None  # what the offers are worth (core.marketing.plan)

    @property
    def scheme(self) -> BandScheme:
        return self.inputs.scheme

    @property
    def banded(self) -> int:
        return int(self.summary["customers"].sum())


def effective_rules(
    scheme: BandScheme, catalog: Catalog, choices: dict[str, Rule]
) -> tuple[Rules, list[str]]:
    """The rules in force and a note for each pick that had to be dropped.

    Every band gets the default rule (core.marketing.catalog.default_rules) unless the
    user picked packages for a band of that name; a pick naming a package that is no
    longer in the catalog falls back to the default, with a note saying so.
    """
    rules = default_rules(scheme, catalog).rules
    names = set(catalog.names)
    notes = []
    for band in scheme.labels:
        pick = choices.get(band)
        if pick is None:
            continue
        missing = [p for p in (pick.main, pick.alt) if p and p not in names]
        if missing:
            notes.append(f"档位“{band}”选的套餐“{missing[0]}”已不在套餐库中，改用默认推荐。")
            continue
        default = rules[band]
        rules[band] = Rule(band, pick.main, pick.alt, pick.strategy or default.strategy)
    return Rules(rules), notes


def analyse(inputs: Inputs, progress: Progress | None = None) -> Analysis:
    """Bands, summary and offers for one snapshot of the inputs (raises InvalidInput)."""
    from core.marketing.offers import make_offers
    from core.marketing.plan import plan_summary
    from core.marketing.segment import band_summary, unbanded_summary

    start = time.perf_counter()
    progress = progress or Progress()
    progress.check()
    customers = inputs.customers
    if customers is None:
        raise ValueError("analyse() needs customers")
    rules, notes = effective_rules(inputs.scheme, inputs.catalog, inputs.choices)
    summary = band_summary(customers, inputs.scheme)
    unbanded = unbanded_summary(customers, inputs.scheme)
    progress.check()
    offers = make_offers(customers, inputs.scheme, inputs.catalog, rules, today=inputs.today,
                         options=inputs.options)  # fmt: skip
    progress.check()
    plan = plan_summary(offers, inputs.scheme.labels, inputs.options.retention)
    return Analysis(inputs, rules, summary, unbanded, offers, notes,
                    time.perf_counter() - start, plan=plan)  # fmt: skip


def recorded_analysis(inputs: Inputs, offers: pd.DataFrame, rules: Rules) -> Analysis:
    """The Analysis of offers made earlier (a campaign's): summary, unbanded reasons and
    the plan's worth from ``offers`` as they are — the offers themselves are not redone."""
    from core.marketing.plan import plan_summary
    from core.marketing.segment import band_summary, unbanded_summary

    start = time.perf_counter()
    customers = inputs.customers
    if customers is None:
        raise ValueError("recorded_analysis() needs customers")
    summary = band_summary(customers, inputs.scheme)
    unbanded = unbanded_summary(customers, inputs.scheme)
    plan = plan_summary(offers, inputs.scheme.labels, inputs.options.retention)
    return Analysis(inputs, rules, summary, unbanded, offers, [], time.perf_counter() - start,
                    plan=plan)  # fmt: skip
