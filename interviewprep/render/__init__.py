"""Everything rich: cards, quiz screens, plans, stats charts and demo results on the terminal.

May import: srs, bank, demos (their results), models, errors, config. Renderers compute nothing that
a test would need to check apart from the picture; the numbers come from the layers below. They print
nothing either: each returns a rich renderable (or, for `prep list`'s stream, plain lines) that the CLI
prints with its one SafeConsole.
"""
