"""`prep doctor`: one look at everything that can be wrong, and where things live.

Each finding is a (name, ok, detail) row; healthy means every row is ok. Orphaned history and
never-reviewed cards are reported for information and do not make the install unhealthy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from interviewprep.errors import StoreError
from interviewprep.store import backup as backups
from interviewprep.store import validate
from interviewprep.store.db import DB_NAME, Store
from interviewprep.store.migrations import MIGRATIONS


@dataclass
class Finding:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)
    orphans: dict[str, int] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return all(f.ok for f in self.findings)

    def to_dict(self) -> dict:
        return {
            "healthy": self.healthy,
            "findings": [f.__dict__ for f in self.findings],
            "paths": self.paths,
            "orphans": self.orphans,
        }


def paths(home: Path) -> dict[str, str]:
    """Where things live, after every override (config.py: --home, $PREP_*, the config file)."""
    from interviewprep.config import cache_dir, config_path

    return {
        "data": str(home),
        "database": str(Path(home) / DB_NAME),
        "backups": str(backups.backup_dir(home)),
        "config": str(config_path()),
        "cache": str(cache_dir()),
    }


def diagnose(home: Path, bank_dirs: list, now: datetime) -> Report:
    from interviewprep.bank import cache

    report = Report(paths=paths(home))
    loaded, problems = cache.read(bank_dirs, full=False)  # unchanged files come from the cache, unparsed
    report.findings.append(Finding("banks", not problems,
                                   f"{len(loaded.cards)} cards in {len(loaded.decks)} decks"
                                   + (f"; {len(problems)} problem(s), first: {problems[0]}" if problems else "")))
    if not (Path(home) / DB_NAME).exists():
        report.findings.append(Finding("database", True, "no reviews yet (created on first use)"))
        return report
    try:
        store = Store.open(home)
    except StoreError as exc:
        report.findings.append(Finding("database", False, str(exc)))
        return report
    try:
        result = backups.integrity(store)
        report.findings.append(Finding("integrity", result == "ok", f"PRAGMA integrity_check: {result}"))
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        report.findings.append(Finding("schema", version == len(MIGRATIONS), f"version {version}"))
        bad, first = validate.bad_rows(store.conn)
        report.findings.append(Finding("values", bad == 0, "every row holds valid values" if not bad else
                                       f"{bad} row(s) with bad values, first: {first}; `prep restore` of a "
                                       "backup copies only valid rows"))
        report.orphans = store.orphans(set(loaded.cards))
        report.findings.append(Finding("orphaned history", True,
                                       f"{len(report.orphans)} card id(s) with history but no card in the banks"))
        seen = store.seen_ids()
        never = sum(1 for cid in loaded.cards if cid not in seen)
        report.findings.append(Finding("never reviewed", True, f"{never} of {len(loaded.cards)} cards"))
        existing = backups.list_backups(home)
        if existing:
            age = now.timestamp() - existing[-1].stat().st_mtime
            report.findings.append(Finding("backups", age < 8 * 86400,
                                           f"{len(existing)} kept, newest {age / 86400:.1f} days old"))
        else:
            reviews = store.review_count()
            advice = f" for {reviews} reviews: run `prep backup`" if reviews else ""
            report.findings.append(Finding("backups", reviews == 0, "none yet" + advice))
    except StoreError as exc:
        report.findings.append(Finding("database", False, str(exc)))
    finally:
        store.close()
    return report
