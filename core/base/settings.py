"""What the letters say about the sender: branch, staff member, phone, logo, validity.

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


@dataclass
class Settings:
    branch: str = "中国电信××县分公司"  # 落款单位
    staff_name: str = ""  # 客户经理姓名
    staff_phone: str = ""  # 客户经理电话（建议书上完整显示，方便客户回电）
    logo_path: str = ""  # 可选：单位标志图片（.png/.jpg）
    validity_days: int = 30  # 优惠有效期：出具日期后多少天
    mask_phone: bool = True  # 客户号码打码显示（138****5678）
    promises: dict[str, str] = field(default_factory=dict)  # 档位 → 服务承诺（覆盖默认）

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
        for name in ("branch", "staff_name", "staff_phone", "logo_path"):
            setattr(self, name, str(getattr(self, name) or "").strip())
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
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except InvalidInput:
            return cls()


def load_settings() -> Settings:
    return Settings.from_dict(load_json(SETTINGS_FILE, {}))


def save_settings(settings: Settings) -> None:
    save_json(SETTINGS_FILE, settings.to_dict())
