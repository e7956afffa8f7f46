"""Login and logout pages: Vietnamese by default, and failed logins rate limited by django-axes."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.vietnamese
def test_login_page_speaks_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    # Django's own Vietnamese catalog: the field labels and the button
    assert "Tên đăng nhập" in body and "Mật khẩu" in body and "Đăng nhập" in body


def test_english_is_one_click_away(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()


@pytest.mark.vietnamese
def test_wrong_password_is_refused_in_vietnamese(client, tree, alice):
    response = attempt(client, "alice", "sai-mật-khẩu")
    assert response.status_code == 200
    assert "Vui lòng điền vào" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_and_lands_on_the_users_organization(client, tree, alice):
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("plans:home")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_logout_is_a_post_and_ends_the_session(client, tree, alice):
    attempt(client, "alice", PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("cells:tree")).status_code == 302


@pytest.mark.vietnamese
def test_sixth_attempt_after_five_failures_is_locked_out_even_with_the_right_password(client, tree, alice):
    for _ in range(4):
        response = attempt(client, "alice", "sai")
        assert response.status_code == 200, "the first failures get the form back"
    fifth = attempt(client, "alice", "sai")
    sixth = attempt(client, "alice", PASSWORD)
    for response in (fifth, sixth):
        assert response.status_code == 429
        assert "registration/locked_out.html" in [t.name for t in response.templates]
        assert '<html lang="vi">' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_is_per_user_name(client, tree, alice, bob):
    for _ in range(5):
        attempt(client, "alice", "sai")
    assert attempt(client, "bob", PASSWORD).status_code == 302
