"""Every kind of workbook the program writes, made once per test session the way a user
makes them: the report of the sample list (with a cross-tab), of a 7,043-row telco-like
list (53 columns, 17 of them empty) and of a campaign with visits (走访结果); the offers
workbook of both lists; the 走访记录 sheet with its 填写说明. And proposal letters of the
sample list's top band (for the Word files)."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import shutil
import tempfile
from pathlib import Path

import openpyxl

from bench.telco_like import write_telco_like
from tests.campaign_helpers import build_campaign, export, fill, keys_in, visit
from ui.cli.main import EXIT_OK, run_cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "示例客户清单.xlsx"
NAMES = ("report_sample", "report_telco", "report_campaign", "offers_sample", "offers_telco",
         "visits")  # fmt: skip


@functools.lru_cache(maxsize=1)
def workbooks() -> dict[str, Path]:
    """name → .xlsx path (in a folder removed when the session ends)."""
    folder = Path(tempfile.mkdtemp(prefix="workbooks_"))
    atexit.register(shutil.rmtree, folder, True)
    telco = write_telco_like(folder / "telco.csv")
    out = {name: folder / f"{name}.xlsx" for name in NAMES}
    runs = [
        ["report", str(SAMPLE), "--by", "grid", "--out", str(out["report_sample"])],
        ["report", str(telco), "--out", str(out["report_telco"])],
        ["offers", str(SAMPLE), "--out", str(out["offers_sample"])],
        ["offers", str(telco), "--out", str(out["offers_telco"])],
    ]
    for args in runs:
        assert run_cli(args) == EXIT_OK, args
    camp = build_campaign(folder, n=80, seed=4)
    export(camp, out["visits"])
    keys = keys_in(out["visits"])
    intents = ("有意向", "无意向", "考虑中")
    rows = {i: visit(dt.date(2026, 12, 1), "张三" if i % 2 else "李四", intents[i % 3])
            for i in range(2, 2 + min(30, len(keys)))}  # fmt: skip
    rows[3] = visit(dt.date(2026, 12, 2), "张三", "已成交", 签约套餐="畅享59元套餐")
    filled = fill(out["visits"], folder / "filled.xlsx", rows)
    assert run_cli(["visits-import", str(camp), str(filled)]) == EXIT_OK
    assert run_cli(["report", "--campaign", str(camp), "--out", str(out["report_campaign"])]) == 0
    return out


@functools.lru_cache(maxsize=len(NAMES))
def loaded(name: str) -> openpyxl.Workbook:
    """The workbook ``name`` read with openpyxl, once per session (tests only read it)."""
    return openpyxl.load_workbook(workbooks()[name])


def sample_letters(count: int = 2) -> list:
    """The first ``count`` 客户建议书 of the sample list's 高端 customers (core.documents)."""
    from core.base.settings import Settings
    from core.documents.letters import build_letters, select
    from core.importing import import_file
    from core.marketing import default_scheme, make_offers

    customers = import_file(SAMPLE, remember=False).customers
    offers = select(make_offers(customers, default_scheme()), ["高端"]).head(count)
    settings = Settings(branch="城东分公司", staff_name="王磊", staff_phone="13900009999")
    return build_letters(offers, settings=settings, today=dt.date(2026, 12, 1))
