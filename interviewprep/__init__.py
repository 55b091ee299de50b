"""prep: deep-learning interview preparation in the terminal.

A bilingual question bank (YAML), spaced repetition with FSRS stored in SQLite, and small NumPy
experiments that show why an answer is true. The CLI lives in `interviewprep.cli`; everything
it does is available from the library modules (bank, store, scheduler, session) without it.
"""

__version__ = "0.1.0"
