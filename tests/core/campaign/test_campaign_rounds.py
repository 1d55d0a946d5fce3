"""After the first sweep (issue 22): the second round as a new campaign file with exactly
the customers still to win and their history, results read across rounds, prospects from a
list without spend, and old (version 1) campaign files opening and migrating."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import openpyxl
import pandas as pd
import pytest

from core.base.errors import InvalidInput
from core.campaign import Campaign, CampaignInfo, Targets, Visit, combined_results
from core.campaign.store import SCHEMA_VERSION
from core.campaign.store_checks import COLUMNS
from core.importing import import_file
from core.marketing import default_catalog, default_scheme, make_offers, scheme_from_edges

D = dt.date
TODAY = D(2026, 12, 3)


@pytest.fixture
def first(tmp_path):
    frame = pd.DataFrame({
        "source_row": [2, 3, 4, 5, 6, 7],
        "phone": [f"1370000000{i}" for i in range(6)],
        "name": ["甲", "乙", "丙", "丁", "戊", "己"],
        "spend": [40.0, 80.0, 150.0, 250.0, 60.0, 90.0],
        "grid": ["一", "一", "二", "二", "三", "三"],
    })  # fmt: skip
    offers = make_offers(frame, default_scheme(), default_catalog())
    c = Campaign.create(tmp_path / "第一轮.jzt", offers, CampaignInfo(name="城东扫场"))
    c.assign(["张三", "李四"])
    c.set_targets(Targets(signed=3))
    key = {x.name: x.key for x in c.customers()}
    for name, day, intent, more in [
        ("甲", D(2026, 11, 20), "已成交", {"signed_package": "畅享59元套餐"}),
        ("乙", D(2026, 11, 20), "有意向", {"met": True}),
        ("乙", D(2026, 11, 25), "考虑中", {"objections": ("价格",)}),
        ("丙", D(2026, 11, 21), "无意向", {"follow_up": D(2026, 12, 5)}),
        ("丁", D(2026, 11, 22), "有意向", {}),
    ]:  # fmt: skip
        c.add_visit(key[name], Visit(visit_date=day, visitor="张三", intent=intent, **more), TODAY)
    yield c, key
    c.close()


def test_the_second_round_holds_exactly_the_customers_still_to_win(first, tmp_path):
    c, key = first
    report = c.follow_up(tmp_path / "第二轮.jzt", today=TODAY)  # default: 有意向、考虑中
    assert report.reasons == {"考虑中": 1, "有意向": 1} and report.round == 2
    assert report.history == 3 and report.assigned == 2
    with Campaign.open(tmp_path / "第二轮.jzt") as two:
        assert {x.name for x in two.customers()} == {"乙", "丁"}
        assert two.round()["number"] == 2 and two.round()["previous"]["file"] == "第一轮.jzt"
        assert two.info.name == "城东扫场（第2轮）" and two.info.start_date == TODAY
        assert two.visits() == []  # history is not this round's work …
        history = two.history_for(key["乙"])
        assert [(rnd, s.visit.intent) for rnd, _name, s in history] == [
            (1, "有意向"),
            (1, "考虑中"),
        ]
        assert two.assignments() == {k: p for k, p in c.assignments().items()
                                     if k in (key["乙"], key["丁"])}  # fmt: skip
        assert two.scheme().to_dict() == c.scheme().to_dict()
        assert two.catalog().names == c.catalog().names
        assert not two.targets()  # a new round sets its own targets
        r = two.results("band", today=TODAY)
        assert (r.total.planned, r.total.visited) == (2, 0)  # … nor counted in its results
        two.add_visit(key["乙"], Visit(visit_date=D(2026, 12, 2), visitor="李四",
                                      intent="已成交", signed_package="畅享79元套餐"), TODAY)  # fmt: skip
    # read across the rounds: each file counts its own customers and visits once
    both = combined_results([c.path, tmp_path / "第二轮.jzt"], by="round", today=TODAY)
    rows = dict(both.rows())
    assert (rows["第1轮"].planned, rows["第1轮"].signed) == (6, 1)
    assert (rows["第2轮"].planned, rows["第2轮"].visited, rows["第2轮"].signed) == (2, 1, 1)
    assert both.total.signed == 2 and both.rounds == {"第一轮": 1, "第二轮": 2}
    assert any("每个文件各算一次" in n for n in both.notes)
    assert both.targets.signed == 3


def test_follow_up_choices_add_up_and_nothing_chosen_is_refused(first, tmp_path):
    c, _key = first
    report = c.follow_up(tmp_path / "二.jzt", intents="有意向", due=True, not_visited=True,
                         today=TODAY)  # fmt: skip
    assert report.reasons == {"有意向": 1, "到期跟进": 1, "还没有走访": 2}
    with Campaign.open(tmp_path / "二.jzt") as two:
        assert {x.name for x in two.customers()} == {"丙", "丁", "戊", "己"}
    with pytest.raises(InvalidInput, match="不是可选的值"):
        c.follow_up(tmp_path / "三.jzt", intents="很想办")
    with pytest.raises(InvalidInput, match="没有符合条件的客户"):
        c.follow_up(tmp_path / "三.jzt", intents="未见到")
    assert not (tmp_path / "三.jzt").exists()
    with pytest.raises(Exception, match="已存在"):
        c.follow_up(tmp_path / "二.jzt")


def test_a_new_round_can_change_the_bands(first, tmp_path):
    c, _key = first
    scheme = scheme_from_edges([100.0])
    c.follow_up(tmp_path / "二.jzt", not_visited=True, intents="有意向", scheme=scheme,
                today=TODAY)  # fmt: skip
    with Campaign.open(tmp_path / "二.jzt") as two:
        assert two.scheme().labels == scheme.labels
        assert {x.band for x in two.customers()} <= set(scheme.labels)
        assert all(x.offer_package for x in two.customers())


def _prospect_list(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["城东市场物管商户名单"])
    ws.append(["商户名称", "铺位号", "联系电话", "月均消费"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_prospects_from_a_list_without_spend(first, tmp_path):
    c, _key = first
    listed = _prospect_list(tmp_path / "物管名单.xlsx", [
        ["新开张茶叶店", "C-101", "13900000001", None],
        ["阿明五金", "C-102", "13700000001", None],  # already in the campaign (乙)
        ["小林服装", "C-103", None, None],
        ["老客户", "C-104", "13900000004", 120],  # on the network: banded, offered
    ])  # fmt: skip
    result = import_file(listed, remember=False, require_spend=False)
    report = c.add_prospects(result)
    assert (report.prospects, report.listed, report.already) == (2, 1, 1)
    added = {x.name: x for x in c.customers() if x.key in report.keys}
    tea = added["新开张茶叶店"]
    assert tea.origin == "潜在客户" and tea.band is None and tea.spend is None
    assert tea.offer_package == c.rules().get(c.scheme().labels[0]).main
    assert "潜在客户" in tea.offer["offer_reason"] and "不分档" in tea.offer["offer_reason"]
    assert tea.data["铺位号"] == "C-101"
    assert added["老客户"].origin == "清单" and added["老客户"].band == "中高端"
    assert c.key_for("13900000001") == tea.key
    again = c.add_prospects(import_file(listed, remember=False, require_spend=False))
    assert again.keys == [] and again.already == 4  # the same list twice adds nothing
    r = c.results("origin", today=TODAY)
    assert dict(r.rows())["潜在客户"].planned == 2 and r.total.added == 2
    frame = c.customers_frame()
    assert "铺位号" in frame.columns
    report = c.assign(["张三", "李四"], only_unassigned=True)
    assert len(report.rows) == 3 and report.kept == 6
    with pytest.raises(Exception, match="月均消费"):  # the normal import still needs spend
        import_file(_prospect_list(tmp_path / "无消费列.xlsx", [["甲", "A", "13900000009"]]),
                    remember=False, overrides={"spend": ""})  # fmt: skip


# --- old files ---------------------------------------------------------------------------------

V1_SCHEMA = (  # the tables as version 1 wrote them (frozen here: what files in use hold)
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE customers (key TEXT PRIMARY KEY, identity TEXT NOT NULL UNIQUE,
        seq INTEGER NOT NULL, source_row INTEGER, customer_id TEXT, phone TEXT, name TEXT,
        band TEXT, spend REAL, offer_package TEXT, offer_fee REAL, data TEXT NOT NULL,
        offer TEXT NOT NULL)""",
    "CREATE TABLE problems (row INTEGER, field TEXT, code TEXT, message TEXT)",
    """CREATE TABLE documents (id INTEGER PRIMARY KEY, created TEXT NOT NULL, kind TEXT NOT NULL,
        template TEXT NOT NULL, customer_key TEXT NOT NULL REFERENCES customers(key),
        output TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX documents_by_customer ON documents(customer_key)",
    """CREATE TABLE visits (id INTEGER PRIMARY KEY,
        customer_key TEXT NOT NULL REFERENCES customers(key), visit_date TEXT NOT NULL,
        visitor TEXT NOT NULL, method TEXT NOT NULL, met INTEGER, intent TEXT NOT NULL,
        signed_package TEXT NOT NULL, signed_fee REAL, objections TEXT NOT NULL,
        suggestion TEXT NOT NULL, competitor TEXT NOT NULL, follow_up TEXT,
        source TEXT NOT NULL, source_row INTEGER, created TEXT NOT NULL,
        UNIQUE (customer_key, visit_date, visitor))""",
    """CREATE TABLE imports (id INTEGER PRIMARY KEY, file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL, imported_at TEXT NOT NULL, rows INTEGER NOT NULL,
        imported INTEGER NOT NULL, duplicates INTEGER NOT NULL, conflicts INTEGER NOT NULL,
        rejected INTEGER NOT NULL)""",
)


def _version_1_copy(source, target):
    """``source``'s campaign as a version-1 file (the old tables, its rows copied)."""
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    for statement in V1_SCHEMA:
        conn.execute(statement)
    conn.execute("ATTACH DATABASE ? AS new", (str(source),))
    conn.execute("INSERT INTO meta SELECT * FROM new.meta WHERE name NOT IN ('targets', 'round')")
    cols = ", ".join(COLUMNS["customers"][:13])
    conn.execute(f"INSERT INTO customers SELECT {cols} FROM new.customers")
    for table in ("problems", "visits", "imports"):
        conn.execute(f"INSERT INTO {table} SELECT * FROM new.{table}")
    docs = ", ".join(COLUMNS["documents"][:6])  # version 3 added version and offer
    conn.execute(f"INSERT INTO documents SELECT {docs} FROM new.documents")
    conn.execute("DETACH DATABASE new")
    conn.execute("PRAGMA application_id = 1247433795")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_a_version_1_file_opens_after_a_backup_and_gains_the_sweep(first, tmp_path):
    c, _key = first
    old = tmp_path / "旧.jzt"
    _version_1_copy(c.path, old)
    before = old.read_bytes()
    assert SCHEMA_VERSION == 3
    with Campaign.open(old, readonly=True) as migrated:  # even a read-only look migrates
        assert len(migrated.visits()) == 5 and migrated.assignments() == {}
        assert not migrated.targets() and migrated.round()["number"] == 1
        assert {x.origin for x in migrated.customers()} == {"清单"}
        r = migrated.results("staff", today=TODAY)
        assert r.total.signed == 1 and dict(r.rows())["张三"].visited == 4
    backup = tmp_path / "旧（版本1备份）.jzt"
    with sqlite3.connect(backup) as conn:  # the file as it was, next to it
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 5
        assert "assignments" not in {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}  # fmt: skip
    conn.close()
    assert old.read_bytes() != before
    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT number FROM versions").fetchall() == [(1,)]
        for table, columns in COLUMNS.items():  # the same columns, in the same order
            have = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            assert have == list(columns), table
        meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
    conn.close()
    assert json.loads(meta["targets"]) == {} and json.loads(meta["round"])["number"] == 1
    with Campaign.open(old) as again:  # and it now takes the sweep
        again.assign(["张三"])
        again.set_targets(Targets(signed=2))
        assert again.assigned_counts() == {"张三": 6}
    assert not (tmp_path / "旧（版本1备份）-2.jzt").exists()  # migrated once


def test_an_edited_version_1_file_is_refused_before_any_backup(first, tmp_path):
    c, _key = first
    old = tmp_path / "旧.jzt"
    _version_1_copy(c.path, old)
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE visits SET intent = '成交' WHERE id = 1")
    conn.close()
    before = old.read_bytes()
    with pytest.raises(Exception, match="改动过"):
        Campaign.open(old)
    assert old.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "备份" in p.name] == []
