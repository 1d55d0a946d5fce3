"""A campaign file edited by another program (issue 18): whatever SQLite still accepts but
this program did not write — a value that is not JSON, an emptied table, a renamed
column, text in a number, a visit date that is no date — is refused by every command and
by the window with "营销活动文件已损坏或被其他程序改动过" (exit 1), and the file keeps its
bytes and its modification time. The edits are made here with sqlite3, as a user's
database tool would make them; a hypothesis test edits random cells and tables."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.campaign import Campaign, CampaignFileError
from core.campaign.decode import EDITED
from core.campaign.store_checks import COLUMNS
from tests.campaign_helpers import TODAY, build_campaign, export, fill, visit
from tests.fuzz_lists import customer_lists, write_list
from ui.cli.main import EXIT_INTERNAL, EXIT_OK, EXIT_USER_ERROR, run_cli


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A second-round campaign with a row in every table (customers of every origin,
    problems, visits and earlier rounds' visits, an import, a logged document, assignments,
    targets), its customer list and a filled 走访记录 sheet for it."""
    from core.campaign import Targets, Visit

    folder = tmp_path_factory.mktemp("edited")
    first_round = build_campaign(folder, n=30, seed=18)
    exported = export(first_round, folder / "走访表.xlsx")
    first = fill(exported, folder / "第一次.xlsx", {
        2: visit("2026-11-20", 意向="已成交", 签约套餐="畅享79元套餐", 是否见到决策人="是",
                 异议="价格、信号", 下次跟进日期="2026-12-05"),
        3: visit("2026-11-21", "李四", "考虑中", 方式="电话"),
    })  # fmt: skip
    with Campaign.open(first_round) as c:
        assert c.import_visits([first], today=TODAY).imported == 2
        c.add_walk_in("现场店", "13911112222", visitor="王五", today=TODAY,
                      visit=Visit(visit_date=TODAY, visitor="王五", intent="有意向"))  # fmt: skip
        c.assign(["张三", "李四"], only_unassigned=True)
        c.follow_up(folder / "第二轮.jzt", intents="已成交,考虑中,有意向", not_visited=True,
                    today=TODAY)  # fmt: skip
    camp = folder / "第二轮.jzt"
    with Campaign.open(camp) as c:
        assert len(c.customers()) == 31 and c.assignments()
        assert c.import_visits([first], today=TODAY).imported == 2
        c.log_documents("建议书", "默认", [c.customers()[0].key], ["甲.pdf"])
        c.set_targets(Targets(signed=10, staff={"张三": 5}))
        assert len(c._store.history()) == 3
    second = fill(exported, folder / "第二次.xlsx", {4: visit("2026-11-22", "张三", "有意向")})
    return camp, folder / "清单18.xlsx", second


def _edit(template: Path, folder: Path, statements: list[str]) -> tuple[Path, bytes, int]:
    path = folder / "改过.jzt"
    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    return path, path.read_bytes(), path.stat().st_mtime_ns


def _commands(camp: Path, listfile: Path, filled: Path, out: Path) -> list[list[str]]:
    c = str(camp)
    return [
        ["campaign", "info", c], ["campaign", "info", c, "--json"], ["results", c],
        ["results", c, "--by", "staff"], ["results", c, "--by", "grid", "--json"],
        ["report", "--campaign", c, "--out", str(out / "报表.xlsx")],
        ["report", str(listfile), "--campaign", c, "--out", str(out / "报表2.xlsx")],
        ["visits-export", c, "--out", str(out / "走访表.xlsx")],
        ["visits-export", c, "--out", str(out / "走访表2.xlsx"), "--not-visited"],
        ["visits-import", c, str(filled)],
        ["sheets", str(listfile), "--out", str(out / "反馈表"), "--campaign", c],
        ["proposals", str(listfile), "--out", str(out / "建议书"), "--campaign", c],
    ]  # fmt: skip


def _run(argv: list[str], capsys) -> tuple[int, str]:
    code = run_cli(argv)
    captured = capsys.readouterr()
    return code, captured.err


EDITS = {
    "meta value not JSON": ["UPDATE meta SET value = '{\"name\": ' WHERE name = 'info'"],
    "meta emptied": ["DELETE FROM meta"],
    "a meta value gone": ["DELETE FROM meta WHERE name = 'scheme'"],
    "meta NaN": ["UPDATE meta SET value = 'NaN' WHERE name = 'options'"],
    "info without a name": ["UPDATE meta SET value = json_set(value, '$.name', '') "
                            "WHERE name = 'info'"],
    "staff not a list": ["UPDATE meta SET value = json_set(value, '$.staff', 5) "
                         "WHERE name = 'info'"],
    "bands not contiguous": ["UPDATE meta SET value = json_set(value, '$.bands[1].low', 75) "
                             "WHERE name = 'scheme'"],
    "a package fee in words": ["UPDATE meta SET value = json_set(value, '$.packages[0].fee', "
                               "'三十九') WHERE name = 'catalog'"],
    "rules a list": ["UPDATE meta SET value = '[]' WHERE name = 'rules'"],
    "columns an object": ["UPDATE meta SET value = '{}' WHERE name = 'columns'"],
    "customer data not JSON": ["UPDATE customers SET data = 'nope' WHERE seq = 3"],
    "customer data a list": ["UPDATE customers SET data = '[1, 2]' WHERE seq = 2"],
    "customer spend in words": ["UPDATE customers SET data = json_set(data, '$.spend', '很多') "
                                "WHERE seq = 1"],
    "customer JSON infinite": ["UPDATE customers SET offer = json_set(offer, '$.diff_month', "
                               "json('1e999')) WHERE seq = 5"],
    "customer JSON nested": ["UPDATE customers SET data = json_set(data, '$.grid', "
                             "json('[1]')) WHERE seq = 6"],
    "customer offer emptied": ["UPDATE customers SET offer = '' WHERE seq = 7"],
    "spend column text": ["UPDATE customers SET spend = 'abc' WHERE seq = 4"],
    "key a blob": ["UPDATE customers SET key = X'00FF' WHERE seq = 8"],
    "column renamed": ["ALTER TABLE customers RENAME COLUMN name TO 名称"],
    "table renamed": ["ALTER TABLE visits RENAME TO 走访"],
    "table dropped": ["DROP TABLE imports"],
    "write-ahead log": ["PRAGMA journal_mode = WAL"],
    "a table made a view": ["DROP TABLE problems", "CREATE VIEW problems AS SELECT 1 AS row, "
                            "'phone' AS field, 'bad' AS code, '坏' AS message"],
    "a trigger": ["CREATE TRIGGER wipe AFTER INSERT ON visits BEGIN DELETE FROM visits; END"],
    "visit date no date": ["UPDATE visits SET visit_date = '下周一' WHERE id = 1"],
    "visit date impossible": ["UPDATE visits SET visit_date = '2026-02-30' WHERE id = 1"],
    "visit intent outside the list": ["UPDATE visits SET intent = '成交' WHERE id = 1"],
    "visit met 2": ["UPDATE visits SET met = 2 WHERE id = 2"],
    "visit fee in words": ["UPDATE visits SET signed_fee = '很多' WHERE id = 1"],
    "visit objection unknown": ["UPDATE visits SET objections = '价格、太贵' WHERE id = 1"],
    "visit follow-up no date": ["UPDATE visits SET follow_up = 'soon' WHERE id = 1"],
    "visit of nobody": ["UPDATE visits SET customer_key = 'KNOBODY1' WHERE id = 2"],
    "visit visitor empty": ["UPDATE visits SET visitor = '' WHERE id = 2"],
    "import counts in words": ["UPDATE imports SET rows = '两行'"],
    "document kind a blob": ["UPDATE documents SET kind = X'01'"],
    "problem message a blob": ["UPDATE problems SET message = X'FF' WHERE rowid = 1"],
    "origin outside the list": ["UPDATE customers SET origin = '外星' WHERE seq = 2"],
    "added_at a number": ["UPDATE customers SET added_at = 5 WHERE origin = '现场新增'"],
    "assignment of nobody": ["UPDATE assignments SET customer_key = 'KNOBODY1' WHERE rowid = 1"],
    "assignment to nobody": ["UPDATE assignments SET person = '  ' WHERE rowid = 1"],
    "assignment how unknown": ["UPDATE assignments SET how = 'random' WHERE rowid = 1"],
    "history round 0": ["UPDATE history SET round = 0 WHERE id = 1"],
    "history intent outside the list": ["UPDATE history SET intent = '成交' WHERE id = 1"],
    "history date no date": ["UPDATE history SET visit_date = '上周' WHERE id = 1"],
    "sweep table dropped": ["DROP TABLE assignments"],
    "history table dropped": ["DROP TABLE history"],
    "origin column gone": ["ALTER TABLE customers DROP COLUMN added_at"],
    "targets negative": ["UPDATE meta SET value = '{\"signed\": -3}' WHERE name = 'targets'"],
    "targets in words": ["UPDATE meta SET value = json_set(value, '$.staff.张三', '五') "
                         "WHERE name = 'targets'"],
    "round gone": ["DELETE FROM meta WHERE name = 'round'"],
    "round without the previous": ["UPDATE meta SET value = json_set(value, '$.previous', "
                                   "json('null')) WHERE name = 'round'"],
}  # fmt: skip


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edited_campaign_is_refused_everywhere_and_left_as_it_was(
    name, made, tmp_path, capsys, qapp
):
    template, listfile, filled = made
    camp, before, mtime = _edit(template, tmp_path, EDITS[name])
    out = tmp_path / "输出"
    out.mkdir()
    for argv in _commands(camp, listfile, filled, out):
        code, err = _run(argv, capsys)
        assert code == EXIT_USER_ERROR, (argv, code, err)
        assert EDITED in err and "备份" in err and "Traceback" not in err, (argv, err)
    assert camp.read_bytes() == before and camp.stat().st_mtime_ns == mtime
    assert list(out.iterdir()) == []  # no report, sheet or letter left behind
    assert [p.name for p in tmp_path.iterdir() if p.name != "输出"] == [camp.name]  # no journal
    with pytest.raises(CampaignFileError, match=EDITED):
        Campaign.open(camp, readonly=True)


def test_the_unedited_file_passes_every_command(made, tmp_path, capsys, qapp):
    template, listfile, filled = made
    camp, _before, _mtime = _edit(template, tmp_path, [])
    out = tmp_path / "输出"
    out.mkdir()
    for argv in _commands(camp, listfile, filled, out):
        code, err = _run(argv, capsys)
        assert code == EXIT_OK, (argv, err)


# --- random edits ------------------------------------------------------------------------------

ODD_VALUES = [
    None, "", " ", "x", "下周一", "{", "[]", "{}", '{"spend": "很多"}', '{"a": [1]}', "NaN",
    "2026-02-30", "2026-11-20", "已成交", "价格、太贵", 0, 1, 2, -1, 1e308, 10**18, 0.5,
    b"\x00\xff", "1e999", '{"diff_month": 1e999}', "9" * 400,
]  # fmt: skip
CELLS = [(table, column) for table, columns in COLUMNS.items() for column in columns
         if (table, column) not in (("visits", "id"), ("documents", "id"), ("imports", "id"),
                                    ("history", "id"))]  # fmt: skip
META_PATHS = ["$.name", "$.staff", "$.bands", "$.bands[0].low", "$.bands[1].label",
              "$.packages", "$.packages[0].fee", "$.packages[0].name", "$.source",
              "$.start_date", "$.file", "$", "$.signed", "$.staff.张三", "$.number",
              "$.previous", "$.previous.file"]  # fmt: skip
META_NAMES = ["app", "created_at", "info", "source", "columns", "options", "scheme", "catalog",
              "rules", "targets", "round"]  # fmt: skip


def _cell_edit(cell: tuple[str, str], value: object, row: int) -> list[str]:
    table, column = cell
    literal = ("NULL" if value is None else f"X'{value.hex()}'" if isinstance(value, bytes)
               else repr(value) if isinstance(value, int | float)
               else "'" + str(value).replace("'", "''") + "'")  # fmt: skip
    return [f"UPDATE {table} SET {column} = {literal} WHERE rowid = "
            f"(SELECT rowid FROM {table} ORDER BY rowid LIMIT 1 OFFSET {row})"]  # fmt: skip


def _json_edit(name: str, path: str, value: object) -> list[str]:
    literal = ("NULL" if value is None or isinstance(value, bytes)
               else repr(value) if isinstance(value, int | float)
               else "'" + str(value).replace("'", "''") + "'")  # fmt: skip
    return [f"UPDATE meta SET value = json_set(value, '{path}', {literal}) WHERE name = '{name}'"]


edits = st.one_of(
    st.builds(_cell_edit, st.sampled_from(CELLS), st.sampled_from(ODD_VALUES), st.integers(0, 3)),
    st.builds(
        _json_edit,
        st.sampled_from(META_NAMES),
        st.sampled_from(META_PATHS),
        st.sampled_from(ODD_VALUES),
    ),
    st.sampled_from([[s] for statements in EDITS.values() for s in statements]),
    st.sampled_from(
        [[f"DELETE FROM {t}"] for t in COLUMNS] + [[f"DROP TABLE {t}"] for t in COLUMNS]
    ),
)
READ_ONLY = ("campaign", "results", "report")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(changes=st.lists(edits, min_size=1, max_size=3))
def test_random_edits_never_crash_and_a_refused_file_is_untouched(changes, made, capsys):
    template, listfile, filled = made
    folder = Path(tempfile.mkdtemp(prefix="edited_"))
    try:
        try:
            camp, before, mtime = _edit(template, folder, [s for c in changes for s in c])
        except sqlite3.Error:  # an edit SQLite itself refuses (NOT NULL, a unique key …)
            return
        out = folder / "输出"
        out.mkdir()
        commands = [a for a in _commands(camp, listfile, filled, out)
                    if a[0] not in ("sheets", "proposals")]  # fmt: skip
        for argv in commands:
            code, err = _run(argv, capsys)
            assert code in (EXIT_OK, EXIT_USER_ERROR), (argv, code, err)
            assert code != EXIT_INTERNAL and "Traceback" not in err
            if code == EXIT_USER_ERROR or argv[0] in READ_ONLY:
                assert camp.read_bytes() == before and camp.stat().st_mtime_ns == mtime, argv
            if code == EXIT_USER_ERROR:
                assert not any(p.is_file() and p.suffix == ".xlsx" for p in out.iterdir()), argv
            else:
                before, mtime = camp.read_bytes(), camp.stat().st_mtime_ns  # a command saved
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- what the program writes always passes -----------------------------------------------------


def test_the_checks_know_the_schema_the_program_writes(tmp_path):
    from core.base.money import MAX_MONTHLY_SPEND
    from core.campaign.store import Store
    from core.campaign.store_checks import MAX_FEE

    store = Store.create(tmp_path / "空.jzt")
    try:
        for table, columns in COLUMNS.items():
            have = [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]
            assert have == list(columns), table
    finally:
        store.close()
    assert MAX_FEE == MAX_MONTHLY_SPEND


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=customer_lists)
def test_every_campaign_made_from_an_odd_list_opens(data, capsys):
    """Lists where any cell may be odd (tests/cli/test_cli_fuzz.py): the campaign made from one
    is never mistaken for an edited file."""
    kind, rows = data
    folder = Path(tempfile.mkdtemp(prefix="odd_list_"))
    try:
        listfile = write_list(folder, kind, rows)
        camp = folder / "活动.jzt"
        code, err = _run(["campaign", "new", str(camp), "--list", str(listfile)], capsys)
        if code != EXIT_OK:
            assert code == EXIT_USER_ERROR and EDITED not in err
            return
        for argv in (["campaign", "info", str(camp), "--json"], ["results", str(camp)],
                     ["visits-export", str(camp), "--out", str(folder / "表.xlsx")]):  # fmt: skip
            code, err = _run(argv, capsys)
            assert code == EXIT_OK, (argv, err)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_list_columns_named_like_the_frames_own_give_way(tmp_path, capsys):
    """A list with columns called key / visits / last_visit: the campaign's own key and
    visit status win in the window's table and the report (no crash, no doubled column)."""
    import openpyxl

    listfile = tmp_path / "清单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["用户号码", "客户名称", "月均消费", "key", "visits", "last_visit"])
    wb.active.append(["13800000001", "甲店", 50, "k1", "很多", "昨天"])
    wb.active.append(["13800000002", "乙店", 150, "k2", "很多", "昨天"])
    wb.save(listfile)
    camp = tmp_path / "活动.jzt"
    assert _run(["campaign", "new", str(camp), "--list", str(listfile)], capsys)[0] == EXIT_OK
    with Campaign.open(camp) as c:
        frame = c.customers_frame()
        keys = [x.key for x in c.customers()]
    assert frame.columns.is_unique
    assert frame["key"].tolist() == keys and frame["visits"].tolist() == [0, 0]
    code, err = _run(["report", "--campaign", str(camp), "--out", str(tmp_path / "报表.xlsx")],
                     capsys)  # fmt: skip
    assert code == EXIT_OK, err


def test_the_checks_know_every_field_of_a_package():
    """A package field added to the catalog must be known to the open-time checks, or every
    new campaign would be refused as edited by another program."""
    import dataclasses

    from core.campaign import decode
    from core.marketing.catalog import Package

    assert {f.name for f in dataclasses.fields(Package)} == set(decode._PACKAGE_KEYS)
