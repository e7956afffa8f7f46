"""How a person is named: see cells.people (plans reads it from there)."""

from cells.people import person_name

__all__ = ["person_name"]
