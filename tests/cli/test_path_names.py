"""Names the system refuses: exit 1 with a Chinese message, never exit 3, nothing created.

The rules are Windows' (the users' platform) and hold the same on every system: a name
over 255 bytes (90 Chinese characters), a device name (CON, NUL, COM1 …), forbidden
characters, a trailing dot or space; on Windows a whole path over 259 characters.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.base.errors import OutputFailed
from core.base.paths import check_path, name_problem, safe_filename
from tests.disk_helpers import snapshot
from tests.paths import ROOT
from ui.cli.main import EXIT_OK, EXIT_USER_ERROR, run_cli

SAMPLE = str(ROOT / "resources" / "示例客户清单.xlsx")
LONG = "城东小商品批发市场" * 10  # 90 characters, 270 bytes in UTF-8


@pytest.fixture(scope="module")
def campaign_file(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("camp") / "城东.jzt")
    assert run_cli(["campaign", "new", path, "--list", SAMPLE]) == EXIT_OK
    return path


def _argv(command: str, out: Path, campaign: str) -> list[str]:
    return {
        "report": ["report", SAMPLE, "--out", f"{out}.xlsx"],
        "offers": ["offers", SAMPLE, "--out", f"{out}.xlsx"],
        "chart": ["chart", SAMPLE, "--kind", "pareto", "--out", f"{out}.pdf"],
        "visits-export": ["visits-export", campaign, "--out", f"{out}.xlsx"],
        "campaign": ["campaign", "new", f"{out}.jzt", "--list", SAMPLE],
        "proposals": ["proposals", SAMPLE, "--out", str(out), "--band", "高端"],
        "sheets": ["sheets", SAMPLE, "--out", str(out), "--band", "高端"],
    }[command]


COMMANDS = ["report", "offers", "chart", "visits-export", "campaign", "proposals", "sheets"]
BAD_NAMES = {
    "too-long": (LONG, "太长"),
    "device": ("CON", "Windows 保留的设备名"),
    "device-with-extension": ("nul.备份", "Windows 保留的设备名"),
    "forbidden": ("城东:五金?", "Windows 不允许的字符"),
}
if sys.platform != "win32":  # elsewhere a backslash is part of the name, not a separator
    BAD_NAMES["backslash"] = ("城东\\五金", "Windows 不允许的字符")


@pytest.mark.parametrize("bad", list(BAD_NAMES))
@pytest.mark.parametrize("command", COMMANDS)
def test_a_name_the_system_refuses(command, bad, tmp_path, campaign_file, capsys, qapp):
    name, reason = BAD_NAMES[bad]
    folder = tmp_path / "输出"
    folder.mkdir()
    code = run_cli(_argv(command, folder / name, campaign_file))
    err = capsys.readouterr().err
    assert code == EXIT_USER_ERROR, err
    assert err.startswith("错误：") and reason in err and "Traceback" not in err
    assert "请" in err.splitlines()[-1]  # says what to do
    assert snapshot(folder) == {}


@pytest.mark.parametrize("command", ["report", "proposals"])
def test_a_bad_folder_on_the_way_is_refused_too(command, tmp_path, campaign_file, capsys, qapp):
    out = tmp_path / "活动" / "COM3" / "报表"
    assert run_cli(_argv(command, out, campaign_file)) == EXIT_USER_ERROR
    assert "文件夹名“COM3”是 Windows 保留的设备名" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no folder made on the way


def test_85_chinese_characters_are_still_fine(tmp_path, capsys):
    out = tmp_path / f"{'城东批发市场报表' * 10}{'五' * 3}.xlsx"  # 83 + 5 = 88 chars, 254 bytes
    assert len(out.name.encode()) <= 255
    assert run_cli(["offers", SAMPLE, "--out", str(out)]) == EXIT_OK
    assert out.exists()


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("报表.xlsx", None),
        ("COM10.pdf", None),
        ("CONSOLE.txt", None),
        ("con", "设备名"),
        ("Lpt9.docx", "设备名"),
        ("COM¹.txt", "设备名"),
        ("CONOUT$", "设备名"),
        ("AUX .pdf", "设备名"),
        ("报表.", "结尾"),
        ("报表 ", "结尾"),
        ("a|b", "不允许的字符 |"),
        ("a\tb", "控制字符"),
        ("名" * 85, None),
        ("名" * 86, "太长"),
        ("a" * 255, None),
        ("a" * 256, "太长"),
    ],
)
def test_name_rules(name, found):
    problem = name_problem(name)
    if found is None:
        assert problem is None
    else:
        assert problem is not None and found in problem[0] and problem[1].startswith("请")


def test_the_windows_path_limit(tmp_path):
    deep = tmp_path / ("文件夹" * 20) / ("市场" * 30) / ("报表" * 40 + ".xlsx")  # > 259 chars
    check_path(deep, windows=False)  # Linux takes 4,095 bytes
    with pytest.raises(OutputFailed, match="路径太长") as info:
        check_path(deep, windows=True)
    assert "259" in info.value.message and "层级浅" in info.value.hint


@pytest.mark.skipif(sys.platform == "win32", reason="Windows cannot make such a folder")
def test_existing_folders_are_not_judged(tmp_path):
    """A folder that exists was accepted by the system (a Linux folder may hold a ':')."""
    odd = tmp_path / "a:b"
    odd.mkdir()
    check_path(odd / "报表.xlsx")
    with pytest.raises(OutputFailed):
        check_path(tmp_path / "c:d" / "报表.xlsx")


@given(st.text(min_size=0, max_size=400))
def test_safe_filename_always_makes_an_acceptable_name(text):
    name = safe_filename(text)
    assert name and name_problem(name) is None


@given(st.text(alphabet="城东五金批发市场（）_-.0123456789abc", min_size=1, max_size=300),
       st.sampled_from(["pdf", "docx", "xlsx", ""]))  # fmt: skip
def test_safe_filename_keeps_the_extension_within_255_bytes(stem, ext):
    name = safe_filename(f"{stem}.{ext}" if ext else stem, max_len=200)
    assert len(name.encode("utf-8")) <= 255
    if ext and stem.strip(". "):
        assert name.endswith(f".{ext}")
