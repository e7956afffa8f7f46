"""URL keyword arguments of the `plans` views: see tests/cells/outsiders.py."""

OUTSIDER_KWARGS = {}
