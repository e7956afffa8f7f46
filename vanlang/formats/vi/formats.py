"""Vietnamese dates as offices write them: 05/01/2024, and 14:30 05/01/2024 read as local time.

Dates read and written as dd/mm/yyyy in both languages: Django's defaults (and the browser's date
pickers) would give 12/31/2019 in English. The forms' own inputs are in cells/forms/fields.py.
"""

from django.conf import settings

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
DATE_INPUT_FORMATS = settings.DATE_INPUT_FORMATS
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
FIRST_DAY_OF_WEEK = 1
