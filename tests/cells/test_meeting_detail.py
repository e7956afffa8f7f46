"""A meeting record and the scan of its minutes: names only for secretaries and staff, scoped download."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.cells.factories import make_meeting

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32


@pytest.fixture
def meeting(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = make_meeting(tree.a1, date=datetime.date(2018, 3, 5), total=20, present=19, guest="Nông Văn Tú")
    meeting.absentees.create(name="Vi Văn Hùng", reason="Đi làm ăn xa")
    meeting._scan_extension = "png"
    meeting.minutes_scan.save("ignored.png", ContentFile(PNG))
    return meeting


def test_secretary_and_staff_see_absentee_names(client, meeting, bob, alice):
    for user in (bob, alice):
        client.force_login(user)
        response = client.get(reverse("cells:meeting_detail", args=[meeting.pk]))
        assert "Vi Văn Hùng" in response.content.decode()
        assert reverse("cells:meeting_scan", args=[meeting.pk]) in response.content.decode()


def test_standing_members_and_auditors_see_the_count_not_the_names(client, meeting, standing, auditor):
    for user in (standing, auditor):
        client.force_login(user)
        response = client.get(reverse("cells:meeting_detail", args=[meeting.pk]))
        body = response.content.decode()
        assert response.status_code == 200 and "Vi Văn Hùng" not in body
        assert reverse("cells:meeting_scan", args=[meeting.pk]) not in body
        assert client.get(reverse("cells:meeting_scan", args=[meeting.pk])).status_code == 403


def test_the_scan_is_served_through_the_scoped_view(client, meeting, bob):
    client.force_login(bob)
    response = client.get(reverse("cells:meeting_scan", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_the_scan_has_no_public_address(client, meeting, bob):
    client.force_login(bob)
    assert client.get("/media/" + meeting.minutes_scan.name).status_code == 404


def test_a_secretary_of_another_commune_gets_404(client, tree, meeting):
    from tests.conftest import make_user

    other = make_user("thu", "secretary", tree.b)
    client.force_login(other)
    assert client.get(reverse("cells:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("cells:meeting_scan", args=[meeting.pk])).status_code == 404


def test_the_correction_form_links_the_stored_scan_through_the_scoped_view(client, meeting, bob):
    client.force_login(bob)
    body = client.get(reverse("cells:meeting_update", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("cells:meeting_scan", args=[meeting.pk])}"' in body
    assert "/media/" not in body
