"""A forked helper process that works through the tail of a list while this process does the head.

Why: a cold load of a large bank is parsing and encoding YAML, one file after another, on one core;
the machines `prep` runs on have two or more. One child, forked after the list is known (it shares
the parent's memory, so nothing needs sending to it), runs `job(item)` for each item of its share and
writes each (first, second) result pair, pickled, to two unnamed temporary files: the parent reads
every `first` when it reaches the child's share, and the `second`s one at a time later, so a share's
bulk (the cache rows) is never held all at once.

The child is a helper, never a dependency: if it fails in any way (an exception, a signal, a result
that does not read back), `firsts()` answers None and the parent does the work itself, so a result
is always the parent's own computation or the same function's output in the child. Forking is
skipped where it is unsafe or unavailable (no os.fork, another thread running, one core).
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
import threading


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a helper may be forked here: os.fork exists, more than one core, and no other thread
    (a thread holding a lock at the fork would leave the child waiting on it forever)."""
    return hasattr(os, "fork") and cores() > 1 and threading.active_count() == 1


class Helper:
    """One forked child computing job(item) -> (first, second) for each of `items`, in order."""

    def __init__(self, job, items: list):
        self.count = len(items)
        self._firsts = tempfile.TemporaryFile()
        self._seconds = tempfile.TemporaryFile()
        self._pid = os.fork()
        if self._pid == 0:  # the child: never returns, never runs the parent's exit handlers
            code = 1
            try:
                for item in items:
                    first, second = job(item)
                    pickle.dump(first, self._firsts, protocol=pickle.HIGHEST_PROTOCOL)
                    pickle.dump(second, self._seconds, protocol=pickle.HIGHEST_PROTOCOL)
                self._firsts.flush()
                self._seconds.flush()
                code = 0
            except BaseException:  # noqa: BLE001 - any failure means "the parent does it"
                pass
            finally:
                os._exit(code)
        self._status: int | None = None

    def _wait(self) -> bool:
        if self._status is None:
            _, status = os.waitpid(self._pid, 0)
            self._status = os.waitstatus_to_exitcode(status)
            self._firsts.seek(0)
            self._seconds.seek(0)
        return self._status == 0

    def firsts(self) -> list | None:
        """Every first result in order once the child is done; None if it failed."""
        try:
            if self._wait():
                return [pickle.load(self._firsts) for _ in range(self.count)]
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            pass
        self._status = -1
        return None

    def next_second(self):
        """The next second result (after firsts() returned a list); None if it does not read back."""
        try:
            return pickle.load(self._seconds)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return None

    def close(self) -> None:
        """Stop the child if its results were never asked for (the parent gave up), and drop the files."""
        if self._status is None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            self._status = -1
        self._firsts.close()
        self._seconds.close()
