"""campaign push into the city database (issue 25): idempotent, exact, all or nothing,
safe when counties push at the same moment, and a versioned schema."""

from __future__ import annotations

import shutil
import threading

import pytest

from core.base.errors import InvalidInput
from core.campaign import Campaign, CityDatabase, push_file
from tests.city_helpers import TODAY, add_visits, city_campaign, table_counts


def test_the_same_file_twice_changes_nothing(tmp_path, city_db):
    path = city_campaign(tmp_path / "城东.jzt", n=30)
    first = push_file(path, city_db)
    assert first.new and first.added["customers"] == 30
    counts = table_counts(city_db)
    again = push_file(path, city_db)
    assert not again.changed and again.summary() == "数据库里已是这个文件的内容，没有变化"
    assert table_counts(city_db) == counts  # not even the push log grew


def test_more_visits_add_exactly_those(tmp_path, city_db):
    path = city_campaign(tmp_path / "城东.jzt", n=40, visited=0.3)
    push_file(path, city_db)
    before = table_counts(city_db)
    with Campaign.open(path) as campaign:
        added = add_visits(campaign, campaign.customer_keys(), seed=99, share=0.5,
                           day=TODAY)  # fmt: skip
    assert added > 0
    report = push_file(path, city_db)
    assert report.added == {"visits": added} and not report.removed
    after = table_counts(city_db)
    assert after["visits"] == before["visits"] + added
    assert after["customers"] == before["customers"]
    with CityDatabase.open(city_db) as city:
        (entry,) = city.entries()
        assert entry.visits == after["visits"]


def test_corrected_and_deleted_visits_are_reflected(tmp_path, city_db):
    path = city_campaign(tmp_path / "城东.jzt", n=30)
    push_file(path, city_db)
    with Campaign.open(path) as campaign:
        first, second = campaign.visits()[:2]
        campaign.delete_visit(first.id)
        old = second.visit
        from core.campaign import Visit

        campaign.update_visit(second.id, Visit(visit_date=old.visit_date, visitor=old.visitor,
                                               intent="无意向", objections=("信号",)))  # fmt: skip
        wanted = [(s.id, s.visit.intent) for s in campaign.visits()]
    report = push_file(path, city_db)
    assert report.removed == {"visits": 1} and report.replaced == {"visits": 1}
    assert report.added == {"visit_changes": 2}
    with CityDatabase.open(city_db) as city, city.campaign(city.find()) as campaign:
        assert [(s.id, s.visit.intent) for s in campaign.visits()] == wanted
        assert [c["action"] for c in campaign.visit_changes()][-2:] == ["删除", "修改"]


def test_an_older_copy_is_refused_and_changes_nothing(tmp_path, city_db):
    path = city_campaign(tmp_path / "城东.jzt", n=30)
    old = shutil.copyfile(path, tmp_path / "旧副本.jzt")
    with Campaign.open(path) as campaign:
        add_visits(campaign, campaign.customer_keys(), seed=5, share=0.5, day=TODAY)
    push_file(path, city_db)
    counts = table_counts(city_db)
    with pytest.raises(InvalidInput, match=r"比文件 旧副本\.jzt 新") as err:
        push_file(old, city_db)
    assert "程序没有改动数据库" in err.value.message
    assert table_counts(city_db) == counts


def test_a_push_failing_midway_leaves_the_database_untouched(tmp_path, city_db, monkeypatch):
    from core.campaign import store_pg_push

    path = city_campaign(tmp_path / "城东.jzt", n=40, visited=0.3)
    push_file(path, city_db)
    with Campaign.open(path) as campaign:
        add_visits(campaign, campaign.customer_keys(), seed=7, share=0.6, day=TODAY)
        campaign.assign(["王五"])
    counts = table_counts(city_db)
    real = store_pg_push._copy
    done: list[str] = []

    def copy_then_fail(conn, name, campaign_id, items):
        real(conn, name, campaign_id, items[: len(items) // 2])  # half the rows reached it
        done.append(name)
        raise OSError("网络中断（测试注入）")

    monkeypatch.setattr(store_pg_push, "_copy", copy_then_fail)
    with pytest.raises(OSError):
        push_file(path, city_db)
    assert done  # the failure came after rows had been written
    assert table_counts(city_db) == counts
    monkeypatch.setattr(store_pg_push, "_copy", real)
    assert push_file(path, city_db).changed  # the next push brings everything in


def _push_many(jobs: list, url: str) -> list:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def run(path):
        try:
            barrier.wait()
            push_file(path, url)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def test_counties_pushing_at_the_same_moment_lose_nothing(tmp_path, city_db):
    paths = [city_campaign(tmp_path / f"县{i}.jzt", n=25, seed=i, branch=f"第{i}县分公司")
             for i in range(3)]  # fmt: skip
    # three counties at once, one of them twice at the same moment, on a fresh database
    assert _push_many([*paths, paths[0]], city_db) == []
    _all_there(paths, city_db, customers=75)


def _all_there(paths: list, url: str, customers: int) -> None:
    """Every campaign, customer and visit of ``paths`` in the database, one push each
    (the second push of the same file found nothing new)."""
    visits = 0
    for path in paths:
        with Campaign.open(path, readonly=True) as campaign:
            visits += len(campaign.visits())
    counts = table_counts(url)
    assert counts["campaigns"] == len(paths) and counts["customers"] == customers
    assert counts["visits"] == visits and counts["pushes"] == len(paths)


def test_counties_pushing_from_separate_processes_lose_nothing(tmp_path, city_db):
    """As on the intranet: separate `campaign push` programs at once, on a fresh database
    (the schema is created by whichever comes first), one county twice."""
    import subprocess
    import sys

    from tests.paths import ROOT

    paths = [city_campaign(tmp_path / f"县{i}.jzt", n=20, seed=40 + i, branch=f"第{i}县分公司")
             for i in range(3)]  # fmt: skip
    procs = [subprocess.Popen([sys.executable, str(ROOT / "main.py"), "campaign", "push", str(p),
                               "--db", city_db], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for p in [*paths, paths[1]]]  # fmt: skip
    outcomes = [(p.wait(120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _err in outcomes] == [0, 0, 0, 0], outcomes
    _all_there(paths, city_db, customers=60)


def test_the_schema_is_versioned_and_a_newer_one_refused(tmp_path, city_db):
    import psycopg

    from core.campaign.store_pg_schema import PG_SCHEMA_VERSION

    path = city_campaign(tmp_path / "城东.jzt", n=10)
    push_file(path, city_db)
    with psycopg.connect(city_db, autocommit=True) as conn:
        rows = conn.execute("SELECT version FROM jinzita.schema_info").fetchall()
        assert rows == [(PG_SCHEMA_VERSION,)]
        conn.execute("INSERT INTO jinzita.schema_info (version) VALUES (%s)",
                     (PG_SCHEMA_VERSION + 1,))  # fmt: skip
    counts = table_counts(city_db)
    for attempt in (lambda: push_file(path, city_db), lambda: CityDatabase.open(city_db)):
        with pytest.raises(InvalidInput, match="更新版本的程序建立的") as err:
            attempt()
        assert "请升级" in err.value.hint
    assert table_counts(city_db) == counts


def test_an_empty_database_says_so(city_db):
    with pytest.raises(InvalidInput, match="还没有营销活动"):
        CityDatabase.open(city_db)


def test_an_older_schema_is_migrated_by_the_next_push(tmp_path, city_db, monkeypatch):
    import psycopg

    from core.campaign import store_pg_schema as schema

    path = city_campaign(tmp_path / "城东.jzt", n=10)
    push_file(path, city_db)  # the database is at this program's version
    steps: list[int] = []

    def add_region(conn):  # what a version-2 program would add
        steps.append(1)
        conn.execute(f"ALTER TABLE {schema.table('campaigns')} ADD COLUMN region text")

    monkeypatch.setattr(schema, "PG_SCHEMA_VERSION", schema.PG_SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.PG_SCHEMA_VERSION - 1, add_region)
    with pytest.raises(InvalidInput, match="旧版本"):  # a reader never migrates
        CityDatabase.open(city_db)
    assert not push_file(path, city_db).changed  # migrated, and the rows were already there
    push_file(path, city_db)
    assert steps == [1]  # once
    with psycopg.connect(city_db) as conn:
        versions = [r[0] for r in conn.execute(
            "SELECT version FROM jinzita.schema_info ORDER BY version").fetchall()]  # fmt: skip
        assert versions == [schema.PG_SCHEMA_VERSION - 1, schema.PG_SCHEMA_VERSION]
        assert conn.execute("SELECT region FROM jinzita.campaigns").fetchall() == [(None,)]
    with CityDatabase.open(city_db) as city:
        assert len(city.entries()) == 1
