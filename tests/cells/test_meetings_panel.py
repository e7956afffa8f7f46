"""The organization page links to the unit's meetings and admissions without an extra query."""

from django.urls import reverse
from django.utils import timezone


def test_the_commune_page_links_to_compliance_and_admissions(client, tree, bob):
    client.force_login(bob)
    body = client.get(reverse("cells:detail", kwargs={"org_code": tree.a1.code})).content.decode()
    assert 'id="meetings-panel"' in body
    assert reverse("cells:meeting_create") + "?to-chuc=D-A-1" in body
    assert "/sinh-hoat/tong-hop/D-A-1/" in body and "/phat-trien-dang/D-A-1/" in body


def test_standing_members_get_no_entry_button(client, tree, standing):
    client.force_login(standing)
    body = client.get(reverse("cells:detail", kwargs={"org_code": tree.a1.code})).content.decode()
    assert 'id="meetings-panel"' in body and reverse("cells:meeting_create") not in body


def test_the_menu_opens_last_years_watch_list(client, tree, alice):
    # The year in Hà Nội, as the menu computes it: on the evening of 31 December UTC it is already next year there.
    client.force_login(alice)
    body = client.get(reverse("cells:meeting_list")).content.decode()
    last_year = timezone.localdate().year - 1
    assert reverse("cells:watch_list", kwargs={"year": last_year}) in body
    assert reverse("cells:admission_overview", kwargs={"org_code": "D", "year": last_year + 1}) in body
