"""Every decimal column carries the CHECK that lib/bounds.py builds from its own digits,
so the form, the import and the database agree on each number's range (F2)."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from baozheng.lib.bounds import decimal_bounds


def test_every_decimal_column_has_its_bounds_constraint():
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("baozheng."):
            continue
        declared = {c.name: c for c in model._meta.constraints}
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DecimalField):
                continue
            (expected,) = decimal_bounds(field.max_digits, field.decimal_places, field.name)
            name = expected.name % {
                "app_label": model._meta.app_label,
                "class": model.__name__.lower(),
            }
            found = declared.get(name)
            if found is None or found.condition != expected.condition:
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == [], f"decimal columns without decimal_bounds(...) in Meta: {missing}"
