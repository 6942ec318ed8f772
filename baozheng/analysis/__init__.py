"""Pure analysis engine for the monthly bulletin (docs/rules.md §2 and §3).

No Django here: the caller passes plain dataclasses and a polars frame of
observations and gets plain dicts back.

Import the modules themselves (`analysis.engine`, `analysis.periods`, ...): the package
re-exports nothing, so that the models, which read periods, do not load polars and numpy
into every command, server and job worker at start.
"""
