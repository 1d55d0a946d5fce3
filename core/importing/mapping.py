"""Header texts and the column mapping: automatic, remembered, or given by the user."""

from __future__ import annotations

from collections import Counter

from core.base import appdata
from core.base.errors import InvalidInput, MappingNeeded
from core.base.fields import FIELDS
from core.base.safe_text import without_controls
from core.importing import columns

MAPPINGS_FILE = "column_mappings.json"


def header_texts(row: list, letters: list[str] | None = None) -> list[str]:
    """Header cells as text; blank headers become 第X列 and repeats get _2, _3.

    ``letters`` are the sheet's column letters of the cells when the grid left columns out
    (see ``Grid.col_numbers``); by default the i-th cell is column i.
    """
    out = []
    seen: Counter[str] = Counter()
    for i, cell in enumerate(row):
        text = str(cell).strip() if cell not in ("", None) else ""
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        if "_x" in text or not text.isprintable():  # control characters (_x0007_) out
            text = without_controls(text).strip()
        if not text:
            text = f"第{letters[i] if letters and i < len(letters) else col_letter(i)}列"
        seen[text] += 1
        if seen[text] > 1:
            text = f"{text}_{seen[text]}"
        out.append(text)
    return out


def col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def resolve_mapping(
    headers: list[str],
    overrides: dict[str, str] | None,
    remember: bool,
    letters: list[str] | None = None,
    require_spend: bool = True,
) -> dict[str, int]:
    """Field → column index: automatic, then remembered, then the user's ``overrides``
    (a header as written, or a column letter; ``letters`` as in ``header_texts``).
    MappingNeeded without a spend column, unless ``require_spend`` is False."""
    mapping = columns.auto_mapping(headers)
    signature = columns.header_signature(headers)
    memory = appdata.load_json(MAPPINGS_FILE, {})
    remembered = memory.get(signature) if isinstance(memory, dict) else None
    if isinstance(remembered, dict):
        mapping = _apply(headers, mapping, remembered, strict=False, letters=letters)
    if overrides:
        mapping = _apply(headers, mapping, overrides, strict=True, letters=letters)
        if remember:
            memory = memory if isinstance(memory, dict) else {}
            memory[signature] = {k: headers[c] for k, c in mapping.items()}
            appdata.save_json(MAPPINGS_FILE, memory)
    if "spend" not in mapping and require_spend:
        shown = "、".join(h for h in headers if not h.startswith("第"))
        raise MappingNeeded(
            "没有找到“月均消费（ARPU）”列，无法按消费区间分档。",
            f"表头是：{shown}。请指定哪一列是月均消费，例如 --map spend=出账收入"
            "（图形界面中在“列对应”里选择）。",
            headers,
        )
    return mapping


def _apply(
    headers: list[str],
    mapping: dict[str, int],
    wanted: dict[str, str],
    strict: bool,
    letters: list[str] | None = None,
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
        col = columns.resolve_header(headers, str(header), letters)
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
