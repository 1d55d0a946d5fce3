"""One group's visit funnel: a bar per stage with its count and its share of the plan."""

from __future__ import annotations

import pytest

from core.base import InvalidInput
from core.reporting import stage_funnel_chart

STAGES = [("计划走访", 320), ("已走访", 40), ("见到决策人", 30), ("有意向", 20), ("已成交", 10)]


def texts(figure) -> list[str]:
    return [t.get_text() for ax in figure.axes for t in ax.texts]


def test_each_stage_has_its_count_and_share_of_the_plan():
    figure = stage_funnel_chart(STAGES, title="走访漏斗（高端）")
    shown = texts(figure)
    for name, _count in STAGES:
        assert name in shown
    assert "320" in shown and "40（12.5%）" in shown and "10（3.1%）" in shown
    assert any("成交 10 位" in t for t in shown)
    assert min(t.get_fontsize() for ax in figure.axes for t in ax.texts) >= 9


def test_no_visits_is_said_in_chinese():
    with pytest.raises(InvalidInput, match="还没有走访记录"):
        stage_funnel_chart([("计划走访", 0), ("已走访", 0)])
