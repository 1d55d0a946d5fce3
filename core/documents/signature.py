"""Who signs the letters: is the sender filled in, or would paper show a placeholder?

The default 落款单位 is "中国电信××县分公司" and 客户经理 / 电话 start empty; a letter
printed like that reaches a customer with ×× and blank lines. ``unsigned`` lists what is
missing (in Chinese), ``unsigned_text`` says it in one sentence with what to do next.
The window asks before generating or printing; the ``proposals``/``sheets`` commands
print one warning line (their exit code is unchanged).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.base import Settings

PLACEHOLDER = re.compile(r"××|xx|XX|某某")  # what the default and sample names hold


def unsigned(settings: Settings) -> list[str]:
    """What the letters would print unfilled: 落款单位, 客户经理, 客户经理电话 (in that order)."""
    missing = []
    branch = (settings.branch or "").strip()
    if not branch:
        missing.append("落款单位没有填写")
    elif PLACEHOLDER.search(branch):
        missing.append(f"落款单位还是“{branch}”")
    if not (settings.staff_name or "").strip():
        missing.append("客户经理没有填写")
    if not (settings.staff_phone or "").strip():
        missing.append("客户经理电话没有填写")
    return missing


def unsigned_text(missing: list[str], cli: bool = False) -> str:
    """One sentence: what is missing and what to do ("" when nothing is)."""
    if not missing:
        return ""
    where = ("请在窗口的“编辑 → 设置”里填写，或加 --branch、--staff、--staff-phone"
             if cli else "请点“去设置”填写")  # fmt: skip
    return f"{'，'.join(missing)}，印出来会是占位符或空白。{where}。"
