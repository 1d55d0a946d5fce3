"""A full disk is never a success: every command that writes ends with exit 1 and one
Chinese message naming the folder and the space needed, and leaves the folder as it was.

Two kinds of full disk: a simulated one (``os.write`` past a budget raises ENOSPC, runs
everywhere) and a real 300 KB tmpfs (Linux as root; skipped with the reason elsewhere).
"""

from __future__ import annotations

import errno
import gc
import os
import sqlite3
from pathlib import Path

import pytest

from tests.disk_helpers import Budget, mount_tmpfs, snapshot, unmount
from tests.paths import ROOT
from ui.cli.main import EXIT_OK, EXIT_USER_ERROR, run_cli

SAMPLE = str(ROOT / "resources" / "示例客户清单.xlsx")


@pytest.fixture(scope="module")
def campaign_file(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("camp") / "城东.jzt")
    assert run_cli(["campaign", "new", path, "--list", SAMPLE]) == EXIT_OK
    return path


def _run(argv: list[str], capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = run_cli([str(a) for a in argv])
    gc.collect()  # a writer left half-closed would complain now ("Exception ignored in")
    return code, capsys.readouterr().err


def _refused(code: int, err: str, folder: Path, reason: str = "磁盘空间不足") -> None:
    assert code == EXIT_USER_ERROR, err
    assert err.count("错误：") == 1 and reason in err and str(folder) in err, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert ".~" not in err  # never our temporary name


def _commands(folder: Path, campaign: str) -> dict[str, list]:
    return {
        "report": ["report", SAMPLE, "--out", folder / "报表.xlsx"],
        "offers": ["offers", SAMPLE, "--out", folder / "推荐套餐.xlsx"],
        "chart-pdf": ["chart", SAMPLE, "--kind", "pareto", "--out", folder / "二八.pdf"],
        "chart-png": ["chart", SAMPLE, "--kind", "pyramid", "--out", folder / "金字塔.png"],
        "chart-svg": ["chart", SAMPLE, "--kind", "bands", "--out", folder / "分档.svg"],
        "visits-export": ["visits-export", campaign, "--out", folder / "走访表.xlsx"],
        "proposals": ["proposals", SAMPLE, "--out", folder / "活动", "--band", "高端",
                      "--format", "both", "--combined"],
        "sheets": ["sheets", SAMPLE, "--out", folder / "活动", "--band", "高端", "--combined"],
    }  # fmt: skip


SIMPLE = ["report", "offers", "chart-pdf", "chart-png", "chart-svg", "visits-export"]


# --------------------------------------------------------------------------- simulated
@pytest.mark.parametrize("name", SIMPLE)
def test_a_write_that_fills_the_disk_is_refused_and_leaves_nothing(
    name, tmp_path, campaign_file, monkeypatch, capsys, qapp
):
    disk = tmp_path / "满的盘"
    disk.mkdir()
    (disk / "别人的文件.txt").write_text("留着")
    before = snapshot(disk)
    budget = Budget(monkeypatch, disk, free=6_000)
    code, err = _run(_commands(disk, campaign_file)[name], capsys)
    _refused(code, err, disk)
    assert "大约需要" in err and "只剩" in err
    assert budget.refused >= 1  # the write really hit the full disk
    assert snapshot(disk) == before


@pytest.mark.parametrize("name", ["proposals", "sheets"])
def test_letters_filling_the_disk_midway_leave_nothing(name, tmp_path, campaign_file,
                                                       monkeypatch, capsys, qapp):  # fmt: skip
    """The free space looked enough (the system could not tell), the disk fills during
    the run: exit 1, the space needed, no staging folder, no empty folders."""
    disk = tmp_path / "满的盘"
    disk.mkdir()
    before = snapshot(disk)
    budget = Budget(monkeypatch, disk, free=200_000, report_free=False)
    code, err = _run(_commands(disk, campaign_file)[name], capsys)
    _refused(code, err, disk / "活动")
    assert "这 16 份" in err and "大约需要" in err
    assert budget.refused >= 1
    assert snapshot(disk) == before


def test_letters_are_refused_before_writing_when_the_space_is_short(tmp_path, monkeypatch,
                                                                    capsys, qapp):  # fmt: skip
    disk = tmp_path / "满的盘"
    disk.mkdir()
    budget = Budget(monkeypatch, disk, free=300_000)
    code, err = _run(["proposals", SAMPLE, "--out", disk / "活动", "--combined"], capsys)
    _refused(code, err, disk / "活动")
    assert "这 316 份客户建议书" in err and "只剩 293 KB" in err
    needed = float(err.split("大约需要 ")[1].split(" MB")[0])
    assert 8 < needed < 40  # 316 letters of ~45 KB and the print file: ~15 MB here
    assert budget.free == 300_000  # not one byte written
    assert snapshot(disk) == {}


def test_an_existing_file_survives_a_failed_overwrite(tmp_path, monkeypatch, capsys):
    disk = tmp_path / "满的盘"
    disk.mkdir()
    out = disk / "报表.xlsx"
    out.write_bytes(b"last week's report")
    Budget(monkeypatch, disk, free=4_000)
    code, err = _run(["report", SAMPLE, "--out", out, "--force"], capsys)
    _refused(code, err, disk)
    assert out.read_bytes() == b"last week's report"
    assert [p.name for p in disk.iterdir()] == ["报表.xlsx"]


def test_the_print_file_is_checked_although_qt_says_nothing(tmp_path, monkeypatch, capsys,
                                                            qapp):  # fmt: skip
    """QPdfWriter never reports a write error; the QFile under it does (checked per group)."""
    from ui.render.pdf import PdfFile

    def full(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.path))

    monkeypatch.setattr(PdfFile, "check", full)
    out = tmp_path / "活动"
    code, err = _run(["sheets", SAMPLE, "--out", out, "--band", "高端", "--combined"], capsys)
    _refused(code, err, out)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_network_share_that_fails_on_close(tmp_path, monkeypatch, capsys):
    """Some shares report a failed write only when the file is closed."""
    folder = tmp_path / "共享"
    folder.mkdir()
    budget = Budget(monkeypatch, folder, free=10**9)
    real_close = os.close

    def close(fd: int) -> None:
        ours = fd in budget.fds
        real_close(fd)
        if ours:
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "close", close)
    code, err = _run(["offers", SAMPLE, "--out", folder / "推荐.xlsx"], capsys)
    _refused(code, err, folder, reason="存储设备出错或已被拔出")
    assert list(folder.iterdir()) == []


def test_a_new_campaign_names_the_target_not_its_temporary_file(tmp_path, monkeypatch, capsys):
    from core.campaign.store import Store

    def full(self, rows) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "add_customers", full)
    code, err = _run(["campaign", "new", tmp_path / "城东.jzt", "--list", SAMPLE], capsys)
    _refused(code, err, tmp_path)
    assert "“城东.jzt”" in err and "大约需要" in err
    assert list(tmp_path.iterdir()) == []


def test_settings_and_templates_on_a_full_disk(tmp_path, monkeypatch):
    from core.base import OutputFailed, atomic_write_text, data_dir, load_settings, save_settings

    settings = load_settings()
    Budget(monkeypatch, data_dir(), free=10)
    with pytest.raises(OutputFailed) as info:
        save_settings(settings)
    assert "磁盘空间不足" in info.value.message and str(data_dir()) in info.value.message
    assert [p for p in data_dir().iterdir() if p.name.startswith(".~")] == []
    Budget(monkeypatch, tmp_path, free=10)
    with pytest.raises(OutputFailed, match="磁盘空间不足"):
        atomic_write_text(tmp_path / "我的模板.txt", "【标题】客户建议书\n" * 20)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- real tmpfs
@pytest.fixture
def small_disk(tmp_path):
    """A real 300 KB file system with ~16 KB left (a filler file takes the rest)."""
    disk = mount_tmpfs(tmp_path / "盘", "300k")
    try:
        filler = disk / "占位.bin"
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        filler.write_bytes(b"\0" * (free - 16 * 1024))
        yield disk
    finally:
        unmount(disk)


@pytest.mark.parametrize("name", [*SIMPLE, "proposals", "sheets", "campaign"])
def test_a_real_full_disk(name, small_disk, campaign_file, capsys, qapp):
    before = snapshot(small_disk)
    commands = _commands(small_disk, campaign_file)
    commands["campaign"] = ["campaign", "new", small_disk / "城东.jzt", "--list", SAMPLE]
    code, err = _run(commands[name], capsys)
    folder = small_disk / "活动" if name in ("proposals", "sheets") else small_disk
    _refused(code, err, folder)
    assert "需要" in err
    assert snapshot(small_disk) == before


def test_a_real_disk_filling_up_during_316_letters(tmp_path, monkeypatch, capsys, qapp):
    """The issue's run: worker processes write the letters, the disk fills up midway."""
    disk = mount_tmpfs(tmp_path / "盘", "300k")
    try:
        monkeypatch.setattr("ui.render.generate.free_space", lambda _path: None)
        out = disk / "活动"
        code, err = _run(["proposals", SAMPLE, "--out", out, "--combined"], capsys)
        _refused(code, err, out)
        assert "这 316 份客户建议书" in err
        assert snapshot(disk) == {}
    finally:
        unmount(disk)


# --------------------------------------------------------------------------- printing
def _letters(n: int = 16):
    from core.documents import LetterBatch, load_template
    from core.importing import import_file
    from core.marketing import default_catalog, default_scheme, make_offers

    result = import_file(SAMPLE, remember=False)
    offers = make_offers(result.customers, default_scheme(), default_catalog())
    offers = offers[offers["offer_package"].notna()].iloc[:n]
    return LetterBatch(offers, "建议书", load_template(None, "建议书"))


def _pdf_printer(path: Path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_printing_to_a_pdf_file_that_comes_out_cut(tmp_path, monkeypatch, qapp):
    """Qt's PDF printer says nothing when bytes are lost; the file's ending is checked."""
    from core.base import OutputFailed, Progress
    from ui.render.printing import print_letters_job

    target = tmp_path / "打印.pdf"
    target.write_bytes(b"the last print")
    monkeypatch.setattr("core.base.files.looks_complete", lambda path, suffix=None: False)
    printer = _pdf_printer(target)
    with pytest.raises(OutputFailed, match=r"打印\.pdf"):
        print_letters_job(printer, _letters(3), Progress())
    assert target.read_bytes() == b"the last print"
    assert [p.name for p in tmp_path.iterdir()] == ["打印.pdf"]
    assert printer.outputFileName() == str(target)


def test_printing_to_a_pdf_file_on_a_real_full_disk(tmp_path, qapp):
    from core.base import OutputFailed, Progress
    from ui.render.printing import print_letters_job

    disk = mount_tmpfs(tmp_path / "盘", "64k")
    try:
        with pytest.raises(OutputFailed, match="磁盘空间不足") as info:
            print_letters_job(_pdf_printer(disk / "打印.pdf"), _letters(), Progress())
        assert str(disk) in info.value.message and "需要" in info.value.message
        assert snapshot(disk) == {}
    finally:
        unmount(disk)
