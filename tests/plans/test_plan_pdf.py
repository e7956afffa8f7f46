"""The printable plan: a PDF in the party's format (Hướng dẫn 36-HD/VPTW), read back as text."""

import io
import sys

import pytest
from django.urls import reverse
from pypdf import PdfReader

from plans.models import Committee, Plan
from tests.plans.factories import make_plan, make_task


@pytest.fixture
def plan(tree, standing):
    standing.first_name, standing.last_name = "Vẫn", "Bế Thị"
    standing.save()
    plan = make_plan(tree.a, 2018, lead=standing, state=Plan.State.ADOPTED)
    plan.recipients = "Ban Thường vụ Tỉnh ủy (b/c)\nĐảng ủy xã Gia Miễn"
    plan.signer_title = "Phó Bí thư"
    plan.save()
    make_task(plan, committee=Committee.PROPAGANDA, title="Tuyên truyền, vận động quần chúng ưu tú")
    return plan


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_reads_as_a_party_document_with_every_diacritic(client, tree, alice, plan):
    client.force_login(alice)

    response = client.get(reverse("plans:plan_pdf", kwargs={"plan_id": plan.pk}))

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    for expected in [
        "ĐẢNG BỘ TỈNH",  # the body above the issuer
        "HUYỆN ỦY ĐÔNG",  # the issuer, from "Đảng bộ huyện Đông"
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 45-KH/HU",
        "Đông, ngày 20 tháng 02 năm 2018",
        "KẾ HOẠCH",
        "củng cố, kiện toàn Đảng bộ xã Gia Miễn năm 2018",
        "Nhiều chi bộ không sinh hoạt định kỳ đủ 12 lần.",
        "100% chi bộ sinh hoạt định kỳ ít nhất 12 lần trong năm.",
        "Tuyên truyền, vận động quần chúng ưu tú",
        "Ban Tuyên giáo và Dân vận",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Bế Thị Vẫn",
        "Nơi nhận:",
        "Ban Thường vụ Tỉnh ủy (b/c)",
    ]:
        assert expected in text, expected


def test_every_glyph_comes_from_a_times_compatible_font(client, alice, plan):
    """Liberation Serif 1.x (Debian's fonts-liberation) lacks ắ, ệ, ơ, ư...: those glyphs would fall
    back to another font mid-word. fonts-liberation2 has them all."""
    client.force_login(alice)
    reader = PdfReader(io.BytesIO(client.get(reverse("plans:plan_pdf", kwargs={"plan_id": plan.pk})).content))

    fonts = {str(font["/BaseFont"]).split("+")[-1] for font in _fonts(reader)}
    assert fonts and all(name.startswith(("Liberation-Serif", "LiberationSerif", "TimesNewRoman")) for name in fonts), (
        fonts
    )


def _fonts(reader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            yield font.get_object()


def test_without_weasyprint_the_page_says_what_to_install(client, alice, plan, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as when Pango is missing
    client.force_login(alice)

    response = client.get(reverse("plans:plan_pdf", kwargs={"plan_id": plan.pk}))

    assert response.status_code == 503
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2" in response.content.decode()
