"""Every value taken from a path, a query string or a hand-read form field is parsed here.

One small set of parsers, so that no view calls `int()` on what a user typed. Two traps they
close: `str.isdigit()` is true for "²" and other Unicode digits that `int()` refuses, and
PostgreSQL refuses a text holding a NUL byte with an error, not with an empty result. Digits
are ASCII `[0-9]`, texts hold no control character, and every value has a maximum length.

The path converters (`year`, `id`, `code`) are registered in `cells/urls.py` and used by every
app's urls.py; a value they refuse does not match the pattern, so the answer is a 404.
"""

import re

from django.http import Http404

FIRST_YEAR = 1900
LAST_YEAR = 2999
MAX_ID = 2**63 - 1  # a PostgreSQL bigint
CODE_MAX = 64  # Organization.code
TEXT_MAX = 200  # a search or filter text

DIGITS = re.compile(r"[0-9]{1,18}")
# C0 and C1 control characters, NUL among them, and DEL: never part of a code or a typed text.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_int(text, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole number written with ASCII digits within [minimum, maximum], or None."""
    text = str(text or "").strip()
    if not DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def parse_year(text, *, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> int | None:
    text = str(text or "").strip()
    return parse_int(text, minimum=first, maximum=last) if len(text) == 4 else None


def parse_code(text) -> str | None:
    """An organization code as typed: printable, without control characters, not too long."""
    text = str(text or "").strip()
    if not text or len(text) > CODE_MAX or CONTROL.search(text):
        return None
    return text


def clean_text(text, *, max_length: int = TEXT_MAX) -> str:
    """A free text (a search) with its control characters turned to spaces, cut to `max_length`."""
    return CONTROL.sub(" ", str(text or ""))[:max_length].strip()


def year_param(request, name: str = "nam") -> int | None:
    """The year of a filter; missing or not a year: no filter."""
    return parse_year(request.GET.get(name, ""))


def int_param(request, name: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    return parse_int(request.GET.get(name, ""), minimum=minimum, maximum=maximum)


def text_param(request, name: str, *, max_length: int = TEXT_MAX) -> str:
    return clean_text(request.GET.get(name, ""), max_length=max_length)


def code_param(request, name: str = "to-chuc") -> str | None:
    """An organization code from the query string: None when absent; a code no organization can
    have (a NUL, a control character, too long) answers 404 like an unknown code."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    code = parse_code(raw)
    if code is None:
        raise Http404
    return code


# Path converters (django.urls.register_converter): to_python raising ValueError means "no match".


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = parse_year(value)
        if year is None:
            raise ValueError(value)
        return year

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class IdConverter:
    """A primary key: ASCII digits that fit in a bigint."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class CodeConverter:
    """An organization code: one path segment of printable text, without NUL or control characters."""

    regex = f"[^/\x00-\x1f\x7f-\x9f]{{1,{CODE_MAX}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


def register_converters() -> None:
    from django.urls import converters, register_converter

    for name, converter in (("year", YearConverter), ("id", IdConverter), ("code", CodeConverter)):
        if name not in converters.get_converters():
            register_converter(converter, name)
