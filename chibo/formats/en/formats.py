# The cell's records use dd/mm/yyyy in either language.
DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","

# A day with its weekday in full (chibo.lib.dates.day_in_full), and the date of a
# document's place-and-date line (dated_line): str.format patterns over
# weekday, date (dd/mm/yyyy), day, month, year, day_number, month_name.
DAY_IN_FULL_FORMAT = "{weekday}, {day_number} {month_name} {year}"
DATED_LINE_FORMAT = "{day_number} {month_name} {year}"
