"""Recording generated letters in a campaign: which customer got which file."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def log_letters(
    path: str | Path, chosen: Any, kind: str, template: str, files: list[Path], per_customer: int
) -> tuple[int, int]:
    """Log one document per customer of ``chosen`` (the offers rows the letters were made
    for, in order; ``files``: ``per_customer`` files each) in the campaign at ``path``.

    Returns (customers logged, customers the campaign does not have — counted, not logged).
    """
    from core.campaign.campaign import Campaign

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
    return len(keys), missing


def logged_text(path: str | Path, kind: str, logged: int, missing: int) -> str:
    """The sentence that tells the user what was recorded."""
    line = f"已记入营销活动 {Path(path).name}：{logged} 位客户的{kind}。"
    if missing:
        line += f"另有 {missing} 位客户不在这个营销活动中，没有记录（请确认清单和活动是否对应）。"
    return line
