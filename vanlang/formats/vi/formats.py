"""Vietnamese dates as offices write them: 05/01/2024, and 14:30 05/01/2024 read as local time.

Only the display formats: Django's own Vietnamese module keeps everything else (input formats too).
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
