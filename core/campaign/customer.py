"""A customer of the campaign as the file holds them: their list columns and their offer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.campaign import decode
from core.campaign.keys import mask_phone


@dataclass(frozen=True)
class Customer:
    """A customer of the campaign with their offer (``data``/``offer``: every column)."""

    key: str
    name: str
    phone: str
    customer_id: str
    band: str | None
    spend: float | None
    offer_package: str
    offer_fee: float | None
    source_row: int | None
    data: dict[str, Any] = field(default_factory=dict)
    offer: dict[str, Any] = field(default_factory=dict)
    origin: str = "清单"  # 清单 / 潜在客户 / 现场新增 (core.campaign.values.ORIGINS)
    added_at: str | None = None  # when a prospect or walk-in was added

    @property
    def is_new(self) -> bool:
        """A prospect or walk-in: not on the network (no spend, no band)."""
        return self.origin != "清单"

    def shown_phone(self, unmask: bool = False) -> str:
        return self.phone if unmask else mask_phone(self.phone)


def customer_of(row: Sequence[Any], path: Path) -> Customer:
    (key, _ident, _seq, source_row, customer_id, phone, name, band, spend, offer_package,
     offer_fee, data, offer, origin, added_at) = row  # fmt: skip
    what = f"客户“{key}”的数据无法读取"
    return Customer(key, name or "", phone or "", customer_id or "", band, spend,
                    offer_package or "", offer_fee, source_row,
                    decode.record(data, path, what), decode.record(offer, path, what),
                    origin, added_at)  # fmt: skip


__all__ = ["Customer", "customer_of"]
