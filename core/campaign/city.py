"""The city database (issue 25): counties push their campaign files into one PostgreSQL
database, the city office reads every county's campaigns from it.

    report = push_file("城东扫场.jzt", url)          # one transaction; PushReport
    with CityDatabase.open(url) as city:            # read-only, one consistent snapshot
        city.entries(branches=["城东分公司"])        # [Entry]: 单位, name, customers, visits …
        city.results(by="branch", today=…)          # the same Results as combined_results
        with city.campaign(city.find("城东扫场", "城东分公司")) as campaign: …  # a Campaign

A campaign read from the database is a ``Campaign`` over ``store_pg.PgCampaignStore``
(the ``CampaignStore`` read interface of ``store_api``): its results, report frames and
the window's tables come from the same code as for a file. ``url`` may be None: then
``JINZITA_DB`` or the city-database settings file is used (``city_config.target``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.base.errors import InvalidInput
from core.base.progress import Progress
from core.campaign.campaign import Campaign
from core.campaign.city_config import Target, target
from core.campaign.results import Results

if TYPE_CHECKING:
    from core.campaign.store_pg import Entry
    from core.campaign.store_pg_push import PushReport


def push_file(path: str | Path, url: str | Target | None = None,
              progress: Progress | None = None) -> PushReport:  # fmt: skip
    """Copy the campaign file at ``path`` into the city database (``store_pg_push``);
    the PushReport of what changed. The file is only read."""
    from core.campaign.store_pg import connect, pg_errors
    from core.campaign.store_pg_push import push_rows, read_file
    from core.campaign.store_pg_schema import ensure_schema

    where = url if isinstance(url, Target) else target(url)
    rows = read_file(Path(path))  # the file is checked before the database is touched
    conn = connect(where)
    try:
        with pg_errors(where):
            ensure_schema(conn)
            return push_rows(conn, rows, progress)
    finally:
        conn.close()


class CityDatabase:
    """The city database opened read-only: every campaign read from the same moment."""

    def __init__(self, conn: Any, where: Target) -> None:
        self.conn = conn
        self.target = where

    @classmethod
    def open(cls, url: str | Target | None = None) -> CityDatabase:
        from core.campaign.store_pg import connect, pg_errors
        from core.campaign.store_pg_schema import check_readable

        where = url if isinstance(url, Target) else target(url)
        conn = connect(where, readonly=True)
        try:
            with pg_errors(where):
                check_readable(conn)
        except BaseException:
            conn.close()
            raise
        return cls(conn, where)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> CityDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def entries(self, branches: Sequence[str] = ()) -> list[Entry]:
        """The campaigns in the database (``store_pg.Entry``), of some 单位 only if given."""
        from core.campaign.store_pg import campaigns, pg_errors

        with pg_errors(self.target):
            found = campaigns(self.conn, branches)
        if branches and not found:
            known = sorted({e.branch for e in self.entries()})
            raise InvalidInput(f"城市数据库里没有单位“{'、'.join(branches)}”的营销活动。",
                               f"数据库里有这些单位：{'、'.join(known) or '（还没有）'}。")  # fmt: skip
        return found

    def campaign(self, entry: Entry) -> Campaign:
        """One campaign of the database as a read-only ``Campaign``."""
        from core.campaign.store_pg import PgCampaignStore, pg_errors

        with pg_errors(self.target):
            return Campaign(PgCampaignStore(self.conn, entry))

    def find(self, campaign: str | None = None, branch: str | None = None) -> Entry:
        """The one campaign named ``campaign`` (its file name, with or without .jzt, its
        name or its id) of 单位 ``branch``; InvalidInput listing them when none or several."""
        entries = self.entries([branch] if branch else [])
        if campaign:
            wanted = campaign.strip()
            entries = [e for e in entries if wanted in (e.id, e.name, e.file_name,
                                                        Path(e.file_name).stem)]  # fmt: skip
        if len(entries) == 1:
            return entries[0]
        listed = "；".join(f"{e.branch}：{e.name}（{e.file_name}，编号 {e.id[:8]}）"
                          for e in self.entries([branch] if branch else [])[:20])  # fmt: skip
        if not entries:
            raise InvalidInput(f"城市数据库里没有营销活动“{campaign}”"
                               f"{f'（单位 {branch}）' if branch else ''}。",
                               f"数据库里有：{listed}。")  # fmt: skip
        raise InvalidInput("城市数据库里有多个营销活动符合条件，不知道用哪一个。",
                           f"请用 --campaign 写活动名称、文件名或编号，用 --branch 写单位。有：{listed}。")  # fmt: skip

    def campaigns(self, branches: Sequence[str] = ()) -> Iterator[Campaign]:
        for entry in self.entries(branches):
            yield self.campaign(entry)

    def results(
        self,
        by: str | Sequence[str] = "band",
        today: dt.date | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        branches: Sequence[str] = (),
    ) -> Results:
        """The results of the database's campaigns (of some 单位): ``results_of``, the code
        ``combined_results`` counts files with."""
        from core.campaign.store_pg import pg_errors
        from core.campaign.tally import results_of

        entries = self.entries(branches)
        if not entries:
            raise InvalidInput("城市数据库里还没有营销活动。",
                               "请各县先用 campaign push 活动.jzt 推送营销活动。")  # fmt: skip
        with pg_errors(self.target):
            return results_of((self.campaign(e) for e in entries), by, today, date_from,
                              date_to, [Path(e.file_name) for e in entries])  # fmt: skip


@dataclass
class CityOverview:
    """What the window's read-only view of the city database shows: where (no password),
    each campaign with its progress, and the combined results."""

    where: str
    rows: list[dict[str, Any]]
    results: Results


def city_overview(where: str | Target | None, by: str | Sequence[str] = "branch",
                  today: dt.date | None = None, progress: Progress | None = None) -> CityOverview:  # fmt: skip
    """The campaigns of the city database (单位, name, file, customers, visited, signed,
    pushed) and their results ``by``, read from one snapshot (for the window's worker)."""
    from core.campaign.store_pg import pg_errors
    from core.campaign.store_pg import progress as visited_signed

    progress = progress or Progress()
    progress.start(2, "正在读取城市数据库…")
    with CityDatabase.open(where) as city:
        entries = city.entries()
        with pg_errors(city.target):
            done = visited_signed(city.conn, [e.id for e in entries])
        progress.advance(1)
        rows = [{"单位": e.branch, "营销活动": e.name, "文件": e.file_name, "客户": e.customers,
                 "已走访": done.get(e.id, (0, 0))[0], "已成交": done.get(e.id, (0, 0))[1],
                 "轮次": e.round, "推送时间": e.pushed_at, "推送人": e.pushed_by}
                for e in entries]  # fmt: skip
        results = city.results(by, today)
        progress.advance(1)
        return CityOverview(city.target.display, rows, results)


__all__ = ["CityDatabase", "CityOverview", "city_overview", "push_file"]
