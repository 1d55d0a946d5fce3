"""The list's other columns the recommendation reads: business size and present services.

The import maps the canonical fields (core.base.fields); every other column stays in the
customers frame under its own header. Here those headers are recognised by the
``[business.*]`` and ``[services.*]`` synonyms of resources/columns.toml:

- business size (年销售额、营业额、门店面积、员工数) — the playbook picks 种子用户 (the
  market's leading shops) and 传播型用户 (mid-sized shops) by it;
- present services (宽带、融合、固话) — a customer who has them keeps them.

``business_number`` reads "850万", "1.2亿元", "120㎡", "15人"; ``service_flag`` reads
"有", "是", "100M", "0571-8888…" as yes and "无", "否", "0", "No" as no.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.base.errors import InvalidInput
from core.base.fields import BY_KEY, SOURCE_ROW
from core.base.resources import resource
from core.importing.columns import normalize

SYNONYMS_FILE = resource("columns.toml")
BUSINESS_ORDER = ("annual_sales", "turnover", "shop_area", "staff_count")  # auto: first found
SPEND_LABEL = "月均消费"
_INTERNAL = {SOURCE_ROW, "spend_issue"}


@dataclass(frozen=True)
class ColumnRule:
    key: str
    label: str
    synonyms: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...] = ()

    def score(self, header: str) -> int:
        norm = normalize(header)
        if not norm:
            return 0
        if norm in self.synonyms:
            return 100 - self.synonyms.index(norm)
        if any(p.search(norm) for p in self.exclude):
            return 0
        return 10 if any(p.search(norm) for p in self.patterns) else 0


@functools.lru_cache(maxsize=4)
def _rules(path: Path = SYNONYMS_FILE) -> dict[str, tuple[ColumnRule, ...]]:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, tuple[ColumnRule, ...]] = {}
    for group in ("business", "services"):
        rules = []
        for key, spec in dict(data.get(group, {})).items():
            rules.append(ColumnRule(
                key, str(spec.get("label") or key),
                tuple(dict.fromkeys(normalize(s) for s in spec.get("synonyms", []))),
                tuple(re.compile(p, re.I) for p in spec.get("patterns", [])),
                tuple(re.compile(p, re.I) for p in spec.get("exclude", [])),
            ))  # fmt: skip
        out[group] = tuple(rules)
    return out


def _other_columns(frame: pd.DataFrame) -> list[str]:
    """Columns the import did not map to a field (their original headers)."""
    return [str(c) for c in frame.columns if c not in BY_KEY and c not in _INTERNAL
            and not str(c).startswith(("tag_", "offer_"))]  # fmt: skip


def _find(frame: pd.DataFrame, group: str) -> dict[str, list[str]]:
    """rule key → the list's columns it recognises, best first (each column once)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for col in _other_columns(frame):
        scored = [(r.score(col), r.key) for r in _rules()[group]]
        best, key = max(scored, default=(0, ""))
        if best:
            found.setdefault(key, []).append((best, col))
    return {k: [c for _s, c in sorted(v, key=lambda t: -t[0])] for k, v in found.items()}


def business_columns(frame: pd.DataFrame) -> dict[str, str]:
    """Business key → the list's column for it (only columns with at least one number)."""
    out = {}
    for key, cols in _find(frame, "business").items():
        for col in cols:
            if business_number(frame[col]).notna().any():
                out[key] = col
                break
    return out


def business_label(key: str) -> str:
    return next((r.label for r in _rules()["business"] if r.key == key), key)


def seed_basis(frame: pd.DataFrame, seed_by: str = "", strict: bool = True) -> tuple[str, str]:
    """(column, label) the seed and spreader users are ranked by.

    ``seed_by``: "" (auto: the first business column the list has — 年销售额, 营业额, 门店面积,
    员工数 — else the spend), "spend"/"月均消费", a business word (营业额) or any column
    header of the list. A column that does not exist or holds no numbers is an error when
    ``strict`` (the command line asked for it), else the automatic choice (a setting made
    for other lists).
    """
    wanted = str(seed_by or "").strip()
    found = business_columns(frame)
    if not wanted:
        for key in BUSINESS_ORDER:
            if key in found:
                return found[key], found[key]
        return "spend", SPEND_LABEL
    if wanted.lower() in ("spend", "auto") or normalize(wanted) in (normalize(SPEND_LABEL), "arpu"):
        if wanted.lower() == "auto":
            return seed_basis(frame, "")
        return "spend", SPEND_LABEL
    if wanted in frame.columns:
        column = wanted
    else:
        column = next((c for c in _other_columns(frame) if normalize(c) == normalize(wanted)), "")
        if not column:
            key = next((r.key for r in _rules()["business"] if r.score(wanted)), "")
            column = found.get(key, "")
    if not column or not business_number(frame[column]).notna().any():
        if not strict:
            return seed_basis(frame, "")
        have = "、".join(found.values()) or "（没有）"
        raise InvalidInput(
            f"清单里没有可用来挑选种子用户的列“{wanted}”（要有数字）。",
            f"清单中识别到的经营数据列：{have}。可以写其中一个列名，或写 spend 按月均消费挑选。",
        )
    return column, column


_MULTIPLIERS = {"亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
_UNITS = ("元/月", "元/年", "人民币", "平方米", "平米", "万元", "亿元", "元", "㎡", "m2", "m²",
          "平", "人", "名", "个", "家")  # fmt: skip
_NUMBER = re.compile(r"^[+]?(\d+(\.\d*)?|\.\d+)$")


def _one_number(value: object) -> float:
    if value is None or value is pd.NA:
        return np.nan
    if isinstance(value, bool):
        return np.nan
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        return v if np.isfinite(v) and v >= 0 else np.nan
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = text.replace(",", "").replace(" ", "").removeprefix("约").removesuffix("左右")
    scale = 1.0
    for unit in _UNITS:
        if text.endswith(unit):
            if unit in ("万元", "亿元"):
                scale = _MULTIPLIERS[unit[0]]
            text = text[: -len(unit)]
            break
    if text and text[-1] in _MULTIPLIERS:
        scale *= _MULTIPLIERS[text[-1]]
        text = text[:-1]
    if not _NUMBER.match(text):
        return np.nan
    v = float(text) * scale
    return v if np.isfinite(v) else np.nan


def business_number(values: pd.Series) -> pd.Series:
    """Each cell as a non-negative number (NaN when it is not one): 850万 → 8,500,000.

    One Python step per distinct value (a list has few), not per customer.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        v = pd.to_numeric(values, errors="coerce").astype("float64")
        return v.where(v >= 0)
    codes, uniques = pd.factorize(values.astype("object"), use_na_sentinel=True)
    table = np.array([*(_one_number(u) for u in uniques), np.nan], dtype="float64")
    return pd.Series(table[codes], index=values.index, dtype="float64")


_NO = {"无", "否", "没有", "未办理", "未开通", "不是", "非融合", "未融合", "单移动", "0", "0.0", "no",
       "n", "none", "false", "null", "nan", "-", "—", "--", "/", "×", "x", "无宽带", "无固话",
       "no internet service", "no phone service", "未装", "不含"}  # fmt: skip


def _one_flag(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return bool(np.isfinite(value) and value > 0)
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return bool(text) and text not in _NO


def service_flag(values: pd.Series) -> np.ndarray:
    """Whether each cell says the customer has the service (宽带/融合/固话 columns)."""
    codes, uniques = pd.factorize(values.astype("object"), use_na_sentinel=True)
    table = np.array([*(_one_flag(u) for u in uniques), False], dtype=bool)
    return table[codes]


def service_columns(frame: pd.DataFrame) -> dict[str, list[str]]:
    """'broadband' / 'landline' → the list's columns saying so (the broadband field first)."""
    found = _find(frame, "services")
    broadband = (["broadband"] if "broadband" in frame.columns else []) + found.get("broadband", [])
    return {"broadband": broadband, "landline": found.get("landline", [])}


def listed_services(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(has broadband, has a landline) per customer, by the list's own columns."""
    cols = service_columns(frame)
    out = []
    for key in ("broadband", "landline"):
        flag = np.zeros(len(frame), dtype=bool)
        for col in cols[key]:
            flag |= service_flag(frame[col])
        out.append(flag)
    return out[0], out[1]


_MBPS = re.compile(r"(\d+(?:\.\d+)?)\s*(g|m)", re.I)


def listed_speed(frame: pd.DataFrame) -> np.ndarray:
    """Broadband speed in Mbps named by the list ("200M", "千兆", "1G"); NaN when unknown."""
    speed = np.full(len(frame), np.nan)
    for col in service_columns(frame)["broadband"]:
        codes, uniques = pd.factorize(frame[col].astype("object"), use_na_sentinel=True)
        table = np.array([*(_one_speed(u) for u in uniques), np.nan], dtype="float64")
        speed = np.where(np.isnan(speed), table[codes], speed)
    return speed


def _one_speed(value: object) -> float:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if "千兆" in text:
        return 1000.0
    if "百兆" in text:
        return 100.0
    m = _MBPS.search(text)
    if not m:
        return np.nan
    return float(m.group(1)) * (1000.0 if m.group(2).lower() == "g" else 1.0)


__all__ = [
    "BUSINESS_ORDER",
    "SPEND_LABEL",
    "business_columns",
    "business_label",
    "business_number",
    "listed_services",
    "listed_speed",
    "seed_basis",
    "service_columns",
    "service_flag",
]
