"""Fixtures the scheduling tests share: the small bank's cards and a real store in a temp dir."""

from __future__ import annotations

import pytest

from interviewprep.bank import loader as banks
from interviewprep.store.db import Store


@pytest.fixture
def cards(small_bank):
    return banks.load([(small_bank, False)]).select()


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "data")
    yield s
    s.close()
