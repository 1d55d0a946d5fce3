"""Campaign results: the funnel planned → visited → met → interested → signed, per band,
visitor, branch (单位) or any customer field, over one campaign file or several (one per
county, read where they lie — nothing is copied).

- planned: customers in the campaign; visited: at least one visit; met: 见到决策人 in any
  visit; interested: the latest visit's 意向 is 有意向 or 已成交; signed: it is 已成交.
- revenue_change: for the signed, 签约月费 of the latest visit − current monthly spend
  (yuan per month; customers without either are counted in ``signed_without_fee``).
- objections: customers who raised each objection in any visit; follow-ups: the latest
  visit's 下次跟进日期 within the next 7 days (due) or already past (overdue).
- By visitor (staff) a customer counts for whoever made their latest visit; customers not
  yet visited form their own group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.base.errors import InvalidInput
from core.campaign import values as v
from core.campaign.decode import edited
from core.campaign.store import Store

BY_LABELS = {"band": "档位", "staff": "走访人", "branch": "单位"}
_BY_WORDS = {"band": "band", "档位": "band", "分档": "band", "staff": "staff", "visitor": "staff",
             "走访人": "staff", "人员": "staff", "branch": "branch", "单位": "branch",
             "县分公司": "branch"}  # fmt: skip
UNBANDED = "未分档"
NOT_VISITED = "（未走访）"
MISSING = "（未填）"
TOTAL = "合计"
FOLLOW_UP_DAYS = 7
STAGES = {"planned": "计划走访", "visited": "已走访", "met": "见到决策人",
          "interested": "有意向", "signed": "已成交"}  # fmt: skip


@dataclass
class Funnel:
    planned: int = 0
    visited: int = 0
    met: int = 0
    interested: int = 0
    signed: int = 0
    revenue_cents: int = 0
    signed_without_fee: int = 0
    follow_ups_due: int = 0
    follow_ups_overdue: int = 0
    objections: dict[str, int] = field(default_factory=dict)

    @property
    def not_visited(self) -> int:
        return self.planned - self.visited

    @property
    def revenue_change(self) -> float:
        """Monthly revenue change of the signed customers, yuan (2 decimals)."""
        return self.revenue_cents / 100

    def rates(self) -> dict[str, float | None]:
        """走访率, 见面率, 意向率, 成交率 (of the visited) and 总转化率 (signed of planned)."""

        def share(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "visit_rate": share(self.visited, self.planned),
            "meet_rate": share(self.met, self.visited),
            "interest_rate": share(self.interested, self.visited),
            "sign_rate": share(self.signed, self.visited),
            "conversion_rate": share(self.signed, self.planned),
        }

    def add(self, other: Funnel) -> None:
        for name in ("planned", "visited", "met", "interested", "signed", "revenue_cents",
                     "signed_without_fee", "follow_ups_due", "follow_ups_overdue"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name, n in other.objections.items():
            self.objections[name] = self.objections.get(name, 0) + n

    def to_dict(self) -> dict[str, Any]:
        return {
            "planned": self.planned, "visited": self.visited, "met": self.met,
            "interested": self.interested, "signed": self.signed,
            "revenue_change": self.revenue_change, "not_visited": self.not_visited,
            **self.rates(), "signed_without_fee": self.signed_without_fee,
            "follow_ups_due": self.follow_ups_due, "follow_ups_overdue": self.follow_ups_overdue,
            "objections": {o: self.objections.get(o, 0) for o in v.OBJECTIONS},
        }  # fmt: skip


@dataclass
class FollowUp:
    """A customer whose latest visit asks for a follow-up in the next 7 days (or earlier)."""

    key: str
    name: str
    group: str
    date: dt.date
    visitor: str
    intent: str
    file: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "group": self.group,
                "date": self.date.isoformat(), "visitor": self.visitor, "intent": self.intent,
                "file": self.file}  # fmt: skip


@dataclass
class Results:
    by: str  # band, staff, branch or a customer field key
    by_label: str
    today: dt.date
    groups: dict[str, Funnel] = field(default_factory=dict)
    total: Funnel = field(default_factory=Funnel)
    follow_ups: list[FollowUp] = field(default_factory=list)  # due or overdue, by date
    files: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # band labels in scheme order

    def rows(self) -> list[tuple[str, Funnel]]:
        """The groups in order (bands as in the scheme, others by size), then 合计."""
        if self.by == "band":
            rank = {b: i for i, b in enumerate(self.order)}
            names = sorted(self.groups, key=lambda g: (g == UNBANDED, rank.get(g, len(rank))))
        else:
            names = sorted(self.groups, key=lambda g: (g in (NOT_VISITED, MISSING),
                                                       -self.groups[g].planned, g))  # fmt: skip
        return [(g, self.groups[g]) for g in names] + [(TOTAL, self.total)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by, "by_label": self.by_label, "today": self.today.isoformat(),
            "files": self.files,
            "groups": [{"group": g, **f.to_dict()} for g, f in self.rows()[:-1]],
            "total": self.total.to_dict(),
            "follow_ups": [f.to_dict() for f in self.follow_ups],
        }  # fmt: skip


def resolve_by(by: str, columns: list[list[str]]) -> tuple[str, str]:
    """(key, Chinese label) for ``--by``: band / staff / branch or a customer field given by
    key ('grid') or label ('网格'); InvalidInput listing the choices otherwise."""
    word = (by or "band").strip()
    if word.lower() in _BY_WORDS or word in _BY_WORDS:
        key = _BY_WORDS.get(word.lower(), _BY_WORDS.get(word, "band"))
        return key, BY_LABELS[key]
    for key, label in columns:
        if word in (key, label):
            return key, label
    fields = "、".join(f"{k}（{lab}）" for k, lab in columns if k not in ("source_row",))
    raise InvalidInput(
        f"营销活动的客户没有“{by}”这一项，无法按它统计。",
        f"可以按 band（档位）、staff（走访人）、branch（单位）统计，或按客户的字段：{fields}。",
    )


def collect(store: Store, meta: dict[str, Any], results: Results, file_label: str) -> None:
    """Add one campaign file's customers and visits to ``results``."""
    by = results.by
    if by == "band":
        for band in meta.get("scheme", {}).get("bands", []):
            if band.get("label") not in results.order:
                results.order.append(band.get("label"))
    group_field = None if by in BY_LABELS else by
    if group_field and all(k != by for k, _ in meta.get("columns", [])):
        raise InvalidInput(
            f"营销活动“{file_label}”的客户清单里没有“{results.by_label}”这一列。",
            "请换一个统计维度，或只统计有这一列的活动文件。",
        )
    branch = (meta.get("info", {}).get("branch") or "").strip() or file_label
    objections: dict[str, set[str]] = {}
    for key, raised in store.objection_rows():
        for item in raised.split("、"):
            if item:
                objections.setdefault(key, set()).add(item)
    soon = results.today + dt.timedelta(days=FOLLOW_UP_DAYS)
    for (key, name, band, spend, value, n_visits, met_any, intent, fee, visitor, follow_up,
         _last) in store.customer_status(group_field):  # fmt: skip
        if by == "band":
            group = band or UNBANDED
        elif by == "staff":
            group = visitor or NOT_VISITED
        elif by == "branch":
            group = branch
        else:
            group = v.text(value, 80) or MISSING
        f = results.groups.setdefault(group, Funnel())
        f.planned += 1
        if not n_visits:
            continue
        f.visited += 1
        f.met += 1 if met_any else 0
        if intent in (v.INTERESTED, v.SIGNED):
            f.interested += 1
        if intent == v.SIGNED:
            f.signed += 1
            if fee is None or spend is None:
                f.signed_without_fee += 1
            else:
                f.revenue_cents += round(fee * 100) - round(spend * 100)
        for item in objections.get(key, ()):
            f.objections[item] = f.objections.get(item, 0) + 1
        if follow_up:
            day = _day(follow_up, store.path, key)
            if day <= soon:
                if day < results.today:
                    f.follow_ups_overdue += 1
                else:
                    f.follow_ups_due += 1
                results.follow_ups.append(FollowUp(key, name or "", group, day, visitor or "",
                                                   intent or "", file_label))  # fmt: skip


def _day(text: str, path: Path, key: str) -> dt.date:
    """A stored 下次跟进日期 (store_checks found it a date when the file opened)."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):  # changed by another program since then
        raise edited(path, f"客户“{key}”的下次跟进日期无法读取") from None


def finish(results: Results) -> Results:
    results.total = Funnel()
    for funnel in results.groups.values():
        results.total.add(funnel)
    results.follow_ups.sort(key=lambda f: (f.date, f.file, f.group, f.key))
    return results


def new_results(by: str, by_label: str, today: dt.date | None, files: list[Path]) -> Results:
    return Results(by=by, by_label=by_label, today=today or dt.date.today(),
                   files=[str(p) for p in files])  # fmt: skip


__all__ = ["BY_LABELS", "STAGES", "TOTAL", "FollowUp", "Funnel", "Results", "resolve_by"]
