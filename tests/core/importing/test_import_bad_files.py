"""Issue 18, reading: any file, any size, never kills the process.

The reproductions, each generated here: the 5 KB list with a stray value at XFD1048576, the
sample list with one at AP1048576 (.xlsx and .ods), the .ods whose repeated cell stands for
billions. Each command runs in a fresh process so that its peak memory is its own.
"""

from __future__ import annotations

import pandas as pd
import pytest

from core.base.errors import ImportFailed
from core.importing import import_file, xlsx_scan
from core.importing.too_large import SheetTooLarge
from tests.bad_files import (
    corner_xlsx,
    ods_cell,
    ods_row,
    run_fresh,
    sample_with_stray,
    write_ods,
)
from tests.import_helpers import write_messy_xlsx

pytest.importorskip("resource")  # peak memory of a child process (Linux, macOS)


def test_corner_file_answers_in_seconds_with_little_memory(tmp_path):
    path = corner_xlsx(tmp_path / "角落.xlsx")
    assert path.stat().st_size < 8_000
    run = run_fresh(["inspect", str(path), "--json"])
    assert run.code == 0, run.err  # was: Rust "memory allocation … failed", exit 134
    assert run.peak_mb < 200 and run.seconds < 20
    found = run.json()
    assert found["customers"] == 1 and found["rows"] == 2
    assert found["unmapped_columns"] == ["第XFD列"]  # the stray value, in its own column
    assert {p["row"] for p in found["problems"]} == {1048576}  # listed, not lost


@pytest.mark.parametrize("command", ["report", "campaign"])
def test_corner_file_in_report_and_campaign(tmp_path, command):
    path = corner_xlsx(tmp_path / "角落.xlsx")
    if command == "report":
        argv = ["report", str(path), "--out", str(tmp_path / "报表.xlsx")]
    else:
        argv = ["campaign", "new", str(tmp_path / "活动.jzt"), "--list", str(path)]
    run = run_fresh(argv)
    assert run.code == 0, run.err
    assert run.peak_mb < 250


def test_sample_with_a_stray_far_cell_stays_small(tmp_path):
    plain = import_file(sample_with_stray(tmp_path / "plain.xlsx", far="A1"), remember=False)
    path = sample_with_stray(tmp_path / "多余.xlsx")
    run = run_fresh(["inspect", str(path), "--json"])
    assert run.code == 0, run.err  # was: 2.1 GB
    assert run.peak_mb < 300
    found = run.json()
    assert found["customers"] == plain.customer_count  # the same 316 customers
    assert 1048576 in {p["row"] for p in found["problems"]}


def test_visits_import_with_a_stray_far_cell(tmp_path):
    import openpyxl

    from tests.campaign_helpers import export
    from ui.cli.main import run_cli

    camp = tmp_path / "活动.jzt"
    sample = sample_with_stray(tmp_path / "s.xlsx", far="A1")
    assert run_cli(["campaign", "new", str(camp), "--list", str(sample)]) == 0
    sheet = export(camp, tmp_path / "走访表.xlsx")
    wb = openpyxl.load_workbook(sheet)
    wb["走访记录"]["XFD1048576"] = "x"
    wb.save(sheet)
    run = run_fresh(["visits-import", str(camp), str(sheet), "--json"])
    assert run.code == 0, run.err
    assert run.peak_mb < 250


def _same_import(path, monkeypatch) -> None:
    by_block = import_file(path, remember=False)
    monkeypatch.setattr(xlsx_scan.Extent, "fits_calamine", lambda self: False)
    by_rows = import_file(path, remember=False)
    monkeypatch.undo()
    assert by_rows.summary() == by_block.summary()
    pd.testing.assert_frame_equal(by_rows.customers, by_block.customers)


def test_reading_by_rows_gives_what_calamine_gives(tmp_path, monkeypatch):
    """The row reader must not change a single value, date, merged cell or row number."""
    _same_import(sample_with_stray(tmp_path / "sample.xlsx", far="A1"), monkeypatch)
    _same_import(write_messy_xlsx(tmp_path / "messy.xlsx", notes_sheet=True), monkeypatch)


def test_a_stray_cell_keeps_row_numbers_and_column_letters(tmp_path):
    path = sample_with_stray(tmp_path / "多余.xlsx", far="AP1048576")
    res = import_file(path, remember=False, overrides={"address": "AP"})  # the far column
    assert res.mapping["address"] == "第AP列"
    far = res.customers[res.customers["source_row"] == 1048576]
    assert far["address"].tolist() == ["多余"]
    assert res.customers["source_row"].iloc[0] == 5  # the sample's first customer row


def test_ods_with_a_stray_far_cell(tmp_path):
    rows = [
        ods_row([ods_cell("城东市场客户清单", number_columns_spanned="3"), ods_cell(repeat=2)]),
        ods_row(
            [
                ods_cell("用户号码"),
                ods_cell("月均消费"),
                ods_cell("入网时间"),
                ods_cell(repeat=16381),
            ]
        ),
        ods_row(
            [
                ods_cell("13800138000"),
                ods_cell(88.5),
                ods_cell(("date", "2019-03-05")),
                ods_cell(repeat=16381),
            ]
        ),
        ods_row([ods_cell(repeat=16384)], repeat=1048572),
        ods_row([ods_cell(repeat=41), ods_cell("多余")]),
    ]
    path = write_ods(tmp_path / "多余.ods", {"客户": rows})
    run = run_fresh(["inspect", str(path), "--json"])
    assert run.code == 0, run.err  # calamine: 3.5 GB for such a sheet
    assert run.peak_mb < 200
    res = import_file(path, remember=False)
    assert res.header_row == 2 and res.customer_count == 1
    assert str(res.customers["join_date"].iloc[0])[:10] == "2019-03-05"
    assert res.customers["spend"].iloc[0] == 88.5
    assert 1048576 in set(res.customers["source_row"])


def test_ods_repeated_value_standing_for_billions_is_refused(tmp_path):
    rows = [
        ods_row([ods_cell("用户号码"), ods_cell("月均消费")]),
        ods_row([ods_cell(1, repeat=16384)], repeat=1048575),
    ]
    path = write_ods(tmp_path / "炸弹.ods", {"客户": rows})
    with pytest.raises(SheetTooLarge, match="表格太大"):
        import_file(path, remember=False)
    run = run_fresh(["inspect", str(path)])
    assert run.code == 1 and "表格太大" in run.err and "Ctrl+End" in run.err
    assert run.peak_mb < 300


def test_an_allocation_that_fails_is_a_chinese_message(tmp_path, monkeypatch):
    from core.importing import readers

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(readers, "_columns_from_rows", no_memory)
    path = write_messy_xlsx(tmp_path / "清单.xlsx")
    with pytest.raises(SheetTooLarge) as err:
        import_file(path, remember=False)
    assert isinstance(err.value, ImportFailed) and "内存" in err.value.message
    from ui.cli.main import run_cli

    assert run_cli(["inspect", str(path)]) == 1


def test_a_grid_too_big_even_compacted_is_refused(tmp_path, monkeypatch):
    from core.importing import too_large

    monkeypatch.setattr(too_large, "MAX_GRID_CELLS", 100)
    monkeypatch.setattr(xlsx_scan.Extent, "fits_calamine", lambda self: False)
    with pytest.raises(SheetTooLarge, match="表格太大"):
        import_file(corner_xlsx(tmp_path / "角落.xlsx", far="CV200"), remember=False)
