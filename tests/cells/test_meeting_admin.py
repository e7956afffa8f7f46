"""Auditors read meetings, absentees and admissions in the admin (inspecting them is their work); the names
stay out of the change log's stored text."""

import datetime

from auditlog.models import LogEntry
from django.contrib import admin

from cells.models import Admission, Meeting
from tests.cells.factories import make_admission, make_meeting


def test_auditors_read_meetings_in_the_admin(client, tree, auditor):
    make_meeting(tree.a1)
    client.force_login(auditor)
    response = client.get("/quan-tri/cells/meeting/")
    assert response.status_code == 200 and "Chi bộ Nặm Bao" in response.content.decode()


def test_auditors_read_admissions_and_absentees_with_their_names(client, tree, auditor):
    admission = make_admission(tree.a1, name="Lương Thị Hoa", birth_date=datetime.date(1996, 8, 14))
    meeting = make_meeting(tree.a1)
    meeting.absentees.create(name="Vi Văn Hùng", reason="Ốm")
    assert Admission in admin.site._registry and Meeting in admin.site._registry
    client.force_login(auditor)
    assert "Lương Thị Hoa" in client.get("/quan-tri/cells/admission/").content.decode()
    assert "Lương Thị Hoa" in client.get(f"/quan-tri/cells/admission/{admission.pk}/change/").content.decode()
    assert "Vi Văn Hùng" in client.get(f"/quan-tri/cells/meeting/{meeting.pk}/change/").content.decode()
    assert client.get(f"/quan-tri/cells/absentee/{meeting.absentees.get().pk}/auditlog/").status_code == 200


def test_the_audit_log_masks_names(tree):
    admission = make_admission(tree.a1, name="Lương Thị Hoa", birth_date=datetime.date(1996, 8, 14))
    absent = make_meeting(tree.a1).absentees.create(name="Vi Văn Hùng", reason="Ốm")
    for obj in (admission, absent):
        entry = LogEntry.objects.get_for_object(obj).get()
        assert "Lương Thị Hoa" not in str(entry.changes) and "Vi Văn Hùng" not in str(entry.changes)
        assert "1996-08-14" not in str(entry.changes)
        assert "Lương Thị Hoa" not in entry.object_repr and "Vi Văn Hùng" not in entry.object_repr
