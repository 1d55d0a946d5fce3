"""Canonical customer fields: English identifiers in code, Chinese labels for users."""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text"
PHONE = "phone"
MONEY = "money"
NUMBER = "number"
DATA = "data"  # volume in GB; MB columns are converted
DATE = "date"
SECRET = "secret"  # kept, never printed


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str


FIELDS: tuple[Field, ...] = (
    Field("customer_id", "客户编号", TEXT),
    Field("phone", "手机号码", PHONE),
    Field("name", "客户名称", TEXT),
    Field("spend", "月均消费(元)", MONEY),
    Field("package", "当前套餐", TEXT),
    Field("data_gb", "月均流量(GB)", DATA),
    Field("voice_min", "月均通话(分钟)", NUMBER),
    Field("join_date", "入网时间", DATE),
    Field("tenure_months", "在网时长(月)", NUMBER),
    Field("contract_end", "合约到期", DATE),
    Field("broadband", "宽带", TEXT),
    Field("industry", "行业", TEXT),
    Field("market", "聚类市场", TEXT),
    Field("grid", "网格", TEXT),
    Field("address", "地址", TEXT),
    Field("manager", "客户经理", TEXT),
    Field("id_number", "证件号码", SECRET),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}

# Columns the import adds next to the canonical fields.
SOURCE_ROW = "source_row"  # 1-based Excel row number of the customer
SOURCE_ROW_LABEL = "Excel行号"


def label(key: str) -> str:
    """Chinese label of a canonical field, or the key itself for unmapped columns."""
    if key == SOURCE_ROW:
        return SOURCE_ROW_LABEL
    field = BY_KEY.get(key)
    return field.label if field else key


def field_keys() -> list[str]:
    return [f.key for f in FIELDS]
