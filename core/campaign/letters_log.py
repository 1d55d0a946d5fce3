"""Letters for a campaign: the customers they are for (one person's stack, with 走访人 and
the campaign's 客户编号 on them), and recording which customer got which file."""

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
    from core.campaign.model import CARRIED, carried_offer

    phones = chosen["phone"].tolist() if "phone" in chosen else [None] * len(chosen)
    said = {c: chosen[c].astype("object").tolist() for c in CARRIED if c in chosen}
    ids = chosen["customer_id"].tolist() if "customer_id" in chosen else [None] * len(chosen)
    known = chosen["key"].tolist() if "key" in chosen else [None] * len(chosen)
    keys, outputs, offers, missing = [], [], [], 0
    with Campaign.open(path) as campaign:
        for i, (phone, cid, own) in enumerate(zip(phones, ids, known, strict=True)):
            key = own or campaign.key_for(phone, cid)
            if key is None:
                missing += 1
                continue
            keys.append(key)
            mine = files[i * per_customer : (i + 1) * per_customer]
            outputs.append("；".join(f.name for f in mine))
            offers.append(carried_offer({c: v[i] for c, v in said.items()}))
        campaign.log_documents(kind, template, keys, outputs, offers if said else ())
    return len(keys), missing


def logged_text(path: str | Path, kind: str, logged: int, missing: int) -> str:
    """The sentence that tells the user what was recorded."""
    line = f"已记入营销活动 {Path(path).name}：{logged} 位客户的{kind}。"
    if missing:
        line += f"另有 {missing} 位客户不在这个营销活动中，没有记录（请确认清单和活动是否对应）。"
    return line


def letter_frame(path: str | Path, offers: Any = None, staff: str | None = None) -> Any:
    """The customers to write letters for, as an offers frame with the campaign's ``key``,
    客户来源 and 分配给 (走访人) columns.

    ``offers``: the offers computed from a list (make_offers); None: the campaign's own
    customers and offers (the campaign file is the document — prospects and walk-ins
    included). ``staff``: only the customers assigned to that person (InvalidInput naming
    who has customers when nobody is assigned to them). A list row the campaign does not
    have keeps an empty key (it is counted, not logged, when the letters are recorded).
    """
    from core.campaign.campaign import Campaign
    from core.campaign.values import ASSIGNEE_COLUMN, ORIGIN_COLUMN, person

    with Campaign.open(path, readonly=True) as campaign:
        if offers is None:
            frame = campaign.customers_frame()
        else:
            frame = offers.copy()
            phones = frame["phone"].tolist() if "phone" in frame else [None] * len(frame)
            ids = frame["customer_id"].tolist() if "customer_id" in frame else [None] * len(frame)
            keys = [campaign.key_for(p, c) or "" for p, c in zip(phones, ids, strict=True)]
            origin = {c.key: c.origin for c in campaign.customers()}
            assigned = campaign.assignments()
            frame["key"] = keys
            frame[ORIGIN_COLUMN] = [origin.get(k, "") for k in keys]
            frame[ASSIGNEE_COLUMN] = [assigned.get(k, "") for k in keys]
        if staff:
            campaign.assigned_to(staff)  # InvalidInput when nobody is assigned to them
            frame = frame[frame[ASSIGNEE_COLUMN] == person(staff)]
    return frame
