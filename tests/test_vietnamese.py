"""What users read, in the product's default language: Vietnamese labels, errors that say
how to fix them, numbers and dates written the Vietnamese way. The other tests read English
(see `english_unless_asked` in conftest), so these are the ones that fail when a string loses
its translation or the default language changes."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Level
from cells.models import Organization
from tests.assessments.factories import classify
from tests.cells.test_meeting_form import CREATE, form_data

pytestmark = pytest.mark.vietnamese


def test_pages_speak_vietnamese_whatever_the_browser_asks(client, tree, alice):
    client.force_login(alice)
    response = client.get(reverse("cells:tree"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Cây tổ chức" in body and "Đăng xuất" in body


def test_english_only_when_the_user_chooses_it(client, tree, alice):
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("cells:tree")).content.decode()
    assert '<html lang="en">' in body and "Organization tree" in body


def test_an_import_error_names_row_and_column_in_vietnamese(tree, tmp_path):
    path = tmp_path / "to-chuc.csv"
    path.write_text("code,name,kind,parent_code\nD-N,Chi bộ Mới,loại lạ,D-A\n", encoding="utf-8")
    problems = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_organizations", str(path), stderr=problems)
    assert "Tệp chưa được nhập: phát hiện 1 lỗi. Không có gì bị thay đổi." in str(error.value)
    assert "Dòng 2, cột kind" in problems.getvalue()
    assert not Organization.objects.filter(code="D-N").exists()


def test_a_meeting_form_error_says_how_to_fix_it(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, form_data(tree.a1, members_total="10", members_present="12"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Số có mặt (12) nhiều hơn tổng số đảng viên (10): sửa lại một trong hai số." in body


def test_the_year_page_writes_percentages_and_levels_the_vietnamese_way(client, tree, alice):
    classify(tree.a, 2018, Level.GOOD)
    classify(tree.b, 2018, Level.COMPLETE)
    client.force_login(alice)
    body = client.get(reverse("assessments:year", kwargs={"org_code": tree.d.code, "year": 2018})).content.decode()
    assert "1/2 = 50,00%" in body
    assert "Hoàn thành tốt nhiệm vụ" in body


def test_dates_are_day_month_year(client, tree, alice):
    tree.b.dissolved = datetime.date(2019, 12, 31)
    tree.b.save()
    client.force_login(alice)
    assert "31/12/2019" in client.get(reverse("cells:detail", kwargs={"org_code": tree.b.code})).content.decode()
