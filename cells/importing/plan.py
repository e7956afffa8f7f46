"""What the organization import keeps between its passes, and the file's vocabulary."""

import datetime
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from cells.models import Organization
from cells.tabular import RowError
from cells.text import fold

Kind = Organization.Kind
Sector = Organization.Sector

REQUIRED_COLUMNS = ("code", "name", "kind", "parent_code")
OPTIONAL_COLUMNS = ("sector", "active_from", "active_to", "successor_code")
LIFE_SPAN_COLUMNS = ("active_from", "active_to", "successor_code")

# The names the file format accepts, as DOMAIN.md lists them. They are vocabulary of the file,
# not of the user interface, so they are matched here rather than through the catalog.
KIND_NAMES = {
    "Đảng bộ cấp trên cơ sở": Kind.UPPER_COMMITTEE,
    "Đảng bộ cơ sở": Kind.GRASSROOTS_COMMITTEE,
    "Chi bộ cơ sở": Kind.GRASSROOTS_CELL,
    "Đảng bộ bộ phận": Kind.SECTION_COMMITTEE,
    "Chi bộ trực thuộc": Kind.CELL,
}
SECTOR_NAMES = {
    "xã": Sector.COMMUNE,
    "thị trấn": Sector.TOWN,
    "phường": Sector.TOWN,
    "cơ quan": Sector.AGENCY,
    "doanh nghiệp": Sector.ENTERPRISE,
    "đơn vị sự nghiệp": Sector.PUBLIC_SERVICE,
    "quân sự": Sector.MILITARY,
    "công an": Sector.POLICE,
    "khác": Sector.OTHER,
}

CODE_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
CODE_MAX = Organization._meta.get_field("code").max_length
NAME_MAX = Organization._meta.get_field("name").max_length
# A path holds one primary key per level within 512 characters; real trees have about six levels.
MAX_LEVELS = 30
BATCH_SIZE = 1000
PREVIEW_LIMIT = 500

ROOT = -1  # parent reference of a top-level organization; >= 0 is a row index, <= -2 an outside parent


def _vocabulary(names: dict) -> dict[str, str]:
    """Folded spellings → code: each Vietnamese name, each code, and the code with spaces."""
    table = {fold(name): code for name, code in names.items()}
    for code in set(names.values()):
        table[fold(code)] = code
        table[fold(code.replace("_", " "))] = code
    return table


KIND_VOCABULARY = _vocabulary(KIND_NAMES)
SECTOR_VOCABULARY = _vocabulary(SECTOR_NAMES)


# A national file repeats a handful of spellings hundreds of thousands of times: fold each once.
@lru_cache(maxsize=1024)
def kind_code(value: str) -> str | None:
    """The kind written as a Vietnamese name or a code, in any case and spacing; None if unknown."""
    return KIND_VOCABULARY.get(fold(value))


@lru_cache(maxsize=1024)
def sector_code(value: str) -> str | None:
    return SECTOR_VOCABULARY.get(fold(value))


@dataclass
class PlannedChange:
    """One line of the preview: what the import does to an organization."""

    row: int
    code: str
    name: str
    created: bool
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)  # the first PREVIEW_LIMIT

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Outside:
    """A parent named by the file that is in the database but not in the file."""

    pk: int
    code: str
    path: str
    in_scope: bool
    dissolved: int = 0  # its end as a day ordinal, when its units end with it (a grassroots unit)
    anchor: int = ROOT  # nearest ancestor that the file re-imports (row index), or ROOT
    anchor_path: str = ""  # that ancestor's path before the import


@dataclass
class Plan:
    """The compact per-row data kept between the passes, indexed by row order in the file."""

    has_sector: bool = False
    life_columns: frozenset = frozenset()  # which of active_from / active_to / successor_code the file has
    index: dict = field(default_factory=dict)  # code → row index
    rows: array = field(default_factory=lambda: array("I"))  # row index → row number
    parents: array = field(default_factory=lambda: array("q"))  # row index → parent reference
    pks: array = field(default_factory=lambda: array("q"))  # row index → pk (0: to be created)
    outside: list = field(default_factory=list)  # Outside, referenced as -2 - position
    paths: dict = field(default_factory=dict)  # row index → final path, for rows with children
    codes: list = field(default_factory=list)  # row index → code (the index's own strings)
    parent_codes: list = field(default_factory=list)  # pass 1 only: row index → parent code or None
    new: bytearray = field(default_factory=bytearray)  # row index → 1 when the import creates it
    has_children: bytearray = field(default_factory=bytearray)  # row index → 1 when rows hang below it
    # Life spans as day ordinals (0: open), and successors only for the rows that name one.
    founded: array = field(default_factory=lambda: array("i"))
    dissolved: array = field(default_factory=lambda: array("i"))
    ends_subtree: bytearray = field(default_factory=bytearray)  # row index → 1: its cells end with it
    successor_codes: dict = field(default_factory=dict)  # row index → successor code (pass 1)
    successors: dict = field(default_factory=dict)  # row index → ("row", index) or ("db", pk)

    def founded_on(self, i: int) -> datetime.date | None:
        return datetime.date.fromordinal(self.founded[i]) if self.founded[i] else None

    def dissolved_on(self, i: int) -> datetime.date | None:
        return datetime.date.fromordinal(self.dissolved[i]) if self.dissolved[i] else None


def chunks(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
