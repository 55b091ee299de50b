"""Spaced repetition: the scheduler interface (FSRS, SM-2, Leitner), sessions, interview plans, statistics.

May import: store (to read and record reviews), bank, models, errors, config. Never rich or the CLI:
a session is driven by `cli/quiz.py` and shown by `render/`.
"""
