"""Idempotency keys for create forms: one POST of a rendered form creates at most once.

Every page gets a fresh `form_key` (the context processor below); a create form carries it
in a hidden field. The view runs its create inside `submitted_once`, which claims the key
in the same transaction: a second POST with the same key (a double click, a retry after a
timeout, even a concurrent one, which waits for the first to commit) is told where the
first one went and creates nothing. Judges' score sheets have had this from the start.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest

KEY = re.compile(r"[0-9a-f]{32}")
DUPLICATE_MESSAGE = "该表单已经提交过，未重复创建"


def form_key(request: HttpRequest) -> dict:
    """Context processor: a new key for the forms of the page being rendered."""
    return {"form_key": uuid.uuid4().hex}


@dataclass
class Submission:
    duplicate: bool = False
    earlier_url: str = ""  # where the first submission went (for a duplicate)
    result_url: str = ""  # set by the view once it has created something


@contextmanager
def submitted_once(request: HttpRequest) -> Iterator[Submission]:
    """Claim the posted form key for this create; see the module docstring.

    A POST without a valid key (an old page, a script) is served as before, unprotected.
    When the view sets no `result_url` (it created nothing), the key is released so that
    the corrected form can be posted again.
    """
    from baozheng.org.models import FormSubmission

    key = request.POST.get("form_key", "")
    if not KEY.fullmatch(key):
        yield Submission()
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = FormSubmission.objects.create(key=key, user=request.user)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(key=key, user=request.user).first()
            yield Submission(duplicate=True, earlier_url=earlier.result_url if earlier else "")
            return
        submission = Submission()
        yield submission
        if submission.result_url:
            row.result_url = submission.result_url[:200]
            row.save(update_fields=["result_url"])
        else:
            row.delete()
