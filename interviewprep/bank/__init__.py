"""The question bank: YAML decks read with positions, validated, cached, searched, graded against key points.

May import: models, errors, config. Never rich, the CLI, the store or the scheduler: a bank is data,
and `prep check` must be able to read one with nothing else set up.
"""
