"""Import problems: every data row that is not a clean customer has a row and a reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# code -> short Chinese name (for reports and the GUI's filter)
PROBLEM_NAMES: dict[str, str] = {
    "missing_spend": "月均消费为空",
    "bad_spend": "月均消费不是数字",
    "negative_spend": "月均消费为负数",
    "implausible_spend": "月均消费超出合理范围",
    "missing_phone": "号码为空",
    "bad_phone": "号码无效",
    "duplicate_phone": "号码重复",
    "duplicate_id": "客户编号重复",
    "bad_date": "日期无效",
    "bad_number": "数值无效",
    "implausible_number": "用量或时长不合理",
    "bad_quote": "引号没有闭合",
}

# The field of a problem that concerns the whole row (as the file reader saw it).
WHOLE_ROW = "整行"

# Codes after which the row is not a customer of its own (it is listed, not counted).
EXCLUDING_CODES = frozenset({"duplicate_phone", "duplicate_id"})
# Codes that keep the customer but make them unbandable.
SPEND_CODES = ("missing_spend", "bad_spend", "negative_spend", "implausible_spend")


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based Excel row number (line number for CSV)
    field: str  # canonical field key
    code: str
    message: str  # Chinese, says what to do

    def to_dict(self) -> dict:
        return asdict(self)
