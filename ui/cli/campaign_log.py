"""``proposals/sheets … --campaign C.jzt``: record the generated letters in the campaign."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def check_campaign(path: str | None) -> None:
    """Open and close the campaign before the slow work: a wrong file is said at once."""
    if path:
        from core.campaign import Campaign

        Campaign.open(path).close()


def log_letters(
    path: str, chosen: Any, kind: str, template: str, files: list[Path], per_customer: int
) -> str:
    """Log one document per customer of ``chosen`` (their files) in the campaign; the line
    to print. Customers the campaign does not have are counted, not logged."""
    from core.campaign import Campaign

    phones = chosen["phone"].tolist() if "phone" in chosen else [None] * len(chosen)
    ids = chosen["customer_id"].tolist() if "customer_id" in chosen else [None] * len(chosen)
    keys, outputs, missing = [], [], 0
    with Campaign.open(path) as campaign:
        for i, (phone, cid) in enumerate(zip(phones, ids, strict=True)):
            key = campaign.key_for(phone, cid)
            if key is None:
                missing += 1
                continue
            keys.append(key)
            mine = files[i * per_customer : (i + 1) * per_customer]
            outputs.append("；".join(f.name for f in mine))
        campaign.log_documents(kind, template, keys, outputs)
    line = f"已记入营销活动 {Path(path).name}：{len(keys)} 位客户的{kind}。"
    if missing:
        line += f"另有 {missing} 位客户不在这个营销活动中，没有记录（请确认清单和活动是否对应）。"
    return line
