"""Synthetic customer lists that look like operator exports (for the sample, tests, bench).

Deterministic for a given seed. ``messy=True`` adds what real exports have: a merged
title row, an export-time line, a blank row, amounts with 元, full-width digits, "暂无",
a negative amount, phones stored as numbers or with +86 and spaces, landlines, mixed
date styles, a duplicate phone, a note line and a 合计 row at the bottom.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = [
    ("畅享19元套餐", 19), ("畅享29元套餐", 29), ("畅享39元套餐", 39), ("畅享59元套餐", 59),
    ("畅享79元套餐", 79), ("畅享99元套餐", 99), ("5G畅享129元套餐", 129),
    ("5G畅享159元套餐", 159), ("5G畅享199元套餐", 199), ("5G畅享299元套餐", 299),
    ("5G尊享399元套餐", 399),
]  # fmt: skip
# What each package includes (GB, minutes): the same as the default 套餐库 (catalog.xlsx)
ALLOWANCES = {
    19: (3, 50), 29: (5, 100), 39: (10, 200), 59: (30, 300), 79: (40, 500), 99: (60, 600),
    129: (80, 800), 159: (100, 1000), 199: (150, 1500), 299: (200, 2000), 399: (300, 3000),
}  # fmt: skip
# How common each package is: a pyramid (many low, few high).
PACKAGE_WEIGHTS = [10, 14, 16, 16, 12, 10, 8, 6, 4, 2.5, 1.5]
INDUSTRIES = [
    "服装",
    "五金",
    "餐饮",
    "日用百货",
    "电子产品",
    "物流",
    "建材",
    "食品批发",
    "美容美发",
]
GRIDS = ["城东一网格", "城东二网格", "城东三网格", "城南网格"]
MANAGERS = ["王磊", "李娜", "张伟", "刘洋", "陈静"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红梅晨宇浩然欣怡子涵"
SHOP_WORDS = [
    "商行",
    "五金店",
    "服装店",
    "批发部",
    "经营部",
    "贸易商行",
    "便利店",
    "电器行",
    "百货店",
]

HEADERS = [
    "序号", "客户编号", "客户名称", "用户号码", "当前套餐", "近三月ARPU(元)", "月均流量(GB)",
    "月均通话(分钟)", "入网时间", "合约到期", "行业", "聚类市场", "网格", "地址", "客户经理", "证件号码",
]  # fmt: skip
BENCH_HEADERS = [
    "客户编号", "客户名称", "用户号码", "当前套餐", "近三月ARPU(元)", "月均流量(GB)",
    "月均通话(分钟)", "入网时间", "行业", "网格",
]  # fmt: skip


@dataclass
class SyntheticList:
    title_rows: list[list] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    footer_rows: list[list] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)  # e.g. "A1:P1"

    def all_rows(self) -> list[list]:
        return [*self.title_rows, self.header, *self.rows, *self.footer_rows]

    @property
    def header_row(self) -> int:
        return len(self.title_rows) + 1


def _name(rng: random.Random) -> str:
    person = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    if rng.random() < 0.55:
        return f"{rng.choice(SURNAMES)}记{rng.choice(SHOP_WORDS)}（{person}）"
    return person


def _customer(rng: random.Random, i: int, market: str, today: dt.date) -> dict:
    pkg, fee = rng.choices(PACKAGES, weights=PACKAGE_WEIGHTS)[0]
    extra = rng.choice([0, 0, 0, 0, round(rng.uniform(0, fee * 0.4), 2)])
    spend = round(fee + extra, 2)
    allowance_gb, allowance_min = ALLOWANCES[fee]
    # most customers use a good part of what their package includes; a few go over
    data_gb = round(allowance_gb * min(max(rng.gauss(0.75, 0.3), 0.03), 1.6), 2)
    voice = int(allowance_min * min(max(rng.gauss(0.65, 0.3), 0.0), 1.5))
    join = today - dt.timedelta(days=rng.randint(60, 365 * 15))
    contract = today + dt.timedelta(days=rng.randint(-200, 720)) if rng.random() < 0.6 else None
    phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
    return {
        "序号": i + 1,
        "客户编号": f"KH{880000000 + i}",
        "客户名称": _name(rng),
        "用户号码": phone,
        "当前套餐": pkg,
        "近三月ARPU(元)": spend,
        "月均流量(GB)": data_gb,
        "月均通话(分钟)": voice,
        "入网时间": join,
        "合约到期": contract,
        "行业": rng.choice(INDUSTRIES),
        "聚类市场": market,
        "网格": rng.choice(GRIDS),
        "地址": f"{market}{rng.choice('ABCDEFG')}区{rng.randint(1, 40)}排{rng.randint(1, 30)}号",
        "客户经理": rng.choice(MANAGERS),
        "证件号码": f"3301{rng.randint(10, 99)}19{rng.randint(60, 99)}{rng.randint(1, 12):02d}"
        f"{rng.randint(1, 28):02d}{rng.randint(100, 999)}{rng.choice('0123456789X')}",
    }


def make_list(
    n: int = 300,
    seed: int = 7,
    messy: bool = True,
    market: str = "城东小商品批发市场",
    headers: list[str] | None = None,
    today: dt.date | None = None,
) -> SyntheticList:
    rng = random.Random(seed)
    today = today or dt.date(2026, 11, 20)
    headers = headers or HEADERS
    out = SyntheticList(header=list(headers))
    records = [_customer(rng, i, market, today) for i in range(n)]
    for rec in records:
        row = [rec[h] for h in headers]
        if messy:
            row = _messy_row(rng, dict(zip(headers, row, strict=False)), headers)
        else:
            row = [
                v.isoformat() if isinstance(v, dt.date) and h == "合约到期" else v
                for h, v in zip(headers, row, strict=False)
            ]
        out.rows.append(row)
    if messy and n >= 20:
        ncols = len(headers)
        last = chr(ord("A") + ncols - 1) if ncols <= 26 else "Z"
        out.title_rows = [
            [f"XX县分公司 {market} 客户清单"] + [""] * (ncols - 1),
            [f"导出时间：{today.isoformat()} 09:12:33"] + [""] * (ncols - 1),
            [""] * ncols,
        ]
        out.merges.append(f"A1:{last}1")
        # a duplicate of an earlier customer's phone
        if "用户号码" in headers:
            dup = list(out.rows[5])
            dup[headers.index("客户编号")] = "KH889999999" if "客户编号" in headers else dup[0]
            out.rows.insert(n // 2, dup)
        spend_col = headers.index("近三月ARPU(元)") if "近三月ARPU(元)" in headers else None
        total = [""] * ncols
        total[0] = "合计"
        if spend_col is not None:
            total[spend_col] = round(
                sum(r[spend_col] for r in out.rows if isinstance(r[spend_col], (int, float))), 2
            )
        out.footer_rows = [
            [""] * ncols,
            total,
            ["注：数据来源于经营分析系统，仅供内部使用。"] + [""] * (ncols - 1),
        ]
    return out


def _messy_row(rng: random.Random, rec: dict, headers: list[str]) -> list:
    r = rng.random()
    spend = rec.get("近三月ARPU(元)")
    if spend is not None:
        if r < 0.05:
            spend = f"{spend}元"
        elif r < 0.08:
            spend = f" {spend} "
        elif r < 0.09:
            spend = str(spend).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
        elif r < 0.10:
            spend = rng.choice(["—", "暂无", "", "待核实"])
        elif r < 0.105:
            spend = -round(rng.uniform(5, 30), 2)
        rec["近三月ARPU(元)"] = spend
    phone = rec.get("用户号码")
    if phone is not None:
        p = rng.random()
        if p < 0.35:
            phone = float(phone)
        elif p < 0.40:
            phone = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
        elif p < 0.43:
            phone = f"+86 {phone}"
        elif p < 0.46:
            phone = f"0571-8{rng.randint(0, 9999999):07d}"
        elif p < 0.465:
            phone = ""
        elif p < 0.47:
            phone = "1381234"
        rec["用户号码"] = phone
    join = rec.get("入网时间")
    if isinstance(join, dt.date):
        d = rng.random()
        if d < 0.3:
            join = join.strftime("%Y/%m/%d")
        elif d < 0.5:
            join = join.strftime("%Y%m%d")
        rec["入网时间"] = join
    end = rec.get("合约到期")
    if isinstance(end, dt.date):
        rec["合约到期"] = end.strftime("%Y-%m-%d")
    elif "合约到期" in rec:
        rec["合约到期"] = ""
    if "月均流量(GB)" in rec and rng.random() < 0.03:
        rec["月均流量(GB)"] = "—"
    return [rec[h] for h in headers]


def write_xlsx(
    lst: SyntheticList, path: Path, sheet: str = "客户清单", notes_sheet: bool = False
) -> Path:
    """Write with openpyxl (merged title, real dates). Small lists only."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if notes_sheet:
        ws.title = "说明"
        ws.append(["本表由经营分析系统导出。"])
        ws.append(["第二张工作表为客户清单。"])
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for row in lst.all_rows():
        ws.append([None if v == "" else v for v in row])
    for rng_ in lst.merges:
        ws.merge_cells(rng_)
    wb.save(path)
    return Path(path)


def write_xlsx_fast(lst: SyntheticList, path: Path, sheet: str = "客户清单") -> Path:
    """Stream a large list with openpyxl's write-only mode (bench files)."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for row in lst.all_rows():
        ws.append([None if v == "" else v for v in row])
    wb.save(path)
    return Path(path)
