"""Chibo's lower layer: what every app may import.

Role and permission names, date bounds, a query scoped to a cell, form
widgets, upload checks, URL converters, text helpers. Nothing here imports an
app (``members``, ``sessions``) or the project's top (settings, urls, views):
``tests/test_layout.py`` fails if it does.
"""
