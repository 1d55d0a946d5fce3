"""A Chinese font for matplotlib: the first installed one from a list, chosen once.

Windows has Microsoft YaHei / SimHei / SimSun / DengXian, Linux has Noto Sans CJK or
WenQuanYi. A font file put in ``resources/fonts`` (shipped with the program) is
registered first and preferred, so charts look the same everywhere.

Without any Chinese font every character would be a box, so ``require_cjk_font`` (and
``setup_fonts``, which every chart calls) raises ``FontMissing`` with what to install:
no chart, and no report holding one, is made. matplotlib keeps its list of fonts in a
cache (~/.cache/matplotlib); fonts installed after it was written are not in it, so the
list is built again from the system once before giving up.
"""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

from core.base.errors import FontMissing
from core.base.resources import resource

log = logging.getLogger(__name__)

CJK_FONTS: tuple[str, ...] = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "SimHei",
    "DengXian",
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

_chosen: list[str] = []  # the font found (a miss is not remembered: the user may add one)
_registered: set[str] = set()  # bundled font files already added to matplotlib
_rebuilt: list[bool] = []  # the system font list has been scanned again in this process


def bundled_font_dir() -> Path:
    """``resources/fonts`` next to the program (also inside a PyInstaller bundle)."""
    return resource("fonts")


def font_install_hint(platform: str | None = None) -> str:
    """What to do when no Chinese font is found, for this operating system (Chinese)."""
    platform = platform or sys.platform
    folder = bundled_font_dir()
    own = (
        f"也可以把一个中文字体文件（.ttf 或 .otf）复制到程序的字体文件夹“{folder}”，然后重新运行。"
    )
    if platform == "win32":
        return (
            "微软雅黑、宋体、等线是 Windows 自带的字体，可能被删除或损坏了："
            "请让 IT 人员在“设置 → 个性化 → 字体”中检查，修复或重新安装这些字体"
            "（C:\\Windows\\Fonts 中的 msyh.ttc、simsun.ttc、Deng.ttf）。" + own
        )
    if platform == "darwin":
        return "请在“字体册”中恢复系统字体“苹方-简”（PingFang SC），然后重新运行。" + own
    return (
        "请安装中文字体：sudo apt install fonts-wqy-zenhei（或 fonts-noto-cjk），然后重新运行。"
        + own
    )


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
            if str(path) not in _registered:
                font_manager.fontManager.addfont(str(path))
                _registered.add(str(path))
            names.append(font_manager.FontProperties(fname=str(path)).get_name())
        except (OSError, RuntimeError, ValueError) as exc:  # damaged file: skip it
            log.warning("无法加载字体文件 %s：%s", path, exc)
    return names


def _find() -> str | None:
    """The first wanted family matplotlib knows and whose file is still there."""
    from matplotlib import font_manager

    bundled = _register_bundled()
    files: dict[str, str] = {}
    for entry in font_manager.fontManager.ttflist:
        files.setdefault(entry.name, entry.fname)
    for name in (*bundled, *CJK_FONTS):
        if name in files and Path(files[name]).is_file():
            return name
    return None


def rebuild_font_list() -> None:
    """Scan the system's fonts again and rewrite matplotlib's cache (fonts installed later).

    The module-wide ``fontManager`` is updated in place, as matplotlib itself does when a
    cached font file has gone, because other modules hold a reference to it.
    """
    from matplotlib import font_manager

    fresh = font_manager._load_fontmanager(try_read_cache=False)
    manager = font_manager.fontManager
    vars(manager).update(vars(fresh))
    manager._findfont_cached.cache_clear()
    _registered.clear()  # the new list does not hold the bundled files


def cjk_font() -> str | None:
    """Family name of the Chinese font matplotlib will use, or None if there is none.

    If the cached font list has no Chinese font, the list is built again from the system
    once per process (the cache may predate the fonts).
    """
    if _chosen:
        return _chosen[0]
    name = _find()
    if name is None and not _rebuilt:
        log.warning("matplotlib 的字体列表里没有中文字体，重新扫描系统字体")
        _rebuilt.append(True)
        rebuild_font_list()
        name = _find()
    if name is not None:
        _chosen[:] = [name]
    return name


def require_cjk_font() -> str:
    """The Chinese font for charts, or ``FontMissing`` saying what to install."""
    name = cjk_font()
    if name is None:
        raise FontMissing(
            "未找到中文字体：图表中的中文会显示成方框，所以没有生成任何文件。",
            font_install_hint(),
        )
    return name


@functools.lru_cache(maxsize=1)
def setup_fonts() -> str:
    """Make matplotlib draw Chinese text; return the font family used.

    Sets the sans-serif list (Chinese font first, DejaVu Sans as fallback for symbols)
    and ``axes.unicode_minus = False`` so negative numbers never show a missing glyph;
    ``text.parse_math = False`` so a "$" in customer data is drawn, not parsed as TeX.
    Raises ``FontMissing`` when there is no Chinese font (nothing is set then, and the
    next call looks again). Safe to call many times: the work is done once.
    """
    import matplotlib

    name = require_cjk_font()
    rc = matplotlib.rcParams
    rc["axes.unicode_minus"] = False
    # customer data ("$5$…", "a$b") is text, never TeX: a stray $ must not fail a chart
    rc["text.parse_math"] = False
    rest = [f for f in rc["font.sans-serif"] if f != name]
    rc["font.sans-serif"] = [name, *rest]
    rc["font.family"] = ["sans-serif"]
    return name
