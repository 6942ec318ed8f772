"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """A refused request (403: PermissionDenied) is logged as one line, without the traceback.

    Refusals are expected, frequent and fully described by "Forbidden (…): /path"; the
    stack trace made every scope check look like a crash in the server log and hid real
    errors. Server errors (5xx) keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
