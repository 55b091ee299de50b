"""Where progress lives: the SQLite store, its numbered migrations, backups and the doctor.

May import: bank (the doctor checks the bank cache), models, errors, config. Never rich, the CLI or the
scheduler: the store keeps review state and the log, it does not decide what they mean.
"""
