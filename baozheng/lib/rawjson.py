"""JSON text encoded once and placed into larger documents as it is.

The county map sends each unit's outline (a few thousand coordinates) to the browser on
every view of the headline and the meeting-room screen. Decoding the stored geometry
and encoding it again was a third of the headline's server time although the outlines
change once in years: `Encoded` holds a value's JSON text and `dumps` writes it where
the value would have been, the same bytes as `json.dumps` of the decoded value.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


class Encoded:
    """A value's JSON text as `json.dumps` (default separators, ASCII) writes it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class _Splicing(DjangoJSONEncoder):
    """Writes a placeholder string for each `Encoded`, remembered in order."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker
        self.texts: list[str] = []

    def default(self, o: Any) -> Any:
        if isinstance(o, Encoded):
            self.texts.append(o.text)
            return f"{self.marker}{len(self.texts) - 1}"
        return super().default(o)


def dumps(value: Any) -> str:
    """`json.dumps(value, cls=DjangoJSONEncoder)` with every `Encoded` written as its
    text. The placeholders begin with a NUL and a random marker, which no string of the
    data begins with."""
    marker = "\0" + secrets.token_hex(8) + ":"
    encoder = _Splicing(marker)
    text = encoder.encode(value)
    if not encoder.texts:
        return text
    quoted = re.escape(json.dumps(marker)[:-1]) + r'(\d+)"'
    return re.sub(quoted, lambda found: encoder.texts[int(found[1])], text)
