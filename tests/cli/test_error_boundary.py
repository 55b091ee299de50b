"""One error boundary: a PrepError that leaves any command becomes its message and an ExitStatus."""

from __future__ import annotations

import typer

from interviewprep.cli.options import PrepGroup
from interviewprep.errors import BankError, ExitStatus, PrepError, UsageError
from tests.conftest import run_prep, runner


def _app(error: Exception) -> typer.Typer:
    app = typer.Typer(cls=PrepGroup)

    @app.command()
    def fail():
        raise error

    @app.command()
    def ok():
        typer.echo("fine")

    return app


def test_each_error_type_maps_to_its_status_and_its_message_on_stderr():
    for error, status in [(UsageError("no card 'x'"), ExitStatus.USAGE), (PrepError("disk full"), ExitStatus.PROBLEM),
                          (BankError(["a.yaml:1:1: bad", "b.yaml:2:3: worse"]), ExitStatus.PROBLEM)]:
        result = runner.invoke(_app(error), ["fail"])
        assert result.exit_code == status, (error, result.output)
        assert result.stdout == "" and str(error).splitlines() == result.stderr.splitlines()
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_bug_is_not_swallowed_as_a_user_error():
    result = runner.invoke(_app(ZeroDivisionError("bug")), ["fail"])
    assert isinstance(result.exception, ZeroDivisionError)


def test_the_statuses_are_the_documented_ones():
    assert [int(s) for s in ExitStatus] == [0, 1, 2, 130]


def test_the_real_app_reports_through_the_boundary_without_a_traceback():
    result = run_prep("show", "no-such-card")
    assert result.returncode == ExitStatus.USAGE and result.stderr.startswith("no card 'no-such-card'")
    assert "Traceback" not in result.stderr
