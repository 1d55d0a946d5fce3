"""Results over several campaign files: one per county, one per round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

from core.base.errors import InvalidInput
from core.campaign.campaign import Campaign
from core.campaign.results import Results


def combined_results(
    paths: Sequence[str | Path],
    by: str | Sequence[str] = "band",
    today: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Results:
    """One table over several campaign files (one per county, one per round), each read
    where it lies; each file counts its own customers and visits once (core.campaign.tally)."""
    from core.campaign.tally import results_of

    # the same file named twice (a.jzt ./a.jzt) is counted once
    paths = list({Path(p).resolve(): Path(p) for p in paths}.values())
    if not paths:
        raise InvalidInput("没有给出营销活动文件。", "请至少给出一个 .jzt 文件。")

    def opened() -> Iterator[Campaign]:
        for path in paths:
            with Campaign.open(path, readonly=True) as campaign:
                yield campaign

    return results_of(opened(), by, today, date_from, date_to, list(paths))


__all__ = ["combined_results"]
