"""A Chinese font for matplotlib: the first installed one from a list, chosen once.

Windows has Microsoft YaHei / SimHei / SimSun, Linux has Noto Sans CJK or WenQuanYi.
A font file put in ``resources/fonts`` (shipped with the program) is registered first
and preferred, so charts look the same everywhere. Without any Chinese font every
character would be a box: we warn once (``CJKFontMissing``) and carry on.
"""

from __future__ import annotations

import functools
import logging
import warnings
from pathlib import Path

from core.base.resources import resource

log = logging.getLogger(__name__)

CJK_FONTS: tuple[str, ...] = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "SimHei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "SimSun",
    "NSimSun",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


class CJKFontMissing(UserWarning):
    """No Chinese font was found: chart text would show as boxes."""


def bundled_font_dir() -> Path:
    """``resources/fonts`` next to the program (also inside a PyInstaller bundle)."""
    return resource("fonts")


def _register_bundled() -> list[str]:
    """Add the program's own font files to matplotlib; return their family names."""
    from matplotlib import font_manager

    folder = bundled_font_dir()
    names: list[str] = []
    if not folder.is_dir():
        return names
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        try:
            font_manager.fontManager.addfont(str(path))
            names.append(font_manager.FontProperties(fname=str(path)).get_name())
        except (OSError, RuntimeError, ValueError) as exc:  # damaged file: skip it
            log.warning("无法加载字体文件 %s：%s", path, exc)
    return names


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Family name of the Chinese font matplotlib will use, or None if there is none."""
    from matplotlib import font_manager

    bundled = _register_bundled()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in (*bundled, *CJK_FONTS):
        if name in installed:
            return name
    return None


@functools.lru_cache(maxsize=1)
def setup_fonts() -> str | None:
    """Make matplotlib draw Chinese text; return the font family used (None = none found).

    Sets the sans-serif list (Chinese font first, DejaVu Sans as fallback for symbols)
    and ``axes.unicode_minus = False`` so negative numbers never show a missing glyph;
    ``text.parse_math = False`` so a "$" in customer data is drawn, not parsed as TeX.
    Safe to call many times: the work is done once.
    """
    import matplotlib

    name = cjk_font()
    rc = matplotlib.rcParams
    rc["axes.unicode_minus"] = False
    # customer data ("$5$…", "a$b") is text, never TeX: a stray $ must not fail a chart
    rc["text.parse_math"] = False
    if name is None:
        msg = (
            "未找到中文字体，图表中的中文可能显示为方框。"
            "请安装微软雅黑、黑体或思源黑体（Noto Sans CJK），"
            "或把字体文件放到程序的 resources/fonts 文件夹。"
        )
        log.warning(msg)
        warnings.warn(msg, CJKFontMissing, stacklevel=2)
        return None
    rest = [f for f in rc["font.sans-serif"] if f != name]
    rc["font.sans-serif"] = [name, *rest]
    rc["font.family"] = ["sans-serif"]
    return name
