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
    """Log the letters in the campaign (core.campaign.log_letters); the line to print."""
    from core.campaign import log_letters as log
    from core.campaign import logged_text

    logged, missing = log(path, chosen, kind, template, files, per_customer)
    return logged_text(path, kind, logged, missing)
