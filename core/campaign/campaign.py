"""``Campaign``: an open campaign file, the one object the window and the commands use.

Every method that changes something is one transaction, committed before it returns: a
visit saved in the window is on disk when ``add_visit`` returns, and a crash loses only
the change in progress. Errors a user can act on are ``UserError``s with a Chinese
message (``CampaignFileError`` for the file itself, ``InvalidInput``/``VisitConflict``
for a visit).

Threads: a Campaign is used by one thread at a time. It may be handed over once (the
window opens one on a worker thread — the checks take a moment on a big file — and then
uses it on the GUI thread); a long job opens its own. See the package docstring.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.base.errors import InvalidInput
from core.base.files import atomic_path
from core.base.progress import Progress
from core.campaign import decode, store_log
from core.campaign import results as res
from core.campaign import values as v
from core.campaign.customer import Customer, customer_of
from core.campaign.keys import Aliases
from core.campaign.model import (
    CampaignFileError,
    CampaignInfo,
    DocumentLog,
    ImportReport,
    StoredVisit,
    Visit,
    VisitConflict,
    carried_offer,
)
from core.campaign.store import Store
from core.campaign.store_api import CampaignStore
from core.campaign.values import MANUAL
from core.campaign.visit_import import PackageFees, differences, import_files

if TYPE_CHECKING:
    import pandas as pd

    from core.base.settings import Settings
    from core.campaign.assign import AssignReport
    from core.campaign.board import Board
    from core.campaign.follow_up import FollowUpReport
    from core.campaign.prospects import AddReport
    from core.importing.result import ImportResult
    from core.marketing.bands import BandScheme
    from core.marketing.catalog import Catalog, Rules


class Campaign:
    """An open campaign file. Use ``Campaign.create`` or ``Campaign.open``; ``close()`` (or
    ``with``) when done."""

    def __init__(self, store: Store | CampaignStore) -> None:
        """Over an open store: the campaign file's ``Store``, or one campaign of the city
        database (``store_pg.PgCampaignStore``, read-only) — the same reads either way."""
        self._store: Any = store
        self._meta = store.meta()
        self._aliases: Aliases | None = None
        self.path = store.path

    # ------------------------------------------------------------------ life cycle
    @classmethod
    def create(
        cls,
        path: str | Path,
        offers: pd.DataFrame,
        info: CampaignInfo,
        *,
        scheme: BandScheme | None = None,
        catalog: Catalog | None = None,
        rules: Rules | None = None,
        source: ImportResult | None = None,
        options: dict[str, Any] | None = None,
        settings: Settings | None = None,
        force: bool = False,
        progress: Progress | None = None,
    ) -> Campaign:
        """Write a new campaign file from the customers with their offers
        (``core.marketing.make_offers``) and open it. Refuses to overwrite unless ``force``."""
        from core.campaign.create import write_campaign

        write_campaign(Path(path), offers, info, scheme=scheme, catalog=catalog, rules=rules,
                       source=source, options=options, settings=settings, force=force,
                       progress=progress)  # fmt: skip
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> Campaign:
        """Open a campaign file; CampaignFileError (Chinese) for a missing, damaged, foreign
        or newer file, which is left untouched. An older file is migrated after a backup."""
        return cls(Store.open(Path(path), readonly=readonly))

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Campaign:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_as(self, target: str | Path, force: bool = False) -> Path:
        """A complete copy of the campaign at ``target`` (this one stays open)."""
        target = Path(target)
        with atomic_path(target, force=force) as tmp:
            tmp.unlink()
            self._store.copy_to(tmp)
        return target

    def check_writable(self) -> None:
        """Raise CampaignFileError now if a change could not be saved (a read-only file or
        folder, no permission): a real write, rolled back, before any work is done."""
        try:
            with self._store.transaction():
                self._store.set_meta({"info": self._meta.get("info", {})})
                raise _Probe
        except _Probe:
            return
        except CampaignFileError as err:
            text = str(err.__cause__ or "").lower()
            if not any(w in text for w in ("readonly", "read-only", "unable to open",
                                           "permission", "access")):  # fmt: skip
                raise
            raise CampaignFileError(
                f"无法保存到营销活动文件：{self.path.name}（文件或它所在的文件夹是只读的，"
                "或没有写入权限）。",
                "请把营销活动文件复制到可以保存的位置（例如桌面），再用复制的文件重新运行；"
                "这次没有生成任何文件。",
            ) from err

    # ------------------------------------------------------------------ description
    @property
    def info(self) -> CampaignInfo:
        return CampaignInfo.from_dict(self._meta.get("info", {}))

    def update_info(self, info: CampaignInfo) -> None:
        with self._store.transaction():
            self._store.set_meta({"info": info.to_dict()})
        self._meta["info"] = info.to_dict()

    def source(self) -> dict[str, Any]:
        """The list it was made from: file, sha256, sheet, header_row, mapping, rows …"""
        return dict(self._meta.get("source", {}))

    def scheme(self) -> BandScheme:
        from core.marketing.bands import BandScheme

        return BandScheme.from_dict(self._meta["scheme"])

    def catalog(self) -> Catalog:
        from core.marketing.catalog import Catalog, Package

        snap = self._meta["catalog"]
        packages = [Package(**{**p, "bands": tuple(p.get("bands") or ())})
                    for p in snap["packages"]]  # fmt: skip
        return Catalog(packages, source=snap.get("source", ""))

    def rules(self) -> Rules:
        from core.marketing.catalog import Rules

        return Rules.from_dict(self._meta["rules"])

    def refresh(self) -> None:
        """Read the description again (another connection saved a new recommendation)."""
        self._meta = self._store.meta()

    def meta(self) -> dict[str, Any]:
        """Everything the campaign describes itself with (checked when it was opened)."""
        return dict(self._meta)

    def customer_rows(self) -> list[tuple]:
        """The stored customer rows in list order (core.campaign.document reads them)."""
        return self._store.customers()

    def customer_keys(self) -> list[str]:
        return [r[0] for r in self._store.customers()]

    def replace_offers(self, rows: list[tuple], meta: dict[str, Any],
                       new_version: str = "") -> None:  # fmt: skip
        """One transaction: every customer's (band, offer_package, offer_fee, offer JSON,
        key) and the description values in ``meta`` (core.campaign.document); with
        ``new_version`` (its note) this is the next numbered recommendation."""
        with self._store.transaction():
            if new_version:
                store_log.add_version(
                    self._store, store_log.current_version(self._store) + 1, new_version
                )
            self._store.update_offers(rows)
            self._store.set_meta(meta)
        self._meta.update(meta)

    def documents_of_version(self, version: int | None = None) -> int:
        """Documents made with recommendation ``version`` (the current one if None)."""
        return store_log.documents_of_version(self._store, version or self.version)

    def columns(self) -> list[tuple[str, str]]:
        """The customers' columns (key, Chinese label) kept from the list."""
        return [(k, label) for k, label in self._meta.get("columns", [])]

    def counts(self) -> dict[str, int]:
        """customers, visits, visited (customers), documents, imports."""
        return self._store.counts()

    def describe(self) -> dict[str, Any]:
        """Everything ``campaign info --json`` shows."""
        from core.campaign.store import SCHEMA_VERSION

        return {
            "file": str(self.path), **self.info.to_dict(), "created_at": self._meta.get(
                "created_at"), "schema_version": SCHEMA_VERSION, "source": self.source(),
            **self.counts(), "bands": self._band_counts(),
            "scheme": self._meta.get("scheme"), "rules": self._meta.get("rules"),
            "catalog": {"source": self._meta["catalog"].get("source", ""),
                        "packages": len(self._meta["catalog"]["packages"])},
            "options": self._meta.get("options", {}), "imports": self._store.imports(),
            "assigned": self.assigned_counts(), "targets": self.targets().to_dict(),
            "round": self.round(), "origins": self._store.origin_counts(),
            "version": self.version, "versions": self.versions(),
        }  # fmt: skip

    def _band_counts(self) -> dict[str, int]:
        """Customers per band, in the scheme's order (未分档 last)."""
        counts = {b or "未分档": n for b, n in self._store.band_counts()}
        order = [b["label"] for b in self._meta.get("scheme", {}).get("bands", [])]
        return {b: counts[b] for b in [*order, *sorted(set(counts) - set(order))] if b in counts}

    # ------------------------------------------------------------------ customers
    def customers(self, bands: Sequence[str] = ()) -> list[Customer]:
        """The customers in list order (only some bands if given)."""
        return [customer_of(r, self.path) for r in self._store.customers(tuple(bands))]

    def customer(self, key: str) -> Customer:
        row = self._store.customer(key)
        if row is None:
            raise InvalidInput(f"营销活动中没有客户编号为“{key}”的客户。", "请核对客户编号。")
        return customer_of(row, self.path)

    def customers_frame(self) -> pd.DataFrame:
        """Customers, offers and each one's visit status as a DataFrame (the window's table,
        the report): key, every list column, offer columns, visits, last_visit,
        last_visitor, last_intent, next_follow_up."""
        from core.campaign.frames import customers_frame

        return customers_frame(self._store, self.columns())

    def visit_status(self, key: str) -> dict[str, Any]:
        """One customer's STATUS_COLUMNS (visits, last_visit … as in ``customers_frame``)."""
        from core.campaign.frames import status_values

        rows = self._store.customer_status(key=key)
        if not rows:
            raise InvalidInput(f"营销活动中没有客户编号“{key}”。", "请核对客户编号。")
        return status_values(rows[0])

    def key_for(self, *ids: Any) -> str | None:
        """The key of the customer one of ``ids`` names (a key, a full phone number or the
        list's customer number), trying them in order; None if none does."""
        if self._aliases is None:
            self._aliases = Aliases(self._store.aliases())
        for value in ids:
            key = self._aliases.find(value)
            if key is not None:
                return key
        return None

    def problems(self) -> list[dict[str, Any]]:
        """The list's import problems (row, field, code, message) kept with the campaign."""
        cols = ("row", "field", "code", "message")
        return [dict(zip(cols, r, strict=True)) for r in self._store.problems()]

    # ------------------------------------------------------------------ visits
    def add_visit(self, key: str, visit: Visit, today: dt.date | None = None) -> StoredVisit:
        """Check and store one visit (one transaction); the stored visit.

        The same answer already stored for this customer, date and visitor is returned as
        is; a different one raises VisitConflict (change it with ``update_visit``).
        """
        self.customer(key)
        visit = self._fees().complete(visit.checked(today))
        with self._store.transaction():
            stored = self._store.find_visit(key, visit.visit_date, visit.visitor)
            if stored is not None:
                if stored.visit == visit:
                    return stored
                raise _conflict(stored, visit)
            visit_id = self._store.insert_visit(key, visit, MANUAL, None)
        return self._get_visit(visit_id)

    def update_visit(
        self, visit_id: int, visit: Visit, today: dt.date | None = None
    ) -> StoredVisit:
        """Change a stored visit (one transaction); the visit as stored now."""
        old = self._get_visit(visit_id)
        visit = self._fees().complete(visit.checked(today))
        with self._store.transaction():
            other = self._store.find_visit(old.customer_key, visit.visit_date, visit.visitor)
            if other is not None and other.id != visit_id:
                raise _conflict(other, visit)
            self._store.update_visit(visit_id, visit)
            store_log.log_visit_change(self._store, visit_id, old.customer_key, "修改", _json(old.visit),
                                         _json(visit))  # fmt: skip
        return self._get_visit(visit_id)

    def delete_visit(self, visit_id: int, action: str = "删除") -> StoredVisit:
        """Delete a stored visit (one transaction; the log keeps what it said). ``action``:
        删除, or 撤销 when the window undoes the save. The visit as it was."""
        old = self._get_visit(visit_id)
        with self._store.transaction():
            self._store.delete_visit(visit_id)
            store_log.log_visit_change(
                self._store, visit_id, old.customer_key, action, _json(old.visit)
            )
        return old

    def restore_visit(self, stored: StoredVisit) -> StoredVisit:
        """Put back a visit deleted by 撤销 (the window's redo): the same answers, saved
        anew (one transaction; the log says so)."""
        visit = self._fees().complete(stored.visit)
        with self._store.transaction():
            other = self._store.find_visit(stored.customer_key, visit.visit_date, visit.visitor)
            if other is not None:
                raise _conflict(other, visit)
            visit_id = self._store.insert_visit(stored.customer_key, visit, stored.source,
                                                stored.source_row)  # fmt: skip
            store_log.log_visit_change(self._store, visit_id, stored.customer_key, "修改", "{}",
                                         _json(visit))  # fmt: skip
        return self._get_visit(visit_id)

    def visit_changes(self, key: str | None = None) -> list[dict[str, Any]]:
        """The log of corrected and deleted visits (oldest first)."""
        cols = ("id", "visit_id", "customer_key", "changed_at", "action", "before", "after")
        out = []
        for row in store_log.visit_changes(self._store, key):
            entry = dict(zip(cols, row, strict=True))
            entry["before"] = decode.loads_object(entry["before"])
            entry["after"] = decode.loads_object(entry["after"]) if entry["after"] else None
            out.append(entry)
        return out

    # ------------------------------------------------------------------ versions
    @property
    def version(self) -> int:
        """The number of the recommendation the campaign holds now (第 n 版)."""
        return store_log.current_version(self._store)

    def versions(self) -> list[dict[str, Any]]:
        """Every recommendation so far: number, created, note, documents made with it."""
        return [{"number": n, "created": c, "note": note, "documents": docs}
                for n, c, note, docs in store_log.versions(self._store)]  # fmt: skip

    def visits_for(self, key: str) -> list[StoredVisit]:
        """The customer's visits, oldest first."""
        return self._store.visits(key)

    def visits(self) -> list[StoredVisit]:
        return self._store.visits()

    def import_visits(
        self,
        paths: Iterable[str | Path],
        progress: Progress | None = None,
        today: dt.date | None = None,
    ) -> ImportReport:
        """Import filled 走访记录 files, each in one transaction (see visit_import)."""
        packages = self._meta.get("catalog", {}).get("packages", [])
        return import_files(self._store, [Path(p) for p in paths], packages, progress, today)

    # ------------------------------------------------------------------ documents
    def log_documents(
        self,
        kind: str,
        template: str,
        keys: Iterable[str],
        outputs: Iterable[str] = (),
        offers: Iterable[dict[str, Any]] = (),
    ) -> int:
        """Record that ``kind`` (建议书/反馈表/走访记录表) was generated from ``template`` for
        each customer in ``keys`` (``outputs``: the file of each, if any; ``offers``: the
        recommendation each carried — package, fee, expected bill — else the one the
        campaign holds), under the current recommendation version. One transaction."""
        keys = list(keys)
        files = list(outputs) or [""] * len(keys)
        carried = [json.dumps(o, ensure_ascii=False) for o in offers] or [
            json.dumps(self._held_offer(k), ensure_ascii=False) for k in keys]  # fmt: skip
        known = {r[0] for r in self._store.aliases()}
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise InvalidInput(f"营销活动中没有这些客户：{'、'.join(unknown[:5])}。",
                               "请确认文件是为本活动的客户生成的。")  # fmt: skip
        with self._store.transaction():
            rows = [(kind, template, k, f, o) for k, f, o in zip(keys, files, carried, strict=True)]
            store_log.add_documents(self._store, rows)
        return len(keys)

    def documents(self, key: str | None = None) -> list[DocumentLog]:
        return store_log.documents(self._store, key)

    def _held_offer(self, key: str) -> dict[str, Any]:
        row = self._store.customer(key)
        if row is None:
            return {}
        offer = decode.loads_object(row[12])
        return carried_offer({"offer_package": row[9], "offer_fee": row[10], **offer})

    # ------------------------------------------------------------------ results
    def results(
        self,
        by: str | Sequence[str] = "band",
        today: dt.date | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> res.Results:
        """The funnel of this campaign per band / staff / branch / plan / tag / day / origin
        / round / customer field, or several of them (``"staff,day"`` or a list); only the
        visits from ``date_from`` to ``date_to`` when given. See core.campaign.results."""
        from core.campaign.tally import results_of

        return results_of([self], by, today, date_from, date_to)

    # ------------------------------------------------------------------ the sweep
    def assignments(self) -> dict[str, str]:
        """Who visits whom: customer key → person, for every assigned customer."""
        return {key: person for key, person, _how in self._store.assignments()}

    def assigned_counts(self) -> dict[str, int]:
        """Customers per person (the campaign's staff first, in their order)."""
        counts: dict[str, int] = {}
        for person in self.assignments().values():
            counts[person] = counts.get(person, 0) + 1
        order = {name: i for i, name in enumerate(self.info.staff)}
        return dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)),
                                                            -kv[1], kv[0])))  # fmt: skip

    def assign(
        self, staff: Sequence[str] | str, by: str = "balanced", *, only_unassigned: bool = False
    ) -> AssignReport:
        """Share the customers out among ``staff`` (one transaction; see core.campaign.assign):
        ``by`` balanced (default: equal numbers, a grid or building kept together), grid
        (whole grids), band (an equal share of every band) or manager (customers whose
        客户经理 is one of ``staff`` go to them first, the rest balanced). Re-assigning
        replaces the assignment and keeps every visit; ``only_unassigned`` shares out only
        customers not assigned yet (prospects just added). New names join the staff."""
        from core.campaign.assign import assign_customers

        report = assign_customers(self, staff, by, only_unassigned=only_unassigned)
        with self._store.transaction():
            if not only_unassigned:
                self._store.clear_assignments()
            self._store.set_assignments(report.rows)
            self._join_staff(report.staff)
        return report

    def set_assignee(self, keys: Iterable[str], person: str | None) -> int:
        """Assign the customers ``keys`` to ``person`` (the window's 分配给…), or take their
        assignment away when ``person`` is empty. One transaction; how many changed."""
        keys = list(dict.fromkeys(keys))
        known, _idents, _seq = self._store.keys_and_identities()
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise InvalidInput(f"营销活动中没有这些客户：{'、'.join(unknown[:5])}。",
                               "请刷新客户列表后重试。")  # fmt: skip
        name = v.person(person or "")
        with self._store.transaction():
            if name:
                self._store.set_assignments((k, name, "manual") for k in keys)
                self._join_staff([name])
            else:
                self._store.clear_assignments(keys)
        return len(keys)

    def assigned_to(self, person: str) -> list[str]:
        """The keys of the customers assigned to ``person`` (list order); InvalidInput
        naming who has customers when nobody is assigned to them."""
        name = v.person(person)
        keys = [k for k, p, _how in self._store.assignments() if p == name]
        if keys:
            return keys
        counts = self.assigned_counts()
        if not counts:
            raise InvalidInput("营销活动还没有把客户分给走访人员。",
                               f'请先分配，例如：campaign assign "{self.path.name}" --staff 张三,李四。')  # fmt: skip
        raise InvalidInput(f"营销活动中没有分给“{person}”的客户。",
                           f"分到了客户的人：{'、'.join(f'{p}（{n} 位）' for p, n in counts.items())}。")  # fmt: skip

    def _join_staff(self, names: Iterable[str]) -> None:
        """Inside a transaction: add people not yet in the campaign's staff."""
        info = self.info
        staff = tuple(dict.fromkeys([*info.staff, *names]))
        if staff != info.staff:
            info.staff = staff
            self._store.set_meta({"info": info.to_dict()})
            self._meta["info"] = info.to_dict()

    def targets(self) -> res.Targets:
        """The sweep's targets (campaign target): signed, visited, signed per person."""
        return res.Targets.from_dict(self._meta.get("targets"))

    def set_targets(self, targets: res.Targets) -> None:
        """Store the targets (one transaction); people named join the staff."""
        from core.campaign.board import checked_targets

        data = checked_targets(targets).to_dict()
        with self._store.transaction():
            self._store.set_meta({"targets": data})
            self._join_staff(data.get("staff", {}))
        self._meta["targets"] = data

    def round(self) -> dict[str, Any]:
        """Which round of the sweep this file is: number, previous file, the rule used."""
        return dict(self._meta.get("round") or {"number": 1, "previous": None, "rule": ""})

    def history_for(self, key: str) -> list[tuple[int, str, StoredVisit]]:
        """The customer's visits in earlier rounds: (round, campaign name, visit), oldest first."""
        return self._store.history(key)

    def daily_board(self, day: dt.date | None = None) -> Board:
        """The board for the morning and evening meetings (core.campaign.board): the day's
        visits and signings per person, progress against the targets, who to see next."""
        from core.campaign.board import daily_board

        return daily_board(self, day or dt.date.today())

    def add_prospects(self, listed: ImportResult) -> AddReport:
        """Add another list's customers (物管名单: perhaps no spend) in one transaction."""
        from core.campaign.prospects import add_list

        return add_list(self, listed)

    def add_walk_in(
        self,
        name: str,
        phone: str = "",
        *,
        address: str = "",
        industry: str = "",
        note: str = "",
        visitor: str = "",
        visit: Visit | None = None,
        today: dt.date | None = None,
    ) -> Customer:
        """A customer met on the sweep (现场新增), with their visit, in one transaction."""
        from core.campaign.prospects import add_walk_in

        return add_walk_in(self, name, phone, address=address, industry=industry, note=note,
                           visitor=visitor, visit=visit, today=today)  # fmt: skip

    def follow_up(self, target: str | Path, **choice: Any) -> FollowUpReport:
        """A new campaign file for the second round (core.campaign.follow_up.start_round)."""
        from core.campaign.follow_up import start_round

        return start_round(self, Path(target), **choice)

    # ------------------------------------------------------------------ helpers
    def _fees(self) -> PackageFees:
        return PackageFees(self._meta.get("catalog", {}).get("packages", []))

    def _get_visit(self, visit_id: int) -> StoredVisit:
        found = self._store.visit(visit_id)
        if found is None:
            raise InvalidInput(f"找不到第 {visit_id} 号走访记录（可能已被删除）。",
                               "请刷新走访列表后重试。")  # fmt: skip
        return found


class _Probe(Exception):
    """Rolls back the test write of ``check_writable``."""


def check_writable(path: str | Path) -> None:
    """The campaign file at ``path`` can be opened and saved to, or CampaignFileError (in
    Chinese, with what to do): call it before writing outputs that must be recorded."""
    with Campaign.open(path) as campaign:
        campaign.check_writable()


def _json(visit: Visit) -> str:
    return json.dumps(visit.to_dict(), ensure_ascii=False)


def _conflict(stored: StoredVisit, visit: Visit) -> VisitConflict:
    return VisitConflict(
        f"{visit.visitor} {visit.visit_date:%Y-%m-%d} 对该客户的走访已有一条不同的记录"
        f"（{differences(stored.visit, visit)}）。",
        "如需更改，请打开那条记录修改；同一天同一人再次走访请合并为一条记录。",
    )


__all__ = ["Campaign", "Customer"]
