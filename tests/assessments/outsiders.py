"""URL keyword arguments of the `assessments` views: see tests/cells/outsiders.py."""

OUTSIDER_KWARGS = {
    "year": (lambda tree: 2018, False),
}
