"""Builders for the messy files the import tests read (all generated, nothing checked in)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

HEADER = [
    "序号",
    "客户编号",
    "客户名称",
    "用户号码",
    "当前套餐",
    "近三月ARPU(元)",
    "月均流量(GB)",
    "月均通话(分钟)",
    "入网时间",
    "网格",
]


def messy_rows() -> list[list]:
    """Ten customers covering the value problems, plus a duplicate phone."""
    return [
        [
            1,
            "KH001",
            "张记五金店",
            13812345678.0,
            "畅享59元套餐",
            59,
            5.5,
            120,
            dt.date(2019, 3, 5),
            "一网格",
        ],
        [
            2,
            "KH002",
            "李娜",
            "138 1234 5679",
            "畅享39元套餐",
            "128.5元",
            "—",
            80,
            "2019/03/05",
            "一网格",
        ],
        [
            3,
            "KH003",
            "王强",
            "+86 13812345680",
            "畅享99元套餐",
            " 88 ",
            12,
            "暂无",
            "20190305",
            "二网格",
        ],
        [
            4,
            "KH004",
            "赵敏",
            "0571-88123456",
            "畅享29元套餐",
            "１２８",
            1.2,
            30,
            "2019年3月5日",
            "二网格",
        ],
        [5, "KH005", "钱多多", 57188123457.0, "畅享19元套餐", "—", 0.5, 10, 43000, "二网格"],
        [6, "KH006", "孙悟空", "", "畅享19元套餐", "暂无", None, None, None, "三网格"],
        [7, "KH007", "周杰", "1381234", "畅享59元套餐", -12.5, 3, 60, "xx", "三网格"],
        [8, "KH008", "吴刚", 13812345681.0, "畅享59元套餐", "待核实", 3, 60, None, "三网格"],
        [9, "KH009", "郑爽", 13812345678.0, "畅享59元套餐", 59, 4, 90, None, "三网格"],
        [
            10,
            "KH010",
            "冯巩",
            "１３８１２３４５６８２",
            "5G畅享129元套餐",
            19.99,
            20,
            300,
            None,
            "一网格",
        ],
    ]


def write_messy_xlsx(path: Path, notes_sheet: bool = False, totals: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if notes_sheet:
        ws.title = "填写说明"
        ws.append(["本文件由经营分析系统导出，第二个工作表为客户清单。"])
        ws.append(["金额单位：元"])
        ws = wb.create_sheet("客户清单")
    else:
        ws.title = "客户清单"
    ws.append(["XX县分公司 城东批发市场 客户清单"])  # row 1, merged below
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(["导出时间：2026-11-20 09:12:33"])  # row 2
    ws.append([])  # row 3 blank
    ws.append(HEADER)  # row 4
    for row in messy_rows():  # rows 5..14
        ws.append(row)
    ws.append([])  # row 15 blank
    if totals:
        ws.append(["合计", None, None, None, None, 500.0])  # row 16
    ws.append(["注：数据来源于经营分析系统"])  # row 17
    wb.save(path)
    return path
