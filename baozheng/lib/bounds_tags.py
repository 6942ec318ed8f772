"""`{% load bounds %}{% max_length "stats.Observation.note" %}`: an input's maxlength read
from the model field, so a template never carries a second copy of a column's limit."""

from __future__ import annotations

from django import template
from django.apps import apps

from baozheng.lib.bounds import text_limit

register = template.Library()


@register.simple_tag
def max_length(path: str) -> int:
    """The max_length of "app.Model.field"; an unknown name fails loudly while rendering."""
    model, name = path.rsplit(".", 1)
    return text_limit(apps.get_model(model), name)
