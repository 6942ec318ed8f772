"""The migration step that comes before a column's bounds CHECK: refuse, naming the rows,
when stored values already break it.

SQLite kept whatever it was given before the constraints existed, so a database may hold
an amount no page can read. Adding the CHECK would then fail half-way with a bare
"CHECK constraint failed"; clamping or deleting the value would silently change an
official figure. Neither is acceptable, so the migration stops first and names each row
(table, id, column, value) for an administrator to correct; running it again continues.
"""

from __future__ import annotations

from django.db import migrations, models


def out_of_bounds(apps, schema_editor, app_label: str) -> list[str]:
    """'table id=… column=value' for every stored decimal outside its column's digits."""
    found = []
    quote = schema_editor.quote_name
    for model in apps.get_app_config(app_label).get_models():
        table = model._meta.db_table
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DecimalField):
                continue
            limit = 10 ** (field.max_digits - field.decimal_places)
            sql = (
                f"SELECT {quote(model._meta.pk.column)}, CAST({quote(field.column)} AS TEXT)"
                f" FROM {quote(table)} WHERE ABS({quote(field.column)}) >= %s"
            )
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql, [limit])
                found += [f"{table} id={pk} {field.column}={value}" for pk, value in cursor]
    return found


def refuse_out_of_bounds(app_label: str) -> migrations.RunPython:
    def check(apps, schema_editor) -> None:
        rows = out_of_bounds(apps, schema_editor, app_label)
        if rows:
            raise RuntimeError(
                f"已存数据超出数值范围，未加数据库约束，请先更正以下 {len(rows)} 行后重新迁移："
                + "；".join(rows[:50])
            )

    return migrations.RunPython(check, migrations.RunPython.noop)
