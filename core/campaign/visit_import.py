"""Import filled 走访记录 files into a campaign.

A row is one visit. Rows with a value outside its list, a bad date or fee, or a 客户编号
that is not in the campaign are reported (file, Excel row, reason) and not imported;
every other row is. A visit already stored with the same answers is a duplicate (importing
the same file twice adds nothing); a different answer for the same customer, date and
visitor is a conflict: reported, the stored one kept. Each file is imported all or nothing
in one transaction, so a crash in the middle of a file leaves none of its rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from core.base.progress import Progress
from core.campaign import values as v
from core.campaign.create import sha256_of
from core.campaign.keys import Aliases
from core.campaign.model import (
    CampaignFileError,
    FileReport,
    ImportReport,
    RowIssue,
    StoredVisit,
    Visit,
)
from core.campaign.store import Store
from core.campaign.visit_files import parse_visit, read_filled

_LABELS = {
    "method": "方式", "met": "是否见到决策人", "intent": "意向", "signed_package": "签约套餐",
    "signed_fee": "签约月费", "objections": "异议", "suggestion": "客户建议",
    "competitor": "竞争对手信息", "follow_up": "下次跟进日期",
}  # fmt: skip


def _shown(value: object) -> str:
    if value is None or value == () or value == "":
        return "（空）"
    if isinstance(value, bool):
        return v.YES if value else v.NO
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def differences(old: Visit, new: Visit, limit: int = 3) -> str:
    """'意向：已保存“有意向”，本行“已成交”' for the fields that differ."""
    parts = []
    for name, header in _LABELS.items():
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            parts.append(f"{header}：已保存“{_shown(a)}”，本行“{_shown(b)}”")
    more = f" 等 {len(parts)} 项" if len(parts) > limit else ""
    return "；".join(parts[:limit]) + more


def conflict_reason(old: StoredVisit, new: Visit) -> str:
    where = "窗口中录入" if old.source == "录入" else f"“{old.source}”第 {old.source_row} 行"
    return (
        f"{new.visitor} {new.visit_date:%Y-%m-%d} 对该客户的走访已有记录（{where}），"
        f"答案不同（{differences(old.visit, new)}）；保留了已保存的记录。"
        "如需更改，请在走访页面修改那条记录。"
    )


class PackageFees:
    """签约套餐 → the catalog snapshot's name and fee (names compared without spaces, NFKC)."""

    def __init__(self, packages: Sequence[dict]) -> None:
        self._by_key = {v.package_key(p.get("name")): p for p in packages if p.get("name")}

    def complete(self, visit: Visit) -> Visit:
        """A signed visit without 签约月费 takes the fee of its package from the catalog."""
        package = self._by_key.get(v.package_key(visit.signed_package))
        if package is None:
            return visit
        from dataclasses import replace

        fee = visit.signed_fee
        if fee is None and visit.intent == v.SIGNED:
            fee = round(float(package.get("fee") or 0.0), 2)
        return replace(visit, signed_package=str(package["name"]), signed_fee=fee)


def _unknown_key(text: str) -> str:
    if not text:
        return "没有填写客户编号；请填写本表导出的客户编号，或客户的完整手机号码。"
    if "*" in text:
        return f"客户编号“{text}”是打码的号码；请填写本表导出的客户编号，或完整的手机号码。"
    return (
        f"客户编号“{text}”不在本营销活动中；请核对客户编号（可以填本表导出的客户编号，"
        "或客户的完整手机号码），或确认导入的是本活动导出的走访表。"
    )


def import_one(
    store: Store, path: Path, aliases: Aliases, fees: PackageFees, today: dt.date
) -> FileReport:
    """Import one filled file in one transaction; its FileReport (``error`` if refused)."""
    path = Path(path)
    report = FileReport(file=path.name)
    try:
        rows, report.blank = read_filled(path)
        digest = sha256_of(path)
    except CampaignFileError as err:
        report.error = f"{err.message}{err.hint}"
        return report
    except OSError as exc:
        report.error = (
            f"无法读取“{path.name}”（{exc.strerror or exc}）。请确认文件存在且没有被占用。"
        )
        return report
    report.rows = len(rows)
    report.imported_before = store.imported_before(digest)
    parsed: list[tuple[int, str, Visit]] = []
    for row in rows:
        key = aliases.find(row.key_text)
        if key is None:
            report.rejected.append(RowIssue(path.name, row.row, row.key_text,
                                            _unknown_key(row.key_text)))  # fmt: skip
            continue
        try:
            visit = fees.complete(parse_visit(row.cells, today))
        except v.BadValue as exc:
            report.rejected.append(RowIssue(path.name, row.row, row.key_text, exc.reason))
            continue
        parsed.append((row.row, key, visit))
    seen: dict[tuple[str, dt.date, str], tuple[int, Visit]] = {}
    with store.transaction():
        for excel_row, key, visit in parsed:
            triple = (key, visit.visit_date, visit.visitor)
            earlier = seen.get(triple)
            if earlier is not None:  # the same visit twice in one file
                if earlier[1] == visit:
                    report.duplicates += 1
                else:
                    report.conflicts.append(RowIssue(path.name, excel_row, key, (
                        f"与本文件第 {earlier[0]} 行是同一客户、同一天、同一走访人，答案却不同"
                        f"（{differences(earlier[1], visit)}）；以第 {earlier[0]} 行为准。")))  # fmt: skip
                continue
            seen[triple] = (excel_row, visit)
            stored = store.find_visit(*triple)
            if stored is None:
                store.insert_visit(key, visit, path.name, excel_row)
                report.imported += 1
            elif stored.visit == visit:
                report.duplicates += 1
            else:
                report.conflicts.append(RowIssue(path.name, excel_row, key,
                                                 conflict_reason(stored, visit)))  # fmt: skip
        store.record_import(path.name, digest, (report.rows, report.imported, report.duplicates,
                            len(report.conflicts), len(report.rejected)))  # fmt: skip
    report.rejected.sort(key=lambda r: r.row)
    return report


def import_files(
    store: Store,
    paths: Sequence[Path],
    packages: Sequence[dict],
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Import each file in turn (each all or nothing); cancel is checked between files."""
    progress = progress or Progress()
    today = today or dt.date.today()
    aliases = Aliases(store.aliases())
    fees = PackageFees(packages)
    report = ImportReport()
    progress.start(len(paths), "正在导入走访记录…")
    for path in paths:
        progress.check()
        report.files.append(import_one(store, Path(path), aliases, fees, today))
        progress.advance(1)
    return report


__all__ = ["PackageFees", "conflict_reason", "differences", "import_files", "import_one"]
