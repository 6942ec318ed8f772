"""A cursor for the few statements run hundreds of times a second (judges' sheets).

Django binds parameters on the client and keeps prepared statements off by default (for
connection poolers): PostgreSQL parses and plans every statement anew. Planning the
seven-table join that reads a scoring link cost 0.76 ms of database CPU per sheet, about
fifteen times what running it costs. This cursor binds on the server and prepares each
statement on first use; the scoring threads keep their connections, so the prepared
statements live as long as the worker. (A pooler in transaction mode would have to keep
prepared statements; the product connects directly.)
"""

from __future__ import annotations

from functools import cache

from django.db import connection


@cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

        def _send_query_prepared(self, name, pgq, *, binary=None):
            self._query = pgq  # as an unprepared run records it: Django's query log reads it
            return super()._send_query_prepared(name, pgq, binary=binary)

    return PreparedCursor


def hot_cursor():
    """A Django cursor (query logging and error translation as usual) whose statements
    PostgreSQL prepares once per connection; elsewhere the ordinary cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if (
        connection.connection.prepare_threshold is None
    ):  # Django's default: psycopg then never prepares;
        connection.connection.prepare_threshold = (
            5  # only server-binding cursors (this one) prepare at all
        )
    with connection.wrap_database_errors:
        raw = _prepared_cursor_class()(connection.connection)
    connection.validate_thread_sharing()
    return (
        connection.make_debug_cursor(raw)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
