"""One group's visit funnel as horizontal bars: 计划走访 → 已走访 → … → 已成交.

The report's ``visit_funnel_chart`` compares every band side by side and needs a page's
width; the window's 走访统计 pane is a third of a laptop screen. There the funnel of one
group (合计, or the band or visitor chosen in the table) is drawn as a real funnel: one
bar per stage, widest first, each with its count and its share of the plan, every label
at least 9 pt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.base.errors import InvalidInput
from core.reporting.charts import APEX_COLOR, DARK, _figure, _pct, _title

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LABEL_PT = 10


def stage_funnel_chart(stages: Sequence[tuple[str, float]], title: str = "走访漏斗") -> Figure:
    """``stages``: (stage name, customers) in funnel order, the plan first."""
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    if not stages or not any(count for _name, count in stages):
        raise InvalidInput("还没有走访记录，无法作图。", "请先录入走访结果。")
    names = [str(name) for name, _count in stages]
    counts = [float(count or 0) for _name, count in stages]
    n = len(stages)
    cmap = LinearSegmentedColormap.from_list("stages", ["#9CC3E4", APEX_COLOR])
    colors = [to_hex(cmap(i / max(n - 1, 1))) for i in range(n)]
    fig = _figure(5.2, max(2.6, 0.42 * n + 1.1))
    ax = fig.add_subplot()
    widest = max(counts) or 1.0
    ys = list(range(n))[::-1]  # the plan on top
    ax.barh(ys, counts, height=0.68, color=colors, left=[(widest - c) / 2 for c in counts])
    plan = counts[0]
    for y, name, count in zip(ys, names, counts, strict=True):
        ax.text(-widest * 0.04, y, name, ha="right", va="center", fontsize=LABEL_PT, color=DARK)
        share = f"（{_pct(count / plan)}）" if plan and count != plan else ""
        ax.text(widest * 1.04, y, f"{int(count):,}{share}", ha="left", va="center",
                fontsize=LABEL_PT, color=DARK, fontweight="bold")  # fmt: skip
    ax.set_xlim(0, widest)
    ax.set_ylim(-0.6, n - 0.4)
    ax.axis("off")
    subtitle = ""
    if plan:
        subtitle = f"成交 {int(counts[-1]):,} 位，占计划走访的 {_pct(counts[-1] / plan)}"
    _title(ax, title, subtitle)  # the subtitle is 9 pt (SUBTITLE_SIZE)
    return fig
