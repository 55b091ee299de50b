"""The recall table (FSRSScheduler.recall_rows) gives the same numbers as asking card by card.

`prep plan --show` computes every card's recall on every day at once; its forecast must equal,
bit for bit, the one computed with scheduler.retrievability per card and day (the way it was
computed before the table existed).  The states come from a real store, written by real reviews
at odd times of day, so stored timestamps round-trip as the command reads them.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.models import Rating, Review
from interviewprep.srs import plan as plans
from interviewprep.srs.scheduler import FSRSScheduler
from interviewprep.store.db import Store

FSRS = FSRSScheduler(fuzz=False)
TODAY = date(2026, 3, 1)


class CardByCard:
    """The same FSRS curve seen only through the Scheduler protocol: no recall_rows, so every
    caller falls back to one retrievability call per card and moment."""

    name = "fsrs"

    def __init__(self, inner: FSRSScheduler):
        self.inner = inner

    def review(self, state, card_id, rating, now):
        return self.inner.review(state, card_id, rating, now)

    def retrievability(self, state, now):
        return self.inner.retrievability(state, now)


def reviewed_store(tmp_path, n_cards: int = 60) -> Store:
    """A store whose cards were rated at random instants (seconds and microseconds included) over 90 days."""
    store = Store.open(tmp_path / "data")
    rng = random.Random(18)
    start = datetime(2025, 12, 1, tzinfo=timezone.utc)
    for i in range(n_cards):
        card_id, state = f"c{i}", None
        when = start + timedelta(seconds=rng.uniform(0, 80 * 86400))
        for _ in range(rng.randint(1, 6)):
            rating = rng.choice((Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.EASY))
            new = FSRS.review(state, card_id, rating, when)
            store.record(Review(card_id, rating, when, 5000), new, state)
            state = new
            when = max(when + timedelta(minutes=rng.randint(1, 600)), new.due)
    return store


def test_plan_forecast_equals_the_card_by_card_forecast(tmp_path):
    store = reviewed_store(tmp_path)
    states = store.states()
    # 80 cards: 60 seen, 20 never seen; a day at midnight and an interview 45 days out
    plan = plans.Plan(tuple(f"c{i}" for i in range(80)), TODAY + timedelta(days=45), 15.0,
                      datetime(2026, 3, 1, 7, tzinfo=timezone.utc), target=0.9)
    slow = CardByCard(FSRS)
    fast = plans.recall_forecast(plan, states, FSRS, TODAY)
    reference = plans.recall_forecast(plan, states, slow, TODAY)
    assert fast == reference
    assert fast.at_risk and fast.unseen == 20 and len(fast.idle) == 46  # the comparison covers real content
    path = plans.good_path(plan, states, FSRS, TODAY)
    assert plans.recall_forecast(plan, states, FSRS, TODAY, path) == reference
    decks = {f"c{i}": f"d{i % 4}" for i in range(80)}
    alone = plans.outlook(plan, states, slow, TODAY, decks, 10.0)
    assert plans.outlook(plan, states, FSRS, TODAY, decks, 10.0, path=path) == alone
    assert plans.outlook(plan, states, FSRS, TODAY, decks, 10.0, path=path, forecast=fast) == alone
    assert alone.at_risk == len(fast.at_risk) > 0
    store.close()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 1, 1),
                             timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-7, minutes=-30)),
                                                        timezone(timedelta(hours=9))])),
                min_size=1, max_size=5),
       st.lists(st.tuples(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 6, 1),
                                       timezones=st.just(timezone.utc)),
                          st.one_of(st.none(), st.just(0.0), st.floats(0.01, 5000))),
                min_size=1, max_size=8))
def test_recall_rows_match_retrievability_at_any_instant(moments, cards):
    """Any time of day, any offset, before or after the last review, zero or missing stability."""
    base = FSRS.review(None, "x", Rating.GOOD, datetime(2024, 1, 1, tzinfo=timezone.utc))
    states = [None] + [replace(base, last_review=last, stability=s) for last, s in cards]
    rows = FSRS.recall_rows(states, moments)
    assert rows == [[FSRS.retrievability(s, m) for s in states] for m in moments]
