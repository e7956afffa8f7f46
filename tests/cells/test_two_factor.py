"""Two-factor sign-in: an authenticator app (TOTP) and one-time recovery codes (django-otp).

Required with VANLANG_TWO_FACTOR=1 for staff, standing members and auditors (admin site
included); optional for secretaries; whoever set it up is always asked for a code.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cells.models import SecurityEvent
from tests.cells.authenticator import authenticator_code, give_authenticator
from tests.conftest import PASSWORD

VERIFY = reverse("account:verify")
RECOVERY = reverse("account:recovery")
SETUP = reverse("account:setup")


@pytest.fixture
def two_factor_on(settings):
    settings.VANLANG_TWO_FACTOR = True


def unthrottle(device):
    """django-otp makes a device wait after each wrong code (1 s, 2 s, 4 s...): let the time pass."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def sign_in(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_off_staff_without_a_phone_reach_the_app(client, tree, alice):
    """The demo and scripted clients: VANLANG_TWO_FACTOR=0 asks nobody without a device."""
    sign_in(client, "alice")
    assert client.get(reverse("cells:tree")).status_code == 200


def test_on_staff_must_set_up_the_authenticator_before_anything_else(client, tree, alice, two_factor_on):
    sign_in(client, "alice")
    response = client.get(reverse("cells:tree"))
    assert response.status_code == 302 and response.url.startswith(SETUP)

    page = client.get(response.url)
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert "<svg" in body and device.config_url.replace("&", "&amp;") in body
    assert "otpauth://totp/" in device.config_url and "issuer=Vanlang" in device.config_url

    wrong = client.post(response.url, {"code": "000000"})
    assert wrong.status_code == 200 and "does not match" in wrong.content.decode()
    unthrottle(device)

    done = client.post(response.url, {"code": authenticator_code(device), "next": reverse("cells:tree")})
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert set(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)) == set(codes)
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert client.get(reverse("cells:tree")).status_code == 200
    # The codes are shown once: the page now shows the state, not the codes.
    status = client.get(SETUP).content.decode()
    assert not any(code in status for code in codes) and "10 unused recovery codes" in status


@pytest.mark.parametrize("who", ["alice", "standing", "auditor"])
def test_on_each_required_role_is_asked_for_the_code(request, client, tree, who, two_factor_on):
    user = request.getfixturevalue(who)
    give_authenticator(user)
    sign_in(client, user.username)
    target = reverse("admin:index") if who == "auditor" else reverse("cells:tree")
    response = client.get(target)
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_on_secretaries_may_skip_it(client, tree, bob, two_factor_on):
    sign_in(client, "bob")
    assert client.get(reverse("cells:tree")).status_code == 200


def test_whoever_set_it_up_is_asked_even_when_off(client, tree, bob):
    device = give_authenticator(bob)
    sign_in(client, "bob")
    response = client.get(reverse("cells:tree"))
    assert response.status_code == 302 and response.url == f"{VERIFY}?next=%2Fto-chuc%2F"
    assert client.post(VERIFY, {"code": authenticator_code(device), "next": "/to-chuc/"}).url == "/to-chuc/"
    assert client.get(reverse("cells:tree")).status_code == 200


def test_a_wrong_code_is_refused_and_logged_a_right_one_lets_in(client, tree, alice, two_factor_on):
    device = give_authenticator(alice)
    sign_in(client, "alice")
    wrong = client.post(VERIFY, {"code": "123456"})
    assert wrong.status_code == 200
    assert "The code is wrong or has expired" in wrong.content.decode()
    assert client.get(reverse("cells:tree")).status_code == 302
    assert SecurityEvent.objects.filter(kind="sign_in_failed", user=alice, detail="wrong authenticator code").exists()

    unthrottle(device)  # a person takes longer than a second to type the next one
    right = client.post(VERIFY, {"code": authenticator_code(device), "next": "/to-chuc/"})
    assert right.status_code == 302 and right.url == "/to-chuc/"
    assert client.get(reverse("cells:tree")).status_code == 200
    assert SecurityEvent.objects.filter(kind="second_factor", user=alice, detail="authenticator code").exists()


def test_guessing_codes_is_throttled(client, tree, alice, two_factor_on):
    device = give_authenticator(alice)
    sign_in(client, "alice")
    client.post(VERIFY, {"code": "123456"})
    # Right away, even the right code is refused: the device waits after each failure.
    response = client.post(VERIFY, {"code": authenticator_code(device)})
    assert response.status_code == 200 and "Too many wrong codes" in response.content.decode()


def test_a_recovery_code_works_once(client, tree, alice, two_factor_on):
    give_authenticator(alice)
    device = StaticDevice.objects.create(user=alice, name="recovery", confirmed=True)
    device.token_set.create(token="abcd2345")
    sign_in(client, "alice")
    response = client.post(RECOVERY, {"code": "ABCD 2345", "next": "/to-chuc/"})
    assert response.status_code == 302 and response.url == "/to-chuc/"
    assert not StaticToken.objects.filter(token="abcd2345").exists()

    client.post(reverse("logout"))
    sign_in(client, "alice")
    unthrottle(device)
    again = client.post(RECOVERY, {"code": "abcd2345"})
    assert again.status_code == 200 and "already used" in again.content.decode()


def test_the_admin_login_is_the_one_login_page(client, db):
    response = client.get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302 and response.url == "/dang-nhap/?next=/quan-tri/"


def test_new_recovery_codes_replace_the_old(client, tree, bob):
    device = give_authenticator(bob)
    sign_in(client, "bob")
    client.post(VERIFY, {"code": authenticator_code(device)})
    first = client.post(SETUP).context["codes"]
    second = client.post(SETUP).context["codes"]
    assert set(first).isdisjoint(second)
    assert set(StaticToken.objects.filter(device__user=bob).values_list("token", flat=True)) == set(second)


def test_reset_two_factor_removes_a_lost_phone(tree, alice, settings):
    settings.VANLANG_TWO_FACTOR = True
    give_authenticator(alice)
    call_command("reset_two_factor", "alice")
    assert not TOTPDevice.objects.filter(user=alice).exists()


@pytest.mark.vietnamese
def test_the_second_step_speaks_vietnamese(client, tree, alice, two_factor_on):
    give_authenticator(alice)
    sign_in(client, "alice")
    body = client.post(VERIFY, {"code": "123456"}).content.decode()
    assert "Mã không đúng hoặc đã hết hạn" in body
