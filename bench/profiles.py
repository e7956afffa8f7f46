"""The three data set profiles of DOMAIN.md's scale table, and the shape of their tree."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    # Upper committees under the root, level by level: national = 63 provinces × 11 districts.
    uppers: tuple[int, ...]
    grassroots_per_upper: int
    cells_per_grassroots: float
    # The district user's scope: the first lowest upper committee (the root for a district).
    years: tuple[int, ...] = tuple(range(2016, 2026))
    meeting_year: int = 2025
    admission_years: tuple[int, ...] = (2023, 2024, 2025)


PROFILES = {
    # 1 upper committee, 53 grassroots organizations, ~600 cells.
    "district": Profile("district", uppers=(), grassroots_per_upper=53, cells_per_grassroots=11.0),
    # ~65 upper committees, ~1,000 grassroots organizations, ~8,000 cells.
    "province": Profile("province", uppers=(64,), grassroots_per_upper=16, cells_per_grassroots=8.0),
    # 63 provinces and 693 districts (~760 upper committees), ~55,000 grassroots, ~280,000 cells.
    "national": Profile("national", uppers=(63, 11), grassroots_per_upper=79, cells_per_grassroots=5.1),
}

NATIONAL_USER = "bench_national"
DISTRICT_USER = "bench_district"
