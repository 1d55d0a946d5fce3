"""``proposals/sheets … --campaign C.jzt``: record the generated letters in the campaign."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def check_campaign(path: str | None) -> None:
    """Before the slow work: a wrong campaign file, or one that cannot be saved to (a
    read-only file or folder), is said at once, before any letter is written."""
    if path:
        from core.campaign import check_writable

        check_writable(path)


def log_letters(
    path: str, chosen: Any, kind: str, template: str, files: list[Path], per_customer: int
) -> str:
    """Log the letters in the campaign (core.campaign.log_letters); the line to print."""
    from core.campaign import log_letters as log
    from core.campaign import logged_text

    logged, missing = log(path, chosen, kind, template, files, per_customer)
    return logged_text(path, kind, logged, missing)
