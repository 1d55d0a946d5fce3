"""Import a customer list: file → header → mapping → clean customers + listed problems.

Every data row ends up as a customer or as a problem with its Excel row number, the
field and a Chinese reason; title rows, blank rows, repeated headers, notes and
合计/总计 rows are recognised and counted, never silently lost.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from core import appdata, cleaning, columns
from core.errors import ImportFailed, InvalidInput, MappingNeeded
from core.fields import BY_KEY, DATE, FIELDS, NUMBER, PHONE, SOURCE_ROW, TEXT, label
from core.problems import EXCLUDING_CODES, SPEND_CODES, Problem
from core.progress import Progress
from core.readers import Grid, open_book

MAPPINGS_FILE = "column_mappings.json"

_TOTALS = re.compile(
    r"^(合\s*计|总\s*计|小\s*计|总合计|全部合计|汇\s*总|合计金额|total|grand\s*total|sum)"
    r"[:：\s]*.*$",
    re.I,
)
_TOTAL_WORDS = [
    "合计",
    "总计",
    "小计",
    "合 计",
    "总 计",
    "汇总",
    "合计：",
    "总计：",
    "总合计",
    "全部合计",
    "Total",
    "TOTAL",
    "total",
    "Grand Total",
    "合计:",
]
_NOTE = re.compile(
    r"^(注|备注|说明|制表|导出|数据来源|打印|统计时间|统计日期|截至|截止|单位|"
    r"来源|审核|填报|报表|查询条件)",
    re.I,
)


@dataclass
class ImportResult:
    source: Path
    kind: str
    sheet: str
    sheets: list[str]
    header_row: int  # 1-based Excel row
    headers: list[str]
    mapping: dict[str, str]  # canonical field -> source header
    rows: int  # data rows seen (no title/header/blank/totals/note rows)
    customers: pd.DataFrame
    problems: list[Problem]
    skipped: dict[str, list[int]] = field(default_factory=dict)  # kind -> Excel rows
    notes: list[str] = field(default_factory=list)  # how values were interpreted
    extra_columns: list[str] = field(default_factory=list)

    @property
    def customer_count(self) -> int:
        """Customers with a usable spend (duplicates are not customers of their own)."""
        return int(self.customers["spend"].notna().sum())

    def problem_counts(self) -> dict[str, int]:
        return dict(Counter(p.code for p in self.problems))

    def problem_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(
            [p.to_dict() for p in self.problems], columns=["row", "field", "code", "message"]
        )
        frame.insert(2, "field_label", frame["field"].map(label))
        return frame

    def summary(self) -> dict:
        """The JSON object printed by ``inspect --json``."""
        return {
            "file": str(self.source),
            "format": self.kind,
            "sheet": self.sheet,
            "sheets": self.sheets,
            "header_row": self.header_row,
            "mapping": self.mapping,
            "unmapped_columns": self.extra_columns,
            "rows": self.rows,
            "customers": self.customer_count,
            "listed": len(self.customers),
            "problem_counts": self.problem_counts(),
            "problems": [p.to_dict() for p in self.problems],
            "skipped_rows": {k: len(v) for k, v in self.skipped.items() if v},
            "notes": self.notes,
        }


def import_file(
    path: str | Path,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    progress: Progress | None = None,
    remember: bool = True,
) -> ImportResult:
    """Read a customer list. Raises ImportFailed (Chinese message) for unusable files.

    ``overrides`` maps a field (key, Chinese label or synonym) to a source header
    (as written, or a column letter); an empty header un-maps the field. A mapping the
    user gave is remembered for files with the same headers when ``remember``.
    """
    path = Path(path)
    progress = progress or Progress()
    progress.start(100, "正在打开文件…")
    book = open_book(path, progress)
    try:
        progress.check()
        grid, header_idx = _choose_sheet(book, sheet, bool(overrides))
        progress.check()
        progress.stage("正在识别表头…")
        progress.set(40)
        headers = _header_texts(grid.row(header_idx))
        mapping = _resolve_mapping(headers, overrides, remember)
        result = _build(
            path, book.kind, book.sheet_names, grid, header_idx, headers, mapping, progress
        )
    finally:
        book.close()
    progress.set(100)
    return result


# --- sheet and header ------------------------------------------------------------------------


def _choose_sheet(book, sheet: str | None, has_overrides: bool) -> tuple[Grid, int]:
    if sheet is not None:
        name = sheet
        if (
            sheet not in book.sheet_names
            and sheet.isdigit()
            and 0 < int(sheet) <= len(book.sheet_names)
        ):
            name = book.sheet_names[int(sheet) - 1]
        grid = book.grid(name)
        idx, score = columns.find_header_row(grid.head(columns.HEADER_SCAN_ROWS))
        if idx < 0:
            idx = _first_nonblank(grid.head(columns.HEADER_SCAN_ROWS))
        if idx < 0:
            raise ImportFailed(f"工作表“{name}”是空的。", "请选择有客户数据的工作表。")
        return grid, idx
    best: tuple[int, int, Grid, int] | None = None
    for name in book.sheet_names:
        grid = book.grid(name)
        idx, score = columns.find_header_row(grid.head(columns.HEADER_SCAN_ROWS))
        if idx < 0:
            continue
        key = (score, grid.n_rows)
        if best is None or key > best[:2]:
            best = (score, grid.n_rows, grid, idx)
    if (
        (best is None or best[0] < 2)
        and book.kind == "csv"
        and book.path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".et")
    ):
        raise ImportFailed(
            f"文件扩展名是 {book.path.suffix}，但内容不是 Excel 表格：{book.path.name}。",
            "它可能是改了扩展名的其他文件。请找到从系统导出的原始客户清单，或在 Excel 中另存为 .xlsx。",
        )
    if best is None or best[0] < 2:
        nonempty = [
            book.grid(n)
            for n in book.sheet_names
            if _first_nonblank(book.grid(n).head(columns.HEADER_SCAN_ROWS)) >= 0
        ]
        if not nonempty:
            raise ImportFailed(
                f"文件里没有任何数据：{book.path.name}。",
                "请确认导出时选择了客户清单，再重新导出。",
            )
        if best is None:
            grid = nonempty[0]
            return grid, _first_nonblank(grid.head(columns.HEADER_SCAN_ROWS))
    return best[2], best[3]


def _first_nonblank(rows: list[list]) -> int:
    for i, row in enumerate(rows[: columns.HEADER_SCAN_ROWS]):
        if _nonempty_cells(row):
            return i
    return -1


def _header_texts(row: list) -> list[str]:
    out = []
    seen: Counter[str] = Counter()
    for i, cell in enumerate(row):
        text = " ".join(str(cell).split()) if cell not in ("", None) else ""
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        if not text:
            text = f"第{_col_letter(i)}列"
        seen[text] += 1
        if seen[text] > 1:
            text = f"{text}_{seen[text]}"
        out.append(text)
    return out


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _resolve_mapping(
    headers: list[str], overrides: dict[str, str] | None, remember: bool
) -> dict[str, int]:
    mapping = columns.auto_mapping(headers)
    signature = columns.header_signature(headers)
    memory = appdata.load_json(MAPPINGS_FILE, {})
    remembered = memory.get(signature) if isinstance(memory, dict) else None
    if isinstance(remembered, dict):
        mapping = _apply(headers, mapping, remembered, strict=False)
    if overrides:
        mapping = _apply(headers, mapping, overrides, strict=True)
        if remember:
            memory = memory if isinstance(memory, dict) else {}
            memory[signature] = {k: headers[c] for k, c in mapping.items()}
            appdata.save_json(MAPPINGS_FILE, memory)
    if "spend" not in mapping:
        shown = "、".join(h for h in headers if not h.startswith("第"))
        raise MappingNeeded(
            "没有找到“月均消费（ARPU）”列，无法按消费区间分档。",
            f"表头是：{shown}。请指定哪一列是月均消费，例如 --map spend=出账收入"
            "（图形界面中在“列对应”里选择）。",
            headers,
        )
    return mapping


def _apply(
    headers: list[str], mapping: dict[str, int], wanted: dict[str, str], strict: bool
) -> dict[str, int]:
    mapping = dict(mapping)
    for field_name, header in wanted.items():
        key = columns.resolve_field(field_name)
        if key is None:
            if not strict:
                continue
            known = "、".join(f"{f.key}（{f.label}）" for f in FIELDS)
            raise InvalidInput(f"不认识的字段名：“{field_name}”。", f"可用的字段：{known}。")
        if header is None or str(header).strip() == "":
            mapping.pop(key, None)
            continue
        col = columns.resolve_header(headers, str(header))
        if col is None:
            if not strict:
                continue
            raise InvalidInput(
                f"表头中没有“{header}”这一列。",
                f"表头是：{'、'.join(headers)}。请检查列名（或用列字母，如 F）。",
            )
        for other, c in list(mapping.items()):
            if c == col and other != key:
                del mapping[other]
        mapping[key] = col
    return mapping


# --- rows ---------------------------------------------------------------------------------------


def _nonempty_cells(row: list) -> list:
    out = []
    for c in row:
        if c == "" or c is None:
            continue
        if type(c) is str and not c.strip():
            continue
        out.append(c)
    return out


def _columns_of(grid: Grid, header_idx: int, headers: list[str]) -> list[pd.Series]:
    """The data area below the header as one object Series per column."""
    data = grid.columns(header_idx + 1)
    headers.extend(f"第{_col_letter(i)}列" for i in range(len(headers), len(data)))
    n = len(data[0]) if data else 0
    index = pd.RangeIndex(n)
    out = []
    while data:
        out.append(pd.Series(data.pop(0), index=index, dtype=object))
    return out


def _classify_rows(
    cols: list[pd.Series], grid: Grid, header_idx: int, headers: list[str], mapping: dict[str, int]
) -> tuple[np.ndarray, dict[str, list[int]]]:
    """Boolean mask of data rows, and skipped rows by kind (Excel row numbers)."""
    first = grid.first_row
    skipped: dict[str, list[int]] = {
        "title": [first + i for i in range(header_idx) if _nonempty_cells(grid.row(i))],
        "blank": [],
        "totals": [],
        "note": [],
        "header_repeat": [],
    }
    n = len(cols[0]) if cols else 0
    start = first + header_idx + 1
    # blank rows: narrow the candidates column by column (most rows drop out at once)
    blank = np.ones(n, dtype=bool)
    for s in cols:
        idx = np.flatnonzero(blank)
        if not len(idx):
            break
        sub = s.iloc[idx]
        blank[idx] = (sub.isna() | sub.eq("")).to_numpy()
    keep = ~blank
    skipped["blank"] = [start + int(i) for i in np.flatnonzero(blank)]
    empty: dict[str, np.ndarray] = {
        key: (cols[mapping[key]].isna() | cols[mapping[key]].eq("")).to_numpy()
        for key in ("phone", "customer_id", "name", "spend")
        if key in mapping
    }
    # 合计/总计 rows: no phone and no customer id, and a "合计" among the first cells
    candidates = keep.copy()
    for key in ("phone", "customer_id", "name"):
        if key in empty:
            candidates &= empty[key]
    for s in cols[:3]:  # "合计" written in the id or phone column itself
        candidates |= keep & s.isin(_TOTAL_WORDS).to_numpy()
    for i in np.flatnonzero(candidates):
        row = [s.iat[i] for s in cols]
        texts = [c for c in _nonempty_cells(row)[:3] if isinstance(c, str)]
        if any(_TOTALS.match(t.strip()) for t in texts):
            keep[i] = False
            skipped["totals"].append(start + int(i))
    # note lines: a single text cell such as "注：…" or "制表人：…"
    sparse = keep.copy()
    for key in ("spend", "phone"):
        if key in empty:
            sparse &= empty[key]
    for i in np.flatnonzero(sparse):
        cells = _nonempty_cells([s.iat[i] for s in cols])
        if len(cells) == 1 and isinstance(cells[0], str) and _NOTE.match(cells[0].strip()):
            keep[i] = False
            skipped["note"].append(start + int(i))
    # the header repeated (exports that print a header on every page)
    spend_col = mapping.get("spend")
    if spend_col is not None:
        header_norm = [columns.normalize(h) for h in headers]
        same = cols[spend_col].eq(headers[spend_col]).to_numpy()
        for i in np.flatnonzero(keep & same):
            if _is_header_repeat([s.iat[i] for s in cols], header_norm, mapping):
                keep[i] = False
                skipped["header_repeat"].append(start + int(i))
    return keep, skipped


def _is_header_repeat(row: list, header_norm: list[str], mapping: dict[str, int]) -> bool:
    cols = list(mapping.values())
    same = sum(1 for c in cols if c < len(row) and columns.normalize(row[c]) == header_norm[c])
    return same >= max(2, len(cols) // 2)


def _build(
    path: Path,
    kind: str,
    sheets: list[str],
    grid: Grid,
    header_idx: int,
    headers: list[str],
    mapping: dict[str, int],
    progress: Progress,
) -> ImportResult:
    cols = _columns_of(grid, header_idx, headers)
    keep, skipped = _classify_rows(cols, grid, header_idx, headers, mapping)
    grid.release()  # the cells now live in ``cols``; let cleaned-away values be freed
    progress.check()
    if not keep.any():
        raise ImportFailed(
            f"工作表“{grid.name}”只有表头，没有客户数据行。",
            "请确认导出时选择了正确的范围（或选择其他工作表），然后重新导入。",
        )
    progress.stage("正在整理数据…")
    progress.set(55)
    source_rows = np.flatnonzero(keep).astype("int64") + grid.first_row + header_idx + 1
    index = pd.RangeIndex(len(source_rows))
    raw = cols if keep.all() else [s[keep].reset_index(drop=True) for s in cols]
    del cols
    problems: list[Problem] = []
    notes: list[str] = []
    data: dict[str, pd.Series] = {SOURCE_ROW: pd.Series(source_rows, index=index)}
    for f in FIELDS:
        progress.check()
        col = mapping.get(f.key)
        if col is None:
            data[f.key] = _empty(f.kind, index)
            continue
        values = raw[col]
        unit = columns.unit_of(headers[col])
        clean, field_problems, note = _clean_field(f.key, f.kind, values, unit, source_rows)
        data[f.key] = clean
        problems.extend(field_problems)
        if note:
            notes.append(note)
    progress.set(80)
    # the reason a customer cannot be banded
    spend_issue = pd.Series(pd.NA, index=index, dtype=object)
    spend_rows = {p.row: p.code for p in problems if p.code in SPEND_CODES}
    if spend_rows:
        spend_issue = pd.Series(
            pd.Series(source_rows).map(spend_rows).to_numpy(), index=index, dtype=object
        )
        spend_issue = spend_issue.where(spend_issue.notna(), pd.NA)
    data["spend_issue"] = spend_issue
    # duplicates: the second occurrence of a phone (or of an id when there is no phone)
    excluded = pd.Series(False, index=index)
    dup_key, dup_code = (
        ("phone", "duplicate_phone") if "phone" in mapping else ("customer_id", "duplicate_id")
    )
    if dup_key in mapping:
        keys = data[dup_key]
        dup = keys.notna() & keys.duplicated(keep="first")
        if dup.any():
            firsts = keys.notna() & ~dup
            first_of = dict(zip(keys[firsts], source_rows[firsts.to_numpy()], strict=True))
            what = "号码" if dup_key == "phone" else "客户编号"
            for i in np.flatnonzero(dup.to_numpy()):
                problems.append(
                    Problem(
                        int(source_rows[i]),
                        dup_key,
                        dup_code,
                        f"{what} {keys.iat[i]} 与第 {int(first_of[keys.iat[i]])}"
                        f" 行重复，只按第一次出现计一次客户；如确为两个客户，请在原表核对号码。",
                    )
                )
            excluded = dup
    extras: list[str] = []
    used = set(mapping.values())
    for col, header in enumerate(headers):
        if col in used:
            continue
        text = cleaning.clean_text(raw[col])
        if header.startswith("第") and header.endswith("列") and text.isna().all():
            continue  # an empty column without a header
        name = header if header not in data else f"{header}(原表)"
        data[name] = text
        extras.append(name)
    del raw
    customers = pd.DataFrame(data)
    dropped = set(int(r) for r in source_rows[excluded.to_numpy()])
    if dropped:
        customers = customers[~excluded.to_numpy()].reset_index(drop=True)
        # problems of an excluded row other than the duplicate itself are not repeated
        problems = [p for p in problems if p.row not in dropped or p.code in EXCLUDING_CODES]
    problems.sort(key=lambda p: (p.row, p.field))
    mapping_names = {k: headers[c] for k, c in sorted(mapping.items(), key=lambda kv: kv[1])}
    return ImportResult(
        source=path,
        kind=kind,
        sheet=grid.name,
        sheets=list(sheets),
        header_row=grid.first_row + header_idx,
        headers=headers,
        mapping=mapping_names,
        rows=int(keep.sum()),
        customers=customers,
        problems=problems,
        skipped=skipped,
        notes=notes,
        extra_columns=extras,
    )


def _empty(kind: str, index: pd.RangeIndex) -> pd.Series:
    if kind == DATE:
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if kind in (NUMBER, "money", "data"):
        return pd.Series(np.nan, index=index, dtype="float64")
    return pd.Series(pd.NA, index=index, dtype=object)


def _shown(value: object) -> str:
    text = str(value).strip()
    return text if len(text) <= 30 else text[:30] + "…"


def _problems(
    mask: pd.Series, values: pd.Series, source_rows: np.ndarray, key: str, code: str, message
) -> list[Problem]:
    idx = np.flatnonzero(mask.to_numpy())
    return [Problem(int(source_rows[i]), key, code, message(values.iat[i])) for i in idx]


def _clean_field(
    key: str, kind: str, values: pd.Series, unit: str, source_rows: np.ndarray
) -> tuple[pd.Series, list[Problem], str]:
    lab = BY_KEY[key].label
    note = ""
    if key == "spend":
        scale = 0.01 if unit == "分" else 1.0
        nums, status = cleaning.parse_numbers(values, scale)
        negative = (status == cleaning.OK) & (nums < 0)
        problems = (
            _problems(
                status == cleaning.MISSING,
                values,
                source_rows,
                key,
                "missing_spend",
                lambda v: (
                    "月均消费为空，该客户保留在清单中但无法分档；请在原表补上金额后重新导入。"
                ),
            )
            + _problems(
                status == cleaning.BAD,
                values,
                source_rows,
                key,
                "bad_spend",
                lambda v: (
                    f"月均消费“{_shown(v)}”不是金额，该客户无法分档；"
                    "请在原表改成数字（如 88.50）后重新导入。"
                ),
            )
            + _problems(
                negative,
                values,
                source_rows,
                key,
                "negative_spend",
                lambda v: (
                    f"月均消费为负数（{_shown(v)}），可能是退费或调账，该客户不参与分档；"
                    "请核实金额。"
                ),
            )
        )
        nums = nums.where(~negative, np.nan)
        if unit == "分":
            note = "“月均消费”列单位为分，已换算为元。"
        return nums.round(2), problems, note
    if kind == PHONE:
        phones, status = cleaning.parse_phones(values)
        problems = _problems(
            status == cleaning.MISSING,
            values,
            source_rows,
            key,
            "missing_phone",
            lambda v: "号码为空；客户仍保留，但建议书上不会有号码，请补充。",
        ) + _problems(
            status == cleaning.BAD,
            values,
            source_rows,
            key,
            "bad_phone",
            lambda v: (
                f"号码“{_shown(v)}”不是有效的手机或固话号码（手机为 11 位，"
                "固话需带区号）；请在原表核对。"
            ),
        )
        return phones, problems, note
    if key == "data_gb":
        gb, status, assumed = cleaning.parse_volume_gb(values, unit)
        if not unit and assumed == "mb":
            note = "“月均流量”列没有注明单位，数值较大，已按 MB 换算为 GB。"
        elif unit in ("mb", "kb"):
            note = f"“月均流量”列单位为 {unit.upper()}，已换算为 GB。"
        problems = _problems(
            status == cleaning.BAD,
            values,
            source_rows,
            key,
            "bad_number",
            lambda v: f"{lab}“{_shown(v)}”不是数字，按未知处理。",
        )
        return gb.round(3), problems, note
    if kind in (NUMBER,):
        scale = 1.0
        if key == "voice_min" and unit == "秒":
            scale, note = 1 / 60, "“月均通话”列单位为秒，已换算为分钟。"
        if key == "tenure_months" and unit == "年":
            scale, note = 12.0, "“在网时长”列单位为年，已换算为月。"
        nums, status = cleaning.parse_numbers(values, scale)
        problems = _problems(
            status == cleaning.BAD,
            values,
            source_rows,
            key,
            "bad_number",
            lambda v: f"{lab}“{_shown(v)}”不是数字，按未知处理。",
        )
        return nums.round(2), problems, note
    if kind == DATE:
        dates, status = cleaning.parse_dates(values)
        problems = _problems(
            status == cleaning.BAD,
            values,
            source_rows,
            key,
            "bad_date",
            lambda v: f"{lab}“{_shown(v)}”不是有效日期（应如 2019-03-05），按未知处理。",
        )
        return dates, problems, note
    assert kind in (TEXT, "secret")
    return cleaning.clean_text(values), [], note
