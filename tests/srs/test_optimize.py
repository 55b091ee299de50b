"""`prep optimize`: fitting FSRS parameters to a review log, storing them, undoing them, refusing clearly.

The review log is synthesized the way a real one grows: py-fsrs (through our FSRSScheduler, with
default parameters) schedules every card, and a simulated learner whose memory is half as stable as
the defaults assume answers at the due times, recorded through Store.record. A fit should then beat
the defaults on that history.
"""

from __future__ import annotations

import heapq
import json
import random
import shutil
import sys
from datetime import datetime, timedelta, timezone

import pytest
import typer

from interviewprep.cli.optimize import optimize_command
from interviewprep.cli.options import PrepGroup
from interviewprep.errors import PrepError
from interviewprep.models import Rating, Review
from interviewprep.srs import optimize
from interviewprep.srs.scheduler import FSRSScheduler
from interviewprep.store.db import DB_NAME, Store
from tests.conftest import runner

START = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)


def simulate(store: Store, cards: int = 60, days: int = 60, seed: int = 7, stability_factor: float = 0.5) -> int:
    """Review `cards` cards at their due times for `days` days; the learner forgets faster than FSRS expects."""
    sched = FSRSScheduler(0.9, fuzz=False)
    rng = random.Random(seed)
    end = START + timedelta(days=days)
    queue = [(START + timedelta(minutes=7 * i), f"card-{i:02d}") for i in range(cards)]
    heapq.heapify(queue)
    states, count = {}, 0
    while queue:
        moment, card_id = heapq.heappop(queue)
        if moment > end:
            continue
        state = states.get(card_id)
        if state is None or state.last_review is None:
            rating = rng.choice([1, 2, 3, 3, 3, 4])
        else:
            elapsed = (moment - state.last_review).total_seconds() / 86400
            true_stability = stability_factor * (state.stability or 1.0)
            recall = 0.9 ** (elapsed / true_stability) if elapsed >= 0.5 else 0.95
            rating = rng.choices([2, 3, 4], [1, 6, 1])[0] if rng.random() < recall else 1
        new = sched.review(state, card_id, Rating(rating), moment)
        store.record(Review(card_id, Rating(rating), moment, 4000), new, state)
        states[card_id] = new
        count += 1
        later = max(new.due, moment + timedelta(minutes=1)) + timedelta(minutes=rng.randint(0, 180))
        heapq.heappush(queue, (later, card_id))
    return count


@pytest.fixture(scope="module")
def review_db(tmp_path_factory):
    """A database with a realistic review log (600+ reviews, 60 cards), made once and copied per test."""
    home = tmp_path_factory.mktemp("simulated")
    store = Store.open(home)
    count = simulate(store)
    store.close()
    assert count >= 600
    return home / DB_NAME, count


@pytest.fixture
def store_with_log(review_db, isolated_home):
    path, count = review_db
    isolated_home.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, isolated_home / DB_NAME)
    store = Store.open(isolated_home)
    yield store, count
    store.close()


def cli_app() -> typer.Typer:
    """The command as cli/app.py registers it, without depending on it."""
    app = typer.Typer(cls=PrepGroup, rich_markup_mode=None)  # PrepGroup: the root app's error boundary
    app.callback()(lambda: None)
    app.command("optimize")(optimize_command)
    return app


# -- turning the log into training items (no optimizer needed) -------------------------------------


def test_items_are_histories_up_to_each_later_day_review():
    day = timedelta(days=1)
    history = [(START, 1), (START + timedelta(minutes=10), 3), (START + day, 3), (START + 4 * day, 1),
               (START + 4 * day + timedelta(minutes=10), 3), (START + 10 * day, 3)]
    items = optimize.card_items(history, day_start_hour=4, tz=timezone.utc)
    assert items == [
        [(1, 0), (3, 0), (3, 1)],
        [(1, 0), (3, 0), (3, 1), (1, 3)],
        [(1, 0), (3, 0), (3, 1), (1, 3), (3, 0), (3, 6)],
    ]


def test_study_days_start_at_the_configured_hour():
    late = datetime(2025, 1, 6, 23, 30, tzinfo=timezone.utc)
    small_hours = datetime(2025, 1, 7, 2, 0, tzinfo=timezone.utc)
    assert optimize.study_day(late, 4, timezone.utc) == optimize.study_day(small_hours, 4, timezone.utc)
    assert optimize.study_day(late, 0, timezone.utc) + 1 == optimize.study_day(small_hours, 0, timezone.utc)


# -- refusals ---------------------------------------------------------------------------------------


def test_too_few_reviews_is_a_clear_error(isolated_home):
    store = Store.open(isolated_home)
    simulate(store, cards=5, days=10)
    n = optimize.review_count(store)
    assert n < 500
    with pytest.raises(PrepError, match=f"^{n} reviews so far; optimization needs at least 500$"):
        optimize.fit(store, START)
    store.close()
    result = runner.invoke(cli_app(), ["optimize"])
    assert result.exit_code == 1
    assert f"{n} reviews so far; optimization needs at least 500" in result.output


def test_missing_extra_says_how_to_install(isolated_home, monkeypatch):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # makes `import fsrs_rs_python` raise ImportError
    store = Store.open(isolated_home)
    simulate(store, cards=3, days=5)
    message = r"^prep optimize needs the optimize extra: pip install 'interviewprep\[optimize\]'$"
    with pytest.raises(PrepError, match=message):
        optimize.fit(store, START, min_reviews=1)
    store.close()
    result = runner.invoke(cli_app(), ["optimize", "--min-reviews", "1"])
    assert result.exit_code == 1
    assert "pip install 'interviewprep[optimize]'" in result.output


def test_unexpected_parameter_counts_are_refused_or_converted():
    rs = pytest.importorskip("fsrs_rs_python")
    assert optimize.to_fsrs6(rs, rs.DEFAULT_PARAMETERS) == pytest.approx(list(rs.DEFAULT_PARAMETERS))
    fsrs5 = optimize.to_fsrs6(rs, list(rs.DEFAULT_PARAMETERS)[:19])
    assert len(fsrs5) == 21 and fsrs5[19:] == pytest.approx([0.0, 0.5])
    with pytest.raises(PrepError, match="returned 5 parameters"):
        optimize.to_fsrs6(rs, [1.0] * 5)


# -- fitting, storing, resetting --------------------------------------------------------------------


def test_fit_beats_defaults_and_is_stored(store_with_log):
    pytest.importorskip("fsrs_rs_python")
    store, count = store_with_log
    assert optimize.stored_parameters(store) is None
    fit = optimize.fit(store, START + timedelta(days=61), tz=timezone.utc)
    assert fit.n_reviews == count and fit.n_items > 100 and fit.n_cards == 60
    assert fit.baseline == "defaults" and fit.stored
    assert fit.log_loss_after <= fit.log_loss_before
    assert fit.rmse_after <= fit.rmse_before
    params = optimize.stored_parameters(store)
    assert params == pytest.approx(fit.parameters) and len(params) == 21
    record = json.loads(store.get_meta(optimize.KEY))
    assert record["n_reviews"] == count and record["fitted_at"].startswith("2025-03-08")
    assert record["log_loss_before"] == fit.log_loss_before and record["log_loss_after"] == fit.log_loss_after
    assert store.get_meta(optimize.PREVIOUS_KEY) is None
    # the quiz's scheduler takes them as they are
    sched = FSRSScheduler(0.9, parameters=params, fuzz=False)
    state = sched.review(None, "x", Rating.GOOD, START)
    assert state.stability == pytest.approx(params[2], rel=1e-3)


def test_second_fit_keeps_the_previous_set_and_reset_undoes(store_with_log):
    pytest.importorskip("fsrs_rs_python")
    store, _ = store_with_log
    first = optimize.fit(store, START + timedelta(days=61), tz=timezone.utc)
    second = optimize.fit(store, START + timedelta(days=62), tz=timezone.utc)
    assert second.baseline == "fitted 2025-03-08"
    assert second.stored  # the same deterministic fit on the same log scores the same
    previous = json.loads(store.get_meta(optimize.PREVIOUS_KEY))
    assert previous["parameters"] == first.parameters and previous["fitted_at"] == first.fitted_at
    assert json.loads(store.get_meta(optimize.KEY))["fitted_at"] == second.fitted_at

    removed = optimize.reset(store)
    assert removed["fitted_at"] == second.fitted_at
    assert optimize.stored_parameters(store) is None
    assert json.loads(store.get_meta(optimize.PREVIOUS_KEY))["fitted_at"] == second.fitted_at
    assert optimize.reset(store) is None  # nothing left to reset; the previous set is still kept
    assert store.get_meta(optimize.PREVIOUS_KEY) is not None


def test_cli_reports_the_fit_and_resets(store_with_log):
    pytest.importorskip("fsrs_rs_python")
    app = cli_app()
    result = runner.invoke(app, ["optimize"])
    assert result.exit_code == 0, result.output
    assert "log loss" in result.output and "RMSE" in result.output and "stored" in result.output
    result = runner.invoke(app, ["optimize", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report["parameters"]) == 21 and report["stored"]
    assert report["log_loss_after"] <= report["log_loss_before"] + optimize.TOLERANCE
    assert report["baseline"].startswith("fitted ")
    result = runner.invoke(app, ["optimize", "--reset"])
    assert result.exit_code == 0 and "back to the FSRS defaults" in result.output
    result = runner.invoke(app, ["optimize", "--reset", "--json"])
    assert json.loads(result.output) == {"reset": True, "removed": None}


def test_unreadable_stored_parameters_name_the_fix(isolated_home):
    store = Store.open(isolated_home)
    store.set_meta(optimize.KEY, json.dumps({"parameters": [1.0, 2.0]}))
    with pytest.raises(PrepError, match="optimize --reset"):
        optimize.stored_parameters(store)
    assert optimize.reset(store) == {"parameters": [1.0, 2.0]}
    assert optimize.stored_parameters(store) is None
    store.close()
