"""Bring a database's tables up to the models: migrate it, or create a new one at once.

Migrating an empty database replays every migration, and Django rebuilds the state of the
models related to each one it touches: about 100 related models make that 11 s here, most
of the demo's first start. An empty database needs none of the history, so it gets its
tables straight from the models (as the test databases do) and every migration recorded as
applied; a later version's migrations then apply on top as usual. `makemigrations --check`
in CI keeps the models and the migrations one schema. The data migrations only rewrite
existing rows, so an empty database misses nothing by skipping them.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings


def migrate_or_create() -> None:
    """Create the tables of an empty database from the models; migrate any other."""
    if connection.introspection.table_names():
        call_command("migrate", verbosity=0, interactive=False)
        return
    without_migrations = {app.label: None for app in apps.get_app_configs()}
    with override_settings(MIGRATION_MODULES=without_migrations):
        call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    call_command("migrate", fake=True, verbosity=0, interactive=False)
