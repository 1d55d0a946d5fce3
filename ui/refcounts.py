"""Guard against a Qt binding that drops references to None, True and False.

PySide6 6.12.0 on Python 3.11 drops one reference to the returned singleton on every call
of a method that returns void or bool (``QTextDocument.setHtml``, ``QPainter.save``,
``QPdfWriter.setResolution`` …). Before Python 3.12 these singletons are not immortal, so
a process that writes a few thousand letters, or a window open all day, frees ``None`` and
aborts with "Fatal Python error: none_dealloc". pyproject.toml keeps such a binding off
Python 3.11; this module is the second line of defence for an environment that has one
anyway (a hand-made venv, a frozen build made with the wrong wheel).

``protect_singletons()`` measures the binding once (64 calls of a void setter) and, if it
leaks, raises the reference counts of None/True/False by 2**40 — what Python 3.12 does by
making them immortal — so the process can no longer free them. The measurement, not the
version number, decides, so a fixed 6.12.x needs nothing.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import sys

log = logging.getLogger(__name__)

PROBE_CALLS = 64
RESERVE = 2**40  # references added to each singleton: ~10^12 leaking calls before trouble


def leaked_per_call() -> float:
    """References to None the binding drops per void-method call (0.0 for a good one)."""
    from PySide6.QtCore import QRectF

    rect = QRectF()
    rect.setWidth(1.0)
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        rect.setWidth(1.0)
    return (before - sys.getrefcount(None)) / PROBE_CALLS


@functools.lru_cache(maxsize=1)
def protect_singletons() -> bool:
    """Make None/True/False unfreeable if the Qt binding leaks them; True if it had to."""
    if sys.version_info >= (3, 12):  # immortal already
        return False
    leak = leaked_per_call()
    if leak < 0.5:  # a real leak is one per call; less is other threads at work
        return False
    for obj in (None, True, False):
        cell = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field
        cell.value += RESERVE
    from PySide6 import __version__ as version

    log.warning(
        "PySide6 %s 在 Python %d.%d 上每次调用少计 %.0f 个 None 引用；已加保护。"
        "请安装 pyproject.toml 指定的 PySide6 版本。",
        version, *sys.version_info[:2], leak,
    )  # fmt: skip
    return True
