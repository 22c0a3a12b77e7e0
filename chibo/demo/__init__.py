"""Data made up for trying and measuring Chibo, apart from the code that serves pages.

``cell``: the demo cell (``manage.py load_demo``); ``bulk``: years of data at
scale for the benchmark (``manage.py load_bulk``); ``pictures``: the drawings
the demo uses as photos.
"""
