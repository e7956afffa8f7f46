"""Failed sign-ins are counted per user name and, separately, per client address across names
(password spraying); the address comes from VANLANG_TRUSTED_PROXY_HEADER when it is set; each
lock lifts by itself after its cool-off."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from cells.models import SecurityEvent
from tests.conftest import PASSWORD


def attempt(client, username, password, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def from_address(address):
    return {"REMOTE_ADDR": address}


def test_five_bad_tries_lock_the_name_not_another_user_elsewhere(client, tree, alice, bob):
    for _ in range(5):
        attempt(client, "alice", "sai", **from_address("203.0.113.5"))
    assert attempt(client, "alice", PASSWORD, **from_address("198.51.100.7")).status_code == 429
    assert attempt(client, "bob", PASSWORD, **from_address("198.51.100.7")).status_code == 302
    assert SecurityEvent.objects.filter(kind="locked_out", username="alice").exists()
    assert SecurityEvent.objects.filter(kind="sign_in_failed", user=alice, ip="203.0.113.5").count() >= 5


def test_forty_names_from_one_address_throttle_that_address(client, tree, alice, settings):
    settings.VANLANG_ADDRESS_FAILURE_LIMIT = 20
    statuses = [attempt(client, f"nguoi{n}", "Mùa-xuân-2018", **from_address("203.0.113.9")).status_code
                for n in range(40)]  # fmt: skip
    assert statuses[:19] == [200] * 19, "each name failed once: no name is locked"
    assert set(statuses[19:]) == {429}, "the address is throttled from its 20th failure"
    # Even the right password of a real user is refused from that address, not from another.
    assert attempt(client, "alice", PASSWORD, **from_address("203.0.113.9")).status_code == 429
    assert attempt(client, "alice", PASSWORD, **from_address("198.51.100.7")).status_code == 302


def test_signing_in_to_ones_own_account_does_not_wipe_the_address_count(client, tree, alice, bob, settings):
    settings.VANLANG_ADDRESS_FAILURE_LIMIT = 6
    for n in range(5):
        attempt(client, f"nguoi{n}", "sai", **from_address("203.0.113.9"))
    assert attempt(client, "bob", PASSWORD, **from_address("203.0.113.9")).status_code == 302
    client.post(reverse("logout"))
    attempt(client, "nguoi9", "sai", **from_address("203.0.113.9"))
    assert attempt(client, "alice", PASSWORD, **from_address("203.0.113.9")).status_code == 429


def test_behind_the_proxy_two_clients_are_counted_apart(client, tree, alice, bob, settings):
    settings.VANLANG_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.VANLANG_ADDRESS_FAILURE_LIMIT = 5
    proxy = "10.0.0.2"  # every request reaches the application from the proxy
    first = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    # A client may send its own X-Forwarded-For: the proxy appends the real address, which counts.
    second = {"REMOTE_ADDR": proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.5, 198.51.100.7"}
    for n in range(5):
        attempt(client, f"nguoi{n}", "sai", **first)
    assert attempt(client, "alice", PASSWORD, **first).status_code == 429
    assert attempt(client, "alice", PASSWORD, **second).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert SecurityEvent.objects.filter(kind="sign_in", user=alice, ip="198.51.100.7").exists()


def test_without_the_setting_the_header_is_ignored(client, tree, alice, settings):
    settings.VANLANG_TRUSTED_PROXY_HEADER = ""
    attempt(client, "alice", "sai", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.2"]


@pytest.mark.parametrize("limit_kind", ["name", "address"])
def test_the_lock_lifts_by_itself_after_its_cool_off(client, tree, alice, settings, limit_kind):
    settings.VANLANG_ADDRESS_FAILURE_LIMIT = 20 if limit_kind == "name" else 5
    for n in range(5):
        attempt(client, "alice" if limit_kind == "name" else f"nguoi{n}", "sai")
    assert attempt(client, "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "alice", PASSWORD).status_code == 302
