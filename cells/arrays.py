"""PostgreSQL arrays written by the driver without a regular expression per character.

Django 5.2 sends a bulk insert on PostgreSQL as `INSERT ... SELECT * FROM UNNEST(%s::type[], ...)`:
one array per column. With client-side binding (Django's default with psycopg 3) each array
is written out as text by psycopg's `ListDumper`, which escapes every `"` and `\\` of every
element with `re.sub` and a replacement template: for the audit entries of an import (JSON full
of quotes) that took longer than the inserts themselves (about 100 µs a row). `ArrayDumper`
escapes the same characters the same way with `bytes.replace`.
"""

from psycopg import adapters
from psycopg.types.array import ListDumper


class _Escape:
    """`ListDumper._re_esc` (`(["\\])`, replaced by a backslash and the character), without `re`."""

    @staticmethod
    def sub(_template: bytes, data: bytes) -> bytes:
        return data.replace(b"\\", b"\\\\").replace(b'"', b'\\"')


class ArrayDumper(ListDumper):
    _re_esc = _Escape()


def register() -> None:
    """For the connections opened after this call (Django copies the global adapters on connect)."""
    adapters.register_dumper(list, ArrayDumper)
