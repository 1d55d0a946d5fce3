"""A matplotlib canvas that shows the core's chart figures and swaps them on each update.

The core builds a ``matplotlib.figure.Figure`` (Agg, no pyplot); this canvas adopts it
(``show_figure``), so the window draws exactly what the report and ``chart`` write.
Importing this module imports matplotlib: pages create canvases only once a list is
open, never while the window is starting.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QSizePolicy, QWidget

SCREEN_DPI = 96  # logical dots per inch at 100 % scaling: 9 pt = 12 px
MIN_TEXT_PT = 9.0


def warm_up_charts() -> None:
    """Load matplotlib's drawing code and the Chinese font, and lay out and draw one chart
    off screen: the window calls this on a worker thread once it shows, so the first
    chart page a user opens only draws (its first time cost ~0.5 s on the GUI thread)."""
    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from core.reporting import pyramid_chart

    summary = pd.DataFrame({"label": ["低端", "高端"], "customers": [3, 1], "share": [0.75, 0.25],
                            "revenue_share": [0.4, 0.6], "revenue": [90.0, 135.0],
                            "low": [0.0, 50.0], "high": [50.0, float("inf")]})  # fmt: skip
    FigureCanvasAgg(pyramid_chart(summary)).draw()


def smallest_font_pt(figure: Figure) -> float:
    """The smallest font size (pt) of the figure's visible texts (0 when it has none)."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    return float(min(sizes)) if sizes else 0.0


class ChartCanvas(FigureCanvasQTAgg):
    """``picked(gid)`` when the user clicks an artist that has a gid (a pyramid layer)."""

    picked = Signal(str)

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(Figure(facecolor="white"))
        self.setParent(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 200)
        self.draws = 0  # how many times a figure was drawn (tests, bench)
        self.mpl_connect("pick_event", self._on_pick)

    def sizeHint(self) -> QSize:
        return QSize(480, 360)

    def show_figure(self, figure: Figure) -> None:
        """Adopt ``figure``, fitted to the widget (see ``_fit``); drawn now if visible, else
        when it is next shown."""
        self._design = tuple(figure.get_size_inches())
        self._base_dpi = getattr(figure, "_original_dpi", figure.get_dpi())
        self._smallest = smallest_font_pt(figure)
        figure.set_canvas(self)
        self.figure = figure
        self.mpl_connect("pick_event", self._on_pick)  # callbacks live on the figure
        self._fit(self.width(), self.height())
        self.draws += 1
        self._stale = not self.isVisible()
        if not self._stale:
            self.draw()  # a hidden canvas is drawn when it is shown (a hidden tab costs nothing)

    def _fit(self, width: int, height: int) -> None:
        """Fit the figure to the widget, its text never smaller than on paper at 100 %.

        The core designs each chart for a size (e.g. 9 × 5 in, as in the report). A
        widget smaller than that gets the same layout scaled down, but only until the
        smallest text would fall under ``MIN_TEXT_PT`` on screen (9 pt at 100 %
        scaling, 12 px); below that the text keeps its size and the chart is laid out
        again for the room there is (constrained layout moves the axes, never cutting
        a label). A bigger widget gets more room around the chart, never bigger text
        than the screen's scale.
        """
        design = getattr(self, "_design", None)
        if design is None or width < 2 or height < 2:
            return
        ratio = self.device_pixel_ratio or 1.0
        w_px, h_px = width * ratio, height * ratio
        scale = min(w_px / (design[0] * self._base_dpi), h_px / (design[1] * self._base_dpi))
        smallest = getattr(self, "_smallest", 0.0)
        floor = SCREEN_DPI * ratio * MIN_TEXT_PT / smallest if smallest else 0.0
        dpi = max(self._base_dpi * min(scale, ratio), floor)
        self.figure.set_dpi(dpi)
        self.figure.set_size_inches(w_px / dpi, h_px / dpi, forward=False)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.draw()

    def resizeEvent(self, event: Any) -> None:
        self._fit(event.size().width(), event.size().height())
        super().resizeEvent(event)  # sizes the figure from its dpi and redraws

    def clear(self) -> None:
        self.show_figure(Figure(facecolor="white"))

    def _on_pick(self, event: Any) -> None:
        gid = event.artist.get_gid()
        if gid:
            self.picked.emit(str(gid))
