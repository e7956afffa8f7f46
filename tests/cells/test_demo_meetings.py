"""The demo tells the story: Nặm Bao's 6 meetings, 16/16 in 2017, Pò Cại after 4 years; run twice, nothing changes."""

from django.core.management import call_command

from cells.compliance import cell_compliance
from cells.models import Absentee, Admission, AdmissionQuota, Meeting, Organization
from cells.signals import meeting_signals


def counts():
    return [model.objects.count() for model in (Meeting, Absentee, Admission, AdmissionQuota)]


def test_the_story_and_idempotence(db, client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == first

    gia_mien = Organization.objects.get(code="VL-GIAMIEN")
    cells_2016 = {cell.code: cell for cell in cell_compliance(organization=gia_mien, year=2016)}
    assert len(cells_2016) == 16
    assert cells_2016["VL-GIAMIEN-NAMBAO"].regular == 6
    assert sum(1 for cell in cells_2016.values() if cell.low) >= 3
    assert 2 <= sum(1 for cell in cells_2016.values() if cell.regular == 12) <= 4
    cells_2017 = cell_compliance(organization=gia_mien, year=2017)
    assert all(cell.regular == 12 and cell.themed >= 4 for cell in cells_2017)
    assert gia_mien.pk in meeting_signals(year=2016, organization_ids=[gia_mien.pk])
    assert meeting_signals(year=2017, organization_ids=[gia_mien.pk]) == {}

    tan_my = Organization.objects.get(code="VL-TANMY")
    from cells.views.admissions import cell_admission_rows

    rows = {row["code"]: row for row in cell_admission_rows(tan_my, 2018)}
    assert rows["VL-TANMY-POCAI"]["admitted"] == 1 and rows["VL-TANMY-POCAI"]["last_before"].year == 2014
    assert rows["VL-TANMY-NAMO"]["admitted"] == 1 and rows["VL-TANMY-NAMO"]["last_before"].year == 2016
    assert AdmissionQuota.objects.get(organization=tan_my, year=2018).quota == 4
