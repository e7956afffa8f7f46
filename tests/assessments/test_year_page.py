"""The year page: counts by level, good or above, sectors, trend, changes, the 20% guideline."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from cells.models import Organization
from tests.assessments.factories import classify
from tests.conftest import make_org

# The page's numbers are checked as Vietnamese users read them: 49/53 = 92,45%.
pytestmark = pytest.mark.vietnamese


def url(org, year):
    return reverse("assessments:year", kwargs={"org_code": org.code, "year": year})


def units(tree, levels, year, prefix="D-U", sector="commune"):
    made = []
    for n, level in enumerate(levels):
        code = f"{prefix}{n}"
        unit = Organization.objects.filter(code=code).first() or make_org(
            code, f"Đảng bộ {code}", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, sector
        )
        classify(unit, year, level)
        made.append(unit)
    return made


def test_percent_is_written_the_vietnamese_way():
    template = Template("{% load assessments_tags %}{{ value|percent }}")
    with translation.override("vi"):
        assert template.render(Context({"value": 92.45})) == "92,45%"
    with translation.override("en"):
        assert template.render(Context({"value": 92.45})) == "92.45%"


def test_counts_49_of_53_as_92_45_percent(client, tree, alice):
    units(tree, ["excellent"] * 8 + ["good"] * 41 + ["complete"] * 3 + ["incomplete"], 2018)
    client.force_login(alice)
    response = client.get(url(tree.d, 2018), HTTP_ACCEPT_LANGUAGE="vi")
    body = response.content.decode()
    assert "49/53 = 92,45%" in body
    counts = body[body.index('id="level-counts"') :]
    assert "Hoàn thành xuất sắc nhiệm vụ" in counts


def test_cells_and_other_scopes_are_not_counted(client, tree, alice):
    classify(tree.a, 2018, "good")
    classify(tree.a1, 2018, "incomplete")  # a cell
    classify(tree.y, 2018, "incomplete")  # district X
    client.force_login(alice)
    assert "1/1 = 100,00%" in client.get(url(tree.d, 2018)).content.decode()


def test_a_grassroots_page_counts_its_cells(client, tree, bob):
    classify(tree.a1, 2018, "good")
    classify(tree.a2, 2018, "complete")
    client.force_login(bob)
    assert "1/2 = 50,00%" in client.get(url(tree.a, 2018)).content.decode()


def test_by_sector(client, tree, alice):
    units(tree, ["good", "complete"], 2018, prefix="D-C")
    units(tree, ["excellent"], 2018, prefix="D-P", sector="police")
    client.force_login(alice)
    body = client.get(url(tree.d, 2018)).content.decode()
    table = body[body.index('id="by-sector"') :]
    assert "1/2 = 50,00%" in table and "1/1 = 100,00%" in table


def test_units_whose_level_changed_and_the_trend(client, tree, alice):
    classify(tree.a, 2017, "complete")
    classify(tree.a, 2018, "good")
    classify(tree.b, 2017, "good")
    classify(tree.b, 2018, "good")
    client.force_login(alice)
    response = client.get(url(tree.d, 2018))
    body = response.content.decode()
    changed = body[body.index('id="changed"') :]
    assert "Gia Miễn" in changed and "Tân Mỹ" not in changed
    assert response.context["chart"]["years"] == [2017, 2018]
    assert response.context["chart"]["percent"] == [50.0, 100.0]
    assert 'id="trend-chart"' in body and "chartjs/chart.umd.min.js" in body


def test_warns_when_excellent_units_exceed_20_percent_of_good_ones(client, tree, alice):
    units(tree, ["excellent"] * 2 + ["good"] * 9, 2018)  # 2 > 20% of 9
    client.force_login(alice)
    assert "data-guideline" in client.get(url(tree.d, 2018)).content.decode()


@pytest.mark.parametrize(
    ("levels", "year"),
    [(["excellent"] * 2 + ["good"] * 10, 2018), (["excellent"] * 5 + ["good"] * 5, 2017)],
    ids=["exactly 20%", "before the 2018 guideline"],
)
def test_no_warning_within_the_guideline(client, tree, alice, levels, year):
    units(tree, levels, year)
    client.force_login(alice)
    assert "data-guideline" not in client.get(url(tree.d, year)).content.decode()


@pytest.mark.parametrize("count", [2, 40])
def test_the_page_costs_the_same_queries_for_any_number_of_units(client, tree, alice, django_assert_num_queries, count):
    units(tree, ["good", "complete"] * (count // 2), 2017)
    units(tree, ["excellent", "complete"] * (count // 2), 2018)
    client.force_login(alice)
    # session, user, role; the organization; counts by state, sector, deciding body and level (the
    # summary, sectors, guideline and drafts); trend by year and level; units whose level changed;
    # units rated complete or worse
    with django_assert_num_queries(8):
        assert client.get(url(tree.d, 2018)).status_code == 200


def test_the_index_opens_the_latest_year(client, tree, alice):
    classify(tree.a, 2018, "good")
    client.force_login(alice)
    assert client.get(reverse("assessments:index")).url == url(tree.d, 2018)


def test_lists_the_units_rated_complete_or_worse(client, tree, alice, bob):
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "good")
    classify(tree.a1, 2018, "incomplete")
    client.force_login(alice)
    body = client.get(url(tree.d, 2018)).content.decode()
    weak = body[body.index('id="weak"') : body.index("</table>", body.index('id="weak"'))]
    assert "Gia Miễn" in weak and "Tân Mỹ" not in weak and "Nặm Bao" not in weak
    client.force_login(bob)  # the grassroots committee's own list: its cells
    body = client.get(url(tree.a, 2018)).content.decode()
    weak = body[body.index('id="weak"') : body.index("</table>", body.index('id="weak"'))]
    assert "Nặm Bao" in weak and "Không hoàn thành nhiệm vụ" in weak
