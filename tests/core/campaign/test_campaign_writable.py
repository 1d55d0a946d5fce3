"""Commands that record into a campaign fail before writing when the campaign cannot be
saved to, and take their outputs back when the record fails afterwards."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from core.campaign import Campaign, CampaignFileError
from tests.disk_helpers import snapshot
from tests.paths import ROOT
from ui.cli.main import EXIT_OK, EXIT_USER_ERROR, run_cli

SAMPLE = str(ROOT / "resources" / "示例客户清单.xlsx")
REFUSED = "无法保存到营销活动文件"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("camp") / "城东.jzt"
    assert run_cli(["campaign", "new", str(path), "--list", SAMPLE]) == EXIT_OK
    return path


@pytest.fixture
def campaign(template, tmp_path) -> Path:
    folder = tmp_path / "活动文件"
    folder.mkdir()
    return Path(shutil.copy(template, folder / "城东.jzt"))


def _documents(path: Path) -> int:
    with Campaign.open(path, readonly=True) as c:
        return c.counts()["documents"]


COMMANDS = {
    "visits-export": lambda camp, out: ["visits-export", camp, "--out", out / "走访表.xlsx"],
    "sheets": lambda camp, out: ["sheets", SAMPLE, "--out", out / "活动", "--band", "高端",
                                 "--campaign", camp],
    "proposals": lambda camp, out: ["proposals", SAMPLE, "--out", out / "活动", "--band", "高端",
                                    "--format", "both", "--combined", "--campaign", camp],
}  # fmt: skip


def _run(argv: list, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = run_cli([str(a) for a in argv])
    return code, capsys.readouterr().err


def _simulate_read_only(monkeypatch) -> None:
    """What SQLite sees for a read-only file (root may write anywhere, so pretend)."""
    from core.campaign import store

    real = store._connect
    monkeypatch.setattr(store, "_connect", lambda path, readonly: real(path, readonly=True))


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_read_only_campaign_is_refused_before_anything_is_written(
    command, campaign, tmp_path, monkeypatch, capsys, qapp
):
    out = tmp_path / "输出"
    out.mkdir()
    _simulate_read_only(monkeypatch)
    code, err = _run(COMMANDS[command](campaign, out), capsys)
    assert code == EXIT_USER_ERROR, err
    assert REFUSED in err and "城东.jzt" in err and "只读" in err
    assert "复制到可以保存的位置" in err and "没有生成任何文件" in err
    assert snapshot(out) == {}
    monkeypatch.undo()
    assert _documents(campaign) == 0


@pytest.fixture
def really_read_only(campaign, tmp_path):
    """The campaign on a read-only file (chmod) or, for root, a read-only mount."""
    if sys.platform == "win32" or os.geteuid() != 0:
        campaign.chmod(0o444)
        try:
            try:
                with open(campaign, "ab"):
                    pass
            except PermissionError:
                yield campaign
            else:  # root under Wine: the read-only attribute stops nobody
                pytest.skip("this user may write a read-only file here")
        finally:
            campaign.chmod(0o644)
        return
    import subprocess

    view = tmp_path / "只读视图"
    view.mkdir()
    done = subprocess.run(["mount", "--bind", str(campaign.parent), str(view)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode:
        pytest.skip(f"root cannot make a read-only file here without a mount: {done.stderr}")
    try:
        remount = ["mount", "-o", "remount,ro,bind", str(view)]
        if subprocess.run(remount, capture_output=True, check=False).returncode:
            pytest.skip("cannot remount read-only here")
        yield view / campaign.name
    finally:
        subprocess.run(["umount", "-l", str(view)], capture_output=True, check=False)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_really_read_only_campaign(command, really_read_only, tmp_path, capsys, qapp):
    out = tmp_path / "输出"
    out.mkdir()
    code, err = _run(COMMANDS[command](really_read_only, out), capsys)
    assert code == EXIT_USER_ERROR, err
    assert REFUSED in err and "Traceback" not in err
    assert snapshot(out) == {}


def _failing_record(monkeypatch) -> None:
    """The campaign's disk is full when the record is written (the outputs' disk is not)."""

    def fail(self, *args, **kwargs):
        raise CampaignFileError("磁盘空间不足，无法保存到营销活动文件：城东.jzt。",
                                "请清理磁盘空间后重试。") from sqlite3.OperationalError(
                                    "database or disk is full")  # fmt: skip

    monkeypatch.setattr(Campaign, "log_documents", fail)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_outputs_are_taken_back_when_the_record_fails(command, campaign, tmp_path, monkeypatch,
                                                      capsys, qapp):  # fmt: skip
    out = tmp_path / "输出"
    out.mkdir()
    _failing_record(monkeypatch)
    code, err = _run(COMMANDS[command](campaign, out), capsys)
    assert code == EXIT_USER_ERROR and "无法保存到营销活动文件：城东.jzt" in err
    assert "无法在文件夹" not in err  # the campaign's error, not blamed on the output folder
    assert "已生成" not in capsys.readouterr().out
    assert snapshot(out) == {}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_failed_record_restores_what_was_overwritten(command, campaign, tmp_path, monkeypatch,
                                                       capsys, qapp):  # fmt: skip
    out = tmp_path / "输出"
    out.mkdir()
    argv = COMMANDS[command](campaign, out)
    assert _run(argv, capsys)[0] == EXIT_OK  # last week's run, recorded
    before = {}
    for name, size in snapshot(out).items():
        if size >= 0:  # a file: mark it, so a new file with the same content cannot pass
            (out / name).write_bytes(before.setdefault(name, f"上周的 {name}".encode()))
    _failing_record(monkeypatch)
    assert _run([*argv, "--force"], capsys)[0] == EXIT_USER_ERROR
    after = {name: (out / name).read_bytes() for name, size in snapshot(out).items() if size >= 0}
    assert after == before
