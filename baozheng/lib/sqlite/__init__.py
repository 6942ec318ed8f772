"""Django's SQLite backend with a decimal reader that never fails (see base.py)."""
