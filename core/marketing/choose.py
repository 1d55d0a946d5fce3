"""Which package each customer is offered: the band's rules, tried in order, each candidate
checked by the policy (core.marketing.policy.Policy.allowed) — the only gate there is.

Order, per customer of a band:

1. 维系 (only with ``retention``, 资费偏高 customers): the next package down the catalog
   that keeps their services, when it lowers the bill within the retention cap.
2. ``fit_usage``: the cheapest package covering the usage (the present one, if it is that).
3. The band's 主推套餐 (unless the customer is on it); when it would drop broadband or a
   landline, the 融合 package nearest to it in the band's range.
4. The band's 备选套餐 (or the 融合 package nearest to it).
5. Otherwise the present package stays (保持现套餐) — with an add-on (加装包) when one
   lowers the bill by ending overage, or, for a customer kept for their broadband, a
   speed-up when their line is slower.

Vectorised: the loops run over the few packages, never over customers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.marketing.bills import BillModel
from core.marketing.catalog import Catalog
from core.marketing.policy import EPS, OK, SERVICE, OfferOptions, Policy

# Which rule chose the offer (one reason wording each).
(
    CASE_NONE, CASE_MAIN, CASE_MAIN_FUSION, CASE_ALT, CASE_ALT_GUARD, CASE_ALT_FUSION,
    CASE_FIT, CASE_FIT_KEEP, CASE_RETAIN, CASE_KEEP,
) = range(10)  # fmt: skip
N_CASES = 10
ON_MAIN = 9  # why_main: already on the band's 主推套餐 (the policy codes are 0..5)
# retain_why for 资费偏高 customers without a 维系 offer (besides the policy codes)
RETAIN_OFF, NO_STEP, NO_SAVING = 7, 8, 9
# addon_kind
ADDON_NONE, ADDON_SAVES, ADDON_SPEED = range(3)


@dataclass
class Choice:
    pkg: np.ndarray  # package index; -1 with keep = the present package (not in the catalog)
    case: np.ndarray
    keep: np.ndarray  # the offer is the customer's present package
    why_main: np.ndarray  # why the 主推套餐 was not offered (policy code, ON_MAIN, 0)
    retain_why: np.ndarray  # 资费偏高 without a 维系 offer: why (0 otherwise)
    addon: np.ndarray  # add-on index, -1 none
    addon_kind: np.ndarray
    expected: np.ndarray  # expected monthly bill of the offer


def choose(bills: BillModel, policy: Policy, catalog: Catalog, options: OfferOptions,
           codes: np.ndarray, main_idx: np.ndarray, alt_idx: np.ndarray,
           band_high: np.ndarray, overpaying: np.ndarray,
           listed_speed: np.ndarray) -> Choice:  # fmt: skip
    n = len(codes)
    banded = codes >= 0
    safe = np.maximum(codes, 0)
    main = np.where(banded, main_idx[safe], -1)
    alt = np.where(banded, alt_idx[safe], -1)
    high = np.where(banded, band_high[safe], np.inf)
    cur = bills.cur
    pkg = np.full(n, -1, dtype="int64")
    case = np.full(n, CASE_NONE, dtype="int64")
    open_ = banded.copy()
    why_main = np.zeros(n, dtype="int64")
    retain_why = np.zeros(n, dtype="int64")
    plans = [i for i, p in enumerate(catalog.packages) if not p.addon]
    by_fee = sorted(plans, key=lambda i: (catalog.packages[i].fee, catalog.packages[i].is_fusion,
                                          catalog.packages[i].landline,
                                          -catalog.packages[i].data_gb))  # fmt: skip

    def take(cand: np.ndarray, code: int, mask: np.ndarray,
             retention: bool = False) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        free = open_ & mask & (cand >= 0) & (cand != cur)
        ok = free & policy.allowed(cand, retention)
        pkg[ok] = cand[ok]
        case[ok] = code
        open_[ok] = False
        return free, ok

    # 1. 维系 — an explicit choice
    if options.retention:
        step = _step_down(bills, catalog, plans)
        saves = bills.expected(step) < bills.spend - EPS
        _free, ok = take(step, CASE_RETAIN, overpaying & saves, retention=True)
        missed = banded & overpaying & ~ok
        retain_why[missed] = np.where(step < 0, NO_STEP, np.where(
            ~saves, NO_SAVING, policy.why_not(step, retention=True)))[missed]  # fmt: skip
    else:
        retain_why[banded & overpaying] = RETAIN_OFF

    # 2. what the usage needs
    if options.fit_usage:
        usage = ~np.isnan(bills.data) | ~np.isnan(bills.voice)
        cheapest = np.full(n, np.inf)  # fee of the cheapest allowed package that fits
        for i in by_fee:
            cand = np.full(n, i, dtype="int64")
            fits = usage & bills.covers(i) & policy.allowed(cand) & np.isinf(cheapest)
            cheapest[fits] = catalog.packages[i].fee
        # the present package stays when it fits and nothing cheaper does
        stay = open_ & usage & bills.covers_present() & (bills.cur_fee <= cheapest + EPS)
        pkg[stay], case[stay], open_[stay] = cur[stay], CASE_FIT_KEEP, False
        for i in by_fee:
            take(np.full(n, i, dtype="int64"), CASE_FIT, usage & bills.covers(i))

    # 3. the band's 主推套餐, 4. its 备选套餐 (or the 融合 package nearest to either)
    on_main = (main == cur) & (cur >= 0)
    why_main[open_ & on_main] = ON_MAIN
    free, ok = take(main, CASE_MAIN, ~on_main)
    blocked = free & ~ok
    why_main[blocked] = policy.why_not(main)[blocked]
    lost = blocked & (why_main == SERVICE)
    take(_nearest_keeping(bills, catalog, plans, main, high, lost), CASE_MAIN_FUSION, lost)
    take(alt, CASE_ALT, on_main)
    take(alt, CASE_ALT_GUARD, ~on_main)
    drops = open_ & ~bills.keeps_services(alt)
    take(_nearest_keeping(bills, catalog, plans, alt, high, drops), CASE_ALT_FUSION, drops)

    # 5. the present package stays
    keep_rest = open_
    case[keep_rest] = CASE_KEEP
    pkg[keep_rest] = cur[keep_rest]
    keep = banded & ((case == CASE_KEEP) | (case == CASE_FIT_KEEP))
    expected = np.where(keep, bills.spend, bills.expected(pkg))
    expected = np.where(banded, expected, np.nan)
    addon, addon_kind, expected = _addons(bills, catalog, keep, why_main, expected, listed_speed)
    return Choice(pkg, case, keep, why_main, retain_why, addon, addon_kind, expected)


def _step_down(bills: BillModel, catalog: Catalog, plans: list[int]) -> np.ndarray:
    """One step down the catalog: the dearest plan below the present fee that keeps the
    customer's services (on equal fees: no service added, then more data); -1 when none."""
    n = len(bills.spend)
    step = np.full(n, -1, dtype="int64")
    p = catalog.packages
    order = sorted(plans, key=lambda i: (p[i].fee, -p[i].is_fusion, -p[i].landline, p[i].data_gb))
    for i in order:  # cheapest first: the last match is the dearest below
        cand = np.full(n, i, dtype="int64")
        ok = bills.keeps_services(cand) & (bills.fee[i] < bills.ref_fee - EPS)
        step[ok] = i
    return step


def _nearest_keeping(bills: BillModel, catalog: Catalog, plans: list[int], target: np.ndarray,
                     high: np.ndarray, mask: np.ndarray) -> np.ndarray:  # fmt: skip
    """For the customers in ``mask``: the plan keeping their services whose fee is nearest
    the ``target`` package's (a dearer one on a tie; one that adds no service they do not
    have first), within the band's range (below its upper edge, or not dearer than the
    target); -1 elsewhere and when there is none."""
    best = np.full(len(target), -1, dtype="int64")
    rows = np.flatnonzero(mask & (target >= 0))
    if not rows.size:
        return best
    want = bills.fee[target[rows]]
    bb, ll, top = bills.need_broadband[rows], bills.need_landline[rows], high[rows]
    pick = np.full(rows.size, -1, dtype="int64")
    best_score = np.full(rows.size, np.inf)
    for i in plans:
        p = catalog.packages[i]
        keeps = (~bb | (p.broadband_mbps > 0)) & (~ll | (p.landline > 0))
        adds = (~bb & (p.broadband_mbps > 0)) | (~ll & (p.landline > 0))
        score = np.abs(p.fee - want) + np.where(p.fee >= want, 0.0, 0.5) + np.where(adds, 1e4, 0)
        ok = keeps & ((p.fee < top) | (p.fee <= want)) & (score < best_score)
        pick[ok] = i
        best_score[ok] = score[ok]
    best[rows] = pick
    return best


def _addons(bills: BillModel, catalog: Catalog, keep: np.ndarray, why_main: np.ndarray,
            expected: np.ndarray, listed_speed: np.ndarray,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """For customers who keep their package: the add-on that lowers the bill most by ending
    overage; else, for those kept for their broadband, a speed-up faster than their line."""
    n = len(keep)
    addon = np.full(n, -1, dtype="int64")
    kind = np.zeros(n, dtype="int64")
    best = expected.copy()
    addons = [i for i, p in enumerate(catalog.packages) if p.addon]
    for i in addons:
        p = catalog.packages[i]
        if not (p.data_gb > 0 or p.voice_min > 0):
            continue
        bill = bills.with_addon(i)
        better = keep & (bill < best - EPS)
        addon[better], kind[better], best[better] = i, ADDON_SAVES, bill[better]
    speed_now = np.where(bills.in_catalog & (bills.mbps[bills.cur] > 0), bills.mbps[bills.cur],
                         listed_speed)  # fmt: skip
    kept_for_line = keep & (addon < 0) & bills.need_broadband & (why_main == SERVICE)
    for i in sorted(addons, key=lambda i: catalog.packages[i].fee):
        p = catalog.packages[i]
        if p.broadband_mbps <= 0 or p.data_gb > 0 or p.voice_min > 0:
            continue
        with np.errstate(invalid="ignore"):
            faster = kept_for_line & (addon < 0) & (speed_now < p.broadband_mbps)
        addon[faster], kind[faster] = i, ADDON_SPEED
        best[faster] = bills.spend[faster] + p.fee
    return addon, kind, best


__all__ = ["OK", "Choice", "choose"]
