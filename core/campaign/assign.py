"""Who visits whom: sharing a campaign's customers out among the staff before the sweep
(the playbook's 分析资料、人员分组; 威海's 客户经理先认领后分配).

- ``balanced`` (default): everyone gets the same number of customers (at most one apart),
  and the customers of one grid — or one building, market or area when the list has such
  a column instead — stay with one person wherever the numbers allow (a grid bigger than
  one person's share is split into runs in list order, the fewest splits possible).
  Without any such column the list is cut into runs in list order (lists are usually in
  walking order).
- ``grid``: whole grids (buildings …) only, never split; the numbers as even as whole
  grids allow.
- ``band``: everyone gets an equal share of every band (the same mix of high and low
  value customers: fair for a 劳动竞赛 between people or teams).
- ``manager``: a customer whose 客户经理 (manager column of the list) is one of the staff
  goes to that person first; the rest are shared out as ``balanced``, counting what each
  person already has.

Plain functions over the campaign's customers; ``Campaign.assign`` stores the result in
one transaction (the visits are never touched).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.base.errors import InvalidInput
from core.campaign import values as v

if TYPE_CHECKING:
    from core.campaign.campaign import Campaign, Customer

BY_WORDS = {"balanced": "balanced", "均分": "balanced", "平均": "balanced", "grid": "grid",
            "网格": "grid", "band": "band", "档位": "band", "manager": "manager",
            "客户经理": "manager", "认领": "manager"}  # fmt: skip
# columns that say where a customer is, in the order tried (canonical keys first)
PLACE_KEYS = ("grid", "market")
PLACE_WORDS = ("网格", "楼宇", "楼栋", "楼号", "大楼", "栋", "座", "片区", "区域", "园区", "商圈")


@dataclass
class AssignReport:
    """What an assignment did: per person, how many; which column kept customers together."""

    by: str
    staff: list[str]
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (key, person, how)
    assigned: dict[str, int] = field(default_factory=dict)  # each person's total now
    claimed: dict[str, int] = field(default_factory=dict)  # claimed by their 客户经理
    other_managers: dict[str, int] = field(default_factory=dict)  # managers not in staff
    place: str = ""  # the column that kept customers together (网格 …), "" for none
    split_places: int = 0  # grids (buildings …) shared by two people or more
    kept: int = 0  # customers that kept their earlier assignment (only_unassigned)

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "by_label": v.ASSIGN_HOW[self.by], "staff": list(self.staff),
                "assigned": dict(self.assigned), "this_time": len(self.rows),
                "claimed": dict(self.claimed), "other_managers": dict(self.other_managers),
                "place": self.place, "split_places": self.split_places,
                "kept": self.kept}  # fmt: skip


def staff_names(names: Sequence[str] | str) -> list[str]:
    """Names from a list or from '张三,李四、王五' (tidied, each once); InvalidInput if none."""
    if isinstance(names, str):
        names = names.replace("，", ",").replace("、", ",").split(",")
    out = list(dict.fromkeys(n for n in (v.person(x) for x in names) if n))
    if not out:
        raise InvalidInput("没有给出走访人员。", "例如：--staff 张三,李四,王五。")
    return out


def resolve_how(by: str | None) -> str:
    word = (by or "balanced").strip()
    how = BY_WORDS.get(word.lower(), BY_WORDS.get(word))
    if how is None:
        raise InvalidInput(f"分配方式“{by}”不认识。",
                           "可选：balanced（均分，默认）、grid（按网格整片分）、"
                           "band（各档均分）、manager（客户经理先认领）。")  # fmt: skip
    return how


def place_column(customers: Sequence[Customer], columns: Sequence[tuple[str, str]]
                 ) -> tuple[str, str] | None:  # fmt: skip
    """(key, label) of the column that says where a customer is (grid, building, market,
    area) — one with at least two different values — or None."""
    labels = dict(columns)
    candidates = [k for k in PLACE_KEYS if k in labels]
    candidates += [k for k, lab in columns if k not in PLACE_KEYS
                   and any(w in lab for w in PLACE_WORDS)]  # fmt: skip
    for key in candidates:
        values = {_place(c, key) for c in customers} - {""}
        if len(values) >= 2:
            return key, labels[key]
    return None


def _place(customer: Customer, key: str) -> str:
    return v.text(customer.data.get(key), 80)


def quotas(people: Sequence[str], loads: dict[str, int], n: int) -> dict[str, int]:
    """How many of ``n`` customers each person gets so that everyone's total is as even as
    possible (at most one apart where the earlier loads allow)."""
    order = {p: i for i, p in enumerate(people)}
    heap = [(loads.get(p, 0), order[p], p) for p in people]
    heapq.heapify(heap)
    out = dict.fromkeys(people, 0)
    for _ in range(n):
        load, i, person = heapq.heappop(heap)
        out[person] += 1
        heapq.heappush(heap, (load + 1, i, person))
    return out


def share_groups(
    groups: list[list[str]], people: Sequence[str], loads: dict[str, int], whole: bool
) -> tuple[dict[str, str], int]:
    """Give each group (customer keys, in list order) to one person: largest groups first,
    to whoever has the most room left. ``whole``: never split a group (numbers as even as
    whole groups allow); otherwise numbers exactly even, a group split only when it does
    not fit anyone's room. Returns key → person and how many groups were split."""
    n = sum(len(g) for g in groups)
    order = {p: i for i, p in enumerate(people)}
    out: dict[str, str] = {}
    split = 0
    ranked = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), i))
    if whole:
        heap = [(loads.get(p, 0), order[p], p) for p in people]
        heapq.heapify(heap)
        for i in ranked:
            load, rank, person = heapq.heappop(heap)
            out.update(dict.fromkeys(groups[i], person))
            heapq.heappush(heap, (load + len(groups[i]), rank, person))
        return out, 0
    room = quotas(people, loads, n)
    for i in ranked:
        rest = list(groups[i])
        pieces = 0
        while rest:
            fits = [p for p in people if room[p] >= len(rest)]
            if fits:  # the tightest fit keeps big rooms for big groups
                person = min(fits, key=lambda p: (room[p], order[p]))
            else:
                person = max(people, key=lambda p: (room[p], -order[p]))
            take = min(room[person], len(rest))
            out.update(dict.fromkeys(rest[:take], person))
            room[person] -= take
            rest = rest[take:]
            pieces += 1
        split += pieces > 1
    return out, split


def _by_band(customers: Sequence[Customer], people: Sequence[str], loads: dict[str, int],
             bands: Sequence[str]) -> dict[str, str]:  # fmt: skip
    """Each band shared out evenly, the totals kept even too."""
    rank = {b: i for i, b in enumerate(bands)}
    by_band: dict[str, list[str]] = {}
    for c in customers:  # prospects and walk-ins (no band) as a band of their own
        label = c.band or (c.origin if c.origin != v.LISTED else "")
        by_band.setdefault(label, []).append(c.key)
    current = {p: loads.get(p, 0) for p in people}
    order = {p: i for i, p in enumerate(people)}
    out: dict[str, str] = {}
    for label in sorted(by_band, key=lambda b: (rank.get(b, len(rank)), b)):
        keys = by_band[label]
        share = quotas(people, {p: 0 for p in people}, len(keys))
        # whoever has fewest so far takes the bigger share of an uneven band
        ranked = sorted(people, key=lambda p: (current[p], order[p]))
        sizes = sorted(share.values(), reverse=True)
        start = 0
        for person, size in zip(ranked, sizes, strict=True):
            out.update(dict.fromkeys(keys[start : start + size], person))
            current[person] += size
            start += size
    return out


def assign_customers(
    campaign: Campaign, staff: Sequence[str] | str, by: str | None = "balanced", *,
    only_unassigned: bool = False,
) -> AssignReport:  # fmt: skip
    """The assignment ``Campaign.assign`` stores (nothing is written here)."""
    how = resolve_how(by)
    people = staff_names(staff)
    customers = campaign.customers()
    if not customers:
        raise InvalidInput("营销活动里没有客户，无法分配。", "请先用 campaign add 添加客户。")
    earlier = campaign.assignments() if only_unassigned else {}
    todo = [c for c in customers if c.key not in earlier]
    loads: dict[str, int] = {}
    for person in earlier.values():
        loads[person] = loads.get(person, 0) + 1
    report = AssignReport(how, people, kept=len(earlier))
    chosen: dict[str, str] = {}
    reason: dict[str, str] = {}
    if how == "manager":
        if all(not v.text(c.data.get("manager")) for c in customers):
            raise InvalidInput("客户清单里没有“客户经理”一列（或这一列是空的），无法由客户经理认领。",
                               "请换用 --by balanced，或在新建活动时用 --map manager=列名 "
                               "指定客户经理列。")  # fmt: skip
        named = {n: n for n in people}
        for c in todo:
            manager = v.person(c.data.get("manager"))
            if manager in named:
                chosen[c.key] = manager
                reason[c.key] = "manager"
                report.claimed[manager] = report.claimed.get(manager, 0) + 1
            elif manager:
                report.other_managers[manager] = report.other_managers.get(manager, 0) + 1
        if not report.claimed:
            found = "、".join(list(report.other_managers)[:8])
            raise InvalidInput(f"清单里的客户经理（{found}）没有一个在 --staff 名单中，没有客户可以认领。",
                               "请核对 --staff 的姓名是否与清单“客户经理”列的写法一致。")  # fmt: skip
        for person, n in report.claimed.items():
            loads[person] = loads.get(person, 0) + n
        todo = [c for c in todo if c.key not in chosen]
    rest_how = "balanced" if how == "manager" else how
    if rest_how == "band":
        chosen_rest = _by_band(todo, people, loads, campaign.scheme().labels)
    else:
        found = place_column(customers, campaign.columns())
        if rest_how == "grid" and found is None:
            raise InvalidInput("客户清单里没有网格（或楼宇、片区）列，无法按网格整片分配。",
                               "请换用 --by balanced（按人数均分）；新建活动时可用 --map grid=列名 "
                               "指定网格列。")  # fmt: skip
        groups: dict[str, list[str]] = {}
        loose: list[list[str]] = []
        for c in todo:
            place = _place(c, found[0]) if found else ""
            if place:
                groups.setdefault(place, []).append(c.key)
            else:
                loose.append([c.key])
        if found is None:  # no place at all: runs in list order
            loose = [[c.key for c in todo]] if todo else []
        report.place = found[1] if found else ""
        chosen_rest, split = share_groups([*groups.values(), *loose], people, loads,
                                          whole=rest_how == "grid")  # fmt: skip
        report.split_places = split if found else 0
    for key, person in chosen_rest.items():
        chosen[key] = person
        reason.setdefault(key, how if how != "manager" else "balanced")
    report.rows = [(c.key, chosen[c.key], reason[c.key]) for c in customers if c.key in chosen]
    totals = dict.fromkeys(people, 0)
    for person in [*earlier.values(), *chosen.values()]:
        totals[person] = totals.get(person, 0) + 1
    report.assigned = totals
    return report


__all__ = [
    "AssignReport",
    "assign_customers",
    "place_column",
    "quotas",
    "resolve_how",
    "share_groups",
    "staff_names",
]
