"""`IN` over an integer column (a key included), leaving out numbers no column of its type
can hold.

Django's exact and range lookups on integer columns already treat such a number as
matching nothing; its `IN` does not, and SQLite cannot bind an integer beyond 64 bits:
a forged value in a multiple choice (a unit, a helper, a checked row), which Django's
form checks with `pk__in`, raised OverflowError, a server error. PostgreSQL compared it
as a numeric and matched nothing; now every database answers alike, before the query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _WithinColumn:
    """Mixed into Django's two `IN` lookups (plain and over a key) before them."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            field = self.lhs.output_field
            kind = getattr(field, "target_field", field).get_internal_type()
            if kind in connection.ops.integer_field_ranges:
                low, high = connection.ops.integer_field_range(kind)
                self.rhs = [value for value in self.rhs if _within(value, low, high)]
        return super().process_rhs(compiler, connection)


class IntegerIn(_WithinColumn, In):
    pass


class RelatedIntegerIn(_WithinColumn, RelatedIn):
    pass


def _within(value: Any, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return True
    return (low is None or value >= low) and (high is None or value <= high)


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignObject.register_lookup(RelatedIntegerIn)
