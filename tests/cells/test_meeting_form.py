"""Recording and correcting a meeting: errors block, warnings ask, the scan is checked by its content."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cells.models import Meeting
from tests.cells.factories import make_meeting

D = datetime.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
CREATE = reverse("cells:meeting_create")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def form_data(cell, **changes):
    data = {
        "organization": cell.pk,
        "date": "2018-03-05",
        "kind": "regular",
        "duration_minutes": "95",
        "members_total": "20",
        "members_present": "19",
        "guest": "Nông Văn Tú, Đảng ủy viên xã",
        "chair": "Hoàng Văn Ngọc",
        "minutes_secretary": "Lý Thị Hạnh",
        "topic": "",
        "content": "Đánh giá kết quả tháng 2.",
        "resolution": "Thống nhất nhiệm vụ tháng 3.",
        "absentees-TOTAL_FORMS": "1",
        "absentees-INITIAL_FORMS": "0",
        "absentees-MIN_NUM_FORMS": "0",
        "absentees-MAX_NUM_FORMS": "1000",
        "absentees-0-name": "Vi Văn Hùng",
        "absentees-0-reason": "Đi làm ăn xa",
    }
    data.update(changes)
    return data


def test_a_secretary_records_a_meeting_with_an_absentee_and_a_scan(client, tree, bob, media):
    client.force_login(bob)
    data = form_data(tree.a1, minutes_scan=SimpleUploadedFile("bien-ban.png", PNG, content_type="image/png"))
    response = client.post(CREATE, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("cells:meeting_detail", args=[meeting.pk])
    assert (meeting.organization, meeting.date, meeting.members_present) == (tree.a1, D(2018, 3, 5), 19)
    assert meeting.created_by == bob
    assert [(a.name, a.reason) for a in meeting.absentees.all()] == [("Vi Văn Hùng", "Đi làm ăn xa")]
    # Stored under MEDIA_ROOT with a name of our making and the extension of its content.
    assert meeting.minutes_scan.name.startswith("minutes/2018/") and meeting.minutes_scan.name.endswith(".png")
    assert (media / meeting.minutes_scan.name).read_bytes() == PNG


def test_the_form_offers_only_cells_in_scope(client, tree, bob):
    client.force_login(bob)
    choices = client.get(CREATE).context["form"].fields["organization"].queryset
    assert set(choices) == {tree.a1, tree.a2}


def test_a_cell_of_another_commune_is_refused(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.b1))
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_a_second_regular_meeting_in_a_month_warns_and_saves_once_confirmed(client, tree, bob):
    make_meeting(tree.a1, date=D(2018, 3, 1))
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, date="2018-03-28"))
    assert response.status_code == 200
    assert any("01/03/2018" in warning for warning in response.context["warnings"])
    assert Meeting.objects.count() == 1

    response = client.post(CREATE, form_data(tree.a1, date="2018-03-28", confirm_warnings="1"))
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_a_themed_meeting_in_the_same_month_is_no_warning(client, tree, bob):
    make_meeting(tree.a1, date=D(2018, 3, 1))
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, date="2018-03-20", kind="themed"))
    assert response.status_code == 302


def test_a_short_meeting_from_2025_warns(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, date="2025-03-05", duration_minutes="60"))
    assert response.status_code == 200 and "90" in " ".join(response.context["warnings"])
    response = client.post(CREATE, form_data(tree.a1, date="2018-03-05", duration_minutes="60"))
    assert response.status_code == 302  # no such rule before 2025


def test_absentees_not_matching_the_count_warn(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, members_present="17"))
    assert response.status_code == 200 and response.context["warnings"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"members_present": "21"}, "members_present"),
        ({"date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, "date"),
        ({"members_total": "0", "members_present": "0"}, "members_total"),
    ],
)
def test_impossible_data_is_an_error_even_when_confirmed(client, tree, bob, changes, field):
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, confirm_warnings="1", **changes))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_the_same_meeting_twice_is_an_error(client, tree, bob):
    make_meeting(tree.a1, date=D(2018, 3, 5))
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, confirm_warnings="1"))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Meeting.objects.count() == 1


def test_a_file_whose_content_is_not_what_its_name_claims_is_rejected(client, tree, bob, media):
    client.force_login(bob)
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(CREATE, form_data(tree.a1, minutes_scan=fake))
    errors = response.context["form"].errors["minutes_scan"]
    expected = gettext(
        "The content of “%(name)s” is not a PDF, JPEG or PNG file. "
        "Scan or photograph the minutes and save them as PDF, JPEG or PNG."
    ) % {"name": "bien-ban.pdf"}
    assert errors == [expected]
    assert not Meeting.objects.exists() and not media.exists()


def test_a_png_named_pdf_is_rejected(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, minutes_scan=SimpleUploadedFile("scan.pdf", PNG)))
    assert "PNG" in response.context["form"].errors["minutes_scan"][0]
    assert not Meeting.objects.exists()


def test_a_scan_over_the_limit_is_rejected(client, tree, bob, settings):
    settings.VANLANG_MINUTES_MAX_BYTES = 50
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, minutes_scan=SimpleUploadedFile("scan.pdf", PDF)))
    assert response.context["form"].errors["minutes_scan"]
    assert not Meeting.objects.exists()


def test_a_pdf_is_accepted(client, tree, bob):
    client.force_login(bob)
    client.post(CREATE, form_data(tree.a1, minutes_scan=SimpleUploadedFile("Biên bản.PDF", PDF)))
    assert Meeting.objects.get().minutes_scan.name.endswith(".pdf")


def test_a_secretary_corrects_a_record_of_the_own_cells(client, tree, bob):
    meeting = make_meeting(tree.a1, date=D(2018, 3, 5), total=20, present=15)
    absent = meeting.absentees.create(name="Vi Văn Hùng", reason="Ốm")
    client.force_login(bob)
    data = form_data(
        tree.a1,
        members_present="19",
        **{
            "absentees-INITIAL_FORMS": "1",
            "absentees-0-id": str(absent.pk),
            "absentees-0-meeting": str(meeting.pk),
        },
    )
    response = client.post(reverse("cells:meeting_update", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.members_present == 19
    assert [a.name for a in meeting.absentees.all()] == ["Vi Văn Hùng"]


def test_a_secretary_cannot_reach_another_communes_record(client, tree, bob):
    other = make_meeting(tree.b1)
    client.force_login(bob)
    assert client.get(reverse("cells:meeting_update", args=[other.pk])).status_code == 404
    assert client.post(reverse("cells:meeting_update", args=[other.pk]), form_data(tree.b1)).status_code == 404


def test_standing_members_and_auditors_do_not_enter_meetings(client, tree, standing, auditor):
    for user in (standing, auditor):
        client.force_login(user)
        assert client.get(CREATE).status_code == 403
