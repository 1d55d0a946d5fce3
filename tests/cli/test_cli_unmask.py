"""``report`` and ``offers --out`` mask phone numbers unless ``--unmask`` (as ``proposals``
and ``visits-export`` do), and say so when they show them."""

from __future__ import annotations

import re

import openpyxl
import pytest

from tests.workbook_helpers import SAMPLE
from ui.cli.main import EXIT_OK, run_cli


def _phones(path, sheet: int) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[sheet].iter_rows(values_only=True))
    wb.close()
    col = rows[0].index("手机号码")
    return [r[col] for r in rows[1:] if r[col]]


@pytest.mark.parametrize(("cmd", "sheet"), [("report", 2), ("offers", 0)])
def test_unmask_shows_the_full_numbers_and_warns(cmd, sheet, tmp_path, capsys):
    masked, shown = tmp_path / "masked.xlsx", tmp_path / "shown.xlsx"
    assert run_cli([cmd, str(SAMPLE), "--out", str(masked)]) == EXIT_OK
    assert "完整显示" not in capsys.readouterr().out
    assert run_cli([cmd, str(SAMPLE), "--out", str(shown), "--unmask"]) == EXIT_OK
    assert "完整显示了客户手机号码，请妥善保管" in capsys.readouterr().out
    hidden, full = _phones(masked, sheet), _phones(shown, sheet)
    assert len(hidden) == len(full) > 250
    assert not any(re.fullmatch(r"1\d{10}", p) for p in hidden)
    assert sum(bool(re.fullmatch(r"1\d{10}", p)) for p in full) > 250
    for h, f in zip(hidden, full, strict=True):  # the same number, its middle hidden
        assert h[:3] == f[:3] and h[-4:] == f[-4:] and "****" in h
