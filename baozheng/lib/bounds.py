"""The bounds every number and text must respect before it reaches the database.

SQLite stores whatever it is given and PostgreSQL refuses what does not fit its column, so
a value that a form or an import accepts without checking these bounds either poisons a
SQLite database (a 15-digit amount in a 14-digit column that no page can read back) or
becomes a 500 on PostgreSQL. Forms, imports and query parameters check against the same
numbers here, read from the model fields themselves, so the three always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.db import models

INT_MAX = 2_147_483_647  # IntegerField on SQLite and PostgreSQL alike
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: "²".isdigit() is true but int("²") fails


def parse_int(text: str, low: int, high: int) -> int:
    """An integer written with ASCII digits within [low, high]; ValueError in Chinese."""
    text = text.strip()
    if _DIGITS.fullmatch(text) and low <= int(text) <= high:
        return int(text)
    raise ValueError(f"“{text[:40]}”应为 {low} 至 {high} 之间的整数")


# The years a person enters for a project's plan, a target or the work calendar.
ENTERED_YEARS = (2000, 2100)


def parse_year(text: str) -> int:
    """A year as entered ("2023") within ENTERED_YEARS; ValueError otherwise."""
    return parse_int(text, *ENTERED_YEARS)


def id_param(text: str | None) -> int | None:
    """A primary key from a query or form parameter, or None when it cannot be one: a raw
    parameter in a `pk=` lookup makes the database layer raise on "x" (a server error)."""
    try:
        return parse_int(text or "", 1, INT_MAX)
    except ValueError:
        return None


def ids_param(texts: Iterable[str]) -> list[int]:
    """The primary keys among a list parameter's values (checked boxes); the others are
    dropped, so a forged value matches nothing instead of breaking the lookup."""
    return [pk for pk in map(id_param, texts) if pk is not None]


def decimal_limit(field: models.DecimalField) -> Decimal:
    """The smallest number that no longer fits the column (10 ** whole digits)."""
    return Decimal(10) ** (field.max_digits - field.decimal_places)


def decimal_bounds(
    max_digits: int, decimal_places: int, *names: str
) -> list[models.CheckConstraint]:
    """The database's CHECK of each named decimal column: |value| < 10 ** whole digits.

    Declared in each model's Meta.constraints with the column's own digits (an architecture
    test holds every DecimalField to it), so that SQLite, which would store any number,
    refuses exactly what `check_decimal` refuses in forms and imports, and PostgreSQL says
    so by name instead of `numeric field overflow`.
    """
    limit = 10 ** (max_digits - decimal_places)
    return [
        models.CheckConstraint(
            condition=models.Q((f"{name}__gt", -limit), (f"{name}__lt", limit)),
            name=f"%(app_label)s_%(class)s_{name}_bounds",
            violation_error_message=f"数值超出范围：绝对值须小于 {limit:,}",
        )
        for name in names
    ]


def check_decimal(value: Decimal, field: models.DecimalField) -> Decimal:
    """The value rounded half-up to the column's places, or ValueError naming the bound."""
    limit = decimal_limit(field)
    if not value.is_finite() or abs(value) >= limit:
        largest = limit - Decimal(1).scaleb(-field.decimal_places)
        raise ValueError(f"数值超出范围：绝对值最大为 {largest:,}")
    return value.quantize(Decimal(1).scaleb(-field.decimal_places), rounding="ROUND_HALF_UP")


def text_limit(model: type[models.Model], name: str) -> int:
    """The column's max_length: the one number a service, its form and its template read."""
    return model._meta.get_field(name).max_length


def overlong(text: str, model: type[models.Model], name: str, label: str) -> str:
    """The Chinese refusal when `text` does not fit `model.name`, "" when it does.

    A person's text is refused, never cut to the column: what was typed is kept whole or
    the action stores nothing, and the message says which field and by how much.
    """
    limit = text_limit(model, name)
    return too_long(label, limit, len(text)) if len(text) > limit else ""


def refuse_overlong(error: type[Exception], model: type[models.Model], **texts) -> None:
    """A service's check before it stores what was typed: `error` with `overlong`'s words
    for the first text (field name=(text, label)) its column cannot keep whole."""
    for name, (text, label) in texts.items():
        if message := overlong(text, model, name, label):
            raise error(message)


def too_long(label: str, limit: int, length: int | str) -> str:
    """The house's words for a text of `length` characters where `limit` fit (`length`
    may be Django's "%(show_value)d", for a form field's message)."""
    return f"{label}{over(limit, length)}，请删减后重新提交"


def over(limit: int, length: int | str) -> str:
    """The same words for an import cell, whose row and column the report names already:
    "超过 40 字（41 字）"."""
    return f"超过 {limit} 字（{length} 字）"


def limited_text(
    model: type[models.Model], name: str, label: str, page_label: str = "", **kwargs
) -> forms.CharField:
    """A form field as long as its column, refusing more in the same words as `overlong`
    (Django's own message names neither the field nor the limit in the house's terms);
    `page_label` is a longer label for the page, `label` the one messages name."""
    limit = text_limit(model, name)
    message = too_long(label, limit, "%(show_value)d")
    return forms.CharField(
        label=page_label or label,
        max_length=limit,
        error_messages={"max_length": message},
        **kwargs,
    )


def length_errors(model: type[models.Model], values: dict[str, object]) -> list[tuple[str, str]]:
    """(field name, Chinese message) for each text value longer than its column allows."""
    errors = []
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # not a model field (a helper key of the importer)
            continue
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            errors.append((name, over(limit, len(value))))
    return errors


def report_overlong(
    report, rows, columns, model: type[models.Model], fields: dict[str, str]
) -> None:
    """Report, as row errors, every import cell longer than the model column it fills.

    `fields` maps an import column key to the model field it is written to; `report` is an
    `ImportReport`, `rows` its `Row`s and `columns` the format's `Column`s (for the labels). Without this, SQLite stores a 100,000-character
    name in a 100-character column and PostgreSQL refuses it with a traceback.
    """
    limits = {key: model._meta.get_field(name).max_length for key, name in fields.items()}
    labels = {c.key: c.headers[1] for c in columns}
    for row in rows:
        for key, limit in limits.items():
            text = row.get(key)
            if limit and len(text) > limit:
                report.error(row.number, labels[key], over(limit, len(text)))
