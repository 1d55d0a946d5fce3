"""Charts render Chinese text without missing glyphs and are not blank."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pytest

from core.base.errors import InvalidInput, OutputExists
from core.marketing.bands import default_scheme
from core.marketing.segment import band_summary, crosstab
from core.reporting import charts
from core.reporting.fonts import cjk_font, setup_fonts


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 600
    spend = np.round(rng.lognormal(4.2, 0.7, n), 2)
    return pd.DataFrame(
        {
            "spend": spend,
            "industry": rng.choice(["服装", "五金", "餐饮", "物流", "建材"], n),
            "grid": rng.choice(["城东一网格", "城东二网格"], n),
        }
    )


@pytest.fixture(scope="module")
def summary(customers) -> pd.DataFrame:
    return band_summary(customers, default_scheme())


def _pixels(fig) -> np.ndarray:
    from matplotlib.image import imread

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" must not happen
        png = charts.figure_png(fig, dpi=80)
    return imread(io.BytesIO(png))


def _assert_not_blank(fig) -> None:
    img = _pixels(fig)
    assert img.shape[0] > 100 and img.shape[1] > 100
    gray = img[..., :3].mean(axis=2)
    assert gray.std() > 0.05  # something is drawn
    assert (gray < 0.9).mean() > 0.01  # and it is not just a few dots


def test_a_chinese_font_is_found_and_minus_is_ascii():
    import matplotlib

    assert cjk_font() is not None
    assert setup_fonts() == cjk_font()
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["font.sans-serif"][0] == cjk_font()


def test_pyramid(summary):
    fig = charts.pyramid_chart(summary)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "高端" in texts and "低端" in texts
    assert any("收入占比" in t for t in texts)
    _assert_not_blank(fig)


def test_pareto_marks_80_percent(customers):
    fig = charts.pareto_chart(customers["spend"])
    ax = fig.axes[0]
    notes = [c.get_text() for c in ax.texts]
    assert any("80.0% 的收入" in t or "贡献了" in t for t in notes)
    _assert_not_blank(fig)


def test_band_bars(summary):
    fig = charts.band_bars_chart(summary)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0].startswith("低端") and labels[-1].startswith("高端")
    _assert_not_blank(fig)


def test_crosstab_heatmap_either_orientation(customers):
    table = crosstab(customers, default_scheme(), "industry")
    fig = charts.crosstab_heatmap(table, by_label="行业")
    ylabels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ylabels[0] == "高端" and "合计" not in ylabels
    _assert_not_blank(fig)
    fig2 = charts.crosstab_heatmap(crosstab(customers, default_scheme(), "grid", totals=False).T)
    _assert_not_blank(fig2)


def test_heatmap_folds_many_categories():
    table = pd.DataFrame(np.arange(40).reshape(2, 20), index=pd.Index(["低端", "高端"], name="band"),
                         columns=[f"行业{i}" for i in range(20)])  # fmt: skip
    fig = charts.crosstab_heatmap(table, max_cols=8)
    xlabels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(xlabels) == 8 and xlabels[-1] == "其他"


def test_visit_funnel():
    counts = pd.DataFrame({"计划走访": [50, 20], "已走访": [40, 18], "已成交": [8, 6]},
                          index=["低端", "高端"])  # fmt: skip
    _assert_not_blank(charts.visit_funnel_chart(counts))


def test_negative_values_render_without_glyph_warnings(summary):
    neg = summary.copy()
    neg.loc[0, "low"] = -10.0
    _assert_not_blank(charts.band_bars_chart(neg))


@pytest.mark.parametrize("suffix", [".png", ".pdf", ".svg"])
def test_save_figure_formats(tmp_path, summary, suffix):
    out = charts.save_figure(charts.pyramid_chart(summary), tmp_path / f"金字塔{suffix}")
    data = out.read_bytes()
    assert len(data) > 1000
    magic = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<?xml"}[suffix]
    assert data.startswith(magic)


def test_print_dpi_is_bigger(tmp_path, summary):
    fig = charts.band_bars_chart(summary)
    small = charts.save_figure(fig, tmp_path / "a.png")
    big = charts.save_figure(fig, tmp_path / "b.png", dpi=charts.PRINT_DPI)
    from PIL import Image

    with Image.open(small) as a, Image.open(big) as b:
        assert b.width > 1.8 * a.width


def test_save_figure_refuses_overwrite_and_bad_suffix(tmp_path, summary):
    fig = charts.pyramid_chart(summary)
    path = charts.save_figure(fig, tmp_path / "x.png")
    with pytest.raises(OutputExists):
        charts.save_figure(fig, path)
    charts.save_figure(fig, path, force=True)
    with pytest.raises(InvalidInput):
        charts.save_figure(fig, tmp_path / "x.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.png"]  # no temp files left


def test_empty_summary_is_a_user_error():
    with pytest.raises(InvalidInput):
        charts.pyramid_chart(pd.DataFrame(columns=["label", "customers", "share", "revenue_share"]))


def test_core_charts_do_not_use_pyplot():
    import inspect

    from core.reporting import fonts

    assert "import matplotlib.pyplot" not in inspect.getsource(charts)
    assert "pyplot" not in inspect.getsource(fonts)


# ---- QA fixes: title never overlaps its subtitle; no chart without usable spend ----------


def _title_and_subtitle_boxes(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ax = fig.axes[0]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # constrained layout runs here
    renderer = canvas.get_renderer()
    title = ax._left_title.get_window_extent(renderer)  # set_title(loc="left")
    assert ax._left_title.get_text()
    subs = [t for t in ax.texts if t.get_text().startswith(("共 ", "单元格"))]
    assert len(subs) == 1
    return title, subs[0].get_window_extent(renderer), fig.bbox, ax.get_window_extent(renderer)


@pytest.mark.parametrize("n_bands", [1, 2, 4, 6, 10])
def test_pyramid_title_never_overlaps_subtitle(customers, n_bands):
    from core.marketing.bands import quantile_scheme

    fig = charts.pyramid_chart(
        band_summary(customers, quantile_scheme(customers["spend"], n_bands))
    )
    title, sub, page, axes = _title_and_subtitle_boxes(fig)
    assert title.y0 > sub.y1 + 2  # a visible gap, in pixels, however tall the figure
    assert sub.y0 >= axes.y1  # the subtitle sits above the drawing
    assert title.y1 <= page.y1 and title.x0 >= page.x0  # nothing cut off at the top


def test_tall_crosstab_title_never_overlaps_subtitle():
    from core.marketing.bands import quantile_scheme

    rng = np.random.default_rng(5)
    many = pd.DataFrame(
        {
            "spend": np.round(rng.lognormal(4.2, 0.7, 900), 2),
            "grid": rng.choice([f"城东第{i}网格" for i in range(30)], 900),
        }
    )
    table = crosstab(many, quantile_scheme(many["spend"], 10), "grid", totals=False)
    fig = charts.crosstab_heatmap(table, by_label="网格", max_cols=30)
    title, sub, page, axes = _title_and_subtitle_boxes(fig)
    assert title.y0 > sub.y1 + 2 and sub.y0 >= axes.y1 and title.y1 <= page.y1


def _no_spend() -> pd.DataFrame:
    return pd.DataFrame({"spend": [np.nan, np.nan, np.nan], "grid": ["一", "二", "一"]})


@pytest.mark.parametrize("kind", ["pyramid", "pareto", "bands", "crosstab"])
def test_no_usable_spend_refuses_every_chart(kind):
    frame = _no_spend()
    summary = band_summary(frame, default_scheme())
    table = crosstab(frame, default_scheme(), "grid", totals=False)
    with pytest.raises(InvalidInput, match="没有一位客户有可用的月均消费") as exc:
        charts.chart_for(kind, frame, summary=summary, table=table)
    assert "月均消费" in exc.value.hint and "--map spend=" in exc.value.hint


def test_charts_refuse_empty_data_directly():
    frame = _no_spend()
    with pytest.raises(InvalidInput, match="月均消费"):
        charts.pareto_chart(frame["spend"])  # not a misleading diagonal
    with pytest.raises(InvalidInput, match="没有已分档的客户"):
        charts.pyramid_chart(band_summary(frame, default_scheme()))  # not an all-0% pyramid
    with pytest.raises(InvalidInput, match="没有已分档的客户"):
        charts.crosstab_heatmap(crosstab(frame, default_scheme(), "grid", totals=False))
