"""Our SQLite engine's bulk inserts use the library's own limit of parameters."""

import pytest
from django.db import connection

from baozheng.stats.models import Observation

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite engine only")


@pytest.mark.django_db
def test_a_bulk_insert_of_wide_rows_goes_in_batches_of_hundreds_not_dozens():
    fields = [f for f in Observation._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * 10_000)
    assert len(fields) > 10
    assert batch >= 32_766 // len(fields) > 999 // len(fields)
