"""Meetings and admissions for tests, made inside district D unless told otherwise."""

import datetime

from cells.models import Admission, Meeting


def make_meeting(cell, date=datetime.date(2018, 3, 5), kind=Meeting.Kind.REGULAR, total=20, present=18, **extra):
    return Meeting.objects.create(
        organization=cell, date=date, kind=kind, members_total=total, members_present=present, **extra
    )


def make_admission(cell, name="Lương Thị Hoa", decision=datetime.date(2018, 8, 20), **extra):
    return Admission.objects.create(organization=cell, full_name=name, decision_date=decision, **extra)
