"""Sessions end after 30 minutes without a request and 12 hours after signing in; deactivating
a user ends their sessions at once."""

import time

from django.contrib.sessions.models import Session
from django.urls import reverse

from cells.models import SecurityEvent
from cells.security.sessions import LAST_SEEN, SIGNED_IN_AT
from tests.conftest import PASSWORD

TREE = reverse("cells:tree")


def sign_in(client, username):
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302


def shift_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = int(time.time() - ago)
    session.save()


def test_the_limits_are_settings(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.VANLANG_SESSION_MAX_HOURS == 12


def test_29_idle_minutes_keep_the_session_and_31_end_it(client, tree, alice):
    sign_in(client, "alice")
    shift_session(client, **{LAST_SEEN: 29 * 60})
    assert client.get(TREE).status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 5, "a request counts as activity"
    shift_session(client, **{LAST_SEEN: 31 * 60})
    response = client.get(TREE)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next=/to-chuc/"
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind="sign_out", user=alice, detail="session limit: idle").exists()


def test_activity_does_not_stretch_a_session_past_12_hours(client, tree, alice):
    sign_in(client, "alice")
    shift_session(client, **{SIGNED_IN_AT: 11 * 3600 + 3500})
    assert client.get(TREE).status_code == 200
    shift_session(client, **{SIGNED_IN_AT: 12 * 3600 + 60})
    response = client.get(TREE, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "12 hours after you logged in" in response.content.decode()


def test_a_request_writes_the_session_at_most_once_a_minute(client, tree, alice, django_assert_num_queries):
    sign_in(client, "alice")
    client.get(TREE)
    # The idle clock was just set: no session write (an UPDATE and its savepoints) on this request.
    with django_assert_num_queries(3):  # 1 session, 2 user, 3 role with its organization
        client.get(reverse("account:password"))


def test_deactivating_a_user_ends_their_sessions_at_once(client, tree, alice, bob, django_capture_on_commit_callbacks):
    sign_in(client, "alice")
    other = client.__class__()
    other.force_login(bob)
    assert Session.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        alice.is_active = False
        alice.save()
    assert Session.objects.count() == 1, "bob's session stays"
    assert client.get(TREE).status_code == 302
    assert other.get(TREE).status_code == 200
