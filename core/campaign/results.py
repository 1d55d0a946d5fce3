"""Campaign results: the funnel planned → visited → met → interested → signed, per band,
visitor, branch (单位), recommended package, tag, day, round or any customer field — or
several of these at once — over one campaign file or several (one per county, one per
round; read where they lie, nothing is copied).

- planned: customers in the campaign; visited: at least one visit; met: 见到决策人 in any
  visit; interested: the latest visit's 意向 is 有意向 or 已成交; signed: it is 已成交.
- revenue_change: for the signed, 签约月费 of the latest visit − current monthly spend
  (yuan per month; customers without either are counted in ``signed_without_fee``).
- what worked: of the signed, who took the recommended package, the band's 备选 or
  another (``took_offer`` / ``took_alt`` / ``took_other``, and ``signed_packages``);
  objections (customers who raised each), suggestions and competitor notes (customers,
  and a few quotes per group, latest first).
- the playbook's funnel 过客 → 看客 → 顾客: reached (visited) → engaged (met, and 已成交 /
  有意向 / 考虑中) → signed; 新增客户: prospects and walk-ins added in this round, and how
  many of them signed (they become new customers on the network).
- follow-ups: the latest visit's 下次跟进日期 within the next 7 days (due) or past (overdue).
- By visitor (staff) a customer counts for the person it is assigned to; an unassigned
  customer for whoever made its latest visit; unassigned customers not yet visited form
  their own group. By day a row is the work of that day: the customers visited, met,
  interested and signed on it (there is no "planned" for a day), and ``staff`` with
  ``day`` is who made those visits. 合计 counts every customer once.
- ``--from/--to`` (date_from/date_to): only visits on those days count, as if the others
  had not been made.
- Targets (``campaign target``): the team's signed (and visited) target and each person's;
  a signing counts for the person who made the signing visit.

The counting itself is in ``tally``; this module holds the result types.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from core.base.errors import InvalidInput
from core.campaign import values as v

BY_LABELS = {"band": "档位", "staff": "走访人", "branch": "单位", "plan": "推荐套餐",
             "tag": "客户标签", "day": "日期", "origin": "客户来源", "round": "轮次"}  # fmt: skip
_BY_WORDS = {
    "band": "band", "档位": "band", "分档": "band",
    "staff": "staff", "visitor": "staff", "走访人": "staff", "人员": "staff",
    "branch": "branch", "单位": "branch", "县分公司": "branch",
    "plan": "plan", "offer": "plan", "推荐套餐": "plan", "主推套餐": "plan",
    "tag": "tag", "tags": "tag", "标签": "tag", "客户标签": "tag",
    "day": "day", "date": "day", "日期": "day", "按天": "day", "每天": "day",
    "origin": "origin", "来源": "origin", "客户来源": "origin",
    "round": "round", "轮次": "round", "轮": "round",
}  # fmt: skip
UNBANDED = "未分档"
NOT_VISITED = "（未走访）"
UNASSIGNED = "（未分配）"
MISSING = "（未填）"
NO_TAG = "（无标签）"
NO_PLAN = "（无推荐套餐）"
TOTAL = "合计"
JOIN = " / "  # between the parts of a group of several dimensions: 张三 / 2026-12-03
FOLLOW_UP_DAYS = 7
QUOTES = 3  # quotes kept per group and kind
QUOTE_CHARS = 60
STAGES = {"planned": "计划走访", "visited": "已走访", "met": "见到决策人",
          "interested": "有意向", "signed": "已成交"}  # fmt: skip
TOOK = {"took_offer": "签了推荐套餐", "took_alt": "签了备选套餐", "took_other": "签了其他套餐"}
PLAYBOOK = (("过客", "visited"), ("看客", "engaged"), ("顾客", "signed"))
PLAYBOOK_RATES = {"看客": 0.5, "顾客": 0.4}  # the playbook's 过客(100%)→看客(50%)→顾客(20%)
SUGGESTION, COMPETITOR = "客户建议", "竞争对手信息"
BREAKDOWNS = ("plan", "day")  # counted beside any grouping (Results.breakdown)


def _share(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


@dataclass
class Quote:
    """What one customer said (客户建议 / 竞争对手信息), shortened for a table."""

    text: str
    name: str
    key: str
    date: dt.date
    visitor: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "name": self.name, "key": self.key,
                "date": self.date.isoformat(), "visitor": self.visitor}  # fmt: skip


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    considering: int = 0  # latest 意向 考虑中
    engaged: int = 0  # 看客: met, and 已成交 / 有意向 / 考虑中
    took_offer: int = 0
    took_alt: int = 0
    took_other: int = 0
    signed_packages: dict[str, int] = field(default_factory=dict)
    signed_by: dict[str, int] = field(default_factory=dict)  # signer → signed customers
    suggestions: int = 0  # customers who made a suggestion
    competitor_notes: int = 0  # customers about whom competitor information was noted
    quotes: dict[str, list[Quote]] = field(default_factory=dict)
    added: int = 0  # prospects and walk-ins added in this round
    added_visited: int = 0
    added_signed: int = 0  # 新增客户: those of them who signed
    activity: bool = False  # a day's row: the work of one day, no "planned"

    @property
    def not_visited(self) -> int:
        return self.planned - self.visited

    @property
    def revenue_change(self) -> float:
        """Monthly revenue change of the signed customers, yuan (2 decimals)."""
        return self.revenue_cents / 100

    def rates(self) -> dict[str, float | None]:
        """走访率, 见面率, 意向率, 成交率 (of the visited) and 总转化率 (signed of planned)."""
        return {
            "visit_rate": None if self.activity else _share(self.visited, self.planned),
            "meet_rate": _share(self.met, self.visited),
            "interest_rate": _share(self.interested, self.visited),
            "sign_rate": _share(self.signed, self.visited),
            "conversion_rate": None if self.activity else _share(self.signed, self.planned),
        }

    def add(self, other: Funnel) -> None:
        """Add another group's counts (quotes are not merged)."""
        for name in ("planned", "visited", "met", "interested", "signed", "revenue_cents",
                     "signed_without_fee", "follow_ups_due", "follow_ups_overdue",
                     "considering", "engaged", "took_offer", "took_alt", "took_other",
                     "suggestions", "competitor_notes", "added", "added_visited",
                     "added_signed"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.objections, other.objections),
                             (self.signed_packages, other.signed_packages),
                             (self.signed_by, other.signed_by)):  # fmt: skip
            for name, n in theirs.items():
                mine[name] = mine.get(name, 0) + n

    def quote(self, kind: str, quote: Quote) -> None:
        self.quotes.setdefault(kind, []).append(quote)

    def trim_quotes(self) -> None:
        """The latest QUOTES of each kind, latest first."""
        for items in self.quotes.values():
            items.sort(key=lambda q: (q.date, q.key), reverse=True)
            del items[QUOTES:]

    def playbook(self) -> dict[str, Any]:
        """过客 → 看客 → 顾客 and each step's rate, beside the playbook's (50 %, 40 %)."""
        counts = {name: getattr(self, attr) for name, attr in PLAYBOOK}
        return {**counts, "看客率": _share(self.engaged, self.visited),
                "顾客率": _share(self.signed, self.engaged),
                "手册参考": dict(PLAYBOOK_RATES)}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        planned = None if self.activity else self.planned
        return {
            "planned": planned, "visited": self.visited, "met": self.met,
            "interested": self.interested, "signed": self.signed,
            "revenue_change": self.revenue_change,
            "not_visited": None if self.activity else self.not_visited,
            **self.rates(), "signed_without_fee": self.signed_without_fee,
            "follow_ups_due": self.follow_ups_due, "follow_ups_overdue": self.follow_ups_overdue,
            "objections": {o: self.objections.get(o, 0) for o in v.OBJECTIONS},
            "considering": self.considering, "engaged": self.engaged,
            "took_offer": self.took_offer, "took_alt": self.took_alt,
            "took_other": self.took_other,
            "signed_packages": dict(sorted(self.signed_packages.items(),
                                           key=lambda kv: (-kv[1], kv[0]))),
            "signed_by": dict(sorted(self.signed_by.items(), key=lambda kv: (-kv[1], kv[0]))),
            "suggestions": self.suggestions, "competitor_notes": self.competitor_notes,
            "quotes": {k: [q.to_dict() for q in self.quotes.get(k, [])]
                       for k in (SUGGESTION, COMPETITOR)},
            "new_customers": {"added": self.added, "visited": self.added_visited,
                              "signed": self.added_signed},
            "playbook": self.playbook(),
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

    @property
    def follow_up(self) -> dt.date:
        """The follow-up date (the name the window's label reads)."""
        return self.date

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "group": self.group,
                "date": self.date.isoformat(), "visitor": self.visitor, "intent": self.intent,
                "file": self.file}  # fmt: skip


@dataclass
class Targets:
    """The sweep's targets: customers signed (and visited) by the team, signed per person."""

    signed: int | None = None
    visited: int | None = None
    staff: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.signed or self.visited or self.staff)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Targets:
        data = data or {}
        return cls(data.get("signed"), data.get("visited"), dict(data.get("staff") or {}))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.signed:
            out["signed"] = self.signed
        if self.visited:
            out["visited"] = self.visited
        if self.staff:
            out["staff"] = dict(self.staff)
        return out

    def add(self, other: Targets) -> None:
        """Targets of several files (counties) together: the sums."""
        if other.signed:
            self.signed = (self.signed or 0) + other.signed
        if other.visited:
            self.visited = (self.visited or 0) + other.visited
        for name, n in other.staff.items():
            self.staff[name] = self.staff.get(name, 0) + n


def progress(target: int | None, done: int) -> dict[str, Any] | None:
    """{"target", "done", "rate", "left"} of one target, or None without a target."""
    if not target:
        return None
    return {"target": target, "done": done, "rate": round(done / target, 4),
            "left": max(target - done, 0)}  # fmt: skip


@dataclass
class Results:
    by: str  # band, staff, … or a customer field key; several joined by "+" (staff+day)
    by_label: str  # 档位; several joined by " / " (走访人 / 日期)
    today: dt.date
    groups: dict[str, Funnel] = field(default_factory=dict)
    total: Funnel = field(default_factory=Funnel)
    follow_ups: list[FollowUp] = field(default_factory=list)  # due or overdue, by date
    files: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # band labels in scheme order
    dims: list[str] = field(default_factory=list)  # the dimension keys, in order
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    targets: Targets = field(default_factory=Targets)
    notes: list[str] = field(default_factory=list)
    rounds: dict[str, int] = field(default_factory=dict)  # file label → round number
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group → its parts
    # the same customers by recommended package and by day (BREAKDOWNS), whatever ``by``
    # is: the report's 走访结果 sheet and the window show them beside the main table
    breakdowns: dict[str, dict[str, Funnel]] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, Funnel]]:
        """The groups in order (bands as in the scheme, days by date, others by size),
        then 合计."""
        rank = {b: i for i, b in enumerate(self.order)}
        last = (UNBANDED, NOT_VISITED, UNASSIGNED, MISSING, NO_TAG, NO_PLAN)

        def part_key(dim: str, part: str, planned: int) -> tuple:
            if dim == "band":
                return (part == UNBANDED, rank.get(part, len(rank)), part)
            if dim in ("day", "round"):
                return (0, 0, _natural(part))
            return (part in last, -planned, part)

        sizes: dict[tuple[int, str], int] = {}
        for name, f in self.groups.items():  # a part's size over all groups that share it
            for i, part in enumerate(self._parts(name)):
                sizes[(i, part)] = sizes.get((i, part), 0) + (f.visited if f.activity
                                                               else f.planned)  # fmt: skip
        names = sorted(self.groups, key=lambda g: tuple(
            part_key(d, p, sizes[(i, p)]) for i, (d, p) in enumerate(
                zip(self.dims, self._parts(g), strict=False))))  # fmt: skip
        return [(g, self.groups[g]) for g in names] + [(TOTAL, self.total)]

    def _parts(self, name: str) -> tuple[str, ...]:
        return self.parts.get(name, (name,))

    def breakdown(self, dim: str) -> list[tuple[str, Funnel]]:
        """The rows of a breakdown (BREAKDOWNS: plan by size, day by date), without 合计."""
        if dim in self.dims and len(self.dims) == 1:
            return self.rows()[:-1]
        groups = self.breakdowns.get(dim, {})
        if dim == "day":
            return sorted(groups.items())
        return sorted(groups.items(), key=lambda kv: (kv[0] == NO_PLAN, -kv[1].planned, kv[0]))

    def target_progress(self) -> dict[str, Any]:
        """Progress against the targets: team signed / visited, and each person's signed."""
        t = self.targets
        return {
            "signed": progress(t.signed, self.total.signed),
            "visited": progress(t.visited, self.total.visited),
            "staff": {name: progress(n, self.total.signed_by.get(name, 0))
                      for name, n in sorted(t.staff.items())},
        }  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        def group(name: str, f: Funnel) -> dict[str, Any]:
            parts = dict(zip(self.dims, self._parts(name), strict=False))
            return {"group": name, **({"parts": parts} if len(self.dims) > 1 else {}),
                    **f.to_dict()}  # fmt: skip

        return {
            "by": self.by, "by_label": self.by_label, "dims": list(self.dims),
            "today": self.today.isoformat(),
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "files": self.files, "rounds": dict(self.rounds),
            "groups": [group(g, f) for g, f in self.rows()[:-1]],
            "total": self.total.to_dict(),
            "targets": self.targets.to_dict(), "progress": self.target_progress(),
            "follow_ups": [f.to_dict() for f in self.follow_ups],
            "breakdowns": {dim: [{"group": g, **f.to_dict()} for g, f in self.breakdown(dim)]
                           for dim in BREAKDOWNS},
            "notes": list(self.notes),
        }  # fmt: skip


def _natural(text: str) -> tuple:
    """'第2轮' before '第10轮'; dates sort as text."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _words(by: str | list[str] | tuple[str, ...] | None) -> list[str]:
    items = [by] if isinstance(by, str) or by is None else list(by)
    out: list[str] = []
    for item in items:
        for word in re.split(r"[,，、+＋]", item or ""):
            if word.strip():
                out.append(word.strip())
    return out or ["band"]


def resolve_by(
    by: str | list[str] | tuple[str, ...] | None, columns: list[list[str]]
) -> list[tuple[str, str]]:
    """[(key, Chinese label)] for ``--by`` (one word, a comma list, or a list of them):
    band / staff / branch / plan / tag / day / origin / round, or a customer field given
    by key ('grid') or label ('网格'); InvalidInput listing the choices otherwise."""
    out: list[tuple[str, str]] = []
    for word in _words(by):
        key = _BY_WORDS.get(word.lower(), _BY_WORDS.get(word))
        if key is not None:
            found = (key, BY_LABELS[key])
        else:
            found = next(((k, lab) for k, lab in columns if word in (k, lab)), None)
        if found is None:
            fields = "、".join(f"{k}（{lab}）" for k, lab in columns if k not in ("source_row",))
            raise InvalidInput(
                f"营销活动的客户没有“{word}”这一项，无法按它统计。",
                "可以按 band（档位）、staff（走访人）、branch（单位）、plan（推荐套餐）、"
                "tag（客户标签）、day（日期）、origin（客户来源）、round（轮次）统计，"
                f"可以用逗号组合（如 staff,day），或按客户的字段：{fields}。",
            )
        if found not in out:
            out.append(found)
    if len(out) > 3:
        raise InvalidInput("最多按三项组合统计。", "例如 --by staff,day 或 --by band,staff。")
    return out


__all__ = [
    "BY_LABELS",
    "STAGES",
    "TOOK",
    "TOTAL",
    "FollowUp",
    "Funnel",
    "Quote",
    "Results",
    "Targets",
    "resolve_by",
]
