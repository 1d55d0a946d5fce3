"""``python main.py inspect``: the JSON users' scripts read, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_helpers import write_messy_xlsx
from tests.paths import ROOT
from ui.cli.main import run_cli


def test_inspect_json(tmp_path, capsys):
    path = write_messy_xlsx(tmp_path / "清单.xlsx")
    assert run_cli(["inspect", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sheet"] == "客户清单"
    assert data["header_row"] == 4
    assert data["mapping"]["spend"] == "近三月ARPU(元)"
    assert data["rows"] == 10
    assert data["customers"] == 5
    assert data["problem_counts"]["duplicate_phone"] == 1
    assert {"row": 13, "field": "phone", "code": "duplicate_phone"}.items() <= next(
        p for p in data["problems"] if p["code"] == "duplicate_phone"
    ).items()


def test_inspect_text_report_is_chinese(tmp_path, capsys):
    path = write_messy_xlsx(tmp_path / "清单.xlsx")
    assert run_cli(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "表头在第 4 行" in out
    assert "可分档客户：5" in out
    assert "合计行 1 行" in out
    assert "第 13 行" in out


def test_inspect_with_map_and_sheet(tmp_path, capsys):
    path = write_messy_xlsx(tmp_path / "two.xlsx", notes_sheet=True)
    code = run_cli(
        ["inspect", str(path), "--sheet", "客户清单", "--map", "spend=近三月ARPU(元)", "--json"]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["sheet"] == "客户清单"


def test_bad_file_exits_1_with_chinese_message(tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    assert run_cli(["inspect", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err


def test_bad_map_syntax_exits_1(tmp_path, capsys):
    path = write_messy_xlsx(tmp_path / "x.xlsx")
    assert run_cli(["inspect", str(path), "--map", "spend"]) == 1
    assert "字段=列名" in capsys.readouterr().err


def test_usage_error_exits_2_in_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        run_cli(["inspect"])
    assert exc.value.code == 2
    assert "缺少必需的参数" in capsys.readouterr().err


def test_unexpected_error_is_logged_not_shown(tmp_path, capsys, monkeypatch):
    import core.importing

    def boom(*_a, **_k):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(core.importing, "import_file", boom)
    path = write_messy_xlsx(tmp_path / "x.xlsx")
    assert run_cli(["inspect", str(path)]) == 3
    err = capsys.readouterr().err
    assert "程序内部出错" in err and "internal detail" not in err
    log = Path(os.environ["JINZITA_DATA_DIR"]) / "crash.log"
    assert "internal detail" in log.read_text(encoding="utf-8")


def test_main_help_lists_commands_in_a_fresh_process():
    proc = subprocess.run(
        [sys.executable, "main.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 0
    for command in ("inspect", "segment", "offers", "report", "chart"):
        assert command in proc.stdout
    assert "PySide6" not in proc.stderr


def test_inspect_sample_list_in_a_fresh_process():
    sample = ROOT / "resources" / "示例客户清单.xlsx"
    proc = subprocess.run(
        [sys.executable, "main.py", "inspect", str(sample), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["sheet"] == "客户清单" and data["customers"] > 250


def test_output_piped_into_head_stops_quietly(tmp_path):
    path = write_messy_xlsx(tmp_path / "x.xlsx")
    proc = subprocess.run(
        f'"{sys.executable}" main.py inspect "{path}" --limit 1000 | head -1',
        shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert proc.stdout.startswith("文件：")
    assert "程序内部出错" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_negative_value_after_an_option_gets_the_real_message(capsys):
    sample = str(ROOT / "resources" / "示例客户清单.xlsx")
    assert run_cli(["segment", sample, "--edges", "-10,50"]) == 1
    assert "负数" in capsys.readouterr().err
