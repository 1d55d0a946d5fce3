"""Which campaign a file is, wherever it was copied (issue 25): the city database keys
every campaign by this id, so pushing the same file twice changes nothing and two counties'
files never mix.

- A campaign made by this version carries ``campaign_id`` in its meta: 32 hexadecimal
  digits (a random uuid4) written when it is created (``campaign new``, the window's
  保存为营销活动, a second round gets its own). 另存为 copies it: a copy is the same campaign.
- A file made before has none, and pushing it does not write one into it (the file may be
  on a read-only stick, and two copies on two laptops must agree): its id is worked out
  from what never changes in a campaign — when it was created, the SHA-256 of the list it
  was made from, and the identities of its first customers in list order (customers are
  only ever added at the end) — the same 32 digits on every copy.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

from core.campaign.decode import CAMPAIGN_ID

FIRST_CUSTOMERS = 100  # identities that go into a derived id


def new_campaign_id() -> str:
    return uuid.uuid4().hex


def campaign_id_of(meta: dict[str, Any], first_identities: Sequence[str]) -> str:
    """The campaign's id: the one it carries, or the one derived from what never changes."""
    own = meta.get(CAMPAIGN_ID)
    if isinstance(own, str) and own:
        return own
    source = meta.get("source") or {}
    parts = ["jzt", str(meta.get("created_at") or ""), str(source.get("sha256") or ""),
             *first_identities[:FIRST_CUSTOMERS]]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


__all__ = ["FIRST_CUSTOMERS", "campaign_id_of", "new_campaign_id"]
