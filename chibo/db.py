"""Telling Django the real limit on query parameters of the SQLite it talks to.

Django 5.2 assumes SQLite's old default of 999 host parameters per query and
cuts every bulk insert or update into batches of 999 ÷ (columns) rows, so
saving a 300-member attendance sheet would take several INSERTs where one
does. SQLite has allowed 32,766 since 3.32 (Debian builds it with 250,000);
Django 6.0 asks the connection (ticket #36143). This does the same on 5.2:
drop it when Chibo moves to Django 6.
"""

import sqlite3


def use_sqlite_parameter_limit(sender, connection, **kwargs):
    """``connection_created`` receiver: read SQLITE_LIMIT_VARIABLE_NUMBER."""
    if connection.vendor != "sqlite":
        return
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    connection.features.max_query_params = limit
