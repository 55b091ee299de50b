"""The edge: the typer app (`cli/app.py`), one module per command group, shared options, the key reader.

Commands parse arguments, call library functions and hand results to `render/`; the project's errors are
turned into messages and exit codes here. Anything may be imported from here; nothing imports this package.
"""
