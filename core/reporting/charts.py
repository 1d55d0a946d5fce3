"""Charts as matplotlib Figures (no pyplot state, Agg-safe), with Chinese titles and labels.

- ``pyramid_chart``: the value pyramid (top band at the apex).
- ``pareto_chart``: the 2/8 curve with the point where 80% of revenue is reached.
- ``band_bars_chart``: share of customers next to share of revenue, per band.
- ``crosstab_heatmap``: band × industry/market/grid counts.
- ``visit_funnel_chart``: visits per band and stage (for campaigns with visit records).

``save_figure`` writes PNG (screen 150 dpi or print 300 dpi), PDF or SVG atomically;
``figure_png`` gives PNG bytes (for the Excel report).
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.base.errors import InvalidInput
from core.base.files import atomic_write_bytes, check_writable
from core.base.safe_text import without_controls
from core.reporting.fonts import setup_fonts

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

# One palette for the whole program.
BLUE = "#2E6FA8"  # customers
ORANGE = "#E8833A"  # revenue
GREY = "#8A94A6"
DARK = "#1F2A3C"
LIGHT_GRID = "#E3E8EF"
# Pyramid layers, apex (most valuable) first: deep to light.
APEX_COLOR = "#0B3C5D"
BASE_COLOR = "#B9D7EE"
SCREEN_DPI = 150
PRINT_DPI = 300
CHART_KINDS = ("pyramid", "pareto", "bands", "crosstab")
TOTAL_LABEL = "合计"
BAND_GID = "band:"  # gid prefix of a pyramid layer: "band:高端"


# --------------------------------------------------------------------------- helpers
def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    setup_fonts()
    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    return fig


def _style_axes(ax, grid_axis: str = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#B0B8C4")
    ax.tick_params(colors=DARK, labelsize=9)
    if grid_axis:
        ax.grid(axis=grid_axis, color=LIGHT_GRID, linewidth=0.8)
        ax.set_axisbelow(True)


# Title and subtitle sit above the axes at fixed distances in points, so they never
# overlap however tall the figure is (an offset in axes fractions grows with the height).
SUBTITLE_GAP_PT = 4  # axes top -> bottom of the subtitle
SUBTITLE_SIZE = 9
TITLE_SIZE = 14


def _title(ax, title: str, subtitle: str = "") -> None:
    title, subtitle = without_controls(title), without_controls(subtitle)
    pad = 14.0
    if subtitle:
        ax.annotate(
            subtitle, xy=(0, 1), xycoords="axes fraction", xytext=(0, SUBTITLE_GAP_PT),
            textcoords="offset points", fontsize=SUBTITLE_SIZE, color=GREY, va="bottom",
            ha="left", annotation_clip=False,
        )  # fmt: skip
        # subtitle line (font size × 1.4 for CJK ascent/descent) plus a gap above it
        pad = SUBTITLE_GAP_PT + SUBTITLE_SIZE * 1.4 + 7
    ax.set_title(title, loc="left", fontsize=TITLE_SIZE, fontweight="bold", color=DARK, pad=pad)


NO_SPEND_HINT = (
    "请检查客户清单里的“月均消费”列是否有金额（可先用 inspect 查看）；"
    "如果消费在别的列，请用“列对应”指定（命令行：--map spend=列名）。"
)


def _no_spend_error() -> InvalidInput:
    return InvalidInput("没有一位客户有可用的月均消费，无法作图。", NO_SPEND_HINT)


def _no_banded_error() -> InvalidInput:
    return InvalidInput(
        "没有已分档的客户（没有可用的月均消费，或消费都不在分档范围内），无法作图。",
        NO_SPEND_HINT,
    )


def _valid_spend_count(spend: pd.Series) -> int:
    import numpy as np
    import pandas as pd

    from core.base.money import plausible_spend

    arr = pd.to_numeric(pd.Series(spend), errors="coerce").to_numpy("float64", na_value=np.nan)
    return int(plausible_spend(arr).sum())


def band_colors(n: int) -> list[str]:
    """n colours from light (lowest band) to deep (top band)."""
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    if n <= 0:
        return []
    cmap = LinearSegmentedColormap.from_list("bands", [BASE_COLOR, APEX_COLOR])
    return [to_hex(cmap(i / (n - 1) if n > 1 else 1.0)) for i in range(n)]


def _text_color(hex_color: str) -> str:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(hex_color)
    return "white" if (0.299 * r + 0.587 * g + 0.114 * b) < 0.55 else DARK


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def range_text(low: float, high: float) -> str:
    """'<50元', '50–100元', '≥200元' (same wording as the band scheme)."""
    low_ok = low is not None and not (isinstance(low, float) and math.isnan(low))
    high_open = high is None or (isinstance(high, float) and (math.isinf(high) or math.isnan(high)))
    if high_open:
        return f"≥{_num(float(low))}元" if low_ok else ""
    if not low_ok or float(low) <= 0:
        return f"<{_num(float(high))}元"
    return f"{_num(float(low))}–{_num(float(high))}元"


def _pct(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:.{digits}f}%"


def _check_summary(summary: pd.DataFrame) -> None:
    need = {"label", "customers", "share", "revenue_share"}
    missing = need - set(summary.columns)
    if missing:
        raise InvalidInput(
            f"分档统计表缺少列：{'、'.join(sorted(missing))}。", "请先完成分档再生成图表。"
        )
    if len(summary) == 0:
        raise InvalidInput("分档统计表是空的，无法作图。", "请先导入客户清单并设置分档。")
    if not float(summary["customers"].fillna(0).sum()) > 0:
        raise _no_banded_error()


# --------------------------------------------------------------------------- pyramid
def pyramid_chart(summary: pd.DataFrame, title: str = "价值金字塔", subtitle: str = "") -> Figure:
    """The bands stacked as a pyramid, top band at the apex.

    ``summary`` is ``core.marketing.segment.band_summary`` (bands low→high). Each layer shows the
    band name and range on the left, customers and shares on the right, so "few at the top
    bring much of the revenue" is visible at a glance.
    """
    from matplotlib.patches import Polygon

    _check_summary(summary)
    rows = summary.iloc[::-1].reset_index(drop=True)  # apex first
    n = len(rows)
    colors = band_colors(n)[::-1]
    height = max(3.6, 0.95 * n + 1.6)
    fig = _figure(9.0, height)
    ax = fig.add_subplot()
    half = 1.0  # half-width of the base
    layer_h = 1.0
    gap = 0.06
    total_h = n * layer_h
    for i, row in rows.iterrows():
        top_y = total_h - i * layer_h
        bot_y = top_y - layer_h + gap
        w_top = half * (i * layer_h) / total_h
        w_bot = half * ((i + 1) * layer_h - gap) / total_h
        poly = Polygon(
            [(-w_bot, bot_y), (w_bot, bot_y), (w_top, top_y), (-w_top, top_y)],
            closed=True, facecolor=colors[i], edgecolor="white", linewidth=1.5,
        )  # fmt: skip
        poly.set_gid(f"{BAND_GID}{row['label']}")  # a window can tell which layer was clicked
        poly.set_picker(True)
        ax.add_patch(poly)
        mid_y = (top_y + bot_y) / 2
        share = float(row["share"])
        inner = _pct(share)
        w_mid = (w_top + w_bot) / 2
        if w_mid > 0.16:
            ax.text(0, mid_y, f"客户 {inner}", ha="center", va="center", fontsize=10,
                    color=_text_color(colors[i]), fontweight="bold")  # fmt: skip
        rng = ""
        if "low" in rows.columns and "high" in rows.columns:
            rng = range_text(row["low"], row["high"])
        ax.text(-half - 0.08, mid_y + 0.12, str(row["label"]), ha="right", va="center",
                fontsize=11, fontweight="bold", color=DARK)  # fmt: skip
        if rng:
            ax.text(-half - 0.08, mid_y - 0.2, f"月消费 {rng}", ha="right", va="center",
                    fontsize=9, color=GREY)  # fmt: skip
        ax.plot([-half - 0.05, -w_mid - 0.02], [mid_y, mid_y], color=LIGHT_GRID, lw=0.8)
        ax.plot([w_mid + 0.02, half + 0.05], [mid_y, mid_y], color=LIGHT_GRID, lw=0.8)
        ax.text(half + 0.08, mid_y + 0.12, f"收入占比 {_pct(float(row['revenue_share']))}",
                ha="left", va="center", fontsize=11, fontweight="bold", color=ORANGE)  # fmt: skip
        ax.text(half + 0.08, mid_y - 0.2, f"{int(row['customers']):,} 户（客户占比 {inner}）",
                ha="left", va="center", fontsize=9, color=GREY)  # fmt: skip
    ax.set_xlim(-half - 0.75, half + 0.75)
    ax.set_ylim(-0.05, total_h + 0.05)
    ax.axis("off")
    if not subtitle:
        total = int(summary["customers"].sum())
        subtitle = f"共 {total:,} 户已分档客户；越往上客户越少、单户价值越高"
        if "revenue" in summary.columns:
            subtitle += f"；月收入合计 {float(summary['revenue'].sum()):,.2f} 元"
    _title(ax, title, subtitle)
    return fig


# --------------------------------------------------------------------------- pareto
def _pareto_data(spend: pd.Series, target: float) -> tuple[pd.DataFrame, tuple[float, float]]:
    from core.marketing.segment import pareto_curve, pareto_point

    return pareto_curve(spend, points=400), pareto_point(spend, target)


def pareto_chart(
    spend: pd.Series, target: float = 0.8, title: str = "收入集中度（二八曲线）"
) -> Figure:
    """Cumulative share of revenue against share of customers (highest spend first)."""
    from matplotlib.ticker import PercentFormatter

    if not _valid_spend_count(spend):
        raise _no_spend_error()
    curve, (x80, y80) = _pareto_data(spend, target)
    fig = _figure(8.0, 5.2)
    ax = fig.add_subplot()
    _style_axes(ax, grid_axis="both")
    xs = curve["customer_share"].to_numpy()
    ys = curve["revenue_share"].to_numpy()
    ax.plot([0, 1], [0, 1], ls="--", lw=1, color=GREY, label="完全平均（参考线）")
    ax.fill_between(xs, ys, xs, color=BLUE, alpha=0.08, linewidth=0)
    ax.plot(xs, ys, color=BLUE, lw=2.2, label="累计收入占比")
    if x80 > 0:
        ax.plot([x80, x80], [0, y80], ls=":", lw=1.2, color=ORANGE)
        ax.plot([0, x80], [y80, y80], ls=":", lw=1.2, color=ORANGE)
        ax.scatter([x80], [y80], s=60, color=ORANGE, zorder=5, edgecolor="white", linewidth=1.2)
        text = f"前 {_pct(x80)} 的客户\n贡献了 {_pct(y80)} 的收入"
        ax.annotate(
            text, xy=(x80, y80), xytext=(min(x80 + 0.12, 0.62), max(y80 - 0.28, 0.12)),
            fontsize=11, color=DARK, fontweight="bold",
            arrowprops={"arrowstyle": "->", "color": ORANGE, "lw": 1.2},
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": ORANGE, "lw": 1},
        )  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("客户占比（按月消费从高到低排列）", color=DARK)
    ax.set_ylabel("累计收入占比", color=DARK)
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    _title(ax, title, f"目标线：{_pct(target, 0)} 收入")
    return fig


# --------------------------------------------------------------------------- band bars
def band_bars_chart(summary: pd.DataFrame, title: str = "各档客户占比与收入占比") -> Figure:
    """Per band (low→high): share of customers next to share of revenue."""
    import numpy as np
    from matplotlib.ticker import PercentFormatter

    _check_summary(summary)
    n = len(summary)
    fig = _figure(max(6.5, 1.3 * n + 3.0), 4.8)
    ax = fig.add_subplot()
    _style_axes(ax)
    x = np.arange(n)
    w = 0.38
    cust = summary["share"].astype("float64").to_numpy()
    rev = summary["revenue_share"].astype("float64").to_numpy()
    b1 = ax.bar(x - w / 2, cust, w, color=BLUE, label="客户占比")
    b2 = ax.bar(x + w / 2, rev, w, color=ORANGE, label="收入占比")
    for bars in (b1, b2):
        ax.bar_label(bars, labels=[_pct(float(v)) for v in bars.datavalues], padding=2,
                     fontsize=9, color=DARK)  # fmt: skip
    labels = []
    for _, row in summary.iterrows():
        rng = range_text(row["low"], row["high"]) if "low" in summary.columns else ""
        labels.append(f"{row['label']}\n{rng}" if rng else str(row["label"]))
    ax.set_xticks(x, labels)
    top = float(np.nanmax(np.concatenate([cust, rev, [0.1]])))
    ax.set_ylim(0, min(1.0, top * 1.18) if top < 0.85 else top * 1.12)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(frameon=False, fontsize=9, loc="upper left", ncols=2)
    _title(ax, title, "高档位客户少，但收入占比高")
    return fig


# --------------------------------------------------------------------------- heatmap
def _heatmap_table(table: pd.DataFrame, max_cols: int) -> pd.DataFrame:
    """Bands as rows (top band first), categories as columns; totals dropped, tail folded."""
    t = table.copy()
    t = t.drop(index=[TOTAL_LABEL], errors="ignore").drop(columns=[TOTAL_LABEL], errors="ignore")
    if t.index.name != "band" and t.columns.name == "band":
        t = t.T
    t = t.iloc[::-1]  # top band first
    t = t.apply(lambda c: c.astype("float64"))
    if t.shape[1] > max_cols:
        order = t.sum(axis=0).sort_values(ascending=False, kind="stable").index
        keep = list(order[: max_cols - 1])
        rest = t.drop(columns=keep).sum(axis=1)
        t = t[keep].copy()
        t["其他"] = rest
    return t


def crosstab_heatmap(
    table: pd.DataFrame, by_label: str = "", title: str = "", max_cols: int = 15
) -> Figure:
    """Customers per band × category (``core.marketing.segment.crosstab`` output, either orientation)."""
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    t = _heatmap_table(table, max_cols)
    if t.size == 0 or not float(np.nansum(t.to_numpy(dtype="float64"))) > 0:
        raise _no_banded_error()
    n_rows, n_cols = t.shape
    fig = _figure(max(6.5, 0.78 * n_cols + 2.6), max(3.2, 0.55 * n_rows + 2.0))
    ax = fig.add_subplot()
    values = t.to_numpy(dtype="float64")
    im = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    vmax = float(np.nanmax(values)) if values.size else 0.0
    for r in range(n_rows):
        for c in range(n_cols):
            v = values[r, c]
            color = "white" if vmax and v > 0.55 * vmax else DARK
            ax.text(c, r, f"{int(v):,}", ha="center", va="center", fontsize=9, color=color)
    ax.set_xticks(range(n_cols), [str(c) for c in t.columns], fontsize=9)
    ax.set_yticks(range(n_rows), [str(i) for i in t.index], fontsize=10)
    rotate = n_cols > 6 or max((len(str(c)) for c in t.columns), default=0) > 4
    if rotate:
        ax.tick_params(axis="x", labelrotation=40)
        for lbl in ax.get_xticklabels():
            lbl.set_horizontalalignment("right")
    for side in ax.spines.values():
        side.set_visible(False)
    ax.tick_params(length=0, colors=DARK)
    cbar = fig.colorbar(im, ax=ax, shrink=0.85, pad=0.02)
    cbar.set_label("客户数", color=DARK)
    cbar.outline.set_visible(False)
    cbar.ax.tick_params(labelsize=9, colors=DARK)
    cbar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    dim = by_label or str(t.columns.name or "维度")
    _title(ax, title or f"档位 × {dim}", "单元格为客户数")
    return fig


# --------------------------------------------------------------------------- visits
def visit_funnel_chart(counts: pd.DataFrame, title: str = "各档走访漏斗") -> Figure:
    """Visit stages per band: ``counts`` has bands as rows and stages (in order) as columns,
    e.g. columns 计划走访 / 已走访 / 有意向 / 已成交. The last stage's rate of the first is shown.
    """
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    if counts.size == 0:
        raise InvalidInput("还没有走访记录，无法作图。", "请先录入走访结果。")
    t = counts.drop(index=[TOTAL_LABEL], errors="ignore").astype("float64")
    n_bands, n_stages = t.shape
    cmap = LinearSegmentedColormap.from_list("stages", ["#C9DDF0", APEX_COLOR])
    colors = [to_hex(cmap(i / max(n_stages - 1, 1))) for i in range(n_stages)]
    fig = _figure(max(6.5, 1.5 * n_bands + 3.0), 4.8)
    ax = fig.add_subplot()
    _style_axes(ax)
    x = np.arange(n_bands)
    w = 0.8 / n_stages
    for j, stage in enumerate(t.columns):
        bars = ax.bar(x - 0.4 + w * (j + 0.5), t[stage].to_numpy(), w, color=colors[j],
                      label=str(stage))  # fmt: skip
        ax.bar_label(bars, fmt="%d", padding=2, fontsize=8, color=DARK)
    first = t.iloc[:, 0].to_numpy()
    last = t.iloc[:, -1].to_numpy()
    ymax = float(np.nanmax(t.to_numpy())) if t.size else 1.0
    for i in range(n_bands):
        if first[i] > 0:
            ax.text(x[i], ymax * 1.08, f"转化 {_pct(last[i] / first[i])}", ha="center",
                    fontsize=9, color=ORANGE, fontweight="bold")  # fmt: skip
    ax.set_ylim(0, max(ymax, 1.0) * 1.4)
    ax.set_xticks(x, [str(i) for i in t.index])
    ax.set_ylabel("客户数", color=DARK)
    ax.legend(frameon=False, fontsize=9, loc="upper left", ncols=min(n_stages, 4))
    _title(ax, title)
    return fig


# --------------------------------------------------------------------------- export
@contextlib.contextmanager
def _quiet_glyphs():
    """A character the font lacks (an emoji in a 网格 name) is drawn as a box, silently:
    the user cannot act on matplotlib's English warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        yield


def figure_png(fig: Figure, dpi: int = SCREEN_DPI) -> bytes:
    buf = io.BytesIO()
    with _quiet_glyphs():
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def save_figure(fig: Figure, path: str | Path, dpi: int | None = None, force: bool = False) -> Path:
    """Save as .png (``dpi`` default 150; use 300 for print), .pdf or .svg, never half-written."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "pdf", "svg"):
        raise InvalidInput(
            f"不支持的图片格式：{path.suffix or '（无扩展名）'}",
            "请用 .png（屏幕/打印）、.pdf 或 .svg 作为文件扩展名。",
        )
    check_writable(path, force=force)  # a bad name or an existing file: before the drawing
    buf = io.BytesIO()  # a chart is small: made in memory, then written with every byte checked
    with _quiet_glyphs():
        fig.savefig(buf, format=fmt, dpi=dpi or SCREEN_DPI, bbox_inches="tight",
                    facecolor="white")  # fmt: skip
    atomic_write_bytes(path, buf.getvalue(), force=force)
    return path


def chart_for(
    kind: str,
    customers: pd.DataFrame,
    summary: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
    by_label: str = "",
) -> Figure:
    """One of CHART_KINDS from the data the CLI/GUI already has.

    Every kind needs customers with a usable spend: without any, a Chinese InvalidInput
    says so (instead of an empty pyramid or a misleading diagonal 2/8 line).
    """
    spend = customers["spend"] if "spend" in customers.columns else []
    if kind in CHART_KINDS and not _valid_spend_count(spend):
        raise _no_spend_error()
    if kind == "pyramid" and summary is not None:
        return pyramid_chart(summary)
    if kind == "bands" and summary is not None:
        return band_bars_chart(summary)
    if kind == "pareto":
        return pareto_chart(spend)
    if kind == "crosstab" and table is not None:
        return crosstab_heatmap(table, by_label=by_label)
    raise InvalidInput(f"无法生成图表“{kind}”。", f"可选的图表：{'、'.join(CHART_KINDS)}。")


__all__: Sequence[str] = (
    "band_bars_chart",
    "band_colors",
    "chart_for",
    "crosstab_heatmap",
    "figure_png",
    "pareto_chart",
    "pyramid_chart",
    "save_figure",
    "visit_funnel_chart",
)
