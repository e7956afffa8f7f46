"""In Chromium: each role logs in through the real form, browses the tree, searches, and the
scope holds. Screenshots go to /tmp/vanlang-screens/ for a human to look at."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from cells.demo import DEMO_PASSWORD
from tests.conftest import browser_login

pytestmark = pytest.mark.browser

SCREENS = Path("/tmp/vanlang-screens")


def shoot(page, name):
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def open_branch(page, name):
    """The button beside a unit's link opens its branch."""
    toggle = page.locator(".tree-node", has=page.get_by_role("link", name=name, exact=True)).locator(".tree-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"


def log_out(page):
    page.locator("form[action='/dang-xuat/'] button").click()
    page.wait_for_url(re.compile(r"/dang-nhap/$"))


@pytest.mark.parametrize(
    ("who", "scope_code", "scope_name"),
    [
        ("alice", "D", "Đảng bộ huyện Đông"),
        ("standing", "D", "Đảng bộ huyện Đông"),
        ("bob", "D-A", "Đảng bộ xã Gia Miễn"),
        ("auditor", "D", "Đảng bộ huyện Đông"),
    ],
)
def test_each_role_logs_in_lands_on_its_home_and_logs_out(request, page, tree, who, scope_code, scope_name):
    user = request.getfixturevalue(who)
    browser_login(page, user.username)
    page.wait_for_url(page.base_url + "/")  # the role's home page, for its unit
    assert scope_name in page.locator("h1").inner_text()
    assert scope_name in page.locator("nav.navbar").inner_text()
    admin_link = page.locator("nav.navbar a[href='/quan-tri/']")
    assert admin_link.count() == (1 if who == "auditor" else 0)
    shoot(page, f"home-{who}")
    log_out(page)
    page.goto(page.base_url + "/to-chuc/")
    assert "/dang-nhap/" in page.url


def test_wrong_password_stays_on_the_form(page, tree, alice):
    browser_login(page, "alice", "sai-mật-khẩu")
    assert "/dang-nhap/" in page.url
    assert page.locator(".alert-danger, .invalid-feedback, .errorlist").count() > 0


def test_tree_branches_load_when_opened(page, tree, alice):
    browser_login(page, "alice")
    page.goto(page.base_url + "/to-chuc/")
    assert page.get_by_text("Chi bộ Nặm Bao").count() == 0
    with page.expect_response(re.compile(r"/to-chuc/D-A/nhanh/$")) as response:
        open_branch(page, "Đảng bộ xã Gia Miễn")
    assert response.value.status == 200
    page.get_by_role("link", name="Chi bộ Nặm Bao").wait_for()
    assert page.get_by_role("link", name="Chi bộ Bản Làn").is_visible()
    shoot(page, "tree-open")
    page.get_by_role("link", name="Chi bộ Nặm Bao").click()
    page.wait_for_url(re.compile(r"/to-chuc/D-A-1/$"))
    assert page.locator("h1").inner_text() == "Chi bộ Nặm Bao"
    breadcrumb = page.locator(".breadcrumb").inner_text()
    assert "Đảng bộ huyện Đông" in breadcrumb and "Đảng bộ xã Gia Miễn" in breadcrumb


def test_branch_opened_after_the_session_ended_leads_to_the_login_page(page, tree, alice):
    browser_login(page, "alice")
    page.goto(page.base_url + "/to-chuc/")
    page.context.clear_cookies()
    open_branch(page, "Đảng bộ xã Gia Miễn")
    page.wait_for_url(re.compile(r"/dang-nhap/\?next=/to-chuc/$"))
    assert page.locator("input[name=password]").is_visible()


def test_search_ignores_diacritics_and_case(page, tree, alice):
    browser_login(page, "alice")
    search = page.locator("nav.navbar input[name=q]")
    search.fill("tan my")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=tan\+my$"))
    shoot(page, "search-tan-my")
    page.get_by_role("link", name="Đảng bộ xã Tân Mỹ").click()
    page.wait_for_url(re.compile(r"/to-chuc/D-B/$"))
    assert page.get_by_role("link", name="Chi bộ Pò Cại").is_visible()


def test_secretary_of_gia_mien_never_sees_tan_my(page, tree, bob):
    browser_login(page, "bob")
    response = page.goto(page.base_url + "/to-chuc/D-B/")
    assert response.status == 404
    assert "Tân Mỹ" not in page.content()
    shoot(page, "secretary-404")
    page.goto(page.base_url + "/tim-kiem/?q=tan+my")
    assert page.get_by_role("link", name="Đảng bộ xã Tân Mỹ").count() == 0
    page.goto(page.base_url + "/to-chuc/")
    body = page.locator("main").inner_text()
    assert "Gia Miễn" in body and "Tân Mỹ" not in body and "huyện Đông" not in body
    response = page.goto(page.base_url + "/to-chuc/D-B/nhanh/")
    assert response.status == 404


def test_auditor_reads_the_admin_without_buttons_to_change(page, tree, auditor):
    browser_login(page, "eve")
    page.locator("nav.navbar a[href='/quan-tri/']").click()
    page.wait_for_url(re.compile(r"/quan-tri/$"))
    page.goto(page.base_url + f"/quan-tri/cells/organization/{tree.a.pk}/change/")
    assert page.locator("input[name=_save]").count() == 0
    assert page.locator("a.deletelink").count() == 0
    page.goto(page.base_url + f"/quan-tri/cells/organization/{tree.a.pk}/auditlog/")
    shoot(page, "auditor-history")
    assert "Đảng bộ xã Gia Miễn" in page.content()


def test_demo_logins_work_and_the_demo_scope_holds(page, transactional_db):
    call_command("load_demo")
    browser_login(page, "bithu.giamien", DEMO_PASSWORD)
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/to-chuc/VL-GIAMIEN/")
    assert page.get_by_role("link", name="Chi bộ Nặm Bao").is_visible()
    assert page.goto(page.base_url + "/to-chuc/VL-TANMY/").status == 404
    log_out(page)
    browser_login(page, "canbo", DEMO_PASSWORD)
    page.goto(page.base_url + "/to-chuc/")
    shoot(page, "demo-tree")
    open_branch(page, "Đảng bộ xã Tân Mỹ")
    page.get_by_role("link", name="Chi bộ Pò Cại").wait_for()
    assert page.get_by_role("link", name="Chi bộ Nà Mò").is_visible()


def test_phone_navbar_collapses_and_pages_fit_the_screen(phone_page, tree, alice):
    page = phone_page

    def fits(name):
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"
        shoot(page, f"phone-{name}")

    page.goto(page.base_url + "/dang-nhap/")
    fits("login")
    browser_login(page, "alice")
    toggler = page.locator("button.navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#mainnav").is_visible()
    fits("home")
    toggler.click()
    page.wait_for_selector("#mainnav.collapse.show")  # the opening animation has ended
    assert page.locator("#mainnav a[href='/to-chuc/']").is_visible()
    assert page.locator("#mainnav input[name=q]").is_visible()
    fits("menu")
    for name, url in [("tree", "/to-chuc/"), ("detail", "/to-chuc/D-A/"), ("search", "/tim-kiem/?q=chi+bo")]:
        page.goto(page.base_url + url)
        fits(name)
