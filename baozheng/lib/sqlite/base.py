"""Django's SQLite backend, except that reading a decimal that does not fit its column
returns the number instead of raising, and bulk inserts fill the statement up to the
library's own limit of parameters.

Django quantizes every decimal it reads from SQLite within the column's digits, so one
stored amount with too many digits (written before the CHECK constraints, or by hand)
raised `decimal.InvalidOperation` in every query that touched the row: the projects
pages and the home page failed for the whole city. The value is now returned as stored
and logged once per column; the formatters (lib/numbers.py) show it as 数值异常.
"""

from __future__ import annotations

import decimal
import logging
import sqlite3

from django.db.backends.sqlite3 import base, features, operations
from django.utils.functional import cached_property

log = logging.getLogger("baozheng.numbers")
_reported: set[str] = set()


class DatabaseOperations(operations.DatabaseOperations):
    def get_decimalfield_converter(self, expression):
        strict = super().get_decimalfield_converter(expression)
        loose = decimal.Context(prec=15).create_decimal_from_float

        def converter(value, expression, connection):
            try:
                return strict(value, expression, connection)
            except decimal.InvalidOperation:
                where = str(getattr(expression, "target", expression))
                if where not in _reported:
                    _reported.add(where)
                    log.warning("数据库中的数值超出字段范围：%s = %r", where, value)
                return loose(value) if isinstance(value, float) else decimal.Decimal(value)

        return converter


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int:
        """Django assumes SQLite's old compile-time default of 999 parameters per statement,
        so a bulk insert of a 20-column row went in 49 rows at a time; the SQLite every
        supported Python ships (3.32 and later) allows 32,766 or more, read here from the
        connection itself."""
        self.connection.ensure_connection()
        limit = self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(999, limit)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    features_class = DatabaseFeatures
