"""What the letters say about the sender: branch, staff member, phone, logo, validity —
and the recommendation settings a branch sets once: the overage rates the expected bills
use, how 种子用户 / 传播型用户 are picked and the offer line each gets
(core.marketing.policy.OfferOptions takes these, the command line can override them).

Stored as ``letter_settings.json`` in the data folder (see core.base.appdata); a missing or damaged
file gives the defaults. The GUI's settings dialog and the headless commands both use
this object, so a letter printed from either says the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from core.base.appdata import load_json, save_json
from core.base.errors import InvalidInput

SETTINGS_FILE = "letter_settings.json"

# The playbook's offers for the two tags (运营商聚类市场差异化营销, 病毒式营销).
SEED_OFFER = "新业务免费体验 3 个月（最长 6 个月），店内作样板展示，欢迎同行来店参观体验"
SPREADER_OFFER = "同行多户一起办理享团购优惠；推荐同行办理，双方都有礼"


@dataclass
class Settings:
    branch: str = "中国电信××县分公司"  # 落款单位
    staff_name: str = ""  # 客户经理姓名
    staff_phone: str = ""  # 客户经理电话（建议书上完整显示，方便客户回电）
    logo_path: str = ""  # 可选：单位标志图片（.png/.jpg）
    validity_days: int = 30  # 优惠有效期：出具日期后多少天
    mask_phone: bool = True  # 客户号码打码（138****5678）：建议书、走访表、报表和导出的 Excel
    promises: dict[str, str] = field(default_factory=dict)  # 档位 → 服务承诺（覆盖默认）
    data_rate: float = 5.0  # 流量超出套餐后每 GB 多少元（估算办理后每月费用）
    voice_rate: float = 0.15  # 通话超出套餐后每分钟多少元
    seed_by: str = ""  # 种子用户按哪一列挑选："" 自动（有经营数据按经营数据，否则按月均消费）
    seed_share: float = 0.05  # 种子用户：每个市场前 5%
    spreader_share: float = 0.15  # 传播型用户：其后 15%（手册：15–20%）
    seed_offer: str = SEED_OFFER  # 种子用户的优惠（印在建议书上）
    spreader_offer: str = SPREADER_OFFER  # 传播型用户的优惠

    def __post_init__(self) -> None:
        try:
            self.validity_days = int(self.validity_days)
        except (TypeError, ValueError):
            raise InvalidInput(
                f"优惠有效天数“{self.validity_days}”不是整数。", "请填写 1 到 365 之间的天数。"
            ) from None
        if not 1 <= self.validity_days <= 365:
            raise InvalidInput(
                f"优惠有效天数 {self.validity_days} 不在 1 到 365 之间。", "例如填写 30。"
            )
        for name in ("branch", "staff_name", "staff_phone", "logo_path", "seed_by"):
            setattr(self, name, str(getattr(self, name) or "").strip())
        for name, default in (("seed_offer", SEED_OFFER), ("spreader_offer", SPREADER_OFFER)):
            setattr(self, name, " ".join(str(getattr(self, name) or default).split()))
        for name, what, high in (("data_rate", "流量超出单价（元/GB）", 100.0),
                                 ("voice_rate", "通话超出单价（元/分钟）", 100.0),
                                 ("seed_share", "种子用户比例", 0.3),
                                 ("spreader_share", "传播型用户比例", 0.5)):  # fmt: skip
            setattr(self, name, _number(getattr(self, name), what, high))
        self.promises = {str(k): str(v) for k, v in dict(self.promises or {}).items()}

    @property
    def logo(self) -> Path | None:
        """The logo file if one is set and exists, else None (a letter without logo)."""
        if not self.logo_path:
            return None
        path = Path(self.logo_path)
        return path if path.is_file() else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Settings:
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        while True:  # a bad value falls back to its default, not the whole file
            try:
                return cls(**values)
            except InvalidInput:
                bad = next((k for k in values if not _valid(k, values[k])), None)
                if bad is None:
                    return cls()
                del values[bad]


def _number(value: Any, what: str, high: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not 0 <= v <= high:  # also NaN
        raise InvalidInput(f"{what}“{value}”不在 0 到 {high:g} 之间。", "请在设置中改正后再保存。")
    return v


def _valid(name: str, value: Any) -> bool:
    try:
        Settings(**{name: value})
    except InvalidInput:
        return False
    return True


def load_settings() -> Settings:
    return Settings.from_dict(load_json(SETTINGS_FILE, {}))


def save_settings(settings: Settings) -> None:
    save_json(SETTINGS_FILE, settings.to_dict())
