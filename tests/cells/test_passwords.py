"""Passwords: at least 12 characters, not a common one, not like the user name; the same rules
in `grant_role --password` and on the page where users change their own."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from cells.demo import DEMO_PASSWORD
from cells.models import SecurityEvent
from tests.conftest import PASSWORD

User = get_user_model()
PAGE = reverse("account:password")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("1", "at least 12 characters"),
        ("password", "too common"),
        ("123456789012", "entirely numeric"),
        ("nguyenvanhanh2", "too similar to the username"),
        ("Ngắn-2018", "at least 12 characters"),
    ],
)
def test_grant_role_refuses_a_weak_password_with_the_reason_and_changes_nothing(tree, password, reason):
    with pytest.raises(CommandError) as refused:
        call_command("grant_role", "nguyenvanhanh", "staff", "D", "--password", password)
    assert reason in str(refused.value)
    assert not User.objects.filter(username="nguyenvanhanh").exists()


def test_grant_role_exits_1_and_keeps_an_existing_users_password_and_role(tree, alice):
    with pytest.raises(CommandError) as refused:
        call_command("grant_role", "alice", "secretary", "D-A", "--password", "1")
    # manage.py turns a CommandError into its message on stderr and this exit status.
    assert refused.value.returncode == 1
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD) and alice.vanlang_role.role == "staff"


def test_a_good_password_is_accepted(tree):
    call_command("grant_role", "hanh", "staff", "D", "--password", "Mùa-xuân-Văn-Lãng")
    assert User.objects.get(username="hanh").check_password("Mùa-xuân-Văn-Lãng")


def test_the_demo_password_follows_the_rules(db):
    from django.contrib.auth import password_validation

    for username in ["canbo", "thuongvu", "thuongvu2", "bithu.giamien", "bithu.tanmy", "kiemtra"]:
        password_validation.validate_password(DEMO_PASSWORD, user=User(username=username))


def test_a_user_changes_their_own_password_and_stays_logged_in(client, tree, bob):
    client.force_login(bob)
    assert client.get(PAGE).status_code == 200
    weak = client.post(PAGE, {"old_password": PASSWORD, "new_password1": "bob12345", "new_password2": "bob12345"})
    assert weak.status_code == 200 and "at least 12 characters" in weak.content.decode()
    new = "Chi-bộ-Nặm-Bao-họp-đủ"
    done = client.post(PAGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(new)
    assert client.get(reverse("cells:tree")).status_code == 200, "the session survives the change"
    assert SecurityEvent.objects.filter(kind="password_changed", user=bob).exists()


def test_the_wrong_old_password_changes_nothing(client, tree, bob):
    client.force_login(bob)
    new = "Chi-bộ-Nặm-Bao-họp-đủ"
    response = client.post(PAGE, {"old_password": "sai", "new_password1": new, "new_password2": new})
    assert response.status_code == 200
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_the_user_menu_links_to_the_page(client, tree, bob):
    client.force_login(bob)
    assert f'href="{PAGE}"' in client.get(reverse("cells:tree")).content.decode()


def test_the_page_needs_a_signed_in_user(client, db):
    assert client.get(PAGE).status_code == 302
