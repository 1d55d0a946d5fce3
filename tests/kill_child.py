"""Child process of the kill -9 test (tests/core/campaign/test_campaign_kill.py): imports filled files or
saves visits one by one into a campaign, printing a line after each finished step; then
waits until the parent kills it or closes its stdin.

    python -m tests.kill_child import CAMPAIGN FILE …
    python -m tests.kill_child save CAMPAIGN KEY …
"""

from __future__ import annotations

import datetime as dt
import sys

TODAY = dt.date(2026, 12, 2)


def main() -> None:
    mode, path, *items = sys.argv[1:]
    import pandas  # noqa: F401  (loaded before "ready": kills land in the work itself)
    import python_calamine  # noqa: F401

    import core.campaign.visit_import
    import core.importing.readers  # noqa: F401
    from core.campaign import Campaign, Visit

    campaign = Campaign.open(path)
    print("ready", flush=True)
    for i, item in enumerate(items):
        if mode == "import":
            campaign.import_visits([item], today=TODAY)
        else:
            visit = Visit(visit_date=dt.date(2026, 11, 1) + dt.timedelta(days=i % 28),
                          visitor="录入员", intent="有意向", met=True, objections=("价格",),
                          suggestion=f"第{i}条")  # fmt: skip
            campaign.add_visit(item, visit, today=TODAY)
        print(f"done {i}", flush=True)
    campaign.close()
    print("finished", flush=True)
    sys.stdin.read()  # wait: the parent kills us, or closes our stdin


if __name__ == "__main__":
    main()
