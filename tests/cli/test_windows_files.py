"""Files on Windows: names Windows accepts, and an output open in Excel/WPS (a locked file)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.base.errors import OutputFailed
from core.base.files import atomic_path, atomic_write_bytes, safe_filename
from tests.paths import ROOT
from ui.cli.main import EXIT_USER_ERROR, run_cli

SAMPLE = ROOT / "resources" / "示例客户清单.xlsx"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "CON_"),
        ("con.txt", "con_.txt"),
        ("Aux.pdf", "Aux_.pdf"),
        ("NUL", "NUL_"),
        ("COM1.xlsx", "COM1_.xlsx"),
        ("lpt9.docx", "lpt9_.docx"),
        ("CON .pdf", "CON_.pdf"),  # Windows ignores the space: still the device
        ("COM10.pdf", "COM10.pdf"),  # not a device name
        ("报表...", "报表"),  # trailing dots vanish on Windows
        ("城东市场. ", "城东市场"),
        ("客户建议书 .pdf", "客户建议书.pdf"),
        ('张三/李四:"五金"*?<>|.pdf', "张三_李四__五金______.pdf"),
        (" .pdf", "未命名.pdf"),
        ("...", "未命名"),
        ("王记\t批发\n部.xlsx", "王记_批发_部.xlsx"),
    ],
)
def test_names_windows_accepts(name, expected):
    assert safe_filename(name) == expected


def test_long_names_are_cut_and_keep_their_extension():
    name = safe_filename("城东小商品批发市场" * 20 + ".pdf", max_len=40)
    assert name.endswith(".pdf") and len(name) == 44 and name.startswith("城东小商品")


def _locked(monkeypatch, target: Path) -> None:
    """Windows: a file open in Excel/WPS cannot be replaced (sharing violation, errno 13)."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == target:
            raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def test_an_output_open_in_excel_gives_a_clear_message_and_is_untouched(monkeypatch, tmp_path):
    target = tmp_path / "城东市场报表.xlsx"
    target.write_bytes(b"old")
    _locked(monkeypatch, target)
    with pytest.raises(OutputFailed) as info:
        atomic_write_bytes(target, b"new")
    assert "Excel/WPS" in info.value.message and "城东市场报表.xlsx" in info.value.message
    assert "关闭" in info.value.hint
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_the_report_command_says_to_close_the_workbook(monkeypatch, tmp_path, capsys):
    out = tmp_path / "报表.xlsx"
    out.write_bytes(b"old")
    _locked(monkeypatch, out)
    assert run_cli(["report", str(SAMPLE), "--out", str(out), "--force"]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "Excel/WPS" in err and "请先关闭该文件" in err and "Traceback" not in err
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["报表.xlsx"]


def test_a_letter_open_in_a_pdf_reader_gives_a_clear_message(monkeypatch, qapp, tmp_path,
                                                            capsys):  # fmt: skip
    out = tmp_path / "活动"
    argv = ["proposals", str(SAMPLE), "--out", str(out), "--band", "高端"]
    assert run_cli(argv) == 0
    first = sorted((out / "客户建议书").glob("*.pdf"))[0]
    before = first.read_bytes()
    _locked(monkeypatch, first)
    assert run_cli([*argv, "--force"]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert first.name in err and "请先关闭该文件" in err
    assert first.read_bytes() == before


def test_atomic_path_leaves_nothing_when_the_folder_is_read_only(monkeypatch, tmp_path):
    """Root writes anywhere, so the refusal (no rights in a folder) is simulated."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "拒绝访问。")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(OutputFailed) as info, atomic_path(tmp_path / "x.xlsx"):
        pass
    assert "没有在这里保存文件的权限" in info.value.message
