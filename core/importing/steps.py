"""The import steps after the file is open: sheet, header, mapping, rows, cleaning.

Kept apart from ``core.importing.importer`` so that pandas is imported while calamine parses the
sheet on its background thread (see ``Book.prefetch``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from core.base.errors import ImportFailed
from core.base.fields import FIELDS, SOURCE_ROW
from core.base.progress import Progress
from core.importing import cleaning, columns
from core.importing.field_cleaning import clean_field, empty_column
from core.importing.mapping import header_texts, resolve_mapping
from core.importing.problems import EXCLUDING_CODES, SPEND_CODES, WHOLE_ROW, Problem
from core.importing.readers import Book, Grid
from core.importing.result import ImportResult
from core.importing.row_kinds import classify_rows, nonempty_cells


def run_import(
    book: Book,
    sheet: str | None,
    overrides: dict[str, str] | None,
    progress: Progress,
    remember: bool,
    require_spend: bool = True,
) -> ImportResult:
    """Everything after opening the file (see ``core.importing.importer.import_file``)."""
    progress.check()
    grid, header_idx = _choose_sheet(book, sheet, bool(overrides))
    progress.check()
    progress.stage("正在识别表头…")
    progress.set(40)
    top = grid.row(header_idx)
    sub = _sub_header(top, grid.row(header_idx + 1)) if header_idx + 1 < grid.n_rows else None
    letters = grid.letters(max(len(top), len(sub or ())))
    headers = header_texts(sub if sub is not None else top, letters)
    mapping = resolve_mapping(headers, overrides, remember, letters, require_spend)
    data_start = header_idx + (2 if sub is not None else 1)
    notes = _choice_notes(headers, mapping, overrides) if "spend" in mapping else []
    result = _build(
        book.path,
        book.kind,
        book.sheet_names,
        grid,
        (header_idx, data_start),
        headers,
        mapping,
        progress,
    )
    result.notes[:0] = notes
    return result


def _choice_notes(
    headers: list[str], mapping: dict[str, int], overrides: dict[str, str] | None
) -> list[str]:
    """Say which column became 月均消费 when several could have (so the user can check)."""
    if overrides and any(columns.resolve_field(k) == "spend" for k in overrides):
        return []
    others = [
        headers[i] for i in columns.field_candidates(headers, "spend") if i != mapping["spend"]
    ]
    if not others:
        return []
    shown = "、".join(f"“{h}”" for h in others[:4])
    return [
        f"月均消费取自“{headers[mapping['spend']]}”列（表中还有 {shown} 也像消费金额）；"
        "如不对，请用 --map spend=列名 指定（图形界面：修改列对应）。"
    ]


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
    # the sheet that holds the customer list: it has a spend column and a phone/id/name
    # column, and then the most rows (a 汇总 or 抽样 sheet loses to the 明细 sheet)
    best: tuple[tuple[bool, bool, int, int], Grid, int] | None = None
    for name in book.sheet_names:
        grid = book.grid(name)
        head = grid.head(columns.HEADER_SCAN_ROWS)
        idx, score = columns.find_header_row(head)
        if idx < 0:
            continue
        found = set(columns.auto_mapping(header_texts(head[idx], grid.letters(len(head[idx])))))
        key = (
            "spend" in found,
            bool(found & {"phone", "customer_id", "name"}),
            grid.n_rows - idx,
            score,
        )
        if best is None or key > best[0]:
            best = (key, grid, idx)
    best_score = best[0][3] if best else 0
    if (
        best_score < 2
        and book.kind == "csv"
        and book.path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".et")
    ):
        raise ImportFailed(
            f"文件扩展名是 {book.path.suffix}，但内容不是 Excel 表格：{book.path.name}。",
            "它可能是改了扩展名的其他文件。请找到从系统导出的原始客户清单，或在 Excel 中另存为 .xlsx。",
        )
    if best_score < 2:
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
    return best[1], best[2]


def _first_nonblank(rows: list[list]) -> int:
    for i, row in enumerate(rows[: columns.HEADER_SCAN_ROWS]):
        if nonempty_cells(row):
            return i
    return -1


_NUMBERISH = re.compile(r"^[\d\s.,+\-元%]+$")


def _sub_header(top: list, below: list) -> list | None:
    """Combined two-row header texts ("ARPU" over "本月"/"上月" → "ARPU本月"), or None.

    The row under the header is a second header row when it holds only text, nothing that
    looks like a number, and repeats (vertically merged) or completes the header above.
    """
    cells = [(t, b) for t, b in zip(top, below, strict=False)]
    texts = [b for _t, b in cells if b not in ("", None)]
    if len(texts) < 2 or not all(isinstance(b, str) for b in texts):
        return None
    if any(_NUMBERISH.match(b.strip()) for b in texts):
        return None
    blank = ("", None)
    same = sum(1 for t, b in cells if t not in blank and t == b)
    new = [(i, b) for i, (t, b) in enumerate(cells) if b not in blank and b != t]
    if not same or not new:
        return None
    combined = [str(t) if t not in blank else "" for t in top]
    combined += [""] * (len(below) - len(combined))
    group = ""
    for i, b in enumerate(below):
        t = top[i] if i < len(top) else ""
        if t not in blank:
            group = str(t)
        if b in blank or b == t:
            continue
        prefix = str(t) if t not in blank else group
        combined[i] = f"{prefix}{b}" if prefix else str(b)
    return combined


def _columns_of(grid: Grid, header_idx: int, headers: list[str]) -> list[pd.Series]:
    """The data area below the header as one object Series per column."""
    data = grid.columns(header_idx + 1)
    headers.extend(f"第{grid.letter(i)}列" for i in range(len(headers), len(data)))
    n = len(data[0]) if data else 0
    index = pd.RangeIndex(n)
    out = []
    while data:
        out.append(pd.Series(data.pop(0), index=index, dtype=object))
    return out


def _build(
    path: Path,
    kind: str,
    sheets: list[str],
    grid: Grid,
    header_rows: tuple[int, int],
    headers: list[str],
    mapping: dict[str, int],
    progress: Progress,
) -> ImportResult:
    header_idx, data_start = header_rows  # first header row; first row below the header
    cols = _columns_of(grid, data_start - 1, headers)
    keep, skipped = classify_rows(cols, grid, header_idx, data_start, headers, mapping)
    grid.release()  # the cells now live in ``cols``; let cleaned-away values be freed
    progress.check()
    if not keep.any():
        raise ImportFailed(
            f"工作表“{grid.name}”只有表头，没有客户数据行。",
            "请确认导出时选择了正确的范围（或选择其他工作表），然后重新导入。",
        )
    progress.stage("正在整理数据…")
    progress.set(55)
    source_rows = grid.excel_rows(np.flatnonzero(keep) + data_start)
    index = pd.RangeIndex(len(source_rows))
    raw = cols if keep.all() else [s[keep].reset_index(drop=True) for s in cols]
    del cols
    problems: list[Problem] = [
        Problem(grid.excel_row(i), WHOLE_ROW, code, message) for i, code, message in grid.problems
    ]
    notes: list[str] = []
    data: dict[str, pd.Series] = {SOURCE_ROW: pd.Series(source_rows, index=index)}
    uses = Counter(mapping.get(f.key) for f in FIELDS)
    for f in FIELDS:
        progress.check()
        col = mapping.get(f.key)
        if col is None:
            data[f.key] = empty_column(f.kind, index)
            continue
        values = raw[col]
        unit = columns.unit_of(headers[col])
        clean, field_problems, note = clean_field(f.key, f.kind, values, unit, source_rows)
        uses[col] -= 1
        if not uses[col]:
            raw[col] = values = None  # the raw cells go once cleaned (the peak is here)
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
        header_row=grid.excel_row(header_idx),
        headers=headers,
        mapping=mapping_names,
        rows=int(keep.sum()),
        customers=customers,
        problems=problems,
        skipped=skipped,
        notes=notes,
        extra_columns=extras,
    )
