"""Demo plots: one quantity per axis (a panel per quantity), log10 x where x is log-spaced, 80 columns wide."""

from __future__ import annotations

import pytest

from interviewprep.demos import registry
from interviewprep.render import demo as render

SPECS = registry.load_all()
SPLIT = {  # demo -> the panels its curves must be drawn in
    "bandit": 2,
    "nearest-neighbour-lsh": 2,
    "gan-1d": 2,
    "autoencoder-pca": 2,
}


def result_of(demo_id):
    return registry.run(SPECS[demo_id], {}, seed=0)


@pytest.mark.parametrize("demo_id", sorted(SPLIT))
def test_unrelated_quantities_get_their_own_panel_and_plot(demo_id):
    result = result_of(demo_id)
    panels = {s.panel for s in result.outcome.series.values()}
    assert len(panels) == SPLIT[demo_id] and "" not in panels
    text = render.plotext_text(result, 76, 14, colour=False)
    for panel in panels:
        assert panel in text  # each panel's title heads its own figure
    assert text.count("└") == SPLIT[demo_id]  # one x axis per panel


def test_log_spaced_lambda_is_drawn_on_a_log10_x_axis():
    result = result_of("l1-vs-l2")
    curves = list(result.outcome.series.values())
    assert all(c.log_x for c in curves)
    text = render.plotext_text(result, 76, 14, colour=False)
    assert "log10 x" in text
    assert "-3.0" in text  # λ = 0.001 sits at log10 λ = −3 on the axis


@pytest.mark.parametrize("demo_id", sorted([*SPLIT, "l1-vs-l2"]))
def test_plots_fit_in_80_columns(demo_id):
    text = render.plotext_text(result_of(demo_id), 76, 14, colour=False)
    assert max(len(line) for line in text.splitlines()) <= 76
