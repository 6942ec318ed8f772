"""Two people saving the same key at once: the database decides, the later one is told.

A form checks "is this key free?" when it validates and writes a moment later; another
request (a colleague, an API call, an import) can commit the same key in between. The
write then meets the unique constraint. `saved` runs the write in a savepoint so that the
surrounding transaction (`@once`, the request's) stays usable, judges the form again
against what is stored now, and hands the form back with the error the later person would
have seen a second later ("…已存在"), or a general one when no field names the conflict;
never a server error, never a second row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.db import IntegrityError, transaction

TAKEN_MESSAGE = "相同的记录刚刚已由他人保存，本次未保存，请刷新页面后重试"

T = TypeVar("T")


def saved(form: forms.BaseForm, write: Callable[[], T] | None = None) -> T | None:
    """`write()` (default: `form.save()`) in a savepoint; None, with the form carrying
    the reason, when a unique key was taken meanwhile."""
    try:
        with transaction.atomic():
            return write() if write is not None else _save(form)
    except IntegrityError:
        form.full_clean()  # the form's own checks, now against the row committed meanwhile
        if not form.errors:
            form.add_error(None, TAKEN_MESSAGE)
        return None


def _save(form: Any) -> Any:
    return form.save()
