"""Chart labels are readable in the window: at least 9 pt at 100 % scaling (12 px) on every
chart canvas at a laptop's window size, and no label cut at the canvas' edges."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QTabWidget

MIN_PX = 12  # 9 pt at 96 dpi


def drawn_texts(figure):
    """The texts the figure draws (tick labels of an axes drawn without axis left out)."""
    from matplotlib.text import Text

    hidden = set()
    for ax in figure.axes:
        if not ax.axison:
            hidden |= set(ax.xaxis.findobj(Text)) | set(ax.yaxis.findobj(Text))
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text() and t not in hidden]


def check_canvas(canvas) -> list[str]:
    """What is wrong with a drawn canvas: text under 12 px, or a chart past its edges."""
    canvas.draw()
    figure, renderer = canvas.figure, canvas.get_renderer()
    ratio = canvas.device_pixel_ratio or 1.0
    name = canvas.objectName()
    problems = [f"{name}: “{t.get_text()[:10]}” {t.get_fontsize() * figure.dpi / 72 / ratio:.1f} px"
                for t in drawn_texts(figure)
                if t.get_fontsize() * figure.dpi / 72 / ratio < MIN_PX - 0.01]  # fmt: skip
    width, height = figure.bbox.width, figure.bbox.height
    for ax in figure.axes:
        box = ax.get_tightbbox(renderer)
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            problems.append(f"{name}: 图超出了画布 {[round(v) for v in box.extents]}")
    return problems


def visible_canvases(page):
    from ui.widgets.chart_canvas import ChartCanvas

    return [c for c in page.findChildren(ChartCanvas) if c.isVisible()]


@pytest.mark.parametrize("size", [(1366, 690), (1536, 800)])  # 1920×1080 at 125 %: 1536×864
def test_every_chart_in_the_window_has_readable_labels(qtbot, sample_window, tmp_path, size):
    from core.campaign import CampaignInfo, Visit

    window = sample_window
    window.resize(*size)
    problems: list[str] = []
    seen = 0
    for key in ("bands", "report"):
        window.show_step(key)
        page = window.pages[key]
        for tabs in page.findChildren(QTabWidget):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                qtbot.wait(50)
                for canvas in visible_canvases(page):
                    if canvas.figure.axes:
                        seen += 1
                        problems += check_canvas(canvas)
    info = CampaignInfo("城东", "城东市场", "城东分公司", staff=("王磊", "李娜"))
    window.new_campaign(str(tmp_path / "城东.jzt"), info)
    qtbot.waitUntil(lambda: window.state.campaign is not None, timeout=20_000)
    campaign = window.state.campaign
    for i, customer in enumerate(campaign.customers()[:20]):
        campaign.add_visit(customer.key, Visit(visit_date=dt.date.today(), visitor="王磊",
                                               intent=("有意向", "考虑中")[i % 2]))  # fmt: skip
    window.state.visitsChanged.emit()
    visits = window.visits_page
    window.show_step("visits")
    visits.right_tabs.setCurrentWidget(visits.results_tab)
    canvas = visits.results_tab.funnel_canvas
    qtbot.waitUntil(lambda: canvas is not None and canvas.isVisible() and bool(canvas.figure.axes))
    problems += check_canvas(canvas)
    assert seen >= 6 and not problems, problems
    assert any("合计" in t.get_text() for t in drawn_texts(canvas.figure))
    visits.results_tab.view.selectRow(0)  # a band's own funnel
    band = visits.results_tab.model.index(0, 0).data()
    assert any(f"（{band}）" in t.get_text() for t in drawn_texts(canvas.figure))
