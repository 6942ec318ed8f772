"""Encoded JSON text placed into a document is the same bytes as the decoded value
encoded with it (the county map's outlines, `baozheng.lib.rawjson`)."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import given
from hypothesis import strategies as st

from baozheng.lib.rawjson import Encoded, dumps

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.lists(st.tuples(values, st.booleans()), max_size=5), st.text())
def test_encoded_parts_read_as_their_values(parts, label):
    """Any mix of encoded and plain parts, beside any string (a NUL one included)."""
    document = {
        "label": label,
        "nul": "\0" + label,
        "parts": [Encoded(json.dumps(v)) if encoded else v for v, encoded in parts],
        "amount": Decimal("1.50"),
    }
    plain = {**document, "parts": [v for v, _ in parts]}
    assert dumps(document) == json.dumps(plain, cls=DjangoJSONEncoder)
