"""CSV files a spreadsheet opens safely: every CSV Chibo writes goes through here.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) as a formula: text typed by a member (a
name, a reason, a group's name) must never become one (CSV injection).

Two things make that hold whatever the spreadsheet's settings:

- every text cell is quoted (``csv.QUOTE_NONNUMERIC``), so a separator
  inside a value does not split it for a spreadsheet that reads the file with
  Chibo's separator;
- each cell is guarded as a spreadsheet would read it with *either* list
  separator: a Vietnamese Excel is often set to ``;`` (the member import
  expects either), and it may split ``x;=1+1;y`` into a cell ``=1+1``. So
  every piece of the text that starts a cell when split on ``,`` or ``;`` (or
  at a line break) gets a leading ``'``, which the spreadsheet shows as text.
"""

import csv
import re

# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = "=+-@\t\r"

# Where a spreadsheet may start a cell inside a value: its very start, after
# either list separator, after a line break; spaces before the formula
# character do not make it text in every spreadsheet.
_CELL_START = re.compile(rf"(^|[,;\n\r\"])( *)(?=[{re.escape(FORMULA_STARTS)}])")


def safe_cell(value):
    """``value`` as a spreadsheet must show it: text, never a formula.

    Numbers and ``None`` are returned as they are; any other value becomes
    text with a ``'`` before every formula character that could start a cell.
    """
    if value is None or isinstance(value, (int, float)):
        return value
    return _CELL_START.sub(r"\1\2'", str(value))


class SafeWriter:
    """``csv.writer`` with every text cell quoted and guarded by ``safe_cell``."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out, **options) -> SafeWriter:
    """The CSV writer every CSV of Chibo uses (see the module's docstring)."""
    return SafeWriter(out, **options)
