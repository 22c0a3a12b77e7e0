# Dates as Vietnamese offices write them: dd/mm/yyyy, 24-hour clock.
DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i d/m/Y"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."

# A day with its weekday in full (chibo.lib.dates.day_in_full), and the date of a
# document's place-and-date line (dated_line): str.format patterns over
# weekday, date (dd/mm/yyyy), day, month, year, day_number, month_name.
DAY_IN_FULL_FORMAT = "{weekday}, {date}"
DATED_LINE_FORMAT = "ngày {day} tháng {month} năm {year}"
