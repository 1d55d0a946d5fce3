"""The campaign's records as plain objects: its description, a visit, a stored visit, a
generated-document log entry, and what an import of filled 走访记录 files did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from core.base.errors import InvalidInput, UserError
from core.campaign import values as v


class CampaignFileError(UserError):
    """The campaign file cannot be used: missing, damaged, another program's file, or made
    by a newer version. The file is left exactly as it was."""


class VisitConflict(InvalidInput):
    """Another answer is already stored for the same customer, date and visitor."""


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"日期“{value}”格式不对。", "请写成 2026-12-03 这样的格式。") from None


@dataclass
class CampaignInfo:
    """What the campaign is: 名称, 聚类市场, 单位, dates and the staff who sweep."""

    name: str
    market: str = ""
    branch: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    staff: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.name = v.text(self.name, 80)
        self.market = v.text(self.market, 80)
        self.branch = v.text(self.branch, 80)
        self.start_date = _date(self.start_date)
        self.end_date = _date(self.end_date)
        names = [v.person(s) for s in self.staff]
        self.staff = tuple(dict.fromkeys(n for n in names if n))
        if not self.name:
            raise InvalidInput("营销活动需要一个名称。", "例如：城东批发市场 12 月扫场。")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise InvalidInput(
                f"活动结束日期 {self.end_date} 早于开始日期 {self.start_date}。",
                "请核对活动日期。",
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "market": self.market,
            "branch": self.branch,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "staff": list(self.staff),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CampaignInfo:
        return cls(
            name=str(data.get("name") or ""),
            market=str(data.get("market") or ""),
            branch=str(data.get("branch") or ""),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            staff=tuple(data.get("staff") or ()),
        )


@dataclass(frozen=True)
class Visit:
    """One visit: what staff learned (the 走访记录 columns after 推荐套餐)."""

    visit_date: dt.date
    visitor: str
    intent: str
    method: str = ""
    met: bool | None = None
    signed_package: str = ""
    signed_fee: float | None = None
    objections: tuple[str, ...] = ()
    suggestion: str = ""
    competitor: str = ""
    follow_up: dt.date | None = None

    def checked(self, today: dt.date | None = None) -> Visit:
        """The visit with its values tidied and checked (closed lists, dates, fee); an
        InvalidInput with a Chinese reason for the first wrong value. For values from a
        form; imported rows go through the same readers."""
        today = today or dt.date.today()
        try:
            day = v.date(self.visit_date, "走访日期", today=today)
            visitor = v.person(self.visitor)
            intent = v.choice(self.intent, v.INTENTS, "意向")
            if day is None or not visitor or not intent:
                missing = [n for n, x in (("走访日期", day), ("走访人", visitor),
                                          ("意向", intent)) if not x]  # fmt: skip
                raise v.BadValue(f"请填写{'、'.join(missing)}。")
            v.check_visit_date(day, today)
            follow = v.date(self.follow_up, "下次跟进日期", today=today, after=day)
            if follow is not None:
                v.check_follow_up(follow, day)
            met = self.met if isinstance(self.met, bool) or self.met is None else v.yes_no(self.met)
            objs = self.objections
            objs = v.objections(objs if isinstance(objs, str) else "、".join(objs))
            package = v.text(self.signed_package, 80)
            v.check_consistent(intent, met, package)
            return replace(
                self,
                visit_date=day,
                visitor=visitor,
                intent=intent,
                method=v.choice(self.method, v.METHODS, "方式"),
                met=met,
                signed_package=package,
                signed_fee=v.fee(self.signed_fee),
                objections=objs,
                suggestion=v.text(self.suggestion),
                competitor=v.text(self.competitor),
                follow_up=follow,
            )
        except v.BadValue as exc:
            raise InvalidInput(exc.reason, "请改正后再保存。") from None

    def same_answer(self, other: Visit) -> bool:
        """Whether two visits of the same customer, date and visitor say the same thing."""
        return self == other

    def to_dict(self) -> dict[str, Any]:
        return {
            "visit_date": self.visit_date.isoformat(),
            "visitor": self.visitor,
            "method": self.method,
            "met": self.met,
            "intent": self.intent,
            "signed_package": self.signed_package,
            "signed_fee": self.signed_fee,
            "objections": list(self.objections),
            "suggestion": self.suggestion,
            "competitor": self.competitor,
            "follow_up": self.follow_up.isoformat() if self.follow_up else None,
        }


@dataclass(frozen=True)
class StoredVisit:
    """A visit as the campaign file holds it."""

    id: int
    customer_key: str
    visit: Visit
    source: str  # "录入" for a visit typed in the window, else the imported file's name
    source_row: int | None
    created: str  # when it was stored (ISO, local time)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "customer_key": self.customer_key, **self.visit.to_dict(),
                "source": self.source, "source_row": self.source_row,
                "created": self.created}  # fmt: skip


@dataclass(frozen=True)
class DocumentLog:
    """A document generated for a customer: when, which kind, which template, where."""

    id: int
    created: str
    kind: str  # 建议书 / 反馈表 / 走访记录表
    template: str
    customer_key: str
    output: str
    version: int = 1  # the recommendation (第 n 版) the letter carried
    offer: dict = field(default_factory=dict)  # its package, fee, expected bill, difference


@dataclass
class RowIssue:
    """A row of a filled file that was not imported (or conflicts), and why."""

    file: str
    row: int  # Excel row number
    key: str  # what the row's 客户编号 says
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "key": self.key, "reason": self.reason}


@dataclass
class FileReport:
    """What importing one filled file did. ``error`` is set when the whole file was refused."""

    file: str
    rows: int = 0  # rows with a visit in them
    imported: int = 0
    duplicates: int = 0
    conflicts: list[RowIssue] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)
    blank: int = 0  # customer rows left empty (not visited)
    error: str = ""
    imported_before: str = ""  # when the same file (same bytes) was imported before

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "rows": self.rows, "imported": self.imported,
            "duplicates": self.duplicates, "conflicts": len(self.conflicts),
            "rejected": len(self.rejected), "blank": self.blank, "error": self.error,
            "imported_before": self.imported_before,
            "conflict_rows": [c.to_dict() for c in self.conflicts],
            "rejected_rows": [r.to_dict() for r in self.rejected],
        }  # fmt: skip


@dataclass
class ImportReport:
    """What ``Campaign.import_visits`` did, per file and in total."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(f.imported for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def conflicts(self) -> list[RowIssue]:
        return [c for f in self.files for c in f.conflicts]

    @property
    def rejected(self) -> list[RowIssue]:
        return [r for f in self.files for r in f.rejected]

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.error]

    def to_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "conflicts": len(self.conflicts),
            "rejected": len(self.rejected),
            "failed_files": len(self.failed),
            "conflict_rows": [c.to_dict() for c in self.conflicts],
            "rejected_rows": [r.to_dict() for r in self.rejected],
            "files": [f.to_dict() for f in self.files],
        }


CARRIED = ("offer_package", "offer_fee", "expected_bill", "diff_month", "band")


def carried_offer(values: dict[str, Any]) -> dict[str, Any]:
    """What a letter said: its package, fee, expected bill, difference and band."""
    out = {}
    for key in CARRIED:
        value = values.get(key)
        if hasattr(value, "item") and not isinstance(value, str):
            value = value.item()
        if isinstance(value, float) and value != value:
            value = None
        if value is not None:
            out[key] = value if isinstance(value, int | float | str) else str(value)
    return out


__all__ = [
    "CARRIED",
    "CampaignFileError",
    "CampaignInfo",
    "DocumentLog",
    "FileReport",
    "ImportReport",
    "RowIssue",
    "StoredVisit",
    "Visit",
    "VisitConflict",
    "carried_offer",
]
