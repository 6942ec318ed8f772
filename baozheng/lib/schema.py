"""Bring a database's tables up to the models: migrate it, or create a new one at once.

Migrating an empty database replays every migration, and Django rebuilds the state of the
models related to each one it touches: about 100 related models make that 11 s here, most
of the demo's first start. An empty database needs none of the history, so it gets its
tables straight from the models (as the test databases do) and every migration recorded as
applied; a later version's migrations then apply on top as usual. `makemigrations --check`
in CI keeps the models and the migrations one schema. The data migrations only rewrite
existing rows, so an empty database misses nothing by skipping them.

The schema editor creates the tables model by model, as `migrate --run-syncdb` does in the
end, and the migrations are recorded as `migrate --fake` records them; the two commands
also rendered the migration state of every model around that work, 0.23 s of the 0.40 s a
new database took. `post_migrate` (content types, permissions, the reference checks) is
then sent once, with the models themselves.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_or_create() -> None:
    """Create the tables of an empty database from the models; migrate any other."""
    if connection.introspection.table_names():
        call_command("migrate", verbosity=0, interactive=False)
        return
    with connection.schema_editor() as editor:
        for model in apps.get_models():  # many-to-many tables come with their model
            if model._meta.can_migrate(connection):
                editor.create_model(model)
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    executor.recorder.ensure_schema()
    for migration, _ in plan:
        executor.record_migration(migration)
    emit_post_migrate_signal(0, False, connection.alias, apps=apps, plan=plan)
