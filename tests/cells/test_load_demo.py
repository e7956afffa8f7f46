"""`manage.py load_demo`: the Văn Lãng story, and running it again changes nothing."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cells.demo import DEMO_PASSWORD, unit_code
from cells.models import Organization, UserRole

Kind = Organization.Kind


@pytest.fixture
def demo(db):
    call_command("load_demo")


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_second_run_changes_nothing(demo, capsys):
    counts, entries = row_counts(), LogEntry.objects.count()
    call_command("load_demo")
    assert row_counts() == counts
    new_entries = LogEntry.objects.order_by("-pk")[: LogEntry.objects.count() - entries]
    assert not new_entries, [(e.object_repr, e.changes) for e in new_entries]


def test_fifty_three_grassroots_organizations_under_van_lang_in_2018(demo):
    district = Organization.objects.get(code="VL")
    grassroots = Organization.objects.filter(parent=district, kind__in=Organization.GRASSROOTS_KINDS)
    assert sum(org.active_in(2018) for org in grassroots) == 53
    sectors = {org.sector for org in grassroots}
    assert {"commune", "town", "agency", "public_service", "enterprise", "police", "military"} <= sectors


def test_gia_mien_has_sixteen_cells_with_nam_bao(demo):
    gia_mien = Organization.objects.get(code=unit_code("xã Gia Miễn"))
    assert gia_mien.name == "Đảng bộ xã Gia Miễn" and gia_mien.kind == Kind.GRASSROOTS_COMMITTEE
    cells = Organization.objects.filter(parent=gia_mien, kind=Kind.CELL)
    assert cells.count() == 16
    assert cells.filter(code="VL-GIAMIEN-NAMBAO", name="Chi bộ Nặm Bao").exists()


def test_tan_my_has_po_cai_na_mo_and_a_military_cell(demo):
    tan_my = Organization.objects.get(code="VL-TANMY")
    names = set(tan_my.children.values_list("name", flat=True))
    assert {"Chi bộ Pò Cại", "Chi bộ Nà Mò", "Chi bộ Quân sự"} <= names
    assert {"VL-TANMY-POCAI", "VL-TANMY-NAMO", "VL-TANMY-QUANSU"} <= set(tan_my.children.values_list("code", flat=True))


def test_thuy_hung_is_there(demo):
    assert Organization.objects.get(code="VL-THUYHUNG").name == "Đảng bộ xã Thụy Hùng"


def test_merged_communes_keep_their_years_and_point_to_the_new_unit(demo):
    hoang_viet = Organization.objects.get(code="VL-HOANGVIET")
    assert hoang_viet.dissolved == datetime.date(2019, 12, 31)
    assert hoang_viet.successor.code == "VL-BACVIET"
    assert hoang_viet.active_in(2019) and not hoang_viet.active_in(2020)
    assert Organization.objects.get(code="VL-BACVIET").founded == datetime.date(2020, 1, 1)
    # The district itself ended with the 2025 reform.
    assert Organization.objects.get(code="VL").dissolved == datetime.date(2025, 6, 30)


def test_paths_match_parents(demo):
    for org in Organization.objects.select_related("parent"):
        assert org.path == org.expected_path(), org.code


def test_one_login_per_role_with_the_printed_password(demo, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    users = get_user_model().objects.filter(vanlang_role__isnull=False)
    assert {u.vanlang_role.role for u in users} == set(UserRole.Role.values)
    for user in users:
        assert user.check_password(DEMO_PASSWORD) and user.username in out
    assert DEMO_PASSWORD in out
    scopes = dict(UserRole.objects.values_list("user__username", "organization__code"))
    assert scopes["canbo"] == "VL" and scopes["kiemtra"] == "VL"
    assert scopes["bithu.giamien"] == "VL-GIAMIEN" and scopes["bithu.tanmy"] == "VL-TANMY"


def test_a_changed_password_survives_a_second_run(demo):
    user = get_user_model().objects.get(username="canbo")
    user.set_password("Mật-khẩu-mới-2019")
    user.save()
    call_command("load_demo")
    user.refresh_from_db()
    assert user.check_password("Mật-khẩu-mới-2019")
