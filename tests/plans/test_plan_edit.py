"""Writing a plan and its targets, and two people editing it at once."""

from django.urls import reverse

from plans.models import Plan, Target
from tests.plans.factories import make_candidate, make_plan

TARGETS_EMPTY = {"targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0"}


def plan_form(lead, **extra):
    return {
        "number": "Số 45-KH/HU",
        "issued_on": "20/02/2018",
        "place": "Đông",
        "weaknesses": "Chi bộ Nặm Bao chỉ sinh hoạt 6 lần.",
        "causes": "Cấp ủy chưa sâu sát.",
        "lead": lead.pk,
        "signer_title": "Phó Bí thư",
        "recipients": "Lưu",
        **extra,
    }


def targets(*rows, initial=0):
    data = {"targets-TOTAL_FORMS": str(len(rows)), "targets-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"targets-{i}-{key}"] = value
    return data


def test_staff_write_a_plan_for_a_selected_unit(client, tree, alice, standing):
    candidate = make_candidate(tree.a, 2018, decision="selected")
    client.force_login(alice)

    response = client.post(
        reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk}),
        {
            **plan_form(standing),
            **targets({"kind": "regular_meetings", "number": "12"}, {"kind": "level", "level": "good"}, {"kind": ""}),
        },
    )

    plan = Plan.objects.get()
    assert response.url == reverse("plans:detail", kwargs={"plan_id": plan.pk})
    assert (plan.organization, plan.year, plan.number, plan.lead) == (tree.a, 2018, "45-KH/HU", standing)
    assert plan.state == Plan.State.DRAFT
    assert [(t.kind, t.number, t.level) for t in plan.targets.all()] == [
        ("regular_meetings", 12, ""),
        ("level", None, "good"),
    ]


def test_a_target_without_its_value_is_refused_with_the_reason(client, tree, alice, standing):
    candidate = make_candidate(tree.a, 2018, decision="selected")
    client.force_login(alice)

    response = client.post(
        reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk}),
        {**plan_form(standing, number="45"), **targets({"kind": "admissions", "number": ""})},
    )

    assert response.status_code == 400
    assert "45-KH/HU" in response.context["form"].errors["number"][0]
    assert "number" in response.context["targets"].forms[0].errors
    assert not Plan.objects.exists()


def test_a_unit_not_selected_gets_no_plan(client, tree, alice):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(alice)

    response = client.get(reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk}))

    assert response.url == reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk})


def test_the_lead_must_be_a_standing_member_of_the_scope(client, tree, alice, bob):
    candidate = make_candidate(tree.a, 2018, decision="selected")
    client.force_login(alice)

    response = client.post(
        reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk}), {**plan_form(bob), **TARGETS_EMPTY}
    )

    assert response.status_code == 400
    assert "lead" in response.context["form"].errors


def test_the_second_of_two_concurrent_edits_is_refused_and_shows_what_changed(client, tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    url = reverse("plans:plan_edit", kwargs={"plan_id": plan.pk})
    kept_targets = targets({"kind": "regular_meetings", "number": "12"})
    client.force_login(alice)
    version_both_opened = client.get(url).context["form"]["version"].value()

    first = client.post(
        url, {**plan_form(standing, causes="Bí thư chi bộ mới."), "version": version_both_opened, **kept_targets}
    )
    assert first.status_code == 302

    second = client.post(
        url,
        {
            **plan_form(standing, causes="Thiếu kinh phí.", place="Văn Lãng"),
            "version": version_both_opened,
            **kept_targets,
        },
    )

    assert second.status_code == 409
    plan.refresh_from_db()
    assert plan.causes == "Bí thư chi bộ mới."  # the first save stands
    changes = {label: (theirs, mine) for label, theirs, mine in second.context["conflict"].changes}
    assert changes["causes"] == ("Bí thư chi bộ mới.", "Thiếu kinh phí.")
    assert changes["place"] == ("Đông", "Văn Lãng")
    body = second.content.decode()
    assert "Bí thư chi bộ mới." in body and "Thiếu kinh phí." in body
    # Nothing the second editor typed is lost: the form holds it, ready to save over knowingly.
    form = second.context["form"]
    assert form["causes"].value() == "Thiếu kinh phí."
    assert int(form["version"].value()) == plan.version

    third = client.post(url, {**form.data.dict()})
    assert third.status_code == 302
    plan.refresh_from_db()
    assert plan.causes == "Thiếu kinh phí."


def test_targets_are_replaced_on_save(client, tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    client.force_login(alice)

    client.post(
        reverse("plans:plan_edit", kwargs={"plan_id": plan.pk}),
        {
            **plan_form(standing),
            "version": plan.version,
            **targets(
                {"kind": "regular_meetings", "number": "12", "DELETE": "on"},
                {"kind": "admissions", "number": "2"},
            ),
        },
    )

    assert [(t.kind, t.number) for t in Target.objects.filter(plan=plan)] == [("admissions", 2)]


def test_standing_members_do_not_edit_plans(client, tree, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    client.force_login(standing)

    assert client.get(reverse("plans:plan_edit", kwargs={"plan_id": plan.pk})).status_code == 403


def test_a_conflict_names_targets_the_other_editor_changed(client, tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    url = reverse("plans:plan_edit", kwargs={"plan_id": plan.pk})
    client.force_login(alice)
    opened = plan.version

    client.post(url, {**plan_form(standing), "version": opened, **targets({"kind": "admissions", "number": "2"})})
    second = client.post(
        url, {**plan_form(standing), "version": opened, **targets({"kind": "regular_meetings", "number": "12"})}
    )

    assert second.status_code == 409
    changes = {label: (theirs, mine) for label, theirs, mine in second.context["conflict"].changes}
    assert changes["targets"] == ("New members admitted: 2", "Regular meetings per cell: 12")
    assert [(t.kind, t.number) for t in Target.objects.filter(plan=plan)] == [("admissions", 2)]
