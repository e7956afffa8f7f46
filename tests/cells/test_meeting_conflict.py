"""Two secretaries correcting the same meeting record: the later save is refused with the differences."""

import datetime

from django.urls import reverse

from tests.cells.factories import make_meeting
from tests.cells.test_meeting_form import form_data
from tests.conftest import make_user


def test_the_later_of_two_corrections_is_refused_and_shows_what_changed(client, tree, bob):
    meeting = make_meeting(tree.a1, date=datetime.date(2018, 3, 5), total=20, present=15)
    colleague = make_user("cuong", "secretary", tree.a)
    url = reverse("cells:meeting_update", args=[meeting.pk])
    client.force_login(bob)
    opened = client.get(url).context["form"]["version"].value()
    no_absentees = {"absentees-TOTAL_FORMS": "0", "confirm_warnings": "1"}

    other = client.__class__()
    other.force_login(colleague)
    first = other.post(url, form_data(tree.a1, chair="Hoàng Văn Ngọc", version=opened, **no_absentees))
    assert first.status_code == 302

    second = client.post(
        url,
        form_data(tree.a1, chair="Lý Văn Sơn", members_present="18", version=opened, confirm_warnings="1"),
    )

    assert second.status_code == 409
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.members_present, meeting.updated_by.username) == ("Hoàng Văn Ngọc", 19, "cuong")
    changes = {label: (theirs, mine) for label, theirs, mine in second.context["conflict"].changes}
    assert changes["chair"] == ("Hoàng Văn Ngọc", "Lý Văn Sơn")
    assert changes["members present"] == ("19", "18")
    assert changes["absent members"] == ("—", "Vi Văn Hùng (Đi làm ăn xa)")
    body = second.content.decode()
    assert 'id="conflict"' in body and "Hoàng Văn Ngọc" in body
    # The second secretary's input is kept; saving again replaces the other version knowingly.
    form = second.context["form"]
    assert form["chair"].value() == "Lý Văn Sơn" and int(form["version"].value()) == meeting.version
    third = client.post(url, form.data.dict())
    assert third.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.members_present, meeting.version) == ("Lý Văn Sơn", 18, 3)
    assert [a.name for a in meeting.absentees.all()] == ["Vi Văn Hùng"]
