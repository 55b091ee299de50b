"""Fit FSRS parameters to the user's own review log (`prep optimize`) and keep them in the store.

Why a maintained optimizer and not our own: fitting FSRS is gradient descent over a recurrent
memory model with clipping, outlier filtering and a pretraining step for the first stabilities;
fsrs-rs (the Rust optimizer Anki itself uses) already does all of it and is tested against the
open benchmark. Its Python binding `fsrs-rs-python` is a ~1.5 MB wheel with no torch, so it is an
optional extra (`pip install 'interviewprep[optimize]'`) and is imported only inside `fit`.

Why 500 reviews: below a few hundred reviews the fit mostly learns noise; FSRS's own guidance
(and Anki's) is to optimize only once there is a real history.

How the log becomes training data (the shape fsrs-rs expects): reviews are grouped per card in
time order; every review that comes on a later study day than the one before it is a training
item, whose history is all of the card's reviews up to and including it, each with `delta_t` =
whole study days since the previous review (0 for the first review and same-day steps). Study days
follow the local time zone and `$PREP_DAY_START`, like `prep stats`. The fit is reported as log
loss and RMSE (bins) of the parameters in use before vs the fitted ones, on those same items.

Storage: meta key `fsrs_parameters` holds JSON with the parameters and how they were fitted; the
set it replaces (fitted earlier) moves to `fsrs_parameters_previous`, so a fit can be undone by
hand and `--reset` (back to the defaults) keeps what it removed there too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime

from interviewprep import clock
from interviewprep.errors import PrepError, StoreError
from interviewprep.models import to_iso
from interviewprep.store.db import Store

MIN_REVIEWS = 500
N_PARAMETERS = 21  # FSRS-6, what py-fsrs 6 takes
KEY = "fsrs_parameters"
PREVIOUS_KEY = "fsrs_parameters_previous"
TOLERANCE = 1e-4  # log-loss differences below this are float noise (a re-fit of the same log lands here)
MISSING_EXTRA = "prep optimize needs the optimize extra: pip install 'interviewprep[optimize]'"


@dataclass(frozen=True)
class Fit:
    """What one optimization produced; stored as JSON and printed by `prep optimize`."""

    parameters: list[float]
    fitted_at: str
    n_reviews: int
    n_items: int
    n_cards: int
    log_loss_before: float
    log_loss_after: float
    rmse_before: float
    rmse_after: float
    baseline: str  # "defaults" or "fitted <date>": which parameters "before" means
    optimizer: str
    stored: bool  # False when the fit scored worse than the parameters in use, which are then kept

    def to_dict(self) -> dict:
        return asdict(self)


def _rs():
    """The fsrs-rs binding, or the message that says how to install it."""
    try:
        import fsrs_rs_python
    except ImportError:
        raise PrepError(MISSING_EXTRA) from None
    return fsrs_rs_python


def study_day(moment: datetime, day_start_hour: int, tz=None) -> int:
    """The ordinal of the study day `moment` falls in (clock.study_day, as a number)."""
    return clock.study_day(moment, day_start_hour, tz).toordinal()


def histories(store: Store) -> dict[str, list[tuple[datetime, int]]]:
    """Every card's reviews as (time, rating), oldest first, straight from the review log."""
    out: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for card_id, rating, moment in store.reviews_by_card():
        out[card_id].append((moment, rating))
    return dict(out)


def card_items(history: list[tuple[datetime, int]], day_start_hour: int, tz=None) -> list[list[tuple[int, int]]]:
    """One card's training items as lists of (rating, delta_t), without the fsrs-rs types (testable alone).

    An item ends at each review made on a later study day than the previous review: same-day
    reviews are learning steps, kept inside later histories but never predicted themselves.
    """
    reviews: list[tuple[int, int]] = []
    items = []
    last_day = None
    for moment, rating in history:
        day = study_day(moment, day_start_hour, tz)
        delta_t = 0 if last_day is None else day - last_day
        reviews.append((rating, delta_t))
        if delta_t > 0:
            items.append(list(reviews))
        last_day = day
    return items


def build_items(store: Store, day_start_hour: int, tz=None):
    """(fsrs-rs FSRSItems, number of reviews read, number of cards with at least one item)."""
    rs = _rs()
    by_card = histories(store)
    items, cards = [], 0
    for history in by_card.values():
        found = card_items(history, day_start_hour, tz)
        cards += bool(found)
        items += [rs.FSRSItem([rs.FSRSReview(rating, delta_t) for rating, delta_t in item]) for item in found]
    items = [item for item in items if item.long_term_review_cnt() > 0]
    return items, sum(len(h) for h in by_card.values()), cards


def review_count(store: Store) -> int:
    return store.review_count()


def fit(store: Store, now: datetime, min_reviews: int = MIN_REVIEWS, day_start_hour: int | None = None,
        tz=None) -> Fit:
    """Fit parameters to the whole review log and score them against those in use on the same items.

    The fitted set is stored only when its log loss is no worse (within TOLERANCE); otherwise the
    set in use stays (in-sample a fit should win, so losing means the optimizer did not converge).
    """
    n = review_count(store)
    if n < min_reviews:
        raise PrepError(f"{n} reviews so far; optimization needs at least {min_reviews}")
    rs = _rs()
    if day_start_hour is None:
        from interviewprep.clock import day_start_hour as configured_hour

        day_start_hour = configured_hour()
    items, n_reviews, n_cards = build_items(store, day_start_hour, tz)
    if not items:
        raise PrepError(f"{n} reviews, but none on a later day than a card's previous review; nothing to fit yet")
    current = load(store)
    before = current["parameters"] if current else list(rs.DEFAULT_PARAMETERS)
    try:
        fitted = rs.FSRS(list(rs.DEFAULT_PARAMETERS)).compute_parameters(items)
        fitted = to_fsrs6(rs, fitted)
        old = rs.FSRS(before).evaluate(items)
        new = rs.FSRS(fitted).evaluate(items)
    except ValueError as exc:  # what the Rust side raises for data it cannot fit (e.g. too few items)
        raise PrepError(f"the optimizer could not fit this history: {exc}") from None
    check_accepted(fitted)
    result = Fit(
        parameters=fitted,  # unrounded: the stored set must be the one that was scored
        fitted_at=to_iso(now),
        n_reviews=n_reviews,
        n_items=len(items),
        n_cards=n_cards,
        log_loss_before=float(old.log_loss),
        log_loss_after=float(new.log_loss),
        rmse_before=float(old.rmse_bins),
        rmse_after=float(new.rmse_bins),
        baseline=f"fitted {current['fitted_at'][:10]}" if current else "defaults",
        optimizer=f"fsrs-rs-python {_version()}",
        stored=float(new.log_loss) <= float(old.log_loss) + TOLERANCE,
    )
    if result.stored:
        save(store, result.to_dict())
    return result


def to_fsrs6(rs, parameters) -> list[float]:
    """Make sure we hold 21 FSRS-6 parameters, which is what py-fsrs 6 schedules with.

    fsrs-rs-python 0.9 returns 21. An older release returns 19 (FSRS-5) or 17 (FSRS-4.5); fsrs-rs's
    own `check_and_fill_parameters` converts those exactly (w19 = 0 and FSRS-5's fixed decay 0.5 as
    w20), so we let it do that rather than guessing. Anything else is refused.
    """
    parameters = [float(w) for w in parameters]
    if len(parameters) != N_PARAMETERS:
        try:
            parameters = [float(w) for w in rs.check_and_fill_parameters(parameters)]
        except ValueError:
            pass
    if len(parameters) != N_PARAMETERS:
        raise PrepError(f"the optimizer returned {len(parameters)} parameters; prep's scheduler needs "
                        f"{N_PARAMETERS} (FSRS-6); upgrade with pip install -U 'interviewprep[optimize]'")
    return parameters


def check_accepted(parameters: list[float]) -> None:
    """Refuse a set py-fsrs would refuse, before it is stored where every quiz would trip on it."""
    import fsrs

    try:
        fsrs.Scheduler(parameters=tuple(parameters))
    except ValueError as exc:
        raise PrepError(f"the fitted parameters are not usable by the scheduler ({exc}); nothing was stored") from None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fsrs-rs-python")
    except PackageNotFoundError:
        return "?"


# -- the stored set -----------------------------------------------------------------------------------


def load(store: Store, key: str = KEY) -> dict | None:
    """The stored record under `key` (parameters, fitted_at, ...), or None when there is none."""
    text = store.get_meta(key)
    if text is None:
        return None
    try:
        record = json.loads(text)
        parameters = [float(w) for w in record["parameters"]]
    except (ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"{store.path}: the stored FSRS parameters ({key}) are unreadable ({exc}); "
                         "`prep optimize --reset` goes back to the defaults") from None
    if len(parameters) != N_PARAMETERS:
        raise StoreError(f"{store.path}: {len(parameters)} stored FSRS parameters, expected {N_PARAMETERS}; "
                         "`prep optimize --reset` goes back to the defaults")
    return {**record, "parameters": parameters}


def stored_parameters(store: Store) -> list[float] | None:
    """The fitted parameters for the scheduler, or None to use py-fsrs's defaults."""
    record = load(store)
    return record["parameters"] if record else None


def save(store: Store, record: dict) -> None:
    """Store `record` as the set in use; the set it replaces (if any) becomes the previous one."""
    store.replace_meta(KEY, json.dumps(record), previous_key=PREVIOUS_KEY)


def reset(store: Store) -> dict | None:
    """Go back to the default parameters; the removed set is kept as the previous one. Returns it (or None)."""
    removed = store.replace_meta(KEY, None, previous_key=PREVIOUS_KEY)
    if removed is None:
        return None
    try:
        return json.loads(removed)
    except ValueError:
        return {}
