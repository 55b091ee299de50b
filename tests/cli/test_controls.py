"""Anki's controls through the real CLI: rating keys with their intervals, the three counts, bury /
suspend / flag from the quiz and from the command line, the daily limits from `prep config`."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

from interviewprep.models import CardState, Phase, Rating, Review
from interviewprep.store.db import Store
from tests.conftest import prep, run_prep, user


def due_reviews(home, ids, days_overdue=3):
    """Give `ids` review states that fell due `days_overdue` days ago (reviewed a week before that)."""
    now = datetime.now(timezone.utc)
    store = Store.open(home)
    for cid in ids:
        seen = now - timedelta(days=days_overdue + 7)
        store.record(Review(cid, Rating.GOOD, seen),
                     CardState(cid, Phase.REVIEW, now - timedelta(days=days_overdue), stability=7.0, difficulty=5.0,
                               last_review=seen, reps=2), None)
    store.close()


def test_each_rating_key_shows_its_interval_and_the_rating_gives_it(small_bank):
    result = run_prep("quiz", *user(small_bank, "--lang", "en"), input=" \n3\n \n4\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    prompts = re.findall(r"1 Again · (\S+)\s+2 Hard · (\S+)\s+3 Good · (\S+)\s+4 Easy · (\S+)", out)
    assert len(prompts) == 2 and prompts[0][:3] == ("1m", "6m", "10m")
    assert "saved: Good · a-one · next in 10 min" in out
    easy = re.search(r"saved: Easy · a-two · next in (\d+) d", out)
    assert easy and prompts[1][3] == f"{easy.group(1)}d"  # what the key said is what the rating gave


def test_the_counter_shows_new_learning_review_separately(small_bank, isolated_home):
    due_reviews(isolated_home, ["b-two"])
    out = prep("quiz", *user(small_bank, "--lang", "en", "--new", "2"), input=" \n1\n \n1\nq\n").output
    counters = re.findall(r"(\d+) · (\d+) · (\d+)  new · learning · review", out)
    # the due review first, then the two new cards; Again moves a card to learning, the total never jumps
    assert counters[:3] == [("2", "0", "1"), ("2", "1", "0"), ("1", "2", "0")]


def test_bury_suspend_and_flag_keys_in_the_quiz_are_stored_and_listed(small_bank):
    keys = "b\n \n@\nf\n \n3\nq\n"  # bury a-one; reveal a-two and suspend it; flag a-three, reveal, rate
    result = prep("quiz", *user(small_bank, "--lang", "en"), input=keys)
    assert result.exit_code == 0
    out = result.output
    assert "buried a-one until" in out and "suspended a-two" in out and "⚑ flagged a-three" in out
    assert "b bury · @ suspend · f flag" in out  # the key help names them
    assert re.search(r"buried\s+1", out) and re.search(r"suspended\s+1", out)

    def listed(state):
        return [row["id"] for row in json.loads(prep("list", "--json", "--state", state, *user(small_bank)).output)]

    assert (listed("buried"), listed("suspended"), listed("flagged")) == (["a-one"], ["a-two"], ["a-three"])
    assert json.loads(prep("next", "--json", *user(small_bank)).output)["id"] == "b-one"


def test_command_line_bury_suspend_flag_and_back(small_bank):
    assert prep("suspend", "a-one", "a-two", *user(small_bank)).exit_code == 0
    assert json.loads(prep("next", "--json", *user(small_bank)).output)["id"] == "a-three"
    buried = prep("bury", "a-three", *user(small_bank))
    assert buried.exit_code == 0 and buried.output.startswith("buried a-three until ")
    assert json.loads(prep("next", "--json", *user(small_bank)).output)["id"] == "b-one"
    assert prep("flag", "b-one", *user(small_bank)).output.strip() == "flagged b-one"
    assert json.loads(prep("next", "--json", *user(small_bank)).output)["id"] == "b-one"  # a flag hides nothing
    assert "b-one" in prep("list", "--state", "flagged", *user(small_bank)).output
    assert prep("flag", "b-one", "--clear", *user(small_bank)).output.strip() == "unflagged b-one"
    assert "0 cards" in prep("list", "--state", "flagged", *user(small_bank)).output
    assert prep("flag", "b-one", "--clear", *user(small_bank)).output.strip() == "b-one was not flagged"
    assert prep("unsuspend", "b-two", *user(small_bank)).output.strip() == "b-two was not suspended"
    assert prep("unsuspend", "a-two", *user(small_bank)).exit_code == 0
    assert prep("unbury", "a-three", *user(small_bank)).exit_code == 0
    assert json.loads(prep("next", "--json", *user(small_bank)).output)["id"] == "a-two"
    quiz = prep("quiz", *user(small_bank, "--lang", "en"), input="q\n").output
    assert "Question a-two?" in quiz
    assert re.search(r"4 · 0 · 0  new · learning · review", quiz)  # a-one stays suspended


def test_unknown_ids_and_states_are_one_line_usage_errors(small_bank):
    result = run_prep("bury", "a-on", *user(small_bank))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("no card 'a-on'; did you mean a-one, b-one, a-two?")
    nothing_close = run_prep("suspend", "zzz-qqq", *user(small_bank))
    assert nothing_close.returncode == 2 and "no card 'zzz-qqq'" in nothing_close.stderr
    assert "did you mean" not in nothing_close.stderr
    bad_state = run_prep("list", "--state", "asleep", *user(small_bank))
    assert bad_state.returncode == 2
    assert "--state 'asleep' is not one of new, learning, review, due, buried, suspended, flagged" in bad_state.stderr


def test_the_daily_review_limit_from_config_holds_over_two_quizzes(small_bank, isolated_home):
    due_reviews(isolated_home, ["a-one", "a-two", "a-three"])
    assert prep("config", "set", "reviews_per_day", "2").exit_code == 0
    first = prep("quiz", *user(small_bank, "--lang", "en", "--new", "0"), input=" \n4\nq\n").output
    assert re.search(r"0 · 0 · 2  new · learning · review", first)
    second = prep("quiz", *user(small_bank, "--lang", "en", "--new", "0"), input=" \n4\n \n4\nq\n").output
    assert re.search(r"0 · 0 · 1  new · learning · review", second)
    assert second.count("saved: Easy") == 1  # the limit of 2 is used up
    third = prep("quiz", *user(small_bank, "--lang", "en", "--new", "0"))
    assert third.exit_code == 0 and "Today's review limit is reached: 1 due review card(s) wait" in third.output
    assert prep("config", "set", "reviews_per_day", "-1").exit_code == 2


def test_learn_ahead_from_config_zero_keeps_a_10_minute_step_for_later(small_bank):
    ahead = prep("quiz", *user(small_bank, "--lang", "en", "--new", "1"), input=" \n3\nq\n").output
    assert ahead.count("Question a-one?") == 2  # the default 20 minutes shows the 10-minute step early
    prep("config", "set", "learn_ahead", "0")
    other = prep("quiz", *user(small_bank, "--lang", "en", "--new", "1", "--deck", "beta"), input=" \n3\nq\n")
    out = other.output
    assert out.count("Question b-one?") == 1 and "saved: Good · b-one · next in 10 min" in out
    assert re.search(r"still learning\s+1", out) and re.search(r"next card due\s+in 10 min", out)


def test_after_a_demo_the_rating_prompt_is_shown_again():
    result = prep("quiz", "--deck", "activations", "--new", "1", "--lang", "en", input=" \nd\n3\nq\n")
    assert result.exit_code == 0
    out = result.output
    demo_at, saved_at = out.index("Takeaway / 结论"), out.index("saved: Good")
    assert out.count("1 Again · ") == 2
    assert demo_at < out.rindex("1 Again · ") < saved_at  # shown again between the demo and the rating


def test_a_plan_leaves_suspended_cards_out(small_bank):
    prep("suspend", "a-one", *user(small_bank))
    day = (date.today() + timedelta(days=20)).isoformat()
    result = prep("plan", "--date", day, "--json", *user(small_bank))
    assert result.exit_code == 0
    assert "a-one" not in json.loads(result.output)["plan"]["card_ids"]
    assert len(json.loads(result.output)["plan"]["card_ids"]) == 4


def test_the_today_view_leaves_buried_and_suspended_cards_out_and_follows_learn_ahead(small_bank):
    prep("suspend", "a-one", *user(small_bank))
    prep("bury", "a-two", *user(small_bank))
    data = json.loads(prep("decks", "--json", *user(small_bank)).output)
    assert data["totals"] == {"deck": "total", "cards": 3, "new": 3, "learning": 0, "due": 0}
    prep("quiz", *user(small_bank, "--lang", "en", "--new", "1"), input=" \n3\nq\n")  # a 10-minute step
    learning = json.loads(prep("decks", "--json", *user(small_bank)).output)["totals"]["learning"]
    prep("config", "set", "learn_ahead", "5")
    later = json.loads(prep("decks", "--json", *user(small_bank)).output)["totals"]["learning"]
    assert (learning, later) == (1, 0)  # within 20 minutes it waits now; not within 5
