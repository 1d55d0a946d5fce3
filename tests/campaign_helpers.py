"""Shared by the campaign tests: a small campaign made the way a user makes one, and
filled 走访记录 files made the way staff fill them (the exported workbook, typed into)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd

from core.campaign import VISIT_HEADERS, Campaign, CampaignInfo, Visit
from core.importing import import_file
from core.marketing import default_catalog, default_scheme, make_offers
from core.reporting import write_visits_xlsx
from tools.synth import make_list, write_xlsx

TODAY = dt.date(2026, 12, 2)
COL = {h: i for i, h in enumerate(VISIT_HEADERS, start=1)}


def build_campaign(folder: Path, n: int = 60, seed: int = 4, **info: Any) -> Path:
    """A campaign of ``n`` synthetic customers at folder/活动.jzt (imported from an .xlsx)."""
    listfile = write_xlsx(make_list(n, seed=seed), folder / f"清单{seed}.xlsx")
    result = import_file(listfile, remember=False)
    scheme, catalog = default_scheme(), default_catalog()
    offers = make_offers(result.customers, scheme, catalog)
    values = {"name": "城东扫场", "branch": "城东分公司", "staff": ("张三", "李四")} | info
    path = folder / f"活动{seed}.jzt"
    Campaign.create(path, offers, CampaignInfo(**values), scheme=scheme, catalog=catalog,
                    source=result).close()  # fmt: skip
    return path


def copy_campaign(template: Path, folder: Path, name: str = "活动.jzt") -> Path:
    target = folder / name
    shutil.copyfile(template, target)
    return target


def export(campaign_path: Path, out: Path, **kwargs: Any) -> Path:
    with Campaign.open(campaign_path) as campaign:
        write_visits_xlsx(campaign, out, **kwargs)
    return out


def fill(exported: Path, out: Path, rows: dict[int, dict[str, Any]]) -> Path:
    """Type into an exported sheet: {Excel row: {header: value}} and save as ``out``."""
    wb = openpyxl.load_workbook(exported)
    ws = wb["走访记录"]
    for row, values in rows.items():
        for header, value in values.items():
            ws.cell(row=row, column=COL[header], value=value)
    wb.save(out)
    return out


def keys_in(exported: Path) -> list[str]:
    wb = openpyxl.load_workbook(exported, read_only=True)
    try:
        return [r[0] for r in wb["走访记录"].iter_rows(min_row=2, values_only=True) if r[0]]
    finally:
        wb.close()


def visit(day: Any = "2026-11-20", who: str = "张三", intent: str = "有意向", **more: Any) -> dict:
    return {"走访日期": day, "走访人": who, "意向": intent, **more}


RESULTS_TODAY = dt.date(2026, 12, 2)


def results_campaign(
    path: Path, branch: str = "城东分公司", today: dt.date = RESULTS_TODAY
) -> Campaign:
    """A six-customer campaign with visits of every kind: the results tests read it."""
    frame = pd.DataFrame({
        "source_row": [2, 3, 4, 5, 6, 7],
        "customer_id": ["A", "B", "C", "D", "E", "F"],
        "phone": ["13800000001", "13800000002", "13800000003", "13800000004", None, None],
        "name": ["甲店", "乙店", "丙店", "丁店", "戊店", "己店"],
        "spend": [30.0, 80.0, 150.0, 250.0, 40.0, np.nan],
        "grid": ["一网格", "一网格", "二网格", "二网格", "二网格", None],
    })  # fmt: skip
    offers = make_offers(frame, default_scheme(), default_catalog())
    c = Campaign.create(path, offers, CampaignInfo(name="测试", branch=branch))
    key = {x.customer_id: x.key for x in c.customers()}
    for cid, day, who, intent, more in [
        ("A", dt.date(2026, 11, 10), "张三", "有意向", {"met": False}),
        ("A", dt.date(2026, 11, 20), "张三", "已成交",
         {"met": True, "signed_fee": 59, "signed_package": "畅享59元套餐"}),
        ("B", dt.date(2026, 11, 15), "李四", "考虑中",
         {"met": True, "objections": ("价格",), "follow_up": dt.date(2026, 12, 5)}),
        ("C", dt.date(2026, 11, 16), "李四", "已成交", {"signed_package": "没有的套餐"}),
        ("D", dt.date(2026, 11, 16), "张三", "有意向", {"objections": ("价格", "信号")}),
        ("D", dt.date(2026, 11, 18), "李四", "无意向",
         {"objections": ("价格",), "follow_up": dt.date(2026, 11, 30)}),
    ]:  # fmt: skip
        c.add_visit(key[cid], Visit(visit_date=day, visitor=who, intent=intent, **more), today)
    return c
