"""Admin lists over millions of rows: folded search through the trigram indexes, no exact counts,
filters from fixed choices."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Classification, Level
from tests.cells.factories import make_admission, make_meeting

CLASSIFICATIONS = "/quan-tri/assessments/classification/"
MEETINGS = "/quan-tri/cells/meeting/"
ADMISSIONS = "/quan-tri/cells/admission/"
PLANS = "/quan-tri/plans/plan/"


def classify(organization, year, level=Level.GOOD):
    return Classification.objects.create(organization=organization, year=year, level=level, label=level.label)


def listed(response):
    return list(response.context["cl"].result_list)


def test_the_admin_finds_a_name_typed_without_diacritics(client, tree, auditor):
    tan_my = classify(tree.b, 2018)
    classify(tree.a, 2018)
    client.force_login(auditor)
    assert listed(client.get(CLASSIFICATIONS, {"q": "tan my"})) == [tan_my]
    assert listed(client.get(CLASSIFICATIONS, {"q": "TÂN MỸ"})) == [tan_my]
    assert listed(client.get(CLASSIFICATIONS, {"q": "d-b"})) == [tan_my]  # the code
    assert listed(client.get(CLASSIFICATIONS, {"q": "tan zzz"})) == []
    organizations = client.get("/quan-tri/cells/organization/", {"q": "nam bao"})
    assert [org.code for org in listed(organizations)] == ["D-A-1"]


def test_the_lists_count_neither_the_whole_table_nor_distinct_values(client, tree, auditor):
    for year in (2017, 2018):
        classify(tree.a, year)
    make_meeting(tree.a1, date=datetime.date(2018, 3, 5))
    client.force_login(auditor)
    for url, table in ((CLASSIFICATIONS, "ASSESSMENTS_CLASSIFICATION"), (MEETINGS, "CELLS_MEETING")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        listed = [query["sql"].upper() for query in queries if f'FROM "{table}"' in query["sql"].upper()]
        assert not any("DISTINCT" in sql for sql in listed), url
        # One bounded count (at most 10,000 rows) of the listed table: no exact count of the whole table.
        counts = [sql for sql in listed if "COUNT(" in sql]
        assert len(counts) == 1 and "LIMIT 10000" in counts[0], url


def test_the_year_and_rule_set_filters_come_from_fixed_choices(client, tree, auditor):
    old = classify(tree.a, 2017)
    new = classify(tree.a, 2018)
    Classification.objects.filter(pk=new.pk).update(rule_set="132-QĐ/TW")
    client.force_login(auditor)
    assert listed(client.get(CLASSIFICATIONS, {"year": "2017"})) == [old]
    assert listed(client.get(CLASSIFICATIONS, {"rule_set": "132-QĐ/TW"})) == [new]
    assert listed(client.get(CLASSIFICATIONS)) == [new, old]  # newest entry first
    meeting = make_meeting(tree.a1, date=datetime.date(2018, 3, 5))
    make_meeting(tree.a1, date=datetime.date(2017, 3, 5))
    assert listed(client.get(MEETINGS, {"date": "2018"})) == [meeting]
    assert client.get(MEETINGS, {"date": "nineteen"}).status_code == 200


def test_the_trigram_indexes_exist_on_postgresql_only(db):
    with connection.cursor() as cursor:
        indexes = {
            info["columns"][0] if info["columns"] else name
            for name, info in connection.introspection.get_constraints(cursor, "cells_organization").items()
        }
        names = set(connection.introspection.get_constraints(cursor, "cells_organization"))
    trigram = {"cells_org_folded_trgm", "cells_org_code_trgm"}
    if connection.vendor == "postgresql":
        assert trigram <= names
    else:
        assert not trigram & names and "name_folded" in indexes


def test_plans_and_decisions_are_found_by_their_number(client, tree, auditor):
    from tests.plans.factories import make_plan

    plan_a = make_plan(tree.a)  # 45-KH/HU, decided by 12-QĐ/HU
    plan_b = make_plan(tree.b)
    type(plan_b).objects.filter(pk=plan_b.pk).update(number="46-KH/HU")
    type(plan_b.candidate).objects.filter(pk=plan_b.candidate_id).update(decision_number="13-QĐ/HU")
    decided = classify(tree.a, 2018)
    Classification.objects.filter(pk=decided.pk).update(decision_number="35-QĐ/HU")
    classify(tree.b, 2018)
    admitted = make_admission(tree.a1, decision_number="101-QĐ/ĐU")
    make_admission(tree.b1, name="Hoàng Văn Tú", decision_number="102-QĐ/ĐU")
    client.force_login(auditor)

    assert listed(client.get(PLANS, {"q": "45-KH/HU"})) == [plan_a]
    assert listed(client.get(PLANS, {"q": "Số 46-kh"})) == [plan_b]  # typed with "Số", in small letters
    assert listed(client.get(PLANS, {"q": "13-QĐ/HU"})) == [plan_b]  # the standing committee's decision
    assert listed(client.get(PLANS, {"q": "gia mien"})) == [plan_a]  # names still fold
    assert listed(client.get(CLASSIFICATIONS, {"q": "số 35-QĐ/HU"})) == [decided]
    assert listed(client.get(ADMISSIONS, {"q": "101-QĐ"})) == [admitted]
    assert listed(client.get(PLANS, {"q": "99-KH/HU"})) == []


def test_admissions_search_folded_names_and_filter_by_fixed_years(client, tree, auditor):
    old = make_admission(tree.b1, decision=datetime.date(2017, 5, 2))
    new = make_admission(tree.b1, name="Hoàng Văn Tú", decision=datetime.date(2018, 8, 20))
    make_admission(tree.a1)
    client.force_login(auditor)
    assert listed(client.get(ADMISSIONS, {"q": "po cai"})) == [new, old]  # "Pò Cại", newest entry first
    assert listed(client.get(ADMISSIONS, {"decision_date": "2017"})) == [old]
    with CaptureQueriesContext(connection) as queries:
        page = client.get(ADMISSIONS)
    assert page.status_code == 200 and page.context["cl"].date_hierarchy is None
    assert not any("DISTINCT" in q["sql"].upper() for q in queries if '"cells_admission"' in q["sql"])
