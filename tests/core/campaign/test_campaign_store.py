"""The campaign file: what it holds, single saves, and files that are not (whole) campaigns."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
import zipfile

import pytest

from core.base.errors import InvalidInput, OutputExists
from core.campaign import Campaign, CampaignFileError, CampaignInfo, Visit, VisitConflict
from core.campaign import store as store_module
from core.campaign.filecheck import APPLICATION_ID
from tests.campaign_helpers import TODAY, build_campaign, copy_campaign


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_campaign(tmp_path_factory.mktemp("tpl"), n=40)


@pytest.fixture
def camp(template, tmp_path):
    return copy_campaign(template, tmp_path)


def _visit(**kw) -> Visit:
    base = {"visit_date": dt.date(2026, 11, 20), "visitor": "张三", "intent": "有意向"}
    return Visit(**(base | kw))


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_file_holds_the_campaign(camp):
    with Campaign.open(camp) as c:
        info = c.info
        assert (info.name, info.branch, info.staff) == ("城东扫场", "城东分公司", ("张三", "李四"))
        src = c.source()
        assert src["file"] == "清单4.xlsx" and len(src["sha256"]) == 64
        assert src["mapping"]["spend"] == "近三月ARPU(元)" and src["sheet"]
        customers = c.customers()
        assert len(customers) == c.counts()["customers"] >= 35
        assert all(len(x.key) == 8 and x.key.startswith("K") for x in customers)
        assert len({x.key for x in customers}) == len(customers)
        assert c.scheme().labels == ["低端", "中端", "中高端", "高端"]
        assert len(c.catalog().packages) >= 10 and c.rules().get("高端") is not None
        assert customers[0].offer["offer_package"] == customers[0].offer_package
        assert all("id_number" not in x.data for x in customers)  # 证件号码 never stored
        assert c.problems() and {"row", "code", "message"} <= set(c.problems()[0])
        frame = c.customers_frame()
        assert list(frame["key"]) == [x.key for x in customers]
        assert {"band", "offer_package", "visits", "last_intent"} <= set(frame.columns)
    raw = camp.read_bytes()
    assert raw[:16] == b"SQLite format 3\x00"
    assert int.from_bytes(raw[68:72], "big") == APPLICATION_ID
    assert not (camp.parent / f"{camp.name}-journal").exists()


def test_keys_are_stable_from_the_same_list(tmp_path, template):
    again = build_campaign(tmp_path, n=40)  # the same list once more
    with Campaign.open(template) as a, Campaign.open(again) as b:
        assert [x.key for x in a.customers()] == [x.key for x in b.customers()]


def test_single_saves(camp):
    with Campaign.open(camp) as c:
        key = c.customers()[3].key
        first = c.add_visit(key, _visit(met="是", objections="价格、信号"), today=TODAY)
        assert first.visit.met is True and first.visit.objections == ("价格", "信号")
        assert first.source == "录入" and first.id > 0
        assert c.add_visit(key, _visit(met=True, objections=("信号", "价格")), TODAY) == first
        with pytest.raises(VisitConflict, match="已有一条不同的记录"):
            c.add_visit(key, _visit(intent="无意向"), today=TODAY)
        second = c.add_visit(key, _visit(visit_date="2026-11-25", intent="已成交",
                                         signed_package="畅享99元套餐"), today=TODAY)  # fmt: skip
        assert second.visit.signed_fee == 99.0  # from the catalog snapshot
        assert [v.id for v in c.visits_for(key)] == [first.id, second.id]
        changed = c.update_visit(first.id, _visit(intent="考虑中"), today=TODAY)
        assert changed.visit.intent == "考虑中"
        with pytest.raises(VisitConflict):
            c.update_visit(first.id, _visit(visit_date="2026-11-25"), today=TODAY)
        c.delete_visit(second.id)
        assert [v.id for v in c.visits_for(key)] == [first.id]
        with pytest.raises(InvalidInput, match="意向“很好”"):
            c.add_visit(key, _visit(intent="很好"), today=TODAY)
        with pytest.raises(InvalidInput, match="晚于今天"):
            c.add_visit(key, _visit(visit_date="2026-12-30"), today=TODAY)
        with pytest.raises(InvalidInput, match="没有客户编号"):
            c.add_visit("K0000000", _visit(), today=TODAY)
    with Campaign.open(camp, readonly=True) as c:  # on disk as soon as the call returned
        assert [v.visit.intent for v in c.visits()] == ["考虑中"]


def test_documents_log(camp):
    with Campaign.open(camp) as c:
        keys = [x.key for x in c.customers()[:3]]
        assert c.log_documents("建议书", "建议书.txt", keys, ["a.pdf", "b.pdf", "c.pdf"]) == 3
        logged = c.documents(keys[1])
        assert [(d.kind, d.template, d.output) for d in logged] == [
            ("建议书", "建议书.txt", "b.pdf")
        ]
        assert logged[0].created
        with pytest.raises(InvalidInput, match="没有这些客户"):
            c.log_documents("建议书", "x", ["K0000000"])
        assert c.counts()["documents"] == 3


def test_info_can_change_and_save_as_copies_everything(camp, tmp_path):
    with Campaign.open(camp) as c:
        c.add_visit(c.customers()[0].key, _visit(), today=TODAY)
        c.update_info(CampaignInfo(name="新名字", staff=("王五",), start_date="2026-11-01"))
        copy = c.save_as(tmp_path / "副本.jzt")
        with pytest.raises(OutputExists):
            c.save_as(copy)
    with Campaign.open(copy) as d:
        assert d.info.name == "新名字" and d.info.start_date == dt.date(2026, 11, 1)
        assert len(d.visits()) == 1
    with pytest.raises(InvalidInput, match="早于开始日期"):
        CampaignInfo(name="x", start_date="2026-12-01", end_date="2026-11-01")
    with pytest.raises(InvalidInput, match="名称"):
        CampaignInfo(name="  ")


def test_create_refuses_to_overwrite(template, tmp_path):
    existing = copy_campaign(template, tmp_path, "活动4.jzt")  # the name build_campaign uses
    before = _digest(existing)
    with pytest.raises(OutputExists):
        build_campaign(tmp_path, n=10, seed=4)
    assert _digest(existing) == before


def _other_program_db(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('别人的数据')")
    conn.commit()
    conn.close()
    return path


def _excel_renamed(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return path


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: _excel_renamed(p), "Excel/WPS"),
        (lambda p: _other_program_db(p), "其他程序的数据库"),
        (lambda p: p.write_bytes(b""), "空的"),
        (lambda p: p.write_bytes(b"hello, this is text"), "不是营销活动文件"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x10\x00"), "不完整"),
    ],
)
def test_foreign_files_are_refused_and_left_alone(tmp_path, make, words):
    path = tmp_path / "看起来像活动.jzt"
    make(path)
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(CampaignFileError, match=words) as info:
            Campaign.open(path, readonly=readonly)
        assert info.value.hint  # says what to do
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("keep", [0.5, 0.9, 4096 + 100])
def test_truncated_campaign_is_refused_and_left_alone(camp, keep):
    raw = camp.read_bytes()
    cut = raw[: int(len(raw) * keep) if keep < 1 else int(keep)]
    camp.write_bytes(cut)
    with pytest.raises(CampaignFileError, match=r"不完整|已损坏") as info:
        Campaign.open(camp)
    assert "没有改动" in info.value.hint
    assert camp.read_bytes() == cut
    assert not (camp.parent / f"{camp.name}-journal").exists()


def test_damaged_page_is_refused(camp):
    raw = bytearray(camp.read_bytes())
    page = int.from_bytes(raw[16:18], "big")
    raw[page * 2 : page * 2 + 200] = b"\xff" * 200  # scribble over a table page
    camp.write_bytes(bytes(raw))
    with pytest.raises(CampaignFileError, match="已损坏"):
        Campaign.open(camp)
    assert camp.read_bytes() == bytes(raw)


def test_newer_file_is_refused(camp):
    conn = sqlite3.connect(camp)
    conn.execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION + 1}")
    conn.close()
    before = _digest(camp)
    with pytest.raises(CampaignFileError, match="更新版本"):
        Campaign.open(camp)
    assert _digest(camp) == before


def test_older_file_is_migrated_after_a_backup(camp, monkeypatch):
    """The migration mechanism: version n → n+1 steps, a backup copy first."""
    with Campaign.open(camp) as c:
        c.add_visit(c.customers()[0].key, _visit(), today=TODAY)
    old = camp.read_bytes()

    def add_column(conn):
        conn.execute("ALTER TABLE visits ADD COLUMN photo TEXT NOT NULL DEFAULT ''")

    version = store_module.SCHEMA_VERSION
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", version + 1)
    monkeypatch.setitem(store_module.MIGRATIONS, version, add_column)
    with Campaign.open(camp) as c:
        assert len(c.visits()) == 1
    backup = camp.with_name(f"{camp.stem}（版本{version}备份）{camp.suffix}")
    assert backup.exists()
    with sqlite3.connect(backup) as b:
        assert b.execute("PRAGMA user_version").fetchone()[0] == version
        assert b.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 1
    b.close()
    with sqlite3.connect(camp) as m:
        assert m.execute("PRAGMA user_version").fetchone()[0] == version + 1
        cols = [r[1] for r in m.execute("PRAGMA table_info(visits)")]
    m.close()
    assert "photo" in cols and camp.read_bytes() != old


def test_a_version_without_migration_is_refused_untouched(camp, monkeypatch):
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", store_module.SCHEMA_VERSION + 2)
    before = _digest(camp)
    with pytest.raises(CampaignFileError, match="太旧"):
        Campaign.open(camp)
    assert _digest(camp) == before


def test_readonly_open_cannot_write(camp):
    with Campaign.open(camp, readonly=True) as c, pytest.raises(CampaignFileError, match="只读"):
        c.add_visit(c.customers()[0].key, _visit(), today=TODAY)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(CampaignFileError, match="找不到营销活动文件"):
        Campaign.open(tmp_path / "没有.jzt")
    with pytest.raises(CampaignFileError, match="文件夹"):
        Campaign.open(tmp_path)


def test_copy_while_open_is_a_whole_campaign(camp, tmp_path):
    """Between changes the single .jzt file is complete: copying it (USB stick) works."""
    with Campaign.open(camp) as c:
        c.add_visit(c.customers()[0].key, _visit(), today=TODAY)
        shutil.copyfile(camp, tmp_path / "u盘.jzt")
    with Campaign.open(tmp_path / "u盘.jzt") as d:
        assert len(d.visits()) == 1


def test_unfinished_transaction_is_rolled_back_on_open(camp):
    """A process killed inside a transaction leaves a hot journal; opening (even read-only)
    rolls it back and the campaign holds exactly what was committed."""
    import subprocess
    import sys

    with Campaign.open(camp) as c:
        problems = len(c.problems())
    code = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA cache_size = 1')\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.executemany('INSERT INTO problems VALUES (?, ?, ?, ?)',"
        " [(i, 'x', 'y', 'z' * 500) for i in range(3000)])\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(camp)], check=False)
    assert (camp.parent / f"{camp.name}-journal").exists()
    with Campaign.open(camp, readonly=True) as c:
        assert len(c.problems()) == problems
        with pytest.raises(CampaignFileError, match="只读"):
            c.add_visit(c.customers()[0].key, _visit(), today=TODAY)
    assert not (camp.parent / f"{camp.name}-journal").exists()
