"""core.base.files: a file appears complete and on the disk, or not at all."""

from __future__ import annotations

import errno
import os
import zipfile

import pytest

from core.base import Cancelled, OutputFailed
from core.base.files import atomic_path, atomic_write_bytes, open_output, write_file
from core.campaign import CampaignFileError
from tests.disk_helpers import Budget


def test_a_writer_that_loses_bytes_silently_is_caught(tmp_path):
    """Qt-like: the writer says nothing, but the file lacks its ending."""
    out = tmp_path / "报表.xlsx"
    with pytest.raises(OutputFailed) as info, atomic_path(out) as tmp:
        with zipfile.ZipFile(tmp, "w") as z:
            z.writestr("a.xml", "<a/>" * 1000)
        with open(tmp, "r+b") as fh:
            fh.truncate(300)  # the end of the zip never reached the disk
    assert "报表.xlsx" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_failing_fsync_is_a_failure(tmp_path, monkeypatch):
    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputFailed, match="存储设备出错或已被拔出"):
        atomic_write_bytes(tmp_path / "a.pdf", b"%PDF-1.4 ... %%EOF")
    assert list(tmp_path.iterdir()) == []


def test_folders_made_for_a_file_go_when_it_fails(tmp_path, monkeypatch):
    target = tmp_path / "新建" / "三月" / "报表.xlsx"
    Budget(monkeypatch, tmp_path, free=100)
    with pytest.raises(OutputFailed, match="磁盘空间不足") as info:
        atomic_write_bytes(target, b"x" * 10_000)
    assert "大约需要 12.0 KB" in info.value.message  # 10,000 bytes take three 4 KB clusters
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_nothing(tmp_path):
    with pytest.raises(Cancelled), atomic_path(tmp_path / "新建" / "报表.xlsx") as tmp:
        tmp.write_bytes(b"half")
        raise Cancelled
    assert list(tmp_path.iterdir()) == []


def test_the_temporary_name_never_reaches_the_user(tmp_path):
    with pytest.raises(CampaignFileError) as info, atomic_path(tmp_path / "城东.jzt") as tmp:
        raise CampaignFileError(
            f"营销活动文件正被另一个窗口或命令使用：{tmp.name}。", "请稍后重试。"
        )
    assert "城东.jzt" in info.value.message and ".~" not in str(info.value)


def test_then_failing_takes_the_new_file_back_and_restores_the_old(tmp_path):
    out = tmp_path / "走访表.xlsx"
    out.write_bytes(b"old")

    def record() -> None:
        assert out.read_bytes() == b"new"  # the file is in place when it is recorded
        raise CampaignFileError("无法保存到营销活动文件：城东.jzt。", "请重试。")

    with pytest.raises(CampaignFileError):
        atomic_write_bytes(out, b"new", then=record)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["走访表.xlsx"]


def test_write_file_finishes_short_writes_and_raises_on_a_full_disk(tmp_path, monkeypatch):
    budget = Budget(monkeypatch, tmp_path, free=5_000)
    write_file(tmp_path / "a.bin", b"a" * 3_000)  # fits
    assert (tmp_path / "a.bin").stat().st_size == 3_000
    with pytest.raises(OSError) as info:
        write_file(tmp_path / "b.bin", b"b" * 3_000)  # a short write of 2,000, then ENOSPC
    assert info.value.errno == errno.ENOSPC and budget.free == 0


def test_open_output_raises_when_the_last_bytes_do_not_fit(tmp_path, monkeypatch):
    Budget(monkeypatch, tmp_path, free=1_000)
    fh = open_output(tmp_path / "a.zip")
    fh.write(b"z" * 5_000)  # buffered: nothing written yet
    with pytest.raises(OSError) as info:
        fh.close()
    assert info.value.errno == errno.ENOSPC and fh.closed


def test_the_system_error_behind_a_library_error_is_found(tmp_path):
    """matplotlib's PDF backend raises zlib.error while cleaning up after the real ENOSPC."""
    import zlib

    from core.base.write_errors import os_error_in, write_failed

    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError:
            raise zlib.error("Error -2 while flushing: inconsistent stream state") from None
    except zlib.error as exc:
        found = os_error_in(exc)
    assert found is not None and found.errno == errno.ENOSPC
    err = write_failed(tmp_path / "二八.pdf", found, need=5 << 20)
    assert err.message.startswith("磁盘空间不足：") and "大约需要 5.0 MB" in err.message
    assert str(tmp_path) in err.message and "清理" in err.hint


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(getattr(errno, "EDQUOT", 122), "Disk quota exceeded"), "超出了磁盘配额"),
        (OSError(errno.EFBIG, "File too large"), "FAT32"),
        (OSError(errno.EROFS, "Read-only file system"), "只读"),
        (OSError(errno.EIO, "Input/output error"), "存储设备出错或已被拔出"),
        (PermissionError(errno.EACCES, "Permission denied"), "没有在这里保存文件的权限"),
    ],
)
def test_each_reason_in_words(tmp_path, error, words):
    from core.base.write_errors import write_failed

    err = write_failed(tmp_path / "报表.xlsx", error)
    assert words in err.message and str(tmp_path) in err.message and err.hint.startswith("请")


@pytest.mark.parametrize(("size", "shown"), [(512, "512 字节"), (1536, "1.5 KB"),
                                             (300_000, "293 KB"), (23_000_000, "21.9 MB"),
                                             (3 << 30, "3.0 GB")])  # fmt: skip
def test_sizes_as_windows_shows_them(size, shown):
    from core.base.write_errors import fmt_size

    assert fmt_size(size) == shown
