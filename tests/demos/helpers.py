"""What the per-deck demo tests share: run a demo by id at some parameters, find one of its checks."""

from __future__ import annotations

from interviewprep.demos import registry
from interviewprep.models import LANGS

SPECS = registry.load_all()


def outcome(demo_id, seed=0, **params):
    """The demo's outcome at these parameters, held to the claim rule (`assert_claim_rule`) on the way out."""
    return assert_claim_rule(registry.run(SPECS[demo_id], params, seed=seed).outcome)


def assert_claim_rule(out, label=""):
    """Issue 23's rule on one run: with every check passed the claim closes the takeaway; with one failed
    the claim is not stated and every failed check is named. Every demo test that runs a demo goes through
    here, so each failing setting or broken computation a test builds also tests what the reader is told."""
    failed = [c for c in out.checks if not c.passed]
    for lang in LANGS:
        claim = out.claim.get(lang, "")
        text = out.takeaway.get(lang, "")
        if not failed:
            assert text.endswith(claim), f"{label}: the {lang} claim does not close the takeaway"
            continue
        assert not claim or claim not in text, f"{label}: the {lang} claim is stated though a check failed"
        for c in failed:
            assert c.name in text, f"{label}: the failed check {c.name!r} is not reported in {lang}"
    return out


def check_named(out, words):
    return next(c for c in out.checks if words in c.name)
