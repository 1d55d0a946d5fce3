"""Icons drawn at run time with QPainter (no image files to ship or lose)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap, QPolygonF

BANDS = ("#c0392b", "#e67e22", "#f1c40f", "#27ae60")  # top (high value) → base


def pyramid_pixmap(size: int) -> QPixmap:
    """The value pyramid: four bands, narrow at the top."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    m = size * 0.06
    top, bottom = m, size - m
    left, right, mid = m, size - m, size / 2
    height = bottom - top
    gap = max(size * 0.035, 1.0)
    n = len(BANDS)
    for i, color in enumerate(BANDS):
        y0 = top + height * i / n + (gap / 2 if i else 0)
        y1 = top + height * (i + 1) / n - (gap / 2 if i < n - 1 else 0)

        def x_at(y: float, side: float) -> float:
            return mid + (side - mid) * (y - top) / height

        poly = QPolygonF(
            [
                QPointF(x_at(y0, left), y0),
                QPointF(x_at(y0, right), y0),
                QPointF(x_at(y1, right), y1),
                QPointF(x_at(y1, left), y1),
            ]
        )
        path = QPainterPath()
        path.addPolygon(poly)
        p.fillPath(path, QColor(color))
    p.end()
    return pix


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(pyramid_pixmap(size))
    return icon
