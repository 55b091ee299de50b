"""One desired-retention range, said the same way by the config file, the plan and the scheduler."""

from __future__ import annotations

import pytest

from interviewprep.errors import UsageError
from interviewprep.models import retention_problem
from interviewprep.srs.scheduler import FSRSScheduler
from tests.conftest import prep


def test_the_range_ends_are_inside_and_just_beyond_is_outside():
    assert retention_problem(0.70) is None and retention_problem(0.99) is None
    assert retention_problem(0.695) == retention_problem(0.995) == "must be between 0.70 and 0.99"


def test_config_and_scheduler_refuse_with_the_same_words():
    result = prep("config", "set", "retention", "1.2")
    assert result.exit_code == 2 and "must be between 0.70 and 0.99" in result.output
    with pytest.raises(UsageError, match="^desired retention 0.5 must be between 0.70 and 0.99$"):
        FSRSScheduler(0.5)
