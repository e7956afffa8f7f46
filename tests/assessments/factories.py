"""Results for tests, written directly (no signal, no job): `classify(org, 2018, "good")`."""

from assessments.models import Classification
from assessments.rules import rule_set_for


def classify(organization, year, level, *, state=Classification.State.FINAL, score=None, deciding_body=None):
    rule_set = rule_set_for(year)
    return Classification.objects.create(
        organization=organization,
        year=year,
        level=level,
        label=rule_set.label(level),
        rule_set=rule_set.code,
        score=score,
        state=state,
        deciding_body=deciding_body or organization.parent,
    )
